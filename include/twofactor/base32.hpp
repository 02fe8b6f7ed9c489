// twofactor: base32 encoding and decoding, RFC 4648 §6 ("Base 32 Encoding"), into caller
// buffers, without heap allocation, usable in constant expressions.
//
// The alphabet is A-Z followed by 2-7; each group of 5 bytes becomes 8 characters; a final
// partial group is completed with '=' (RFC 4648 §6). OTP secrets (the `secret=` of an
// otpauth:// URI, the setup code an authenticator app asks for) are written this way, often
// without the padding and, when typed by a human, in lowercase and with spaces. For display,
// `base32_group` splits a setup code into blocks of four ("JBSW Y3DP EHPK 3PXP"), which lenient
// decoding reads back.
#ifndef TWOFACTOR_BASE32_HPP_INCLUDED
#define TWOFACTOR_BASE32_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "detail/constant_time.hpp"
#include "error.hpp"

namespace twofactor::inline v1 {

/**
 * Why base32 text was rejected, and where.
 *
 * `position` is an index into the text that was given to `base32_decode`, counting every
 * character (including the spaces, tabs and hyphens that lenient mode skips). It names the
 * offending character; it equals the length of the text when the problem is that something is
 * missing at the end (too little padding). For `errc::output_too_small` it is 0.
 *
 *     "MZXW6YTB0I"  -> {errc::invalid_base32_character, 8}   ('0' is not in the alphabet)
 */
struct base32_error {
    errc code;             ///< what is wrong (one of the base32 errc values, or output_too_small)
    std::size_t position;  ///< index into the input text of the problem, see above
    friend constexpr bool operator==(const base32_error&, const base32_error&) = default;
};

/// Whether `base32_encode` completes the last group with '=' (RFC 4648 §6) or leaves it out
/// (as otpauth:// URIs do, RFC 4648 §3.2 allows it when the length is known otherwise).
enum class base32_padding : bool {
    omit,     ///< no '=' characters
    include,  ///< pad the output to a multiple of 8 characters
};

/**
 * How strictly `base32_decode` reads its input.
 *
 * Both modes reject, with the position of the culprit:
 * - a character outside the alphabet (`errc::invalid_base32_character`): '0', '1', '8', '9',
 *   punctuation, control characters including NUL (the text is a string_view with a length,
 *   never a C string), and every byte >= 0x80;
 * - a number of data characters that no byte string encodes to: length % 8 of 1, 3 or 6
 *   (`errc::invalid_base32_length`, at the last data character, the one left dangling);
 * - too much '=', '=' where none belongs, or data after the padding
 *   (`errc::invalid_base32_padding`);
 * - a last character whose unused low bits are not zero (`errc::non_canonical_base32`):
 *   such text is not what any encoder produces, and when a human mistyped the last character
 *   of a setup code, accepting it would silently yield a different secret.
 */
enum class base32_mode {
    /**
     * Canonical RFC 4648 §6 text: uppercase A-Z and 2-7 only; either no padding at all or
     * exactly the padding RFC 4648 prescribes for the length (total length a multiple of 8).
     * Use it for machine-written text: stored records, otpauth:// URIs.
     */
    strict,
    /**
     * For setup codes typed or pasted by a human: letters in either case; spaces, tabs and
     * hyphens skipped anywhere (so "mzxw 6ytb-oi" is accepted); padding optional and may be
     * partial ("MY", "MY==" and "MY======" all decode to "f"), but never more than the
     * length calls for, and nothing but skipped characters after it.
     */
    lenient,
};

/**
 * The number of characters `base32_encode` writes for `byte_count` bytes:
 * 8 per 5 bytes, the last group padded to 8 with `base32_padding::include`, otherwise
 * 2, 4, 5 or 7 characters for 1, 2, 3 or 4 remaining bytes. Saturates at SIZE_MAX for
 * counts no buffer can hold.
 */
[[nodiscard]] constexpr std::size_t base32_encoded_size(
    std::size_t byte_count, base32_padding padding = base32_padding::include) noexcept {
    constexpr std::size_t tail_chars[5] = {0, 2, 4, 5, 7};
    const std::size_t groups = byte_count / 5;
    const std::size_t tail = byte_count % 5;
    if (groups > (std::numeric_limits<std::size_t>::max() - 8) / 8) {
        return std::numeric_limits<std::size_t>::max();
    }
    if (tail == 0) return groups * 8;
    return groups * 8 + (padding == base32_padding::include ? 8 : tail_chars[tail]);
}

/**
 * An upper bound of the bytes `base32_decode` writes for a text of `char_count` characters,
 * in either mode: floor(char_count * 5 / 8). Exact for unpadded strict text.
 */
[[nodiscard]] constexpr std::size_t base32_decoded_max_size(std::size_t char_count) noexcept {
    return char_count / 8 * 5 + char_count % 8 * 5 / 8;
}

namespace detail {

// Decoding reads a secret's text (a stored record's secret line, at every login), so what a
// character is worth is computed without a branch or a table; only what kind of character it
// is (the text's layout, public like its length) is branched on, through declassify.

enum class base32_char : std::uint8_t { data, separator, padding, invalid };

// What `c` is: an alphabet character (lowercase only when `lenient`), a separator (' ', '\t' or
// '-', only when `lenient`), '=' or anything else. The answer is public; the letter is not.
[[nodiscard]] constexpr base32_char base32_kind(char c, bool lenient) noexcept {
    const std::uint32_t u = static_cast<unsigned char>(c);
    const std::uint32_t relaxed = lenient ? 1u : 0u;
    const std::uint32_t data =
        byte_in_range(u, 'A', 'Z') | byte_in_range(u, '2', '7') | (byte_in_range(u, 'a', 'z') & relaxed);
    const std::uint32_t separator =
        (byte_in_range(u, ' ', ' ') | byte_in_range(u, '\t', '\t') | byte_in_range(u, '-', '-')) & relaxed;
    const std::uint32_t padding = byte_in_range(u, '=', '=');
    const std::uint32_t invalid = (data | separator | padding) ^ 1u;  // at most one of them is 1
    return static_cast<base32_char>(declassify(separator | padding << 1 | invalid * 3u));
}

// The value 0..31 of an alphabet character (either case): 'A'..'Z' (with the case bit cleared)
// from 0, '2'..'7' from 26; selected with a mask, not a branch.
[[nodiscard]] constexpr std::uint32_t base32_data_value(char c) noexcept {
    const std::uint32_t u = static_cast<unsigned char>(c);
    const std::uint32_t letter_value = ((u & 0xDFu) - 'A') & 0x1Fu;
    const std::uint32_t digit_value = (u - '2' + 26u) & 0x1Fu;
    return select(0u - byte_in_range(u, '2', '7'), digit_value, letter_value);
}

// The character of a value 0..31: 'A' + value, or '2' + (value - 26) from 26 on. Computed,
// not looked up, and without a branch: the values are bits of a secret, and a table index or a
// branch on them would show in timing (cache lines, branch prediction).
[[nodiscard]] constexpr char base32_symbol(std::uint32_t value) noexcept {
    const std::uint32_t is_digit = (25u - value) >> 31;  // 1 when value >= 26, by the borrow
    return static_cast<char>('A' + value - is_digit * ('A' + 26 - '2'));
}
static_assert(
    [] {
        constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // RFC 4648 Table 3
        for (std::uint32_t value = 0; value < 32; ++value)
            if (base32_symbol(value) != alphabet[value]) return false;
        return true;
    }(),
    "base32_symbol is RFC 4648's alphabet");

// Indexed by (data characters % 8): the '=' a complete padding has, or -1 where the length is
// invalid; and how many low bits of the last character carry no data.
inline constexpr int base32_padding_for_residue[8] = {0, -1, 6, -1, 4, 3, -1, 1};
inline constexpr unsigned base32_unused_bits_for_residue[8] = {0, 0, 2, 0, 4, 1, 0, 3};

// What validation found: the number of data characters (everything except separators and
// padding), which fixes the number of decoded bytes.
struct base32_scan {
    std::size_t data_chars;
};

// Checks the whole text without writing anything. Reports the leftmost character that is
// not allowed, then (once the text is read) length, padding and canonical-bits problems.
[[nodiscard]] constexpr result<base32_scan, base32_error> base32_validate(std::string_view text,
                                                                          base32_mode mode) noexcept {
    const bool lenient = mode == base32_mode::lenient;
    std::size_t data_chars = 0;
    std::size_t last_data_position = 0;
    std::uint32_t last_data_value = 0;
    std::size_t padding_chars = 0;
    std::size_t first_padding_position = text.size();
    std::size_t excess_padding_position = text.size();  // valid once the residue is known

    for (std::size_t i = 0; i < text.size(); ++i) {
        const base32_char kind = base32_kind(text[i], lenient);
        if (kind == base32_char::separator) continue;
        if (kind == base32_char::padding) {
            if (padding_chars == 0) first_padding_position = i;
            ++padding_chars;
            const int expected = base32_padding_for_residue[data_chars % 8];
            if (expected >= 0 && padding_chars == static_cast<std::size_t>(expected) + 1) {
                excess_padding_position = i;
            }
            continue;
        }
        if (kind == base32_char::invalid) {
            return unexpected(base32_error{errc::invalid_base32_character, i});
        }
        if (padding_chars != 0) {
            // An alphabet character after '=': the padding ended the data too early.
            return unexpected(base32_error{errc::invalid_base32_padding, i});
        }
        ++data_chars;
        last_data_position = i;
        last_data_value = base32_data_value(text[i]);
    }

    const std::size_t residue = data_chars % 8;
    const int expected_padding = base32_padding_for_residue[residue];
    if (expected_padding < 0) {
        return unexpected(base32_error{errc::invalid_base32_length, last_data_position});
    }
    const auto expected = static_cast<std::size_t>(expected_padding);
    if (padding_chars > expected) {
        // With residue 0 any '=' is excess: the first one is the culprit.
        const std::size_t where = expected == 0 ? first_padding_position : excess_padding_position;
        return unexpected(base32_error{errc::invalid_base32_padding, where});
    }
    if (!lenient && padding_chars != 0 && padding_chars < expected) {
        return unexpected(base32_error{errc::invalid_base32_padding, text.size()});
    }
    const unsigned unused_bits = base32_unused_bits_for_residue[residue];
    // Whether the text is canonical is public (an error or not); the bits themselves are not.
    if (declassify(last_data_value & ((1u << unused_bits) - 1u)) != 0) {
        return unexpected(base32_error{errc::non_canonical_base32, last_data_position});
    }
    return base32_scan{data_chars};
}

}  // namespace detail

/**
 * Encodes `bytes` as base32 (RFC 4648 §6) into `out` and returns the number of characters
 * written, `base32_encoded_size(bytes.size(), padding)`. No terminating NUL is written.
 *
 * Errors: `{errc::output_too_small, 0}` when `out` is shorter than that; nothing is written.
 *
 *     std::array<char, 16> text{};
 *     auto n = twofactor::base32_encode(secret, text, twofactor::base32_padding::omit);
 *     if (n) use(std::string_view(text.data(), *n));
 */
[[nodiscard]] constexpr result<std::size_t, base32_error> base32_encode(
    std::span<const std::byte> bytes, std::span<char> out,
    base32_padding padding = base32_padding::include) noexcept {
    const std::size_t size = base32_encoded_size(bytes.size(), padding);
    if (out.size() < size) return unexpected(base32_error{errc::output_too_small, 0});

    std::size_t written = 0;
    std::uint32_t buffer = 0;  // holds at most 4 pending bits plus one new byte
    unsigned bits = 0;
    for (const std::byte b : bytes) {
        buffer = (buffer << 8) | std::to_integer<std::uint32_t>(b);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[written++] = detail::base32_symbol((buffer >> bits) & 0x1Fu);
        }
        buffer &= (1u << bits) - 1u;
    }
    if (bits > 0) out[written++] = detail::base32_symbol((buffer << (5 - bits)) & 0x1Fu);
    while (written < size) out[written++] = '=';
    return written;
}

