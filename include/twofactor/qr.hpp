// twofactor: QR code (Model 2) encoder, ISO/IEC 18004:2015.
//
// Text or bytes in, an immutable matrix of modules out: versions 1–40, error correction levels
// L, M, Q and H, numeric, alphanumeric and byte segments chosen for the shortest bit stream,
// automatic minimum version, all eight masks scored with the four penalty rules of §7.8.3.
// No heap, no exceptions, usable in constant expressions. Drawing the matrix (SVG, terminal,
// PNG, PBM) lives in twofactor/qr_render.hpp.
//
// Text that is UTF-8 and not all ASCII is declared UTF-8 with an ECI header (§7.4.2.2); readers
// otherwise read bytes as ISO-8859-1 or guess. Not implemented: Kanji mode, other ECI
// designators, structured append, Micro QR.
#ifndef TWOFACTOR_QR_HPP_INCLUDED
#define TWOFACTOR_QR_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "detail/bytes.hpp"
#include "detail/qr_tables.hpp"
#include "detail/reed_solomon.hpp"
#include "detail/utf8.hpp"
#include "error.hpp"

namespace twofactor::inline v1 {

/// The error correction level of a QR code (§7.5.1): the share of codewords that can be
/// restored is about 7 % (L), 15 % (M), 25 % (Q) and 30 % (H).
enum class qr_ecc : std::uint8_t {
    low,       ///< L, ~7 %
    medium,    ///< M, ~15 %
    quartile,  ///< Q, ~25 %
    high,      ///< H, ~30 %
};

/// `qr_options::mask` value that lets the encoder pick the mask with the lowest penalty.
inline constexpr int qr_auto_mask = -1;

/**
 * How `basic_qr_code::encode_text` and `encode_bytes` build the symbol.
 *
 * The encoder uses the smallest version in [min_version, max_version] (and not above the
 * code type's `MaxVersion`) that holds the data at level `ecc`. With `boost_ecc`, it then raises
 * the level to the highest one whose capacity in that same version still holds the data: the
 * symbol does not grow, it only becomes more robust.
 *
 * Ranges (else errc::invalid_qr_options): `ecc` one of the four enumerators;
 * 1 <= min_version <= max_version <= 40 and min_version <= MaxVersion; `mask` is
 * `qr_auto_mask` (-1) or 0..7.
 */
struct qr_options {
    qr_ecc ecc = qr_ecc::medium;  ///< the minimum error correction level
    int min_version = 1;          ///< the smallest version to use, 1..40
    int max_version = 40;         ///< the largest version to use, 1..40 (also capped by MaxVersion)
    bool boost_ecc = true;        ///< raise the level while the data still fits the same version
    int mask = qr_auto_mask;      ///< 0..7 to force a mask pattern (§7.8.2), or qr_auto_mask
};

namespace detail {

[[nodiscard]] constexpr int qr_words_per_row(int size) noexcept { return (size + 63) / 64; }

// Zeroes the first `count` elements of an encoder's working buffer: what it holds is a form of
// the encoded data, which may be a secret (the enrollment wizard's otpauth:// URI). At run time
// with secure_wipe_bytes (not elided by the optimiser); not in constant evaluation, where there
// is no memory to disclose and the wipe would only add evaluation steps.
template <class T, std::size_t Size>
constexpr void qr_wipe(std::array<T, Size>& buffer, std::size_t count = Size) noexcept {
    static_assert(std::is_trivially_copyable_v<T>);
    if (std::is_constant_evaluated()) return;
    secure_wipe_bytes(buffer.data(), (count < Size ? count : Size) * sizeof(T));
}

// A square bit matrix with room for a symbol of `MaxVersion`: bit x % 64 of word x / 64 of
// rows[y] is the module in column x, row y (x, y from the top-left corner). Bits outside the
// symbol's size are always zero.
template <int MaxVersion>
struct qr_bit_matrix {
    static constexpr int max_size = qr_size_of(MaxVersion);
    static constexpr int words = qr_words_per_row(max_size);
    using row_type = std::array<std::uint64_t, static_cast<std::size_t>(words)>;

    std::array<row_type, static_cast<std::size_t>(max_size)> rows{};

    [[nodiscard]] constexpr bool get(int x, int y) const noexcept {
        return (rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x >> 6)] >> (x & 63)) & 1u;
    }
    constexpr void set(int x, int y) noexcept {
        rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x >> 6)] |= std::uint64_t{1} << (x & 63);
    }
    constexpr void clear(int x, int y) noexcept {
        rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x >> 6)] &=
            ~(std::uint64_t{1} << (x & 63));
    }
    friend constexpr bool operator==(const qr_bit_matrix&, const qr_bit_matrix&) = default;
};

// The mask patterns of §7.8.2 (Table 10), i = row, j = column.
[[nodiscard]] constexpr bool qr_mask_condition(int mask, int i, int j) noexcept {
    switch (mask) {
        case 0: return (i + j) % 2 == 0;
        case 1: return i % 2 == 0;
        case 2: return j % 3 == 0;
        case 3: return (i + j) % 3 == 0;
        case 4: return (i / 2 + j / 3) % 2 == 0;
        case 5: return (i * j) % 2 + (i * j) % 3 == 0;
        case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0;
        default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0;
    }
}

// Every mask is periodic with a period dividing 12 along both axes, so 12 lines per mask and
// direction describe it: by_row[mask][y % 12] holds the modules of row y that the mask inverts
// (bits over x), by_column[mask][x % 12] those of column x (bits over y). Three words cover
// the largest symbol.
struct qr_mask_tables {
    std::array<std::array<std::array<std::uint64_t, 3>, 12>, 8> by_row{};
    std::array<std::array<std::array<std::uint64_t, 3>, 12>, 8> by_column{};
};

[[nodiscard]] constexpr qr_mask_tables make_qr_mask_tables() noexcept {
    qr_mask_tables t;
    for (int mask = 0; mask < 8; ++mask) {
        for (int line = 0; line < 12; ++line) {
            // One period of 12 bits along the line, then doubled out to 64 bits; word k starts
            // at bit 64k, i.e. at phase 64k mod 12.
            std::uint64_t row_seed = 0;
            std::uint64_t column_seed = 0;
            for (int k = 0; k < 12; ++k) {
                if (qr_mask_condition(mask, line, k)) row_seed |= std::uint64_t{1} << k;
                if (qr_mask_condition(mask, k, line)) column_seed |= std::uint64_t{1} << k;
            }
            const auto fill = [](std::uint64_t seed, int phase) {
                const std::uint64_t rotated = ((seed >> phase) | (seed << (12 - phase))) & 0xFFFu;
                std::uint64_t word = rotated;
                word |= word << 12;
                word |= word << 24;
                word |= word << 48;
                return word;
            };
            for (int k = 0; k < 3; ++k) {
                const int phase = (64 * k) % 12;
                t.by_row[static_cast<std::size_t>(mask)][static_cast<std::size_t>(line)]
                        [static_cast<std::size_t>(k)] = fill(row_seed, phase);
                t.by_column[static_cast<std::size_t>(mask)][static_cast<std::size_t>(line)]
                           [static_cast<std::size_t>(k)] = fill(column_seed, phase);
            }
        }
    }
    return t;
}

