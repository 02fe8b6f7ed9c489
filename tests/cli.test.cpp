// Tests of the `twofactor` command-line tool (tools/twofactor), run as a separate process:
// its interface (DESIGN.md, "Command-line tool") is a contract that scripts rely on.
// Vectors: RFC 6238 Appendix B (TOTP) and RFC 4226 Appendix D (HOTP).
//
// The path of the tool comes from the environment variable TWOFACTOR_CLI (set by
// tests/CMakeLists.txt for every test).
#include <boost/test/unit_test.hpp>

#include <twofactor/base32.hpp>
#include <twofactor/hotp.hpp>
#include <twofactor/otp_parameters.hpp>
#include <twofactor/totp.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"
#include "support/test_support.hpp"

namespace {

// RFC 6238 Appendix B keys: "12345678901234567890" repeated to the hash's output size.
constexpr std::string_view sha1_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

std::string base32_of(std::string_view plain) {
    const auto bytes = twofactor_test::bytes_of(plain);
    std::string text(twofactor::base32_encoded_size(bytes.size(), twofactor::base32_padding::omit), '\0');
    const auto n = twofactor::base32_encode(bytes, text, twofactor::base32_padding::omit);
    BOOST_TEST_REQUIRE(n.has_value());
    return text;
}

const std::string sha256_secret = base32_of("12345678901234567890123456789012");
const std::string sha512_secret =
    base32_of("1234567890123456789012345678901234567890123456789012345678901234");

// Every secret a test passes; no output of the tool may ever contain one of them.
std::vector<std::string>& known_secrets() {
    static std::vector<std::string> secrets{std::string(sha1_secret), sha256_secret, sha512_secret};
    return secrets;
}

struct run_result {
    std::string command;  // the arguments, secrets replaced by <secret>, for failure messages
    int status = -1;      // exit status, or 128 + signal number when killed by a signal
    std::string out;
    std::string err;
};

std::ostream& operator<<(std::ostream& os, const run_result& r) {
    return os << "[twofactor" << r.command << "] status " << r.status << ", stdout \"" << r.out
              << "\", stderr \"" << r.err << '"';
}

std::string describe_command(const std::vector<std::string>& args) {
    std::string text;
    for (const auto& a : args) {
        std::string shown = a;
        for (const auto& secret : known_secrets()) {
            for (std::size_t at; (at = shown.find(secret)) != std::string::npos;)
                shown.replace(at, secret.size(), "<secret>");
        }
        text += " " + shown;
    }
    return text;
}

// Runs the tool with `args`, stdin from /dev/null, and collects stdout, stderr and status.
run_result run(const std::vector<std::string>& args) {
    auto output = twofactor_test::run_process(twofactor_test::cli_path(), args);
    run_result result;
    result.command = describe_command(args);
    result.status = output.status;
    result.out = std::move(output.out);
    result.err = std::move(output.err);

    // The secret never appears in any output, in any case.
    for (const auto& secret : known_secrets()) {
        std::string lower = secret;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        for (const auto* text : {&result.out, &result.err}) {
            BOOST_TEST(text->find(secret) == std::string::npos, "secret printed: " << result);
            BOOST_TEST(text->find(lower) == std::string::npos, "secret printed: " << result);
            // Also no long fragment (e.g. a quoted, truncated value).
            BOOST_TEST(text->find(secret.substr(0, 16)) == std::string::npos, "secret printed: " << result);
        }
    }
    return result;
}

std::vector<std::string> args(std::initializer_list<std::string_view> list) {
    return {list.begin(), list.end()};
}

// Success with exactly `line` + newline on stdout and nothing on stderr.
void expect_output(const run_result& r, std::string_view line) {
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out == std::string(line) + "\n", r);
    BOOST_TEST(r.err.empty(), r);
}

