// Tests of twofactor/base32.hpp: RFC 4648 §6 base32, vectors from RFC 4648 §10; grouped display;
// invariants over 100,000 random inputs.
#include <boost/test/unit_test.hpp>

#include <twofactor/base32.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_support.hpp"

namespace tf = twofactor;

// How Boost.Test prints a base32_error in failure messages (found by argument-dependent lookup).
namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, const base32_error& error) {
    return out << "{" << describe(error.code) << ", position " << error.position << "}";
}
}  // namespace twofactor::inline v1

namespace {

// A fixed-capacity string/byte buffer usable in constant expressions.
template <class T, std::size_t Capacity = 128>
struct fixed_buffer {
    std::array<T, Capacity> data{};
    std::size_t size = 0;
};

constexpr fixed_buffer<std::byte> bytes_of(std::string_view text) {
    fixed_buffer<std::byte> out;
    for (const char c : text) out.data[out.size++] = static_cast<std::byte>(c);
    return out;
}

constexpr bool chars_equal(const fixed_buffer<char>& a, std::string_view b) {
    return a.size <= a.data.size() && std::string_view(a.data.data(), a.size) == b;
}

constexpr bool bytes_equal(const fixed_buffer<std::byte>& a, std::string_view b) {
    if (a.size != b.size()) return false;
    for (std::size_t i = 0; i < a.size; ++i) {
        if (a.data[i] != static_cast<std::byte>(b[i])) return false;
    }
    return true;
}

// Encodes `plain` (its chars as bytes); an empty buffer with size SIZE_MAX on error.
constexpr fixed_buffer<char> encode(std::string_view plain,
                                    tf::base32_padding padding = tf::base32_padding::include) {
    const auto in = bytes_of(plain);
    fixed_buffer<char> out;
    const auto n = tf::base32_encode(std::span(in.data.data(), in.size), out.data, padding);
    out.size = n ? *n : static_cast<std::size_t>(-1);
    return out;
}

constexpr tf::result<fixed_buffer<std::byte>, tf::base32_error> decode(
    std::string_view text, tf::base32_mode mode = tf::base32_mode::strict) {
    fixed_buffer<std::byte> out;
    const auto n = tf::base32_decode(text, out.data, mode);
    if (!n) return tf::unexpected(n.error());
    out.size = *n;
    return out;
}

constexpr bool decodes_to(std::string_view text, std::string_view plain,
                          tf::base32_mode mode = tf::base32_mode::strict) {
    const auto r = decode(text, mode);
    return r.has_value() && bytes_equal(*r, plain);
}

constexpr tf::base32_error error_of(std::string_view text, tf::base32_mode mode = tf::base32_mode::strict) {
    const auto r = decode(text, mode);
    return r.has_value() ? tf::base32_error{tf::errc{}, 0} : r.error();
}

struct vector {
    std::string_view plain;
    std::string_view padded;
    std::string_view unpadded;
};

// RFC 4648 §10, "Test Vectors" (BASE32).
constexpr vector rfc4648_vectors[] = {
    {"", "", ""},
    {"f", "MY======", "MY"},
    {"fo", "MZXQ====", "MZXQ"},
    {"foo", "MZXW6===", "MZXW6"},
    {"foob", "MZXW6YQ=", "MZXW6YQ"},
    {"fooba", "MZXW6YTB", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI======", "MZXW6YTBOI"},
};

constexpr bool all_rfc4648_vectors_hold() {
    for (const auto& v : rfc4648_vectors) {
        if (!chars_equal(encode(v.plain), v.padded)) return false;
        if (!chars_equal(encode(v.plain, tf::base32_padding::omit), v.unpadded)) return false;
        if (!decodes_to(v.padded, v.plain)) return false;
        if (!decodes_to(v.unpadded, v.plain)) return false;
        if (!decodes_to(v.padded, v.plain, tf::base32_mode::lenient)) return false;
    }
    return true;
}

std::string as_string(const fixed_buffer<std::byte>& b) {
    std::string s;
    for (std::size_t i = 0; i < b.size; ++i) s.push_back(static_cast<char>(b.data[i]));
    return s;
}

}  // namespace

// ---- Compile time -----------------------------------------------------------------------

static_assert(all_rfc4648_vectors_hold());
static_assert(chars_equal(encode("f"), "MY======"));
static_assert(chars_equal(encode("foobar"), "MZXW6YTBOI======"));
static_assert(decodes_to("MZXW6YTBOI======", "foobar"));
// Key URI Format example secret.
static_assert(decodes_to("JBSWY3DPEHPK3PXP", "Hello!\xDE\xAD\xBE\xEF"));
// RFC 4226 Appendix D / RFC 6238 Appendix B key.
static_assert(decodes_to("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "12345678901234567890"));
static_assert(decodes_to("mzxw 6ytb-oi", "foobar", tf::base32_mode::lenient));
static_assert(error_of("MZXW6YTB0I") == tf::base32_error{tf::errc::invalid_base32_character, 8});
static_assert(error_of("MZ======") == tf::base32_error{tf::errc::non_canonical_base32, 1});

static_assert(tf::base32_encoded_size(0) == 0);
static_assert(tf::base32_encoded_size(1) == 8);
static_assert(tf::base32_encoded_size(5) == 8);
static_assert(tf::base32_encoded_size(6) == 16);
static_assert(tf::base32_encoded_size(1, tf::base32_padding::omit) == 2);
static_assert(tf::base32_encoded_size(4, tf::base32_padding::omit) == 7);
static_assert(tf::base32_encoded_size(20, tf::base32_padding::omit) == 32);
static_assert(tf::base32_encoded_size(std::size_t(-1)) == std::size_t(-1));
static_assert(tf::base32_decoded_max_size(0) == 0);
static_assert(tf::base32_decoded_max_size(2) == 1);
static_assert(tf::base32_decoded_max_size(8) == 5);
static_assert(tf::base32_decoded_max_size(16) == 10);
static_assert(tf::base32_decoded_max_size(std::size_t(-1)) >= std::size_t(-1) / 8 * 5);

// ---- Run time ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(rfc4648_section10_vectors) {
    for (const auto& v : rfc4648_vectors) {
        BOOST_TEST_CONTEXT("plain \"" << v.plain << "\"") {
            const auto padded = encode(v.plain);
            BOOST_TEST_REQUIRE(padded.size <= padded.data.size());
            BOOST_TEST(std::string_view(padded.data.data(), padded.size) == v.padded);
            const auto unpadded = encode(v.plain, tf::base32_padding::omit);
            BOOST_TEST_REQUIRE(unpadded.size <= unpadded.data.size());
            BOOST_TEST(std::string_view(unpadded.data.data(), unpadded.size) == v.unpadded);
            for (const auto mode : {tf::base32_mode::strict, tf::base32_mode::lenient}) {
                const auto a = decode(v.padded, mode);
                BOOST_TEST_REQUIRE(a.has_value());
                BOOST_TEST(as_string(*a) == v.plain);
                const auto b = decode(v.unpadded, mode);
                BOOST_TEST_REQUIRE(b.has_value());
                BOOST_TEST(as_string(*b) == v.plain);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(key_uri_format_example) {
    // Google Authenticator Key URI Format: secret=JBSWY3DPEHPK3PXP.
    const auto r = decode("JBSWY3DPEHPK3PXP");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(as_string(*r) == std::string("Hello!\xDE\xAD\xBE\xEF"));
    BOOST_TEST(chars_equal(encode("Hello!\xDE\xAD\xBE\xEF"), "JBSWY3DPEHPK3PXP"));
}

BOOST_AUTO_TEST_CASE(rfc4226_key) {
    const auto r = decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(as_string(*r) == "12345678901234567890");
}

BOOST_AUTO_TEST_CASE(round_trip_random_bytes) {
    std::mt19937 rng(20240611u);  // fixed seed: reproducible
    std::uniform_int_distribution<int> byte_dist(0, 255);
    for (std::size_t length = 0; length <= 100; ++length) {
        for (int repeat = 0; repeat < 5; ++repeat) {
            std::vector<std::byte> bytes(length);
            for (auto& b : bytes) b = static_cast<std::byte>(byte_dist(rng));
            for (const auto padding : {tf::base32_padding::include, tf::base32_padding::omit}) {
                BOOST_TEST_CONTEXT("length " << length << " padding " << static_cast<int>(padding)) {
                    std::vector<char> text(tf::base32_encoded_size(length, padding));
                    const auto n = tf::base32_encode(bytes, text, padding);
                    BOOST_TEST_REQUIRE(n.has_value());
                    BOOST_TEST(*n == text.size());
                    const std::string_view view(text.data(), text.size());
                    if (padding == tf::base32_padding::include)
                        BOOST_TEST(text.size() % 8 == 0);
                    else
                        BOOST_TEST(view.find('=') == std::string_view::npos);

                    for (const auto mode : {tf::base32_mode::strict, tf::base32_mode::lenient}) {
                        std::vector<std::byte> back(tf::base32_decoded_max_size(view.size()));
                        const auto m = tf::base32_decode(view, back, mode);
                        BOOST_TEST_REQUIRE(m.has_value());
                        BOOST_TEST(*m == length);
                        back.resize(*m);
                        BOOST_TEST((back == bytes));
                    }
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(secret_with_zero_bytes) {
    // A leading 0x00 must not make the secret look empty (libcotp#54), nor an inner one end it.
    const std::array<std::byte, 7> secret{std::byte{0x00}, std::byte{0x00}, std::byte{0x41}, std::byte{0x00},
                                          std::byte{0xFF}, std::byte{0x00}, std::byte{0x00}};
    std::array<char, 16> text{};
    const auto n = tf::base32_encode(secret, text);
    BOOST_TEST_REQUIRE(n.has_value());
    BOOST_TEST(std::string_view(text.data(), *n) == "AAAECAH7AAAA====");
    std::array<std::byte, 10> back{};
    const auto m = tf::base32_decode(std::string_view(text.data(), *n), back);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(*m == secret.size());
    BOOST_TEST(std::equal(secret.begin(), secret.end(), back.begin()));

    // All zero: "AAAAAAAA" is 5 zero bytes, not an empty secret.
    const auto zeros = decode("AAAAAAAA");
    BOOST_TEST_REQUIRE(zeros.has_value());
    BOOST_TEST(zeros->size == 5u);
}

BOOST_AUTO_TEST_CASE(empty_input_decodes_to_nothing) {
    std::array<std::byte, 1> out{std::byte{0x5A}};
    const auto n = tf::base32_decode("", out);
    BOOST_TEST_REQUIRE(n.has_value());
    BOOST_TEST(*n == 0u);
    BOOST_TEST((out[0] == std::byte{0x5A}));
    const auto m = tf::base32_decode(" - \t", out, tf::base32_mode::lenient);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(*m == 0u);
    // Zero-size buffers are fine for empty input.
    BOOST_TEST(tf::base32_decode("", std::span<std::byte>{}).has_value());
    BOOST_TEST(tf::base32_encode(std::span<const std::byte>{}, std::span<char>{}).has_value());
}

namespace {
struct error_case {
    std::string_view text;
    tf::base32_mode mode;
    tf::errc code;
    std::size_t position;
};

std::ostream& operator<<(std::ostream& os, const error_case& c) {
    return os << '"' << c.text << "\" " << (c.mode == tf::base32_mode::strict ? "strict" : "lenient");
}

constexpr auto strict = tf::base32_mode::strict;
constexpr auto lenient = tf::base32_mode::lenient;
constexpr auto bad_char = tf::errc::invalid_base32_character;
constexpr auto bad_length = tf::errc::invalid_base32_length;
constexpr auto bad_padding = tf::errc::invalid_base32_padding;
constexpr auto non_canonical = tf::errc::non_canonical_base32;

using namespace std::string_view_literals;

const error_case error_cases[] = {
    // Characters outside the alphabet, at their index.
    {"MZXW6YTB0I", strict, bad_char, 8},
    {"MZXW6YTB0I", lenient, bad_char, 8},
    {"1ZXW6YTB", strict, bad_char, 0},
    {"MZXW8YTB", strict, bad_char, 4},
    {"MZXW6YT9", strict, bad_char, 7},
    {"mzxw6ytb", strict, bad_char, 0},   // lowercase only in lenient mode
    {"MZXW 6YTB", strict, bad_char, 4},  // separators only in lenient mode
    {"MZXW-6YTB", strict, bad_char, 4},
    {"MZXW.6YTB", lenient, bad_char, 4},
    {"MZXW\n6YTB", lenient, bad_char, 4},
    {"MZ\0XW6YTB"sv, strict, bad_char, 2},  // NUL is just another invalid character
    {"MZ\0XW6YTB"sv, lenient, bad_char, 2},
    {"MZXW6YT\xC3\x89", strict, bad_char, 7},  // non-ASCII (UTF-8 'É')
    {"MZXW6YT\xC3\x89", lenient, bad_char, 7},
    {"\x80", lenient, bad_char, 0},
    // The leftmost invalid character is reported, even after an earlier length problem.
    {"M!", strict, bad_char, 1},
    // Lengths no encoding has: 1, 3 or 6 data characters modulo 8, at the dangling one.
    {"M", strict, bad_length, 0},
    {"MZX", strict, bad_length, 2},
    {"MZXW6Y", strict, bad_length, 5},
    {"MZXW6YTBO", strict, bad_length, 8},
    {"M=======", strict, bad_length, 0},
    {"MZX=====", strict, bad_length, 2},
    {"mz x", lenient, bad_length, 3},
    {"M", lenient, bad_length, 0},
    {"m-z-x", lenient, bad_length, 4},
    // Padding.
    {"MY=====", strict, bad_padding, 7},  // one '=' short: missing at the end
    {"MY=", strict, bad_padding, 3},
    {"MZXQ===", strict, bad_padding, 7},
    {"MY=======", strict, bad_padding, 8},  // one '=' too many: the 7th is the culprit
    {"MY=======", lenient, bad_padding, 8},
    {"MY==========", strict, bad_padding, 8},  // several too many: still the first of them
    {"MZXQ======", lenient, bad_padding, 8},
    {"MY======A", strict, bad_padding, 8},  // data after the padding
    {"MY======A", lenient, bad_padding, 8},
    {"MY==A", lenient, bad_padding, 4},
    {"MY======0", strict, bad_char, 8},     // not in the alphabet at all
    {"MZXW6YTB=", strict, bad_padding, 8},  // a complete group has no padding
    {"MZXW6YTB========", strict, bad_padding, 8},
    {"=", strict, bad_padding, 0},
    {"========", strict, bad_padding, 0},
    {"=", lenient, bad_padding, 0},
    {"MZXW6YQ==", strict, bad_padding, 8},
    {"MZXW6YQ==", lenient, bad_padding, 8},
    {"MY== =====", lenient, bad_padding, 9},  // separators count in positions
    // Non-zero unused bits in the last character.
    {"MZ======", strict, non_canonical, 1},  // 'Z' = 11001: low 2 bits 01
    {"MZ", strict, non_canonical, 1},
    {"mz", lenient, non_canonical, 1},
    {"MZXR====", strict, non_canonical, 3},  // 'R' = 10001: low 4 bits 0001
    {"MZXW7===", strict, non_canonical, 4},  // '7' = 11111: low bit 1
    {"MZXW6YR=", strict, non_canonical, 6},  // 'R' = 10001: low 3 bits 001
    {"MZXW6YR", lenient, non_canonical, 6},
    {"MZ XW 6Y R", lenient, non_canonical, 9},
};
}  // namespace

BOOST_AUTO_TEST_CASE(errors_name_the_culprit) {
    for (const auto& c : error_cases) {
        BOOST_TEST_CONTEXT(c) {
            std::array<std::byte, 16> out{};
            out.fill(std::byte{0xA5});
            const auto r = tf::base32_decode(c.text, out, c.mode);
            BOOST_TEST_REQUIRE(!r.has_value());
            BOOST_TEST(r.error() == (tf::base32_error{c.code, c.position}));
            // Nothing is written on error.
            for (const auto b : out) BOOST_TEST((b == std::byte{0xA5}));
        }
    }
}

BOOST_AUTO_TEST_CASE(canonical_counterparts_are_accepted) {
    BOOST_TEST(decodes_to("MY======", "f"));
    BOOST_TEST(decodes_to("MY", "f"));
    BOOST_TEST(decodes_to("MZXQ====", "fo"));
    BOOST_TEST(decodes_to("MZXW6===", "foo"));
    BOOST_TEST(decodes_to("MZXW6YQ=", "foob"));
}

BOOST_AUTO_TEST_CASE(lenient_mode_accepts_typed_setup_codes) {
    BOOST_TEST(decodes_to("mzxw 6ytb-oi", "foobar", lenient));
    BOOST_TEST(decodes_to("MzXw6YtBoI", "foobar", lenient));
    BOOST_TEST(decodes_to("\tmzxw6ytboi  ", "foobar", lenient));
    BOOST_TEST(decodes_to("jbsw y3dp ehpk 3pxp", "Hello!\xDE\xAD\xBE\xEF", lenient));
    BOOST_TEST(decodes_to("GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ", "12345678901234567890", lenient));
    // Missing, partial or complete padding; separators inside the padding.
    BOOST_TEST(decodes_to("MY", "f", lenient));
    BOOST_TEST(decodes_to("MY=", "f", lenient));
    BOOST_TEST(decodes_to("MY=====", "f", lenient));
    BOOST_TEST(decodes_to("MY======", "f", lenient));
    BOOST_TEST(decodes_to("my == ==", "f", lenient));
    BOOST_TEST(decodes_to("MZXW6YQ=", "foob", lenient));
    BOOST_TEST(decodes_to("MZXW6YTBOI=== -", "foobar", lenient));
    // Strict mode refuses the same texts.
    BOOST_TEST(!decode("mzxw 6ytb-oi").has_value());
    BOOST_TEST(!decode("MY=").has_value());
}

BOOST_AUTO_TEST_CASE(output_too_small) {
    const auto in = bytes_of("foobar");
    std::array<char, 16> big{};
    std::array<char, 15> small{};
    small.fill('#');
    BOOST_TEST(tf::base32_encode(std::span(in.data.data(), in.size), big).has_value());
    const auto e = tf::base32_encode(std::span(in.data.data(), in.size), small);
    BOOST_TEST_REQUIRE(!e.has_value());
    BOOST_TEST(e.error() == (tf::base32_error{tf::errc::output_too_small, 0}));
    for (const char c : small) BOOST_TEST(c == '#');
    // Without padding 10 characters suffice.
    const auto unpadded = tf::base32_encode(std::span(in.data.data(), in.size), std::span(small.data(), 10),
                                            tf::base32_padding::omit);
    BOOST_TEST_REQUIRE(unpadded.has_value());
    BOOST_TEST(*unpadded == 10u);

    std::array<std::byte, 5> five{};
    five.fill(std::byte{0xA5});
    const auto d = tf::base32_decode("MZXW6YTBOI======", five);
    BOOST_TEST_REQUIRE(!d.has_value());
    BOOST_TEST(d.error() == (tf::base32_error{tf::errc::output_too_small, 0}));
    for (const auto b : five) BOOST_TEST((b == std::byte{0xA5}));
    // An invalid text reports its own error, not the buffer's size.
    const auto bad = tf::base32_decode("MZXW6YTB0I", std::span<std::byte>{});
    BOOST_TEST_REQUIRE(!bad.has_value());
    BOOST_TEST(bad.error() == (tf::base32_error{tf::errc::invalid_base32_character, 8}));
    // Exactly enough is enough.
    std::array<std::byte, 6> six{};
    const auto ok = tf::base32_decode("MZXW6YTBOI======", six);
    BOOST_TEST_REQUIRE(ok.has_value());
    BOOST_TEST(*ok == 6u);
}

BOOST_AUTO_TEST_CASE(decoded_max_size_is_an_upper_bound) {
    for (std::size_t n = 0; n <= 40; ++n) {
        std::string text(n, 'A');
        const auto r = tf::base32_decode(text, std::span<std::byte>{}, lenient);
        if (!r.has_value() && r.error().code == tf::errc::output_too_small) {
            std::vector<std::byte> out(tf::base32_decoded_max_size(n));
            BOOST_TEST(tf::base32_decode(text, out, lenient).has_value());
        }
    }
}

// ---- Grouped display ----------------------------------------------------------------------

namespace {
constexpr fixed_buffer<char> grouped(std::string_view text, std::size_t group = 4, char separator = ' ') {
    fixed_buffer<char> out;
    const auto n = tf::base32_group(text, out.data, group, separator);
    out.size = n ? *n : static_cast<std::size_t>(-1);
    return out;
}
}  // namespace

static_assert(tf::base32_grouped_size(0) == 0);
static_assert(tf::base32_grouped_size(1) == 1);
static_assert(tf::base32_grouped_size(4) == 4);
static_assert(tf::base32_grouped_size(5) == 6);
static_assert(tf::base32_grouped_size(16) == 19);
static_assert(tf::base32_grouped_size(32) == 39);
static_assert(tf::base32_grouped_size(103) == 128);
static_assert(tf::base32_grouped_size(10, 0) == 10);
static_assert(tf::base32_grouped_size(10, 1) == 19);
static_assert(tf::base32_grouped_size(std::size_t(-1)) == std::size_t(-1));
static_assert(chars_equal(grouped("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP"));
static_assert(chars_equal(grouped("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
                          "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"));
static_assert(chars_equal(grouped("MZXW6YTBOI"), "MZXW 6YTB OI"));
static_assert(chars_equal(grouped("MZXW6YTBOI", 3, '-'), "MZX-W6Y-TBO-I"));
static_assert(chars_equal(grouped("MZXW6YTBOI", 0), "MZXW6YTBOI"));
static_assert(chars_equal(grouped(""), ""));
static_assert(chars_equal(grouped("MY"), "MY"));
// Lenient decoding reads the grouped form back.
static_assert(decodes_to("JBSW Y3DP EHPK 3PXP", "Hello!\xDE\xAD\xBE\xEF", tf::base32_mode::lenient));

BOOST_AUTO_TEST_CASE(grouped_display_errors_and_round_trip) {
    std::array<char, 18> small{};
    small.fill('#');
    const auto e = tf::base32_group("JBSWY3DPEHPK3PXP", small);
    BOOST_TEST_REQUIRE(!e.has_value());
    BOOST_TEST(e.error() == (tf::base32_error{tf::errc::output_too_small, 0}));
    for (const char c : small) BOOST_TEST(c == '#');
    std::array<char, 19> exact{};
    const auto ok = tf::base32_group("JBSWY3DPEHPK3PXP", exact);
    BOOST_TEST_REQUIRE(ok.has_value());
    BOOST_TEST(std::string_view(exact.data(), *ok) == "JBSW Y3DP EHPK 3PXP");

    // Every length 0..100 bytes, groups of 1..8 with each separator lenient mode skips.
    std::mt19937 rng(4648u);
    for (std::size_t length = 0; length <= 100; ++length) {
        const auto bytes = [&] {
            std::vector<std::byte> b(length);
            for (auto& x : b) x = static_cast<std::byte>(rng() & 0xFF);
            return b;
        }();
        std::string text(tf::base32_encoded_size(length, tf::base32_padding::omit), '\0');
        BOOST_TEST_REQUIRE(tf::base32_encode(bytes, text, tf::base32_padding::omit).has_value());
        for (std::size_t group = 1; group <= 8; ++group) {
            for (const char separator : {' ', '-', '\t'}) {
                std::string shown(tf::base32_grouped_size(text.size(), group), '\0');
                const auto n = tf::base32_group(text, shown, group, separator);
                BOOST_TEST_REQUIRE(n.has_value());
                BOOST_TEST_REQUIRE(*n == shown.size());
                std::vector<std::byte> back(tf::base32_decoded_max_size(shown.size()));
                const auto m = tf::base32_decode(shown, back, tf::base32_mode::lenient);
                BOOST_TEST_REQUIRE(m.has_value(), "length " << length << " group " << group);
                back.resize(*m);
                BOOST_TEST((back == bytes));
            }
        }
    }
}

// ---- Random inputs: the documented invariants hold, nothing crashes ----------------------------
//
// 100,000 random texts of 0..64 characters (half random bytes; a quarter characters drawn from the
// alphabet, lowercase, '=', separators and a few invalid ones; a quarter valid encodings with up
// to two random edits), each decoded in both modes (the suite runs
// under ASan and UBSan in CI). The invariants (see base32_error and base32_mode):
//   - an error names a position inside the text, or exactly its end only for strict mode's
//     "padding missing at the end"; the character there is the culprit; `out` is untouched;
//   - a success writes at most base32_decoded_max_size bytes and nothing beyond its count; the
//     bytes re-encode to the text itself (strict) or to its normalised form (lenient: separators
//     removed, uppercase, no padding), and decode strictly to the same bytes;
//   - whatever strict mode accepts, lenient mode accepts with the same bytes.

namespace {

struct fuzz_outcome {
    bool ok = false;
    tf::base32_error error{};
    std::vector<std::byte> bytes;
};

fuzz_outcome decode_checked(std::string_view text, tf::base32_mode mode, std::string& problem) {
    constexpr std::byte canary{0xA5};
    std::array<std::byte, 64> out{};
    out.fill(canary);
    const std::size_t limit = tf::base32_decoded_max_size(text.size());  // <= 40 for 64 chars
    const auto r = tf::base32_decode(text, std::span(out.data(), limit), mode);
    fuzz_outcome outcome;
    if (!r.has_value()) {
        outcome.error = r.error();
        for (const auto b : out) {
            if (b != canary) problem = "output written on error";
        }
        return outcome;
    }
    outcome.ok = true;
    if (*r > limit) problem = "count above base32_decoded_max_size";
    for (std::size_t i = *r; i < out.size(); ++i) {
        if (out[i] != canary) problem = "byte written past the count";
    }
    outcome.bytes.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(std::min(*r, limit)));
    return outcome;
}

std::string check_invariants(std::string_view text, tf::base32_mode mode, const fuzz_outcome& outcome) {
    const bool lenient = mode == tf::base32_mode::lenient;
    if (!outcome.ok) {
        const auto [code, position] = outcome.error;
        const bool at_end_allowed = !lenient && code == tf::errc::invalid_base32_padding;
        if (position > text.size() || (position == text.size() && !at_end_allowed)) {
            return "error position out of range";
        }
        switch (code) {
            case tf::errc::invalid_base32_character: {
                const char c = text[position];
                const bool valid = (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7') || c == '=' ||
                                   (lenient && ((c >= 'a' && c <= 'z') || c == ' ' || c == '-' || c == '\t'));
                if (valid) return "invalid_base32_character at a valid character";
                return {};
            }
            case tf::errc::invalid_base32_padding:
            case tf::errc::invalid_base32_length:
            case tf::errc::non_canonical_base32: return {};
            default: return "unexpected error code";
        }
    }
    // Success: re-encode.
    const auto& bytes = outcome.bytes;
    std::string unpadded(tf::base32_encoded_size(bytes.size(), tf::base32_padding::omit), '\0');
    std::string padded(tf::base32_encoded_size(bytes.size(), tf::base32_padding::include), '\0');
    if (!tf::base32_encode(bytes, unpadded, tf::base32_padding::omit) ||
        !tf::base32_encode(bytes, padded, tf::base32_padding::include)) {
        return "re-encoding failed";
    }
    if (lenient) {
        std::string normalised;
        for (const char c : text) {
            if (c == ' ' || c == '-' || c == '\t' || c == '=') continue;
            normalised += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        }
        if (normalised != unpadded) return "lenient success does not re-encode to the normalised text";
    } else if (text != unpadded && text != padded) {
        return "strict success does not re-encode to the text";
    }
    std::vector<std::byte> back(bytes.size() + 1);
    const auto again = tf::base32_decode(unpadded, back);
    if (!again || *again != bytes.size() || !std::equal(bytes.begin(), bytes.end(), back.begin())) {
        return "re-encoding does not decode to the same bytes";
    }
    return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(random_inputs_keep_the_documented_invariants) {
    std::mt19937_64 rng(0x4648'0032'0000'0001ull);  // fixed seed: reproducible
    constexpr std::string_view upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    constexpr std::string_view lower = "abcdefghijklmnopqrstuvwxyz";
    constexpr std::string_view invalid = "0189!.+/\n\0\x80\xC3\xFF"sv;
    constexpr int iterations = 100'000;
    int failures = 0;
    std::size_t successes[2] = {0, 0};
    for (int i = 0; i < iterations && failures < 20; ++i) {
        const auto random_char = [&] {
            const auto pick = rng() % 100;
            if (pick < 70) return upper[rng() % upper.size()];
            if (pick < 78) return lower[rng() % lower.size()];
            if (pick < 88) return '=';
            if (pick < 93) return ' ';
            if (pick < 96) return '-';
            if (pick < 97) return '\t';
            return invalid[rng() % invalid.size()];
        };
        std::string text;
        if (i % 4 == 3) {
            // Near misses: a valid encoding (padded or not) of up to 40 bytes with 0..2 random
            // characters replaced or inserted.
            std::vector<std::byte> bytes(rng() % 41);
            for (auto& b : bytes) b = static_cast<std::byte>(rng() & 0xFF);
            const auto padding = rng() % 2 == 0 ? tf::base32_padding::omit : tf::base32_padding::include;
            text.resize(tf::base32_encoded_size(bytes.size(), padding));
            (void)tf::base32_encode(bytes, text, padding);
            for (auto edits = rng() % 3; edits > 0 && !text.empty(); --edits) {
                const std::size_t at = rng() % text.size();
                if (rng() % 2 == 0) {
                    text[at] = random_char();
                } else {
                    text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), random_char());
                }
            }
            if (text.size() > 64) text.resize(64);
        } else {
            text.resize(rng() % 65);
            for (auto& c : text) c = i % 2 == 0 ? static_cast<char>(rng() & 0xFF) : random_char();
        }
        fuzz_outcome outcomes[2];
        for (const auto mode : {tf::base32_mode::strict, tf::base32_mode::lenient}) {
            std::string problem;
            const auto outcome = decode_checked(text, mode, problem);
            if (problem.empty()) problem = check_invariants(text, mode, outcome);
            const auto index = static_cast<std::size_t>(mode == tf::base32_mode::lenient);
            if (!problem.empty()) {
                ++failures;
                BOOST_ERROR("iteration " << i << ' ' << (index ? "lenient" : "strict") << ": " << problem
                                         << " for hex "
                                         << twofactor_test::to_hex(twofactor_test::bytes_of(text)));
            }
            successes[index] += outcome.ok ? 1 : 0;
            outcomes[index] = outcome;
        }
        if (outcomes[0].ok && (!outcomes[1].ok || outcomes[1].bytes != outcomes[0].bytes)) {
            ++failures;
            BOOST_ERROR("iteration " << i
                                     << ": strict accepts what lenient refuses (or decodes differently)");
        }
    }
    BOOST_TEST(failures == 0);
    // The generator must reach both outcomes often enough for the test to mean something.
    BOOST_TEST(successes[0] > 1000u);
    BOOST_TEST(successes[1] > successes[0]);
}