inline constexpr qr_mask_tables qr_masks = make_qr_mask_tables();

// ---- Penalty scoring (§7.8.3) on lines of W 64-bit words ----------------------------------
//
// A line (row or column) is scored as a whole with shifts and masks, never module by module.
// d = dark modules; l = ~d = light modules, where everything outside the symbol counts as
// light (the quiet zone), which the fill bits of the shifts provide.

template <int W>
using qr_line = std::array<std::uint64_t, static_cast<std::size_t>(W)>;

// result bit j = a bit (j + k), 1 <= k <= 63; bits from beyond the last word are `fill`.
template <int W>
[[nodiscard]] constexpr qr_line<W> qr_toward_low(const qr_line<W>& a, int k, std::uint64_t fill) noexcept {
    qr_line<W> r{};
    for (int w = 0; w < W; ++w) {
        const std::uint64_t next = w + 1 < W ? a[static_cast<std::size_t>(w + 1)] : fill;
        r[static_cast<std::size_t>(w)] = (a[static_cast<std::size_t>(w)] >> k) | (next << (64 - k));
    }
    return r;
}

// result bit j = a bit (j - k), 1 <= k <= 63; bits from before the first word are `fill`.
template <int W>
[[nodiscard]] constexpr qr_line<W> qr_toward_high(const qr_line<W>& a, int k, std::uint64_t fill) noexcept {
    qr_line<W> r{};
    for (int w = 0; w < W; ++w) {
        const std::uint64_t previous = w > 0 ? a[static_cast<std::size_t>(w - 1)] : fill;
        r[static_cast<std::size_t>(w)] = (a[static_cast<std::size_t>(w)] << k) | (previous >> (64 - k));
    }
    return r;
}

// std::popcount, except where it would become a library call (x86-64 without POPCNT in the
// target flags): there the SWAR count, inlined, is several times faster.
[[nodiscard]] constexpr int qr_popcount64(std::uint64_t x) noexcept {
#if defined(__POPCNT__) || defined(__aarch64__) || defined(_M_ARM64)
    return std::popcount(x);
#else
    x -= (x >> 1) & 0x5555555555555555u;
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
    return static_cast<int>((x * 0x0101010101010101u) >> 56);
#endif
}

template <int W>
[[nodiscard]] constexpr int qr_popcount(const qr_line<W>& a) noexcept {
    int n = 0;
    for (int w = 0; w < W; ++w) n += qr_popcount64(a[static_cast<std::size_t>(w)]);
    return n;
}

// The line masks of a symbol of `size` modules: `all` has bits 0..size-1, `pairs` 0..size-2
// (positions that have a right-hand neighbour inside the symbol).
template <int W>
struct qr_line_limits {
    qr_line<W> all{};
    qr_line<W> pairs{};
};

template <int W>
[[nodiscard]] constexpr qr_line_limits<W> make_qr_line_limits(int size) noexcept {
    qr_line_limits<W> limits;
    for (int w = 0; w < W; ++w) {
        const auto set_below = [w](int n) -> std::uint64_t {
            const int bits = n - 64 * w;
            if (bits <= 0) return 0;
            if (bits >= 64) return ~std::uint64_t{0};
            return (std::uint64_t{1} << bits) - 1;
        };
        limits.all[static_cast<std::size_t>(w)] = set_below(size);
        limits.pairs[static_cast<std::size_t>(w)] = set_below(size - 1);
    }
    return limits;
}

// The first position >= from whose bit is set, or 64 · W when there is none.
template <int W>
[[nodiscard]] constexpr int qr_next_set(const qr_line<W>& bits, int from) noexcept {
    if (from < 0) from = 0;
    for (int w = from >> 6; w < W; ++w) {
        std::uint64_t word = bits[static_cast<std::size_t>(w)];
        if (w == from >> 6) word &= ~std::uint64_t{0} << (from & 63);
        if (word != 0) return 64 * w + std::countr_zero(word);
    }
    return 64 * W;
}

// The last position <= from whose bit is set, or -1 when there is none.
template <int W>
[[nodiscard]] constexpr int qr_previous_set(const qr_line<W>& bits, int from) noexcept {
    if (from >= 64 * W) from = 64 * W - 1;
    for (int w = from >> 6; w >= 0; --w) {  // from < 0 gives w < 0: none
        std::uint64_t word = bits[static_cast<std::size_t>(w)];
        if (w == from >> 6) word &= ~std::uint64_t{0} >> (63 - (from & 63));
        if (word != 0) return 64 * w + 63 - std::countl_zero(word);
    }
    return -1;
}

// Rule 3 for the finder-like pattern at a unit n >= 2 (runs of n, n, 3n, n, n modules), whose
// centre is a dark run of 6 or more: rare enough to be checked one candidate at a time, from
// `starts`, the first modules of the dark runs of 6 or more. Run lengths come from the nearest
// module of the other colour (d: dark, l: light, also beyond the symbol's last module); outside
// the line everything is light, a light run that reaches there is endless.
template <int W>
[[nodiscard]] constexpr int qr_scaled_finder_like(const qr_line<W>& d, const qr_line<W>& l,
                                                  const qr_line<W>& starts) noexcept {
    constexpr int endless = 1 << 20;
    // The runs that end at `to` (going left) or start at `from` (going right).
    const auto light_to = [&](int to) {
        const int dark = qr_previous_set<W>(d, to);
        return dark < 0 ? endless : to - dark;
    };
    const auto dark_to = [&](int to) { return to < 0 ? 0 : to - qr_previous_set<W>(l, to); };
    const auto light_from = [&](int from) {
        const int dark = qr_next_set<W>(d, from);
        return dark >= 64 * W ? endless : dark - from;
    };
    const auto dark_from = [&](int from) { return from >= 64 * W ? 0 : qr_next_set<W>(l, from) - from; };
    int count = 0;
    for (int w = 0; w < W; ++w) {
        for (std::uint64_t bits = starts[static_cast<std::size_t>(w)]; bits != 0; bits &= bits - 1) {
            const int start = 64 * w + std::countr_zero(bits);
            const int end = qr_next_set<W>(l, start);  // the first module after the centre run
            if ((end - start) % 3 != 0) continue;
            const int n = (end - start) / 3;
            if (light_to(start - 1) != n || dark_to(start - 1 - n) != n || light_from(end) != n ||
                dark_from(end + n) != n)
                continue;
            const int before = light_to(start - 1 - 2 * n);
            const int after = light_from(end + 2 * n);
            count += (before >= 4 * n && after >= n ? 1 : 0) + (after >= 4 * n && before >= n ? 1 : 0);
        }
    }
    return count;
}

