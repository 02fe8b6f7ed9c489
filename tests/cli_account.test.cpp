// Tests of `twofactor login`, `twofactor backup-codes` and `twofactor disable`
// (tools/twofactor/account_commands.cpp), run as separate processes on an account state file
// that each test makes itself with the library (twofactor::account_record<10>), in a fresh
// temporary folder. The exit statuses, the messages and "bad input changes no file" are the
// contract of DESIGN.md ("Command-line tool").
//
// Codes: RFC 6238 Appendix B's SHA-1 key; at t = 59 the 6-digit code is 287082 (checked
// against oathtool too when it is installed). The path of the tool comes from the
// environment variable TWOFACTOR_CLI (set by tests/CMakeLists.txt).
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
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/process.hpp"
#include "support/temp_folder.hpp"

namespace {

using twofactor_test::folder_listing;
using record_type = twofactor::account_record<10>;

// RFC 6238 Appendix B's SHA-1 key, "12345678901234567890".
constexpr std::string_view secret_base32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
constexpr std::string_view code_at_59 = "287082";  // RFC 6238 Appendix B: 94287082, 6 digits

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

// "0644"
std::string octal(unsigned mode) {
    char text[16];
    std::snprintf(text, sizeof text, "%04o", mode);
    return text;
}

std::string folder_of(const std::string& path) { return std::filesystem::path(path).parent_path().string(); }

// Everything about a path that a command could change, and the listing of its folder (a
// command must not leave a temporary file behind either).
struct path_snapshot {
    bool exists = false;
    std::string contents;  // of a regular file
    struct stat status {};
    std::vector<std::string> listing;
};

path_snapshot snapshot(const std::string& path) {
    path_snapshot s;
    s.exists = ::lstat(path.c_str(), &s.status) == 0;
    if (s.exists && S_ISREG(s.status.st_mode) && (s.status.st_mode & S_IRUSR) != 0)
        s.contents = read_file(path);
    s.listing = folder_listing(folder_of(path));
    return s;
}

// What differs between two snapshots, or "" (never the contents themselves: they hold the
// secret).
std::string differences(const path_snapshot& before, const path_snapshot& after) {
    std::string found;
    const auto note = [&](bool differs, std::string_view what) {
        if (differs) found += std::string(found.empty() ? "" : ", ") + std::string(what);
    };
    note(before.exists != after.exists, "existence");
    note(before.contents != after.contents, "contents");
    const struct stat& a = before.status;
    const struct stat& b = after.status;
    note(a.st_dev != b.st_dev || a.st_ino != b.st_ino, "inode (replaced)");
    note(a.st_mode != b.st_mode, "mode");
    note(a.st_nlink != b.st_nlink, "link count");
    note(a.st_size != b.st_size, "size");
    note(a.st_mtim.tv_sec != b.st_mtim.tv_sec || a.st_mtim.tv_nsec != b.st_mtim.tv_nsec, "mtime");
    note(a.st_ctim.tv_sec != b.st_ctim.tv_sec || a.st_ctim.tv_nsec != b.st_ctim.tv_nsec, "ctime");
    if (before.listing != after.listing) {
        std::string names;
        for (const auto& n : after.listing) names += " " + n;
        found += std::string(found.empty() ? "" : ", ") + "folder listing (now:" + names + ")";
    }
    return found;
}

// ---- Records and codes --------------------------------------------------------------------

// A new account's text form (ACME Co, alice@example.com, the RFC key, 10 backup codes at the
// minimum PBKDF2 cost so that tests stay fast; `parameters` default to SHA1, 6 digits, 30 s),
// and its plain backup codes, grouped.
std::string new_account_text(std::vector<std::string>& plain_codes,
                             const twofactor::otpauth_parameters& parameters = {}) {
    const auto key = twofactor::secret::from_base32(secret_base32);
    BOOST_REQUIRE(key.has_value());
    const auto uri = twofactor::otpauth_uri::make("ACME Co", "alice@example.com", *key, parameters);
    BOOST_REQUIRE(uri.has_value());
    const auto fresh = twofactor::backup_code_set<10>::generate(twofactor::min_backup_code_iterations);
    BOOST_REQUIRE(fresh.has_value());
    const auto record = record_type::create(*uri, fresh->set);
    BOOST_REQUIRE(record.has_value());
    plain_codes.clear();
    for (const auto& code : fresh->codes) {
        const auto grouped = code.reveal_grouped();
        plain_codes.emplace_back(grouped.data(), grouped.size());
    }
    return record->serialize();
}

record_type parse_record(const std::string& text) {
    auto record = record_type::parse(text);
    if (!record) {
        BOOST_FAIL("the state file does not parse: " << twofactor::describe(record.error().code) << " (line "
                                                     << record.error().line << ")");
    }
    return std::move(*record);
}

record_type parse_state(const std::string& path) { return parse_record(read_file(path)); }

// The 6-digit SHA-1 code at a Unix time, from the library.
std::string code_at(std::int64_t unix_time) {
    const auto key = twofactor::secret::from_base32(secret_base32);
    BOOST_REQUIRE(key.has_value());
    const twofactor::dynamic_totp<twofactor::sha1, 6> generator{
        key->reveal_bytes(), twofactor::time_step{std::chrono::seconds{30}}};
    const auto code = generator.code_at(std::chrono::sys_seconds{std::chrono::seconds{unix_time}});
    BOOST_REQUIRE(code.has_value());
    return std::string(code->view());
}

// A well-formed code that matches none of the steps a login at `unix_time` accepts (±1 step).
std::string wrong_code_at(std::int64_t unix_time) {
    const std::set<std::string> accepted{code_at(unix_time - 30), code_at(unix_time),
                                         code_at(unix_time + 30)};
    for (const char digit : std::string_view("0123456789")) {
        std::string candidate(6, digit);
        if (accepted.count(candidate) == 0) return candidate;
    }
    BOOST_FAIL("no wrong code found");
    return {};
}

// oathtool's code at a Unix time, or nullopt when oathtool is not installed.
std::optional<std::string> oathtool_code_at(std::int64_t unix_time) {
    if (twofactor_test::run_shell("command -v oathtool >/dev/null 2>&1").status != 0) return std::nullopt;
    const auto r =
        twofactor_test::run_shell("echo " + std::string(secret_base32) + " | oathtool --totp=SHA1 -b -N @" +
                                  std::to_string(unix_time) + " -");
    BOOST_REQUIRE_MESSAGE(r.status == 0, "oathtool failed");
    std::string code = r.out;
    while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.pop_back();
    return code;
}

// "2001-09-09T01:46:40Z"
std::string utc_text(std::int64_t unix_time) {
    const std::time_t t = static_cast<std::time_t>(unix_time);
    std::tm parts{};
    BOOST_REQUIRE(::gmtime_r(&t, &parts) != nullptr);
    char text[32];
    BOOST_REQUIRE(std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts) > 0);
    return text;
}

