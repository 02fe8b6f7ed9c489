// twofactor: drawing a QR code (twofactor/qr.hpp) as SVG, as UTF-8 text for a terminal, as PNG
// and as PBM, into caller buffers.
//
// Formats: SVG 1.1 (W3C); PNG (RFC 2083 / ISO/IEC 15948) with a zlib stream (RFC 1950) of
// stored deflate blocks (RFC 1951), see detail/png.hpp; PBM "P4" (Netpbm). The quiet zone,
// the light margin of 4 modules that ISO/IEC 18004:2015 §6.3.8 asks for around the symbol, is
// part of every image.
//
// Every renderer comes in three forms:
// - `*_size(code, options)`: the exact number of bytes the output takes, so a caller can
//   allocate exactly;
// - `render_*(code, out, options)`: writes into a caller buffer, returns the bytes written;
//   no allocation, usable in constant expressions;
// - `to_*(code, options)`: a std::string or std::vector<std::byte>, for code at the edge of a
//   program that allocates anyway.
// Errors: errc::invalid_qr_options for options out of range, errc::output_too_small when the
// buffer is shorter than `*_size`; on error nothing is written.
#ifndef TWOFACTOR_QR_RENDER_HPP_INCLUDED
#define TWOFACTOR_QR_RENDER_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detail/png.hpp"
#include "error.hpp"
#include "qr.hpp"

