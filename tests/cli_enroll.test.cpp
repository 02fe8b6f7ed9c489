// Tests of `twofactor enroll` (tools/twofactor/enroll_command.cpp), the seed's 2FA setup wizard
// in a terminal, driven as a user would drive it: through pipes (a script) and through a
// pseudo-terminal (a person), with tests/support/interactive_process.hpp. Each test works in a
// fresh temporary folder.
//
// The flow (DESIGN.md, "Command-line tool"; the seed's "Setting up two-factor authentication"):
// page 1 shows the QR code, "s" reveals the setup code, Enter is Next; page 2 verifies a
// six-digit code from the app (5 wrong codes abort); page 3 shows the 10 backup codes and
// writes the "Download" (--backup-codes FILE); Enter is Finish, which writes the state file.
// "cancel" or end of input at any page changes nothing; an existing state file is reconfigured
// and keeps working until Finish.
//
// The codes typed into the wizard are computed by an independent implementation, oathtool
// (Debian package oathtool, installed by tools/install-deps.sh), from the setup code read off
// the screen, and cross-checked against the library. --time fixes the clock of the wizard and
// of `twofactor login`, so that a login can use a later time step than the setup did (the
// setup's step is never accepted again).
#include <boost/test/unit_test.hpp>

#include <twofactor/account.hpp>
#include <twofactor/backup_codes.hpp>
#include <twofactor/otpauth_uri.hpp>
#include <twofactor/secret.hpp>
#include <twofactor/totp.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/interactive_process.hpp"
#include "support/process.hpp"
#include "support/temp_folder.hpp"

namespace {

using twofactor_test::console;
using twofactor_test::expect_match;
using twofactor_test::folder_listing;
using twofactor_test::interactive_process;
using twofactor_test::output_stream;
using record_type = twofactor::account_record<10>;

constexpr std::string_view issuer = "ACME Co";
constexpr std::string_view account = "alice@example.com";

// 2030-03-17T17:46:40Z, 10 s into time step 63333333. Logins use later steps.
constexpr std::int64_t enroll_time = 1'900'000'000;
constexpr std::int64_t step_seconds = 30;

// ---- Files ----------------------------------------------------------------------------------

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Writes `contents` to `path` with exactly `mode` (whatever the umask).
void write_file(const std::string& path, std::string_view contents, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    BOOST_REQUIRE_MESSAGE(fd >= 0, "cannot create " << path);
    std::size_t done = 0;
    while (done < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        BOOST_REQUIRE_MESSAGE(n > 0, "cannot write " << path);
        done += static_cast<std::size_t>(n);
    }
    BOOST_REQUIRE(::close(fd) == 0);
    BOOST_REQUIRE(::chmod(path.c_str(), mode) == 0);
}

bool path_exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

unsigned mode_of(const std::string& path) {
    struct stat st {};
    BOOST_REQUIRE_MESSAGE(::lstat(path.c_str(), &st) == 0, "cannot examine " << path);
    return static_cast<unsigned>(st.st_mode) & 07777U;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : " ") + name;
    return "[" + text + "]";
}

// A file as a command could change it: existence, contents, mode, inode, modification time.
struct file_snapshot {
    bool exists = false;
    std::string contents;
    struct stat status {};
};

file_snapshot snapshot(const std::string& path) {
    file_snapshot s;
    s.exists = ::lstat(path.c_str(), &s.status) == 0;
    if (s.exists && S_ISREG(s.status.st_mode)) s.contents = read_file(path);
    return s;
}

// What differs, or "" (never the contents: they hold a secret).
std::string differences(const file_snapshot& before, const file_snapshot& after) {
    std::string found;
    const auto note = [&](bool differs, std::string_view what) {
        if (differs) found += std::string(found.empty() ? "" : ", ") + std::string(what);
    };
    note(before.exists != after.exists, "existence");
    note(before.contents != after.contents, "contents");
    note(before.status.st_ino != after.status.st_ino, "inode (replaced)");
    note(before.status.st_mode != after.status.st_mode, "mode");
    note(before.status.st_mtim.tv_sec != after.status.st_mtim.tv_sec ||
             before.status.st_mtim.tv_nsec != after.status.st_mtim.tv_nsec,
         "mtime");
    return found;
}

// ---- Codes ----------------------------------------------------------------------------------

bool is_base32_secret(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
    });
}

// The library's 6-digit SHA-1 code of a base32 secret at a Unix time.
std::string library_code(const std::string& secret_base32, std::int64_t unix_time) {
    const auto key = twofactor::secret::from_base32(secret_base32);
    BOOST_REQUIRE(key.has_value());
    const twofactor::dynamic_totp<twofactor::sha1, 6> generator{
        key->reveal_bytes(), twofactor::time_step{std::chrono::seconds{step_seconds}}};
    const auto code = generator.code_at(std::chrono::sys_seconds{std::chrono::seconds{unix_time}});
    BOOST_REQUIRE(code.has_value());
    return std::string(code->view());
}

// oathtool's code for a base32 secret, at a Unix time or (nullopt) now. The secret goes through
// standard input, not the command line. Checked against the library at a fixed time.
std::string oathtool_code(const std::string& secret_base32, std::optional<std::int64_t> unix_time) {
    BOOST_REQUIRE_MESSAGE(twofactor_test::run_shell("command -v oathtool >/dev/null 2>&1").status == 0,
                          "oathtool is not installed (Debian package oathtool: run tools/install-deps.sh)");
    BOOST_REQUIRE_MESSAGE(is_base32_secret(secret_base32), "not a base32 secret: " << secret_base32);
    std::string command = "echo " + secret_base32 + " | oathtool --totp=SHA1 -b";
    if (unix_time) command += " -N @" + std::to_string(*unix_time);
    command += " -";
    auto result = twofactor_test::run_shell(command);
    BOOST_REQUIRE_MESSAGE(result.status == 0, "oathtool failed: " << result.status);
    while (!result.out.empty() && (result.out.back() == '\n' || result.out.back() == '\r'))
        result.out.pop_back();
    BOOST_REQUIRE_MESSAGE(result.out.size() == 6 && std::all_of(result.out.begin(), result.out.end(),
                                                                [](char c) { return c >= '0' && c <= '9'; }),
                          "oathtool printed \"" << result.out << '"');
    if (unix_time) BOOST_TEST(result.out == library_code(secret_base32, *unix_time));
    return result.out;
}