std::int64_t unix_seconds(std::chrono::sys_seconds time) { return time.time_since_epoch().count(); }

// ---- Running the tool -----------------------------------------------------------------------

struct run_result {
    std::string command;  // the arguments, for failure messages
    int status = -1;      // exit status, or 128 + signal number
    std::string out;
    std::string err;
};

std::ostream& operator<<(std::ostream& os, const run_result& r) {
    return os << "[twofactor" << r.command << "] status " << r.status << ", stdout \"" << r.out
              << "\", stderr \"" << r.err << '"';
}

// Runs the tool with `args` and `input` on standard input. Whatever it prints, the secret
// never appears in it (in either case, nor a long piece of it).
run_result run(const std::vector<std::string>& args, std::string_view input = "") {
    auto output = twofactor_test::run_process_with_input(twofactor_test::cli_path(), args, input);
    run_result result;
    for (const auto& a : args) result.command += " " + a;
    result.status = output.status;
    result.out = std::move(output.out);
    result.err = std::move(output.err);
    std::string lower(secret_base32);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto* text : {&result.out, &result.err}) {
        BOOST_TEST(text->find(secret_base32.substr(0, 16)) == std::string::npos,
                   "secret printed: " << result);
        BOOST_TEST(text->find(secret_base32.substr(16)) == std::string::npos, "secret printed: " << result);
        BOOST_TEST(text->find(lower.substr(0, 16)) == std::string::npos, "secret printed: " << result);
    }
    return result;
}

std::vector<std::string> with_time(std::vector<std::string> args, std::int64_t unix_time) {
    args.emplace_back("--time");
    args.push_back(std::to_string(unix_time));
    return args;
}

// Success: exactly `line` on stdout, nothing on stderr.
void expect_success(const run_result& r, std::string_view line) {
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out == std::string(line) + "\n", r);
    BOOST_TEST(r.err.empty(), r);
}

// Rejected: exit 1, nothing on stdout, one line "twofactor: rejected: ..." naming `mention`.
void expect_rejected(const run_result& r, std::string_view mention) {
    BOOST_TEST(r.status == 1, r);
    BOOST_TEST(r.out.empty(), r);
    BOOST_TEST(r.err.starts_with("twofactor: rejected: "), r);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r);
    BOOST_TEST(r.err.ends_with("\n"), r);
    BOOST_TEST(r.err.find(mention) != std::string::npos, "expected \"" << mention << "\": " << r);
}

// Bad input: exit 2, nothing on stdout, one line "twofactor: error: ..." naming `mention`.
void expect_bad_input(const run_result& r, std::string_view mention) {
    BOOST_TEST(r.status == 2, r);
    BOOST_TEST(r.out.empty(), r);
    BOOST_TEST(r.err.starts_with("twofactor: error: "), r);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r);
    BOOST_TEST(r.err.ends_with("\n"), r);
    BOOST_TEST(r.err.find(mention) != std::string::npos, "expected \"" << mention << "\": " << r);
}

// A new account in its own temporary folder: `state` (mode 0600) and its plain backup codes.
struct account_fixture {
    twofactor_test::temp_folder folder{"cli-account"};
    std::string state = folder.file("account.txt");
    std::vector<std::string> backup;

    account_fixture() { write_file(state, new_account_text(backup), 0600); }

    run_result login(std::string_view typed, std::int64_t unix_time) const {
        return run(with_time({"login", "--state", state}, unix_time), std::string(typed) + "\n");
    }
    run_result disable(std::string_view typed, std::int64_t unix_time) const {
        return run(with_time({"disable", "--state", state}, unix_time), std::string(typed) + "\n");
    }
    run_result count_backup_codes() const { return run({"backup-codes", "--state", state}); }
    run_result regenerate(std::string_view typed, std::int64_t unix_time,
                          const std::string& codes_file = "") const {
        std::vector<std::string> args{"backup-codes", "--regenerate", "--state", state};
        if (!codes_file.empty()) args.insert(args.end(), {"--backup-codes", codes_file});
        return run(with_time(args, unix_time), std::string(typed) + "\n");
    }
    record_type record() const { return parse_state(state); }
};

// "abcd efgh ijkl" for "ABCD-EFGH-IJKL": how a user might type a backup code.
std::string lower_with_spaces(std::string code) {
    for (char& c : code) c = c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return code;
}

// The codes "XXXX-XXXX-XXXX" in a text, in order.
std::vector<std::string> backup_codes_in(const std::string& text) {
    static const std::regex pattern("\\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\\b");
    std::vector<std::string> codes;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator();
         ++it)
        codes.push_back(it->str());
    return codes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_account)

// ---- login -----------------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(library_codes_match_the_rfc_and_oathtool, account_fixture) {
    BOOST_TEST(code_at(59) == code_at_59);
    BOOST_TEST(code_at(89) != code_at(59));
    for (const std::int64_t t : {59, 89, 1111111109, 2000000000}) {
        const auto theirs = oathtool_code_at(t);
        if (!theirs) {
            BOOST_TEST_MESSAGE("oathtool is not installed: codes checked against RFC 6238 only");
            return;
        }
        BOOST_TEST(*theirs == code_at(t), "t = " << t);
    }
}

