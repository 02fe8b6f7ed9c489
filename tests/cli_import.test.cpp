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

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;

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

// One export split over three QR codes (batch id 555): "Example:alice", ":bob", ":carol".
const std::string three_codes[] = {
    "otpauth-migration://"
    "offline?data=CjQKFGZpcnN0IHNlY3JldCAyMCBieXRlEg1FeGFtcGxlOmFsaWNlGgdFeGFtcGxlIAEoATACEAEYAyAAKKsE",
    "otpauth-migration://"
    "offline?data=CjIKFHNlY29uZCBzZWNyZXQgMjAgYnl0EgtFeGFtcGxlOmJvYhoHRXhhbXBsZSABKAEwAhABGAMgASirBA%3D%3D",
    "otpauth-migration://"
    "offline?data=CjQKFHRoaXJkIHNlY3JldCAyMCBieXRlEg1FeGFtcGxlOmNhcm9sGgdFeGFtcGxlIAEoATACEAEYAyACKKsE"};
const std::string three_codes_out[] = {
    "otpauth://totp/"
    "Example:alice?secret=MZUXE43UEBZWKY3SMV2CAMRQEBRHS5DF&issuer=Example&algorithm=SHA1&digits=6"
    "&period=30\n",
    "otpauth://totp/"
    "Example:bob?secret=ONSWG33OMQQHGZLDOJSXIIBSGAQGE6LU&issuer=Example&algorithm=SHA1&digits=6"
    "&period=30\n",
    "otpauth://totp/"
    "Example:carol?secret=ORUGS4TEEBZWKY3SMV2CAMRQEBRHS5DF&issuer=Example&algorithm=SHA1&digits=6"
    "&period=30\n"};

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
    for (const std::string_view secret : {"JBSWY3DP", "GEZDGNBV", "MZUXE43U", "ONSWG33O", "ORUGS4TE",
                                          "CjYKCkhl", "CiMKFDEy", "MTIzNDU2", "CjQKFGZp"}) {
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
    expect_bad_input(run_with_input(std::string(20000, 'A') + "\n"),
                     "standard input line 1: input line too long");
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
            "twofactor: note: the export is split over 3 QR codes; QR codes 1, 3 were not given: import them "
            "too\n",
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

BOOST_AUTO_TEST_CASE(standard_input_takes_every_qr_code_of_an_export) {
    // In another order, with blank lines: numbered across the texts, nothing missing.
    const run_result all =
        run_with_input(three_codes[2] + "\n\n" + three_codes[0] + "\n" + three_codes[1] + "\n");
    BOOST_TEST(all.status == 0, all);
    BOOST_TEST(all.out == three_codes_out[2] + three_codes_out[0] + three_codes_out[1], all);
    BOOST_TEST(all.err.empty(), all);
    // One missing.
    const run_result two = run_with_input(three_codes[0] + "\n" + three_codes[1] + "\n");
    BOOST_TEST(two.out == three_codes_out[0] + three_codes_out[1], two);
    BOOST_TEST(two.err ==
                   "twofactor: note: the export is split over 3 QR codes; QR code 3 was not given: import it "
                   "too\n",
               two);
    // With an otpauth:// URI and another export: accounts numbered on (account 4: weak secret).
    const run_result mixed = run_with_input(three_codes[0] + "\n" + std::string(two_accounts) + "\n");
    BOOST_TEST(mixed.status == 0, mixed);
    BOOST_TEST(mixed.out == three_codes_out[0] + std::string(two_accounts_out), mixed);
    BOOST_TEST(mixed.err.find("twofactor: warning: account 2: the secret has 80 bits") != std::string::npos,
               mixed);
    // A bad text anywhere: nothing printed, the line named.
    expect_bad_input(run_with_input(three_codes[0] + "\n\n" + std::string(second_is_md5) + "\n"),
                     "standard input line 3: account 2 of the export: unsupported algorithm");
    expect_bad_input(run_with_input(three_codes[0] + "\nhello\n"),
                     "standard input line 2: not an otpauth://");
    std::string many;
    for (int i = 0; i < 65; ++i) many += three_codes[0] + "\n";
    expect_bad_input(run_with_input(many), "more than 64 texts");
}

// The whole path of a split export without a phone: our QR codes of the three texts (as the
// app shows them), decoded by zbarimg (Debian zbar-tools), piped into import.
BOOST_AUTO_TEST_CASE(qr_codes_decoded_by_zbarimg_import_whole) {
    BOOST_REQUIRE_MESSAGE(twofactor_test::run_process("zbarimg", {"--version"}).status == 0,
                          "zbarimg does not run: install the Debian package zbar-tools");
    const twofactor_test::temp_folder folder("cli-import");
    for (int i = 0; i < 3; ++i) {
        const fs::path image = folder.path() / ("export-" + std::to_string(i + 1) + ".png");
        const run_result drawn = run({"qr", "--format", "png", "--out", image.string(), three_codes[i]});
        BOOST_TEST_REQUIRE(drawn.status == 0, drawn);
    }
    const auto imported = twofactor_test::run_shell(
        "zbarimg --raw -q " + folder.file("export-1.png") + " " + folder.file("export-2.png") + " " +
        folder.file("export-3.png") + " | " + twofactor_test::cli_path() + " import - 2>&1");
    BOOST_TEST(imported.status == 0, imported.out);
    BOOST_TEST(imported.out == three_codes_out[0] + three_codes_out[1] + three_codes_out[2]);
}
