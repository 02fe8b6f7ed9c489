// twofactor: otp_code<Digits>, a one-time code as a fixed-width string of decimal digits.
//
// A code is text, not a number: "012345" and "12345" are different codes, and leading zeros
// are never lost (PITFALLS 11). RFC 4226 erratum 5792: the truncated value has 31 bits
// (at most 2147483647), so a tenth digit could only ever be 0, 1 or 2; Digits is 6..9.
#ifndef TWOFACTOR_OTP_CODE_HPP_INCLUDED
#define TWOFACTOR_OTP_CODE_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "detail/constant_time.hpp"
#include "error.hpp"

namespace twofactor::inline v1 {

/// Digit counts a one-time code may have: 6..9 (RFC 4226 §5.3 and erratum 5792).
template <unsigned Digits>
concept otp_digit_count = Digits >= 6 && Digits <= 9;

namespace detail {
/// 10^Digits, the modulus of RFC 4226 §5.3's final step.
template <unsigned Digits>
inline constexpr std::uint32_t decimal_modulus = [] {
    std::uint32_t modulus = 1;
    for (unsigned i = 0; i < Digits; ++i) modulus *= 10;
    return modulus;
}();

/// Calls f(std::integral_constant<std::size_t, I>{}) for I = 0 .. Count - 1, unrolled.
template <std::size_t Count, class F>
constexpr void for_each_index(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) { (f(std::integral_constant<std::size_t, I>{}), ...); }
    (std::make_index_sequence<Count>{});
}
}  // namespace detail

/**
 * A one-time code of exactly `Digits` ASCII decimal digits.
 *
 * Equality is constant time: comparing a typed code with an expected one reveals nothing
 * about how many leading digits were right.
 *
 *     auto typed = twofactor::otp_code<6>::parse("012345");   // result<otp_code<6>>
 *     if (typed && *typed == expected) ...
 */
template <unsigned Digits>
requires otp_digit_count<Digits>
class otp_code {
public:
    static constexpr unsigned digits = Digits;

    /// The code "000...0".
    constexpr otp_code() noexcept { digits_.fill('0'); }

    /// The code for a truncated HOTP value: `value mod 10^Digits`, zero-padded on the left.
    [[nodiscard]] static constexpr otp_code from_value(std::uint32_t value) noexcept {
        otp_code code;
        const std::uint32_t reduced = detail::remainder_by<detail::decimal_modulus<Digits>>(value);
        // Each digit straight from the value (division by constants as multiplications, no
        // division instruction and no table indexed by the secret), so the digits are computed
        // in parallel.
        detail::for_each_index<Digits>([&](auto position) {
            constexpr std::uint32_t place = detail::decimal_modulus<Digits - 1 - decltype(position)::value>;
            code.digits_[position] =
                static_cast<char>('0' + detail::remainder_by<10>(detail::divide_by<place>(reduced)));
        });
        return code;
    }

    /**
     * Parses a code typed by a user: exactly `Digits` characters '0'..'9', nothing else (no
     * sign, space or separator; trimming and grouping are the caller's choice).
     * Error: errc::malformed_code.
     */
    [[nodiscard]] static constexpr result<otp_code> parse(std::string_view text) noexcept {
        if (text.size() != Digits) return unexpected(errc::malformed_code);
        otp_code code;
        for (std::size_t i = 0; i < Digits; ++i) {
            if (text[i] < '0' || text[i] > '9') return unexpected(errc::malformed_code);
            code.digits_[i] = text[i];
        }
        return code;
    }

    /// The digits as text (exactly `Digits` characters; not NUL-terminated).
    [[nodiscard]] constexpr std::string_view view() const noexcept {
        return {digits_.data(), digits_.size()};
    }
    [[nodiscard]] constexpr const std::array<char, Digits>& chars() const noexcept { return digits_; }

    /// Constant-time equality.
    [[nodiscard]] friend constexpr bool operator==(const otp_code& a, const otp_code& b) noexcept {
        return detail::equal(std::span<const char>(a.digits_), std::span<const char>(b.digits_));
    }

private:
    std::array<char, Digits> digits_;
};

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_OTP_CODE_HPP_INCLUDED