BOOST_FIXTURE_TEST_CASE(login_accepts_a_code_once, account_fixture) {
    expect_success(login(code_at_59, 59), "code accepted (time step 1, offset 0)");
    auto after = record();
    BOOST_TEST((after.last_accepted_step() == std::optional<std::uint64_t>(1)));
    BOOST_TEST(after.consecutive_failures() == 0U);
    BOOST_TEST(after.revision() == 1U);
    BOOST_TEST(mode_of(state) == 0600U);

    // The same code again, at the same time: a replay (RFC 6238 §5.2), recorded as a failure.
    expect_rejected(login(code_at_59, 59), "already used");
    after = record();
    BOOST_TEST(after.consecutive_failures() == 1U);
    BOOST_TEST(after.revision() == 2U);
    BOOST_TEST((after.last_accepted_step() == std::optional<std::uint64_t>(1)));

    // The next step's code: accepted; the failure count starts again.
    expect_success(login(code_at(89), 89), "code accepted (time step 2, offset 0)");
    after = record();
    BOOST_TEST((after.last_accepted_step() == std::optional<std::uint64_t>(2)));
    BOOST_TEST(after.consecutive_failures() == 0U);

    // Step 1's code is still inside the window at t = 89 (offset -1), but it is older than the
    // last accepted step; and step 2's code again is a replay.
    expect_rejected(login(code_at_59, 89), "already used");
    expect_rejected(login(code_at(89), 89), "already used");
    // The code of the step after (offset +1) is accepted.
    expect_success(login(code_at(90), 89), "code accepted (time step 3, offset 1)");
}

BOOST_FIXTURE_TEST_CASE(login_with_code_typed_with_spaces, account_fixture) {
    expect_success(login("287 082", 59), "code accepted (time step 1, offset 0)");
}

BOOST_FIXTURE_TEST_CASE(login_with_crlf_and_without_newline, account_fixture) {
    // A line ending in "\r\n" (typed on some terminals, or piped from Windows tools).
    expect_success(run(with_time({"login", "--state", state}, 59), "287082\r\n"),
                   "code accepted (time step 1, offset 0)");
    // A last line without a newline is a line all the same.
    expect_success(run(with_time({"login", "--state", state}, 89), code_at(89)),
                   "code accepted (time step 2, offset 0)");
    // Only the first line is read.
    expect_bad_input(run(with_time({"login", "--state", state}, 120), "abc\n" + code_at(120) + "\n"),
                     "not a code");
}

BOOST_FIXTURE_TEST_CASE(login_with_backup_codes, account_fixture) {
    expect_success(login(backup[0], 59), "backup code accepted; 9 of 10 left");
    BOOST_TEST(record().backup_codes().remaining() == 9U);
    expect_success(count_backup_codes(), "9 of 10 backup codes left");

    // Single use: the same code again is refused (and counts as a failure).
    expect_rejected(login(backup[0], 59), "backup code already used");
    BOOST_TEST(record().backup_codes().remaining() == 9U);
    BOOST_TEST(record().consecutive_failures() == 1U);

    // Lower case, spaces instead of hyphens: the same code.
    expect_success(login(lower_with_spaces(backup[1]), 59), "backup code accepted; 8 of 10 left");
    BOOST_TEST(record().backup_codes().remaining() == 8U);
    BOOST_TEST(record().consecutive_failures() == 0U);

    // A backup code does not consume a TOTP step: the app's code still works.
    expect_success(login(code_at_59, 59), "code accepted (time step 1, offset 0)");

    // Down to 3: the tool suggests regenerating them, on stderr, as a note.
    for (std::size_t i = 2; i < 6; ++i) BOOST_TEST(login(backup[i], 59).status == 0);
    const auto last = login(backup[6], 59);
    BOOST_TEST(last.status == 0, last);
    BOOST_TEST(last.out == "backup code accepted; 3 of 10 left\n", last);
    BOOST_TEST(last.err.starts_with("twofactor: only 3 backup codes left"), last);
    const auto count = count_backup_codes();
    BOOST_TEST(count.status == 0, count);
    BOOST_TEST(count.out == "3 of 10 backup codes left\n", count);
    BOOST_TEST(record().backup_codes().remaining() == 3U);
}

BOOST_FIXTURE_TEST_CASE(lockout_after_repeated_failures, account_fixture) {
    constexpr std::int64_t t = 1'000'000'000;  // 2001-09-09T01:46:40Z
    const std::string wrong = wrong_code_at(t);
    for (std::uint32_t i = 1; i <= 5; ++i) {
        const auto r = login(wrong, t);
        expect_rejected(r, i == 1 ? "wrong code (1 failed attempt)"
                                  : "wrong code (" + std::to_string(i) + " failed attempts in a row)");
        BOOST_TEST(r.err.find("locked") == std::string::npos, r);
        BOOST_TEST(record().consecutive_failures() == i);
        BOOST_TEST(!record().locked_until().has_value());
    }
    // The 6th failure locks the account for 30 s.
    const auto sixth = login(wrong, t);
    expect_rejected(sixth, "wrong code (6 failed attempts in a row); locked out until " + utc_text(t + 30) +
                               " (30 s from now)");
    const auto locked = record();
    BOOST_TEST(locked.consecutive_failures() == 6U);
    BOOST_TEST_REQUIRE(locked.locked_until().has_value());
    const std::int64_t until = unix_seconds(*locked.locked_until());
    BOOST_TEST(until == t + 30);

    // During the lockout even the right code is refused, and nothing is written.
    const auto before = snapshot(state);
    for (const std::int64_t when : {t, until - 1}) {
        const auto r = login(code_at(when), when);
        expect_rejected(r, "too many failed attempts; locked out until " + utc_text(until));
        BOOST_TEST(differences(before, snapshot(state)) == "");
    }

    // When the lockout ends, the right code of that time is accepted and the count reset.
    expect_success(login(code_at(until), until),
                   "code accepted (time step " + std::to_string(until / 30) + ", offset 0)");
    const auto after = record();
    BOOST_TEST(after.consecutive_failures() == 0U);
    BOOST_TEST(!after.locked_until().has_value());
}

BOOST_FIXTURE_TEST_CASE(lockout_doubles_with_each_further_failure, account_fixture) {
    std::int64_t t = 1'000'000'000;
    const std::string wrong = wrong_code_at(t);
    for (int i = 0; i < 6; ++i) BOOST_TEST(login(wrong, t).status == 1);
    std::int64_t lockout = 30;
    for (int i = 0; i < 4; ++i) {
        t = unix_seconds(*record().locked_until());
        lockout *= 2;
        const auto r = login(wrong_code_at(t), t);
        expect_rejected(r, "(" + std::to_string(lockout) + " s from now)");
        BOOST_TEST(unix_seconds(*record().locked_until()) == t + lockout);
    }
}

