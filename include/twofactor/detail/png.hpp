// twofactor: the little of PNG that a QR code needs, without zlib: 1-bit grayscale images
// (PNG, RFC 2083 / ISO/IEC 15948), their pixel data in a zlib stream (RFC 1950) of stored,
// i.e. uncompressed, deflate blocks (RFC 1951 §3.2.4), CRC-32 (ISO 3309, as PNG §3.4 uses it)
// and Adler-32 (RFC 1950 §8.2).
//
// QR codes are small and mostly rendered once, so compression is not worth a dependency:
// stored blocks make a valid PNG that every decoder reads.
#ifndef TWOFACTOR_DETAIL_PNG_HPP_INCLUDED
#define TWOFACTOR_DETAIL_PNG_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace twofactor::inline v1::detail {

// CRC-32 with the reflected polynomial 0xEDB88320, one table lookup per byte.
inline constexpr auto crc32_table = [] {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}();

/// A running CRC-32: `update` with bytes, then `value()`. CRC-32("123456789") == 0xCBF43926.
class crc32 {
public:
    constexpr void update(std::byte b) noexcept {
        state_ = crc32_table[(state_ ^ std::to_integer<std::uint32_t>(b)) & 0xFFu] ^ (state_ >> 8);
    }
    constexpr void update(std::span<const std::byte> bytes) noexcept {
        for (const std::byte b : bytes) update(b);
    }
    [[nodiscard]] constexpr std::uint32_t value() const noexcept { return state_ ^ 0xFFFFFFFFu; }

private:
    std::uint32_t state_ = 0xFFFFFFFFu;
};

/// A running Adler-32 (RFC 1950 §8.2). Adler-32("Wikipedia") == 0x11E60398.
class adler32 {
public:
    constexpr void update(std::byte b) noexcept {
        a_ += std::to_integer<std::uint32_t>(b);
        if (a_ >= modulus) a_ -= modulus;
        b_ += a_;
        if (b_ >= modulus) b_ -= modulus;
    }
    constexpr void update(std::span<const std::byte> bytes) noexcept {
        for (const std::byte b : bytes) update(b);
    }
    [[nodiscard]] constexpr std::uint32_t value() const noexcept { return (b_ << 16) | a_; }

private:
    static constexpr std::uint32_t modulus = 65521;  // the largest prime below 2^16
    std::uint32_t a_ = 1;
    std::uint32_t b_ = 0;
};

/// The largest payload of one stored deflate block (LEN is 16 bits).
inline constexpr std::uint64_t deflate_stored_block_max = 65535;

/// The size of a zlib stream holding `raw` bytes in stored blocks: 2 header bytes, 5 bytes
/// (BFINAL/BTYPE byte, LEN, NLEN) per block of up to 65535 bytes (at least one block), the
/// data, and the 4-byte Adler-32.
[[nodiscard]] constexpr std::uint64_t zlib_stored_size(std::uint64_t raw) noexcept {
    const std::uint64_t blocks =
        raw == 0 ? 1 : (raw + deflate_stored_block_max - 1) / deflate_stored_block_max;
    return 2 + 5 * blocks + raw + 4;
}

/// The size of a PNG file of one IHDR, one IDAT and one IEND chunk whose IDAT holds `raw`
/// bytes of filtered scanlines: 8 signature bytes, 12 bytes of length, type and CRC per chunk,
/// 13 bytes of IHDR data.
[[nodiscard]] constexpr std::uint64_t png_size(std::uint64_t raw) noexcept {
    return 8 + (12 + 13) + (12 + zlib_stored_size(raw)) + 12;
}

/// The scanline bytes of a 1-bit grayscale image: per row, filter type 0 and ⌈width / 8⌉ bytes.
[[nodiscard]] constexpr std::uint64_t png_gray1_raw_size(std::uint32_t width, std::uint32_t height) noexcept {
    return static_cast<std::uint64_t>(height) * (1 + (static_cast<std::uint64_t>(width) + 7) / 8);
}