// The penalty points of rules 1 and 3 for one line (a row, or a column as a transposed row).
// Rule 1: a run of L >= 5 same-coloured modules scores N1 + (L - 5) = L - 2. With `same`
// marking positions whose right neighbour has the same colour and `run5` those starting five
// equal modules, a run of length L has L - 4 bits in run5 and one start, so
// popcount(run5) + 2 · starts adds up L - 2 for each run.
// Rule 3: runs in the ratio 1:1:3:1:1 (dark, light, dark, light, dark) with a light run of four
// times the unit before them, and separately with one after them, each score 40. The runs are
// whole runs, so the outer dark ones have light on both sides (a light run of at least the unit
// beyond them): 1:1:3:1:2 is no finder pattern. This is the reading of the reference encoder
// (python3-qrcodegen) too; tests/qr.test.cpp compares the masks chosen. At unit 1 the
// pattern is the bits 0·1011101·0 found by shifts; larger units are counted from the long
// dark runs.
template <int W>
[[nodiscard]] constexpr int qr_line_penalty(const qr_line<W>& d, const qr_line_limits<W>& limits) noexcept {
    constexpr std::uint64_t zeros = 0;
    constexpr std::uint64_t ones = ~std::uint64_t{0};
    qr_line<W> l{};
    qr_line<W> same{};
    const qr_line<W> d1 = qr_toward_low<W>(d, 1, zeros);
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        l[i] = ~d[i];
        same[i] = ~(d[i] ^ d1[i]) & limits.pairs[i];
    }
    const qr_line<W> s1 = qr_toward_low<W>(same, 1, zeros);
    const qr_line<W> s2 = qr_toward_low<W>(same, 2, zeros);
    const qr_line<W> s3 = qr_toward_low<W>(same, 3, zeros);
    qr_line<W> run5{};
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        run5[i] = same[i] & s1[i] & s2[i] & s3[i];
    }
    const qr_line<W> run5_previous = qr_toward_high<W>(run5, 1, zeros);
    // core: the bits 1011101 start here; dark6: six dark modules do. Each is rare, and what
    // else they need (the light around them) is only computed when a line has one.
    qr_line<W> core{};
    qr_line<W> dark6{};
    {
        const qr_line<W> l1 = qr_toward_low<W>(l, 1, ones);
        const qr_line<W> d2 = qr_toward_low<W>(d, 2, zeros);
        const qr_line<W> d3 = qr_toward_low<W>(d, 3, zeros);
        const qr_line<W> d4 = qr_toward_low<W>(d, 4, zeros);
        const qr_line<W> d5 = qr_toward_low<W>(d, 5, zeros);
        const qr_line<W> l5 = qr_toward_low<W>(l, 5, ones);
        const qr_line<W> d6 = qr_toward_low<W>(d, 6, zeros);
        for (int w = 0; w < W; ++w) {
            const auto i = static_cast<std::size_t>(w);
            core[i] = d[i] & l1[i] & d2[i] & d3[i] & d4[i] & l5[i] & d6[i];
            dark6[i] = d[i] & d1[i] & d2[i] & d3[i] & d4[i] & d5[i];
        }
    }
    bool any_core = false;
    bool any_dark6 = false;
    for (int w = 0; w < W; ++w) {
        any_core |= core[static_cast<std::size_t>(w)] != 0;
        any_dark6 |= dark6[static_cast<std::size_t>(w)] != 0;
    }
    int finder_like = 0;
    if (any_core || any_dark6) {
        const qr_line<W> b1 = qr_toward_high<W>(l, 1, ones);  // light before
        if (any_core) {
            // Unit 1: light before and after the bits (whole runs), and four light before, or after.
            qr_line<W> before{};
            qr_line<W> after{};
            const qr_line<W> b2 = qr_toward_high<W>(l, 2, ones);
            const qr_line<W> b3 = qr_toward_high<W>(l, 3, ones);
            const qr_line<W> b4 = qr_toward_high<W>(l, 4, ones);
            const qr_line<W> a7 = qr_toward_low<W>(l, 7, ones);
            const qr_line<W> a8 = qr_toward_low<W>(l, 8, ones);
            const qr_line<W> a9 = qr_toward_low<W>(l, 9, ones);
            const qr_line<W> a10 = qr_toward_low<W>(l, 10, ones);
            for (int w = 0; w < W; ++w) {
                const auto i = static_cast<std::size_t>(w);
                const std::uint64_t whole = core[i] & b1[i] & a7[i];
                before[i] = whole & b2[i] & b3[i] & b4[i];
                after[i] = whole & a8[i] & a9[i] & a10[i];
            }
            finder_like = qr_popcount<W>(before) + qr_popcount<W>(after);
        }
        if (any_dark6) {
            qr_line<W> long_dark_starts{};
            for (int w = 0; w < W; ++w) {
                const auto i = static_cast<std::size_t>(w);
                long_dark_starts[i] = dark6[i] & b1[i];
            }
            finder_like += qr_scaled_finder_like<W>(d, l, long_dark_starts);
        }
    }
    qr_line<W> starts{};
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        starts[i] = run5[i] & ~run5_previous[i];
    }
    const int runs = qr_popcount<W>(run5) + 2 * qr_popcount<W>(starts);
    return runs + 40 * finder_like;
}

// Rule 2: each 2×2 block of one colour scores 3 (overlapping blocks all count).
template <int W>
[[nodiscard]] constexpr int qr_block_penalty(const qr_line<W>& top, const qr_line<W>& bottom,
                                             const qr_line_limits<W>& limits) noexcept {
    qr_line<W> dark{};
    qr_line<W> light{};
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        dark[i] = top[i] & bottom[i];
        light[i] = ~top[i] & ~bottom[i] & limits.all[i];
    }
    const qr_line<W> dark1 = qr_toward_low<W>(dark, 1, 0);
    const qr_line<W> light1 = qr_toward_low<W>(light, 1, 0);
    int blocks = 0;
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        blocks += qr_popcount64(((dark[i] & dark1[i]) | (light[i] & light1[i])) & limits.pairs[i]);
    }
    return 3 * blocks;
}

// Rule 4: 10 points for each full 5 % step the share of dark modules is away from 50 %
// (45 %..55 % scores 0, 40 %..45 % or 55 %..60 % scores 10, ...).
[[nodiscard]] constexpr int qr_balance_penalty(int dark, int total) noexcept {
    const int deviation = dark * 20 - total * 10;  // in units of total / 20 (= 5 %)
    const int magnitude = deviation < 0 ? -deviation : deviation;
    return magnitude <= total ? 0 : 10 * ((magnitude - 1) / total);
}

// Transposes a 64 × 64 bit block in place (bit j of word i <-> bit i of word j) by swapping
// the off-diagonal halves of ever smaller sub-blocks: 32 × 32, then 16 × 16, ... 1 × 1.
constexpr void qr_transpose64(std::array<std::uint64_t, 64>& a) noexcept {
    std::uint64_t keep = 0x00000000FFFFFFFFu;
    for (int j = 32; j != 0; j >>= 1, keep ^= keep << j) {
        for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
            const auto lo = static_cast<std::size_t>(k);
            const auto hi = static_cast<std::size_t>(k | j);
            const std::uint64_t t = ((a[lo] >> j) ^ a[hi]) & keep;
            a[lo] ^= t << j;
            a[hi] ^= t;
        }
    }
}

// to.rows[x] bit y = from.rows[y] bit x, for a symbol of `size` <= 64 · W modules, by 64 × 64
// blocks.
template <int MaxVersion, int W>
constexpr void qr_transpose(const qr_bit_matrix<MaxVersion>& from, qr_bit_matrix<MaxVersion>& to,
                            int size) noexcept {
    for (int by = 0; by < W; ++by) {
        for (int bx = 0; bx < W; ++bx) {
            std::array<std::uint64_t, 64> block{};
            for (int i = 0; i < 64 && 64 * by + i < size; ++i) {
                block[static_cast<std::size_t>(i)] =
                    from.rows[static_cast<std::size_t>(64 * by + i)][static_cast<std::size_t>(bx)];
            }
            qr_transpose64(block);
            for (int i = 0; i < 64 && 64 * bx + i < size; ++i) {
                to.rows[static_cast<std::size_t>(64 * bx + i)][static_cast<std::size_t>(by)] =
                    block[static_cast<std::size_t>(i)];
            }
        }
    }
}