// Bad input: exit 2, nothing on stdout, exactly one line on stderr, "twofactor: error: ...",
// containing `mention`.
void expect_bad_input(const run_result& r, std::string_view mention) {
    BOOST_TEST(r.status == 2, r);
    BOOST_TEST(r.out.empty(), r);
    BOOST_TEST(r.err.starts_with("twofactor: error: "), r);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r);
    BOOST_TEST(r.err.ends_with("\n"), r);
    BOOST_TEST(r.err.find(mention) != std::string::npos, "expected \"" << mention << "\": " << r);
}

// Rejected: exit 1, nothing on stdout, one line on stderr.
void expect_rejected(const run_result& r) {
    BOOST_TEST(r.status == 1, r);
    BOOST_TEST(r.out.empty(), r);
    BOOST_TEST(r.err == "twofactor: code rejected\n", r);
}

}  // namespace

BOOST_AUTO_TEST_CASE(cli_path_is_set) { BOOST_TEST(!twofactor_test::cli_path().empty()); }

BOOST_AUTO_TEST_CASE(rfc6238_sha1_at_59_with_8_digits) {
    expect_output(run(args({"code", "--secret", sha1_secret, "--time", "59", "--digits", "8"})), "94287082");
}

BOOST_AUTO_TEST_CASE(rfc6238_appendix_b) {
    struct row {
        std::string_view time;
        std::string_view sha1, sha256, sha512;
    };
    // RFC 6238 Appendix B, T0 = 0, X = 30, 8 digits.
    const row rows[] = {
        {"59", "94287082", "46119246", "90693936"},
        {"1111111109", "07081804", "68084774", "25091201"},
        {"1111111111", "14050471", "67062674", "99943326"},
        {"1234567890", "89005924", "91819424", "93441116"},
        {"2000000000", "69279037", "90698825", "38618901"},
        {"20000000000", "65353130", "77737706", "47863826"},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT("time " << r.time) {
            expect_output(run(args({"code", "--secret", sha1_secret, "--time", r.time, "--digits", "8",
                                    "--algorithm", "SHA1", "--period", "30", "--t0", "0"})),
                          r.sha1);
            expect_output(run(args({"code", "--secret", sha256_secret, "--time", r.time, "--digits", "8",
                                    "--algorithm", "SHA256"})),
                          r.sha256);
            expect_output(run(args({"code", "--secret=" + sha512_secret, "--time=" + std::string(r.time),
                                    "--digits=8", "--algorithm=sha512"})),
                          r.sha512);
        }
    }
}

BOOST_AUTO_TEST_CASE(rfc4226_appendix_d_hotp) {
    // RFC 4226 Appendix D, Table 2 (secret "12345678901234567890").
    const std::string_view codes[] = {"755224", "287082", "359152", "969429", "338314",
                                      "254676", "287922", "162583", "399871", "520489"};
    for (std::size_t counter = 0; counter < std::size(codes); ++counter) {
        BOOST_TEST_CONTEXT("counter " << counter) {
            expect_output(run(args({"code", "--secret", sha1_secret, "--counter", std::to_string(counter)})),
                          codes[counter]);
        }
    }
    // 7- and 8-digit forms (PITFALLS "Test vectors").
    expect_output(run(args({"code", "--secret", sha1_secret, "--counter", "7", "--digits", "7"})), "2162583");
    expect_output(run(args({"code", "--secret", sha1_secret, "--counter", "8", "--digits", "8"})),
                  "73399871");
}

BOOST_AUTO_TEST_CASE(defaults_are_sha1_6_digits_30_seconds) {
    // RFC 6238 at 59 s: 94287082 with 8 digits, so 287082 with 6.
    expect_output(run(args({"code", "--secret", sha1_secret, "--time", "59"})), "287082");
    // Period 30 and T0 0 by default: 59 s is step 1, the same as HOTP counter 1.
    expect_output(run(args({"code", "--secret", sha1_secret, "--counter", "1"})), "287082");
    // A different period and T0 change the step: (59 - 20) / 15 = 2 -> HOTP counter 2.
    expect_output(
        run(args({"code", "--secret", sha1_secret, "--time", "59", "--period", "15", "--t0", "20"})),
        "359152");
}