// A well-formed code that the wizard's window (±1 step) around `unix_time` does not accept.
std::string wrong_code(const std::string& secret_base32, std::int64_t unix_time) {
    const std::set<std::string> accepted{library_code(secret_base32, unix_time - step_seconds),
                                         library_code(secret_base32, unix_time),
                                         library_code(secret_base32, unix_time + step_seconds)};
    for (const char digit : std::string_view("0123456789")) {
        std::string candidate(6, digit);
        if (accepted.count(candidate) == 0) return candidate;
    }
    BOOST_FAIL("no wrong code found");
    return {};
}

// An existing account (for reconfiguration) with the RFC 6238 key: its text form, with 10 backup
// codes at the minimum PBKDF2 cost so that making it is fast.
constexpr std::string_view existing_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

std::string existing_account_text() {
    const auto key = twofactor::secret::from_base32(existing_secret);
    BOOST_REQUIRE(key.has_value());
    const auto uri = twofactor::otpauth_uri::make(issuer, account, *key);
    BOOST_REQUIRE(uri.has_value());
    const auto fresh = twofactor::backup_code_set<10>::generate(twofactor::min_backup_code_iterations);
    BOOST_REQUIRE(fresh.has_value());
    const auto record = record_type::create(*uri, fresh->set);
    BOOST_REQUIRE(record.has_value());
    return record->serialize();
}

record_type parse_state(const std::string& path) {
    auto record = record_type::parse(read_file(path));
    if (!record) {
        BOOST_FAIL("the state file does not parse: " << twofactor::describe(record.error().code) << " (line "
                                                     << record.error().line << ")");
    }
    return std::move(*record);
}

std::string secret_of(const record_type& record) {
    std::array<char, twofactor::secret::max_base32_size> text{};
    const auto size = record.enrollment().key().reveal_base32(text);
    BOOST_REQUIRE(size.has_value());
    return std::string(text.data(), *size);
}

// The numbered backup codes in `text` ("   1. 7KQ4-XR2P-DM9A" on screen, " 1. ..." in the
// download), in order; the numbers must run 1..10.
std::vector<std::string> numbered_backup_codes(const std::string& text) {
    static const std::regex line(
        "\n *([0-9]+)\\. ([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})(?=\r?\n)");
    std::vector<std::string> codes;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator(); ++it) {
        BOOST_TEST((*it)[1].str() == std::to_string(codes.size() + 1));
        codes.push_back((*it)[2].str());
    }
    return codes;
}

// ---- Running the tool -----------------------------------------------------------------------

std::vector<std::string> enroll_args(const std::string& state, std::optional<std::int64_t> unix_time,
                                     std::optional<std::string> backup_codes_file = std::nullopt,
                                     bool names = true) {
    std::vector<std::string> args{"enroll"};
    if (names) args.insert(args.end(), {"--issuer", std::string(issuer), "--account", std::string(account)});
    args.insert(args.end(), {"--state", state});
    if (backup_codes_file) args.insert(args.end(), {"--backup-codes", *backup_codes_file});
    if (unix_time) args.insert(args.end(), {"--time", std::to_string(*unix_time)});
    return args;
}

// `twofactor login --state STATE --time T` with `typed` as the line the user types.
twofactor_test::process_output login(const std::string& state, std::int64_t unix_time,
                                     const std::string& typed) {
    return twofactor_test::run_process_with_input(
        twofactor_test::cli_path(), {"login", "--state", state, "--time", std::to_string(unix_time)},
        typed + "\n");
}

// The wizard's pages as regular expressions (a terminal ends lines with "\r\n").
const std::string first_page_end = "Press Enter for Next \\(or type \"cancel\"\\)\\.\r?\n";
const std::string second_page = "Step 2 of 3: Verify Authentication Setup\r?\n";
const std::string code_prompt = "Enter the six-digit code generated by your authenticator app: ";
const std::string third_page_end = "Press Enter to Finish \\(or type \"cancel\"\\)\\.\r?\n";
const std::string finished = "You have successfully configured two-factor authentication: state saved to ";
const std::string setup_code_line = "Setup code: ([A-Z2-7 ]+)\r?\n";
const std::string confirmation_request =
    "First confirm it is you with a code from your authenticator app or a backup code\\.\r?\n";

// `twofactor enroll` driven page by page; every wait fails the test, with what was on the
// screen, when the expected output does not come.
class wizard_driver {
public:
    wizard_driver(const std::vector<std::string>& args, console how)
        : process_(twofactor_test::cli_path(), args, how) {}

    interactive_process& process() noexcept { return process_; }

    expect_match require(const std::string& pattern, output_stream stream = output_stream::out) {
        return process_.require(pattern, stream);
    }

    void send_line(std::string_view line) {
        BOOST_REQUIRE_MESSAGE(process_.send_line(line),
                              "the wizard stopped reading" << process_.transcript());
    }

    // Waits for the end of page 1 (once); returns what it showed.
    const expect_match& first_page() {
        if (!first_page_) first_page_ = require(first_page_end);
        return *first_page_;
    }

    // Page 1: "s"; returns the setup code without its spaces, after checking it is shown in
    // groups of four.
    std::string reveal_setup_code() {
        (void)first_page();
        send_line("s");
        const auto shown = require(setup_code_line);
        const std::string grouped = shown.groups[1];
        BOOST_TEST(std::regex_match(grouped, std::regex("[A-Z2-7]{4}( [A-Z2-7]{4})*")), grouped);
        std::string secret;
        for (const char c : grouped)
            if (c != ' ') secret += c;
        BOOST_TEST(secret.size() == 32U, "a 20-byte SHA-1 secret is 32 base32 characters: " << grouped);
        return secret;
    }

    // Reconfiguring: the code or backup code that confirms the current second factor, before
    // page 1; returns what was shown up to the confirmation.
    expect_match confirm(const std::string& code) {
        auto asked = require(confirmation_request);
        send_line(code);
        require("Confirmed: ");
        return asked;
    }

