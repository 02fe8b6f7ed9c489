// Tests of twofactor/random.hpp: the random_source concept and its opt-in, os_random
// (getrandom(2) here), callback_random and the failure contract (error, buffer zeroed).
#include <boost/test/unit_test.hpp>

#include <twofactor/random.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <random>
#include <span>

#include "support/test_support.hpp"

namespace tf = twofactor;

namespace {

// A type with exactly the right fill() but no opt-in: must not be a random_source.
struct looks_like_a_source {
    tf::result<void> fill(std::span<std::byte>) noexcept { return {}; }
};

// The same with the opt-in.
struct opted_in_source {
    tf::result<void> fill(std::span<std::byte> out) noexcept {
        std::fill(out.begin(), out.end(), std::byte{0x42});
        return {};
    }
};

// Opted in, but fill() may throw: not a random_source either.
struct throwing_fill {
    tf::result<void> fill(std::span<std::byte>) { return {}; }
};

// Opted in, but fill() returns bool: not a random_source.
struct bool_fill {
    bool fill(std::span<std::byte>) noexcept { return true; }
};

// A broken model that reports failure but leaves bytes behind; fill_random must still zero them.
struct leaky_failing_source {
    tf::result<void> fill(std::span<std::byte> out) noexcept {
        std::fill(out.begin(), out.end(), std::byte{0x99});
        return tf::unexpected(tf::errc::random_source_failed);
    }
};

}  // namespace

template <>
inline constexpr bool tf::enable_random_source<opted_in_source> = true;
template <>
inline constexpr bool tf::enable_random_source<throwing_fill> = true;
template <>
inline constexpr bool tf::enable_random_source<bool_fill> = true;
template <>
inline constexpr bool tf::enable_random_source<leaky_failing_source> = true;

// ---- The concept ------------------------------------------------------------------------

static_assert(!tf::random_source<std::mt19937>, "a seeded PRNG must never be a random source");
static_assert(!tf::random_source<std::mt19937_64>);
static_assert(!tf::random_source<std::random_device>, "random_device has no unpredictability guarantee");
static_assert(!tf::random_source<looks_like_a_source>, "fill() alone is not an opt-in");
static_assert(!tf::random_source<int>);
static_assert(tf::random_source<opted_in_source>);
static_assert(!tf::random_source<throwing_fill>, "fill must be noexcept");
static_assert(!tf::random_source<bool_fill>, "fill must return result<void>");
static_assert(tf::random_source<tf::os_random>);
static_assert(tf::os_random_available);

namespace {
using bool_callback = decltype([](std::span<std::byte>) { return true; });
using result_callback = decltype([](std::span<std::byte>) -> tf::result<void> { return {}; });
}  // namespace
static_assert(tf::random_source<tf::callback_random<bool_callback>>);
static_assert(tf::random_source<tf::callback_random<result_callback>>);
// The callable itself is not a source: wrapping it is the opt-in.
static_assert(!tf::random_source<bool_callback>);
// Callables of the wrong shape are refused by callback_random's constraint.
template <class F>
concept wrappable = requires {
    typename tf::callback_random<F>;
};
static_assert(wrappable<bool_callback>);
static_assert(!wrappable<int>);
static_assert(!wrappable<void (*)(std::span<std::byte>)>);

// ---- os_random ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(os_random_fills_unpredictable_bytes) {
    tf::os_random rng;
    std::array<std::byte, 32> a{};
    std::array<std::byte, 32> b{};
    BOOST_TEST_REQUIRE(rng.fill(a).has_value());
    BOOST_TEST_REQUIRE(rng.fill(b).has_value());
    // Two 32-byte draws are equal, or all zero, with probability 2^-256.
    BOOST_TEST(twofactor_test::to_hex(a) != twofactor_test::to_hex(b));
    BOOST_TEST(std::any_of(a.begin(), a.end(), [](std::byte x) { return x != std::byte{0}; }));
    BOOST_TEST(std::any_of(b.begin(), b.end(), [](std::byte x) { return x != std::byte{0}; }));
}

BOOST_AUTO_TEST_CASE(os_random_fills_every_byte_of_large_and_empty_buffers) {
    tf::os_random rng;
    BOOST_TEST(rng.fill(std::span<std::byte>{}).has_value());
    // More than one 256-byte getrandom chunk, and not a multiple of it. Each 64-byte window is
    // all zero (a sign of a skipped chunk) with probability 2^-512.
    std::array<std::byte, 1000> big{};
    BOOST_TEST_REQUIRE(tf::fill_random(rng, big).has_value());
    for (std::size_t at = 0; at + 64 <= big.size(); at += 64) {
        BOOST_TEST(std::any_of(big.begin() + static_cast<std::ptrdiff_t>(at),
                               big.begin() + static_cast<std::ptrdiff_t>(at + 64),
                               [](std::byte x) { return x != std::byte{0}; }),
                   "window at " << at);
    }
    BOOST_TEST(std::any_of(big.end() - 40, big.end(), [](std::byte x) { return x != std::byte{0}; }));
}

// ---- callback_random ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(callback_random_passes_the_buffer_to_the_callable) {
    std::size_t seen = 0;
    tf::callback_random trng{[&](std::span<std::byte> out) {
        seen = out.size();
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::byte>(i + 1);
        return true;
    }};
    std::array<std::byte, 5> out{};
    BOOST_TEST_REQUIRE(trng.fill(out).has_value());
    BOOST_TEST(seen == 5u);
    BOOST_TEST(twofactor_test::to_hex(out) == "0102030405");
}

BOOST_AUTO_TEST_CASE(failing_callback_reports_and_wipes) {
    // The callable writes, then fails: the partial output must not survive.
    tf::callback_random failing{[](std::span<std::byte> out) {
        std::fill(out.begin(), out.end(), std::byte{0x77});
        return false;
    }};
    std::array<std::byte, 24> out{};
    out.fill(std::byte{0x11});
    const auto r = failing.fill(out);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error() == tf::errc::random_source_failed);
    BOOST_TEST(std::all_of(out.begin(), out.end(), [](std::byte x) { return x == std::byte{0}; }));
}

BOOST_AUTO_TEST_CASE(callback_returning_result_keeps_its_error) {
    tf::callback_random failing{[](std::span<std::byte> out) -> tf::result<void> {
        std::fill(out.begin(), out.end(), std::byte{0x77});
        return tf::unexpected(tf::errc::output_too_small);
    }};
    std::array<std::byte, 8> out{};
    const auto r = tf::fill_random(failing, out);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error() == tf::errc::output_too_small);
    BOOST_TEST(std::all_of(out.begin(), out.end(), [](std::byte x) { return x == std::byte{0}; }));
}

BOOST_AUTO_TEST_CASE(fill_random_wipes_after_a_leaky_model) {
    leaky_failing_source leaky;
    std::array<std::byte, 16> out{};
    const auto r = tf::fill_random(leaky, out);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error() == tf::errc::random_source_failed);
    BOOST_TEST(std::all_of(out.begin(), out.end(), [](std::byte x) { return x == std::byte{0}; }));
}