// ---- Symbol construction ------------------------------------------------------------------

// The (x, y) positions of the 15 format information bits (§7.9.1, Figure 25): bit i of the
// first copy (around the top-left finder pattern) and of the second copy (split between the
// bottom-left and top-right finder patterns). Bit 14 is the most significant.
struct qr_format_position {
    std::uint8_t x;
    std::uint8_t y;
};

[[nodiscard]] constexpr qr_format_position qr_format_first_copy(int bit) noexcept {
    // Bits 0-5 up column 8 from row 0, bit 6 at row 7 (row 6 is timing), bit 7 at (8, 8),
    // bit 8 at (7, 8), bits 9-14 along row 8 from column 5 down to column 0.
    if (bit <= 5) return {8, static_cast<std::uint8_t>(bit)};
    if (bit == 6) return {8, 7};
    if (bit == 7) return {8, 8};
    if (bit == 8) return {7, 8};
    return {static_cast<std::uint8_t>(14 - bit), 8};
}

[[nodiscard]] constexpr qr_format_position qr_format_second_copy(int bit, int size) noexcept {
    // Bits 0-7 along row 8 from the right edge leftwards; bits 8-14 down column 8 from
    // row size - 7 to the bottom edge.
    if (bit <= 7) return {static_cast<std::uint8_t>(size - 1 - bit), 8};
    return {8, static_cast<std::uint8_t>(size - 15 + bit)};
}

/// A finished symbol: what `basic_qr_code` holds.
template <int MaxVersion>
struct qr_symbol {
    qr_bit_matrix<MaxVersion> modules{};  // true = dark
    std::uint8_t version = 0;
    qr_ecc ecc = qr_ecc::medium;
    std::uint8_t mask = 0;
    friend constexpr bool operator==(const qr_symbol&, const qr_symbol&) = default;
};

// The function patterns (§6.3) of one version, and the placement of codewords (§7.7.3).
template <int MaxVersion>
class qr_builder {
public:
    constexpr explicit qr_builder(int version) noexcept : version_(version), size_(qr_size_of(version)) {
        draw_function_patterns();
    }

    // Places `codewords` (data and error correction, interleaved) in the two-module-wide
    // columns, from the bottom-right corner up, then down the next pair, and so on, skipping
    // function modules and the vertical timing pattern. The remainder bits stay light.
    constexpr void place(std::span<const std::uint8_t> codewords) noexcept {
        const std::size_t total_bits = codewords.size() * 8;
        std::size_t bit = 0;
        bool upward = true;
        for (int right = size_ - 1; right >= 1; right -= 2) {
            if (right == 6) right = 5;
            for (int step = 0; step < size_; ++step) {
                const int y = upward ? size_ - 1 - step : step;
                for (int x = right; x >= right - 1; --x) {
                    if (reserved_.get(x, y)) continue;
                    if (bit < total_bits && ((codewords[bit >> 3] >> (7 - (bit & 7))) & 1u)) dark_.set(x, y);
                    ++bit;
                }
            }
            upward = !upward;
        }
    }

    // Scores every mask (or takes `forced_mask`), applies the chosen one and writes the format
    // information of (`ecc`, mask) into `out`. Call once, after `place`.
    constexpr void finish(qr_ecc ecc, int forced_mask, qr_symbol<MaxVersion>& out) noexcept {
        using matrix = qr_bit_matrix<MaxVersion>;
        // From here on only the complement is needed: the modules that carry codewords (and
        // are masked). Computed in place to save stack.
        matrix& free = reserved_;
        const int words = qr_words_per_row(size_);
        for (int y = 0; y < size_; ++y) {
            for (int w = 0; w < words; ++w) {
                const auto yi = static_cast<std::size_t>(y);
                const auto wi = static_cast<std::size_t>(w);
                const int bits = size_ - 64 * w;
                const std::uint64_t valid = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
                free.rows[yi][wi] = ~free.rows[yi][wi] & valid;
            }
        }
        int mask = forced_mask;
        if (mask < 0) {
            switch (words) {
                case 1: mask = best_mask<1>(ecc, free); break;
                case 2:
                    if constexpr (matrix::words >= 2) mask = best_mask<2>(ecc, free);
                    break;
                default:
                    if constexpr (matrix::words >= 3) mask = best_mask<3>(ecc, free);
                    break;
            }
        }
        out.modules = dark_;
        for (int y = 0; y < size_; ++y) {
            const auto& pattern =
                qr_masks.by_row[static_cast<std::size_t>(mask)][static_cast<std::size_t>(y % 12)];
            for (int w = 0; w < words; ++w) {
                const auto yi = static_cast<std::size_t>(y);
                const auto wi = static_cast<std::size_t>(w);
                out.modules.rows[yi][wi] ^= pattern[wi] & free.rows[yi][wi];
            }
        }
        const std::uint32_t format = qr_format_information(static_cast<int>(ecc), mask);
        for (int bit = 0; bit < 15; ++bit) {
            if (((format >> bit) & 1u) == 0) continue;
            const qr_format_position a = qr_format_first_copy(bit);
            const qr_format_position b = qr_format_second_copy(bit, size_);
            out.modules.set(a.x, a.y);
            out.modules.set(b.x, b.y);
        }
        out.version = static_cast<std::uint8_t>(version_);
        out.ecc = ecc;
        out.mask = static_cast<std::uint8_t>(mask);
        qr_wipe(dark_.rows, static_cast<std::size_t>(size_));  // the placed codewords, unmasked
    }

private:
    constexpr void set_function(int x, int y, bool is_dark) noexcept {
        reserved_.set(x, y);
        if (is_dark)
            dark_.set(x, y);
        else
            dark_.clear(x, y);
    }