// Writes a PNG chunk's bytes to `sink` (anything with put(std::byte)) while computing the CRC
// over its type and data (PNG §5.3).
template <class Sink>
class png_chunk_writer {
public:
    constexpr png_chunk_writer(Sink& sink, std::string_view type, std::uint32_t length) noexcept
        : sink_(sink) {
        put_be32_raw(length);
        for (const char c : type) put(static_cast<std::byte>(c));
    }
    constexpr void put(std::byte b) noexcept {
        crc_.update(b);
        sink_.put(b);
    }
    constexpr void put_be32(std::uint32_t value) noexcept {
        for (int shift = 24; shift >= 0; shift -= 8) put(static_cast<std::byte>((value >> shift) & 0xFFu));
    }
    constexpr void finish() noexcept { put_be32_raw(crc_.value()); }

private:
    constexpr void put_be32_raw(std::uint32_t value) noexcept {
        for (int shift = 24; shift >= 0; shift -= 8)
            sink_.put(static_cast<std::byte>((value >> shift) & 0xFFu));
    }
    Sink& sink_;
    crc32 crc_;
};

/**
 * Writes a complete 1-bit grayscale, non-interlaced PNG of `width` × `height` pixels to
 * `sink`. `row_byte(y, i)` returns byte i (0..⌈width / 8⌉ - 1) of scanline y, pixels most
 * significant bit first, 0 = black and 1 = white; unused low bits of the last byte are
 * ignored by decoders. Exactly png_size(png_gray1_raw_size(width, height)) bytes are written.
 * Preconditions: 1 <= width, height <= 2^31 - 1, and the raw size fits an IDAT chunk.
 */
template <class Sink, class RowByte>
constexpr void write_png_gray1(Sink& sink, std::uint32_t width, std::uint32_t height,
                               RowByte&& row_byte) noexcept {
    constexpr std::array<std::uint8_t, 8> signature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    for (const std::uint8_t b : signature) sink.put(static_cast<std::byte>(b));

    {
        png_chunk_writer<Sink> ihdr(sink, "IHDR", 13);
        ihdr.put_be32(width);
        ihdr.put_be32(height);
        ihdr.put(std::byte{1});  // bit depth
        ihdr.put(std::byte{0});  // colour type 0: grayscale
        ihdr.put(std::byte{0});  // compression method 0: deflate
        ihdr.put(std::byte{0});  // filter method 0
        ihdr.put(std::byte{0});  // no interlace
        ihdr.finish();
    }

    const std::uint64_t row_bytes = (static_cast<std::uint64_t>(width) + 7) / 8;
    const std::uint64_t raw = png_gray1_raw_size(width, height);
    {
        png_chunk_writer<Sink> idat(sink, "IDAT", static_cast<std::uint32_t>(zlib_stored_size(raw)));
        // zlib header (RFC 1950 §2.2): CM 8 (deflate), CINFO 7 (32 KiB window), no dictionary,
        // FLEVEL 0; FCHECK makes 0x7801 a multiple of 31.
        idat.put(std::byte{0x78});
        idat.put(std::byte{0x01});
        adler32 checksum;
        std::uint64_t remaining = raw;  // bytes not yet written
        std::uint64_t block_left = 0;   // bytes left in the current stored block
        const auto put_data = [&](std::byte b) {
            if (block_left == 0) {
                // A stored block header (RFC 1951 §3.2.3, §3.2.4): BFINAL, BTYPE 00, then
                // aligned LEN and NLEN, little-endian.
                block_left = remaining < deflate_stored_block_max ? remaining : deflate_stored_block_max;
                const auto len = static_cast<std::uint16_t>(block_left);
                const auto nlen = static_cast<std::uint16_t>(~len);
                idat.put(std::byte{remaining == block_left ? std::uint8_t{1} : std::uint8_t{0}});
                idat.put(static_cast<std::byte>(len & 0xFFu));
                idat.put(static_cast<std::byte>(len >> 8));
                idat.put(static_cast<std::byte>(nlen & 0xFFu));
                idat.put(static_cast<std::byte>(nlen >> 8));
            }
            idat.put(b);
            checksum.update(b);
            --block_left;
            --remaining;
        };
        for (std::uint32_t y = 0; y < height; ++y) {
            put_data(std::byte{0});  // filter type 0: None
            for (std::uint64_t i = 0; i < row_bytes; ++i)
                put_data(row_byte(y, static_cast<std::uint32_t>(i)));
        }
        idat.put_be32(checksum.value());
        idat.finish();
    }

    png_chunk_writer<Sink> iend(sink, "IEND", 0);
    iend.finish();
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_PNG_HPP_INCLUDED
