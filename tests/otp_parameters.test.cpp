// Tests of twofactor/otp_parameters.hpp: algorithm and digit parameters (Key URI Format,
// RFC 6238 §1.2, RFC 4226 §5.3 and erratum 5792) and their dispatch to template instances.

// Route broken preconditions to a counter instead of abort(), to check what happens after
// a failed assertion when a user disables it.
namespace {
int assertion_failures = 0;
void note_assertion_failure() { ++assertion_failures; }
}  // namespace
#define TWOFACTOR_ASSERT(condition, message) ((condition) ? static_cast<void>(0) : note_assertion_failure())

#include <boost/test/unit_test.hpp>

#include <twofactor/otp_parameters.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "support/test_support.hpp"

namespace tf = twofactor;
using namespace std::string_view_literals;

namespace {

constexpr tf::algorithm all_algorithms[] = {tf::algorithm::sha1, tf::algorithm::sha256,
                                            tf::algorithm::sha512};

constexpr std::string_view name_by_visit(tf::algorithm a) {
    return tf::visit_algorithm(a, [](auto hash) -> std::string_view { return decltype(hash)::type::name; });
}

constexpr unsigned digits_by_visit(unsigned digits) {
    return tf::visit_digits(digits, [](auto d) { return decltype(d)::value; });
}

}  // namespace

// ---- Compile time -----------------------------------------------------------------------

static_assert(tf::to_string(tf::algorithm::sha1) == "SHA1");
static_assert(tf::to_string(tf::algorithm::sha256) == "SHA256");
static_assert(tf::to_string(tf::algorithm::sha512) == "SHA512");
static_assert(tf::parse_algorithm("SHA256") == tf::algorithm::sha256);
static_assert(tf::parse_algorithm("sha512") == tf::algorithm::sha512);
static_assert(tf::parse_algorithm("MD5") == tf::unexpected(tf::errc::unsupported_algorithm));
static_assert(tf::parse_digits("8") == 8u);
static_assert(tf::parse_digits("10") == tf::unexpected(tf::errc::invalid_digits));
static_assert(name_by_visit(tf::algorithm::sha1) == "SHA1");
static_assert(name_by_visit(tf::algorithm::sha256) == "SHA256");
static_assert(name_by_visit(tf::algorithm::sha512) == "SHA512");
static_assert(digits_by_visit(6) == 6 && digits_by_visit(7) == 7 && digits_by_visit(8) == 8 &&
              digits_by_visit(9) == 9);
static_assert(tf::visit_algorithm(tf::algorithm::sha256, [](auto hash) {
    return std::is_same_v<typename decltype(hash)::type, tf::sha256>;
}));

// ---- Run time ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(algorithm_names) {
    BOOST_TEST(tf::to_string(tf::algorithm::sha1) == "SHA1");
    BOOST_TEST(tf::to_string(tf::algorithm::sha256) == "SHA256");
    BOOST_TEST(tf::to_string(tf::algorithm::sha512) == "SHA512");
    BOOST_TEST(tf::to_string(static_cast<tf::algorithm>(42)).empty());
    for (const auto a : all_algorithms) {
        // The name is the one the hash policy itself declares (Key URI Format spelling).
        BOOST_TEST(tf::to_string(a) == name_by_visit(a));
        const auto back = tf::parse_algorithm(tf::to_string(a));
        BOOST_TEST_REQUIRE(back.has_value());
        BOOST_TEST((*back == a));
    }
}

