// twofactor: branch-free helpers for comparing and selecting secret-dependent values.
//
// Timing must not depend on secret data (codes, digests, backup codes): no early exit, no
// secret-dependent branch or table index. The value barrier stops the optimiser from proving
// that a mask is 0 or all-ones and turning the selection back into a branch.
#ifndef TWOFACTOR_DETAIL_CONSTANT_TIME_HPP_INCLUDED
#define TWOFACTOR_DETAIL_CONSTANT_TIME_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace twofactor::inline v1::detail {

/// Returns `value` unchanged, opaque to the optimiser at run time.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T value_barrier(T value) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) __asm__("" : "+r"(value));
#endif
    return value;
}

/// Marks `value`, computed from secrets, as public from here on: the outcome of a check (match
/// or not, which candidate or code) is disclosed by design and may then be branched on. A no-op
/// unless TWOFACTOR_DECLASSIFY(address, size) is defined before including twofactor: the
/// constant-time check (tests/constant_time/) defines it as valgrind's VALGRIND_MAKE_MEM_DEFINED
/// and marks secrets undefined, so memcheck reports every other branch or table index on them.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T declassify(T value) noexcept {
#ifdef TWOFACTOR_DECLASSIFY
    if (!std::is_constant_evaluated()) TWOFACTOR_DECLASSIFY(&value, sizeof value);
#endif
    return value_barrier(value);
}

/// All ones when `value` is zero, else zero; no branch.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T mask_if_zero(T value) noexcept {
    // (v | -v) has its top bit set exactly when v != 0.
    const T nonzero = static_cast<T>((value | static_cast<T>(T{0} - value)) >> (sizeof(T) * 8 - 1));
    return static_cast<T>(value_barrier(nonzero) - T{1});
}

/// All ones when `a == b`, else zero; no branch.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T mask_if_equal(T a, T b) noexcept {
    return mask_if_zero(static_cast<T>(a ^ b));
}

/// `mask ? a : b` for a mask that is all ones or zero; no branch.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T select(T mask, T a, T b) noexcept {
    return static_cast<T>((a & mask) | (b & static_cast<T>(~mask)));
}

/// 1 when lo <= u <= hi, else 0, for u, lo, hi below 256 (a character's class, e.g. in a
/// secret's base32 or base64 text); no branch: a borrow sets bit 31 of u - lo when u < lo and of
/// hi - u when u > hi.
[[nodiscard]] constexpr std::uint32_t byte_in_range(std::uint32_t u, std::uint32_t lo,
                                                    std::uint32_t hi) noexcept {
    return (((u - lo) | (hi - u)) >> 31) ^ 1u;
}

/**
 * `value / Divisor` for any 32-bit value, by multiplication and shifts, at every optimisation
 * level: a division instruction's latency can depend on its operands (on some CPUs), and without
 * optimisation compilers emit one for `/` by a constant.
 * Granlund and Montgomery (1994), Theorem 4.2, with N = 32: if m · Divisor - 2^(32+l) <= 2^l for
 * m = ceil(2^(32+l) / Divisor), then floor(n * m / 2^(32+l)) = floor(n / Divisor) for every 32-bit
 * n. l = ceil(log2 Divisor) always qualifies; the smallest l that does often gives a multiplier of
 * 32 bits (10: 0xCCCCCCCD, l = 3), and then n * m fits in 64 bits: one multiplication. Otherwise
 * m has 33 bits and n * m is formed from n * (m mod 2^32) and n * floor(m / 2^32).
 */
template <std::uint32_t Divisor>
requires(Divisor >= 1 && Divisor <= (1U << 31)) [[nodiscard]] constexpr std::uint32_t
    divide_by(std::uint32_t value) noexcept {
    constexpr int l = [] {
        for (int bits = 0;; ++bits) {
            const std::uint64_t power = std::uint64_t{1} << (32 + bits);
            const std::uint64_t m = (power + Divisor - 1) / Divisor;
            if (m * Divisor - power <= (std::uint64_t{1} << bits)) return bits;
        }
    }();
    constexpr std::uint64_t power = std::uint64_t{1} << (32 + l);
    constexpr std::uint64_t m = (power + Divisor - 1) / Divisor;
    static_assert(m * Divisor - power <= (std::uint64_t{1} << l), "Theorem 4.2's condition");
    const std::uint64_t n = value;
    if constexpr (m <= 0xFFFFFFFFU) {
        return static_cast<std::uint32_t>((n * m) >> (32 + l));
    } else {
        constexpr std::uint64_t m_low = m & 0xFFFFFFFFU;
        constexpr std::uint64_t m_high = m >> 32;
        return static_cast<std::uint32_t>((n * m_high + ((n * m_low) >> 32)) >> l);
    }
}

/// `value % Divisor`, as `divide_by` computes the quotient.
template <std::uint32_t Divisor>
[[nodiscard]] constexpr std::uint32_t remainder_by(std::uint32_t value) noexcept {
    return value - Divisor * divide_by<Divisor>(value);
}

/// True when the two equally long ranges hold the same elements. The time taken depends only
/// on the length, which is public (a code's digit count, a digest size).
template <class Byte>
requires(sizeof(Byte) == 1 && std::is_trivially_copyable_v<Byte>)
    [[nodiscard]] constexpr bool equal(std::span<const Byte> a, std::span<const Byte> b) noexcept {
    if (a.size() != b.size()) return false;
    std::uint32_t difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        difference |=
            static_cast<std::uint8_t>(static_cast<std::uint8_t>(a[i]) ^ static_cast<std::uint8_t>(b[i]));
    return value_barrier(difference) == 0;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_CONSTANT_TIME_HPP_INCLUDED
