// Tests of `twofactor uri` (tools/twofactor/uri_command.cpp), run as a separate process: the
// otpauth:// Key URI (Google Authenticator Key Uri Format) on stdout, warnings and errors as
// single lines on stderr, exit statuses as in DESIGN.md ("Command-line tool").
//
// The path of the tool comes from the environment variable TWOFACTOR_CLI (set by
// tests/CMakeLists.txt for every test); tests/support/process.hpp runs it.
#include <boost/test/unit_test.hpp>

#include <twofactor/otpauth_uri.hpp>

#include <algorithm>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"
#include "support/test_support.hpp"

namespace {

constexpr std::string_view acme_secret = "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ";  // 160 bits
constexpr std::string_view short_secret = "JBSWY3DPEHPK3PXP";                 // 80 bits

struct run_result {
    std::string command;
    int status = -1;  // exit status, or 128 + signal number
    std::string out;
    std::string err;
};

std::ostream& operator<<(std::ostream& os, const run_result& r) {
    return os << "[twofactor" << r.command << "] status " << r.status << ", stdout \"" << r.out
              << "\", stderr \"" << r.err << '"';
}

// Runs the tool with `args` (tests/support/process.hpp).
run_result run(const std::vector<std::string>& args) {
    const auto output = twofactor_test::run_process(twofactor_test::cli_path(), args);
    run_result result;
    for (const auto& a : args) result.command += " " + a;
    result.status = output.status;
    result.out = output.out;
    result.err = output.err;
    // The secret belongs in the URI on stdout, never in a message on stderr.
    for (const auto secret : {acme_secret, short_secret}) {
        BOOST_TEST(result.err.find(secret.substr(0, 12)) == std::string::npos,
                   "secret on stderr: " << result);
    }
    return result;
}

std::vector<std::string> args(std::initializer_list<std::string_view> list) {
    return {list.begin(), list.end()};
}

// Success: exactly `uri` + newline on stdout, `warnings` lines on stderr.
void expect_uri(const run_result& r, std::string_view uri, std::size_t warnings = 0) {
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out == std::string(uri) + "\n", r);
    BOOST_TEST(static_cast<std::size_t>(std::count(r.err.begin(), r.err.end(), '\n')) == warnings, r);
    if (warnings != 0) BOOST_TEST(r.err.starts_with("twofactor: warning: "), r);
    // Whatever we print, the library parses back.
    BOOST_TEST(twofactor::otpauth_uri::parse(uri).has_value(), r);
}

// Bad input: exit 2, nothing on stdout, exactly one line "twofactor: error: ..." naming `mention`.
void expect_bad_input(const run_result& r, std::string_view mention) {
    BOOST_TEST(r.status == 2, r);
    BOOST_TEST(r.out.empty(), r);
    BOOST_TEST(r.err.starts_with("twofactor: error: "), r);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r);
    BOOST_TEST(r.err.ends_with("\n"), r);
    BOOST_TEST(r.err.find(mention) != std::string::npos, "expected \"" << mention << "\": " << r);
}

}  // namespace

BOOST_AUTO_TEST_CASE(key_uri_format_acme_example) {
    expect_uri(
        run(args({"uri", "--secret", acme_secret, "--issuer", "ACME Co", "--account", "john.doe@email.com"})),
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
        "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30");
    // Options in any order, with '=' or not, a typed secret (lowercase, spaces).
    expect_uri(run(args({"uri", "--account=john.doe@email.com", "--issuer=ACME Co", "--secret",
                         "hxdm vjec jjws rb3h wizr 4ifu gftm xboz", "--algorithm", "sha1", "--digits", "6",
                         "--period", "30"})),
               "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
               "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30");
}

// DESIGN.md: uri takes code's options too, so one command line serves code, verify and uri.
// The URI format has no T0, so only --t0 0 is possible; --time changes nothing.
BOOST_AUTO_TEST_CASE(the_options_of_code_are_accepted) {
    expect_uri(run(args({"uri", "--secret", acme_secret, "--issuer", "ACME Co", "--account",
                         "john.doe@email.com", "--t0", "0", "--time", "1111111109", "--period", "30"})),
               "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
               "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30");
}

BOOST_AUTO_TEST_CASE(short_secret_warns_but_succeeds) {
    const auto r =
        run(args({"uri", "--secret", short_secret, "--issuer", "Example", "--account", "alice@google.com"}));
    expect_uri(r,
               "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
               "&algorithm=SHA1&digits=6&period=30",
               1);
    BOOST_TEST(r.err.find("80 bits") != std::string::npos, r);
    BOOST_TEST(r.err.find("128") != std::string::npos, r);
}

BOOST_AUTO_TEST_CASE(non_default_parameters_warn_on_one_line) {
    const auto r = run(args({"uri", "--secret", acme_secret, "--issuer", "ACME", "--account", "bob",
                             "--algorithm", "SHA256", "--digits", "8", "--period", "60"}));
    expect_uri(r,
               "otpauth://totp/ACME:bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME"
               "&algorithm=SHA256&digits=8&period=60",
               1);
    for (const auto word :
         {"SHA256", "8 digits", "60 s", "Google Authenticator", "Microsoft Authenticator", "Authy"}) {
        BOOST_TEST(r.err.find(word) != std::string::npos, word << ": " << r);
    }
    const auto one =
        run(args({"uri", "--secret", acme_secret, "--issuer", "ACME", "--account", "bob", "--digits", "7"}));
    BOOST_TEST(one.err.find("7 digits") != std::string::npos, one);
    BOOST_TEST(one.err.find("SHA") == one.err.find("SHA1, 6 digits"), one);  // only the advice names SHA
    // Both warnings: two lines.
    const auto both = run(args(
        {"uri", "--secret", short_secret, "--issuer", "ACME", "--account", "bob", "--algorithm", "SHA512"}));
    expect_uri(
        both,
        "otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA512&digits=6&period=30", 2);
}