    // Page 1 -> page 2.
    void next() {
        send_line("");
        require(second_page);
    }

    // Page 2 -> page 3: types `code`; returns the backup codes shown (checked: 10, distinct).
    std::vector<std::string> verify(const std::string& code) {
        send_line(code);
        const auto page = require(third_page_end);
        BOOST_TEST(page.before.find("Step 3 of 3: your 10 backup codes.") != std::string::npos);
        auto codes = numbered_backup_codes(page.before);
        BOOST_TEST(codes.size() == 10U);
        BOOST_TEST(std::set<std::string>(codes.begin(), codes.end()).size() == codes.size());
        return codes;
    }

    // Page 3: Finish; the wizard must end with exit 0.
    void finish() {
        send_line("");
        require(finished);
        const int status = process_.wait_exit();
        BOOST_TEST(status == 0, "exit status " << status << process_.transcript());
    }

    int wait_exit() { return process_.wait_exit(); }

private:
    interactive_process process_;
    std::optional<expect_match> first_page_;
};

// What a completed enrollment left: the secret and the backup codes shown.
struct enrollment {
    std::string secret;
    std::vector<std::string> backup_codes;
};

// A whole enrollment through a pipe at `unix_time`, with oathtool's code.
enrollment enroll_through_pipe(const std::vector<std::string>& args, std::int64_t unix_time) {
    wizard_driver wizard(args, console::pipes);
    enrollment done;
    done.secret = wizard.reveal_setup_code();
    wizard.next();
    done.backup_codes = wizard.verify(oathtool_code(done.secret, unix_time));
    wizard.finish();
    return done;
}

// Checks that no form of a base32 secret is in `text`: no setup code (groups of four), no
// run of 32 base32 characters, no otpauth:// URI.
void check_no_secret_shown(const std::string& text, std::string_view where) {
    BOOST_TEST(!std::regex_search(text, std::regex("[A-Z2-7]{4}( [A-Z2-7]{4}){7}")),
               where << " shows a setup code");
    BOOST_TEST(!std::regex_search(text, std::regex("[A-Z2-7]{32}")), where << " shows a base32 secret");
    BOOST_TEST(text.find("otpauth") == std::string::npos, where << " shows the URI");
    BOOST_TEST(text.find("secret=") == std::string::npos, where << " shows the URI");
}

}  // namespace

// ---- End to end -----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(end_to_end)

// Through pipes: the setup code read off the screen, oathtool's code, Finish; the state file
// and the download are right, and `twofactor login` accepts a fresh code and a backup code once.
BOOST_AUTO_TEST_CASE(through_a_pipe_with_oathtool_then_login) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    const std::string download = folder.file("backup-codes.txt");
    wizard_driver wizard(enroll_args(state, enroll_time, download), console::pipes);

    const auto& intro = wizard.first_page();
    BOOST_TEST(intro.before.find("Two-factor Authentication for alice@example.com (ACME Co)") !=
               std::string::npos);
    BOOST_TEST(intro.before.find("Step 1 of 3: scan this QR code") != std::string::npos);
    BOOST_TEST(intro.before.find("\u2588") != std::string::npos, "a QR code of UTF-8 block characters");
    BOOST_TEST(intro.before.find("Type \"s\"") != std::string::npos);
    const std::size_t before_setup_code = wizard.process().out().size();
    wizard.send_line("s");
    const auto shown = wizard.require(setup_code_line);
    std::string secret;
    for (const char c : shown.groups[1])
        if (c != ' ') secret += c;
    BOOST_REQUIRE(secret.size() == 32U);
    BOOST_TEST(wizard.process().out().find("(time-based, SHA1, 6 digits, 30 seconds") != std::string::npos);

    wizard.next();
    BOOST_TEST(!path_exists(state), "nothing is written before Finish");
    const std::string code = oathtool_code(secret, enroll_time);
    const auto codes = wizard.verify(code);
    BOOST_TEST(std::regex_search(wizard.process().out(),
                                 std::regex("When you Finish, they are saved to \"[^\"]+\" \\(mode 0600\\)")),
               wizard.process().transcript());
    BOOST_TEST(!path_exists(state), "nothing is written before Finish");
    wizard.finish();
    BOOST_TEST(
        std::regex_search(wizard.process().out(), std::regex("Downloaded to \"[^\"]+\" \\(mode 0600\\)\\.")),
        wizard.process().transcript());

    // The secret was on the screen only once asked for, and only as the setup code.
    const std::string& out = wizard.process().out();
    check_no_secret_shown(out.substr(0, before_setup_code), "page 1 before \"s\"");
    BOOST_TEST(out.find(secret) == std::string::npos, "the secret ungrouped");
    BOOST_TEST(out.find(shown.groups[1]) == out.rfind(shown.groups[1]), "the setup code shown once");
    check_no_secret_shown(wizard.process().err(), "standard error");
    // No prompts when standard input is not a terminal: just the pages.
    BOOST_TEST(wizard.process().err().find(code_prompt) == std::string::npos, wizard.process().err());
    BOOST_TEST(out.find(code_prompt) == std::string::npos);

    // The state file: mode 0600, the account with the secret shown, the setup's step used.
    BOOST_TEST(mode_of(state) == 0600U);
    const record_type record = parse_state(state);
    BOOST_TEST(record.enrollment().issuer() == issuer);
    BOOST_TEST(record.enrollment().account() == account);
    BOOST_TEST(secret_of(record) == secret);
    BOOST_TEST(record.enrollment().digits() == 6U);
    BOOST_TEST(record.enrollment().period() == 30U);
    BOOST_REQUIRE(record.last_accepted_step().has_value());
    BOOST_TEST(*record.last_accepted_step() == static_cast<std::uint64_t>(enroll_time / step_seconds));
    BOOST_TEST(record.backup_codes().remaining() == 10U);
    BOOST_TEST(record.consecutive_failures() == 0U);

    // The download: mode 0600, the 10 codes shown, for this account, dated --time's day.
    BOOST_TEST(mode_of(download) == 0600U);
    const std::string downloaded = read_file(download);
    BOOST_TEST(numbered_backup_codes("\n" + downloaded) == codes);
    BOOST_TEST(downloaded.find("Backup codes for ACME Co (alice@example.com)") == 0U, downloaded);
    BOOST_TEST(downloaded.find("Generated 2030-03-17") != std::string::npos, downloaded);
    BOOST_TEST(folder_listing(folder.path()) == (std::vector<std::string>{"backup-codes.txt", "state.txt"}));

    // The code that confirmed the setup does not sign in; a fresh code does, once.
    auto r = login(state, enroll_time, code);
    BOOST_TEST(r.status == 1, r);
    const std::int64_t later = enroll_time + step_seconds;
    const std::string fresh = oathtool_code(secret, later);
    r = login(state, later, fresh);
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out.find("code accepted") != std::string::npos, r.out);
    r = login(state, later, fresh);
    BOOST_TEST(r.status == 1, r);

    // A downloaded backup code signs in once.
    r = login(state, later + step_seconds, codes[3]);
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out.find("backup code accepted; 9 of 10 left") != std::string::npos, r.out);
    r = login(state, later + 2 * step_seconds, codes[3]);
    BOOST_TEST(r.status == 1, r);
    BOOST_TEST(parse_state(state).backup_codes().remaining() == 9U);
}