    constexpr void draw_function_patterns() noexcept {
        // Timing patterns (§6.3.5): row 6 and column 6, dark on even coordinates. Finder and
        // alignment patterns drawn afterwards agree with them where they overlap.
        for (int i = 0; i < size_; ++i) {
            set_function(i, 6, i % 2 == 0);
            set_function(6, i, i % 2 == 0);
        }
        // Finder patterns with their light separators (§6.3.3, §6.3.4): dark at Chebyshev
        // distance 0, 1 and 3 from the centre, light at 2 and 4.
        const int centres[3][2] = {{3, 3}, {size_ - 4, 3}, {3, size_ - 4}};
        for (const auto& c : centres) {
            for (int dy = -4; dy <= 4; ++dy) {
                for (int dx = -4; dx <= 4; ++dx) {
                    const int x = c[0] + dx;
                    const int y = c[1] + dy;
                    if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
                    const int distance =
                        (dx < 0 ? -dx : dx) > (dy < 0 ? -dy : dy) ? (dx < 0 ? -dx : dx) : (dy < 0 ? -dy : dy);
                    set_function(x, y, distance != 2 && distance != 4);
                }
            }
        }
        // Alignment patterns (§6.3.6, Annex E): at every pair of listed coordinates except the
        // three occupied by finder patterns; dark at distance 0 and 2.
        const auto& positions = qr_alignment_positions[static_cast<std::size_t>(version_)];
        const int count = qr_alignment_count(version_);
        for (int i = 0; i < count; ++i) {
            for (int j = 0; j < count; ++j) {
                if ((i == 0 && j == 0) || (i == 0 && j == count - 1) || (i == count - 1 && j == 0)) continue;
                const int cx = positions[static_cast<std::size_t>(i)];
                const int cy = positions[static_cast<std::size_t>(j)];
                for (int dy = -2; dy <= 2; ++dy) {
                    for (int dx = -2; dx <= 2; ++dx) {
                        const int distance = (dx < 0 ? -dx : dx) > (dy < 0 ? -dy : dy) ? (dx < 0 ? -dx : dx)
                                                                                       : (dy < 0 ? -dy : dy);
                        set_function(cx + dx, cy + dy, distance != 1);
                    }
                }
            }
        }
        // Format information areas (§7.9.1): reserved now, written once the mask is known;
        // and the dark module at (8, 4V + 9) = (8, size - 8).
        for (int bit = 0; bit < 15; ++bit) {
            const qr_format_position a = qr_format_first_copy(bit);
            const qr_format_position b = qr_format_second_copy(bit, size_);
            set_function(a.x, a.y, false);
            set_function(b.x, b.y, false);
        }
        set_function(8, size_ - 8, true);
        // Version information (§7.10), versions 7 and up: bit i at (size - 11 + i % 3, i / 3),
        // left of the top-right finder pattern, and transposed, above the bottom-left one.
        if (version_ >= 7) {
            const std::uint32_t info = qr_version_information(version_);
            for (int i = 0; i < 18; ++i) {
                const bool bit = ((info >> i) & 1u) != 0;
                const int a = size_ - 11 + i % 3;
                const int b = i / 3;
                set_function(a, b, bit);
                set_function(b, a, bit);
            }
        }
    }

    template <int W>
    [[nodiscard]] constexpr int best_mask(qr_ecc ecc, const qr_bit_matrix<MaxVersion>& free) const noexcept {
        // The columns, as rows of the transposed matrices, for rules 1 and 3 down columns.
        qr_bit_matrix<MaxVersion> dark_t{};
        qr_bit_matrix<MaxVersion> free_t{};
        qr_transpose<MaxVersion, W>(dark_, dark_t, size_);
        qr_transpose<MaxVersion, W>(free, free_t, size_);
        const qr_line_limits<W> limits = make_qr_line_limits<W>(size_);
        const int total = size_ * size_;
        int best = 0;
        int best_score = 0;
        for (int mask = 0; mask < 8; ++mask) {
            // The format information of this mask, as the bits of row 8 (over x) and of
            // column 8 (over y); both include (8, 8).
            const std::uint32_t format = qr_format_information(static_cast<int>(ecc), mask);
            qr_line<W> row8{};
            qr_line<W> column8{};
            for (int bit = 0; bit < 15; ++bit) {
                if (((format >> bit) & 1u) == 0) continue;
                for (const qr_format_position p :
                     {qr_format_first_copy(bit), qr_format_second_copy(bit, size_)}) {
                    if (p.y == 8) row8[static_cast<std::size_t>(p.x >> 6)] |= std::uint64_t{1} << (p.x & 63);
                    if (p.x == 8)
                        column8[static_cast<std::size_t>(p.y >> 6)] |= std::uint64_t{1} << (p.y & 63);
                }
            }
            const auto line_of = [&](const qr_bit_matrix<MaxVersion>& base,
                                     const qr_bit_matrix<MaxVersion>& open, const auto& patterns,
                                     const qr_line<W>& own8, const qr_line<W>& cross8, int index) {
                const auto i = static_cast<std::size_t>(index);
                const auto& pattern =
                    patterns[static_cast<std::size_t>(mask)][static_cast<std::size_t>(index % 12)];
                qr_line<W> line{};
                for (int w = 0; w < W; ++w) {
                    const auto wi = static_cast<std::size_t>(w);
                    line[wi] = base.rows[i][wi] ^ (pattern[wi] & open.rows[i][wi]);
                    if (index == 8) line[wi] |= own8[wi];
                }
                if ((cross8[i >> 6] >> (i & 63)) & 1u) line[0] |= std::uint64_t{1} << 8;
                return line;
            };
            int score = 0;
            int dark = 0;
            qr_line<W> previous{};
            for (int y = 0; y < size_; ++y) {
                const qr_line<W> row = line_of(dark_, free, qr_masks.by_row, row8, column8, y);
                score += qr_line_penalty<W>(row, limits);
                if (y > 0) score += qr_block_penalty<W>(previous, row, limits);
                dark += qr_popcount<W>(row);
                previous = row;
            }
            for (int x = 0; x < size_ && (mask == 0 || score < best_score); ++x) {
                score +=
                    qr_line_penalty<W>(line_of(dark_t, free_t, qr_masks.by_column, column8, row8, x), limits);
            }
            score += qr_balance_penalty(dark, total);
            if (mask == 0 || score < best_score) {
                best = mask;
                best_score = score;
            }
        }
        qr_wipe(dark_t.rows, static_cast<std::size_t>(size_));
        return best;
    }

    int version_;
    int size_;
    qr_bit_matrix<MaxVersion> dark_{};      // function patterns and codewords, unmasked
    qr_bit_matrix<MaxVersion> reserved_{};  // function modules (including format areas)
};

// ---- Data encoding (§7.4) -----------------------------------------------------------------

// Appends bits, most significant first, to zero-initialised codewords. Bits past the end of
// `out` are counted but not stored (the encoder checks the count; this never happens).
struct qr_bit_writer {
    std::span<std::uint8_t> out;
    std::size_t bit_count = 0;

    constexpr void put(std::uint32_t value, int bits) noexcept {
        for (int i = bits - 1; i >= 0; --i) {
            if (((value >> i) & 1u) && (bit_count >> 3) < out.size()) {
                out[bit_count >> 3] |= static_cast<std::uint8_t>(0x80u >> (bit_count & 7));
            }
            ++bit_count;
        }
    }
};

// Segment modes as small indices, for the segmentation tables below.
inline constexpr std::uint8_t qr_numeric = 0;
inline constexpr std::uint8_t qr_alphanumeric = 1;
inline constexpr std::uint8_t qr_byte = 2;

[[nodiscard]] constexpr qr_segment_mode qr_mode_of(std::uint8_t index) noexcept {
    return index == qr_numeric        ? qr_segment_mode::numeric
           : index == qr_alphanumeric ? qr_segment_mode::alphanumeric
                                      : qr_segment_mode::byte;
}

