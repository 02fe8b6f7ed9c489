// A reader of the Protocol Buffers wire format (protobuf.dev, "Encoding"): the fields of one
// message, in order, each checked against the bytes that remain. Enough for Google
// Authenticator's export (otpauth_migration.hpp); no schema, no allocation, no recursion (a
// nested message is read by a second reader over the field's bytes).
#ifndef TWOFACTOR_DETAIL_PROTOBUF_HPP_INCLUDED
#define TWOFACTOR_DETAIL_PROTOBUF_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <cstddef>
#include <cstdint>
#include <span>

namespace twofactor::inline v1::detail {

enum class protobuf_wire_type : std::uint8_t {
    varint = 0,            // int32, int64, uint32, uint64, sint32, sint64, bool, enum
    fixed64 = 1,           // fixed64, sfixed64, double
    length_delimited = 2,  // string, bytes, embedded messages, packed repeated fields
    start_group = 3,       // deprecated groups: refused
    end_group = 4,
    fixed32 = 5,  // fixed32, sfixed32, float
};

/// One field: its number, wire type, and value (`number` for varint, fixed64 and fixed32;
/// `bytes` for length-delimited).
struct protobuf_field {
    std::uint32_t number = 0;
    protobuf_wire_type type = protobuf_wire_type::varint;
    std::uint64_t value = 0;
    std::span<const std::byte> bytes;
};

class protobuf_reader {
public:
    /// The largest field number the format allows (2^29 - 1).
    static constexpr std::uint32_t max_field_number = (1u << 29) - 1;

    constexpr explicit protobuf_reader(std::span<const std::byte> message) noexcept : rest_(message) {}

    /**
     * Reads the next field into `field`. Returns false at the end of the message, and also when
     * the message is malformed (then `malformed()` is true and stays true): a varint longer than
     * ten bytes or above 2^64 - 1, a field number 0 or above max_field_number, a group, an
     * unknown wire type, or a value that runs past the end.
     */
    [[nodiscard]] constexpr bool next(protobuf_field& field) noexcept {
        if (malformed_ || rest_.empty()) return false;
        std::uint64_t tag = 0;
        if (!read_varint(tag) || tag > 0xFFFFFFFFu) return fail();
        field.number = static_cast<std::uint32_t>(tag >> 3);
        const auto type = static_cast<std::uint8_t>(tag & 7u);
        if (field.number == 0 || field.number > max_field_number) return fail();
        field.value = 0;
        field.bytes = {};
        switch (type) {
            case 0: field.type = protobuf_wire_type::varint; return read_varint(field.value) || fail();
            case 1: field.type = protobuf_wire_type::fixed64; return read_fixed(8, field.value) || fail();
            case 2: {
                field.type = protobuf_wire_type::length_delimited;
                std::uint64_t length = 0;
                if (!read_varint(length) || length > rest_.size()) return fail();
                field.bytes = rest_.first(static_cast<std::size_t>(length));
                rest_ = rest_.subspan(static_cast<std::size_t>(length));
                return true;
            }
            case 5: field.type = protobuf_wire_type::fixed32; return read_fixed(4, field.value) || fail();
            default: return fail();  // 3 and 4 (groups), 6 and 7 (not defined)
        }
    }

    /// Whether reading stopped at malformed bytes rather than at the end.
    [[nodiscard]] constexpr bool malformed() const noexcept { return malformed_; }

private:
    constexpr bool fail() noexcept {
        malformed_ = true;
        return false;
    }

    // Base 128, least significant group first; at most ten bytes, the tenth holding bit 63 only.
    constexpr bool read_varint(std::uint64_t& value) noexcept {
        value = 0;
        for (unsigned i = 0; i < 10; ++i) {
            if (rest_.empty()) return false;
            const auto byte = static_cast<std::uint8_t>(rest_.front());
            rest_ = rest_.subspan(1);
            if (i == 9 && byte > 1) return false;
            value |= std::uint64_t{byte & 0x7Fu} << (7 * i);
            if ((byte & 0x80u) == 0) return true;
        }
        return false;
    }

    // Little-endian, `size` bytes.
    constexpr bool read_fixed(std::size_t size, std::uint64_t& value) noexcept {
        if (rest_.size() < size) return false;
        value = 0;
        for (std::size_t i = 0; i < size; ++i)
            value |= std::uint64_t{static_cast<std::uint8_t>(rest_[i])} << (8 * i);
        rest_ = rest_.subspan(size);
        return true;
    }

    std::span<const std::byte> rest_;
    bool malformed_ = false;
};

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_PROTOBUF_HPP_INCLUDED