// Through a pseudo-terminal, on the real clock: the prompts appear (on the terminal, as
// standard input is one), typed answers are echoed, and the run finishes with exit 0.
BOOST_AUTO_TEST_CASE(in_a_terminal_on_the_real_clock) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    wizard_driver wizard(enroll_args(state, std::nullopt, folder.file("codes.txt")), console::terminal);
    BOOST_REQUIRE(wizard.process().is_terminal());

    (void)wizard.first_page();
    wizard.require("> ");  // the prompt: only when standard input is a terminal
    const std::size_t before_setup_code = wizard.process().out().size();
    wizard.send_line("s");
    wizard.require("s\r\n");  // the terminal echoes what is typed
    const auto shown = wizard.require(setup_code_line);
    check_no_secret_shown(wizard.process().out().substr(0, before_setup_code), "the terminal before \"s\"");
    std::string secret;
    for (const char c : shown.groups[1])
        if (c != ' ') secret += c;
    BOOST_REQUIRE(secret.size() == 32U);

    wizard.require("> ");
    wizard.next();
    wizard.require(code_prompt);
    const std::string code = oathtool_code(secret, std::nullopt);  // now: the wizard accepts ±1 step
    const auto codes = wizard.verify(code);
    wizard.require("> ");
    wizard.finish();

    BOOST_TEST(mode_of(state) == 0600U);
    BOOST_TEST(secret_of(parse_state(state)) == secret);
    BOOST_TEST(numbered_backup_codes("\n" + read_file(folder.file("codes.txt"))) == codes);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- The verification page --------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(verification)

// A wrong code keeps the page and says how many attempts are left; a malformed one costs no
// attempt; the right code then moves on.
BOOST_AUTO_TEST_CASE(a_wrong_code_keeps_the_step) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    wizard_driver wizard(enroll_args(state, enroll_time), console::pipes);
    const std::string secret = wizard.reveal_setup_code();
    wizard.next();
    const std::string wrong = wrong_code(secret, enroll_time);

    wizard.send_line("12 34");
    wizard.require("Type the 6 digits the app shows\\.\r?\n");
    wizard.send_line(wrong);
    wizard.require("That code is not right \\(4 attempts left\\)\\. Check the app shows \"ACME Co\"");
    for (const char* left : {"3 attempts", "2 attempts", "1 attempt"}) {
        wizard.send_line(wrong);
        wizard.require(std::string("That code is not right \\(") + left + " left\\)");
    }
    // A line ending in "\r\n" (typed on Windows, or a terminal in raw mode) is the same code.
    const auto codes = wizard.verify(oathtool_code(secret, enroll_time) + "\r");
    BOOST_TEST(codes.size() == 10U);
    wizard.finish();
    BOOST_TEST(secret_of(parse_state(state)) == secret);
}

// "b" on page 2 shows page 1 again (the same secret); Enter returns to page 2, where the wrong
// code typed before still counts.
BOOST_AUTO_TEST_CASE(back_shows_the_qr_code_again) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    wizard_driver wizard(enroll_args(state, enroll_time), console::pipes);
    const std::string secret = wizard.reveal_setup_code();
    wizard.next();
    wizard.send_line(wrong_code(secret, enroll_time));
    wizard.require("That code is not right \\(4 attempts left\\)");
    wizard.send_line("b");
    wizard.require("Step 1 of 3: scan this QR code");
    wizard.require(first_page_end);
    BOOST_TEST(wizard.reveal_setup_code() == secret);
    wizard.next();
    wizard.send_line(wrong_code(secret, enroll_time));
    wizard.require("That code is not right \\(3 attempts left\\)");
    const auto codes = wizard.verify(oathtool_code(secret, enroll_time));
    BOOST_TEST(codes.size() == 10U);
    wizard.finish();
    BOOST_TEST(secret_of(parse_state(state)) == secret);
}

// A line too long for any answer (a mistaken paste) is answered and asked again, on every
// page: the user may already have added the secret to their app.
BOOST_AUTO_TEST_CASE(an_overlong_line_is_asked_again) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    wizard_driver wizard(enroll_args(state, enroll_time), console::pipes);
    const std::string pasted(300, '7');
    (void)wizard.first_page();
    wizard.send_line(pasted);
    wizard.require("That line is too long for an answer\\. Try again\\.");
    const std::string secret = wizard.reveal_setup_code();
    wizard.next();
    wizard.send_line(pasted);
    wizard.require("That line is too long for an answer");
    wizard.send_line(wrong_code(secret, enroll_time));
    wizard.require("That code is not right \\(4 attempts left\\)");  // the long line was not one
    (void)wizard.verify(oathtool_code(secret, enroll_time));
    wizard.send_line(pasted);
    wizard.require("That line is too long for an answer");
    wizard.finish();
    BOOST_TEST(secret_of(parse_state(state)) == secret);
}

