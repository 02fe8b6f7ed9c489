// twofactor::constant_time_equal (the comparison's timing is checked under valgrind in
// tests/constant_time/; here its results), the branch-free masks of detail/constant_time.hpp,
// and detail::divide_by / remainder_by, the division by a constant without a division
// instruction that code digits and backup-code symbols use.
#include <boost/test/unit_test.hpp>

#include <twofactor/constant_time.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace tf = twofactor;

static_assert(tf::constant_time_equal(std::string_view("csrf-token"), std::string_view("csrf-token")));
static_assert(!tf::constant_time_equal(std::string_view("csrf-token"), std::string_view("csrf-tokeN")));

// The branch-free building blocks, at each width: all ones or zero, never anything between.
template <class T>
constexpr bool masks_are_exact() {
    namespace d = tf::detail;
    constexpr T ones = std::numeric_limits<T>::max();
    constexpr T top = static_cast<T>(ones ^ (ones >> 1));
    for (const T value : {T{0}, T{1}, T{2}, T{0x7f}, top, static_cast<T>(top + 1), ones}) {
        if (d::mask_if_zero(value) != (value == 0 ? ones : T{0})) return false;
        if (d::mask_if_equal(value, T{1}) != (value == 1 ? ones : T{0})) return false;
        if (d::select(ones, value, T{5}) != value || d::select(T{0}, value, T{5}) != T{5}) return false;
    }
    return true;
}
static_assert(masks_are_exact<std::uint8_t>());
static_assert(masks_are_exact<std::uint16_t>());
static_assert(masks_are_exact<std::uint32_t>());
static_assert(masks_are_exact<std::uint64_t>());
// byte_in_range: the bounds are inclusive; every byte value is in range or not.
static_assert([] {
    for (std::uint32_t u = 0; u < 256; ++u)
        if (tf::detail::byte_in_range(u, 'A', 'Z') != ((u >= 'A' && u <= 'Z') ? 1u : 0u)) return false;
    return true;
}());

BOOST_AUTO_TEST_SUITE(constant_time)

BOOST_AUTO_TEST_CASE(masks_at_run_time) {
    // The same checks as the static_asserts above, in code the optimiser compiles (it must not
    // turn the arithmetic into something else).
    BOOST_TEST(masks_are_exact<std::uint8_t>());
    BOOST_TEST(masks_are_exact<std::uint32_t>());
    BOOST_TEST(masks_are_exact<std::uint64_t>());
}

BOOST_AUTO_TEST_CASE(equal_only_when_every_byte_and_the_length_are) {
    const std::string token(64, 'a');
    BOOST_TEST(tf::constant_time_equal(token, std::string(64, 'a')));
    BOOST_TEST(tf::constant_time_equal(std::string_view(), std::string_view()));
    for (std::size_t i = 0; i < token.size(); ++i) {
        for (const char flip : {'\x01', '\x80', '\x7f'}) {
            std::string other = token;
            other[i] = static_cast<char>(other[i] ^ flip);
            BOOST_TEST(!tf::constant_time_equal(token, other), "byte " << i);
        }
    }
    BOOST_TEST(!tf::constant_time_equal(token, token.substr(0, 63)));
    BOOST_TEST(!tf::constant_time_equal(token + 'a', token));
    BOOST_TEST(!tf::constant_time_equal(std::string_view(), std::string_view("a")));
}

BOOST_AUTO_TEST_CASE(bytes) {
    const std::array<std::byte, 3> a{std::byte{1}, std::byte{2}, std::byte{3}};
    std::array<std::byte, 3> b = a;
    BOOST_TEST(tf::constant_time_equal(a, b));
    b[2] = std::byte{4};
    BOOST_TEST(!tf::constant_time_equal(a, b));
    BOOST_TEST(
        !tf::constant_time_equal(std::span<const std::byte>(a), std::span<const std::byte>(a).first(2)));
}

namespace {
template <std::uint32_t Divisor>
void check_division(std::mt19937& rng) {
    constexpr std::uint32_t max = std::numeric_limits<std::uint32_t>::max();
    const auto check = [](std::uint32_t n) {
        BOOST_TEST(twofactor::detail::divide_by<Divisor>(n) == n / Divisor, n << " / " << Divisor);
        BOOST_TEST(twofactor::detail::remainder_by<Divisor>(n) == n % Divisor, n << " % " << Divisor);
    };
    // The edges: 0, the divisor, the first multiples, the last ones below 2^31 and 2^32, the top.
    for (std::uint32_t n : {0U, 1U, Divisor - 1, Divisor, max, max - 1, 0x7FFFFFFFU, 0x80000000U}) check(n);
    for (const std::uint64_t k :
         std::array<std::uint64_t, 4>{1, 2, 0x7FFFFFFFULL / Divisor, std::uint64_t{max} / Divisor}) {
        const std::uint64_t multiple = k * Divisor;
        for (std::uint64_t n = multiple - 1; n <= multiple + 1 && n <= max; ++n)
            check(static_cast<std::uint32_t>(n));
    }
    for (int i = 0; i < 200'000; ++i) {
        const std::uint32_t n = static_cast<std::uint32_t>(rng());
        if (twofactor::detail::divide_by<Divisor>(n) != n / Divisor) check(n);  // reports only mismatches
        const std::uint32_t small = n >> (rng() % 32);
        if (twofactor::detail::divide_by<Divisor>(small) != small / Divisor) check(small);
    }
}
}  // namespace

static_assert(twofactor::detail::divide_by<10>(0xFFFFFFFFU) == 429496729U);
static_assert(twofactor::detail::remainder_by<1000000>(0x7FFFFFFFU) == 483647U);
static_assert(twofactor::detail::divide_by<1>(0xFFFFFFFFU) == 0xFFFFFFFFU);

BOOST_AUTO_TEST_CASE(division_by_a_constant_matches_the_operator_for_every_divisor_used) {
    std::mt19937 rng(7);
    // 10^0..10^9 (code digits), 10, 31 (the backup-code alphabet), and a few awkward ones.
    check_division<1>(rng);
    check_division<10>(rng);
    check_division<100>(rng);
    check_division<1000>(rng);
    check_division<10000>(rng);
    check_division<100000>(rng);
    check_division<1000000>(rng);
    check_division<10000000>(rng);
    check_division<100000000>(rng);
    check_division<1000000000>(rng);
    check_division<31>(rng);
    check_division<3>(rng);
    check_division<7>(rng);
    check_division<641>(rng);
    check_division<0x80000000U>(rng);
    check_division<0x7FFFFFFFU>(rng);
}

BOOST_AUTO_TEST_SUITE_END()