namespace twofactor::inline v1 {

/// The largest quiet zone, in modules, the renderers accept.
inline constexpr int qr_max_quiet_zone = 64;
/// The largest width or height in pixels of a PNG or PBM image.
inline constexpr int qr_max_image_side = 1 << 16;

/// SVG output options. `quiet_zone`: light modules around the symbol, 0..qr_max_quiet_zone
/// (ISO/IEC 18004 asks for at least 4). `xml_declaration`: start with `<?xml ...?>`, as a
/// standalone .svg file should; false for an `<svg>` element inlined in an HTML page, where a
/// declaration does not belong.
struct qr_svg_options {
    int quiet_zone = 4;
    bool xml_declaration = true;
};

/**
 * Which modules the block characters of terminal output draw, and with which colours.
 *
 * A terminal draws a block character in its foreground colour and a space in its
 * background colour, and which of the two is light depends on the user's theme. A QR code
 * must be dark on light (readers handle inverted codes unevenly), so:
 */
enum class qr_terminal_palette {
    /**
     * The default, right on every terminal that understands ANSI colours (practically all):
     * each line starts with SGR 97;40 (bright white foreground on black background) and ends
     * with SGR 0 (reset), and the block characters draw the light modules. The colours are
     * explicit, so the theme does not matter.
     */
    ansi,
    /**
     * No escape sequences; the block characters draw the light modules, spaces are dark. Right
     * on terminals with light text on a dark background (the common default), inverted on
     * light-background terminals.
     */
    light_blocks,
    /**
     * No escape sequences; the block characters draw the dark modules, spaces are light. Right
     * on light-background terminals, on paper and in text files.
     */
    dark_blocks,
};

/// Terminal output options. `quiet_zone`: 0..qr_max_quiet_zone modules.
struct qr_terminal_options {
    qr_terminal_palette palette = qr_terminal_palette::ansi;
    int quiet_zone = 4;
};

/// PNG and PBM output options: `scale` pixels per module side (1..; the image side, (size + 2 ·
/// quiet_zone) · scale, at most qr_max_image_side), `quiet_zone` 0..qr_max_quiet_zone modules.
struct qr_image_options {
    int scale = 8;
    int quiet_zone = 4;
};

namespace detail {

// Output targets: `counting_sink` only counts; `span_sink` writes, and counts what did not fit.
template <class T>
struct counting_sink {
    std::size_t count = 0;
    constexpr void put(T) noexcept { ++count; }
};

template <class T>
struct span_sink {
    std::span<T> out;
    std::size_t count = 0;
    constexpr void put(T value) noexcept {
        if (count < out.size()) out[count] = value;
        ++count;
    }
};

template <class Sink>
constexpr void put_text(Sink& sink, std::string_view text) noexcept(noexcept(sink.put('\0'))) {
    for (const char c : text) sink.put(c);
}

template <class Sink>
constexpr void put_decimal(Sink& sink, int value) noexcept {
    char digits[12]{};
    int n = 0;
    auto v = static_cast<unsigned>(value);
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) sink.put(digits[--n]);
}

[[nodiscard]] constexpr bool valid_quiet_zone(int quiet_zone) noexcept {
    return quiet_zone >= 0 && quiet_zone <= qr_max_quiet_zone;
}

// One dark subpath per horizontal run of dark modules: "M{x},{y}h{n}v1h-{n}z".
template <class Sink, int MaxVersion>
constexpr void write_svg(Sink& sink, const basic_qr_code<MaxVersion>& code,
                         const qr_svg_options& options) noexcept {
    const int quiet_zone = options.quiet_zone;
    const int side = code.size() + 2 * quiet_zone;
    if (options.xml_declaration) put_text(sink, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    put_text(sink, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 ");
    put_decimal(sink, side);
    sink.put(' ');
    put_decimal(sink, side);
    put_text(sink, "\" shape-rendering=\"crispEdges\">\n<rect width=\"");
    put_decimal(sink, side);
    put_text(sink, "\" height=\"");
    put_decimal(sink, side);
    put_text(sink, "\" fill=\"#FFFFFF\"/>\n<path d=\"");
    bool first = true;
    for (int y = 0; y < code.size(); ++y) {
        for (int x = 0; x < code.size();) {
            if (!code.module(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (code.module(x + run, y)) ++run;
            if (!first) sink.put(' ');
            first = false;
            sink.put('M');
            put_decimal(sink, x + quiet_zone);
            sink.put(',');
            put_decimal(sink, y + quiet_zone);
            sink.put('h');
            put_decimal(sink, run);
            put_text(sink, "v1h-");
            put_decimal(sink, run);
            sink.put('z');
            x += run;
        }
    }
    put_text(sink, "\" fill=\"#000000\"/>\n</svg>\n");
}

// Two module rows per line: U+2580 ▀ upper half, U+2584 ▄ lower half, U+2588 █ full block.
// noexcept as the sink's put: our sinks cannot fail, an output iterator of {fmt}'s can throw
// (a buffer that cannot grow, a file that cannot be written), and that must reach its caller.
template <class Sink, int MaxVersion>
constexpr void write_terminal(Sink& sink, const basic_qr_code<MaxVersion>& code,
                              const qr_terminal_options& options) noexcept(noexcept(sink.put('\0'))) {
    const int q = options.quiet_zone;
    const bool blocks_are_dark = options.palette == qr_terminal_palette::dark_blocks;
    const bool ansi = options.palette == qr_terminal_palette::ansi;
    // The row below the last one (odd row count) is light: it extends the quiet zone.
    const auto drawn = [&](int x, int y) {
        if (y >= code.size() + q) return !blocks_are_dark;
        return code.module(x, y) == blocks_are_dark;
    };
    for (int top = -q; top < code.size() + q; top += 2) {
        if (ansi) put_text(sink, "\x1b[97;40m");
        for (int x = -q; x < code.size() + q; ++x) {
            const bool upper = drawn(x, top);
            const bool lower = drawn(x, top + 1);
            if (upper && lower)
                put_text(sink, "\xE2\x96\x88");
            else if (upper)
                put_text(sink, "\xE2\x96\x80");
            else if (lower)
                put_text(sink, "\xE2\x96\x84");
            else
                sink.put(' ');
        }
        if (ansi) put_text(sink, "\x1b[0m");
        sink.put('\n');
    }
}

// The image side in pixels, or 0 if the options are out of range.
template <int MaxVersion>
[[nodiscard]] constexpr int image_side(const basic_qr_code<MaxVersion>& code,
                                       const qr_image_options& options) noexcept {
    if (!valid_quiet_zone(options.quiet_zone) || options.scale < 1 || options.scale > qr_max_image_side)
        return 0;
    const long long side = static_cast<long long>(code.size() + 2 * options.quiet_zone) * options.scale;
    return side > qr_max_image_side ? 0 : static_cast<int>(side);
}

// Byte `index` of pixel row `y` of the image, 8 pixels most significant bit first, a bit set
// where the pixel is dark (PBM) or, with `light_is_one`, where it is light (PNG grayscale).
// Bits past the right edge are zero.
template <int MaxVersion>
[[nodiscard]] constexpr std::byte image_byte(const basic_qr_code<MaxVersion>& code,
                                             const qr_image_options& options, int side, int y, int index,
                                             bool light_is_one) noexcept {
    unsigned bits = 0;
    const int my = y / options.scale - options.quiet_zone;
    for (int k = 0; k < 8; ++k) {
        const int x = index * 8 + k;
        if (x >= side) break;
        const bool dark = code.module(x / options.scale - options.quiet_zone, my);
        if (dark != light_is_one) bits |= 0x80u >> k;
    }
    return static_cast<std::byte>(bits);
}

template <class Sink, int MaxVersion>
constexpr void write_pbm(Sink& sink, const basic_qr_code<MaxVersion>& code, const qr_image_options& options,
                         int side) noexcept {
    put_text(sink, "P4\n");
    put_decimal(sink, side);
    sink.put(' ');
    put_decimal(sink, side);
    sink.put('\n');
    const int row_bytes = (side + 7) / 8;
    for (int y = 0; y < side; ++y) {
        for (int i = 0; i < row_bytes; ++i) sink.put(image_byte(code, options, side, y, i, false));
    }
}

// Adapts a char sink to the bytes of a PBM header.
template <class ByteSink>
struct char_to_byte_sink {
    ByteSink& sink;
    constexpr void put(char c) noexcept { sink.put(static_cast<std::byte>(c)); }
    constexpr void put(std::byte b) noexcept { sink.put(b); }
};

template <class T>
[[nodiscard]] constexpr result<std::size_t> finish_render(const span_sink<T>& sink) noexcept {
    if (sink.count > sink.out.size()) return unexpected(errc::output_too_small);
    return sink.count;
}

}  // namespace detail

// ---- SVG ------------------------------------------------------------------------------------

/// The exact size in bytes of `render_svg`'s output for `code`.
/// Error: errc::invalid_qr_options (quiet zone out of range).
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> svg_size(const basic_qr_code<MaxVersion>& code,
                                                     const qr_svg_options& options = {}) noexcept {
    if (!detail::valid_quiet_zone(options.quiet_zone)) return unexpected(errc::invalid_qr_options);
    detail::counting_sink<char> sink;
    detail::write_svg(sink, code, options);
    return sink.count;
}

/**
 * Writes `code` as an SVG 1.1 document into `out` and returns its length (no NUL is written).
 * The image is `viewBox="0 0 N N"` with N = size + 2 · quiet_zone and no width or height, so
 * it scales to whatever box it is put in; a white rectangle covers the quiet zone, and one
 * black `<path>` holds all dark modules (one subpath per horizontal run), drawn with
 * `shape-rendering="crispEdges"` so that no seams appear between modules.
 *
 * Errors: errc::invalid_qr_options; errc::output_too_small if `out` is shorter than
 * `svg_size(code, options)`.
 *
 *     std::array<char, 16384> buffer;
 *     auto n = twofactor::render_svg(code, buffer);
 *     if (n) response.write(buffer.data(), *n);
 */
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> render_svg(const basic_qr_code<MaxVersion>& code,
                                                       std::span<char> out,
                                                       const qr_svg_options& options = {}) noexcept {
    const auto size = svg_size(code, options);
    if (!size) return unexpected(size.error());
    if (out.size() < *size) return unexpected(errc::output_too_small);
    detail::span_sink<char> sink{out};
    detail::write_svg(sink, code, options);
    return detail::finish_render(sink);
}

/// `render_svg` into a new std::string. Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] result<std::string> to_svg(const basic_qr_code<MaxVersion>& code,
                                         const qr_svg_options& options = {}) {
    const auto size = svg_size(code, options);
    if (!size) return unexpected(size.error());
    std::string text(*size, '\0');
    const auto written = render_svg(code, std::span<char>(text), options);
    if (!written) return unexpected(written.error());
    return text;
}

// ---- Terminal (UTF-8 half blocks) -----------------------------------------------------------

/// The exact size in bytes of `render_terminal`'s output for `code`.
/// Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> terminal_size(const basic_qr_code<MaxVersion>& code,
                                                          const qr_terminal_options& options = {}) noexcept {
    if (!detail::valid_quiet_zone(options.quiet_zone)) return unexpected(errc::invalid_qr_options);
    detail::counting_sink<char> sink;
    detail::write_terminal(sink, code, options);
    return sink.count;
}

/**
 * Writes `code` as UTF-8 text for a terminal into `out` and returns its length. Each line
 * shows two rows of modules with the characters ▀ (U+2580), ▄ (U+2584), █ (U+2588) and space,
 * so the code looks square in a usual terminal font; the quiet zone is included, and a final
 * half line (the row count is odd) is light, as the quiet zone is. Every line ends in '\n'.
 * See `qr_terminal_palette` for which modules the blocks draw and why the default uses ANSI
 * colours.
 *
 * Errors: errc::invalid_qr_options; errc::output_too_small if `out` is shorter than
 * `terminal_size(code, options)`.
 *
 *     std::array<char, 32768> buffer;
 *     if (auto n = twofactor::render_terminal(code, buffer)) std::fwrite(buffer.data(), 1, *n, stdout);
 */
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> render_terminal(
    const basic_qr_code<MaxVersion>& code, std::span<char> out,
    const qr_terminal_options& options = {}) noexcept {
    const auto size = terminal_size(code, options);
    if (!size) return unexpected(size.error());
    if (out.size() < *size) return unexpected(errc::output_too_small);
    detail::span_sink<char> sink{out};
    detail::write_terminal(sink, code, options);
    return detail::finish_render(sink);
}

/// `render_terminal` into a new std::string. Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] result<std::string> to_terminal(const basic_qr_code<MaxVersion>& code,
                                              const qr_terminal_options& options = {}) {
    const auto size = terminal_size(code, options);
    if (!size) return unexpected(size.error());
    std::string text(*size, '\0');
    const auto written = render_terminal(code, std::span<char>(text), options);
    if (!written) return unexpected(written.error());
    return text;
}

// ---- PNG ------------------------------------------------------------------------------------

/// The exact size in bytes of `render_png`'s output for `code`.
/// Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> png_size(const basic_qr_code<MaxVersion>& code,
                                                     const qr_image_options& options = {}) noexcept {
    const int side = detail::image_side(code, options);
    if (side == 0) return unexpected(errc::invalid_qr_options);
    const auto width = static_cast<std::uint32_t>(side);
    return static_cast<std::size_t>(detail::png_size(detail::png_gray1_raw_size(width, width)));
}