// The fifth wrong code ends the wizard: exit 1, "too many wrong codes", nothing written.
BOOST_AUTO_TEST_CASE(five_wrong_codes_abort) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    wizard_driver wizard(enroll_args(state, enroll_time, folder.file("codes.txt")), console::pipes);
    const std::string secret = wizard.reveal_setup_code();
    wizard.next();
    const std::string wrong = wrong_code(secret, enroll_time);
    for (int i = 0; i < 4; ++i) {
        wizard.send_line(wrong);
        wizard.require("That code is not right");
    }
    wizard.send_line(wrong);
    const int status = wizard.wait_exit();
    BOOST_TEST(status == 1, wizard.process().transcript());
    BOOST_TEST(wizard.process().err().find("too many wrong codes") != std::string::npos,
               wizard.process().transcript());
    BOOST_TEST(wizard.process().out().find("Step 3 of 3") == std::string::npos);
    BOOST_TEST(folder_listing(folder.path()).empty(), joined(folder_listing(folder.path())));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Cancelling -------------------------------------------------------------------------------

namespace {

enum class page { show_secret = 1, verify_setup = 2, backup_codes = 3 };

// How the user leaves: end of input (a closed pipe, Ctrl-D on a terminal), or a typed word.
struct way_out {
    console how;
    std::optional<std::string> typed;  // nullopt: end of input
};

std::ostream& operator<<(std::ostream& out, const way_out& w) {
    return out << (w.how == console::pipes ? "pipe, " : "terminal, ")
               << (w.typed ? "typing \"" + *w.typed + '"' : std::string("end of input"));
}

// Runs the wizard to `where` and leaves it `w`: exit 1, "nothing was changed", and the folder
// as it was once the wizard started (a reconfigured state file byte for byte as the confirming
// login left it, no new file).
void check_cancel(page where, const way_out& w, bool reconfigure) {
    BOOST_TEST_CONTEXT("page " << static_cast<int>(where) << ", " << w
                               << (reconfigure ? ", reconfiguring" : "")) {
        twofactor_test::temp_folder folder{"cli-enroll"};
        const std::string state = folder.file("state.txt");
        if (reconfigure) write_file(state, existing_account_text(), 0600);

        wizard_driver wizard(enroll_args(state, enroll_time), w.how);
        // The confirmation is a login, stored at once; the wizard itself changes nothing after it.
        if (reconfigure) wizard.confirm(library_code(std::string(existing_secret), enroll_time));
        const file_snapshot before = snapshot(state);
        const auto listing = folder_listing(folder.path());
        (void)wizard.first_page();
        if (where != page::show_secret) {
            const std::string secret = wizard.reveal_setup_code();
            wizard.next();
            if (where == page::backup_codes) wizard.verify(oathtool_code(secret, enroll_time));
        }
        if (w.typed)
            wizard.send_line(*w.typed);
        else
            wizard.process().close_input();
        const int status = wizard.wait_exit();
        BOOST_TEST(status == 1, wizard.process().transcript());
        const std::string& messages =
            w.how == console::pipes ? wizard.process().err() : wizard.process().out();
        BOOST_TEST(messages.find("setup cancelled, nothing was changed") != std::string::npos,
                   wizard.process().transcript());
        BOOST_TEST(wizard.process().out().find("successfully configured") == std::string::npos);
        BOOST_TEST(differences(before, snapshot(state)) == "");
        BOOST_TEST(folder_listing(folder.path()) == listing, joined(folder_listing(folder.path())));
    }
}

const std::vector<way_out> ways_out{
    {console::pipes, std::nullopt},
    {console::pipes, std::string("cancel")},
    {console::terminal, std::nullopt},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cancelling)

BOOST_AUTO_TEST_CASE(on_the_first_page) {
    for (const auto& w : ways_out)
        for (const bool reconfigure : {false, true}) check_cancel(page::show_secret, w, reconfigure);
    check_cancel(page::show_secret, {console::pipes, std::string("quit")}, false);
}

BOOST_AUTO_TEST_CASE(on_the_verification_page) {
    for (const auto& w : ways_out)
        for (const bool reconfigure : {false, true}) check_cancel(page::verify_setup, w, reconfigure);
    check_cancel(page::verify_setup, {console::terminal, std::string("cancel")}, true);
}

BOOST_AUTO_TEST_CASE(on_the_backup_codes_page) {
    for (const auto& w : ways_out)
        for (const bool reconfigure : {false, true}) check_cancel(page::backup_codes, w, reconfigure);
}

// Ctrl-C on a terminal: the signal ends the wizard and nothing is written.
BOOST_AUTO_TEST_CASE(ctrl_c_in_a_terminal) {
    for (const page where : {page::verify_setup, page::backup_codes}) {
        BOOST_TEST_CONTEXT("page " << static_cast<int>(where)) {
            twofactor_test::temp_folder folder{"cli-enroll"};
            const std::string state = folder.file("state.txt");
            write_file(state, existing_account_text(), 0600);
            wizard_driver wizard(enroll_args(state, enroll_time), console::terminal);
            wizard.confirm(library_code(std::string(existing_secret), enroll_time));
            const file_snapshot before = snapshot(state);
            const std::string secret = wizard.reveal_setup_code();
            wizard.next();
            if (where == page::backup_codes) wizard.verify(oathtool_code(secret, enroll_time));
            wizard.process().interrupt();
            const int status = wizard.wait_exit();
            BOOST_TEST(status == 128 + SIGINT, wizard.process().transcript());
            BOOST_TEST(differences(before, snapshot(state)) == "");
            BOOST_TEST(folder_listing(folder.path()) == std::vector<std::string>{"state.txt"});
        }
    }
}

// A reconfiguration confirmed with a backup code and then cancelled: the code stays used (it
// was a login), and the message says so rather than only "nothing was changed".
BOOST_AUTO_TEST_CASE(a_backup_code_that_confirmed_stays_used) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    const enrollment old = enroll_through_pipe(enroll_args(state, enroll_time), enroll_time);
    wizard_driver wizard(enroll_args(state, enroll_time), console::pipes);
    wizard.confirm(old.backup_codes[0]);
    (void)wizard.first_page();
    wizard.send_line("cancel");
    BOOST_TEST(wizard.wait_exit() == 1, wizard.process().transcript());
    BOOST_TEST(wizard.process().err().find("setup cancelled, nothing was changed (the backup code you "
                                           "confirmed with stays used: 9 of 10 left)") != std::string::npos,
               wizard.process().transcript());
    BOOST_TEST(secret_of(parse_state(state)) == old.secret);
    BOOST_TEST(login(state, enroll_time, old.backup_codes[0]).status == 1);
    BOOST_TEST(login(state, enroll_time, old.backup_codes[1]).status == 0);
}