BOOST_AUTO_TEST_CASE(lenient_secret_and_case_insensitive_algorithm) {
    expect_output(run(args({"code", "--secret", "gezd gnbv-gy3t qojq gezd gnbv gy3t qojq", "--time", "59",
                            "--digits", "8", "--algorithm", "sha1"})),
                  "94287082");
    // Partial or complete padding: 19 bytes are 31 characters and one '='.
    const std::string padded = base32_of("1234567890123456789") + "=";
    known_secrets().push_back(padded.substr(0, 31));
    const twofactor::hotp<twofactor::sha1, 6> generator{twofactor_test::bytes_of("1234567890123456789")};
    const std::string expected(generator.generate(0).view());
    expect_output(run(args({"code", "--secret", padded, "--counter", "0"})), expected);
    expect_output(run(args({"code", "--secret", padded.substr(0, 31), "--counter", "0"})), expected);
}

BOOST_AUTO_TEST_CASE(current_time_is_the_default) {
    const auto before = std::chrono::system_clock::now();
    const auto r = run(args({"code", "--secret", sha1_secret}));
    const auto after = std::chrono::system_clock::now();
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(r.err.empty(), r);
    const auto key = twofactor_test::bytes_of("12345678901234567890");
    const twofactor::totp<twofactor::sha1, 6, std::chrono::seconds{30}> generator{key};
    const auto at_before = generator.code_at(before);
    const auto at_after = generator.code_at(after);
    BOOST_TEST_REQUIRE(at_before.has_value());
    BOOST_TEST_REQUIRE(at_after.has_value());
    const bool matches =
        r.out == std::string(at_before->view()) + "\n" || r.out == std::string(at_after->view()) + "\n";
    BOOST_TEST(matches, r);

    // A code of now verifies now, at offset 0 (or -1 if a step boundary passed in between).
    const std::string code = r.out.substr(0, 6);
    const auto v = run(args({"verify", "--secret", sha1_secret, "--code", code}));
    BOOST_TEST(v.status == 0, v);
    BOOST_TEST((v.out == "0\n" || v.out == "-1\n"), v);
}

BOOST_AUTO_TEST_CASE(verify_totp_offsets) {
    // 94287082 is the code of step 1 (t = 30..59).
    const auto verify_at = [](std::string_view time, std::initializer_list<std::string_view> extra = {}) {
        auto a =
            args({"verify", "--secret", sha1_secret, "--digits", "8", "--code", "94287082", "--time", time});
        a.insert(a.end(), extra.begin(), extra.end());
        return run(a);
    };
    expect_output(verify_at("30"), "0");
    expect_output(verify_at("59"), "0");
    expect_output(verify_at("60"), "-1");  // now step 2: the code is one step old
    expect_output(verify_at("89"), "-1");
    expect_output(verify_at("29"), "1");  // now step 0: the code is one step ahead
    expect_output(verify_at("0"), "1");
    expect_rejected(verify_at("90"));  // two steps old
    expect_rejected(verify_at("119"));
    expect_rejected(verify_at("150"));
    expect_output(verify_at("90", {"--window", "2"}), "-2");
    expect_output(verify_at("119", {"--window=2"}), "-2");
    expect_rejected(verify_at("120", {"--window", "2"}));
    expect_output(verify_at("59", {"--window", "0"}), "0");
    expect_rejected(verify_at("60", {"--window", "0"}));
    // Two steps ahead needs a step -1, which does not exist at t = 0..29: window 2 still
    // accepts only what exists.
    const auto ahead =
        run(args({"verify", "--secret", sha1_secret, "--code", "359152", "--time", "0", "--window", "2"}));
    expect_output(ahead, "2");
    expect_rejected(run(args({"verify", "--secret", sha1_secret, "--code", "359152", "--time", "0"})));
    // SHA-256 with its own key.
    expect_output(run(args({"verify", "--secret", sha256_secret, "--algorithm", "SHA256", "--digits", "8",
                            "--code", "46119246", "--time", "59"})),
                  "0");
}

