// Interoperability: codes from the library (hotp, dynamic_totp; RFC 4226 / RFC 6238) agree
// with two independent implementations on random secrets, times, counters, digit counts,
// periods and all three hashes:
//   - oathtool (OATH Toolkit, Debian package oathtool), ~200 invocations;
//   - pyotp (Debian package python3-pyotp, run by /usr/bin/python3), one process per test.
// Secrets are passed to them in base32 written by base32_encode (RFC 4648), so the encoder is
// checked against two decoders too. A missing tool fails the test, naming the package.
#include <boost/test/unit_test.hpp>

#include <twofactor/base32.hpp>
#include <twofactor/hotp.hpp>
#include <twofactor/otp_parameters.hpp>
#include <twofactor/totp.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"
#include "support/temp_folder.hpp"
#include "support/test_support.hpp"

namespace {

using twofactor_test::python;

using twofactor::algorithm;

constexpr std::uint64_t seed = 0x20240611'4226'6238ull;  // fixed: failures are reproducible

struct otp_case {
    bool hotp = false;
    algorithm hash = algorithm::sha1;
    unsigned digits = 6;
    std::int64_t period = 30;   // TOTP
    std::int64_t time = 0;      // TOTP, Unix seconds
    std::uint64_t counter = 0;  // HOTP
    std::vector<std::byte> secret;
    std::string secret_base32;  // unpadded
    std::string expected;       // from the library
};

std::ostream& operator<<(std::ostream& os, const otp_case& c) {
    os << (c.hotp ? "HOTP" : "TOTP") << ' ' << to_string(c.hash) << " digits " << c.digits;
    if (c.hotp)
        os << " counter " << c.counter;
    else
        os << " period " << c.period << " time " << c.time;
    return os << " secret " << c.secret_base32;
}

// The library's code for a case (run-time parameters dispatched to template instances).
std::string library_code(const otp_case& c) {
    return twofactor::visit_algorithm(c.hash, [&](auto hash) {
        return twofactor::visit_digits(c.digits, [&](auto digits) -> std::string {
            using Hash = typename decltype(hash)::type;
            constexpr unsigned Digits = decltype(digits)::value;
            if (c.hotp) {
                const twofactor::hotp<Hash, Digits> generator{c.secret};
                return std::string(generator.generate(c.counter).view());
            }
            const twofactor::dynamic_totp<Hash, Digits> generator{
                c.secret, twofactor::time_step{std::chrono::seconds{c.period}}};
            using unix_seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;
            const auto code = generator.code_at(unix_seconds{std::chrono::seconds{c.time}});
            BOOST_TEST_REQUIRE(code.has_value());
            return std::string(code->view());
        });
    });
}

// Random cases: secrets of 10..64 bytes, times 0..2^33, periods 1..120, counters over the
// whole 64-bit range (and small ones).
std::vector<otp_case> random_cases(std::mt19937_64& rng, std::size_t count, unsigned max_digits,
                                   bool allow_hotp, bool sha1_only_for_hotp) {
    std::uniform_int_distribution<std::size_t> length(10, 64);
    std::uniform_int_distribution<int> hash(0, 2);
    std::uniform_int_distribution<unsigned> digits(6, max_digits);
    std::uniform_int_distribution<std::int64_t> period(1, 120);
    std::uniform_int_distribution<std::int64_t> time(0, std::int64_t{1} << 33);
    std::vector<otp_case> cases;
    for (std::size_t i = 0; i < count; ++i) {
        otp_case c;
        c.hotp = allow_hotp && i % 2 == 1;
        c.hash = static_cast<algorithm>(hash(rng));
        if (c.hotp && sha1_only_for_hotp) c.hash = algorithm::sha1;
        c.digits = digits(rng);
        c.period = period(rng);
        c.time = time(rng);
        c.counter = i % 4 == 1 ? rng() % 1000 : rng();
        c.secret = twofactor_test::random_bytes(rng, length(rng));
        c.secret_base32.resize(
            twofactor::base32_encoded_size(c.secret.size(), twofactor::base32_padding::omit));
        const auto n = twofactor::base32_encode(c.secret, c.secret_base32, twofactor::base32_padding::omit);
        BOOST_TEST_REQUIRE(n.has_value());
        c.expected = library_code(c);
        cases.push_back(std::move(c));
    }
    return cases;
}

using command_output = twofactor_test::process_output;
using twofactor_test::run_shell;

std::string trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

void require_oathtool() {
    const auto probe = run_shell("oathtool --version 2>/dev/null");
    BOOST_REQUIRE_MESSAGE(probe.status == 0 && probe.out.find("oathtool") != std::string::npos,
                          "oathtool is not installed or does not run: install the Debian/Ubuntu "
                          "package 'oathtool' (apt-get install oathtool)");
}

std::string oathtool_command(const otp_case& c) {
    std::ostringstream command;
    command << "oathtool --base32 --digits=" << c.digits;
    if (c.hotp) {
        command << " --hotp --counter=" << c.counter;
    } else {
        command << " --totp=" << to_string(c.hash) << " --time-step-size=" << c.period << "s --now=@"
                << c.time;
    }
    command << ' ' << c.secret_base32 << " 2>&1";
    return command.str();
}

// A temporary file removed when the test ends.
// One line per case in, one code per line out.
constexpr std::string_view pyotp_script = R"(
import hashlib, sys, pyotp
digests = {'SHA1': hashlib.sha1, 'SHA256': hashlib.sha256, 'SHA512': hashlib.sha512}
with open(sys.argv[1]) as cases:
    for line in cases:
        kind, name, digits, period, moment, counter, secret = line.split()
        if kind == 'HOTP':
            otp = pyotp.HOTP(secret, digits=int(digits), digest=digests[name])
            print(otp.at(int(counter)))
        else:
            otp = pyotp.TOTP(secret, digits=int(digits), digest=digests[name], interval=int(period))
            print(otp.at(int(moment)))
)";