/**
 * Writes `code` as a PNG image into `out` and returns its size: 1-bit grayscale (black and
 * white), each module `scale` × `scale` pixels, `quiet_zone` white modules around the symbol;
 * the pixel data uncompressed (stored deflate blocks, so no zlib is needed), which for a QR
 * code is a few KiB at the default scale of 8.
 *
 * Errors: errc::invalid_qr_options; errc::output_too_small if `out` is shorter than
 * `png_size(code, options)`.
 *
 *     std::vector<std::byte> png(*twofactor::png_size(code, {.scale = 4}));
 *     auto n = twofactor::render_png(code, png, {.scale = 4});
 */
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> render_png(const basic_qr_code<MaxVersion>& code,
                                                       std::span<std::byte> out,
                                                       const qr_image_options& options = {}) noexcept {
    const auto size = png_size(code, options);
    if (!size) return unexpected(size.error());
    if (out.size() < *size) return unexpected(errc::output_too_small);
    const int side = detail::image_side(code, options);
    detail::span_sink<std::byte> sink{out};
    detail::write_png_gray1(sink, static_cast<std::uint32_t>(side), static_cast<std::uint32_t>(side),
                            [&](std::uint32_t y, std::uint32_t index) {
                                return detail::image_byte(code, options, side, static_cast<int>(y),
                                                          static_cast<int>(index), true);
                            });
    return detail::finish_render(sink);
}