BOOST_AUTO_TEST_CASE(verify_hotp_look_ahead) {
    const auto verify_counter = [](std::string_view code, std::string_view counter,
                                   std::initializer_list<std::string_view> extra = {}) {
        auto a = args({"verify", "--secret", sha1_secret, "--code", code, "--counter", counter});
        a.insert(a.end(), extra.begin(), extra.end());
        return run(a);
    };
    expect_output(verify_counter("755224", "0"), "0");
    expect_output(verify_counter("287082", "0"), "1");  // default window 1
    expect_rejected(verify_counter("359152", "0"));
    expect_output(verify_counter("359152", "0", {"--window", "2"}), "2");
    expect_output(verify_counter("520489", "0", {"--window", "9"}), "9");
    expect_rejected(verify_counter("755224", "1"));  // never behind the counter
    expect_output(verify_counter("520489", "9", {"--window", "0"}), "0");
}

BOOST_AUTO_TEST_CASE(bad_input_exits_2_with_one_line) {
    const std::string s(sha1_secret);
    expect_bad_input(run(args({"code", "--secret", "GEZD0NBVGY3TQOJQ", "--time", "1"})),
                     "--secret: invalid base32 character at position 4");
    expect_bad_input(run(args({"code", "--secret", "GEZ", "--time", "1"})), "--secret");
    expect_bad_input(run(args({"code", "--secret", "MZ", "--time", "1"})), "--secret");
    expect_bad_input(run(args({"code", "--secret", "", "--time", "1"})), "empty secret");
    expect_bad_input(run(args({"code", "--secret", " - ", "--time", "1"})), "empty secret");
    expect_bad_input(run(args({"code", "--secret", s, "--digits", "3"})),
                     "--digits: invalid number of digits \"3\" (expected 6..9)");
    expect_bad_input(run(args({"code", "--secret", s, "--digits", "10"})), "--digits");
    // A secret given to the wrong option is not repeated (run() checks that no 16 characters of
    // it appear); short values are.
    expect_bad_input(run(args({"code", "--secret", s, "--counter", s})),
                     "--counter: invalid number [32 characters, not shown]");
    expect_bad_input(run(args({"code", "--secret", s, "--time", s})), "[32 characters, not shown]");
    expect_bad_input(run(args({"code", "--secret", s, "-" + s})),
                     "unknown option [33 characters, not shown]");
    expect_bad_input(run(args({"code", "--secret", s, "--digits", "+6"})), "--digits");
    expect_bad_input(run(args({"code", "--secret", s, "--algorithm", "MD5"})),
                     "--algorithm: unsupported algorithm \"MD5\" (expected SHA1, SHA256 or SHA512)");
    expect_bad_input(run(args({"code", "--secret", s, "--period", "0"})), "--period");
    expect_bad_input(run(args({"code", "--secret", s, "--period", "-5"})), "--period");
    expect_bad_input(run(args({"code", "--secret", s, "--period", "30s"})), "--period");
    expect_bad_input(run(args({"code", "--secret", s, "--time", "abc"})), "--time");
    expect_bad_input(run(args({"code", "--secret", s, "--time", "59x"})), "--time");
    expect_bad_input(run(args({"code", "--secret", s, "--time", " 59"})), "--time");
    expect_bad_input(run(args({"code", "--secret", s, "--time", "+59"})), "--time");
    expect_bad_input(run(args({"code", "--secret", s, "--time", "99999999999999999999"})), "--time");
    expect_bad_input(run(args({"code", "--secret", s, "--time", "-1"})), "T0");
    expect_bad_input(run(args({"code", "--secret", s, "--time", "5", "--t0", "10"})), "T0");
    expect_bad_input(run(args({"code", "--secret", s, "--t0", "99999999999"})), "T0");
    expect_bad_input(run(args({"code", "--secret", s, "--t0", "x"})), "--t0");
    expect_bad_input(run(args({"code", "--secret", s, "--counter", "-1"})), "--counter");
    expect_bad_input(run(args({"code", "--secret", s, "--counter", "18446744073709551616"})), "--counter");
    expect_bad_input(run(args({"code", "--secret", s, "--time", "1", "--counter", "2"})), "--counter");
    expect_bad_input(run(args({"code", "--secret", s, "--bogus", "1"})), "unknown option \"--bogus\"");
    expect_bad_input(run(args({"code", "--secret", s, "--window", "1"})), "unknown option");
    expect_bad_input(run(args({"code", "--secret"})), "--secret: missing value");
    expect_bad_input(run(args({"code", "--secret", s, "--digits"})), "--digits: missing value");
    expect_bad_input(run(args({"code", "--secret", "--digits", "8"})), "--secret: missing value");
    expect_bad_input(run(args({"code", "--time", "1"})), "--secret");
    expect_bad_input(run(args({"code", "--secret", s, "--digits", "8", "--digits", "8"})), "--digits");
    expect_bad_input(run(args({})), "command");
    expect_bad_input(run(args({"frobnicate"})), "unknown command \"frobnicate\"");
    expect_bad_input(run(args({"--frobnicate"})), "unknown option");
    // Misplaced secrets are refused without being echoed.
    expect_bad_input(run(args({s})), "unknown command");
    expect_bad_input(run(args({"code", s})), "unexpected argument");
    // verify-specific.
    expect_bad_input(run(args({"verify", "--secret", s, "--code", "12345", "--time", "59"})),
                     "--code: malformed code");
    expect_bad_input(run(args({"verify", "--secret", s, "--code", "1234567", "--time", "59"})), "--code");
    expect_bad_input(run(args({"verify", "--secret", s, "--code", "12345a", "--time", "59"})), "--code");
    expect_bad_input(run(args({"verify", "--secret", s, "--code", "-12345", "--time", "59"})), "--code");
    expect_bad_input(run(args({"verify", "--secret", s, "--code", "94287082", "--time", "59"})),
                     "--code");  // 8 digits where 6 are expected
    expect_bad_input(
        run(args({"verify", "--secret", s, "--code", "123456", "--counter", "1", "--window", "1001"})),
        "--window");
    expect_bad_input(run(args({"verify", "--secret", s, "--code", "123456", "--window", "501"})), "--window");
    expect_bad_input(run(args({"verify", "--secret", s, "--code", "123456", "--window", "-1"})), "--window");
    expect_bad_input(run(args({"verify", "--secret", s, "--time", "59"})), "--code");
    // A value with a newline still gives one line.
    expect_bad_input(run(args({"code", "--secret", s, "--algorithm", "SHA1\nSHA256"})), "--algorithm");
}