// Writes one segment (§7.4.3–§7.4.5): mode indicator, character count, data. The count always
// fits its indicator: in each version class a segment too long for the indicator (1024 digits,
// 512 alphanumeric characters or 256 bytes in versions 1–9, and so on) would take more bits than
// the largest version of the class holds, so no fitting plan contains one.
constexpr void qr_write_segment(qr_bit_writer& writer, std::uint8_t mode, const char* chars,
                                std::size_t count, int version_class) noexcept {
    const qr_segment_mode m = qr_mode_of(mode);
    writer.put(static_cast<std::uint32_t>(m), 4);
    writer.put(static_cast<std::uint32_t>(count), qr_count_bits(m, version_class));
    if (mode == qr_numeric) {
        // Groups of three digits in 10 bits; a final group of two in 7, of one in 4.
        std::size_t i = 0;
        for (; i + 3 <= count; i += 3) {
            writer.put(static_cast<std::uint32_t>((chars[i] - '0') * 100 + (chars[i + 1] - '0') * 10 +
                                                  (chars[i + 2] - '0')),
                       10);
        }
        if (count - i == 2)
            writer.put(static_cast<std::uint32_t>((chars[i] - '0') * 10 + (chars[i + 1] - '0')), 7);
        if (count - i == 1) writer.put(static_cast<std::uint32_t>(chars[i] - '0'), 4);
    } else if (mode == qr_alphanumeric) {
        // Pairs as 45 · first + second in 11 bits; a final single character in 6.
        std::size_t i = 0;
        for (; i + 2 <= count; i += 2) {
            writer.put(static_cast<std::uint32_t>(qr_alphanumeric_value(chars[i]) * 45 +
                                                  qr_alphanumeric_value(chars[i + 1])),
                       11);
        }
        if (i < count) writer.put(static_cast<std::uint32_t>(qr_alphanumeric_value(chars[i])), 6);
    } else {
        for (std::size_t i = 0; i < count; ++i) writer.put(static_cast<unsigned char>(chars[i]), 8);
    }
}

/**
 * The shortest segmentation of a text into numeric, alphanumeric and byte segments, for one
 * character count indicator class (the lengths depend on the version, Table 3).
 *
 * Dynamic programming over the characters with six states: "inside a numeric segment whose
 * length is 0, 1 or 2 mod 3", "inside an alphanumeric segment of even or odd length", "inside
 * a byte segment". Tracking the residues makes the bit counts exact (a numeric segment of n
 * digits takes 10·⌊n/3⌋ + {0, 4, 7}[n mod 3] bits), so the result is optimal, not an
 * approximation. Starting a segment costs its mode indicator and character count indicator.
 * A byte of a multi-byte UTF-8 sequence is never a digit or alphanumeric character, so a
 * UTF-8 character never straddles two segments.
 *
 * For each character the predecessor choices of the three states that have any are kept in
 * one byte (`choice`), so the memory is one byte per character; `modes_from_choices` turns
 * them into the mode of every character.
 */
class qr_segmenter {
public:
    static constexpr int infinity = 1 << 29;
    enum state : std::uint8_t { n0, n1, n2, a0, a1, b, state_count };

    // The predecessors of the three states that can start a segment, in the order their index
    // is stored in a choice byte: n1 in bits 0-1, a1 in bits 2-4, b in bits 5-7.
    static constexpr std::array<state, 4> n1_from{n0, a0, a1, b};
    static constexpr std::array<state, 5> a1_from{a0, n0, n1, n2, b};
    static constexpr std::array<state, 6> b_from{b, n0, n1, n2, a0, a1};

    // Runs the dynamic program over `text`, filling choices[0..text.size()), and returns the
    // number of bits of the best segmentation with the given count indicator class.
    [[nodiscard]] static constexpr int plan(std::string_view text, int version_class,
                                            std::span<std::uint8_t> choices, state& final_state) noexcept {
        const int header_n = 4 + qr_count_bits(qr_segment_mode::numeric, version_class);
        const int header_a = 4 + qr_count_bits(qr_segment_mode::alphanumeric, version_class);
        const int header_b = 4 + qr_count_bits(qr_segment_mode::byte, version_class);
        std::array<int, state_count> cost{infinity, infinity, infinity, infinity, infinity, infinity};
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            const bool digit = c >= '0' && c <= '9';
            const bool alnum = qr_alphanumeric_value(c) >= 0;
            const std::array<int, state_count> was = cost;
            std::uint8_t choice = 0;
            // The cheapest way to have ended the previous segment with one of `from` (0 at
            // the start of the text), and its index in `from`.
            const auto cheapest = [&](const auto& from, std::size_t first) {
                int best = i == 0 ? 0 : infinity;
                std::size_t index = first;
                if (i != 0) {
                    for (std::size_t k = first; k < from.size(); ++k) {
                        if (was[from[k]] < best) {
                            best = was[from[k]];
                            index = k;
                        }
                    }
                }
                return std::pair<int, std::size_t>{best, index};
            };
            cost.fill(infinity);
            if (digit) {
                const auto [start, index] = cheapest(n1_from, 1);
                const int continued = was[n0] + 4;
                const int started = start >= infinity ? infinity : start + header_n + 4;
                if (continued <= started) {
                    cost[n1] = continued;
                } else {
                    cost[n1] = started;
                    choice |= static_cast<std::uint8_t>(index);
                }
                cost[n2] = was[n1] + 3;
                cost[n0] = was[n2] + 3;
            }
            if (alnum) {
                const auto [start, index] = cheapest(a1_from, 1);
                const int continued = was[a0] + 6;
                const int started = start >= infinity ? infinity : start + header_a + 6;
                if (continued <= started) {
                    cost[a1] = continued;
                } else {
                    cost[a1] = started;
                    choice |= static_cast<std::uint8_t>(index << 2);
                }
                cost[a0] = was[a1] + 5;
            }
            {
                const auto [start, index] = cheapest(b_from, 1);
                const int continued = was[b] + 8;
                const int started = start >= infinity ? infinity : start + header_b + 8;
                if (continued <= started) {
                    cost[b] = continued;
                } else {
                    cost[b] = started;
                    choice |= static_cast<std::uint8_t>(index << 5);
                }
            }
            for (int& v : cost) v = v > infinity ? infinity : v;
            choices[i] = choice;
        }
        if (text.empty()) {
            final_state = b;
            return 0;
        }
        int best = infinity;
        for (std::uint8_t s = 0; s < state_count; ++s) {
            if (cost[s] < best) {
                best = cost[s];
                final_state = static_cast<state>(s);
            }
        }
        return best;
    }

    // Replaces choices[i] by the mode (qr_numeric, qr_alphanumeric, qr_byte) of character i
    // on the best path that ends in `final_state`.
    static constexpr void modes_from_choices(std::span<std::uint8_t> choices, std::size_t count,
                                             state final_state) noexcept {
        state s = final_state;
        for (std::size_t i = count; i-- > 0;) {
            const std::uint8_t choice = choices[i];
            state previous = s;
            std::uint8_t mode = qr_byte;
            switch (s) {
                case n0: previous = n2, mode = qr_numeric; break;
                case n2: previous = n1, mode = qr_numeric; break;
                case n1: previous = n1_from[choice & 0x3u], mode = qr_numeric; break;
                case a0: previous = a1, mode = qr_alphanumeric; break;
                case a1: previous = a1_from[(choice >> 2) & 0x7u], mode = qr_alphanumeric; break;
                default: previous = b_from[(choice >> 5) & 0x7u], mode = qr_byte; break;
            }
            choices[i] = mode;
            s = previous;
        }
    }
};