// The "Download" happens when the backup codes are shown, before Finish. Cancelling afterwards
// must leave the download as it was ("nothing was changed"): no file of codes that never became
// valid, and after a cancelled reconfiguration, the previous download, whose codes still work.
BOOST_AUTO_TEST_CASE(after_the_download_the_download_is_as_it_was) {
    for (const bool reconfigure : {false, true}) {
        BOOST_TEST_CONTEXT((reconfigure ? "reconfiguring" : "a new enrollment")) {
            twofactor_test::temp_folder folder{"cli-enroll"};
            const std::string state = folder.file("state.txt");
            const std::string download = folder.file("codes.txt");
            if (reconfigure) {
                write_file(state, existing_account_text(), 0600);
                write_file(download, "the previous backup codes, still valid\n", 0600);
            }
            const file_snapshot before = snapshot(download);

            wizard_driver wizard(enroll_args(state, enroll_time, download), console::pipes);
            if (reconfigure) wizard.confirm(library_code(std::string(existing_secret), enroll_time));
            const std::string secret = wizard.reveal_setup_code();
            wizard.next();
            wizard.verify(oathtool_code(secret, enroll_time));
            wizard.send_line("cancel");
            BOOST_TEST(wizard.wait_exit() == 1, wizard.process().transcript());
            BOOST_TEST(differences(before, snapshot(download)) == "",
                       "the download now holds backup codes that never became valid");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Reconfiguring ------------------------------------------------------------------------------

namespace {

// The second factors that confirm two reconfigurations at once (none for new enrollments).
struct confirmations {
    std::string first;
    std::string second;
};

// Two wizards on `state` at once, both verified at `t`: the first Finish writes the file; the
// second is refused (exit 2, an error containing `refusal`) and leaves the first's record.
void check_first_finish_wins(const std::string& state, std::int64_t t, std::string_view refusal,
                             const std::optional<confirmations>& confirm = std::nullopt) {
    wizard_driver first(enroll_args(state, t), console::pipes);
    wizard_driver second(enroll_args(state, t), console::pipes);
    if (confirm) {
        first.confirm(confirm->first);
        second.confirm(confirm->second);
    }
    const std::string first_secret = first.reveal_setup_code();
    const std::string second_secret = second.reveal_setup_code();
    BOOST_TEST(first_secret != second_secret);
    first.next();
    second.next();
    first.verify(oathtool_code(first_secret, t));
    second.verify(oathtool_code(second_secret, t));
    first.finish();
    const file_snapshot written = snapshot(state);
    second.send_line("");
    BOOST_TEST(second.wait_exit() == 2, second.process().transcript());
    BOOST_TEST(second.process().err().find(refusal) != std::string::npos, second.process().transcript());
    BOOST_TEST(differences(written, snapshot(state)) == "");
    BOOST_TEST(secret_of(parse_state(state)) == first_secret);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reconfiguring)

// Enroll (A), then enroll again on the same state file (B): until Finish the file is A's, byte
// for byte; afterwards B's secret and backup codes sign in and A's do not.
BOOST_AUTO_TEST_CASE(replaces_the_secret_and_backup_codes_at_finish) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    const enrollment old =
        enroll_through_pipe(enroll_args(state, enroll_time, folder.file("a.txt")), enroll_time);
    const std::uint64_t old_revision = parse_state(state).revision();

    const std::int64_t again = enroll_time + 10 * step_seconds;
    // --issuer and --account may be left out (or must match).
    wizard_driver wizard(enroll_args(state, again, folder.file("b.txt"), false), console::pipes);
    const auto intro = wizard.confirm(oathtool_code(old.secret, again));
    BOOST_TEST(intro.before.find("Two-factor Authentication is on for alice@example.com (ACME Co)") !=
               std::string::npos);
    // The confirming login is stored like any other; from then on the file stays as it is.
    const file_snapshot confirmed = snapshot(state);
    BOOST_TEST(parse_state(state).revision() == old_revision + 1);
    const std::string secret = wizard.reveal_setup_code();
    BOOST_TEST(secret != old.secret);
    wizard.next();
    BOOST_TEST(differences(confirmed, snapshot(state)) == "");
    const auto codes = wizard.verify(oathtool_code(secret, again));
    BOOST_TEST(differences(confirmed, snapshot(state)) == "");
    wizard.finish();

    BOOST_TEST(mode_of(state) == 0600U);
    const record_type record = parse_state(state);
    BOOST_TEST(secret_of(record) == secret);
    BOOST_TEST(record.enrollment().issuer() == issuer);
    BOOST_TEST(record.enrollment().account() == account);
    BOOST_TEST(record.revision() == old_revision + 2);
    BOOST_TEST(numbered_backup_codes("\n" + read_file(folder.file("b.txt"))) == codes);

    const std::int64_t later = again + step_seconds;
    auto r = login(state, later, oathtool_code(old.secret, later));
    BOOST_TEST(r.status == 1, "the old secret after Finish: " << r);
    r = login(state, later, old.backup_codes[0]);
    BOOST_TEST(r.status == 1, "an old backup code after Finish: " << r);
    r = login(state, later, oathtool_code(secret, later));
    BOOST_TEST(r.status == 0, "the new secret: " << r);
    r = login(state, later + step_seconds, codes[0]);
    BOOST_TEST(r.status == 0, "a new backup code: " << r);
}

// "The current ones keep working until you Finish": while the wizard waits, the old secret and
// an old backup code still sign in against the file; Finish then still succeeds, and only the
// new secret works afterwards.
BOOST_AUTO_TEST_CASE(the_old_secret_keeps_working_until_finish) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    const enrollment old = enroll_through_pipe(enroll_args(state, enroll_time), enroll_time);

    const std::int64_t again = enroll_time + 10 * step_seconds;
    wizard_driver wizard(enroll_args(state, again), console::pipes);
    wizard.confirm(old.backup_codes[0]);
    const std::string secret = wizard.reveal_setup_code();
    wizard.next();
    auto r = login(state, again + step_seconds, oathtool_code(old.secret, again + step_seconds));
    BOOST_TEST(r.status == 0, "the old secret during the reconfiguration: " << r);
    const auto codes = wizard.verify(oathtool_code(secret, again));
    r = login(state, again + 2 * step_seconds, old.backup_codes[1]);
    BOOST_TEST(r.status == 0, "an old backup code during the reconfiguration: " << r);
    wizard.finish();

    BOOST_TEST(secret_of(parse_state(state)) == secret);
    const std::int64_t later = again + 3 * step_seconds;
    r = login(state, later, oathtool_code(old.secret, later));
    BOOST_TEST(r.status == 1, "the old secret after Finish: " << r);
    r = login(state, later, oathtool_code(secret, later));
    BOOST_TEST(r.status == 0, "the new secret after Finish: " << r);
}

// Two reconfigurations at once: the first Finish replaces the file, the second is refused (exit
// 2) and leaves the first's record in place.
BOOST_AUTO_TEST_CASE(two_reconfigurations_at_once_the_first_finish_wins) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    const enrollment old = enroll_through_pipe(enroll_args(state, enroll_time), enroll_time);
    const std::int64_t again = enroll_time + 10 * step_seconds;
    check_first_finish_wins(state, again, "was set up again while this command ran",
                            confirmations{oathtool_code(old.secret, again), old.backup_codes[0]});
}

// Changing the second factor takes the second factor: a wrong, replayed or missing code, or a
// lockout, stops the reconfiguration before a new secret is shown. A wrong code counts towards
// the lockout like any login.
BOOST_AUTO_TEST_CASE(reconfiguring_takes_the_current_second_factor) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    const enrollment old = enroll_through_pipe(enroll_args(state, enroll_time), enroll_time);
    const std::int64_t again = enroll_time + 10 * step_seconds;

    const auto refused = [&](const std::string& typed, int status, std::string_view message) {
        BOOST_TEST_CONTEXT("typing \"" << typed << '"') {
            const auto r = twofactor_test::run_process_with_input(twofactor_test::cli_path(),
                                                                  enroll_args(state, again), typed);
            BOOST_TEST(r.status == status, r);
            BOOST_TEST(r.err.find(message) != std::string::npos, r);
            BOOST_TEST(r.out.find("Step 1 of 3") == std::string::npos, r);
            BOOST_TEST(secret_of(parse_state(state)) == old.secret);
        }
    };
    // End of input: nothing typed, nothing changed.
    const file_snapshot enrolled = snapshot(state);
    refused("", 2, "no code given");
    BOOST_TEST(differences(enrolled, snapshot(state)) == "");
    // A code already used to sign in: a replay.
    const std::string code = oathtool_code(old.secret, again);
    BOOST_TEST(login(state, again, code).status == 0);
    refused(code + "\n", 1, "already used");
    // Failures count as at login: with the replay, 5 are free and the 6th locks the account;
    // then even a right code is not checked.
    for (int failure = 0; failure < 5; ++failure)
        refused(wrong_code(old.secret, again) + "\n", 1, "rejected: wrong code");
    BOOST_TEST(parse_state(state).consecutive_failures() == 6U);
    refused(oathtool_code(old.secret, again + step_seconds) + "\n", 1, "locked out until");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Bad input ----------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(bad_input)

namespace {

twofactor_test::process_output run_enroll(const std::vector<std::string>& args) {
    std::vector<std::string> all{"enroll"};
    all.insert(all.end(), args.begin(), args.end());
    return twofactor_test::run_process(twofactor_test::cli_path(), all);
}

}  // namespace

BOOST_AUTO_TEST_CASE(help) {
    const auto r = run_enroll({"--help"});
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out.find("usage: twofactor enroll --issuer I --account A") == 0U, r.out);
    for (const char* option : {"--issuer", "--account", "--state", "--backup-codes", "--time"})
        BOOST_TEST(r.out.find(option) != std::string::npos, option);
}