BOOST_AUTO_TEST_CASE(parse_algorithm_ignores_case_only) {
    const std::pair<std::string_view, tf::algorithm> accepted[] = {
        {"SHA1", tf::algorithm::sha1},     {"sha1", tf::algorithm::sha1},
        {"Sha1", tf::algorithm::sha1},     {"SHA256", tf::algorithm::sha256},
        {"sha256", tf::algorithm::sha256}, {"sHa256", tf::algorithm::sha256},
        {"SHA512", tf::algorithm::sha512}, {"sha512", tf::algorithm::sha512},
    };
    for (const auto& [text, expected] : accepted) {
        BOOST_TEST_CONTEXT("\"" << text << "\"") {
            const auto a = tf::parse_algorithm(text);
            BOOST_TEST_REQUIRE(a.has_value());
            BOOST_TEST((*a == expected));
        }
    }
    const std::string_view rejected[] = {
        "MD5",     "",         "SHA1 ",     " SHA1",   "SHA-1", "SHA-256",  "SHA-512",
        "SHA384",  "SHA",      "SHA2",      "SHA5120", "SHA11", "SHA1\0"sv, "\0SHA1"sv,
        "ＳＨＡ1", "SHA256\n", "HMAC-SHA1", "sha_1",   "S",
    };
    for (const auto text : rejected) {
        BOOST_TEST_CONTEXT("length " << text.size() << " \"" << std::string(text) << "\"") {
            const auto a = tf::parse_algorithm(text);
            BOOST_TEST_REQUIRE(!a.has_value());
            BOOST_TEST(a.error() == tf::errc::unsupported_algorithm);
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_digits_accepts_6_to_9) {
    for (unsigned d = 6; d <= 9; ++d) {
        const std::string text(1, static_cast<char>('0' + d));
        const auto parsed = tf::parse_digits(text);
        BOOST_TEST_REQUIRE(parsed.has_value());
        BOOST_TEST(*parsed == d);
    }
    const std::string_view rejected[] = {
        "3", "0", "5", "10", "", "+6", "-6", " 6", "6 ", "06", "6\0"sv, "\0"sv, "a", "٦", "66", "9x",
    };
    for (const auto text : rejected) {
        BOOST_TEST_CONTEXT("length " << text.size() << " \"" << std::string(text) << "\"") {
            const auto parsed = tf::parse_digits(text);
            BOOST_TEST_REQUIRE(!parsed.has_value());
            BOOST_TEST(parsed.error() == tf::errc::invalid_digits);
        }
    }
}

BOOST_AUTO_TEST_CASE(visit_algorithm_selects_the_policy_type) {
    BOOST_TEST(tf::visit_algorithm(tf::algorithm::sha1, [](auto hash) {
        return std::is_same_v<typename decltype(hash)::type, tf::sha1>;
    }));
    BOOST_TEST(tf::visit_algorithm(tf::algorithm::sha256, [](auto hash) {
        return std::is_same_v<typename decltype(hash)::type, tf::sha256>;
    }));
    BOOST_TEST(tf::visit_algorithm(tf::algorithm::sha512, [](auto hash) {
        return std::is_same_v<typename decltype(hash)::type, tf::sha512>;
    }));
    // The digest size travels with the type.
    BOOST_TEST(tf::visit_algorithm(tf::algorithm::sha512, [](auto hash) {
                   return std::size_t{decltype(hash)::type::digest_size};
               }) == 64u);
}

BOOST_AUTO_TEST_CASE(visit_returns_what_f_returns) {
    // decltype(auto): a reference stays a reference.
    int target = 0;
    int& ref = tf::visit_algorithm(tf::algorithm::sha256, [&](auto) -> int& { return target; });
    ref = 7;
    BOOST_TEST(target == 7);
    int& ref2 = tf::visit_digits(8, [&](auto) -> int& { return target; });
    ref2 = 9;
    BOOST_TEST(target == 9);
    // Move-only results pass through.
    auto owned = tf::visit_digits(6, [](auto d) { return std::make_unique<unsigned>(d.value); });
    BOOST_TEST(*owned == 6u);
    // void works.
    unsigned seen = 0;
    tf::visit_digits(7, [&](auto d) { seen = d.value; });
    BOOST_TEST(seen == 7u);
}

BOOST_AUTO_TEST_CASE(visit_digits_selects_the_value) {
    for (unsigned d = 6; d <= 9; ++d) BOOST_TEST(digits_by_visit(d) == d);
    // The constant is usable as a template argument.
    const auto width = tf::visit_digits(
        9, [](auto d) { return std::integral_constant<unsigned, decltype(d)::value>::value; });
    BOOST_TEST(width == 9u);
}

BOOST_AUTO_TEST_CASE(broken_preconditions_assert_and_stay_defined) {
    // With an assertion hook that returns, out-of-range values select the nearest alternative
    // instead of doing anything undefined.
    assertion_failures = 0;
    BOOST_TEST(digits_by_visit(5) == 6u);
    BOOST_TEST(assertion_failures == 1);
    BOOST_TEST(digits_by_visit(0) == 6u);
    BOOST_TEST(digits_by_visit(10) == 9u);
    BOOST_TEST(digits_by_visit(4000000000u) == 9u);
    BOOST_TEST(assertion_failures == 4);
    BOOST_TEST(name_by_visit(static_cast<tf::algorithm>(3)) == "SHA512");
    BOOST_TEST(assertion_failures == 5);
    // Valid values never trigger it.
    for (const auto a : all_algorithms) (void)name_by_visit(a);
    for (unsigned d = 6; d <= 9; ++d) (void)digits_by_visit(d);
    BOOST_TEST(assertion_failures == 5);
}
