// twofactor: the line-based text form shared by stored records (the account record, the
// enrollment wizard's state): a header line "<kind> <version>", then "<field> <value>" lines,
// then "checksum <SHA-256 of every byte before this line, lowercase hex>". The checksum
// catches corruption and truncation (it is not a MAC: an attacker who can write the record
// can recompute it).
#ifndef TWOFACTOR_DETAIL_RECORD_TEXT_HPP_INCLUDED
#define TWOFACTOR_DETAIL_RECORD_TEXT_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "../error.hpp"
#include "../hash.hpp"
#include "percent_encoding.hpp"

namespace twofactor::inline v1 {

/// Why a stored record was rejected, and on which line (1-based; 0 when the problem is the
/// record as a whole, e.g. a missing field).
struct record_error {
    errc code;
    std::size_t line;
    friend constexpr bool operator==(const record_error&, const record_error&) = default;
};

}  // namespace twofactor::inline v1

namespace twofactor::inline v1::detail {

inline constexpr std::string_view record_checksum_field = "checksum";
inline constexpr std::size_t record_checksum_hex_size = 2 * sha256::digest_size;
inline constexpr std::string_view lowercase_hex_digits = "0123456789abcdef";

/// Decimal digits of `value`.
[[nodiscard]] constexpr std::size_t decimal_size(std::uint64_t value) noexcept {
    std::size_t n = 1;
    while (value >= 10) {
        value /= 10;
        ++n;
    }
    return n;
}

/**
 * Writes a record, or only counts its length when constructed with a null pointer (the same
 * code computes the size and the text, so they cannot disagree). Values are written as given:
 * callers pass text that has no spaces or line breaks, or use `encoded`.
 */
class record_writer {
public:
    constexpr explicit record_writer(char* out) noexcept : out_(out) {}

    constexpr void header(std::string_view kind, std::uint32_t version) noexcept {
        put(kind);
        put(" ");
        number(version);
        put("\n");
    }
    /// Starts "<name> "; finish the line with values and `end_line`.
    constexpr void field(std::string_view name) noexcept {
        put(name);
        put(" ");
    }
    constexpr void end_line() noexcept { put("\n"); }

    constexpr void put(std::string_view text) noexcept {
        if (out_ != nullptr)
            for (std::size_t i = 0; i < text.size(); ++i) out_[size_ + i] = text[i];
        size_ += text.size();
    }
    constexpr void number(std::uint64_t value) noexcept {
        std::array<char, 20> digits{};
        std::size_t n = 0;
        do {
            digits[n++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0);
        while (n > 0) put(std::string_view(&digits[--n], 1));
    }
    constexpr void signed_number(std::int64_t value) noexcept {
        if (value < 0) {
            put("-");
            number(std::uint64_t{0} - static_cast<std::uint64_t>(value));
        } else {
            number(static_cast<std::uint64_t>(value));
        }
    }
    constexpr void hex(std::span<const std::byte> bytes) noexcept {
        for (const std::byte b : bytes) {
            const auto value = static_cast<unsigned>(b);
            const std::array<char, 2> pair{lowercase_hex_digits[value >> 4],
                                           lowercase_hex_digits[value & 15]};
            put(std::string_view(pair.data(), 2));
        }
    }
    /// UTF-8 text percent-encoded as in a URI (no spaces or controls remain).
    constexpr void encoded(std::string_view text) noexcept {
        if (out_ != nullptr)
            size_ += percent_encode(text, out_ + size_);
        else
            size_ += percent_encoded_size(text);
    }
    /// Ends the record with its checksum line (needs the written text, so a counting writer
    /// only adds the line's length).
    constexpr void checksum() noexcept {
        if (out_ == nullptr) {
            size_ += record_checksum_field.size() + 1 + record_checksum_hex_size + 1;
            return;
        }
        const auto digest = checksum_of(std::string_view(out_, size_));
        field(record_checksum_field);
        hex(digest.bytes);
        end_line();
    }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }

    [[nodiscard]] static constexpr sha256::digest_type checksum_of(std::string_view text) noexcept {
        sha256 h;
        for (const char c : text) {
            const std::byte b = static_cast<std::byte>(c);
            h.update(std::span<const std::byte>(&b, 1));
        }
        return h.finalize();
    }

private:
    char* out_;
    std::size_t size_ = 0;
};

/// Parses a canonical unsigned decimal: digits only, no sign, no leading zero (except "0"),
/// at most `max`.
[[nodiscard]] constexpr bool parse_decimal(
    std::string_view text, std::uint64_t& value,
    std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) noexcept {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
    std::uint64_t result = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (digit > max || result > (max - digit) / 10) return false;
        result = result * 10 + digit;
    }
    value = result;
    return true;
}

/// Parses a canonical signed decimal: as parse_decimal, with an optional '-' (not "-0").
[[nodiscard]] constexpr bool parse_signed_decimal(std::string_view text, std::int64_t& value) noexcept {
    const bool negative = !text.empty() && text[0] == '-';
    std::uint64_t magnitude = 0;
    constexpr auto max_positive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (!parse_decimal(negative ? text.substr(1) : text, magnitude,
                       negative ? max_positive + 1 : max_positive))
        return false;
    if (negative && magnitude == 0) return false;
    value = negative ? static_cast<std::int64_t>(std::uint64_t{0} - magnitude)
                     : static_cast<std::int64_t>(magnitude);
    return true;
}

/// Parses exactly `out.size()` bytes of lowercase hex.
[[nodiscard]] constexpr bool parse_hex(std::string_view text, std::span<std::byte> out) noexcept {
    if (text.size() != 2 * out.size()) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int high = nibble(text[2 * i]);
        const int low = nibble(text[2 * i + 1]);
        if (high < 0 || low < 0) return false;
        out[i] = static_cast<std::byte>(high * 16 + low);
    }
    return true;
}

/// Decodes a percent-encoded name field into `out`: its size, or errc::label_too_long (it does
/// not fit) or errc::invalid_field_value (not the canonical form, the one record_writer::encoded
/// writes).
template <std::size_t Capacity>
[[nodiscard]] constexpr result<std::size_t, errc> decode_record_name(
    std::string_view text, std::array<char, Capacity>& out) noexcept {
    const auto decoded = percent_decode(text, out);
    if (!decoded)
        return unexpected(decoded.error().code == errc::output_too_small ? errc::label_too_long
                                                                         : errc::invalid_field_value);
    const std::string_view name(out.data(), *decoded);
    if (percent_encoded_size(name) != text.size()) return unexpected(errc::invalid_field_value);
    std::array<char, 3 * Capacity> again{};
    (void)percent_encode(name, again.data());
    if (std::string_view(again.data(), text.size()) != text) return unexpected(errc::invalid_field_value);
    return *decoded;
}

/// One "<name> <value>" line of a record.
struct record_line {
    std::string_view name;
    std::string_view value;
    std::size_t number = 0;  ///< 1-based line number
};

/**
 * Checks a record's frame: the header "<kind> <version>" on line 1, only printable ASCII and
 * '\n', a final '\n', and the checksum line last; then hands out the field lines between.
 * Errors: not_a_record (another header), unsupported_record_version, invalid_field_value (a
 * byte that is not printable ASCII, even in our header: a '\r' of CRLF line ends), record_trailing_data
 * (anything, even an empty line, after a checksum line: on the first line after it), record_truncated (no
 * final '\n' or no checksum line), record_checksum_mismatch.
 */
