// Percent-encoding (RFC 3986 §2.1, §2.3) and the text checks (UTF-8, no control characters) for the
// Key URI: encoding of the label and parameter values, decoding with positions for errors.
#ifndef TWOFACTOR_DETAIL_PERCENT_ENCODING_HPP_INCLUDED
#define TWOFACTOR_DETAIL_PERCENT_ENCODING_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <cstddef>
#include <span>
#include <string_view>

#include "../error.hpp"
#include "utf8.hpp"

namespace twofactor::inline v1::detail {

/// A problem in a text, at an index into it.
struct uri_text_error {
    errc code;
    std::size_t position;
    friend constexpr bool operator==(const uri_text_error&, const uri_text_error&) = default;
};

/// RFC 3986 §2.3 "unreserved": A-Z a-z 0-9 - . _ ~
[[nodiscard]] constexpr bool is_unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// The characters the otpauth:// builder writes literally: the unreserved ones and '@' (a
/// "pchar" in paths and queries, RFC 3986 §3.3/§3.4, as in "alice@example.com"). Everything else
/// is written as %XX.
[[nodiscard]] constexpr bool is_uri_literal(char c) noexcept { return is_unreserved(c) || c == '@'; }

/// The length of `percent_encode(text)`: 1 per literal char, 3 per other byte.
[[nodiscard]] constexpr std::size_t percent_encoded_size(std::string_view text) noexcept {
    std::size_t size = 0;
    for (const char c : text) size += is_uri_literal(c) ? 1U : 3U;
    return size;
}

/// Writes `text` percent-encoded (uppercase hex, RFC 3986 §2.1: "%20" for a space, never '+')
/// at `out` and returns the number of chars written. Precondition: `out` has room for
/// `percent_encoded_size(text)` chars.
constexpr std::size_t percent_encode(std::string_view text, char* out) noexcept {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::size_t written = 0;
    for (const char c : text) {
        if (is_uri_literal(c)) {
            out[written++] = c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out[written++] = '%';
            out[written++] = hex[byte >> 4];
            out[written++] = hex[byte & 0x0F];
        }
    }
    return written;
}

/// The value of a hexadecimal digit (either case), or -1.
[[nodiscard]] constexpr int percent_hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// The index of the first '%' in `text` that is not followed by two hexadecimal digits, or npos.
[[nodiscard]] constexpr std::size_t find_bad_percent_escape(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') continue;
        if (i + 2 >= text.size() || percent_hex_value(text[i + 1]) < 0 ||
            percent_hex_value(text[i + 2]) < 0) {
            return i;
        }
        i += 2;
    }
    return std::string_view::npos;
}

/**
 * Decodes %XX escapes into `out` (every other byte, '+' included, is copied as it is: RFC 3986
 * has no "+ means space") and returns the number of bytes written.
 * Errors: {invalid_percent_encoding, index of the '%'}; {output_too_small, index in `text` of
 * the first byte that does not fit}.
 */
[[nodiscard]] constexpr result<std::size_t, uri_text_error> percent_decode(std::string_view text,
                                                                           std::span<char> out) noexcept {
    std::size_t written = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        const std::size_t at = i;
        if (c == '%') {
            if (i + 2 >= text.size() || percent_hex_value(text[i + 1]) < 0 ||
                percent_hex_value(text[i + 2]) < 0) {
                return unexpected(uri_text_error{errc::invalid_percent_encoding, i});
            }
            c = static_cast<char>(percent_hex_value(text[i + 1]) * 16 + percent_hex_value(text[i + 2]));
            i += 2;
        }
        if (written == out.size()) return unexpected(uri_text_error{errc::output_too_small, at});
        out[written++] = c;
    }
    return written;
}

/// The index in percent-encoded `text` where decoded byte `decoded_index` comes from (its '%'
/// for an escape); `text.size()` past the end. Precondition: `text` has no bad escape.
[[nodiscard]] constexpr std::size_t percent_source_position(std::string_view text,
                                                            std::size_t decoded_index) noexcept {
    std::size_t i = 0;
    for (std::size_t decoded = 0; i < text.size() && decoded < decoded_index; ++decoded) {
        i += text[i] == '%' ? 3U : 1U;
    }
    return i < text.size() ? i : text.size();
}

/**
 * Checks that `text` is well-formed UTF-8 (RFC 3629 §4: no overlong forms, no surrogates,
 * nothing above U+10FFFF) without control characters (U+0000..U+001F, U+007F..U+009F).
 * Errors: {invalid_utf8, index of the first byte of the bad sequence};
 * {invalid_label, index of the control character}.
 */
[[nodiscard]] constexpr result<void, uri_text_error> check_uri_text(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) return unexpected(uri_text_error{errc::invalid_utf8, i});
        const bool c0 = lead < 0x20 || lead == 0x7F;
        const bool c1 = lead == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if (c0 || c1) return unexpected(uri_text_error{errc::invalid_label, i});
        i += length;
    }
    return {};
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_PERCENT_ENCODING_HPP_INCLUDED