// ---- State files that cannot be used: exit 2, nothing changed ----------------------------

namespace {

// Every command that reads the state file, each with input it would accept for a good file.
std::vector<std::pair<std::vector<std::string>, std::string>> commands_on(const std::string& state) {
    return {
        {with_time({"login", "--state", state}, 59), std::string(code_at_59) + "\n"},
        {{"backup-codes", "--state", state}, ""},
        {with_time({"backup-codes", "--regenerate", "--state", state, "--backup-codes", state + ".codes"},
                   59),
         std::string(code_at_59) + "\n"},
        {with_time({"disable", "--state", state}, 59), std::string(code_at_59) + "\n"},
    };
}

enum class which_commands { all, login_and_disable };

// Runs the commands on `state`: each exits 2 with one error naming `mention`, and neither the
// path nor its folder changes. (login_and_disable: the two that matter most, a writer and the
// remover, to keep the run time of the many cases down.)
void expect_every_command_refuses(const std::string& state, std::string_view mention,
                                  which_commands which = which_commands::all) {
    const auto before = snapshot(state);
    for (const auto& [args, input] : commands_on(state)) {
        if (which == which_commands::login_and_disable && args[0] != "login" && args[0] != "disable")
            continue;
        const auto r = run(args, input);
        expect_bad_input(r, mention);
        BOOST_TEST(differences(before, snapshot(state)) == "", r);
    }
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(missing_state_file, account_fixture) {
    const std::string missing = folder.file("no-such-account.txt");
    expect_every_command_refuses(missing, "not found; run 'twofactor enroll' first");
    BOOST_TEST(!path_exists(missing));
    BOOST_TEST(!path_exists(missing + ".codes"));
}

BOOST_FIXTURE_TEST_CASE(state_file_readable_by_others, account_fixture) {
    for (const unsigned mode : {0644U, 0640U, 0604U, 0660U, 0606U, 0610U, 0601U}) {
        BOOST_TEST_CONTEXT("mode " << octal(mode)) {
            BOOST_REQUIRE(::chmod(state.c_str(), mode) == 0);
            expect_every_command_refuses(
                state, "has mode " + octal(mode) + "; it holds a secret: run 'chmod 600 " + state + "'",
                mode == 0644U || mode == 0640U ? which_commands::all : which_commands::login_and_disable);
        }
    }
    // Nothing was consumed: once the mode is fixed, the code is accepted.
    BOOST_REQUIRE(::chmod(state.c_str(), 0600) == 0);
    expect_success(login(code_at_59, 59), "code accepted (time step 1, offset 0)");
    BOOST_TEST(record().revision() == 1U);

    // Modes without group or other bits are fine; the file written back has mode 0600.
    for (const unsigned mode : {0400U, 0700U}) {
        BOOST_TEST_CONTEXT("mode " << octal(mode)) {
            BOOST_REQUIRE(::chmod(state.c_str(), mode) == 0);
            expect_success(count_backup_codes(), "10 of 10 backup codes left");
            BOOST_TEST(login(wrong_code_at(89), 89).status == 1);
            BOOST_TEST(octal(mode_of(state)) == "0600");
        }
    }
}

BOOST_FIXTURE_TEST_CASE(state_file_that_is_a_folder, account_fixture) {
    const std::string folder_state = folder.file("a-folder");
    BOOST_REQUIRE(::mkdir(folder_state.c_str(), 0700) == 0);
    expect_every_command_refuses(folder_state, "is a folder, not a regular file");
    BOOST_TEST(folder_listing(folder_state).empty());
}

BOOST_FIXTURE_TEST_CASE(corrupt_state_files, account_fixture) {
    const std::string good = read_file(state);
    std::string flipped = good;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x01);
    std::string other_digit = good;  // the revision: a plausible edit that the checksum catches
    other_digit.replace(other_digit.find("revision 0\n"), 11, "revision 7\n");
    std::vector<std::string> another_account_codes;
    const std::string another = new_account_text(another_account_codes);

    const std::vector<std::pair<std::string, std::string>> corruptions{
        {"one byte flipped in the middle", flipped},
        {"revision edited", other_digit},
        {"truncated to half", good.substr(0, good.size() / 2)},
        {"last newline missing", good.substr(0, good.size() - 1)},
        {"checksum line missing", good.substr(0, good.rfind("checksum "))},
        {"junk appended", good + "junk\n"},
        {"record twice", good + good},
        {"two records spliced", good.substr(0, good.size() / 2) + another.substr(another.size() / 2)},
        {"CRLF line ends", std::regex_replace(good, std::regex("\n"), "\r\n")},
        {"empty", ""},
        {"a single newline", "\n"},
        {"another file's text", read_file(TWOFACTOR_TEST_SOURCE_DIR "/CMakeLists.txt")},
        {"an otpauth URI", "otpauth://totp/ACME%20Co:alice@example.com?secret=JBSWY3DPEHPK3PXP\n"},
        {"binary zeros", std::string(64, '\0')},
    };
    for (std::size_t i = 0; i < corruptions.size(); ++i) {
        const auto& [name, text] = corruptions[i];
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST_REQUIRE(!record_type::parse(text).has_value());
            write_file(state, text, 0600);
            expect_every_command_refuses(state, "is corrupt",
                                         i < 3 ? which_commands::all : which_commands::login_and_disable);
        }
    }
    // The good text again: usable (the tests above consumed nothing).
    write_file(state, good, 0600);
    expect_success(login(code_at_59, 59), "code accepted (time step 1, offset 0)");
}

// Hand edits the line number alone does not show: the message names them, and nothing changes.
BOOST_FIXTURE_TEST_CASE(edited_state_files_get_a_hint, account_fixture) {
    const std::string good = read_file(state);
    for (const auto& [text, mention] : std::vector<std::pair<std::string, std::string>>{
             {std::regex_replace(good, std::regex("\n"), "\r\n"), "it has Windows (CRLF) line ends"},
             {"\xEF\xBB\xBF" + good, "it starts with a UTF-8 byte-order mark"}}) {
        write_file(state, text, 0600);
        const auto before = snapshot(state);
        expect_bad_input(login(code_at_59, 59), mention);
        BOOST_TEST(differences(before, snapshot(state)) == "");
    }
}

