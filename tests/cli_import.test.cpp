// Tests of `twofactor import` (tools/twofactor/import_command.cpp), run as a separate process:
// Google Authenticator exports (otpauth-migration://) and single otpauth:// URIs in, normalised
// otpauth:// URIs out, one per line; notes and errors as single lines on stderr; nothing on
// stdout unless every account is valid. The exports were made by Python's protobuf package
// (Debian python3-protobuf), an encoder independent of ours.
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

namespace {

// Two accounts: TOTP "ACME Co:alice@example.com" with the 80-bit JBSWY3DPEHPK3PXP, and HOTP
// "bob" (SHA512, 8 digits, counter 42) with RFC 4226's key; version 1, batch 0 of 1, id -12345.
constexpr std::string_view two_accounts =
    "otpauth-migration://"
    "offline?data=CjYKCkhlbGxvId6tvu8SGUFDTUUgQ286YWxpY2VAZXhhbXBsZS5jb20aB0FDTUUgQ28gASgBMAIKJQoUM"
    "TIzNDU2Nzg5MDEyMzQ1Njc4OTASA2JvYhoAIAMoAjABOCoQARgBIAAox5%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FAQ%3D%3D";
constexpr std::string_view two_accounts_out =
    "otpauth://totp/"
    "ACME%20Co:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6"
    "&period=30\n"
    "otpauth://hotp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8&counter=42\n";
// Account 1 "A:ok" is fine, account 2 "B:md5" uses MD5.
constexpr std::string_view second_is_md5 =
    "otpauth-migration://"
    "offline?data=CiMKFDEyMzQ1Njc4OTAxMjM0NTY3ODkwEgJvaxoBQSABKAEwAgokChQxMjM0NTY3ODkwMTIzNDU2Nzg5M"
    "BIDbWQ1GgFCIAQoATACEAEYASAAKAc%3D";
// QR code 2 of 3: "Contoso:carol" with issuer field "Microsoft", SHA256, 8 digits.
constexpr std::string_view second_of_three =
    "otpauth-migration://"
    "offline?data=CjYKFDEyMzQ1Njc4OTAxMjM0NTY3ODkwEg1Db250b3NvOmNhcm9sGglNaWNyb3NvZnQgAigCMAIQARgDI"
    "AEoYw%3D%3D";

struct run_result {
    std::string command;
    int status = -1;
    std::string out;
    std::string err;
};

std::ostream& operator<<(std::ostream& os, const run_result& r) {
    return os << "[twofactor" << r.command << "] status " << r.status << ", stdout \"" << r.out
              << "\", stderr \"" << r.err << '"';
}

run_result finish(std::string command, const twofactor_test::process_output& output) {
    run_result result{std::move(command), output.status, output.out, output.err};
    // Secrets belong on stdout only: never in a note or an error.
    for (const std::string_view secret : {"JBSWY3DP", "GEZDGNBV", "CjYKCkhl", "CiMKFDEy", "MTIzNDU2"}) {
        BOOST_TEST(result.err.find(secret) == std::string::npos, "secret on stderr: " << result);
    }
    return result;
}

run_result run(std::initializer_list<std::string_view> list) {
    const std::vector<std::string> args(list.begin(), list.end());
    std::string command;
    for (const auto& a : args) command += " " + a;
    return finish(command, twofactor_test::run_process(twofactor_test::cli_path(), args));
}

run_result run_with_input(std::string_view input) {
    return finish(" import -", twofactor_test::run_process_with_input(twofactor_test::cli_path(),
                                                                      {"import", "-"}, std::string(input)));
}

std::size_t lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Bad input: exit 2, nothing on stdout, exactly one line "twofactor: error: ..." naming `mention`.
void expect_bad_input(const run_result& r, std::string_view mention) {
    BOOST_TEST(r.status == 2, r);
    BOOST_TEST(r.out.empty(), r);
    BOOST_TEST(r.err.starts_with("twofactor: error: "), r);
    BOOST_TEST(lines(r.err) == 1U, r);
    BOOST_TEST(r.err.find(mention) != std::string::npos, "expected \"" << mention << "\": " << r);
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_export_prints_one_uri_per_account) {
    const run_result r = run({"import", two_accounts});
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out == two_accounts_out, r);
    // Account 1's secret has 80 bits: one warning, naming the account.
    BOOST_TEST(
        r.err ==
            "twofactor: warning: account 1: the secret has 80 bits, fewer than the 128 RFC 4226 requires\n",
        r);
    // What is printed parses back.
    std::string_view out = r.out;
    while (!out.empty()) {
        const std::size_t end = out.find('\n');
        BOOST_TEST(twofactor::otpauth_uri::parse(out.substr(0, end)).has_value(), r);
        out.remove_prefix(end + 1);
    }
}

