// twofactor: the tables of ISO/IEC 18004:2015 that a QR code (Model 2) encoder needs:
// symbol sizes and codeword counts (§6.1, Table 1), error correction blocks (§7.5.1, Table 9),
// character count indicator lengths (§7.4.1, Table 3), alignment pattern positions
// (Annex E, Table E.1), and the BCH codes of format information (§7.9.1, Annex C) and version
// information (§7.10, Annex D).
#ifndef TWOFACTOR_DETAIL_QR_TABLES_HPP_INCLUDED
#define TWOFACTOR_DETAIL_QR_TABLES_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>

namespace twofactor::inline v1::detail {

inline constexpr int qr_min_version = 1;
inline constexpr int qr_max_version = 40;

/// The number of modules per side of a symbol of `version` (1..40): 21 to 177 (§6.1).
[[nodiscard]] constexpr int qr_size_of(int version) noexcept { return 4 * version + 17; }

/// Alignment pattern centre coordinates per version, used along both axes (Table E.1);
/// zero-terminated. Version 1 has none.
inline constexpr std::array<std::array<std::uint8_t, 8>, 41> qr_alignment_positions{{
    {},
    {},
    {6, 18},
    {6, 22},
    {6, 26},
    {6, 30},
    {6, 34},
    {6, 22, 38},
    {6, 24, 42},
    {6, 26, 46},
    {6, 28, 50},
    {6, 30, 54},
    {6, 32, 58},
    {6, 34, 62},
    {6, 26, 46, 66},
    {6, 26, 48, 70},
    {6, 26, 50, 74},
    {6, 30, 54, 78},
    {6, 30, 56, 82},
    {6, 30, 58, 86},
    {6, 34, 62, 90},
    {6, 28, 50, 72, 94},
    {6, 26, 50, 74, 98},
    {6, 30, 54, 78, 102},
    {6, 28, 54, 80, 106},
    {6, 32, 58, 84, 110},
    {6, 30, 58, 86, 114},
    {6, 34, 62, 90, 118},
    {6, 26, 50, 74, 98, 122},
    {6, 30, 54, 78, 102, 126},
    {6, 26, 52, 78, 104, 130},
    {6, 30, 56, 82, 108, 134},
    {6, 34, 60, 86, 112, 138},
    {6, 30, 58, 86, 114, 142},
    {6, 34, 62, 90, 118, 146},
    {6, 30, 54, 78, 102, 126, 150},
    {6, 24, 50, 76, 102, 128, 154},
    {6, 28, 54, 80, 106, 132, 158},
    {6, 32, 58, 84, 110, 136, 162},
    {6, 26, 54, 82, 110, 138, 166},
    {6, 30, 58, 86, 114, 142, 170},
}};

/// How many alignment pattern coordinates `version` has along one axis (0, or 2..7).
[[nodiscard]] constexpr int qr_alignment_count(int version) noexcept {
    return version == 1 ? 0 : version / 7 + 2;
}

/**
 * The number of modules available for codewords (data and error correction, plus the
 * remainder bits) in a symbol of `version`: all modules minus the function patterns.
 * - finder patterns with their separators: 3 · 8 · 8; format information and the dark
 *   module: 2 · 15 + 1;
 * - timing patterns: 2 · (size - 16) (the part between the separators);
 * - alignment patterns: 25 each, k² - 3 of them (k coordinates per axis, minus the three
 *   that would overlap finder patterns); the 2 · (k - 2) on row or column 6 share 5 modules
 *   with a timing pattern;
 * - version information (versions 7 and up): 2 · 18.
 */
[[nodiscard]] constexpr int qr_codeword_modules(int version) noexcept {
    const int size = qr_size_of(version);
    int modules = size * size - 3 * 64 - 31 - 2 * (size - 16);
    const int k = qr_alignment_count(version);
    if (k > 0) modules -= 25 * (k * k - 3) - 5 * 2 * (k - 2);
    if (version >= 7) modules -= 36;
    return modules;
}

/// The number of codewords (data plus error correction) of `version` (Table 1): 26 to 3706.
[[nodiscard]] constexpr int qr_total_codewords(int version) noexcept {
    return qr_codeword_modules(version) / 8;
}

/// The number of remainder bits after the last codeword (Table 1): 0, 3, 4 or 7.
[[nodiscard]] constexpr int qr_remainder_bits(int version) noexcept {
    return qr_codeword_modules(version) % 8;
}

// Table 9, indexed [ecc level L=0, M=1, Q=2, H=3][version]: error correction codewords per
// block, and the number of blocks. Where a version has two block sizes, the longer blocks
// have one data codeword more and come last (§7.5.2).
inline constexpr std::array<std::array<std::uint8_t, 41>, 4> qr_ecc_codewords_per_block{{
    {0,  7,  10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
     28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {0,  10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
     26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
    {0,  13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
     28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {0,  17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
     30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
}};

inline constexpr std::array<std::array<std::uint8_t, 41>, 4> qr_ecc_block_count{{
    {0, 1, 1, 1,  1,  1,  2,  2,  2,  2,  4,  4,  4,  4,  4,  6,  6,  6,  6,  7, 8,
     8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
    {0,  1,  1,  1,  2,  2,  4,  4,  4,  5,  5,  5,  8,  9,  9,  10, 10, 11, 13, 14, 16,
     17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
    {0,  1,  1,  2,  2,  4,  4,  6,  6,  8,  8,  8,  10, 12, 16, 12, 17, 16, 18, 21, 20,
     23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
    {0,  1,  1,  2,  4,  4,  4,  5,  6,  8,  8,  11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
     25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
}};

/// The data codewords of `version` at error correction level `ecc` (0..3 = L, M, Q, H):
/// Table 7's "number of data codewords", 9 (1-H) to 2956 (40-L).
[[nodiscard]] constexpr int qr_data_codewords(int version, int ecc) noexcept {
    return qr_total_codewords(version) -
           qr_ecc_codewords_per_block[static_cast<std::size_t>(ecc)][static_cast<std::size_t>(version)] *
               qr_ecc_block_count[static_cast<std::size_t>(ecc)][static_cast<std::size_t>(version)];
}

/// The data bit capacity of `version` at level `ecc`.
[[nodiscard]] constexpr int qr_data_bits(int version, int ecc) noexcept {
    return qr_data_codewords(version, ecc) * 8;
}

/// The segment modes of §7.4, valued as their 4-bit mode indicators (Table 2).
enum class qr_segment_mode : std::uint8_t { numeric = 0b0001, alphanumeric = 0b0010, byte = 0b0100 };

/// The ECI header that declares the byte segments after it UTF-8: the ECI mode indicator 0111
/// (Table 2), then the designator 000026 in its one-byte form 0bbbbbbb (§7.4.2.2, for 0..127).
inline constexpr std::uint32_t qr_eci_mode_indicator = 0b0111;
inline constexpr std::uint32_t qr_eci_utf8_designator = 26;
inline constexpr int qr_eci_utf8_header_bits = 4 + 8;

/// Which of the three character count indicator length classes `version` is in (Table 3):
/// 0 for versions 1–9, 1 for 10–26, 2 for 27–40.
[[nodiscard]] constexpr int qr_version_class(int version) noexcept {
    return version <= 9 ? 0 : version <= 26 ? 1 : 2;
}

/// The first and last version of a class.
inline constexpr std::array<int, 3> qr_class_first_version{1, 10, 27};
inline constexpr std::array<int, 3> qr_class_last_version{9, 26, 40};

/// The length in bits of the character count indicator (Table 3).
[[nodiscard]] constexpr int qr_count_bits(qr_segment_mode mode, int version_class) noexcept {
    constexpr std::array<std::array<std::uint8_t, 3>, 3> bits{{{10, 12, 14}, {9, 11, 13}, {8, 16, 16}}};
    const std::size_t m = mode == qr_segment_mode::numeric        ? 0
                          : mode == qr_segment_mode::alphanumeric ? 1
                                                                  : 2;
    return bits[m][static_cast<std::size_t>(version_class)];
}

/// The value 0..44 of an alphanumeric-mode character (Table 5), or -1 if `c` has none:
/// 0-9, A-Z (uppercase only), space, $ % * + - . / :
[[nodiscard]] constexpr int qr_alphanumeric_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    switch (c) {
        case ' ': return 36;
        case '$': return 37;
        case '%': return 38;
        case '*': return 39;
        case '+': return 40;
        case '-': return 41;
        case '.': return 42;
        case '/': return 43;
        case ':': return 44;
        default: return -1;
    }
}

/// The two error correction level bits of the format information (Table 12):
/// L = 01, M = 00, Q = 11, H = 10, indexed by L=0, M=1, Q=2, H=3.
inline constexpr std::array<std::uint8_t, 4> qr_ecc_format_bits{0b01, 0b00, 0b11, 0b10};

/**
 * The 15-bit format information for level `ecc` (L=0..H=3) and mask `mask` (0..7) (§7.9.1):
 * the 5 data bits, 10 bits of BCH(15,5) code with generator
 * x^10 + x^8 + x^5 + x^4 + x^2 + x + 1 (0x537), all XORed with 101010000010010 (0x5412) so that
 * no combination is all zero.
 */
[[nodiscard]] constexpr std::uint32_t qr_format_information(int ecc, int mask) noexcept {
    const std::uint32_t data =
        (static_cast<std::uint32_t>(qr_ecc_format_bits[static_cast<std::size_t>(ecc)]) << 3) |
        static_cast<std::uint32_t>(mask);
    std::uint32_t remainder = data << 10;
    for (int bit = 14; bit >= 10; --bit) {
        if (remainder & (1u << bit)) remainder ^= 0x537u << (bit - 10);
    }
    return ((data << 10) | remainder) ^ 0x5412u;
}

/**
 * The 18-bit version information of `version` (7..40) (§7.10): 6 version bits and 12 bits of
 * BCH(18,6) code with generator x^12 + x^11 + x^10 + x^9 + x^8 + x^5 + x^2 + 1 (0x1F25).
 */
[[nodiscard]] constexpr std::uint32_t qr_version_information(int version) noexcept {
    const auto data = static_cast<std::uint32_t>(version);
    std::uint32_t remainder = data << 12;
    for (int bit = 17; bit >= 12; --bit) {
        if (remainder & (1u << bit)) remainder ^= 0x1F25u << (bit - 12);
    }
    return (data << 12) | remainder;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_QR_TABLES_HPP_INCLUDED