BOOST_FIXTURE_TEST_CASE(malformed_typed_input, account_fixture) {
    const std::vector<std::pair<std::string, std::string>> inputs{
        {"abc\n", "not a code"},
        {"12345\n", "not a code: the account's codes have 6 digits"},
        {"1234567\n", "not a code: the account's codes have 6 digits"},
        {"\n", "not a code"},
        {"   \n", "not a code"},
        {"28708x\n", "not a code"},
        {"ABCD-EFGH-IJK\n", "not a code"},  // 11 symbols: not a backup code
        {std::string(secret_base32) + "\n", "not a code"},
        {"", "no code given (end of input)"},
        {std::string(300, '1') + "\n", "input line too long"},
    };
    const auto before = snapshot(state);
    for (const auto& [input, mention] : inputs) {
        BOOST_TEST_CONTEXT("input \"" << input << '"') {
            for (const std::string command : {"login", "disable"}) {
                const auto r = run(with_time({command, "--state", state}, 59), input);
                expect_bad_input(r, mention);
                BOOST_TEST(differences(before, snapshot(state)) == "", r);
            }
            const auto r = run(with_time({"backup-codes", "--regenerate", "--state", state}, 59), input);
            BOOST_TEST(r.status == 2, r);
            BOOST_TEST(differences(before, snapshot(state)) == "", r);
        }
    }
    // Nothing was counted as a failure, nothing consumed.
    expect_success(login(code_at_59, 59), "code accepted (time step 1, offset 0)");
    BOOST_TEST(record().consecutive_failures() == 0U);
}

BOOST_FIXTURE_TEST_CASE(bad_time_option, account_fixture) {
    const auto before = snapshot(state);
    for (const std::string command : {"login", "disable"}) {
        for (const std::string time : {"abc", "", "59s", "+59", "99999999999999999999"}) {
            const auto r = run({command, "--state", state, "--time", time}, std::string(code_at_59) + "\n");
            expect_bad_input(r, "--time: not a whole number of seconds");
            BOOST_TEST(differences(before, snapshot(state)) == "", r);
        }
        // Outside the years 1970 to 9999 (lockout ends are printed as dates): nothing recorded.
        for (const std::string time : {"-1", "253402300800", "-9223372036854775808", "9223372036854775807"}) {
            const auto r = run({command, "--state", state, "--time", time}, std::string(code_at_59) + "\n");
            expect_bad_input(r, "--time: out of range (0 to 253402300799, the years 1970 to 9999)");
            BOOST_TEST(differences(before, snapshot(state)) == "", r);
        }
    }
}

// ---- A writer killed at any moment ---------------------------------------------------------

