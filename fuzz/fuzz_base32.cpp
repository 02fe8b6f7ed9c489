// libFuzzer target: base32 (RFC 4648 §6) decoding of arbitrary text in both modes, and encoding
// of arbitrary bytes. Checks round trips and error positions, not just the absence of crashes.
//
// Invariants:
//   - strict success: the text is exactly the canonical encoding of the bytes, padded when it
//     has '=' and unpadded otherwise; the bytes also decode leniently to the same bytes;
//   - lenient success: the text without separators and '=', uppercased, is the unpadded
//     canonical encoding of the bytes, and strict re-encoding then strict decoding round trips;
//   - any failure: a base32 error code, a position within the text (at the culprit, or at the
//     end for missing padding), the output buffer untouched; at an invalid character the
//     character really is outside what the mode accepts;
//   - a decode into a buffer one byte too small fails with {output_too_small, 0};
//   - encoding arbitrary bytes (padded, unpadded, grouped) decodes back to the same bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <twofactor/base32.hpp>

#include "fuzz_support.hpp"

namespace tf = twofactor;

namespace {

constexpr std::byte sentinel{0xA5};

bool is_base32_error(tf::errc code) {
    return code == tf::errc::invalid_base32_character || code == tf::errc::invalid_base32_length ||
           code == tf::errc::invalid_base32_padding || code == tf::errc::non_canonical_base32;
}

bool in_alphabet(char c, bool lowercase_too) {
    if (c >= 'A' && c <= 'Z') return true;
    if (c >= '2' && c <= '7') return true;
    return lowercase_too && c >= 'a' && c <= 'z';
}

bool is_separator(char c) { return c == ' ' || c == '\t' || c == '-'; }

std::string encode(std::span<const std::byte> bytes, tf::base32_padding padding) {
    std::string text(tf::base32_encoded_size(bytes.size(), padding), '\0');
    const auto n = tf::base32_encode(bytes, text, padding);
    FUZZ_CHECK(n.has_value());
    FUZZ_CHECK(*n == text.size());
    return text;
}

// Decodes into an exactly-sized buffer after checking the failure modes of smaller ones.
// Returns false when the text is rejected.
bool decode(std::string_view text, tf::base32_mode mode, std::vector<std::byte>& bytes) {
    const bool lenient = mode == tf::base32_mode::lenient;
    std::vector<std::byte> out(tf::base32_decoded_max_size(text.size()), sentinel);
    const auto n = tf::base32_decode(text, out, mode);
    if (!n) {
        const tf::base32_error e = n.error();
        FUZZ_CHECK(is_base32_error(e.code));
        FUZZ_CHECK(e.position <= text.size());
        // Only missing padding at the end is reported one past the text.
        if (e.position == text.size()) FUZZ_CHECK(e.code == tf::errc::invalid_base32_padding);
        if (e.code == tf::errc::invalid_base32_character) {
            const char c = text[e.position];
            FUZZ_CHECK(!in_alphabet(c, lenient) && c != '=' && !(lenient && is_separator(c)));
            // ...and it is the first such character.
            for (std::size_t i = 0; i < e.position; ++i) {
                const char d = text[i];
                FUZZ_CHECK(in_alphabet(d, lenient) || d == '=' || (lenient && is_separator(d)));
            }
        }
        if (e.code == tf::errc::invalid_base32_length || e.code == tf::errc::non_canonical_base32) {
            FUZZ_CHECK(in_alphabet(text[e.position], lenient));
        }
        FUZZ_CHECK(std::all_of(out.begin(), out.end(), [](std::byte b) { return b == sentinel; }));
        return false;
    }
    FUZZ_CHECK(*n <= out.size());
    FUZZ_CHECK(std::all_of(out.begin() + static_cast<std::ptrdiff_t>(*n), out.end(),
                           [](std::byte b) { return b == sentinel; }));
    bytes.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(*n));

    // One byte short: output_too_small at position 0, nothing written.
    if (*n > 0) {
        std::vector<std::byte> small(*n - 1, sentinel);
        const auto failed = tf::base32_decode(text, small, mode);
        FUZZ_CHECK(!failed);
        FUZZ_CHECK(failed.error() == (tf::base32_error{tf::errc::output_too_small, 0}));
        FUZZ_CHECK(std::all_of(small.begin(), small.end(), [](std::byte b) { return b == sentinel; }));
    }
    return true;
}

void check_decoding(std::string_view text) {
    std::vector<std::byte> strict;
    std::vector<std::byte> lenient;
    const bool strict_ok = decode(text, tf::base32_mode::strict, strict);
    const bool lenient_ok = decode(text, tf::base32_mode::lenient, lenient);

    if (strict_ok) {
        // Canonical: the text is what the encoder writes, padded exactly when it has padding.
        const bool padded = text.find('=') != std::string_view::npos;
        const std::string again =
            encode(strict, padded ? tf::base32_padding::include : tf::base32_padding::omit);
        FUZZ_CHECK(again == text);
        // Whatever strict mode accepts, lenient mode accepts with the same bytes.
        FUZZ_CHECK(lenient_ok);
        FUZZ_CHECK(lenient == strict);
    }
    if (lenient_ok) {
        // The data characters, uppercased, are the unpadded canonical encoding.
        std::string normalised;
        for (const char c : text) {
            if (is_separator(c) || c == '=') continue;
            normalised += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        }
        const std::string canonical = encode(lenient, tf::base32_padding::omit);
        FUZZ_CHECK(normalised == canonical);
        std::vector<std::byte> back;
        FUZZ_CHECK(decode(canonical, tf::base32_mode::strict, back));
        FUZZ_CHECK(back == lenient);
    }
}

void check_encoding(std::span<const std::byte> bytes) {
    const std::string padded = encode(bytes, tf::base32_padding::include);
    const std::string unpadded = encode(bytes, tf::base32_padding::omit);
    FUZZ_CHECK(padded.size() % 8 == 0);
    FUZZ_CHECK(padded.starts_with(unpadded));
    FUZZ_CHECK(std::all_of(padded.begin() + static_cast<std::ptrdiff_t>(unpadded.size()), padded.end(),
                           [](char c) { return c == '='; }));
    FUZZ_CHECK(tf::base32_decoded_max_size(unpadded.size()) == bytes.size());
    for (const std::string* text : {&padded, &unpadded}) {
        for (const auto mode : {tf::base32_mode::strict, tf::base32_mode::lenient}) {
            std::vector<std::byte> back;
            FUZZ_CHECK(decode(*text, mode, back));
            FUZZ_CHECK(std::equal(back.begin(), back.end(), bytes.begin(), bytes.end()));
        }
    }
    // The grouped display form reads back leniently.
    std::string grouped(tf::base32_grouped_size(unpadded.size()), '\0');
    const auto g = tf::base32_group(unpadded, grouped);
    FUZZ_CHECK(g.has_value() && *g == grouped.size());
    std::vector<std::byte> back;
    FUZZ_CHECK(decode(grouped, tf::base32_mode::lenient, back));
    FUZZ_CHECK(std::equal(back.begin(), back.end(), bytes.begin(), bytes.end()));
    // An output buffer one character short is refused without writing.
    if (!padded.empty()) {
        std::string small(padded.size() - 1, '#');
        const auto failed = tf::base32_encode(bytes, small, tf::base32_padding::include);
        FUZZ_CHECK(!failed);
        FUZZ_CHECK(failed.error() == (tf::base32_error{tf::errc::output_too_small, 0}));
        FUZZ_CHECK(std::all_of(small.begin(), small.end(), [](char c) { return c == '#'; }));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_decoding(text);
    check_encoding(std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size));
    return 0;
}
