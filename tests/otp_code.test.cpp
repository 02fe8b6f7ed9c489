// Tests of include/twofactor/otp_code.hpp: fixed-width codes keep leading zeros and parse
// strictly.
#include <boost/test/unit_test.hpp>

#include <twofactor/otp_code.hpp>

#include <string>

#include "support/test_support.hpp"

using twofactor::errc;
using twofactor::otp_code;

static_assert(otp_code<6>::from_value(0).view() == "000000");
static_assert(otp_code<6>::from_value(1284755224).view() == "755224");
static_assert(otp_code<8>::from_value(82162583).view() == "82162583");
static_assert(otp_code<9>::from_value(82162583).view() == "082162583");
static_assert(otp_code<9>::from_value(2147483647).view() == "147483647");
static_assert(otp_code<6>::parse("012345").value().view() == "012345");
static_assert(otp_code<6>::parse("12345").error() == errc::malformed_code);
static_assert(twofactor::otp_digit_count<6> && twofactor::otp_digit_count<9>);
static_assert(!twofactor::otp_digit_count<5> && !twofactor::otp_digit_count<10>);

BOOST_AUTO_TEST_CASE(leading_zeros_are_kept) {
    BOOST_TEST(otp_code<6>::from_value(42).view() == "000042");
    BOOST_TEST(otp_code<7>::from_value(0).view() == "0000000");
    BOOST_TEST(otp_code<6>::from_value(999999).view() == "999999");
    BOOST_TEST(otp_code<6>::from_value(1000000).view() == "000000");  // reduced mod 10^6
    BOOST_TEST(otp_code<6>{}.view() == "000000");
}

BOOST_AUTO_TEST_CASE(parse_accepts_exactly_the_digit_count_of_ascii_digits) {
    BOOST_TEST(otp_code<6>::parse("000000").value() == otp_code<6>::from_value(0));
    BOOST_TEST(otp_code<8>::parse("07081804").value().view() == "07081804");
    for (const char* bad : {"", "1", "12345", "1234567", "12345 ", " 12345", "12-456", "+12345", "-12345",
                            "1234.5", "１２３４５６", "12345\n"})
        BOOST_TEST(otp_code<6>::parse(bad).error() == errc::malformed_code, bad);
    // Non-ASCII bytes and an embedded NUL.
    BOOST_TEST(otp_code<6>::parse(std::string("12\0"
                                              "456",
                                              6))
                   .error() == errc::malformed_code);
    BOOST_TEST(otp_code<6>::parse(std::string("\xb9\xb2\xb3\xb4\xb5\xb6", 6)).error() ==
               errc::malformed_code);
}

BOOST_AUTO_TEST_CASE(equality_compares_every_digit) {
    const auto base = otp_code<6>::parse("123456").value();
    BOOST_TEST(base == otp_code<6>::parse("123456").value());
    for (const char* other : {"023456", "103456", "120456", "123056", "123406", "123450"})
        BOOST_TEST(!(base == otp_code<6>::parse(other).value()), other);
}