BOOST_AUTO_TEST_CASE(extreme_values_do_not_crash) {
    // The last counter and the last time step; a negative T0 makes steps beyond 2^63.
    const std::string s(sha1_secret);
    expect_output(run(args({"code", "--secret", s, "--counter", "18446744073709551615"})), "094451");
    expect_output(run(args({"code", "--secret", s, "--time", "9223372036854775807", "--t0",
                            "-9223372036854775808", "--period", "1"})),
                  "094451");
    expect_rejected(run(args({"verify", "--secret", s, "--counter", "18446744073709551615", "--code",
                              "755224", "--window", "1000"})));
    // The code of the last counter matches, but there is no next counter to continue at
    // (accepting it would send the caller back to counter 0): bad input, not a success.
    expect_bad_input(run(args({"verify", "--secret", s, "--counter", "18446744073709551615", "--code",
                               "094451", "--window", "1000"})),
                     "counter overflow");
    // One before it is accepted (continuing at the last counter).
    auto before_last = run(args({"code", "--secret", s, "--counter", "18446744073709551614"}));
    BOOST_TEST_REQUIRE(before_last.status == 0, before_last);
    before_last.out.pop_back();  // the newline
    expect_output(run(args({"verify", "--secret", s, "--counter", "18446744073709551614", "--code",
                            before_last.out, "--window", "1000"})),
                  "0");
    expect_output(run(args({"verify", "--secret", s, "--time", "9223372036854775807", "--t0",
                            "-9223372036854775808", "--period", "1", "--code", "094451"})),
                  "0");
    expect_output(run(args({"code", "--secret", s, "--time", "9223372036854775807", "--period",
                            "9223372036854775807"})),
                  "287082");
    expect_output(
        run(args({"code", "--secret", s, "--time", "-9223372036854775808", "--t0", "-9223372036854775808"})),
        "755224");
}

