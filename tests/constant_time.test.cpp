// twofactor::constant_time_equal (the comparison's timing is checked under valgrind in
// tests/constant_time/; here its results).
#include <boost/test/unit_test.hpp>

#include <twofactor/constant_time.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace tf = twofactor;

static_assert(tf::constant_time_equal(std::string_view("csrf-token"), std::string_view("csrf-token")));
static_assert(!tf::constant_time_equal(std::string_view("csrf-token"), std::string_view("csrf-tokeN")));

BOOST_AUTO_TEST_SUITE(constant_time)

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

BOOST_AUTO_TEST_SUITE_END()
