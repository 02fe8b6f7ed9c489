// UTF-8 well-formedness (RFC 3629 §4): shared by the otpauth:// label checks and the QR encoder,
// which declares UTF-8 (ECI 26) only for text that is UTF-8.
#ifndef TWOFACTOR_DETAIL_UTF8_HPP_INCLUDED
#define TWOFACTOR_DETAIL_UTF8_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <cstddef>
#include <string_view>

namespace twofactor::inline v1::detail {

/**
 * The length (1..4) of the well-formed UTF-8 sequence that starts at `text[at]`, or 0 when
 * none does: a stray continuation byte, an overlong form, a surrogate, a code point above
 * U+10FFFF, or a sequence cut short by the end of `text`. Requires `at < text.size()`.
 */
[[nodiscard]] constexpr std::size_t utf8_sequence_length(std::string_view text, std::size_t at) noexcept {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned lead = byte(at);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned low = 0x80;  // allowed range of the second byte (RFC 3629 §4 syntax)
    unsigned high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // no overlong forms
        if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // no overlong forms
        if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (text.size() - at < length) return 0;
    if (byte(at + 1) < low || byte(at + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(at + k) < 0x80 || byte(at + k) > 0xBF) return 0;
    }
    return length;
}

/// True when all of `text` is well-formed UTF-8 (an empty or ASCII text is).
[[nodiscard]] constexpr bool is_utf8(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

/// True when `text` holds a byte above 0x7F. Reads every byte, whatever they are: the text may
/// hold a secret (an otpauth:// URI).
[[nodiscard]] constexpr bool has_non_ascii(std::string_view text) noexcept {
    unsigned seen = 0;
    for (const char c : text) seen |= static_cast<unsigned char>(c);
    return (seen & 0x80u) != 0;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_UTF8_HPP_INCLUDED