BOOST_AUTO_TEST_CASE(hotp_uri_with_counter) {
    expect_uri(
        run(args({"uri", "--secret", acme_secret, "--issuer", "ACME", "--account", "bob", "--counter", "0"})),
        "otpauth://hotp/ACME:bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME&algorithm=SHA1&digits=6"
        "&counter=0");
    expect_uri(
        run(args({"uri", "--secret", acme_secret, "--issuer", "ACME", "--account", "bob", "--counter",
                  "18446744073709551615"})),
        "otpauth://hotp/ACME:bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME&algorithm=SHA1&digits=6"
        "&counter=18446744073709551615");
}

BOOST_AUTO_TEST_CASE(names_are_percent_encoded) {
    expect_uri(
        run(args({"uri", "--secret", acme_secret, "--issuer", "Café & Co/+?#%", "--account", "a b@c.d"})),
        "otpauth://totp/Caf%C3%A9%20%26%20Co%2F%2B%3F%23%25:a%20b@c.d?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
        "&issuer=Caf%C3%A9%20%26%20Co%2F%2B%3F%23%25&algorithm=SHA1&digits=6&period=30");
    // Values that start with dashes need the '=' form; "--" ends the options.
    expect_uri(
        run(args({"uri", "--secret", acme_secret, "--issuer", "I", "--account=--bob", "--"})),
        "otpauth://totp/I:--bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=I&algorithm=SHA1&digits=6"
        "&period=30");
}

BOOST_AUTO_TEST_CASE(help) {
    const auto r = run(args({"uri", "--help"}));
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out.starts_with("usage: twofactor uri --secret B32 --issuer I --account A"), r);
    BOOST_TEST(r.err.empty(), r);
    const auto top = run(args({"--help"}));
    BOOST_TEST(top.out.find("\n  uri ") != std::string::npos, top);
}

BOOST_AUTO_TEST_CASE(bad_input_exits_2_with_one_line) {
    const std::string s(acme_secret);
    const auto uri = [&](std::initializer_list<std::string_view> extra) {
        auto a = args({"uri", "--secret", s, "--issuer", "ACME", "--account", "bob"});
        a.insert(a.end(), extra.begin(), extra.end());
        return run(a);
    };
    expect_bad_input(run(args({"uri", "--issuer", "ACME", "--account", "bob"})),
                     "missing required option --secret");
    expect_bad_input(run(args({"uri", "--secret", s, "--account", "bob"})),
                     "missing required option --issuer");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", "ACME"})),
                     "missing required option --account");
    expect_bad_input(run(args({"uri", "--secret", "HXDM0JEC", "--issuer", "I", "--account", "a"})),
                     "--secret: invalid base32 character at position 4");
    expect_bad_input(run(args({"uri", "--secret", "HXD", "--issuer", "I", "--account", "a"})), "--secret");
    expect_bad_input(run(args({"uri", "--secret", " ", "--issuer", "I", "--account", "a"})),
                     "--secret: empty secret");
    expect_bad_input(run(args({"uri", "--secret", std::string(104, 'A'), "--issuer", "I", "--account", "a"})),
                     "--secret: secret too long");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", "AC:ME", "--account", "bob"})),
                     "--issuer: a colon or control character is not allowed");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", "ACME", "--account", "b:ob"})),
                     "--account: a colon");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", "ACME", "--account", " bob"})),
                     "leading space");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", "ACME", "--account", "b\nob"})),
                     "--account");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", "ACME", "--account", "b\xFFob"})),
                     "--account: not valid UTF-8");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", "", "--account", "bob"})),
                     "--issuer: empty");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", "ACME", "--account", ""})),
                     "--account: empty");
    expect_bad_input(run(args({"uri", "--secret", s, "--issuer", std::string(257, 'i'), "--account", "bob"})),
                     "--issuer: longer than 256 bytes");
    expect_bad_input(uri({"--digits", "10"}), "--digits");
    expect_bad_input(uri({"--digits", "5"}), "--digits");
    expect_bad_input(uri({"--algorithm", "MD5"}), "--algorithm");
    expect_bad_input(uri({"--period", "0"}), "--period");
    expect_bad_input(uri({"--period", "86401"}),
                     "--period: invalid period \"86401\" (expected 1..86400 seconds)");
    expect_bad_input(uri({"--period", "30", "--counter", "1"}), "--period does not apply to HOTP");
    expect_bad_input(uri({"--counter", "-1"}), "--counter");
    expect_bad_input(uri({"--counter", "x"}), "--counter");
    expect_bad_input(uri({"--t0", "30"}), "--t0: an otpauth URI cannot carry a T0");
    expect_bad_input(uri({"--t0", "x"}), "--t0: invalid number");
    expect_bad_input(uri({"--time", "59", "--counter", "1"}), "--time and --counter cannot be combined");
    expect_bad_input(uri({"--window", "1"}), "unknown option \"--window\"");
    expect_bad_input(uri({"--issuer", "X"}), "--issuer given more than once");
    expect_bad_input(uri({"--", "extra"}), "unexpected argument");
    expect_bad_input(uri({s}), "unexpected argument");
    expect_bad_input(run(args({"uri", "--secret"})), "--secret: missing value");
}
