// twofactor: OTP parameters chosen at run time (hash algorithm, number of digits), their text
// forms, and the dispatch from those run-time values to the compile-time policy types that
// hotp<Hash, Digits> and totp<Hash, Digits, ...> take.
//
// The text forms are those of the Key URI Format (`algorithm=SHA1|SHA256|SHA512`,
// `digits=6`), RFC 6238 §1.2 / Appendix A (the three HMAC hashes) and RFC 4226 §5.3
// (6 or more digits; at most 9 by erratum 5792).
#ifndef TWOFACTOR_OTP_PARAMETERS_HPP_INCLUDED
#define TWOFACTOR_OTP_PARAMETERS_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "config.hpp"
#include "error.hpp"
#include "hash.hpp"

namespace twofactor::inline v1 {

/// The HMAC hash functions TOTP and HOTP use (RFC 6238 §1.2).
enum class algorithm {
    sha1,    ///< HMAC-SHA-1, the default and the only one many authenticator apps honour
    sha256,  ///< HMAC-SHA-256
    sha512,  ///< HMAC-SHA-512
};

/// The canonical name of an algorithm as the Key URI Format writes it:
/// "SHA1", "SHA256" or "SHA512" (an empty view for a value outside the enumeration).
[[nodiscard]] constexpr std::string_view to_string(algorithm a) noexcept {
    switch (a) {
        case algorithm::sha1: return "SHA1";
        case algorithm::sha256: return "SHA256";
        case algorithm::sha512: return "SHA512";
    }
    return {};
}

namespace detail {
[[nodiscard]] constexpr bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}
}  // namespace detail

/**
 * Parses an algorithm name: exactly "SHA1", "SHA256" or "SHA512", ignoring ASCII case
 * ("sha256" and "Sha256" are accepted).
 *
 * Deliberately not accepted: the hyphenated forms "SHA-1", "SHA-256", "SHA-512" (no
 * otpauth:// URI or authenticator app writes them, and one spelling per algorithm keeps
 * stored records round-tripping byte for byte), surrounding spaces, and every other hash.
 *
 * Error: errc::unsupported_algorithm ("MD5", "", "SHA1 ", "SHA-1", "SHA384").
 */
[[nodiscard]] constexpr result<algorithm> parse_algorithm(std::string_view text) noexcept {
    for (const algorithm a : {algorithm::sha1, algorithm::sha256, algorithm::sha512}) {
        if (detail::equals_ignoring_ascii_case(text, to_string(a))) return a;
    }
    return unexpected(errc::unsupported_algorithm);
}

/**
 * Parses a digit count: exactly one character '6', '7', '8' or '9' (RFC 4226 §5.3 asks for
 * at least 6; RFC 4226 erratum 5792: a 31-bit value has no meaningful tenth digit).
 *
 * Error: errc::invalid_digits for everything else: "3", "10", "", "+6", " 6", "6 ", and also
 * "06" (one spelling per value, as in stored records).
 */
[[nodiscard]] constexpr result<unsigned> parse_digits(std::string_view text) noexcept {
    if (text.size() != 1 || text[0] < '6' || text[0] > '9') {
        return unexpected(errc::invalid_digits);
    }
    return static_cast<unsigned>(text[0] - '0');
}

namespace detail {

/// A list of types, indexed by an enumeration's underlying value.
template <class... Ts>
struct type_list {
    static constexpr std::size_t size = sizeof...(Ts);
};

/// The policy types of `algorithm`, in the order of its enumerators.
using algorithm_types = type_list<sha1, sha256, sha512>;

template <std::size_t I, class List>
struct type_at;
template <class T, class... Ts>
struct type_at<0, type_list<T, Ts...>> {
    using type = T;
};
template <std::size_t I, class T, class... Ts>
struct type_at<I, type_list<T, Ts...>> : type_at<I - 1, type_list<Ts...>> {};

/// Calls f(std::integral_constant<std::size_t, I>{}) for the I == index among 0..N-1, by a
/// chain of comparisons the optimiser turns into a jump table (cf. mp11's mp_with_index).
/// An index of N or more reaches the last alternative; callers assert the range first.
template <std::size_t N, std::size_t I = 0, class F>
constexpr decltype(auto) with_index(std::size_t index, F&& f) {
    if constexpr (I + 1 >= N) {
        return std::forward<F>(f)(std::integral_constant<std::size_t, I>{});
    } else {
        if (index == I) return std::forward<F>(f)(std::integral_constant<std::size_t, I>{});
        return with_index<N, I + 1>(index, std::forward<F>(f));
    }
}

template <class F, class List>
struct same_result_for_all;
template <class F, class T, class... Ts>
struct same_result_for_all<F, type_list<T, Ts...>>
    : std::bool_constant<(std::is_same_v<std::invoke_result_t<F, std::type_identity<T>>,
                                         std::invoke_result_t<F, std::type_identity<Ts>>> &&
                          ...)> {};

inline constexpr unsigned min_digits = 6;
inline constexpr unsigned max_digits = 9;

}  // namespace detail

