// Tests of twofactor/qr.hpp: the QR code encoder, ISO/IEC 18004:2015.
//
// Known answers from the standard (capacity and block tables, format and version information,
// generator polynomials, the Annex I example), structural invariants of the symbol, the
// optimality of the segmentation and of the mask choice against brute force, a decode sweep
// through an independent decoder, zbarimg (Debian package zbar-tools), and every version and
// level module for module against an independent encoder, Project Nayuki's (python3-qrcodegen),
// with forced masks and with the masks both choose.
#include <boost/test/unit_test.hpp>

#include <twofactor/qr.hpp>
#include <twofactor/qr_render.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <numeric>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/process.hpp"
#include "support/temp_folder.hpp"
#include "support/test_support.hpp"

namespace tf = twofactor;
namespace td = twofactor::detail;

namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, qr_ecc ecc) {
    return out << "LMQH"[static_cast<int>(ecc) & 3];
}
}  // namespace twofactor::inline v1

namespace {

using twofactor_test::as_text;
using twofactor_test::python;

constexpr std::array<tf::qr_ecc, 4> all_levels{tf::qr_ecc::low, tf::qr_ecc::medium, tf::qr_ecc::quartile,
                                               tf::qr_ecc::high};

// ---- Compile-time encoding ----------------------------------------------------------------

// FNV-1a over the modules, row by row: a fingerprint of the whole matrix.
template <int MaxVersion>
constexpr std::uint32_t fingerprint(const tf::basic_qr_code<MaxVersion>& code) {
    std::uint32_t hash = 2166136261u;
    for (int y = 0; y < code.size(); ++y) {
        for (int x = 0; x < code.size(); ++x) hash = (hash ^ (code.module(x, y) ? 1u : 0u)) * 16777619u;
    }
    return hash;
}

constexpr auto hello_world = tf::qr_code::encode_text("HELLO WORLD");
static_assert(hello_world.has_value());
static_assert(hello_world->version() == 1 && hello_world->size() == 21);
static_assert(hello_world->ecc() == tf::qr_ecc::quartile);  // M requested, boosted: 74 bits fit Q
static_assert(hello_world->module(0, 0) && hello_world->module(6, 6) && !hello_world->module(7, 7));
static_assert(hello_world->module(8, 13));  // the dark module, (8, 4V + 9)
static_assert(!hello_world->module(-1, 0) && !hello_world->module(21, 0));

// The Annex I example, "01234567" at 1-M, with the mask forced to 010 as there.
constexpr auto annex_i = tf::qr_code::encode_text("01234567", {.boost_ecc = false, .mask = 2});
static_assert(annex_i->version() == 1 && annex_i->ecc() == tf::qr_ecc::medium && annex_i->mask() == 2);

// A small code type for firmware: the same symbol as with qr_code.
constexpr auto small = tf::basic_qr_code<2>::encode_text("HELLO WORLD");
static_assert(small.has_value() && fingerprint(*small) == fingerprint(*hello_world));
static_assert(sizeof(tf::basic_qr_code<2>) < 256);
static_assert(
    tf::basic_qr_code<2>::encode_text("THIS TEXT IS FAR TOO LONG FOR VERSION TWO AT LEVEL M, SURELY") ==
    tf::unexpected(tf::errc::qr_data_too_long));

BOOST_AUTO_TEST_CASE(constexpr_encoding_equals_run_time_encoding) {
    const auto run_time = tf::qr_code::encode_text(std::string("HELLO WORLD"));
    BOOST_TEST_REQUIRE(run_time.has_value());
    BOOST_TEST((*run_time == *hello_world));
    BOOST_TEST(fingerprint(*run_time) == fingerprint(*hello_world));
    constexpr std::uint32_t compile_time_fingerprint = fingerprint(*hello_world);
    static_assert(compile_time_fingerprint != 0);
}

// ---- Tables (ISO/IEC 18004:2015) ----------------------------------------------------------

// Table 1: total codewords per version.
constexpr std::array<int, 40> table1_codewords{26,   44,   70,   100,  134,  172,  196,  242,  292,  346,
                                               404,  466,  532,  581,  655,  733,  815,  901,  991,  1085,
                                               1156, 1258, 1364, 1474, 1588, 1706, 1828, 1921, 2051, 2185,
                                               2323, 2465, 2611, 2761, 2876, 3034, 3196, 3362, 3532, 3706};

// Table 1: remainder bits per version.
constexpr int table1_remainder_bits(int version) {
    if (version == 1) return 0;
    if (version <= 6) return 7;
    if (version <= 13) return 0;
    if (version <= 20) return 3;
    if (version <= 27) return 4;
    if (version <= 34) return 3;
    return 0;
}

// Table 7: data codewords per version, for L, M, Q, H.
constexpr std::array<std::array<int, 40>, 4> table7_data_codewords{{
    {19,   34,   55,   80,   108,  136,  156,  194,  232,  274,  324,  370,  428,  461,
     523,  589,  647,  721,  795,  861,  932,  1006, 1094, 1174, 1276, 1370, 1468, 1531,
     1631, 1735, 1843, 1955, 2071, 2191, 2306, 2434, 2566, 2702, 2812, 2956},
    {16,   28,   44,   64,   86,   108,  124,  154,  182,  216,  254,  290,  334,  365,
     415,  453,  507,  563,  627,  669,  714,  782,  860,  914,  1000, 1062, 1128, 1193,
     1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334},
    {13,  22,  34,   48,   62,   76,   88,   110,  132,  154,  180,  206, 244, 261,
     295, 325, 367,  397,  445,  485,  512,  568,  614,  664,  718,  754, 808, 871,
     911, 985, 1033, 1115, 1171, 1231, 1286, 1354, 1426, 1502, 1582, 1666},
    {9,   16,  26,  36,  46,  60,  66,  86,  100, 122, 140, 158, 180, 197, 223, 253,  283,  313,  341,  385,
     406, 442, 464, 514, 538, 596, 628, 661, 701, 745, 793, 845, 901, 961, 986, 1054, 1096, 1142, 1222, 1276},
}};

BOOST_AUTO_TEST_CASE(codeword_counts_match_tables_1_and_7) {
    for (int v = 1; v <= 40; ++v) {
        BOOST_TEST(td::qr_total_codewords(v) == table1_codewords[static_cast<std::size_t>(v - 1)],
                   "version " << v);
        BOOST_TEST(td::qr_remainder_bits(v) == table1_remainder_bits(v), "version " << v);
        for (int e = 0; e < 4; ++e) {
            BOOST_TEST(
                td::qr_data_codewords(v, e) ==
                    table7_data_codewords[static_cast<std::size_t>(e)][static_cast<std::size_t>(v - 1)],
                "version " << v << " level " << e);
            // Table 9: the blocks split the codewords evenly (sizes differing by at most one).
            const int blocks =
                td::qr_ecc_block_count[static_cast<std::size_t>(e)][static_cast<std::size_t>(v)];
            const int ecc =
                td::qr_ecc_codewords_per_block[static_cast<std::size_t>(e)][static_cast<std::size_t>(v)];
            BOOST_TEST(blocks * ecc + td::qr_data_codewords(v, e) == td::qr_total_codewords(v));
        }
    }
    // Table 9 spot checks: 5-Q is 2 blocks of (33, 15) and 2 of (34, 16); 40-H 20 of (45, 15)
    // and 61 of (46, 16).
    BOOST_TEST(td::qr_ecc_block_count[2][5] == 4);
    BOOST_TEST(td::qr_ecc_codewords_per_block[2][5] == 18);
    BOOST_TEST(td::qr_ecc_block_count[3][40] == 81);
    BOOST_TEST(td::qr_ecc_codewords_per_block[3][40] == 30);
}

BOOST_AUTO_TEST_CASE(alignment_positions_are_evenly_spaced_from_the_far_side) {
    // Annex E: the first coordinate is 6, the last size - 7, the others evenly spaced (an even
    // step) counting back from the last; the gap after 6 takes what is left.
    for (int v = 2; v <= 40; ++v) {
        const auto& p = td::qr_alignment_positions[static_cast<std::size_t>(v)];
        const int n = td::qr_alignment_count(v);
        BOOST_TEST(p[0] == 6);
        BOOST_TEST(p[static_cast<std::size_t>(n - 1)] == td::qr_size_of(v) - 7, "version " << v);
        BOOST_TEST(p[static_cast<std::size_t>(n)] == 0);
        if (n >= 3) {
            const int step = p[2] - p[1];
            BOOST_TEST(step % 2 == 0);
            for (int i = 2; i < n; ++i)
                BOOST_TEST(p[static_cast<std::size_t>(i)] - p[static_cast<std::size_t>(i - 1)] == step);
            // The gap after 6 is at most one step, except in version 32 (6, 34, 60, ...).
            if (v != 32) BOOST_TEST(p[1] - p[0] <= step, "version " << v);
        }
    }
}

// Annex C, Table C.1: the 32 format information bit sequences, indexed by the 5 data bits
// (error correction level bits, then mask).
constexpr std::array<std::uint32_t, 32> table_c1{
    0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0,  // M
    0x77C4, 0x72F3, 0x7DAA, 0x789D, 0x662F, 0x6318, 0x6C41, 0x6976,  // L
    0x1689, 0x13BE, 0x1CE7, 0x19D0, 0x0762, 0x0255, 0x0D0C, 0x083B,  // H
    0x355F, 0x3068, 0x3F31, 0x3A06, 0x24B4, 0x2183, 0x2EDA, 0x2BED,  // Q
};

BOOST_AUTO_TEST_CASE(format_information_matches_annex_c) {
    static_assert(td::qr_format_information(1, 0) == 0x5412);  // M, mask 0: only the XOR mask
    for (int ecc = 0; ecc < 4; ++ecc) {
        for (int mask = 0; mask < 8; ++mask) {
            const std::size_t index =
                td::qr_ecc_format_bits[static_cast<std::size_t>(ecc)] * 8u + static_cast<std::size_t>(mask);
            BOOST_TEST(td::qr_format_information(ecc, mask) == table_c1[index],
                       "level " << ecc << " mask " << mask);
        }
    }
}

// Annex D, Table D.1: version information for versions 7 to 40.
constexpr std::array<std::uint32_t, 34> table_d1{
    0x07C94, 0x085BC, 0x09A99, 0x0A4D3, 0x0BBF6, 0x0C762, 0x0D847, 0x0E60D, 0x0F928,
    0x10B78, 0x1145D, 0x12A17, 0x13532, 0x149A6, 0x15683, 0x168C9, 0x177EC, 0x18EC4,
    0x191E1, 0x1AFAB, 0x1B08E, 0x1CC1A, 0x1D33F, 0x1ED75, 0x1F250, 0x209D5, 0x216F0,
    0x228BA, 0x2379F, 0x24B0B, 0x2542E, 0x26A64, 0x27541, 0x28C69};

BOOST_AUTO_TEST_CASE(version_information_matches_annex_d) {
    static_assert(td::qr_version_information(7) == 0x07C94);
    for (int v = 7; v <= 40; ++v) {
        BOOST_TEST(td::qr_version_information(v) == table_d1[static_cast<std::size_t>(v - 7)],
                   "version " << v);
    }
}

// ---- Reed–Solomon (§7.5.2, Annex A) -------------------------------------------------------

std::vector<std::uint8_t> remainder_of(const std::vector<std::uint8_t>& data, std::size_t n) {
    std::vector<std::uint8_t> ecc(n);
    td::rs_remainder(data, ecc);
    return ecc;
}

BOOST_AUTO_TEST_CASE(generator_polynomial_of_degree_7_matches_annex_a) {
    // Annex A: x^7 + α^87 x^6 + α^229 x^5 + α^146 x^4 + α^149 x^3 + α^238 x^2 + α^102 x + α^21.
    constexpr std::array<int, 7> exponents{87, 229, 146, 149, 238, 102, 21};
    const td::rs_generator& g = td::rs_generators[7];
    for (std::size_t i = 0; i < 7; ++i)
        BOOST_TEST(g.coefficients[i] == td::gf256.exp[static_cast<std::size_t>(exponents[i])]);
    BOOST_TEST(td::gf256.exp[8] == 29);  // α^8 = x^4 + x^3 + x^2 + 1 (0x11D reduced)
    BOOST_TEST(td::gf256_multiply(0x80, 2) == 0x1D);
}

BOOST_AUTO_TEST_CASE(reed_solomon_remainder_known_answers) {
    // Annex I.2/I.3: "01234567" at 1-M; data codewords and the 10 error correction codewords.
    BOOST_TEST(
        remainder_of(
            {0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11},
            10) == (std::vector<std::uint8_t>{0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55}),
        boost::test_tools::per_element());
    // "HELLO WORLD" at 1-M (the worked example of the Thonky QR code tutorial).
    BOOST_TEST(remainder_of({32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17}, 10) ==
                   (std::vector<std::uint8_t>{196, 35, 39, 119, 235, 215, 231, 226, 93, 23}),
               boost::test_tools::per_element());
    // The first block of a published 5-Q worked example: 15 data, 18 error correction codewords.
    BOOST_TEST(remainder_of({67, 85, 70, 134, 87, 38, 85, 194, 119, 50, 6, 18, 6, 103, 38}, 18) ==
                   (std::vector<std::uint8_t>{213, 199, 11, 45, 115, 247, 241, 223, 229, 248, 154, 117, 154,
                                              111, 86, 161, 111, 39}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reed_solomon_codeword_is_divisible_by_the_generator) {
    // data · x^n + remainder evaluates to zero at every root α^0..α^(n-1).
    std::mt19937_64 rng(7);
    for (std::size_t n : {7u, 10u, 13u, 17u, 22u, 28u, 30u}) {
        std::vector<std::uint8_t> data(1 + rng() % 120);
        for (auto& b : data) b = static_cast<std::uint8_t>(rng());
        const auto ecc = remainder_of(data, n);
        std::vector<std::uint8_t> codeword = data;
        codeword.insert(codeword.end(), ecc.begin(), ecc.end());
        for (std::size_t root = 0; root < n; ++root) {
            std::uint8_t value = 0;  // Horner's rule, highest power first
            for (const std::uint8_t c : codeword)
                value = static_cast<std::uint8_t>(td::gf256_multiply(value, td::gf256.exp[root]) ^ c);
            BOOST_TEST(value == 0, "n " << n << " root " << root);
        }
    }
}

// ---- Capacities (Table 7, in characters) ---------------------------------------------------

// The largest number of characters of one mode that fit `data_bits` with `count_bits` of
// character count (§7.4.3–§7.4.5 bit lengths).
int max_chars(int data_bits, tf::detail::qr_segment_mode mode, int count_bits) {
    int n = 0;
    const auto bits = [&](int chars) {
        switch (mode) {
            case td::qr_segment_mode::numeric:
                return 4 + count_bits + 10 * (chars / 3) + (chars % 3 == 0 ? 0 : chars % 3 == 1 ? 4 : 7);
            case td::qr_segment_mode::alphanumeric:
                return 4 + count_bits + 11 * (chars / 2) + 6 * (chars % 2);
            default: return 4 + count_bits + 8 * chars;
        }
    };
    while (bits(n + 1) <= data_bits) ++n;
    return n;
}

BOOST_AUTO_TEST_CASE(a_segment_too_long_for_its_count_indicator_never_fits_its_version_class) {
    // The encoder relies on it: counts never overflow their indicator (Table 3).
    using enum td::qr_segment_mode;
    for (int cls = 0; cls < 3; ++cls) {
        const int largest = td::qr_data_bits(td::qr_class_last_version[static_cast<std::size_t>(cls)], 0);
        for (const td::qr_segment_mode mode : {numeric, alphanumeric, byte}) {
            const int count_bits = td::qr_count_bits(mode, cls);
            BOOST_TEST(max_chars(largest, mode, count_bits) < (1 << count_bits),
                       "class " << cls << " mode " << int(mode));
        }
    }
}

BOOST_AUTO_TEST_CASE(character_capacities_spot_checks_of_table_7) {
    using enum td::qr_segment_mode;
    const auto capacity = [](int v, int e, td::qr_segment_mode mode) {
        return max_chars(td::qr_data_bits(v, e), mode, td::qr_count_bits(mode, td::qr_version_class(v)));
    };
    // (version, level) -> numeric, alphanumeric, byte, as printed in Table 7.
    BOOST_TEST(capacity(1, 0, numeric) == 41);
    BOOST_TEST(capacity(1, 0, alphanumeric) == 25);
    BOOST_TEST(capacity(1, 0, byte) == 17);
    BOOST_TEST(capacity(1, 1, numeric) == 34);
    BOOST_TEST(capacity(1, 1, alphanumeric) == 20);
    BOOST_TEST(capacity(1, 1, byte) == 14);
    BOOST_TEST(capacity(1, 3, numeric) == 17);
    BOOST_TEST(capacity(1, 3, alphanumeric) == 10);
    BOOST_TEST(capacity(1, 3, byte) == 7);
    BOOST_TEST(capacity(10, 1, numeric) == 513);
    BOOST_TEST(capacity(10, 1, alphanumeric) == 311);
    BOOST_TEST(capacity(10, 1, byte) == 213);
    BOOST_TEST(capacity(40, 0, numeric) == 7089);
    BOOST_TEST(capacity(40, 0, alphanumeric) == 4296);
    BOOST_TEST(capacity(40, 0, byte) == 2953);
    BOOST_TEST(capacity(40, 3, numeric) == 3057);
    BOOST_TEST(capacity(40, 3, alphanumeric) == 1852);
    BOOST_TEST(capacity(40, 3, byte) == 1273);
}

// For every version and level and each mode, the maximum length encodes at exactly that
// version, and one character more needs the next version (or fails at 40).
BOOST_AUTO_TEST_CASE(maximum_lengths_fill_each_version_and_one_more_does_not) {
    using enum td::qr_segment_mode;
    for (int v = 1; v <= 40; ++v) {
        for (int e = 0; e < 4; ++e) {
            const tf::qr_options options{.ecc = all_levels[static_cast<std::size_t>(e)], .boost_ecc = false};
            const int bits = td::qr_data_bits(v, e);
            const int cls = td::qr_version_class(v);
            // The next version may change the count indicator length; its capacity check uses
            // the encoder's own choice of version.
            for (const td::qr_segment_mode mode : {numeric, alphanumeric, byte}) {
                const int n = max_chars(bits, mode, td::qr_count_bits(mode, cls));
                const char fill = mode == numeric ? '7' : mode == alphanumeric ? 'Q' : 'q';
                const std::string text(static_cast<std::size_t>(n), fill);
                const auto fits = tf::qr_code::encode_text(text, options);
                BOOST_TEST_REQUIRE(fits.has_value(),
                                   "version " << v << " level " << e << " mode " << int(mode));
                BOOST_TEST(fits->version() == v,
                           "version " << v << " level " << e << " mode " << int(mode) << " n " << n);
                BOOST_TEST(fits->ecc() == all_levels[static_cast<std::size_t>(e)]);
                const auto more = tf::qr_code::encode_text(text + fill, options);
                if (v == 40) {
                    BOOST_TEST((more == tf::unexpected(tf::errc::qr_data_too_long)));
                } else {
                    BOOST_TEST_REQUIRE(more.has_value());
                    BOOST_TEST(more->version() == v + 1,
                               "version " << v << " level " << e << " mode " << int(mode));
                }
                auto capped = options;
                capped.max_version = v;
                BOOST_TEST((tf::qr_code::encode_text(text + fill, capped) ==
                            tf::unexpected(tf::errc::qr_data_too_long)));
            }
            // encode_bytes: the byte capacity, whatever the bytes.
            const int n = max_chars(bits, byte, td::qr_count_bits(byte, cls));
            const std::vector<std::byte> data(static_cast<std::size_t>(n), std::byte{0xA5});
            const auto fits = tf::qr_code::encode_bytes(data, options);
            BOOST_TEST_REQUIRE(fits.has_value());
            BOOST_TEST(fits->version() == v);
        }
    }
}

BOOST_AUTO_TEST_CASE(over_capacity_is_an_error_never_a_truncated_code) {
    const std::vector<std::byte> bytes_2954(2954, std::byte{0});
    BOOST_TEST((tf::qr_code::encode_bytes(bytes_2954, {.ecc = tf::qr_ecc::low}) ==
                tf::unexpected(tf::errc::qr_data_too_long)));
    BOOST_TEST((tf::qr_code::encode_text(std::string(7090, '1'), {.ecc = tf::qr_ecc::low}) ==
                tf::unexpected(tf::errc::qr_data_too_long)));
    BOOST_TEST(
        (tf::qr_code::encode_text(std::string(100000, 'x')) == tf::unexpected(tf::errc::qr_data_too_long)));
    BOOST_TEST((tf::qr_code::encode_text("more than fourteen bytes", {.max_version = 1}) ==
                tf::unexpected(tf::errc::qr_data_too_long)));
    // A small code type stops at its MaxVersion: 213 bytes fit 10-M, 214 do not.
    const std::vector<std::byte> bytes_213(213, std::byte{'x'});
    const std::vector<std::byte> bytes_214(214, std::byte{'x'});
    const auto small10 = tf::basic_qr_code<10>::encode_bytes(bytes_213, {.boost_ecc = false});
    BOOST_TEST_REQUIRE(small10.has_value());
    BOOST_TEST(small10->version() == 10);
    BOOST_TEST((tf::basic_qr_code<10>::encode_bytes(bytes_214, {.boost_ecc = false}) ==
                tf::unexpected(tf::errc::qr_data_too_long)));
    BOOST_TEST(tf::qr_code::encode_bytes(bytes_214, {.boost_ecc = false})->version() == 11);
}

BOOST_AUTO_TEST_CASE(invalid_options_are_rejected) {
    const auto invalid = tf::unexpected(tf::errc::invalid_qr_options);
    BOOST_TEST((tf::qr_code::encode_text("A", {.min_version = 0}) == invalid));
    BOOST_TEST((tf::qr_code::encode_text("A", {.max_version = 41}) == invalid));
    BOOST_TEST((tf::qr_code::encode_text("A", {.min_version = 5, .max_version = 4}) == invalid));
    BOOST_TEST((tf::qr_code::encode_text("A", {.mask = 8}) == invalid));
    BOOST_TEST((tf::qr_code::encode_text("A", {.mask = -2}) == invalid));
    BOOST_TEST((tf::qr_code::encode_text("A", {.ecc = static_cast<tf::qr_ecc>(4)}) == invalid));
    BOOST_TEST((tf::basic_qr_code<10>::encode_text("A", {.min_version = 11}) == invalid));
    BOOST_TEST((tf::qr_code::encode_bytes({}, {.min_version = 0}) == invalid));
    // max_version above the type's MaxVersion is capped, not an error.
    BOOST_TEST(tf::basic_qr_code<3>::encode_text("A", {.max_version = 40}).has_value());
}

BOOST_AUTO_TEST_CASE(version_range_and_ecc_boost) {
    const auto forced = tf::qr_code::encode_text("A", {.min_version = 12, .max_version = 12});
    BOOST_TEST_REQUIRE(forced.has_value());
    BOOST_TEST(forced->version() == 12);
    BOOST_TEST(forced->size() == 65);
    BOOST_TEST(forced->ecc() == tf::qr_ecc::high);  // boosted all the way
    const auto unboosted = tf::qr_code::encode_text("A", {.ecc = tf::qr_ecc::low, .boost_ecc = false});
    BOOST_TEST(unboosted->ecc() == tf::qr_ecc::low);
    // 14 bytes fill 1-M exactly, so nothing is boosted; 7 bytes fit 1-H.
    BOOST_TEST(tf::qr_code::encode_text("abcdefghijklmn")->ecc() == tf::qr_ecc::medium);
    BOOST_TEST(tf::qr_code::encode_text("abcdefg")->ecc() == tf::qr_ecc::high);
    for (int mask = 0; mask < 8; ++mask)
        BOOST_TEST(tf::qr_code::encode_text("MASK", {.mask = mask})->mask() == mask);
    const auto empty = tf::qr_code::encode_text("");
    BOOST_TEST_REQUIRE(empty.has_value());
    BOOST_TEST(empty->version() == 1);
}

// ---- Segmentation (§7.4) ------------------------------------------------------------------

struct plan_result {
    int bits;
    std::string modes;  // 'N', 'A', 'B' per character
};

plan_result plan(std::string_view text, int version_class) {
    std::vector<std::uint8_t> choices(text.size());
    td::qr_segmenter::state final_state{};
    const int bits = td::qr_segmenter::plan(text, version_class, choices, final_state);
    td::qr_segmenter::modes_from_choices(choices, text.size(), final_state);
    std::string modes;
    for (const std::uint8_t m : choices) modes += "NAB"[m];
    return {bits, modes};
}

// The first segment's mode indicator, read back from the symbol: the first four bits of the
// first codeword sit in the bottom-right 2×2 modules, unmasked with the code's mask.
int first_mode_indicator(const tf::qr_code& code) {
    const int s = code.size();
    int bits = 0;
    const int positions[4][2] = {{s - 1, s - 1}, {s - 2, s - 1}, {s - 1, s - 2}, {s - 2, s - 2}};
    for (const auto& p : positions) {
        const bool dark = code.module(p[0], p[1]) != td::qr_mask_condition(code.mask(), p[1], p[0]);
        bits = bits << 1 | (dark ? 1 : 0);
    }
    return bits;
}

BOOST_AUTO_TEST_CASE(single_mode_texts_use_the_most_compact_mode) {
    BOOST_TEST(plan("0123456789", 0).modes == "NNNNNNNNNN");
    BOOST_TEST(plan("0123456789", 0).bits == 4 + 10 + 34);
    BOOST_TEST(plan("HELLO WORLD", 0).modes == "AAAAAAAAAAA");
    BOOST_TEST(plan("HELLO WORLD", 0).bits == 4 + 9 + 61);
    BOOST_TEST(plan("hello world", 0).modes == "BBBBBBBBBBB");
    BOOST_TEST(plan("hello world", 1).bits == 4 + 16 + 88);
    BOOST_TEST(first_mode_indicator(*tf::qr_code::encode_text("0123456789")) == 0b0001);
    BOOST_TEST(first_mode_indicator(*tf::qr_code::encode_text("HELLO WORLD")) == 0b0010);
    BOOST_TEST(first_mode_indicator(*tf::qr_code::encode_text("hello world")) == 0b0100);
    // Digits between letters stay alphanumeric unless a numeric segment pays for its header.
    BOOST_TEST(plan("ABC123DEF", 0).modes == "AAAAAAAAA");
    BOOST_TEST(plan("A12345678901234567890B", 0).modes == "ANNNNNNNNNNNNNNNNNNNNA");
}

// UTF-8 beyond ASCII is declared with ECI 000026 (§7.4.2.2): mode 0111 and one byte, 12 bits
// that count against the capacity. ASCII and bytes that are not UTF-8 go without it.
BOOST_AUTO_TEST_CASE(utf8_text_is_declared_with_an_eci_header) {
    const auto mode_of = [](std::string_view text) {
        return first_mode_indicator(*tf::qr_code::encode_text(text));
    };
    BOOST_TEST(mode_of("Hello, wörld") == 0b0111);
    BOOST_TEST(mode_of("日本") == 0b0111);
    BOOST_TEST(mode_of("hello world") == 0b0100);
    BOOST_TEST(mode_of("caf\xE9") == 0b0100);           // ISO-8859-1, not UTF-8
    BOOST_TEST(mode_of("caf\xC3") == 0b0100);           // a sequence cut short
    BOOST_TEST(mode_of("\xC0\xAF etc") == 0b0100);      // an overlong form
    BOOST_TEST(mode_of("\xED\xA0\x80 etc") == 0b0100);  // a surrogate
    BOOST_TEST(mode_of("\xF4\x90\x80\x80") == 0b0100);  // above U+10FFFF

    // Version 1-L holds 152 data bits: 17 bytes in byte mode (4 + 8 + 136), 16 after the header.
    const tf::qr_options low{.ecc = tf::qr_ecc::low, .boost_ecc = false};
    std::string sixteen;
    for (int i = 0; i < 8; ++i) sixteen += "é";
    BOOST_TEST(tf::qr_code::encode_text(sixteen, low)->version() == 1);
    BOOST_TEST(tf::qr_code::encode_text(sixteen + "a", low)->version() == 2);
    BOOST_TEST(tf::qr_code::encode_text(std::string(17, 'a'), low)->version() == 1);
    BOOST_TEST(tf::qr_code::encode_text(std::string(17, '\xE9'), low)->version() == 1);
    // The largest symbol, 40-L (23,648 data bits): 2953 bytes, or 2952 after the header.
    std::string longest;
    while (longest.size() < 2950) longest += "é";
    BOOST_TEST(tf::qr_code::encode_text(longest + "aa", low)->version() == 40);
    BOOST_TEST(
        (tf::qr_code::encode_text(longest + "aaa", low) == tf::unexpected(tf::errc::qr_data_too_long)));
    BOOST_TEST(tf::qr_code::encode_text(std::string(2953, 'a'), low)->version() == 40);
}

BOOST_AUTO_TEST_CASE(otpauth_uri_puts_the_base32_secret_in_alphanumeric_mode) {
    const std::string_view uri =
        "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";
    const auto p = plan(uri, 0);
    const std::size_t secret = uri.find("JBSWY3DPEHPK3PXP");
    BOOST_TEST(p.modes.substr(secret, 16) == std::string(16, 'A'));
    BOOST_TEST(p.modes.substr(0, secret) == std::string(secret, 'B'));
    BOOST_TEST(p.bits < 4 + 8 + 8 * static_cast<int>(uri.size()));  // shorter than all bytes
}

// Every assignment of modes to the characters, scored directly: the plan must be as short.
int brute_force_bits(std::string_view text, int version_class) {
    const std::size_t n = text.size();
    int best = 1 << 30;
    std::size_t combinations = 1;
    for (std::size_t i = 0; i < n; ++i) combinations *= 3;
    for (std::size_t code = 0; code < combinations; ++code) {
        std::vector<int> modes(n);
        std::size_t c = code;
        bool allowed = true;
        for (std::size_t i = 0; i < n; ++i, c /= 3) {
            modes[i] = static_cast<int>(c % 3);
            if (modes[i] == 0 && !(text[i] >= '0' && text[i] <= '9')) allowed = false;
            if (modes[i] == 1 && td::qr_alphanumeric_value(text[i]) < 0) allowed = false;
        }
        if (!allowed) continue;
        int bits = 0;
        for (std::size_t begin = 0; begin < n;) {
            std::size_t end = begin;
            while (end < n && modes[end] == modes[begin]) ++end;
            const int len = static_cast<int>(end - begin);
            const auto mode = td::qr_mode_of(static_cast<std::uint8_t>(modes[begin]));
            bits += 4 + td::qr_count_bits(mode, version_class);
            if (modes[begin] == 0)
                bits += 10 * (len / 3) + (len % 3 == 1 ? 4 : len % 3 == 2 ? 7 : 0);
            else if (modes[begin] == 1)
                bits += 11 * (len / 2) + 6 * (len % 2);
            else
                bits += 8 * len;
            begin = end;
        }
        best = bits < best ? bits : best;
    }
    return n == 0 ? 0 : best;
}

BOOST_AUTO_TEST_CASE(segmentation_is_optimal_against_brute_force) {
    std::mt19937_64 rng(11);
    constexpr std::string_view alphabet = "0123456789ABZ:/ab.";
    for (int round = 0; round < 400; ++round) {
        std::string text(static_cast<std::size_t>(1 + rng() % 9), ' ');
        for (char& c : text) c = alphabet[rng() % alphabet.size()];
        for (int cls = 0; cls < 3; ++cls) {
            BOOST_TEST(plan(text, cls).bits == brute_force_bits(text, cls),
                       "text '" << text << "' class " << cls);
        }
    }
}

// ---- Symbol structure (§6.3) --------------------------------------------------------------

void check_finder(const tf::qr_code& code, int left, int top) {
    for (int dy = -1; dy <= 7; ++dy) {
        for (int dx = -1; dx <= 7; ++dx) {
            const int x = left + dx;
            const int y = top + dy;
            if (x < 0 || y < 0 || x >= code.size() || y >= code.size()) continue;
            const int distance = std::max(std::abs(dx - 3), std::abs(dy - 3));
            BOOST_TEST(code.module(x, y) == (distance != 2 && distance != 4),
                       "finder module " << x << "," << y);
        }
    }
}

std::uint32_t read_bits(const tf::qr_code& code, const std::vector<std::pair<int, int>>& positions) {
    std::uint32_t bits = 0;
    for (std::size_t i = 0; i < positions.size(); ++i) {
        if (code.module(positions[i].first, positions[i].second)) bits |= 1u << i;
    }
    return bits;
}

void check_structure(const tf::qr_code& code) {
    const int s = code.size();
    const int v = code.version();
    BOOST_TEST(s == 4 * v + 17);
    check_finder(code, 0, 0);
    check_finder(code, s - 7, 0);
    check_finder(code, 0, s - 7);
    for (int i = 8; i < s - 8; ++i) {
        BOOST_TEST(code.module(i, 6) == (i % 2 == 0), "timing row, x " << i);
        BOOST_TEST(code.module(6, i) == (i % 2 == 0), "timing column, y " << i);
    }
    BOOST_TEST(code.module(8, 4 * v + 9));  // the dark module
    const auto& p = td::qr_alignment_positions[static_cast<std::size_t>(v)];
    const int n = td::qr_alignment_count(v);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            if ((i == 0 && j == 0) || (i == 0 && j == n - 1) || (i == n - 1 && j == 0)) continue;
            for (int dy = -2; dy <= 2; ++dy) {
                for (int dx = -2; dx <= 2; ++dx) {
                    BOOST_TEST(code.module(p[static_cast<std::size_t>(i)] + dx,
                                           p[static_cast<std::size_t>(j)] + dy) ==
                               (std::max(std::abs(dx), std::abs(dy)) != 1));
                }
            }
        }
    }
    // Format information, both copies (§7.9.1, Figure 25), bit i at the i-th position.
    std::vector<std::pair<int, int>> first;
    std::vector<std::pair<int, int>> second;
    for (int i = 0; i <= 5; ++i) first.emplace_back(8, i);
    first.emplace_back(8, 7);
    first.emplace_back(8, 8);
    first.emplace_back(7, 8);
    for (int i = 9; i < 15; ++i) first.emplace_back(14 - i, 8);
    for (int i = 0; i < 8; ++i) second.emplace_back(s - 1 - i, 8);
    for (int i = 8; i < 15; ++i) second.emplace_back(8, s - 15 + i);
    const std::uint32_t format = td::qr_format_information(static_cast<int>(code.ecc()), code.mask());
    BOOST_TEST(read_bits(code, first) == format);
    BOOST_TEST(read_bits(code, second) == format);
    // Version information (§7.10), both copies.
    if (v >= 7) {
        std::vector<std::pair<int, int>> top_right;
        std::vector<std::pair<int, int>> bottom_left;
        for (int i = 0; i < 18; ++i) {
            top_right.emplace_back(s - 11 + i % 3, i / 3);
            bottom_left.emplace_back(i / 3, s - 11 + i % 3);
        }
        BOOST_TEST(read_bits(code, top_right) == td::qr_version_information(v));
        BOOST_TEST(read_bits(code, bottom_left) == td::qr_version_information(v));
    }
    // Outside the symbol: the quiet zone.
    for (int i = -2; i < s + 2; ++i) {
        BOOST_TEST(!code.module(i, -1));
        BOOST_TEST(!code.module(-1, i));
        BOOST_TEST(!code.module(i, s));
        BOOST_TEST(!code.module(s, i));
    }
}

BOOST_AUTO_TEST_CASE(function_patterns_are_in_place) {
    for (const int v : {1, 2, 6, 7, 13, 14, 21, 27, 28, 35, 40}) {
        const auto code = tf::qr_code::encode_text("STRUCTURE", {.min_version = v, .max_version = v});
        BOOST_TEST_REQUIRE(code.has_value());
        BOOST_TEST_CONTEXT("version " << v) { check_structure(*code); }
    }
}

// ---- Masking (§7.8) -----------------------------------------------------------------------

// Rules 1 and 3 of §7.8.3 for one row or column, module by module, the quiet zone counting as
// light.
int naive_line_penalty(const std::vector<bool>& line) {
    const int s = static_cast<int>(line.size());
    int score = 0;
    // N1: runs of five or more.
    for (int x = 0; x < s;) {
        int run = 1;
        while (x + run < s && line[static_cast<std::size_t>(x + run)] == line[static_cast<std::size_t>(x)])
            ++run;
        if (run >= 5) score += 3 + (run - 5);
        x += run;
    }
    // N3: whole runs in the ratio 1:1:3:1:1 (dark first), unit n, with 4n light modules before
    // and at least n after, or the other way round. The runs of the line in order, the quiet
    // zone a light run as long as the symbol at either end.
    std::vector<std::pair<bool, int>> runs{{false, s}};
    for (const bool dark : line) {
        if (runs.back().first == dark)
            ++runs.back().second;
        else
            runs.emplace_back(dark, 1);
    }
    if (runs.back().first)
        runs.emplace_back(false, s);
    else
        runs.back().second += s;
    for (std::size_t r = 0; r + 7 <= runs.size(); ++r) {
        if (runs[r].first) continue;  // r: the light run before the pattern
        const int n = runs[r + 1].second;
        if (runs[r + 2].second != n || runs[r + 3].second != 3 * n || runs[r + 4].second != n ||
            runs[r + 5].second != n)
            continue;
        const int before = runs[r].second;
        const int after = runs[r + 6].second;
        score += 40 * ((before >= 4 * n && after >= n ? 1 : 0) + (after >= 4 * n && before >= n ? 1 : 0));
    }
    return score;
}

// The four penalty rules of §7.8.3, module by module.
int naive_penalty(const tf::qr_code& code) {
    const int s = code.size();
    int score = 0;
    for (const bool transposed : {false, true}) {
        for (int y = 0; y < s; ++y) {
            std::vector<bool> line;
            for (int x = 0; x < s; ++x) line.push_back(transposed ? code.module(y, x) : code.module(x, y));
            score += naive_line_penalty(line);
        }
    }
    int dark_count = 0;
    for (int y = 0; y < s; ++y) {
        for (int x = 0; x < s; ++x) {
            dark_count += code.module(x, y) ? 1 : 0;
            if (x + 1 < s && y + 1 < s) {
                const bool c = code.module(x, y);
                if (code.module(x + 1, y) == c && code.module(x, y + 1) == c &&
                    code.module(x + 1, y + 1) == c)
                    score += 3;
            }
        }
    }
    // N4: 10 per full 5 % step away from 50 %.
    const double percent = 100.0 * dark_count / (s * s);
    const double deviation = percent > 50 ? percent - 50 : 50 - percent;
    int k = 0;
    while (deviation > 5.0 * (k + 1) + 1e-9) ++k;
    return score + 10 * k;
}

// The library's rules 1 and 3 for a line given as '1' (dark) and '0' (light), the symbol as wide
// as the line.
template <int W>
int line_penalty_in_words(const std::vector<bool>& modules) {
    td::qr_line<W> line{};
    for (std::size_t x = 0; x < modules.size(); ++x)
        if (modules[x]) line[x / 64] |= std::uint64_t{1} << (x % 64);
    return td::qr_line_penalty<W>(line, td::make_qr_line_limits<W>(static_cast<int>(modules.size())));
}

// In as many 64-bit words as the encoder uses for a symbol that wide: 1 up to 64 modules, 2 up to
// 128, 3 beyond.
int line_penalty(const std::vector<bool>& modules) {
    switch ((modules.size() + 63) / 64) {
        case 1: return line_penalty_in_words<1>(modules);
        case 2: return line_penalty_in_words<2>(modules);
        default: return line_penalty_in_words<3>(modules);
    }
}

std::vector<bool> modules_of(std::string_view text) {
    std::vector<bool> modules;
    for (const char c : text) modules.push_back(c == '1');
    return modules;
}

BOOST_AUTO_TEST_CASE(finder_like_patterns_are_whole_runs_in_the_ratio_1_1_3_1_1) {
    // Each expected figure is rule 1's points (a run of L >= 5 scores L - 2) + 40 per pattern.
    const std::vector<std::pair<std::string_view, int>> lines{
        // 1011101 with 4 light before and 10 after: a pattern on either side.
        {"000010111010000000000", 8 + 80},
        // 1:1:3:1:2 is no finder pattern (the last dark run is two modules).
        {"000010111011000000000", 7},
        // 2:1:3:1:1 neither.
        {"000110111010000000000", 8},
        // Three light modules before, ten after: only the pattern followed by four light.
        {"100010111010000000000", 8 + 40},
        // Unit 2, at the edge: the quiet zone is light, so 8 light before and 7 + quiet after.
        {"110011111100110000000", 4 + 5 + 80},
        // Unit 2 with 7 light before (not 8) and 8 after: one pattern.
        {"1000000011001111110011000000001", 5 + 4 + 6 + 40},
        // Unit 2 with a centre of 5: not in the ratio.
        {"110011111001100000000", 3 + 6},
        // Unit 3, 3:3:9:3:3 from edge to edge: the quiet zone is the light on both sides.
        {"111000111111111000111", 7 + 80},
        // Unit 5 from edge to edge, in a line of 35: four runs of 5 and one of 15 for rule 1.
        {"11111000001111111111111110000011111", 4 * 3 + 13 + 80},
    };
    for (const auto& [text, expected] : lines) {
        BOOST_TEST_CONTEXT(text) {
            BOOST_TEST(naive_line_penalty(modules_of(text)) == expected);
            BOOST_TEST(line_penalty(modules_of(text)) == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(line_penalty_equals_the_module_by_module_rules_on_random_lines) {
    // Lines of every symbol width (so in one, two and three words) made of runs of random
    // lengths, with finder-like patterns spliced in, mostly of units 1 to 4 and sometimes of any
    // unit that fits (up to 25), so that both the patterns and their near misses (a run one module
    // off) are common.
    std::mt19937_64 rng(11);
    for (int i = 0; i < 20000; ++i) {
        const std::size_t size = 21 + 4 * (rng() % 40);  // the sizes of versions 1 to 40
        std::vector<bool> modules;
        bool dark = rng() % 2 == 0;
        while (modules.size() < size) {
            if (rng() % 4 == 0) {
                const std::size_t largest_unit = rng() % 4 == 0 ? size / 7 : 4;
                const std::size_t unit = 1 + rng() % largest_unit;
                for (const std::size_t runs : {1, 1, 3, 1, 1}) {
                    const std::size_t length = unit * runs + (rng() % 8 == 0 ? 1 : 0);
                    modules.insert(modules.end(), length, dark);
                    dark = !dark;
                }
            } else {
                const std::size_t longest = rng() % 2 == 0 ? 3 : 12;
                const std::size_t length = 1 + rng() % longest;
                modules.insert(modules.end(), length, dark);
                dark = !dark;
            }
        }
        modules.resize(size);
        const int expected = naive_line_penalty(modules);
        BOOST_TEST_REQUIRE(line_penalty(modules) == expected, "line " << i << " of " << size << " modules");
    }
}

BOOST_AUTO_TEST_CASE(automatic_mask_has_the_lowest_penalty) {
    std::mt19937_64 rng(5);
    const std::vector<std::string> texts{
        "HELLO WORLD",         "0123456789",          "hello", "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP",
        std::string(300, 'x'), std::string(1000, '9')};
    for (std::size_t t = 0; t < texts.size() + 12; ++t) {
        std::string text = t < texts.size() ? texts[t] : std::string();
        if (t >= texts.size()) {
            text.resize(1 + rng() % 700);
            for (char& c : text) c = static_cast<char>(' ' + rng() % 95);
        }
        for (const tf::qr_ecc ecc : all_levels) {
            const auto automatic = tf::qr_code::encode_text(text, {.ecc = ecc, .boost_ecc = false});
            if (!automatic) continue;
            int best = 0;
            int best_score = 0;
            for (int mask = 0; mask < 8; ++mask) {
                const auto forced =
                    tf::qr_code::encode_text(text, {.ecc = ecc, .boost_ecc = false, .mask = mask});
                BOOST_TEST_REQUIRE(forced.has_value());
                const int score = naive_penalty(*forced);
                if (mask == 0 || score < best_score) {
                    best = mask;
                    best_score = score;
                }
                if (mask == automatic->mask()) BOOST_TEST((*forced == *automatic));
            }
            BOOST_TEST(automatic->mask() == best,
                       "text of " << text.size() << " chars, version " << automatic->version());
        }
    }
}

BOOST_AUTO_TEST_CASE(masks_only_touch_the_encoding_region) {
    const auto a = tf::qr_code::encode_text("MASKS", {.mask = 0});
    const auto b = tf::qr_code::encode_text("MASKS", {.mask = 1});
    // Masks 0 and 1 agree on even rows and differ on odd rows of the encoding region.
    int differences = 0;
    for (int y = 0; y < a->size(); ++y) {
        for (int x = 0; x < a->size(); ++x) differences += a->module(x, y) != b->module(x, y);
    }
    BOOST_TEST(differences > 50);
    check_structure(*a);
    check_structure(*b);
}

// ---- Decoding with zbarimg ----------------------------------------------------------------

using command_output = twofactor_test::process_output;
using twofactor_test::run_shell;

void require_zbarimg() {
    const auto probe = run_shell("zbarimg --version 2>&1");
    BOOST_REQUIRE_MESSAGE(probe.status == 0 && !probe.out.empty(),
                          "zbarimg is not installed or does not run: install the Debian/Ubuntu package "
                          "'zbar-tools' (apt-get install zbar-tools)");
}

struct sweep_case {
    std::string name;
    std::string expected;  // the exact bytes zbarimg must return
    std::filesystem::path file;
};

// With -Sbinary zbarimg prints each symbol's bytes exactly, with nothing between them, so one
// process decodes all files and its output must be the concatenation of the expected bytes in
// argument order. On a mismatch each file is decoded on its own to name the culprit.
void decode_all(const std::vector<sweep_case>& cases, const std::filesystem::path& dir) {
    std::string command = "zbarimg --raw -q -Sbinary";
    std::string expected;
    for (const auto& c : cases) {
        command += " '" + c.file.string() + "'";
        expected += c.expected;
    }
    const auto stderr_file = (dir / "zbarimg.stderr").string();
    const auto all = run_shell(command + " 2>'" + stderr_file + "'");
    BOOST_TEST(all.status == 0, "zbarimg exit status " << all.status << " (4: some image had no symbol)");
    BOOST_TEST(all.out.size() == expected.size());
    if (all.status == 0 && all.out == expected) return;
    BOOST_ERROR("zbarimg output differs from the inputs; decoding one file at a time");
    for (const auto& c : cases) {
        const auto one = run_shell("zbarimg --raw -q -Sbinary '" + c.file.string() + "' 2>/dev/null");
        BOOST_TEST((one.out == c.expected),
                   c.name << ": decoded " << one.out.size() << " bytes, expected " << c.expected.size());
    }
}

// Units of mixed text: lowercase, uppercase, digits, punctuation and multi-byte UTF-8.
std::string mixed_unit(std::mt19937_64& rng) {
    static const std::vector<std::string> units{"a", "z", "Q", "7", "42",   "ABC", " ",
                                                "/", "é", "ß", "✓", "日本", "€",   "x=1&"};
    return units[rng() % units.size()];
}

BOOST_AUTO_TEST_CASE(zbarimg_decodes_every_version_level_and_mode) {
    require_zbarimg();
    const twofactor_test::temp_folder dir("qr");
    std::mt19937_64 rng(2024);
    std::vector<sweep_case> cases;
    const auto add = [&](const std::string& name, const tf::qr_code& code, std::string expected,
                         int scale = 2) {
        const auto png = tf::to_png(code, {.scale = scale});
        BOOST_TEST_REQUIRE(png.has_value());
        cases.push_back({name, std::move(expected), dir.write(name + ".png", as_text(*png))});
    };

    using enum td::qr_segment_mode;
    for (int v = 1; v <= 40; ++v) {
        for (int e = 0; e < 4; ++e) {
            const tf::qr_ecc ecc = all_levels[static_cast<std::size_t>(e)];
            // Masks cycle through automatic and each forced one.
            const tf::qr_options options{.ecc = ecc, .boost_ecc = false, .mask = (v * 4 + e) % 9 - 1};
            const int bits = td::qr_data_bits(v, e);
            const int cls = td::qr_version_class(v);
            const std::string name = "v" + std::to_string(v) + "_" + "LMQH"[e];
            std::string text;
            switch ((v + e) % 4) {
                case 0: {  // random bytes 0x00..0xFF, byte mode, full capacity
                    const auto bytes = twofactor_test::random_bytes(
                        rng, static_cast<std::size_t>(max_chars(bits, byte, td::qr_count_bits(byte, cls))));
                    const auto code = tf::qr_code::encode_bytes(bytes, options);
                    BOOST_TEST_REQUIRE(code.has_value());
                    BOOST_TEST(code->version() == v);
                    add(name + "_bytes", *code, std::string(as_text(bytes)));
                    continue;
                }
                case 1:  // digits, numeric mode, full capacity
                    for (int i = max_chars(bits, numeric, td::qr_count_bits(numeric, cls)); i > 0; --i)
                        text += static_cast<char>('0' + rng() % 10);
                    break;
                case 2: {  // alphanumeric mode, full capacity
                    constexpr std::string_view alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
                    for (int i = max_chars(bits, alphanumeric, td::qr_count_bits(alphanumeric, cls)); i > 0;
                         --i)
                        text += alnum[rng() % alnum.size()];
                    break;
                }
                default: {  // mixed text with UTF-8: the longest run of units still at version v
                    std::vector<std::string> units;
                    while (units.size() < 3000) units.push_back(mixed_unit(rng));
                    std::size_t low = 0;
                    std::size_t high = units.size();
                    const auto joined = [&](std::size_t n) {
                        std::string s;
                        for (std::size_t i = 0; i < n; ++i) s += units[i];
                        return s;
                    };
                    while (low < high) {  // largest n with version(n) <= v
                        const std::size_t mid = (low + high + 1) / 2;
                        const auto code = tf::qr_code::encode_text(joined(mid), options);
                        if (code && code->version() <= v)
                            low = mid;
                        else
                            high = mid - 1;
                    }
                    text = joined(low);
                    break;
                }
            }
            const auto code = tf::qr_code::encode_text(text, options);
            BOOST_TEST_REQUIRE(code.has_value());
            BOOST_TEST(code->version() == v, name);
            BOOST_TEST(code->ecc() == ecc);
            if (options.mask >= 0) BOOST_TEST(code->mask() == options.mask);
            add(name, *code, text);
        }
    }

    // Specific contents.
    const std::string uri = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";
    add("otpauth", *tf::qr_code::encode_text(uri), uri, 4);
    add("numeric", *tf::qr_code::encode_text("0123456789"), "0123456789");
    add("alphanumeric", *tf::qr_code::encode_text("HELLO WORLD"), "HELLO WORLD");
    add("utf8", *tf::qr_code::encode_text("Grüße, 世界! ✓ ¿qué?"), "Grüße, 世界! ✓ ¿qué?");
    add("mixed", *tf::qr_code::encode_text("ABC123abc4567890DEF"), "ABC123abc4567890DEF");
    std::vector<std::byte> every_byte(256);
    for (std::size_t i = 0; i < every_byte.size(); ++i) every_byte[i] = static_cast<std::byte>(i);
    add("every_byte", *tf::qr_code::encode_bytes(every_byte), std::string(as_text(every_byte)));
    add("every_byte_text", *tf::qr_code::encode_text(as_text(every_byte)), std::string(as_text(every_byte)));
    {
        // A PBM too (zbarimg reads Netpbm), at one pixel per module... times three.
        const auto code = tf::qr_code::encode_text("PBM image", {.ecc = tf::qr_ecc::high});
        const auto pbm = tf::to_pbm(*code, {.scale = 3});
        cases.push_back({"pbm", "PBM image", dir.write("pbm.pbm", as_text(*pbm))});
    }
    decode_all(cases, dir.path());
}

// Without -Sbinary zbarimg converts what it reads to UTF-8 as the symbol says, and guesses when it
// says nothing (Shift JIS for "Müller GmbH" before the ECI header). Each text must come back as is.
BOOST_AUTO_TEST_CASE(zbarimg_reads_utf8_text_as_utf8) {
    require_zbarimg();
    const twofactor_test::temp_folder dir("qr");
    const std::vector<std::string> texts{"Müller GmbH", "Café", "Ünïcödé ñ €100", "Grüße, 世界! ✓ ¿qué?",
                                         "otpauth://totp/Zoë:zoë@example.com?secret=JBSWY3DPEHPK3PXP"};
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto code = tf::qr_code::encode_text(texts[i]);
        BOOST_TEST_REQUIRE(code.has_value());
        const std::string file =
            dir.write("utf8_" + std::to_string(i) + ".png", as_text(*tf::to_png(*code, {.scale = 4})));
        const auto decoded = run_shell("zbarimg --raw -q '" + file + "' 2>/dev/null");
        BOOST_TEST(decoded.status == 0);
        BOOST_TEST(decoded.out == texts[i] + "\n");
    }
}

// ---- Module for module against an independent encoder (python3-qrcodegen) -------------------
//
// A decoder corrects errors, so zbarimg reading our symbols cannot see a codeword or two out of
// place: mutation testing moved the extra codeword of the longer blocks in the interleaving
// (§7.6), and every test above still passed. Project Nayuki's QR Code generator (Debian
// python3-qrcodegen, run by /usr/bin/python3) encodes the same single-mode text at the same
// version and level; the two matrices must be equal module for module, with a forced mask and
// with the mask each encoder chooses; and for texts of one character class, with everything
// chosen by each (mode, version, level raised while the version stays, mask). The mask choice
// compares the penalty rules (§7.8.3) too: the two other Python encoders in Debian, qrcode and
// segno, each choose another mask than this reference for about a fifth of these symbols (each
// reads rule 3 its own way).

// Reads "<version> <level L/M/Q/H> <mask, -1 for automatic> <mode N/A/B/T> <text>" lines from
// the file argv[1] and prints for each symbol its version, then its rows of '0' and '1' (dark),
// no quiet zone, then an empty line. Mode T: the reference's encode_text, which chooses the mode,
// the version and the mask itself and raises the level while the version stays (the version
// given is ignored).
constexpr std::string_view python_qr_script = R"(import sys
from qrcodegen import QrCode, QrSegment

levels = {'L': QrCode.Ecc.LOW, 'M': QrCode.Ecc.MEDIUM, 'Q': QrCode.Ecc.QUARTILE, 'H': QrCode.Ecc.HIGH}
segment = {'N': QrSegment.make_numeric, 'A': QrSegment.make_alphanumeric,
           'B': lambda text: QrSegment.make_bytes(text.encode('ascii'))}
out = []
with open(sys.argv[1], encoding='ascii') as cases:
    for line in cases.read().splitlines():
        version, level, mask, mode, text = line.split(' ', 4)
        if mode == 'T':
            symbol = QrCode.encode_text(text, levels[level])
        else:
            symbol = QrCode.encode_segments([segment[mode](text)], levels[level], minversion=int(version),
                                            maxversion=int(version), mask=int(mask), boostecl=False)
        size = symbol.get_size()
        out.append(str(symbol.get_version()))
        out.extend(''.join('1' if symbol.get_module(x, y) else '0' for x in range(size)) for y in range(size))
        out.append('')
sys.stdout.write('\n'.join(out) + '\n')
)";

struct matrix_case {
    int version;
    tf::qr_ecc ecc;
    int mask;   // 0..7, or tf::qr_auto_mask (-1, which the reference script reads alike)
    char mode;  // N, A or B: the one segment's mode; T: all automatic, the level a minimum
    std::string text;
};

char level_letter(tf::qr_ecc ecc) { return "LMQH"[static_cast<int>(ecc) & 3]; }

std::string rows_of(const tf::qr_code& code) {
    std::string rows;
    for (int y = 0; y < code.size(); ++y) {
        for (int x = 0; x < code.size(); ++x) rows += code.module(x, y) ? '1' : '0';
        rows += '\n';
    }
    return rows;
}

BOOST_AUTO_TEST_CASE(matrices_equal_an_independent_encoders_module_for_module) {
    twofactor_test::require_python_module("import qrcodegen", "python3-qrcodegen");
    // Every version and level, the mask cycling so that each level sees all eight: a byte-mode
    // text that fills the symbol to its last data codeword, and a numeric or alphanumeric one
    // of about two thirds of that, which leaves pad codewords. At one level per version (all four
    // in turn), the same two texts again with the mask chosen: the reference scores masks in
    // Python, a second or so for the largest symbols, so not all 320.
    std::vector<matrix_case> cases;
    for (int version = 1; version <= 40; ++version) {
        for (std::size_t level = 0; level < all_levels.size(); ++level) {
            const int ecc = static_cast<int>(level);
            const int mask = (version + ecc) % 8;
            const int count_bits = version < 10 ? 8 : 16;
            const auto byte_capacity =
                static_cast<std::size_t>((td::qr_data_bits(version, ecc) - 4 - count_bits) / 8);
            std::string bytes, other;
            for (std::size_t i = 0; i < byte_capacity; ++i)
                bytes += static_cast<char>('a' + (i * 7 + static_cast<std::size_t>(version)) % 26);
            const bool numeric = version % 2 == 0;
            constexpr std::string_view alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
            for (std::size_t i = 0; i < byte_capacity * 2 / 3; ++i)
                other += numeric ? static_cast<char>('0' + (i * 3 + 1) % 10) : alphanumeric[(i * 5) % 35];
            const char other_mode = numeric ? 'N' : 'A';
            cases.push_back({version, all_levels[level], mask, 'B', bytes});
            cases.push_back({version, all_levels[level], (mask + 3) % 8, other_mode, other});
            if (static_cast<std::size_t>(version) % all_levels.size() == level) {
                cases.push_back({version, all_levels[level], tf::qr_auto_mask, 'B', bytes});
                cases.push_back({version, all_levels[level], tf::qr_auto_mask, other_mode, other});
            }
        }
    }
    // Everything automatic (mode, version, level raised while the version stays, mask) for texts of
    // one character class (digits; upper-case letters and the alphanumeric symbols; lower-case
    // letters), where the reference's one-mode segmentation is also the best.
    std::mt19937_64 rng(29);
    constexpr std::array<std::string_view, 3> classes{
        "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", "abcdefghijklmnopqrstuvwxyz"};
    for (std::size_t i = 0; i < 60; ++i) {
        const std::string_view characters = classes[i % classes.size()];
        std::string text(1 + rng() % (i % 4 == 0 ? 1250 : 200), ' ');  // 1250: fits any level
        for (char& c : text) c = characters[rng() % characters.size()];
        cases.push_back({0, all_levels[rng() % all_levels.size()], tf::qr_auto_mask, 'T', text});
    }
    std::vector<std::string> ours;  // per case: version line, rows, empty line
    std::string input;
    for (auto& c : cases) {
        const auto code = c.mode == 'T' ? tf::qr_code::encode_text(c.text, {.ecc = c.ecc})
                                        : tf::qr_code::encode_text(c.text, {.ecc = c.ecc,
                                                                            .min_version = c.version,
                                                                            .max_version = c.version,
                                                                            .boost_ecc = false,
                                                                            .mask = c.mask});
        BOOST_TEST_REQUIRE(code.has_value(),
                           "version " << c.version << '-' << level_letter(c.ecc) << ' ' << c.mode);
        if (c.mode == 'T')
            c.version = code->version();
        else
            BOOST_TEST_REQUIRE(first_mode_indicator(*code) == (c.mode == 'N'   ? 0b0001
                                                               : c.mode == 'A' ? 0b0010
                                                                               : 0b0100));
        input += std::to_string(c.version) + ' ' + level_letter(c.ecc) + ' ' + std::to_string(c.mask) + ' ' +
                 c.mode + ' ' + c.text + '\n';
        ours.push_back(std::to_string(code->version()) + '\n' + rows_of(*code) + '\n');
    }
    const twofactor_test::temp_folder dir("qr");
    const auto theirs = twofactor_test::run_process(
        python, {dir.write("encode.py", python_qr_script), dir.write("cases.txt", input)});
    BOOST_TEST_REQUIRE(theirs.status == 0, "python3-qrcodegen failed: " << theirs);
    // Theirs, symbol by symbol: the version line, then as many rows as that version has.
    std::string_view rest = theirs.out;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const matrix_case& c = cases[i];
        const std::size_t version_end = rest.find('\n');
        BOOST_TEST_REQUIRE(version_end != std::string_view::npos,
                           "python3-qrcodegen printed " << i << " symbols");
        const int version = std::stoi(std::string(rest.substr(0, version_end)));
        const std::size_t length =
            version_end + 1 + static_cast<std::size_t>((4 * version + 18) * (4 * version + 17) + 1);
        BOOST_TEST_REQUIRE(length <= rest.size(), "python3-qrcodegen's output ends in symbol " << i);
        const std::string_view other = rest.substr(0, length);
        rest.remove_prefix(length);
        const std::string what =
            (c.mode == 'T' ? "automatic, at least level " : "version " + std::to_string(c.version) + '-') +
            level_letter(c.ecc) + ", mask " +
            (c.mask == tf::qr_auto_mask ? "chosen" : std::to_string(c.mask)) + ", mode " + c.mode + ", " +
            std::to_string(c.text.size()) + " characters";
        if (version != c.version) {
            BOOST_TEST(version == c.version,
                       what << ": version " << c.version << ", the reference's " << version);
            continue;
        }
        const auto differing = std::inner_product(ours[i].begin(), ours[i].end(), other.begin(),
                                                  std::size_t{0}, std::plus<>(), std::not_equal_to<>());
        BOOST_TEST(differing == 0u, what << ": " << differing << " modules differ");
    }
    BOOST_TEST(rest.empty(), "python3-qrcodegen printed more symbols than asked for");
}

}  // namespace