namespace {

// The temporary files a writer of `state` may leave behind: "<name>.tmp-XXXXXX".
std::vector<std::string> temporary_files_of(const std::string& state) {
    const std::string prefix = std::filesystem::path(state).filename().string() + ".tmp-";
    std::vector<std::string> found;
    for (const auto& name : folder_listing(folder_of(state)))
        if (name.starts_with(prefix)) found.push_back(folder_of(state) + "/" + name);
    return found;
}

// Sanitizer builds (of the test and, with it, of the tool) run each command several times
// slower: fewer runs there. TWOFACTOR_TEST_KILL_ITERATIONS overrides both.
#if defined(__SANITIZE_ADDRESS__)
constexpr int default_kill_iterations = 80;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr int default_kill_iterations = 80;
#else
constexpr int default_kill_iterations = 200;
#endif
#else
constexpr int default_kill_iterations = 200;
#endif

int kill_iterations() {
    if (const char* text = std::getenv("TWOFACTOR_TEST_KILL_ITERATIONS"); text != nullptr && *text != '\0')
        return std::max(1, std::atoi(text));
    return default_kill_iterations;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(killed_login_leaves_the_old_or_the_new_file, account_fixture) {
    using clock = std::chrono::steady_clock;
    const std::string cli = twofactor_test::cli_path();
    // Each run records a failure, so the account soon locks: every run happens at the end of
    // the current lockout, where the wrong code is checked and the failure written.
    constexpr std::int64_t start_time = 1'700'000'000;
    const auto time_for = [&](const record_type& r) {
        return r.locked_until() ? std::max(start_time, unix_seconds(*r.locked_until())) : start_time;
    };
    const auto start_login = [&](std::int64_t t) {
        return twofactor_test::start_process(cli, with_time({"login", "--state", state}, t),
                                             wrong_code_at(t) + "\n");
    };

    // A complete run's duration, to spread the kills over.
    std::vector<clock::duration> durations;
    for (int i = 0; i < 7; ++i) {
        const auto before = record();
        const std::int64_t t = time_for(before);
        const auto begin = clock::now();
        const int status = twofactor_test::wait_process(start_login(t));
        durations.push_back(clock::now() - begin);
        BOOST_TEST(status == 1);
        BOOST_TEST(record().revision() == before.revision() + 1);
    }
    std::sort(durations.begin(), durations.end());
    const auto typical = durations[durations.size() / 2];
    const auto typical_us = std::chrono::duration_cast<std::chrono::microseconds>(typical).count();

    const auto seed = static_cast<std::uint64_t>(clock::now().time_since_epoch().count());
    std::mt19937_64 random(seed);
    // Up to 1.3 times a typical run: most runs are killed somewhere, a few finish.
    std::uniform_int_distribution<std::int64_t> delay_us(0, typical_us * 13 / 10);

    const int iterations = kill_iterations();
    int finished = 0;
    int killed_before_writing = 0;   // the old file, no temporary file left
    int killed_while_writing = 0;    // the old file, a temporary file left
    int killed_after_replacing = 0;  // the new file
    for (int i = 0; i < iterations; ++i) {
        const std::string old_text = read_file(state);
        const record_type old = parse_record(old_text);
        const std::size_t temporaries = temporary_files_of(state).size();
        const std::int64_t t = time_for(old);
        const auto delay = std::chrono::microseconds{delay_us(random)};

        const auto begin = clock::now();
        const pid_t pid = start_login(t);
        std::this_thread::sleep_until(begin + delay);
        ::kill(pid, SIGKILL);  // after the process finished: no effect (it is a zombie until waited for)
        const int status = twofactor_test::wait_process(pid);

        BOOST_TEST_CONTEXT("run " << i << ", killed after " << delay.count() << " us, status " << status) {
            BOOST_TEST_REQUIRE((status == 1 || status == 128 + SIGKILL));
            const std::string text = read_file(state);
            const auto now = record_type::parse(text);
            BOOST_TEST_REQUIRE(now.has_value(), "the state file does not parse after a kill");
            BOOST_TEST(mode_of(state) == 0600U);
            const bool replaced = now->revision() == old.revision() + 1;
            BOOST_TEST((replaced || text == old_text), "neither the old file nor the next revision");
            if (replaced) {
                BOOST_TEST(now->consecutive_failures() == old.consecutive_failures() + 1);
            }
            if (status == 1) {
                ++finished;
                BOOST_TEST(replaced);
            } else if (replaced) {
                ++killed_after_replacing;
            } else if (temporary_files_of(state).size() > temporaries) {
                ++killed_while_writing;
            } else {
                ++killed_before_writing;
            }
        }
    }

    // Leftover temporary files hold the secret: only the owner may read them, and they are
    // never taken for the state file.
    const auto leftovers = temporary_files_of(state);
    for (const auto& path : leftovers) {
        BOOST_TEST((mode_of(path) & 077U) == 0U, path << " has mode " << octal(mode_of(path)));
        BOOST_TEST(path.size() == state.size() + 11, path);  // ".tmp-" + 6 characters
    }
    const int killed = killed_before_writing + killed_while_writing + killed_after_replacing;
    BOOST_TEST_MESSAGE("cli_account kill test: "
                       << iterations << " runs of 'twofactor login' (a typical run " << typical_us
                       << " us, kills spread over 0.." << typical_us * 13 / 10 << " us, seed " << seed
                       << "): " << finished << " finished, " << killed << " killed (" << killed_before_writing
                       << " before writing, " << killed_while_writing
                       << " while writing (temporary file left), " << killed_after_replacing
                       << " after replacing the file); " << leftovers.size() << " temporary files left");
    BOOST_TEST(killed > 0);

    // The state file is still the account: the right code of its time is accepted, the
    // failures reset, and the leftover temporary files (the next change under the lock
    // removes them) are gone.
    const auto final_record = record();
    const std::int64_t t = time_for(final_record);
    const auto r = login(code_at(t), t);
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(record().consecutive_failures() == 0U);
    BOOST_TEST(temporary_files_of(state).empty());
}

// ---- backup-codes --------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(backup_codes_count, account_fixture) {
    expect_success(count_backup_codes(), "10 of 10 backup codes left");
    // --backup-codes only with --regenerate: stored codes cannot be shown again.
    const std::string codes_file = folder.file("codes.txt");
    const auto before = snapshot(state);
    expect_bad_input(run({"backup-codes", "--state", state, "--backup-codes", codes_file}),
                     "only with --regenerate");
    BOOST_TEST(!path_exists(codes_file));
    BOOST_TEST(differences(before, snapshot(state)) == "");
}

BOOST_FIXTURE_TEST_CASE(regenerate_backup_codes, account_fixture) {
    const std::string codes_file = folder.file("codes.txt");
    write_file(codes_file, "an older, readable file\n", 0644);  // replaced, and no longer readable by others

    const auto r = regenerate(code_at_59, 59, codes_file);
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(r.err.empty(), r);
    const auto fresh = backup_codes_in(r.out);
    BOOST_TEST_REQUIRE(fresh.size() == 10U, r);
    BOOST_TEST(std::set<std::string>(fresh.begin(), fresh.end()).size() == 10U);
    for (const auto& code : fresh) BOOST_TEST(std::count(backup.begin(), backup.end(), code) == 0);
    BOOST_TEST(r.out.find("ACME Co") != std::string::npos, r);
    BOOST_TEST(r.out.find("alice@example.com") != std::string::npos, r);
    BOOST_TEST(mode_of(codes_file) == 0600U);
    BOOST_TEST(read_file(codes_file) == r.out);
    BOOST_TEST(mode_of(state) == 0600U);

    const auto after = record();
    BOOST_TEST(after.backup_codes().remaining() == 10U);
    BOOST_TEST((after.last_accepted_step() == std::optional<std::uint64_t>(1)));  // the code is used up
    expect_success(count_backup_codes(), "10 of 10 backup codes left");

    // The old codes stop working, the new ones work.
    expect_rejected(login(backup[0], 59), "wrong code");
    expect_success(login(fresh[0], 59), "backup code accepted; 9 of 10 left");
    expect_success(login(lower_with_spaces(fresh[1]), 59), "backup code accepted; 8 of 10 left");

    // The TOTP code that regenerated them was used once.
    const auto replay = regenerate(code_at_59, 59, folder.file("again.txt"));
    expect_rejected(replay, "already used");
    BOOST_TEST(!path_exists(folder.file("again.txt")));
}

BOOST_FIXTURE_TEST_CASE(regenerate_refuses_backup_codes_and_wrong_codes, account_fixture) {
    const std::string codes_file = folder.file("codes.txt");
    const auto before = snapshot(state);

    // A backup code is not enough to replace the backup codes.
    const auto with_backup = regenerate(backup[0], 59, codes_file);
    BOOST_TEST(with_backup.status != 0, with_backup);
    expect_bad_input(with_backup,
                     "a backup code cannot regenerate codes: type the code your authenticator app shows");
    // Text that is no code at all is told apart.
    const auto no_code = regenerate("hello", 59, codes_file);
    expect_bad_input(no_code, "not a code from your authenticator app");
    BOOST_TEST(differences(before, snapshot(state)) == "", with_backup);
    BOOST_TEST(!path_exists(codes_file));

    // A wrong TOTP code: rejected, recorded as a failure, codes unchanged.
    const auto wrong = regenerate(wrong_code_at(59), 59, codes_file);
    expect_rejected(wrong, "wrong code (1 failed attempt)");
    BOOST_TEST(!path_exists(codes_file));
    const auto after = record();
    BOOST_TEST(after.consecutive_failures() == 1U);
    BOOST_TEST((after.backup_codes() == parse_record(before.contents).backup_codes()));

    // The old codes still work (the backup code typed above was not consumed).
    expect_success(login(backup[0], 59), "backup code accepted; 9 of 10 left");
}

BOOST_FIXTURE_TEST_CASE(regenerate_when_the_codes_file_cannot_be_written, account_fixture) {
    // The codes file is written before the state: when it cannot be, nothing changes (exit 2),
    // the old codes keep working and the confirming code was not spent.
    const auto before = snapshot(state);
    const std::string codes_file = folder.file("no-such-folder/codes.txt");
    const auto r = regenerate(code_at_59, 59, codes_file);
    BOOST_TEST(r.status == 2, r);
    BOOST_TEST(r.err.find("cannot create a temporary file") != std::string::npos, r);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r);
    BOOST_TEST(backup_codes_in(r.out).empty(), r);
    BOOST_TEST(!path_exists(codes_file));
    BOOST_TEST(differences(before, snapshot(state)) == "");
    expect_success(login(backup[0], 59), "backup code accepted; 9 of 10 left");
    BOOST_TEST(temporary_files_of(state).empty());
}