// The largest number of data codewords, and of all codewords, of any version up to MaxVersion.
[[nodiscard]] constexpr int qr_max_data_codewords(int max_version) noexcept {
    int most = 0;
    for (int v = 1; v <= max_version; ++v) {
        for (int e = 0; e < 4; ++e) most = qr_data_codewords(v, e) > most ? qr_data_codewords(v, e) : most;
    }
    return most;
}

template <int MaxVersion>
class qr_encoder {
public:
    static constexpr std::size_t max_data_codewords =
        static_cast<std::size_t>(qr_max_data_codewords(MaxVersion));
    static constexpr std::size_t max_codewords = static_cast<std::size_t>(qr_total_codewords(MaxVersion));
    // A text longer than this cannot fit: every character takes at least 10/3 bits.
    static constexpr std::size_t max_text_length = max_data_codewords * 8 * 3 / 10;

    static constexpr result<qr_symbol<MaxVersion>> encode_text(std::string_view text,
                                                               const qr_options& options) noexcept {
        const auto range = check(options);
        if (!range) return unexpected(range.error());
        if (text.size() > max_text_length) return unexpected(errc::qr_data_too_long);
        std::array<std::uint8_t, max_text_length> choices{};
        const auto [first, last] = *range;
        const int ecc = static_cast<int>(options.ecc);
        // Readers take byte segments as ISO-8859-1 unless told otherwise (§7.4.2), and zbar guesses
        // Shift JIS or Big5 for some UTF-8: a UTF-8 text other than ASCII is declared so.
        const bool declare_utf8 = has_non_ascii(text) && is_utf8(text);
        const int header_bits = declare_utf8 ? qr_eci_utf8_header_bits : 0;
        // One plan per count indicator class, smallest versions first; the first class with a
        // version that holds the plan's bits wins (a later class only has larger versions).
        for (int cls = qr_version_class(first); cls <= qr_version_class(last); ++cls) {
            qr_segmenter::state final_state = qr_segmenter::b;
            const int bits = header_bits + qr_segmenter::plan(text, cls, choices, final_state);
            const int version = smallest_version(bits, cls, first, last, ecc);
            if (version == 0) continue;
            qr_segmenter::modes_from_choices(choices, text.size(), final_state);
            std::array<std::uint8_t, max_data_codewords> data{};
            qr_bit_writer writer{data};
            if (declare_utf8) {
                writer.put(qr_eci_mode_indicator, 4);
                writer.put(qr_eci_utf8_designator, 8);
            }
            for (std::size_t begin = 0; begin < text.size();) {
                std::size_t end = begin + 1;
                while (end < text.size() && choices[end] == choices[begin]) ++end;
                qr_write_segment(writer, choices[begin], text.data() + begin, end - begin, cls);
                begin = end;
            }
            qr_wipe(choices, text.size());  // which characters are digits, letters, other bytes
            return finish(data, writer, bits, version, options);
        }
        qr_wipe(choices, text.size());
        return unexpected(errc::qr_data_too_long);
    }

    static constexpr result<qr_symbol<MaxVersion>> encode_bytes(std::span<const std::byte> bytes,
                                                                const qr_options& options) noexcept {
        const auto range = check(options);
        if (!range) return unexpected(range.error());
        if (bytes.size() > max_data_codewords) return unexpected(errc::qr_data_too_long);
        const auto [first, last] = *range;
        const int ecc = static_cast<int>(options.ecc);
        for (int cls = qr_version_class(first); cls <= qr_version_class(last); ++cls) {
            const int bits =
                4 + qr_count_bits(qr_segment_mode::byte, cls) + 8 * static_cast<int>(bytes.size());
            const int version = smallest_version(bits, cls, first, last, ecc);
            if (version == 0) continue;
            std::array<std::uint8_t, max_data_codewords> data{};
            qr_bit_writer writer{data};
            writer.put(static_cast<std::uint32_t>(qr_segment_mode::byte), 4);
            writer.put(static_cast<std::uint32_t>(bytes.size()), qr_count_bits(qr_segment_mode::byte, cls));
            for (const std::byte byte : bytes) writer.put(std::to_integer<std::uint32_t>(byte), 8);
            return finish(data, writer, bits, version, options);
        }
        return unexpected(errc::qr_data_too_long);
    }

private:
    struct version_range {
        int first;
        int last;
    };

    static constexpr result<version_range> check(const qr_options& options) noexcept {
        const int ecc = static_cast<int>(options.ecc);
        if (ecc < 0 || ecc > 3 || options.min_version < qr_min_version ||
            options.max_version > qr_max_version || options.min_version > options.max_version ||
            options.min_version > MaxVersion || options.mask < qr_auto_mask || options.mask > 7) {
            return unexpected(errc::invalid_qr_options);
        }
        return version_range{options.min_version,
                             options.max_version < MaxVersion ? options.max_version : MaxVersion};
    }

    // The smallest version of class `cls` within [first, last] holding `bits` at level `ecc`,
    // or 0.
    static constexpr int smallest_version(int bits, int cls, int first, int last, int ecc) noexcept {
        const int from = first > qr_class_first_version[static_cast<std::size_t>(cls)]
                             ? first
                             : qr_class_first_version[static_cast<std::size_t>(cls)];
        const int to = last < qr_class_last_version[static_cast<std::size_t>(cls)]
                           ? last
                           : qr_class_last_version[static_cast<std::size_t>(cls)];
        for (int v = from; v <= to; ++v) {
            if (bits <= qr_data_bits(v, ecc)) return v;
        }
        return 0;
    }

    // Terminator, padding, error correction, interleaving, placement, masking (§7.4.9–§7.9).
    // Wipes `data` and every working buffer (see qr_wipe) before it returns.
    static constexpr qr_symbol<MaxVersion> finish(std::array<std::uint8_t, max_data_codewords>& data,
                                                  qr_bit_writer& writer, int bits, int version,
                                                  const qr_options& options) noexcept {
        // The plan's bit count is exact (tests check it against brute force), so the stream
        // written fits the chosen version.
        TWOFACTOR_ASSERT(writer.bit_count == static_cast<std::size_t>(bits),
                         "QR bit stream longer than planned");
        int ecc = static_cast<int>(options.ecc);
        if (options.boost_ecc) {
            while (ecc < 3 && bits <= qr_data_bits(version, ecc + 1)) ++ecc;
        }
        const auto capacity = static_cast<std::size_t>(qr_data_bits(version, ecc));
        // Terminator: up to four zero bits; then zeros to the byte boundary (already zero);
        // then the pad codewords 11101100 and 00010001 alternately (§7.4.9, §7.4.10).
        std::size_t used = writer.bit_count + 4 < capacity ? writer.bit_count + 4 : capacity;
        used = (used + 7) / 8;
        const std::size_t data_count = capacity / 8;
        for (std::size_t i = used; i < data_count; ++i) data[i] = (i - used) % 2 == 0 ? 0xEC : 0x11;

        // Error correction blocks (§7.5.2, Table 9): the blocks of the shorter size first; the
        // codewords interleaved column by column, data first, then error correction (§7.6).
        const auto e = static_cast<std::size_t>(ecc);
        const auto v = static_cast<std::size_t>(version);
        const std::size_t blocks = qr_ecc_block_count[e][v];
        const std::size_t ecc_per_block = qr_ecc_codewords_per_block[e][v];
        const auto total = static_cast<std::size_t>(qr_total_codewords(version));
        const std::size_t long_blocks = total % blocks;
        const std::size_t short_blocks = blocks - long_blocks;
        const std::size_t short_data = total / blocks - ecc_per_block;
        std::array<std::uint8_t, max_codewords> codewords{};
        std::array<std::uint8_t, rs_max_degree> ecc_codewords{};
        std::size_t offset = 0;
        for (std::size_t block = 0; block < blocks; ++block) {
            const std::size_t length = short_data + (block < short_blocks ? 0 : 1);
            const std::span<const std::uint8_t> block_data(data.data() + offset, length);
            rs_remainder(block_data, std::span<std::uint8_t>(ecc_codewords.data(), ecc_per_block));
            for (std::size_t i = 0; i < length; ++i) {
                // Column i of the data part; the extra codeword of the long blocks comes after
                // every block's column short_data - 1.
                codewords[i < short_data ? i * blocks + block
                                         : short_data * blocks + (block - short_blocks)] = block_data[i];
            }
            for (std::size_t i = 0; i < ecc_per_block; ++i)
                codewords[data_count + i * blocks + block] = ecc_codewords[i];
            offset += length;
        }

        qr_wipe(data, data_count);
        qr_wipe(ecc_codewords);

        qr_builder<MaxVersion> builder(version);
        builder.place(std::span<const std::uint8_t>(codewords.data(), total));
        qr_wipe(codewords, total);
        qr_symbol<MaxVersion> symbol;
        builder.finish(static_cast<qr_ecc>(ecc), options.mask, symbol);  // wipes its unmasked copy
        return symbol;
    }
};

}  // namespace detail