std::vector<std::string> pyotp_codes(const std::vector<otp_case>& cases) {
    std::ostringstream input;
    for (const auto& c : cases) {
        input << (c.hotp ? "HOTP" : "TOTP") << ' ' << to_string(c.hash) << ' ' << c.digits << ' ' << c.period
              << ' ' << c.time << ' ' << c.counter << ' ' << c.secret_base32 << '\n';
    }
    const twofactor_test::temp_folder folder("interop");
    const auto output = twofactor_test::run_process(
        python, {folder.write("ask_pyotp.py", pyotp_script), folder.write("cases.txt", input.str())});
    BOOST_REQUIRE_MESSAGE(output.status == 0, "pyotp run failed: " << output);
    std::vector<std::string> codes;
    std::istringstream lines(output.out);
    for (std::string line; std::getline(lines, line);) codes.push_back(trim(line));
    BOOST_REQUIRE_EQUAL(codes.size(), cases.size());
    return codes;
}

}  // namespace

BOOST_AUTO_TEST_CASE(tools_are_installed) {
    require_oathtool();
    twofactor_test::require_python_module("import pyotp", "python3-pyotp");
}

BOOST_AUTO_TEST_CASE(library_agrees_with_oathtool) {
    require_oathtool();
    std::mt19937_64 rng(seed);
    // oathtool: 6..8 digits; its HOTP is HMAC-SHA-1 only. 200 invocations in all, 50 per
    // shell, each answer followed by a separator line.
    const auto cases = random_cases(rng, 200, 8, true, true);
    constexpr std::size_t batch = 50;
    constexpr std::string_view separator = "--next--";
    for (std::size_t first = 0; first < cases.size(); first += batch) {
        std::string script;
        const std::size_t last = std::min(cases.size(), first + batch);
        for (std::size_t i = first; i < last; ++i) {
            script += oathtool_command(cases[i]) + " || echo oathtool-failed; echo " +
                      std::string(separator) + "; ";
        }
        const auto output = run_shell(script);
        BOOST_TEST_REQUIRE(output.status == 0, output.out);
        std::istringstream lines(output.out);
        for (std::size_t i = first; i < last; ++i) {
            std::string answer;
            for (std::string line; std::getline(lines, line) && line != separator;) answer += line;
            BOOST_TEST_CONTEXT(cases[i]) { BOOST_TEST(trim(answer) == cases[i].expected); }
        }
    }
}

BOOST_AUTO_TEST_CASE(library_agrees_with_pyotp) {
    twofactor_test::require_python_module("import pyotp", "python3-pyotp");
    std::mt19937_64 rng(seed + 1);
    // pyotp: every hash for HOTP and TOTP, 6..9 digits. All cases in one Python process.
    const auto cases = random_cases(rng, 2000, 9, true, false);
    const auto codes = pyotp_codes(cases);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        BOOST_TEST_CONTEXT(cases[i]) { BOOST_TEST(codes[i] == cases[i].expected); }
    }
}

BOOST_AUTO_TEST_CASE(rfc_vectors_through_both_tools) {
    // Anchors the comparison: RFC 6238 Appendix B (SHA-1, 8 digits, t = 59) and RFC 4226
    // Appendix D (counter 9) give the published codes in all three implementations.
    require_oathtool();
    twofactor_test::require_python_module("import pyotp", "python3-pyotp");
    otp_case totp_case;
    totp_case.digits = 8;
    totp_case.time = 59;
    totp_case.secret = twofactor_test::bytes_of(std::string_view("12345678901234567890"));
    totp_case.secret_base32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    totp_case.expected = library_code(totp_case);
    BOOST_TEST(totp_case.expected == "94287082");
    otp_case hotp_case = totp_case;
    hotp_case.hotp = true;
    hotp_case.digits = 6;
    hotp_case.counter = 9;
    hotp_case.expected = library_code(hotp_case);
    BOOST_TEST(hotp_case.expected == "520489");
    for (const auto& c : {totp_case, hotp_case}) {
        BOOST_TEST_CONTEXT(c) { BOOST_TEST(trim(run_shell(oathtool_command(c)).out) == c.expected); }
    }
    const auto codes = pyotp_codes({totp_case, hotp_case});
    BOOST_TEST(codes[0] == "94287082");
    BOOST_TEST(codes[1] == "520489");
}