// A person may take longer than a time step to type a code: it is checked at the time it was
// read, not when the command started. With 1-second steps and a 3-second pause, a code checked
// at the start time would be 3 steps off, outside the window of 1.
BOOST_AUTO_TEST_CASE(a_code_is_checked_when_it_was_typed) {
    twofactor_test::temp_folder folder{"cli-account"};
    const std::string state = folder.file("account.txt");
    twofactor::otpauth_parameters parameters;
    parameters.period = 1;
    std::vector<std::string> unused_codes;
    write_file(state, new_account_text(unused_codes, parameters), 0600);
    const std::string cli = "'" + twofactor_test::cli_path() + "'";
    const auto r = twofactor_test::run_shell("(sleep 3; " + cli + " code --period 1 --secret " +
                                             std::string(secret_base32) + ") | " + cli + " login --state " +
                                             state + " 2>&1");
    BOOST_TEST(r.status == 0, r.out);
    BOOST_TEST(r.out.starts_with("code accepted"), r.out);
}

// New codes that never reach the user would leave them with none: when stdout cannot be written,
// nothing changes (exit 2), and a codes file written meanwhile is removed again.
BOOST_FIXTURE_TEST_CASE(regenerate_when_the_codes_cannot_be_shown, account_fixture) {
    BOOST_REQUIRE_MESSAGE(::access("/dev/full", W_OK) == 0, "this check writes to /dev/full");
    const auto before = snapshot(state);
    const std::string codes_file = folder.file("codes.txt");
    for (const std::string& extra : {std::string(), " --backup-codes " + codes_file}) {
        BOOST_TEST_CONTEXT(extra) {
            const auto r = twofactor_test::run_shell(
                "printf '" + std::string(code_at_59) + "\\n' | '" + twofactor_test::cli_path() +
                "' backup-codes --regenerate --time 59 --state " + state + extra + " 2>&1 >/dev/full");
            BOOST_TEST(r.status == 2, r.out);
            BOOST_TEST(r.out ==
                           "twofactor: error: cannot write to standard output; the backup codes were not "
                           "replaced\n",
                       r.out);
            BOOST_TEST(differences(before, snapshot(state)) == "");
            BOOST_TEST(!path_exists(codes_file));
        }
    }
    expect_success(login(backup[0], 59), "backup code accepted; 9 of 10 left");
}

// The codes are shown, then the state cannot be written: the message says the codes shown are
// not valid, and nothing changed. The write is made to fail with a file size limit (RLIMIT_FSIZE,
// `ulimit -f`, in 512-byte blocks) that the codes file fits in and the state file does not:
// this works for root too, which a read-only folder would not stop. SIGXFSZ is ignored so that
// the write fails with EFBIG instead of the signal ending the tool.
BOOST_FIXTURE_TEST_CASE(regenerate_when_the_state_cannot_be_written, account_fixture) {
    // Also a link to a codes file not there yet: the file is created, then removed again, and
    // the link stays.
    const std::string link = folder.file("linked-codes.txt");
    BOOST_TEST_REQUIRE(::symlink("new-codes.txt", link.c_str()) == 0);
    const auto before = snapshot(state);
    constexpr std::size_t limit = 1024;  // `ulimit -f 2`
    BOOST_TEST_REQUIRE(before.contents.size() > limit, "the state must exceed the size limit");
    const std::string codes_file = folder.file("codes.txt");
    for (const std::string& extra :
         {std::string(), " --backup-codes " + codes_file, " --backup-codes " + link}) {
        BOOST_TEST_CONTEXT(extra) {
            const auto r = twofactor_test::run_shell(
                "printf '" + std::string(code_at_59) + "\\n' | (trap '' XFSZ; ulimit -f 2; exec '" +
                twofactor_test::cli_path() + "' backup-codes --regenerate --time 59 --state " + state +
                extra + " 2>&1)");
            BOOST_TEST(r.status == 2, r.out);
            // The 10 new codes were shown (to stdout, not limited: a pipe), then the error.
            const auto shown_codes = std::count(r.out.begin(), r.out.end(), '\n') - 1;
            BOOST_TEST(shown_codes > 10, r.out);
            BOOST_TEST(r.out.find("twofactor: error: ") != std::string::npos, r.out);
            BOOST_TEST(r.out.ends_with("; the codes shown above are not valid, the old ones still are\n"),
                       r.out);
            BOOST_TEST(r.out.find("File too large") != std::string::npos, r.out);
            BOOST_TEST(differences(before, snapshot(state)) == "");
            BOOST_TEST(!path_exists(codes_file));  // put back as it was: absent
            BOOST_TEST(!path_exists(folder.file("new-codes.txt")));
            BOOST_TEST(std::filesystem::is_symlink(link));
        }
    }
    expect_success(login(backup[0], 59), "backup code accepted; 9 of 10 left");
}

