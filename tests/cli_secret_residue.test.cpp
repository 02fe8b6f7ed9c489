// The tool leaves no copy of a secret in freed heap memory (SECURITY.md §1.7: the CLI's
// buffers are wiped). Each command runs with tests/support/freed_memory_scanner.cpp preloaded,
// which searches every block the process frees for the secret's forms: its base32 text, the
// otpauth URI, a QR code's rendering (terminal, SVG, PNG, PBM), the state file's text and the
// plain backup codes. A control program that frees a copy unwiped must be reported.
//
// Not built with the sanitizers (their allocator replaces free) or off glibc.
#include <boost/test/unit_test.hpp>

#include <twofactor/account.hpp>
#include <twofactor/backup_codes.hpp>
#include <twofactor/otpauth_uri.hpp>
#include <twofactor/totp.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/interactive_process.hpp"
#include "support/process.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::string_view secret_base32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";  // RFC 4226's key
constexpr std::int64_t now = 1'800'000'000;
using record_type = twofactor::account_record<10>;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const fs::path& path, std::string_view text, mode_t mode = 0600) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
    }
    BOOST_REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        out += digits[static_cast<unsigned char>(c) >> 4];
        out += digits[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

std::string code_at(std::int64_t unix_time, std::string_view base32 = secret_base32) {
    const auto key = twofactor::secret::from_base32(base32);
    BOOST_REQUIRE(key.has_value());
    const twofactor::totp<twofactor::sha1, 6, std::chrono::seconds{30}> generator{key->reveal_bytes()};
    const auto code = generator.code_at(std::chrono::sys_seconds{std::chrono::seconds{unix_time}});
    BOOST_REQUIRE(code.has_value());
    return std::string(code->view());
}

// A folder with the needle list and the report; the scanner preloaded while it lives.
struct scanned_runs {
    twofactor_test::temp_folder folder{"residue"};
    fs::path report = folder.path() / "report.txt";
    std::vector<std::string> names;  // what each needle is, for messages

    explicit scanned_runs(const std::vector<std::pair<std::string, std::string>>& needles) {
        std::string list;
        for (const auto& [name, bytes] : needles) {
            names.push_back(name);
            list += hex(bytes) + "\n";
        }
        write_file(folder.path() / "needles.txt", list);
        ::setenv("TWOFACTOR_SCAN_NEEDLES", folder.file("needles.txt").c_str(), 1);
        ::setenv("TWOFACTOR_SCAN_REPORT", report.c_str(), 1);
    }
    ~scanned_runs() {
        ::unsetenv("TWOFACTOR_SCAN_NEEDLES");
        ::unsetenv("TWOFACTOR_SCAN_REPORT");
    }
    scanned_runs(const scanned_runs&) = delete;
    scanned_runs& operator=(const scanned_runs&) = delete;

    // Calls `start` (which starts the process to scan) with the scanner preloaded and a fresh
    // report; the environment of this process is put back before it returns.
    template <class Start>
    auto preloaded(Start start) {
        fs::remove(report);
        ::setenv("LD_PRELOAD", TWOFACTOR_TEST_FREED_MEMORY_SCANNER, 1);
        auto started = start();
        ::unsetenv("LD_PRELOAD");
        return started;
    }

    // Runs `program` with the scanner preloaded; returns the findings (empty when clean), with
    // the needles named.
    std::string run(const std::string& program, const std::vector<std::string>& args, std::string_view input,
                    int expected_status = 0) {
        const auto output =
            preloaded([&] { return twofactor_test::run_process_with_input(program, args, input); });
        BOOST_TEST(output.status == expected_status, command_line(program, args) << ": " << output.err);
        return findings(command_line(program, args));
    }

    // What the scan of `command` found (empty when clean), with the needles named.
    std::string findings(const std::string& command) const {
        // The scanner creates the report when it loads: no file, no scan.
        BOOST_TEST(fs::exists(report), command << ": the scanner did not run in it (no report file)");
        std::string found = read_file(report);
        for (std::size_t n = 0; n < names.size(); ++n) {
            const std::string tag = "needle " + std::to_string(n) + " ";
            for (std::size_t at = found.find(tag); at != std::string::npos; at = found.find(tag, at + 1))
                found.replace(at, tag.size(), "[" + names[n] + "] ");
        }
        return found.empty() ? found : command + ":\n" + found;
    }

    static std::string command_line(const std::string& program, const std::vector<std::string>& args) {
        std::string command = program;
        for (const auto& a : args) command += " " + a;
        return command;
    }

    std::string tool(const std::vector<std::string>& args, std::string_view input = "",
                     int expected_status = 0) {
        return run(twofactor_test::cli_path(), args, input, expected_status);
    }
};

// The forms a secret takes in the tool, as needles.
std::vector<std::pair<std::string, std::string>> secret_forms(
    const std::vector<std::string>& backup_codes = {}) {
    std::vector<std::pair<std::string, std::string>> needles{
        {"base32 secret", std::string(secret_base32.substr(0, 16))},
        {"lowercase base32 secret", "gezdgnbvgy3tqojq"},
        {"otpauth URI", "otpauth://"},
        {"URI secret parameter", "secret=GEZDGNBV"},
        {"terminal QR code", "\xE2\x96\x80\xE2\x96\x80"},
        {"SVG QR code", "<svg "},
        {"PNG QR code", "\x89PNG"},
        {"PBM QR code", "P4\n"},
        {"state file", "twofactor-account 1"},
    };
    for (const auto& code : backup_codes) needles.emplace_back("backup code", code);
    return needles;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_scanner_reports_a_freed_copy) {
    scanned_runs scan(std::vector<std::pair<std::string, std::string>>{{"marker", "otpauth://marker"}});
    const std::string findings =
        scan.run(TWOFACTOR_TEST_FREED_MEMORY_CONTROL, {"otpauth://marker and more"}, "");
    BOOST_TEST(findings.find("[marker] in a freed block") != std::string::npos, findings);
    BOOST_TEST(scan.run(TWOFACTOR_TEST_FREED_MEMORY_CONTROL, {"nothing to see"}, "").empty());
}

BOOST_AUTO_TEST_CASE(uri_qr_and_import_leave_no_copy) {
    scanned_runs scan(secret_forms());
    const std::string uri = "otpauth://totp/ACME:alice?secret=" + std::string(secret_base32) + "&issuer=ACME";
    std::string findings;
    findings +=
        scan.tool({"uri", "--secret", std::string(secret_base32), "--issuer", "ACME", "--account", "alice"});
    findings += scan.tool({"code", "--secret", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", "--time", "59"});
    for (const char* format : {"utf8", "svg", "png", "pbm"})
        findings += scan.tool({"qr", "--format", format, uri});
    findings += scan.tool({"qr", "--out", scan.folder.file("code.svg"), uri});
    findings += scan.tool({"qr", "--out", scan.folder.file("code.png"), uri});
    findings += scan.tool({"import", uri});
    findings += scan.tool({"import", "-"}, uri + "\n" + uri + "\n");
    std::string too_many;
    for (int i = 0; i < 65; ++i) too_many += uri + "\n";
    findings += scan.tool({"import", "-"}, too_many, 2);
    // A secret given to the wrong option is neither echoed nor left behind.
    findings += scan.tool(
        {"code", "--secret", std::string(secret_base32), "--counter", std::string(secret_base32)}, "", 2);
    BOOST_TEST(findings.empty(), findings);
}

BOOST_AUTO_TEST_CASE(account_commands_leave_no_copy) {
    // An account with the RFC key and 10 backup codes (minimum PBKDF2 cost, for speed).
    const auto key = twofactor::secret::from_base32(secret_base32);
    BOOST_REQUIRE(key.has_value());
    const auto uri = twofactor::otpauth_uri::make("ACME Co", "alice@example.com", *key);
    BOOST_REQUIRE(uri.has_value());
    const auto fresh = twofactor::backup_code_set<10>::generate(twofactor::min_backup_code_iterations);
    BOOST_REQUIRE(fresh.has_value());
    const auto record = record_type::create(*uri, fresh->set);
    BOOST_REQUIRE(record.has_value());
    std::vector<std::string> plain;
    for (const auto& code : fresh->codes) {
        const auto grouped = code.reveal_grouped();
        plain.emplace_back(grouped.data(), grouped.size());
    }

    scanned_runs scan(secret_forms(plain));
    const std::string state = scan.folder.file("account.txt");
    const std::string codes_file = scan.folder.file("codes.txt");
    write_file(state, record->serialize());
    // A previous download larger than the 4 KiB a read starts with, so that reading it grows.
    std::string previous;
    while (previous.size() < 6000) previous += plain[0] + " " + plain[1] + "\n";
    write_file(codes_file, previous);
    const std::string time = std::to_string(now);

    std::string findings;
    findings += scan.tool({"backup-codes", "--state", state});
    findings += scan.tool({"login", "--state", state, "--time", time}, code_at(now) + "\n");
    findings += scan.tool({"login", "--state", state, "--time", std::to_string(now + 60)}, plain[2] + "\n");
    findings += scan.tool({"login", "--state", state, "--time", std::to_string(now + 90)}, "000000\n", 1);
    findings += scan.tool({"backup-codes", "--regenerate", "--state", state, "--backup-codes", codes_file,
                           "--time", std::to_string(now + 120)},
                          code_at(now + 120) + "\n");
    findings += scan.tool({"disable", "--state", state, "--time", std::to_string(now + 150)},
                          code_at(now + 150) + "\n");
    BOOST_TEST(findings.empty(), findings);
    BOOST_TEST(!fs::exists(state));  // the commands did run: disable removed the account
}

BOOST_AUTO_TEST_CASE(enroll_leaves_no_copy) {
    // The wizard draws its secret at random, so the needles are the forms any secret takes here:
    // the URI, the QR code on page 1, the state file, and the download's heading (the plain
    // backup codes are in it).
    auto needles = secret_forms();
    needles.emplace_back("backup codes download", "Backup codes for ACME Co");
    scanned_runs scan(needles);
    const std::string state = scan.folder.file("account.txt");
    const std::string codes_file = scan.folder.file("codes.txt");
    const std::vector<std::string> args{
        "enroll", "--issuer",       "ACME Co",  "--account", "alice@example.com", "--state",
        state,    "--backup-codes", codes_file, "--time",    std::to_string(now)};
    auto wizard = scan.preloaded([&] {
        return std::make_unique<twofactor_test::interactive_process>(twofactor_test::cli_path(), args,
                                                                     twofactor_test::console::pipes);
    });
    // Page 1 with its QR code; the setup code ("s"); Next; the code; Finish.
    wizard->require("Press Enter for Next");
    BOOST_REQUIRE(wizard->send_line("s"));
    const auto setup_code = wizard->require("Setup code: ([A-Z2-7 ]+)\r?\n");
    std::string secret;
    for (const char c : setup_code.groups[1])
        if (c != ' ') secret += c;
    BOOST_REQUIRE(wizard->send_line(""));
    wizard->require("Step 2 of 3");
    BOOST_REQUIRE(wizard->send_line(code_at(now, secret)));
    wizard->require("Press Enter to Finish");
    BOOST_REQUIRE(wizard->send_line(""));
    wizard->require("You have successfully configured two-factor authentication");
    BOOST_TEST(wizard->wait_exit() == 0, wizard->transcript());
    BOOST_TEST(fs::exists(state));
    BOOST_TEST(fs::exists(codes_file));
    const std::string findings = scan.findings(scanned_runs::command_line(twofactor_test::cli_path(), args));
    BOOST_TEST(findings.empty(), findings);
}
