// twofactor: constant_time_equal, for the application's own secrets (session tokens, CSRF
// tokens, API keys): the comparison twofactor uses for codes and digests, made public.
#ifndef TWOFACTOR_CONSTANT_TIME_HPP_INCLUDED
#define TWOFACTOR_CONSTANT_TIME_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <cstddef>
#include <span>
#include <string_view>

#include "detail/constant_time.hpp"

namespace twofactor::inline v1 {

/**
 * Whether `a` and `b` hold the same bytes, in time that depends only on their lengths: every
 * byte is compared, without an early exit at the first difference (which would tell an attacker
 * how much of a guess was right). Different lengths are unequal at once: lengths are public.
 *
 *     if (twofactor::constant_time_equal(form_token, session.csrf_token)) ...
 */
[[nodiscard]] constexpr bool constant_time_equal(std::span<const std::byte> a,
                                                 std::span<const std::byte> b) noexcept {
    return detail::equal(a, b);
}

/// constant_time_equal of two strings' bytes.
[[nodiscard]] constexpr bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    return detail::equal(std::span<const char>(a), std::span<const char>(b));
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_CONSTANT_TIME_HPP_INCLUDED