/**
 * An immutable QR code symbol (ISO/IEC 18004:2015, Model 2): a square of `size()` × `size()`
 * modules, each dark or light, plus the version, error correction level and mask it was
 * built with. Make one with `encode_text` or `encode_bytes`; draw it with the renderers of
 * twofactor/qr_render.hpp or with `module(x, y)`.
 *
 * Storage is fixed, inside the object, and never on the heap: one bit per module, each row
 * padded to whole 64-bit words, for the largest symbol of `MaxVersion` (1..40). `qr_code`
 * (= basic_qr_code<40>) takes about 4.2 KiB and holds any QR code; firmware that only
 * needs small codes can use e.g. `basic_qr_code<10>` (57 × 57 modules, 464 bytes), whose
 * encoder never picks a version above 10 and reports errc::qr_data_too_long beyond it.
 * Encoding works in stack buffers sized by `MaxVersion` as well: about 45 KiB for
 * MaxVersion 40 and 6 KiB for MaxVersion 10 (GCC 12, -O2, x86-64).
 *
 *     auto code = twofactor::qr_code::encode_text("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP");
 *     if (!code) return code.error();
 *     for (int y = 0; y < code->size(); ++y)
 *         for (int x = 0; x < code->size(); ++x) draw(x, y, code->module(x, y));
 */
template <int MaxVersion = 40>
requires(MaxVersion >= 1 && MaxVersion <= 40) class basic_qr_code {
public:
    /// The largest version this type holds, 1..40.
    static constexpr int max_version = MaxVersion;
    /// The number of modules per side of the largest symbol this type holds (21..177).
    static constexpr int max_size = 4 * MaxVersion + 17;

    /**
     * Encodes `text` in the fewest bits: the text is split into numeric (digits 0-9),
     * alphanumeric (0-9, A-Z, space and $ % * + - . / :) and byte segments wherever that is
     * shorter, optimally (so "0123456789" is one numeric segment, "HELLO WORLD" one
     * alphanumeric segment, and an otpauth:// URI byte mode except for its uppercase base32
     * secret, which goes in alphanumeric mode). Lowercase letters and everything else, including UTF-8
     * sequences, go in byte mode as they are. A text that holds UTF-8 beyond ASCII starts with
     * an ECI header that declares UTF-8 (ECI 000026, 12 bits), so that readers do not take it
     * as ISO-8859-1 or guess another encoding; bytes that are not UTF-8 go without one (the
     * reader's default, ISO-8859-1, then applies), as do ASCII texts such as otpauth:// URIs.
     *
     * The version is the smallest allowed by `options` that holds the data; see `qr_options`.
     * Errors: errc::invalid_qr_options; errc::qr_data_too_long when the text does not fit the
     * largest allowed version at the requested level (never a truncated code). An empty text
     * gives a version 1 code holding no data.
     *
     *     constexpr auto code = twofactor::qr_code::encode_text("HELLO WORLD");
     *     static_assert(code->version() == 1 && code->size() == 21);
     */
    [[nodiscard]] static constexpr result<basic_qr_code> encode_text(
        std::string_view text, const qr_options& options = {}) noexcept {
        auto symbol = detail::qr_encoder<MaxVersion>::encode_text(text, options);
        if (!symbol) return unexpected(symbol.error());
        return basic_qr_code(*symbol);
    }

    /**
     * Encodes `data` as a single byte-mode segment, whatever the bytes are (0x00..0xFF).
     * Up to 2953 bytes fit (version 40, level L). Errors as for `encode_text`.
     *
     *     const std::array<std::byte, 3> data{std::byte{0x00}, std::byte{0xFF}, std::byte{0x10}};
     *     auto code = twofactor::qr_code::encode_bytes(data, {.ecc = twofactor::qr_ecc::high});
     */
    [[nodiscard]] static constexpr result<basic_qr_code> encode_bytes(
        std::span<const std::byte> data, const qr_options& options = {}) noexcept {
        auto symbol = detail::qr_encoder<MaxVersion>::encode_bytes(data, options);
        if (!symbol) return unexpected(symbol.error());
        return basic_qr_code(*symbol);
    }

    /// The version, 1..MaxVersion.
    [[nodiscard]] constexpr int version() const noexcept { return symbol_.version; }
    /// The number of modules per side, 4 · version + 17: 21..177.
    [[nodiscard]] constexpr int size() const noexcept { return 4 * symbol_.version + 17; }
    /// The error correction level actually used (possibly boosted above the requested one).
    [[nodiscard]] constexpr qr_ecc ecc() const noexcept { return symbol_.ecc; }
    /// The mask pattern applied, 0..7 (§7.8.2).
    [[nodiscard]] constexpr int mask() const noexcept { return symbol_.mask; }

    /// Whether the module in column `x`, row `y` (0-based, from the top-left corner) is dark.
    /// Coordinates outside 0..size()-1 are the quiet zone: light (false).
    [[nodiscard]] constexpr bool module(int x, int y) const noexcept {
        if (x < 0 || y < 0 || x >= size() || y >= size()) return false;
        return symbol_.modules.get(x, y);
    }

    friend constexpr bool operator==(const basic_qr_code&, const basic_qr_code&) = default;

private:
    constexpr explicit basic_qr_code(const detail::qr_symbol<MaxVersion>& symbol) noexcept
        : symbol_(symbol) {}

    detail::qr_symbol<MaxVersion> symbol_;
};

/// A QR code of any version 1..40; see `basic_qr_code`.
using qr_code = basic_qr_code<40>;

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_QR_HPP_INCLUDED