/**
 * Decodes base32 `text` (RFC 4648 §6) into `out` and returns the number of bytes written:
 * 5 per 8 data characters, and 1, 2, 3 or 4 for 2, 4, 5 or 7 remaining ones. `mode` says
 * which text is accepted (see `base32_mode`). An empty text (or, in lenient mode, one made
 * only of separators) decodes to 0 bytes: rejecting an empty secret is the caller's job.
 *
 * The whole text is validated before anything is written: on any error `out` is untouched.
 *
 * Errors (`base32_error`, with the position of the problem in `text`):
 * `errc::invalid_base32_character`, `errc::invalid_base32_length`,
 * `errc::invalid_base32_padding`, `errc::non_canonical_base32` as described at `base32_mode`;
 * `{errc::output_too_small, 0}` when valid text does not fit in `out`
 * (`base32_decoded_max_size(text.size())` bytes always suffice).
 *
 *     std::array<std::byte, 64> secret{};
 *     auto n = twofactor::base32_decode("jbsw y3dp ehpk 3pxp", secret,
 *                                       twofactor::base32_mode::lenient);   // *n == 10
 */
[[nodiscard]] constexpr result<std::size_t, base32_error> base32_decode(
    std::string_view text, std::span<std::byte> out, base32_mode mode = base32_mode::strict) noexcept {
    const auto scan = detail::base32_validate(text, mode);
    if (!scan) return unexpected(scan.error());
    const std::size_t size = scan->data_chars * 5 / 8;
    if (out.size() < size) return unexpected(base32_error{errc::output_too_small, 0});

    const bool lenient = mode == base32_mode::lenient;
    std::size_t written = 0;
    std::uint32_t buffer = 0;  // holds at most 7 pending bits plus one new character
    unsigned bits = 0;
    for (const char c : text) {
        const detail::base32_char kind = detail::base32_kind(c, lenient);
        if (kind == detail::base32_char::padding) break;  // validated: only padding (and separators) follow
        if (kind != detail::base32_char::data) continue;  // a separator in lenient mode
        buffer = (buffer << 5) | detail::base32_data_value(c);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[written++] = static_cast<std::byte>((buffer >> bits) & 0xFFu);
            buffer &= (1u << bits) - 1u;
        }
    }
    return written;
}