// Refused before the wizard starts: exit 2, a one-line error, no file.
BOOST_AUTO_TEST_CASE(bad_arguments_for_a_new_enrollment) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--account", "alice@example.com", "--state", state}, "missing required option --issuer"},
        {{"--issuer", "ACME Co", "--state", state}, "missing required option --account"},
        {{"--issuer", "ACME Co", "--account", "alice:bob", "--state", state}, "--issuer/--account"},
        {{"--issuer", "ACME:Co", "--account", "alice", "--state", state}, "--issuer/--account"},
        {{"--issuer", "ACME Co", "--account", "", "--state", state}, "--issuer/--account"},
        {{"--issuer", "", "--account", "alice", "--state", state}, "--issuer: empty"},
        {{"--issuer", "ACME Co", "--account", "alice", "--state", folder.file("missing/state.txt")},
         "--state: "},
        {{"--issuer", "ACME Co", "--account", "alice", "--state", folder.path().string()}, "is a folder"},
        {{"--issuer", "ACME Co", "--account", "alice", "--state", state, "--backup-codes",
          folder.file("missing/codes.txt")},
         "--backup-codes: "},
        {{"--issuer", "ACME Co", "--account", "alice", "--state", state, "--time", "soon"}, "--time"},
        {{"--issuer", "ACME Co", "--account", "alice", "--state", state, "--colour"}, "--colour"},
        {{"--issuer", "ACME Co", "--account", "alice", "--state", state, "extra"}, "unexpected argument"},
    };
    for (const auto& [args, message] : cases) {
        BOOST_TEST_CONTEXT(joined(args)) {
            const auto r = run_enroll(args);
            BOOST_TEST(r.status == 2, r);
            BOOST_TEST(r.err.find(message) != std::string::npos, r.err);
            BOOST_TEST(r.err.find("twofactor: error: ") == 0U, r.err);
            BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r.err);
            BOOST_TEST(r.out.find("Step 1 of 3") == std::string::npos);
            BOOST_TEST(folder_listing(folder.path()).empty(), joined(folder_listing(folder.path())));
        }
    }
}