BOOST_AUTO_TEST_CASE(standard_input_keeps_the_text_out_of_the_process_list) {
    const run_result r = run_with_input(std::string(two_accounts) + "\n");
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out == two_accounts_out, r);
    BOOST_TEST(run_with_input(std::string(two_accounts) + "\r\n").out == two_accounts_out);
    BOOST_TEST(run_with_input(two_accounts).out == two_accounts_out);  // no final newline
    expect_bad_input(run_with_input(""), "standard input: no TEXT");
    expect_bad_input(run_with_input(std::string(20000, 'A') + "\n"), "standard input: input line too long");
}

BOOST_AUTO_TEST_CASE(a_split_export_and_a_differing_issuer_are_noted) {
    const run_result r = run({"import", second_of_three});
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out ==
                   "otpauth://totp/Microsoft:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft"
                   "&algorithm=SHA256&digits=8&period=30\n",
               r);
    BOOST_TEST(
        r.err ==
            "twofactor: note: account 1: the label's issuer differs from the issuer field; the issuer field "
            "was kept\n"
            "twofactor: note: this is QR code 2 of 3 of the export: import the others too\n",
        r);
}

BOOST_AUTO_TEST_CASE(one_bad_account_prints_nothing) {
    expect_bad_input(run({"import", second_is_md5}), "account 2 of the export: unsupported algorithm");
}

BOOST_AUTO_TEST_CASE(an_otpauth_uri_is_checked_and_normalised) {
    const run_result r = run({"import",
                              "OTPAUTH://TOTP/ACME%20Co:%20alice?issuer=ACME%20Co&secret=hxdm vjec jjws rb3h "
                              "wizr 4ifu gftm xboz&digits=6"});
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out ==
                   "otpauth://totp/ACME%20Co:alice?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co"
                   "&algorithm=SHA1&digits=6&period=30\n",
               r);
    BOOST_TEST(r.err.empty(), r);
    expect_bad_input(run({"import", "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits=5"}),
                     "invalid number of digits");
}

BOOST_AUTO_TEST_CASE(bad_text_names_the_problem_and_where) {
    expect_bad_input(run({"import", "otpauth-migration://offline?data=AB*"}), "invalid base64");
    expect_bad_input(run({"import", "otpauth-migration://offline?data=AB*"}), "at position 35");
    expect_bad_input(run({"import", "otpauth-migration://offline?data=CgE"}),
                     "not a valid authenticator export");
    expect_bad_input(run({"import", "otpauth-migration://offline?data="}), "the export holds no accounts");
    expect_bad_input(run({"import", "otpauth-migration://online?data=CgA%3D"}), "at position 20");
    expect_bad_input(run({"import", "https://example.com/"}),
                     "not an otpauth:// or otpauth-migration:// URI");
    expect_bad_input(run({"import", "otpauth-migration://offline?data=CgA"}),
                     "account 1 of the export: missing account");
    expect_bad_input(run({"import"}), "missing TEXT");
    expect_bad_input(run({"import", "a", "b"}), "import");
    expect_bad_input(run({"import", "--secret", "x"}), "--secret");
}

BOOST_AUTO_TEST_CASE(help_describes_the_command) {
    const run_result r = run({"import", "--help"});
    BOOST_TEST(r.status == 0, r);
    BOOST_TEST(r.out.find("otpauth-migration://") != std::string::npos, r);
    const run_result all = run({"--help"});
    BOOST_TEST(all.out.find("  import ") != std::string::npos, all);
}