/**
 * Calls `f(std::type_identity<H>{})` where H is the hash policy type of `a`
 * (`twofactor::sha1`, `sha256` or `sha512`) and returns what f returns. Every alternative
 * must return the same type. This is how a run-time choice (an otpauth:// URI's
 * `algorithm=`, a stored record, a command-line option) selects a template instance.
 *
 *     auto code = twofactor::visit_algorithm(alg, [&](auto hash) {
 *         using Hash = typename decltype(hash)::type;
 *         return twofactor::hotp<Hash, 6>{key}.generate(counter);
 *     });
 *
 * Precondition (TWOFACTOR_ASSERT): `a` is one of the enumerators (values from
 * `parse_algorithm` always are); if the assertion is disabled, an invalid value selects sha512.
 */
template <class F>
constexpr decltype(auto) visit_algorithm(algorithm a, F&& f) {
    static_assert(detail::same_result_for_all<F&, detail::algorithm_types>::value,
                  "visit_algorithm: f must return the same type for every hash");
    const auto index = static_cast<std::size_t>(a);
    TWOFACTOR_ASSERT(index < detail::algorithm_types::size, "visit_algorithm: invalid algorithm");
    return detail::with_index<detail::algorithm_types::size>(index, [&](auto i) -> decltype(auto) {
        using hash = typename detail::type_at<decltype(i)::value, detail::algorithm_types>::type;
        return std::forward<F>(f)(std::type_identity<hash>{});
    });
}

/**
 * Calls `f(std::integral_constant<unsigned, D>{})` with D == `digits` and returns what f
 * returns; every alternative (D = 6, 7, 8, 9) must return the same type.
 *
 *     auto text_size = twofactor::visit_digits(digits, [](auto d) {
 *         return twofactor::otp_code<decltype(d)::value>{}.view().size();
 *     });
 *
 * Precondition (TWOFACTOR_ASSERT): 6 <= digits <= 9 (values from `parse_digits` always
 * are); if the assertion is disabled, a smaller value selects 6 and a larger one 9.
 */
template <class F>
constexpr decltype(auto) visit_digits(unsigned digits, F&& f) {
    constexpr std::size_t count = detail::max_digits - detail::min_digits + 1;
    using six = std::invoke_result_t<F&, std::integral_constant<unsigned, 6>>;
    static_assert(std::is_same_v<six, std::invoke_result_t<F&, std::integral_constant<unsigned, 7>>> &&
                      std::is_same_v<six, std::invoke_result_t<F&, std::integral_constant<unsigned, 8>>> &&
                      std::is_same_v<six, std::invoke_result_t<F&, std::integral_constant<unsigned, 9>>>,
                  "visit_digits: f must return the same type for every digit count");
    TWOFACTOR_ASSERT(digits >= detail::min_digits && digits <= detail::max_digits,
                     "visit_digits: digits must be 6..9");
    const std::size_t index = digits < detail::min_digits ? 0 : digits - detail::min_digits;
    return detail::with_index<count>(index, [&](auto i) -> decltype(auto) {
        return std::forward<F>(f)(
            std::integral_constant<unsigned, detail::min_digits + static_cast<unsigned>(i.value)>{});
    });
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_OTP_PARAMETERS_HPP_INCLUDED