/// `render_png` into a new std::vector. Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] result<std::vector<std::byte>> to_png(const basic_qr_code<MaxVersion>& code,
                                                    const qr_image_options& options = {}) {
    const auto size = png_size(code, options);
    if (!size) return unexpected(size.error());
    std::vector<std::byte> image(*size);
    const auto written = render_png(code, std::span<std::byte>(image), options);
    if (!written) return unexpected(written.error());
    return image;
}

// ---- PBM ------------------------------------------------------------------------------------

/// The exact size in bytes of `render_pbm`'s output for `code`.
/// Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> pbm_size(const basic_qr_code<MaxVersion>& code,
                                                     const qr_image_options& options = {}) noexcept {
    const int side = detail::image_side(code, options);
    if (side == 0) return unexpected(errc::invalid_qr_options);
    detail::counting_sink<std::byte> bytes;
    detail::char_to_byte_sink<detail::counting_sink<std::byte>> header{bytes};
    detail::put_text(header, "P4\n");
    detail::put_decimal(header, side);
    detail::put_text(header, " ");
    detail::put_decimal(header, side);
    detail::put_text(header, "\n");
    return bytes.count + static_cast<std::size_t>(side) * static_cast<std::size_t>((side + 7) / 8);
}

/**
 * Writes `code` as a binary PBM ("P4", Netpbm) image into `out` and returns its size: the
 * header "P4\n<width> <height>\n", then each pixel row packed 8 pixels per byte, most
 * significant bit first, 1 = black, rows padded to whole bytes. Binary rather than ASCII "P1"
 * because it is 8 times smaller and every Netpbm reader takes both. Scale and quiet zone as
 * for PNG.
 *
 * Errors: errc::invalid_qr_options; errc::output_too_small if `out` is shorter than
 * `pbm_size(code, options)`.
 *
 *     auto pbm = twofactor::to_pbm(code, {.scale = 1});   // one pixel per module
 */
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> render_pbm(const basic_qr_code<MaxVersion>& code,
                                                       std::span<std::byte> out,
                                                       const qr_image_options& options = {}) noexcept {
    const auto size = pbm_size(code, options);
    if (!size) return unexpected(size.error());
    if (out.size() < *size) return unexpected(errc::output_too_small);
    detail::span_sink<std::byte> sink{out};
    detail::char_to_byte_sink<detail::span_sink<std::byte>> adapter{sink};
    detail::write_pbm(adapter, code, options, detail::image_side(code, options));
    return detail::finish_render(sink);
}

/// `render_pbm` into a new std::vector. Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] result<std::vector<std::byte>> to_pbm(const basic_qr_code<MaxVersion>& code,
                                                    const qr_image_options& options = {}) {
    const auto size = pbm_size(code, options);
    if (!size) return unexpected(size.error());
    std::vector<std::byte> image(*size);
    const auto written = render_pbm(code, std::span<std::byte>(image), options);
    if (!written) return unexpected(written.error());
    return image;
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_QR_RENDER_HPP_INCLUDED