// An existing state file that cannot be reconfigured is left exactly as it was.
BOOST_AUTO_TEST_CASE(an_unusable_state_file_is_not_touched) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    const std::string valid = existing_account_text();
    struct bad_state {
        std::string contents;
        mode_t mode;
        std::vector<std::string> names;
        std::string message;
    };
    const std::vector<bad_state> cases{
        {"twofactor-account 1\nthis is not a record\n",
         0600,
         {"--issuer", "ACME Co", "--account", "alice"},
         "corrupt"},
        {valid.substr(0, valid.size() / 2), 0600, {}, "corrupt"},
        {valid, 0644, {}, "chmod"},
        {valid, 0640, {"--issuer", "ACME Co", "--account", "alice@example.com"}, "chmod"},
        {valid, 0600, {"--issuer", "Other Co"}, "must match"},
        {valid, 0600, {"--account", "bob@example.com"}, "must match"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("mode " << std::oct << c.mode << std::dec << ", " << joined(c.names)
                                   << ", expecting \"" << c.message << '"') {
            std::filesystem::remove(state);
            write_file(state, c.contents, c.mode);
            const file_snapshot before = snapshot(state);
            std::vector<std::string> args = c.names;
            args.insert(args.end(), {"--state", state});
            const auto r = run_enroll(args);
            BOOST_TEST(r.status == 2, r);
            BOOST_TEST(r.err.find(c.message) != std::string::npos, r.err);
            BOOST_TEST(r.out.find("Step 1 of 3") == std::string::npos, r.out);
            BOOST_TEST(differences(before, snapshot(state)) == "");
            BOOST_TEST(folder_listing(folder.path()) == std::vector<std::string>{"state.txt"});
        }
    }
}

// --backup-codes naming the state file itself: the download must not replace the account
// (a reconfiguration would otherwise lose the working record before Finish).
BOOST_AUTO_TEST_CASE(a_download_onto_the_state_file) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    write_file(state, existing_account_text(), 0600);
    const file_snapshot before = snapshot(state);
    wizard_driver wizard(enroll_args(state, enroll_time, folder.file("./state.txt")), console::pipes);
    if (wizard.process().expect("Step 1 of 3")) {  // refusing at once would be best
        const std::string secret = wizard.reveal_setup_code();
        wizard.next();
        wizard.send_line(oathtool_code(secret, enroll_time));
        wizard.send_line("");
    }
    const int status = wizard.wait_exit();
    BOOST_TEST(status == 2, wizard.process().transcript());
    BOOST_TEST(differences(before, snapshot(state)) == "", "the state file was replaced by the download");
    BOOST_TEST(folder_listing(folder.path()) == std::vector<std::string>{"state.txt"});
}

// A wizard whose pages cannot be shown (stdout is a full disk) stops with exit 2 and writes
// nothing: backup codes nobody saw must not become the account's.
BOOST_AUTO_TEST_CASE(pages_that_cannot_be_shown) {
    BOOST_REQUIRE_MESSAGE(::access("/dev/full", W_OK) == 0, "this check writes to /dev/full");
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    std::string command = "printf 's\\n\\n000000\\n\\n' | '" + twofactor_test::cli_path() + "'";
    for (const auto& arg : enroll_args(state, enroll_time, folder.file("codes.txt")))
        command += " '" + arg + "'";
    const auto r = twofactor_test::run_shell(command + " 2>&1 >/dev/full");
    BOOST_TEST(r.status == 2, r.out);
    BOOST_TEST(r.out == "twofactor: error: cannot write to standard output\n", r.out);
    BOOST_TEST(folder_listing(folder.path()).empty(), joined(folder_listing(folder.path())));
}

// A download that cannot be written is refused before the wizard shows a secret: the user would
// otherwise add an account to the app that never gets enrolled.
BOOST_AUTO_TEST_CASE(a_download_that_cannot_be_written) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    const std::string state = folder.file("state.txt");
    for (const std::string& download : {folder.file("missing-folder/codes.txt"), folder.path().string()}) {
        BOOST_TEST_CONTEXT(download) {
            const auto r = twofactor_test::run_process_with_input(
                twofactor_test::cli_path(), enroll_args(state, enroll_time, download), "\n");
            BOOST_TEST(r.status == 2, r);
            BOOST_TEST(r.err.find("--backup-codes: ") != std::string::npos, r);
            BOOST_TEST(r.out.find("Step 1 of 3") == std::string::npos, r);
            BOOST_TEST(folder_listing(folder.path()).empty(), joined(folder_listing(folder.path())));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

// ---- The secret on the screen -------------------------------------------------------------------

// Without "s" the secret is never shown: not on page 1 (only the QR code), not after Next, not
// in anything said about a wrong answer.
BOOST_AUTO_TEST_CASE(the_secret_is_shown_only_on_request) {
    for (const console how : {console::pipes, console::terminal}) {
        BOOST_TEST_CONTEXT((how == console::pipes ? "pipes" : "terminal")) {
            twofactor_test::temp_folder folder{"cli-enroll"};
            wizard_driver wizard(enroll_args(folder.file("state.txt"), enroll_time), how);
            (void)wizard.first_page();
            wizard.send_line("show me the secret");
            wizard.require("Type \"s\" for the setup code, or press Enter for Next\\.");
            wizard.next();
            wizard.send_line("123");
            wizard.require("Type the 6 digits");
            wizard.process().close_input();
            BOOST_TEST(wizard.wait_exit() == 1, wizard.process().transcript());
            check_no_secret_shown(wizard.process().out(), "standard output");
            check_no_secret_shown(wizard.process().err(), "standard error");
        }
    }
}

// Two wizards for the same new account at once: the first Finish writes the file, the second
// is refused (exit 2) without overwriting it.
BOOST_AUTO_TEST_CASE(two_enrollments_at_once_the_first_finish_wins) {
    twofactor_test::temp_folder folder{"cli-enroll"};
    check_first_finish_wins(folder.file("state.txt"), enroll_time, "appeared while this command ran");
}
