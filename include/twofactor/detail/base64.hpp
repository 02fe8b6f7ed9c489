// Base64 decoding (RFC 4648 §4, the standard alphabet A-Z a-z 0-9 + /), strict: the data of
// Google Authenticator's otpauth-migration:// export, which carries secrets. As in base32.hpp,
// what a character is worth is computed without a branch or a table; only what kind of character
// it is (the text's layout, public like its length) is branched on, through declassify.
#ifndef TWOFACTOR_DETAIL_BASE64_HPP_INCLUDED
#define TWOFACTOR_DETAIL_BASE64_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "../error.hpp"
#include "constant_time.hpp"

namespace twofactor::inline v1::detail {

/// A base64 problem at an index into the text.
struct base64_error {
    errc code;
    std::size_t position;
    friend constexpr bool operator==(const base64_error&, const base64_error&) = default;
};

/// The most bytes `char_count` characters of base64 decode to.
[[nodiscard]] constexpr std::size_t base64_decoded_max_size(std::size_t char_count) noexcept {
    return char_count / 4 * 3 + char_count % 4 * 3 / 4;
}

enum class base64_char : std::uint8_t { data, padding, invalid };

// What `c` is: an alphabet character, '=' or anything else. The answer is public; the character
// is not.
[[nodiscard]] constexpr base64_char base64_kind(char c) noexcept {
    const std::uint32_t u = static_cast<unsigned char>(c);
    const std::uint32_t data = byte_in_range(u, 'A', 'Z') | byte_in_range(u, 'a', 'z') |
                               byte_in_range(u, '0', '9') | byte_in_range(u, '+', '+') |
                               byte_in_range(u, '/', '/');
    const std::uint32_t padding = byte_in_range(u, '=', '=');
    const std::uint32_t invalid = (data | padding) ^ 1u;  // at most one of them is 1
    return static_cast<base64_char>(declassify(padding | invalid << 1));
}

// The value 0..63 of an alphabet character: 'A'..'Z' from 0, 'a'..'z' from 26, '0'..'9' from
// 52, '+' 62, '/' 63. Each range contributes its offset masked by whether `c` is in it.
[[nodiscard]] constexpr std::uint32_t base64_data_value(char c) noexcept {
    const std::uint32_t u = static_cast<unsigned char>(c);
    return ((u - 'A') & (0u - byte_in_range(u, 'A', 'Z'))) |
           ((u - 'a' + 26u) & (0u - byte_in_range(u, 'a', 'z'))) |
           ((u - '0' + 52u) & (0u - byte_in_range(u, '0', '9'))) | (62u & (0u - byte_in_range(u, '+', '+'))) |
           (63u & (0u - byte_in_range(u, '/', '/')));
}

/**
 * Decodes `text` into `out` and returns the number of bytes written. Padding is optional, but
 * when present it must complete the last group of four exactly ("Zg==", "Zm8="); '=' elsewhere
 * is an error. The unused low bits of the last character must be zero (no encoder sets them,
 * and accepting them would let two texts mean the same bytes). Nothing else (no whitespace, no
 * URL-safe '-' '_') is accepted.
 * Errors, at the culprit: errc::invalid_base64 (a character outside the alphabet; misplaced or
 * wrong padding; a length that cannot be base64, one character past a group of four, positioned
 * at the end; non-zero unused bits, at the last character); errc::output_too_small (at the
 * first character whose byte does not fit).
 */
[[nodiscard]] constexpr result<std::size_t, base64_error> base64_decode(std::string_view text,
                                                                        std::span<std::byte> out) noexcept {
    std::size_t data_count = text.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
        const base64_char kind = base64_kind(text[i]);
        if (kind == base64_char::invalid) return unexpected(base64_error{errc::invalid_base64, i});
        if (kind == base64_char::padding) {
            data_count = i;
            break;
        }
    }
    // Padding: only at the end, 1 or 2 '=' completing a group of four.
    const std::size_t padding = text.size() - data_count;
    if (padding != 0) {
        const std::size_t residue = data_count % 4;
        const std::size_t expected = residue == 2 ? 2 : residue == 3 ? 1 : 0;
        for (std::size_t i = data_count; i < text.size(); ++i) {
            if (base64_kind(text[i]) != base64_char::padding)
                return unexpected(base64_error{errc::invalid_base64, i});
        }
        if (padding != expected) {
            return unexpected(
                base64_error{errc::invalid_base64, data_count + (padding < expected ? padding : expected)});
        }
    }
    if (data_count % 4 == 1) return unexpected(base64_error{errc::invalid_base64, data_count});

    std::uint32_t buffer = 0;  // holds up to 6 + 7 pending bits
    unsigned bits = 0;
    std::size_t written = 0;
    for (std::size_t i = 0; i < data_count; ++i) {
        buffer = (buffer << 6) | base64_data_value(text[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (written == out.size()) return unexpected(base64_error{errc::output_too_small, i});
            out[written++] = static_cast<std::byte>((buffer >> bits) & 0xFFu);
        }
    }
    // Left over: 0, 2 or 4 bits, which must be zero.
    if (declassify(buffer & ((1u << bits) - 1u)) != 0) {
        return unexpected(base64_error{errc::invalid_base64, data_count - 1});
    }
    return written;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_BASE64_HPP_INCLUDED