class record_reader {
public:
    [[nodiscard]] static constexpr result<record_reader, record_error> open(std::string_view text,
                                                                            std::string_view kind,
                                                                            std::uint32_t version) noexcept {
        // The header first, so that any other file is "not a record" rather than "truncated".
        const std::size_t header_end = text.find('\n');
        const std::string_view header = text.substr(0, header_end);
        if (header.size() <= kind.size() || header.substr(0, kind.size()) != kind ||
            header[kind.size()] != ' ')
            return unexpected(record_error{errc::not_a_record, 1});
        // Our header with a stray byte, say the '\r' of a file saved with CRLF line ends: name
        // the byte, not the kind of file.
        for (const char c : header)
            if (!is_printable_ascii(c)) return unexpected(record_error{errc::invalid_field_value, 1});
        std::uint64_t found_version = 0;
        if (!parse_decimal(header.substr(kind.size() + 1), found_version, 0xffffffffU))
            return unexpected(record_error{errc::not_a_record, 1});
        if (found_version != version) return unexpected(record_error{errc::unsupported_record_version, 1});

        std::size_t line = 1;
        for (const char c : text) {
            if (c == '\n') {
                ++line;
            } else if (!is_printable_ascii(c)) {
                return unexpected(record_error{errc::invalid_field_value, line});
            }
        }
        // A checksum line before the last one: whatever follows it (a second record, say) is
        // not part of this record.
        if (const std::size_t after = line_after_first_checksum(text); after != 0)
            return unexpected(record_error{errc::record_trailing_data, after});
        if (text.empty() || text.back() != '\n')
            return unexpected(record_error{errc::record_truncated, line});

        // The last line: "checksum <hex>" over every byte before it.
        const std::size_t last_start = text.find_last_of('\n', text.size() - 2) + 1;
        const std::size_t checksum_line = line - 1;
        if (last_start <= header_end) return unexpected(record_error{errc::record_truncated, checksum_line});
        const std::string_view last = text.substr(last_start, text.size() - 1 - last_start);
        std::array<std::byte, sha256::digest_size> stored{};
        if (!has_checksum_line_shape(last))
            return unexpected(record_error{errc::record_truncated, checksum_line});
        if (!parse_hex(last.substr(record_checksum_field.size() + 1), stored))
            return unexpected(record_error{errc::record_checksum_mismatch, checksum_line});
        const auto computed = record_writer::checksum_of(text.substr(0, last_start));
        if (computed.bytes != stored)  // not secret: a plain comparison
            return unexpected(record_error{errc::record_checksum_mismatch, checksum_line});

        record_reader reader;
        reader.rest_ = text.substr(header_end + 1, last_start - header_end - 1);
        reader.line_ = 1;
        return reader;
    }

    /// The next field line into `line`; false after the last one. Error: invalid_field_value
    /// (a line without a space, or with an empty name).
    [[nodiscard]] constexpr result<bool, record_error> next(record_line& line) noexcept {
        if (rest_.empty()) return false;
        const std::size_t end = rest_.find('\n');
        const std::string_view text = rest_.substr(0, end);
        rest_ = rest_.substr(end + 1);
        ++line_;
        const std::size_t space = text.find(' ');
        if (space == std::string_view::npos || space == 0)
            return unexpected(record_error{errc::invalid_field_value, line_});
        line = record_line{text.substr(0, space), text.substr(space + 1), line_};
        return true;
    }

private:
    constexpr record_reader() noexcept = default;

    [[nodiscard]] static constexpr bool is_printable_ascii(char c) noexcept {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte <= 0x7e;
    }

    // "checksum " and as many characters as the checksum has hex digits (which may be wrong).
    [[nodiscard]] static constexpr bool has_checksum_line_shape(std::string_view line) noexcept {
        const std::size_t prefix = record_checksum_field.size() + 1;
        return line.size() == prefix + record_checksum_hex_size &&
               line.substr(0, prefix - 1) == record_checksum_field && line[prefix - 1] == ' ';
    }

    // The number of the line after the first line of a checksum line's shape (ended by '\n',
    // not the header) that has text after it; 0 when there is none.
    [[nodiscard]] static constexpr std::size_t line_after_first_checksum(std::string_view text) noexcept {
        std::size_t number = 1;
        for (std::size_t start = 0; start < text.size(); ++number) {
            const std::size_t end = text.find('\n', start);
            if (end == std::string_view::npos) break;  // the last line, unended
            const std::string_view current = text.substr(start, end - start);
            if (number > 1 && has_checksum_line_shape(current) && end + 1 < text.size()) return number + 1;
            start = end + 1;
        }
        return 0;
    }

    std::string_view rest_;
    std::size_t line_ = 0;
};

/// Tracks which of up to 64 fields have been seen, for duplicate_field and missing_field.
class record_fields_seen {
public:
    /// Marks field `index`; duplicate_field on `line` when it was seen before.
    [[nodiscard]] constexpr result<void, record_error> mark(std::size_t index, std::size_t line) noexcept {
        const std::uint64_t bit = std::uint64_t{1} << index;
        if ((seen_ & bit) != 0) return unexpected(record_error{errc::duplicate_field, line});
        seen_ |= bit;
        return {};
    }
    [[nodiscard]] constexpr bool has(std::size_t index) const noexcept { return (seen_ >> index) & 1u; }

private:
    std::uint64_t seen_ = 0;
};

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_RECORD_TEXT_HPP_INCLUDED
