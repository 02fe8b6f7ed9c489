// twofactor: Reed–Solomon error correction for QR codes, ISO/IEC 18004:2015 §7.5.2 and Annex A.
//
// Arithmetic is in GF(2^8) with the field generator polynomial
// x^8 + x^4 + x^3 + x^2 + 1 (0x11D), primitive element α = 2. The error correction codewords of a
// block are the remainder of data(x) · x^n divided by the generator polynomial
// g(x) = (x - α^0)(x - α^1) ... (x - α^(n-1)), where n is the number of error correction
// codewords of the block (7 to 30 in QR codes).
#ifndef TWOFACTOR_DETAIL_REED_SOLOMON_HPP_INCLUDED
#define TWOFACTOR_DETAIL_REED_SOLOMON_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace twofactor::inline v1::detail {

// exp[i] = α^i for i in 0..509 (doubled, so that exp[log a + log b] needs no reduction);
// log[a] for a in 1..255 (log[0] is unused).
struct gf256_tables {
    std::array<std::uint8_t, 512> exp{};
    std::array<std::uint8_t, 256> log{};
};

[[nodiscard]] constexpr gf256_tables make_gf256_tables() noexcept {
    gf256_tables t;
    unsigned value = 1;
    for (unsigned i = 0; i < 255; ++i) {
        t.exp[i] = static_cast<std::uint8_t>(value);
        t.exp[i + 255] = static_cast<std::uint8_t>(value);
        t.log[value] = static_cast<std::uint8_t>(i);
        value <<= 1;
        if (value & 0x100u) value ^= 0x11Du;
    }
    t.exp[510] = t.exp[0];
    t.exp[511] = t.exp[1];
    return t;
}

inline constexpr gf256_tables gf256 = make_gf256_tables();

/// a · b in GF(2^8) mod 0x11D.
[[nodiscard]] constexpr std::uint8_t gf256_multiply(std::uint8_t a, std::uint8_t b) noexcept {
    if (a == 0 || b == 0) return 0;
    return gf256.exp[static_cast<std::size_t>(gf256.log[a]) + gf256.log[b]];
}

/// The largest number of error correction codewords per block any QR code uses.
inline constexpr std::size_t rs_max_degree = 30;

/**
 * The generator polynomial of degree `degree` (1..rs_max_degree), without its leading
 * coefficient (which is 1): coefficients[0] multiplies x^(degree-1), coefficients[degree-1]
 * is the constant term.
 */
struct rs_generator {
    std::array<std::uint8_t, rs_max_degree> coefficients{};
    std::size_t degree = 0;
};

// Generators for every degree 0..30 (index = degree), built once at compile time by multiplying
// out (x - α^0)(x - α^1)...: each generator is the one before times its next factor, so all 30 cost
// 465 multiplications, not the 4,960 of building each alone: that took 0.04 s (GCC 12) to 0.08 s
// (Clang 14) of constant evaluation in every translation unit. In GF(2^8) subtraction is addition
// (XOR).
inline constexpr auto rs_generators = [] {
    std::array<rs_generator, rs_max_degree + 1> all{};
    // The product so far, highest power first; product[0] == 1.
    std::array<std::uint8_t, rs_max_degree + 1> product{};
    product[0] = 1;
    for (std::size_t k = 0; k < rs_max_degree; ++k) {
        // product(x) · (x + α^k): new[i] = product[i] + α^k · product[i-1]
        const std::uint8_t root = gf256.exp[k];
        for (std::size_t i = k + 1; i > 0; --i) product[i] ^= gf256_multiply(product[i - 1], root);
        rs_generator& g = all[k + 1];
        g.degree = k + 1;
        for (std::size_t i = 0; i <= k; ++i) g.coefficients[i] = product[i + 1];
    }
    return all;
}();

// rs_remainder relies on it: no generator polynomial has a zero coefficient.
static_assert([] {
    for (std::size_t d = 1; d <= rs_max_degree; ++d) {
        for (std::size_t i = 0; i < d; ++i) {
            if (rs_generators[d].coefficients[i] == 0) return false;
        }
    }
    return true;
}());

/**
 * Writes the `ecc.size()` error correction codewords of `data` into `ecc`: the remainder of
 * data(x) · x^n mod g(x), highest power first (the order they are transmitted in).
 * Precondition: 1 <= ecc.size() <= rs_max_degree.
 */
constexpr void rs_remainder(std::span<const std::uint8_t> data, std::span<std::uint8_t> ecc) noexcept {
    const std::size_t n = ecc.size();
    const rs_generator& g = rs_generators[n];
    // The generator's coefficients as logarithms (none is zero, see below), so each step is one
    // table lookup per term.
    std::array<std::uint8_t, rs_max_degree> g_log{};
    for (std::size_t i = 0; i < n; ++i) g_log[i] = gf256.log[g.coefficients[i]];
    for (std::size_t i = 0; i < n; ++i) ecc[i] = 0;
    // Polynomial long division as a shift register (ISO/IEC 18004 Figure A.1).
    for (const std::uint8_t byte : data) {
        const std::uint8_t factor = static_cast<std::uint8_t>(byte ^ ecc[0]);
        for (std::size_t i = 0; i + 1 < n; ++i) ecc[i] = ecc[i + 1];
        ecc[n - 1] = 0;
        if (factor == 0) continue;
        const std::size_t factor_log = gf256.log[factor];
        for (std::size_t i = 0; i < n; ++i) {
            ecc[i] ^= gf256.exp[factor_log + g_log[i]];
        }
    }
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_REED_SOLOMON_HPP_INCLUDED