/**
 * The number of characters `base32_group` writes for `char_count` characters of text in groups
 * of `group`: the text plus one separator between consecutive groups,
 * `char_count + (char_count - 1) / group` (0 for empty text). `group == 0` means no grouping
 * (the size is `char_count`). Saturates at SIZE_MAX for counts no buffer can hold.
 *
 *     base32_grouped_size(16) == 19      // "JBSW Y3DP EHPK 3PXP"
 *     base32_grouped_size(32) == 39
 */
[[nodiscard]] constexpr std::size_t base32_grouped_size(std::size_t char_count,
                                                        std::size_t group = 4) noexcept {
    if (char_count == 0 || group == 0) return char_count;
    const std::size_t separators = (char_count - 1) / group;
    if (char_count > std::numeric_limits<std::size_t>::max() - separators) {
        return std::numeric_limits<std::size_t>::max();
    }
    return char_count + separators;
}

/**
 * Writes `encoded` into `out` in groups of `group` characters separated by `separator`, for
 * displaying a setup code that a human types into an authenticator app, and returns the number
 * of characters written, `base32_grouped_size(encoded.size(), group)`. No terminating NUL.
 *
 * The text is copied as it is (it is not validated; pass unpadded base32, the otpauth form).
 * The last group may be shorter. `group == 0` copies the text without separators. Lenient
 * decoding (`base32_mode::lenient`) reads the grouped form back when the separator is a space,
 * tab or hyphen.
 *
 * Errors: `{errc::output_too_small, 0}` when `out` is shorter than that; nothing is written.
 *
 *     std::array<char, 19> shown{};
 *     auto n = twofactor::base32_group("JBSWY3DPEHPK3PXP", shown);   // "JBSW Y3DP EHPK 3PXP"
 */
[[nodiscard]] constexpr result<std::size_t, base32_error> base32_group(std::string_view encoded,
                                                                       std::span<char> out,
                                                                       std::size_t group = 4,
                                                                       char separator = ' ') noexcept {
    const std::size_t size = base32_grouped_size(encoded.size(), group);
    if (out.size() < size) return unexpected(base32_error{errc::output_too_small, 0});
    std::size_t written = 0;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (group != 0 && i != 0 && i % group == 0) out[written++] = separator;
        out[written++] = encoded[i];
    }
    return written;
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_BASE32_HPP_INCLUDED