// Output that cannot be written (a full disk, a closed stream) is never a success: exit 2 with a
// message when stdout fails, and no crash when even stderr fails (the exit status still tells).
BOOST_AUTO_TEST_CASE(output_that_cannot_be_written) {
    BOOST_REQUIRE_MESSAGE(::access("/dev/full", W_OK) == 0, "these checks write to /dev/full");
    const std::string cli = "'" + twofactor_test::cli_path() + "'";
    const std::string s(sha1_secret);
    const std::vector<std::string> commands{
        "code --secret " + s + " --time 59", "uri --secret " + s + " --issuer ACME --account alice",
        "verify --secret " + s + " --time 59 --code 287082", "--help", "code --help"};
    for (const std::string& command : commands) {
        BOOST_TEST_CONTEXT(command) {
            // stderr into the pipe, stdout into /dev/full.
            const auto r = twofactor_test::run_shell(cli + " " + command + " 2>&1 >/dev/full");
            BOOST_TEST(r.status == 2, r.out);
            BOOST_TEST(r.out == "twofactor: error: cannot write to standard output\n");
        }
    }
    struct case_with_stderr_lost {
        std::string command;
        int status;
        std::string out;
    };
    for (const auto& c : std::vector<case_with_stderr_lost>{
             {"code --secret BAD1", 2, ""},
             {"verify --secret " + s + " --time 59 --code 000000", 1, ""},
             {"uri --secret JBSWY3DP --issuer ACME --account alice", 0,
              "otpauth://totp/ACME:alice?secret=JBSWY3DP&issuer=ACME&algorithm=SHA1&digits=6&period=30\n"}}) {
        for (const std::string lost : {" 2>/dev/full", " 2>&-"}) {
            BOOST_TEST_CONTEXT(c.command << lost) {
                const auto r = twofactor_test::run_shell(cli + " " + c.command + lost);
                BOOST_TEST(r.status == c.status, r.out);
                BOOST_TEST(r.out == c.out);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(help) {
    for (const auto& a : {args({"--help"}), args({"-h"})}) {
        const auto r = run(a);
        BOOST_TEST(r.status == 0, r);
        BOOST_TEST(r.out.find("usage: twofactor") != std::string::npos, r);
        BOOST_TEST(r.out.find("code") != std::string::npos, r);
        BOOST_TEST(r.out.find("verify") != std::string::npos, r);
        BOOST_TEST(r.err.empty(), r);
    }
    for (const auto& a : {args({"code", "--help"}), args({"code", "--secret", sha1_secret, "-h"}),
                          args({"code", "--bogus", "--help"})}) {
        const auto r = run(a);
        BOOST_TEST(r.status == 0, r);
        BOOST_TEST(r.out.find("usage: twofactor code --secret B32") != std::string::npos, r);
        for (const auto option : {"--algorithm", "--digits", "--period", "--t0", "--time", "--counter"})
            BOOST_TEST(r.out.find(option) != std::string::npos, option << ": " << r);
        BOOST_TEST(r.err.empty(), r);
    }
    const auto r = run(args({"verify", "--help"}));
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out.find("usage: twofactor verify --secret B32 --code C") != std::string::npos, r);
    BOOST_TEST(r.out.find("--window") != std::string::npos, r);
    BOOST_TEST(r.err.empty(), r);
}