// A codes file that is a symbolic link: the file it names gets the new codes (the link is
// kept); a device is refused before anything is stored.
BOOST_FIXTURE_TEST_CASE(regenerate_through_a_linked_codes_file, account_fixture) {
    const std::string vault = folder.file("vault");
    std::filesystem::create_directory(vault);
    write_file(vault + "/codes.txt", "the old codes\n", 0600);
    const std::string link = folder.file("codes.txt");
    BOOST_TEST_REQUIRE(::symlink("vault/codes.txt", link.c_str()) == 0);
    const auto r = regenerate(code_at_59, 59, link);
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(std::filesystem::is_symlink(link));
    const std::string saved = read_file(vault + "/codes.txt");
    const auto shown = backup_codes_in(r.out);
    BOOST_TEST_REQUIRE(shown.size() == 10u, r);
    for (const auto& code : shown) BOOST_TEST(saved.find(code) != std::string::npos, code);

    const auto before = snapshot(state);
    expect_bad_input(regenerate(code_at(89), 89, "/dev/null"), "not a regular file");
    BOOST_TEST(differences(before, snapshot(state)) == "");
    BOOST_TEST(std::filesystem::is_character_file("/dev/null"));
}

// The codes file must not be the state file (the record would be replaced by the codes).
BOOST_FIXTURE_TEST_CASE(regenerate_onto_the_state_file, account_fixture) {
    const auto before = snapshot(state);
    expect_bad_input(regenerate(code_at_59, 59, folder.file("./account.txt")), "that is the state file");
    BOOST_TEST(differences(before, snapshot(state)) == "");
}

// ---- disable -------------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(disable_with_wrong_then_right_code, account_fixture) {
    expect_rejected(disable(wrong_code_at(59), 59), "wrong code (1 failed attempt)");
    BOOST_TEST_REQUIRE(path_exists(state));
    BOOST_TEST(record().consecutive_failures() == 1U);

    const auto r = disable(code_at_59, 59);
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.err.empty(), r);
    BOOST_TEST(r.out.starts_with("two-factor authentication is off:"), r);
    BOOST_TEST(r.out.find("removed") != std::string::npos, r);
    BOOST_TEST(!path_exists(state));
    BOOST_TEST(folder_listing(folder.path()).empty());

    expect_bad_input(login(code_at(89), 89), "not found");
    expect_bad_input(disable(code_at(89), 89), "not found");
    expect_bad_input(count_backup_codes(), "not found");
}

BOOST_FIXTURE_TEST_CASE(disable_with_a_backup_code, account_fixture) {
    const auto r = disable(lower_with_spaces(backup[3]), 59);
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(!path_exists(state));
}

BOOST_FIXTURE_TEST_CASE(disable_refused_while_locked_out_or_replayed, account_fixture) {
    expect_success(login(code_at_59, 59), "code accepted (time step 1, offset 0)");
    expect_rejected(disable(code_at_59, 59), "already used");
    BOOST_TEST(path_exists(state));

    constexpr std::int64_t t = 1'000'000'000;
    for (int i = 0; i < 6; ++i) BOOST_TEST(login(wrong_code_at(t), t).status == 1);
    const auto before = snapshot(state);
    expect_rejected(disable(code_at(t), t), "too many failed attempts");
    BOOST_TEST(differences(before, snapshot(state)) == "");
    expect_rejected(disable(backup[0], t), "too many failed attempts");
    BOOST_TEST(differences(before, snapshot(state)) == "");
}

// ---- help ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(help_of_each_command) {
    for (const std::string command : {"login", "backup-codes", "disable"}) {
        const auto r = run({command, "--help"});
        BOOST_TEST(r.status == 0, r);
        BOOST_TEST(r.out.starts_with("usage: twofactor " + command), r);
        BOOST_TEST(r.out.find("--state FILE") != std::string::npos, r);
        BOOST_TEST(r.err.empty(), r);
    }
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Paths: symbolic links, leftovers of killed writers, concurrent commands ----------------

BOOST_AUTO_TEST_SUITE(state_paths)

// Through a symbolic link the target is read and replaced (not the link), so a code used via
// the link is used for the file too.
BOOST_FIXTURE_TEST_CASE(a_symbolic_link_to_the_state_file, account_fixture) {
    const std::string link = folder.file("link.txt");
    BOOST_TEST_REQUIRE(::symlink(state.c_str(), link.c_str()) == 0);
    const auto first = run(with_time({"login", "--state", link}, 59), backup[0] + "\n");
    BOOST_TEST(first.status == 0, first);
    expect_rejected(login(backup[0], 59), "backup code already used");
    struct stat status {};
    BOOST_TEST_REQUIRE(::lstat(link.c_str(), &status) == 0);
    BOOST_TEST(S_ISLNK(status.st_mode));
}

// A link whose target is gone is named as such, not as a missing state file.
BOOST_FIXTURE_TEST_CASE(a_dangling_symbolic_link, account_fixture) {
    const std::string link = folder.file("link.txt");
    BOOST_TEST_REQUIRE(::symlink((folder.file("gone.txt")).c_str(), link.c_str()) == 0);
    expect_bad_input(run(with_time({"login", "--state", link}, 59), backup[0] + "\n"),
                     "is a symbolic link to a file that does not exist");
}

// Temporary files that killed writers left (they may hold the secret) are removed by the next
// change under the lock; disable leaves none behind.
BOOST_FIXTURE_TEST_CASE(stale_temporary_files_are_removed, account_fixture) {
    const std::string stale = state + ".tmp-AbC123";
    write_file(stale, "leftover", 0600);
    expect_rejected(login(wrong_code_at(59), 59), "wrong code");
    BOOST_TEST(!path_exists(stale));
    write_file(stale, "leftover", 0600);
    const auto r = disable(code_at_59, 59);
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(folder_listing(folder.path()).empty());
}

// Parallel logins with one code: the commands are serialised by the lock, so exactly one is
// accepted and every other is refused as a replay (exit 1), none fails (exit 2).
BOOST_FIXTURE_TEST_CASE(parallel_logins_with_one_code, account_fixture) {
    std::vector<pid_t> children;
    for (int i = 0; i < 6; ++i)
        children.push_back(twofactor_test::start_process(twofactor_test::cli_path(),
                                                         with_time({"login", "--state", state}, 59),
                                                         std::string(code_at_59) + "\n"));
    std::vector<int> statuses;
    for (const pid_t child : children) statuses.push_back(twofactor_test::wait_process(child));
    BOOST_TEST(std::count(statuses.begin(), statuses.end(), 0) == 1);
    BOOST_TEST(std::count(statuses.begin(), statuses.end(), 1) == 5);
}

BOOST_AUTO_TEST_SUITE_END()
