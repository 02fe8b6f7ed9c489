// Tests of twofactor/qr_render.hpp: SVG, terminal (UTF-8 half blocks), PNG and PBM output of
// QR codes, each parsed back here and compared with the module matrix, and read by independent
// software (Pillow for PNG and PBM, librsvg for SVG); CRC-32 and Adler-32 (detail/png.hpp)
// against their published check values.
#include <boost/test/unit_test.hpp>

#include <twofactor/qr.hpp>
#include <twofactor/qr_render.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"
#include "support/temp_folder.hpp"
#include "support/test_support.hpp"

namespace tf = twofactor;
namespace td = twofactor::detail;

namespace {

using twofactor_test::as_text;
using twofactor_test::python;

// ---- Checksums ------------------------------------------------------------------------------

template <std::size_t N>
constexpr std::uint32_t crc32_of(const char (&text)[N]) {
    td::crc32 crc;
    crc.update(twofactor_test::bytes_of(text));
    return crc.value();
}

template <std::size_t N>
constexpr std::uint32_t adler32_of(const char (&text)[N]) {
    td::adler32 adler;
    adler.update(twofactor_test::bytes_of(text));
    return adler.value();
}

// The CRC-32 check value (the "CRC RevEng" catalogue, CRC-32/ISO-HDLC) and Adler-32 of
// "Wikipedia" (RFC 1950 §8.2 definition; the widely used example).
static_assert(crc32_of("123456789") == 0xCBF43926u);
static_assert(crc32_of("") == 0u);
static_assert(crc32_of("IEND") == 0xAE426082u);  // every PNG ends with this CRC
static_assert(adler32_of("Wikipedia") == 0x11E60398u);
static_assert(adler32_of("") == 1u);
// zlib streams of stored blocks: 2 header bytes, 5 per block of at most 65535 bytes, 4 of Adler-32.
static_assert(td::zlib_stored_size(0) == 2 + 5 + 4);
static_assert(td::zlib_stored_size(65535) == 2 + 5 + 65535 + 4);
static_assert(td::zlib_stored_size(65536) == 2 + 2 * 5 + 65536 + 4);
static_assert(td::zlib_stored_size(2 * 65535) == 2 + 2 * 5 + 2 * 65535 + 4);
// Adler-32 of `count` bytes `repeated`, then `last`.
constexpr std::uint32_t adler32_of_run(std::byte repeated, int count, std::byte last) {
    td::adler32 adler;
    for (int i = 0; i < count; ++i) adler.update(repeated);
    adler.update(last);
    return adler.value();
}
// Each running sum reaching the modulus exactly (values from zlib's adler32): the byte sum,
// 1 + 256 * 255 + 240 = 65521, and the sum of sums after 89 bytes 0x80 and one 46.
static_assert(adler32_of_run(std::byte{0xFF}, 256, std::byte{0xF0}) == 0x08000000u);
static_assert(adler32_of_run(std::byte{0x80}, 89, std::byte{46}) == 0x2CAFu);

BOOST_AUTO_TEST_CASE(checksums_known_answers_at_run_time) {
    BOOST_TEST(crc32_of("123456789") == 0xCBF43926u);
    BOOST_TEST(adler32_of("Wikipedia") == 0x11E60398u);
    // Adler-32 reduces modulo 65521 correctly over long inputs: 100000 bytes of 0xFF.
    td::adler32 adler;
    for (int i = 0; i < 100000; ++i) adler.update(std::byte{0xFF});
    std::uint64_t a = 1;
    std::uint64_t b = 0;
    for (int i = 0; i < 100000; ++i) {
        a = (a + 0xFF) % 65521;
        b = (b + a) % 65521;
    }
    BOOST_TEST(adler.value() == (b << 16 | a));
}

// An independent bitwise CRC-32 for parsing PNG chunks.
std::uint32_t bitwise_crc32(std::span<const std::uint8_t> bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const std::uint8_t byte : bytes) {
        crc ^= byte;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// ---- Codes used below ---------------------------------------------------------------------

std::vector<tf::qr_code> sample_codes() {
    std::vector<tf::qr_code> codes;
    codes.push_back(*tf::qr_code::encode_text("HELLO WORLD"));
    codes.push_back(*tf::qr_code::encode_text(
        "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"));
    codes.push_back(*tf::qr_code::encode_text(std::string(500, 'z')));
    codes.push_back(
        *tf::qr_code::encode_text(std::string(2900, 'z'), {.ecc = tf::qr_ecc::low}));  // version 40
    BOOST_TEST_REQUIRE(codes.back().version() == 40);
    return codes;
}

// ---- SVG ------------------------------------------------------------------------------------

// The value of attribute `name` in the first tag `tag` of `svg`.
std::string attribute(std::string_view svg, std::string_view tag, std::string_view name) {
    const std::size_t start = svg.find("<" + std::string(tag) + " ");
    if (start == std::string_view::npos) return "(no tag)";
    const std::size_t end = svg.find('>', start);
    const std::string_view element = svg.substr(start, end - start);
    const std::size_t at = element.find(" " + std::string(name) + "=\"");
    if (at == std::string_view::npos) return "(no attribute)";
    const std::size_t value = at + name.size() + 3;
    return std::string(element.substr(value, element.find('"', value) - value));
}

std::size_t count(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// Parses "M{x},{y}h{n}v1h-{n}z" subpaths into a coverage count per module of the image.
std::vector<int> svg_coverage(const std::string& d, int side) {
    std::vector<int> covered(static_cast<std::size_t>(side * side), 0);
    std::size_t i = 0;
    const auto number = [&]() {
        int value = 0;
        const std::size_t begin = i;
        while (i < d.size() && d[i] >= '0' && d[i] <= '9') value = value * 10 + (d[i++] - '0');
        BOOST_TEST_REQUIRE(i > begin, "a number expected at " << begin);
        return value;
    };
    const auto expect = [&](std::string_view literal) {
        BOOST_TEST_REQUIRE(d.compare(i, literal.size(), literal) == 0,
                           "'" << literal << "' expected at " << i);
        i += literal.size();
    };
    while (i < d.size()) {
        if (i > 0) expect(" ");
        expect("M");
        const int x = number();
        expect(",");
        const int y = number();
        expect("h");
        const int n = number();
        expect("v1h-");
        BOOST_TEST_REQUIRE(number() == n);
        expect("z");
        BOOST_TEST_REQUIRE((x + n <= side && y < side && n > 0));
        for (int k = 0; k < n; ++k) ++covered[static_cast<std::size_t>(y * side + x + k)];
    }
    return covered;
}

BOOST_AUTO_TEST_CASE(svg_for_inline_html_has_no_xml_declaration) {
    for (const auto& code : sample_codes()) {
        const auto standalone = tf::to_svg(code);
        const auto inline_svg = tf::to_svg(code, {.quiet_zone = 4, .xml_declaration = false});
        BOOST_TEST_REQUIRE((standalone.has_value() && inline_svg.has_value()));
        const std::string_view declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        BOOST_TEST(inline_svg->starts_with("<svg "));
        BOOST_TEST(*standalone == std::string(declaration) + *inline_svg);
        BOOST_TEST((tf::svg_size(code, {.quiet_zone = 4, .xml_declaration = false}) == inline_svg->size()));
    }
}

BOOST_AUTO_TEST_CASE(svg_path_covers_exactly_the_dark_modules) {
    for (const auto& code : sample_codes()) {
        for (const int quiet_zone : {4, 0, 2}) {
            const auto svg = tf::to_svg(code, {.quiet_zone = quiet_zone});
            BOOST_TEST_REQUIRE(svg.has_value());
            const std::string& text = *svg;
            const int side = code.size() + 2 * quiet_zone;
            BOOST_TEST(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
            BOOST_TEST(text.ends_with("</svg>\n"));
            BOOST_TEST(count(text, "<svg ") == 1u);
            BOOST_TEST(count(text, "</svg>") == 1u);
            BOOST_TEST(count(text, "<path ") == 1u);
            BOOST_TEST(count(text, "<") == 5u);  // the declaration, svg, rect, path, and </svg>
            BOOST_TEST(count(text, ">") == 5u);
            BOOST_TEST(count(text, "/>") == 2u);  // rect and path are empty elements
            BOOST_TEST(attribute(text, "svg", "xmlns") == "http://www.w3.org/2000/svg");
            BOOST_TEST(attribute(text, "svg", "viewBox") ==
                       "0 0 " + std::to_string(side) + " " + std::to_string(side));
            BOOST_TEST(attribute(text, "svg", "shape-rendering") == "crispEdges");
            BOOST_TEST(attribute(text, "svg", "width") == "(no attribute)");
            BOOST_TEST(attribute(text, "rect", "fill") == "#FFFFFF");
            BOOST_TEST(attribute(text, "path", "fill") == "#000000");
            const auto covered = svg_coverage(attribute(text, "path", "d"), side);
            for (int y = 0; y < side; ++y) {
                for (int x = 0; x < side; ++x) {
                    const bool dark = code.module(x - quiet_zone, y - quiet_zone);
                    BOOST_TEST(covered[static_cast<std::size_t>(y * side + x)] == (dark ? 1 : 0),
                               "module " << x << "," << y);
                }
            }
        }
    }
}

// ---- Terminal -------------------------------------------------------------------------------

// Decodes the UTF-8 output back into a bitmap of "drawn" half cells (block character parts).
std::vector<std::vector<bool>> terminal_bitmap(std::string_view text, bool ansi, int width) {
    std::vector<std::vector<bool>> rows;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        BOOST_TEST_REQUIRE(end != std::string_view::npos, "every line ends in a newline");
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        if (ansi) {
            BOOST_TEST_REQUIRE(line.starts_with("\x1b[97;40m"));
            BOOST_TEST_REQUIRE(line.ends_with("\x1b[0m"));
            line = line.substr(8, line.size() - 8 - 4);
        }
        std::vector<bool> upper;
        std::vector<bool> lower;
        while (!line.empty()) {
            if (line.starts_with(" ")) {
                upper.push_back(false), lower.push_back(false);
                line.remove_prefix(1);
            } else if (line.starts_with("\u2580")) {  // ▀
                upper.push_back(true), lower.push_back(false);
                line.remove_prefix(3);
            } else if (line.starts_with("\u2584")) {  // ▄
                upper.push_back(false), lower.push_back(true);
                line.remove_prefix(3);
            } else if (line.starts_with("\u2588")) {  // █
                upper.push_back(true), lower.push_back(true);
                line.remove_prefix(3);
            } else {
                BOOST_FAIL("unexpected byte in terminal output");
            }
        }
        BOOST_TEST_REQUIRE(static_cast<int>(upper.size()) == width);
        rows.push_back(upper);
        rows.push_back(lower);
    }
    return rows;
}

BOOST_AUTO_TEST_CASE(terminal_output_reads_back_as_the_matrix) {
    using enum tf::qr_terminal_palette;
    for (const auto& code : sample_codes()) {
        for (const auto palette : {ansi, light_blocks, dark_blocks}) {
            for (const int quiet_zone : {4, 1}) {
                const auto text = tf::to_terminal(code, {.palette = palette, .quiet_zone = quiet_zone});
                BOOST_TEST_REQUIRE(text.has_value());
                const int side = code.size() + 2 * quiet_zone;
                const auto bitmap = terminal_bitmap(*text, palette == ansi, side);
                BOOST_TEST_REQUIRE(static_cast<int>(bitmap.size()) ==
                                   side + 1);  // odd side: one half line more
                for (int y = 0; y < side + 1; ++y) {
                    for (int x = 0; x < side; ++x) {
                        const bool drawn = bitmap[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)];
                        const bool dark = palette == dark_blocks ? drawn : !drawn;
                        // The extra half row below the image is light.
                        const bool expected = y < side && code.module(x - quiet_zone, y - quiet_zone);
                        BOOST_TEST(dark == expected, "module " << x << "," << y);
                    }
                }
            }
        }
    }
}

// ---- PNG ------------------------------------------------------------------------------------

std::uint32_t be32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    return std::uint32_t{bytes[at]} << 24 | std::uint32_t{bytes[at + 1]} << 16 |
           std::uint32_t{bytes[at + 2]} << 8 | bytes[at + 3];
}

struct png_image {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::vector<std::uint8_t> scanlines;  // inflated IDAT content
    std::size_t stored_blocks = 0;
};

// Parses a PNG made of IHDR, IDAT(s) of stored deflate blocks, IEND; checks every CRC, the
// zlib header and the Adler-32.
png_image parse_png(std::span<const std::byte> file) {
    const std::vector<std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(file.data()),
                                          reinterpret_cast<const std::uint8_t*>(file.data()) + file.size());
    png_image image;
    const std::vector<std::uint8_t> signature{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    BOOST_TEST_REQUIRE(bytes.size() >= 8u);
    BOOST_TEST_REQUIRE((std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 8) == signature));
    std::size_t at = 8;
    std::vector<std::uint8_t> zlib;
    std::vector<std::string> chunk_types;
    while (at < bytes.size()) {
        BOOST_TEST_REQUIRE(at + 12 <= bytes.size());
        const std::uint32_t length = be32(bytes, at);
        BOOST_TEST_REQUIRE(at + 12 + length <= bytes.size());
        const std::string type(bytes.begin() + static_cast<std::ptrdiff_t>(at + 4),
                               bytes.begin() + static_cast<std::ptrdiff_t>(at + 8));
        const std::span<const std::uint8_t> typed_data(bytes.data() + at + 4, length + 4);
        BOOST_TEST(be32(bytes, at + 8 + length) == bitwise_crc32(typed_data), "CRC of chunk " << type);
        const std::span<const std::uint8_t> data(bytes.data() + at + 8, length);
        if (type == "IHDR") {
            BOOST_TEST_REQUIRE(length == 13u);
            image.width = be32(bytes, at + 8);
            image.height = be32(bytes, at + 12);
            BOOST_TEST(data[8] == 1);   // bit depth
            BOOST_TEST(data[9] == 0);   // grayscale
            BOOST_TEST(data[10] == 0);  // deflate
            BOOST_TEST(data[11] == 0);  // adaptive filtering
            BOOST_TEST(data[12] == 0);  // no interlace
        } else if (type == "IDAT") {
            zlib.insert(zlib.end(), data.begin(), data.end());
        } else {
            BOOST_TEST(type == "IEND");
            BOOST_TEST(length == 0u);
        }
        chunk_types.push_back(type);
        at += 12 + length;
    }
    BOOST_TEST_REQUIRE(chunk_types.size() >= 3u);
    BOOST_TEST(chunk_types.front() == "IHDR");
    BOOST_TEST(chunk_types.back() == "IEND");

    // zlib (RFC 1950): CMF/FLG, stored blocks (RFC 1951 §3.2.4), Adler-32.
    BOOST_TEST_REQUIRE(zlib.size() >= 2u + 5u + 4u);
    BOOST_TEST((zlib[0] & 0x0F) == 8);                // CM = deflate
    BOOST_TEST((zlib[0] * 256 + zlib[1]) % 31 == 0);  // FCHECK
    BOOST_TEST((zlib[1] & 0x20) == 0);                // no preset dictionary
    std::size_t p = 2;
    bool final_block = false;
    while (!final_block) {
        BOOST_TEST_REQUIRE(p + 5 <= zlib.size());
        final_block = (zlib[p] & 1) != 0;
        BOOST_TEST_REQUIRE(((zlib[p] >> 1) & 3) == 0, "stored block expected");
        const unsigned len = zlib[p + 1] | zlib[p + 2] << 8;
        const unsigned nlen = zlib[p + 3] | zlib[p + 4] << 8;
        BOOST_TEST_REQUIRE(len == (~nlen & 0xFFFFu));
        p += 5;
        BOOST_TEST_REQUIRE(p + len <= zlib.size());
        image.scanlines.insert(image.scanlines.end(), zlib.begin() + static_cast<std::ptrdiff_t>(p),
                               zlib.begin() + static_cast<std::ptrdiff_t>(p + len));
        p += len;
        ++image.stored_blocks;
        if (!final_block) BOOST_TEST(len == 65535u);  // only the last block is short
    }
    BOOST_TEST_REQUIRE(p + 4 == zlib.size());
    std::uint32_t a = 1;
    std::uint32_t b = 0;
    for (const std::uint8_t byte : image.scanlines) {
        a = (a + byte) % 65521;
        b = (b + a) % 65521;
    }
    BOOST_TEST(be32(zlib, p) == (b << 16 | a), "Adler-32");
    return image;
}

BOOST_AUTO_TEST_CASE(png_reads_back_as_the_matrix) {
    for (const auto& code : sample_codes()) {
        for (const tf::qr_image_options options :
             {tf::qr_image_options{}, tf::qr_image_options{.scale = 1, .quiet_zone = 0},
              tf::qr_image_options{.scale = 3, .quiet_zone = 2}}) {
            const auto png = tf::to_png(code, options);
            BOOST_TEST_REQUIRE(png.has_value());
            BOOST_TEST(png->size() == *tf::png_size(code, options));
            const png_image image = parse_png(*png);
            const int side = (code.size() + 2 * options.quiet_zone) * options.scale;
            BOOST_TEST(image.width == static_cast<std::uint32_t>(side));
            BOOST_TEST(image.height == static_cast<std::uint32_t>(side));
            const std::size_t row_bytes = (static_cast<std::size_t>(side) + 7) / 8;
            BOOST_TEST_REQUIRE(image.scanlines.size() == static_cast<std::size_t>(side) * (1 + row_bytes));
            int mismatches = 0;
            for (int y = 0; y < side; ++y) {
                const std::uint8_t* row =
                    image.scanlines.data() + static_cast<std::size_t>(y) * (1 + row_bytes);
                BOOST_TEST(row[0] == 0, "filter type of row " << y);
                for (int x = 0; x < side; ++x) {
                    const bool white = (row[1 + x / 8] >> (7 - x % 8)) & 1;
                    const bool dark = code.module(x / options.scale - options.quiet_zone,
                                                  y / options.scale - options.quiet_zone);
                    mismatches += white == dark;
                }
            }
            BOOST_TEST(mismatches == 0);
            if (code.version() == 40 && options.scale == 8) BOOST_TEST(image.stored_blocks > 1u);
        }
    }
}

// ---- PBM ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(pbm_reads_back_as_the_matrix) {
    for (const auto& code : sample_codes()) {
        for (const tf::qr_image_options options :
             {tf::qr_image_options{.scale = 1}, tf::qr_image_options{.scale = 5, .quiet_zone = 1}}) {
            const auto pbm = tf::to_pbm(code, options);
            BOOST_TEST_REQUIRE(pbm.has_value());
            const std::string text(as_text(*pbm));
            const int side = (code.size() + 2 * options.quiet_zone) * options.scale;
            const std::string header = "P4\n" + std::to_string(side) + " " + std::to_string(side) + "\n";
            BOOST_TEST_REQUIRE(text.starts_with(header));
            const std::size_t row_bytes = (static_cast<std::size_t>(side) + 7) / 8;
            BOOST_TEST_REQUIRE(text.size() == header.size() + row_bytes * static_cast<std::size_t>(side));
            int mismatches = 0;
            for (int y = 0; y < side; ++y) {
                for (int x = 0; x < side; ++x) {
                    const auto byte = static_cast<unsigned char>(
                        text[header.size() + static_cast<std::size_t>(y) * row_bytes +
                             static_cast<std::size_t>(x / 8)]);
                    const bool black = (byte >> (7 - x % 8)) & 1;
                    mismatches += black != code.module(x / options.scale - options.quiet_zone,
                                                       y / options.scale - options.quiet_zone);
                }
                // Padding bits at the end of each row are zero.
                if (side % 8 != 0) {
                    const auto last = static_cast<unsigned char>(
                        text[header.size() + static_cast<std::size_t>(y) * row_bytes + row_bytes - 1]);
                    BOOST_TEST((last & ((1u << (8 - side % 8)) - 1)) == 0u);
                }
            }
            BOOST_TEST(mismatches == 0);
        }
    }
}

// ---- Read by independent software -------------------------------------------------------------
//
// The tests above read our output with parsers written here, beside the writers, so a misreading
// of a format shared by both would pass them. Here Python's Pillow (Debian python3-pil) opens the
// PNG and PBM files with its own inflating, unfiltering and checksums, and librsvg's rsvg-convert
// (Debian librsvg2-bin) rasterises the SVG: every pixel of the images, and the centre of every
// module of the rasterised SVG, must be the matrix's.

// For each "<image file> <step> <offset>" line of the file argv[1]: the image's width and height,
// then its pixels at offset + k * step along both axes, as rows of '1' (dark) and '0', then an
// empty line. Alpha is dropped, so a transparent pixel reads as dark.
constexpr std::string_view pillow_script = R"(import sys
from PIL import Image

out = []
with open(sys.argv[1], encoding='utf-8') as jobs:
    for job in jobs.read().splitlines():
        path, step, offset = job.rsplit(' ', 2)
        step, offset = int(step), int(offset)
        with Image.open(path) as image:
            gray = image.convert('L')
        width, height = gray.size
        pixels = gray.tobytes()
        out.append(f'{width} {height}')
        for y in range(offset, height, step):
            row = pixels[y * width:(y + 1) * width]
            out.append(''.join('1' if row[x] < 128 else '0' for x in range(offset, width, step)))
        out.append('')
sys.stdout.write('\n'.join(out) + '\n')
)";

void require_pillow_and_rsvg() {
    twofactor_test::require_python_module("import PIL", "python3-pil");
    const auto rsvg = twofactor_test::run_process("rsvg-convert", {"--version"});
    BOOST_REQUIRE_MESSAGE(rsvg.status == 0,
                          "rsvg-convert does not run: install the Debian/Ubuntu package 'librsvg2-bin'");
}

// One image for the script: its file, how to sample it, what it must show, and a name.
struct image_check {
    std::string file;
    int step;
    int offset;
    std::string expected;  // the script's output for it
    std::string name;
};

// The script's output for `side` x `side` samples of an image `pixels` wide, `dark(x, y)` for each.
template <class Dark>
std::string expected_samples(int pixels, int side, Dark dark) {
    std::string text = std::to_string(pixels) + " " + std::to_string(pixels) + "\n";
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) text += dark(x, y) ? '1' : '0';
        text += '\n';
    }
    return text + "\n";
}

BOOST_AUTO_TEST_CASE(pillow_and_librsvg_read_the_matrix) {
    require_pillow_and_rsvg();
    const twofactor_test::temp_folder folder("qr-render");
    std::vector<image_check> checks;
    int index = 0;
    for (const auto& code : sample_codes()) {
        const std::string version = "version " + std::to_string(code.version());
        for (const tf::qr_image_options options :
             {tf::qr_image_options{}, tf::qr_image_options{.scale = 1, .quiet_zone = 0},
              tf::qr_image_options{.scale = 3, .quiet_zone = 2}}) {
            const int side = (code.size() + 2 * options.quiet_zone) * options.scale;
            const auto pixel = [&](int x, int y) {
                return code.module(x / options.scale - options.quiet_zone,
                                   y / options.scale - options.quiet_zone);
            };
            const std::string settings = ", scale " + std::to_string(options.scale) + ", quiet zone " +
                                         std::to_string(options.quiet_zone);
            const auto png = tf::to_png(code, options);
            const auto pbm = tf::to_pbm(code, options);
            BOOST_TEST_REQUIRE((png.has_value() && pbm.has_value()));
            const std::string png_file = folder.write(std::to_string(++index) + ".png", as_text(*png));
            const std::string pbm_file = folder.write(std::to_string(++index) + ".pbm", as_text(*pbm));
            checks.push_back(
                {png_file, 1, 0, expected_samples(side, side, pixel), "PNG, " + version + settings});
            checks.push_back(
                {pbm_file, 1, 0, expected_samples(side, side, pixel), "PBM, " + version + settings});
        }
        // The SVG at 4 pixels a module, sampled at each module's centre.
        for (const tf::qr_svg_options options :
             {tf::qr_svg_options{}, tf::qr_svg_options{.quiet_zone = 0, .xml_declaration = false}}) {
            const auto svg = tf::to_svg(code, options);
            BOOST_TEST_REQUIRE(svg.has_value());
            const int side = code.size() + 2 * options.quiet_zone;
            const std::string svg_file = folder.write(std::to_string(++index) + ".svg", *svg);
            const std::string raster = folder.file(std::to_string(++index) + ".png");
            const std::string width = std::to_string(4 * side);
            const auto drawn = twofactor_test::run_process(
                "rsvg-convert", {"-w", width, "-h", width, "-o", raster, svg_file});
            BOOST_TEST_REQUIRE(drawn.status == 0, "rsvg-convert " << svg_file << ": " << drawn);
            checks.push_back({raster, 4, 2,
                              expected_samples(4 * side, side,
                                               [&](int x, int y) {
                                                   return code.module(x - options.quiet_zone,
                                                                      y - options.quiet_zone);
                                               }),
                              "SVG, " + version + ", quiet zone " + std::to_string(options.quiet_zone)});
        }
    }
    std::string jobs;
    std::string expected;
    for (const auto& check : checks) {
        jobs += check.file + " " + std::to_string(check.step) + " " + std::to_string(check.offset) + "\n";
        expected += check.expected;
    }
    const std::string script = folder.write("read.py", pillow_script);
    const std::string job_file = folder.write("jobs.txt", jobs);
    const auto read = twofactor_test::run_process(python, {script, job_file});
    BOOST_TEST_REQUIRE(read.status == 0, "Pillow: " << read);
    if (read.out == expected) return;
    // Name each image that reads otherwise.
    std::size_t at = 0;
    for (const auto& check : checks) {
        const std::string_view theirs = std::string_view(read.out).substr(at, check.expected.size());
        BOOST_TEST((theirs == check.expected), check.name << " reads otherwise");
        at += check.expected.size();
    }
    BOOST_TEST(read.out.size() == at, "the script printed more than the images");
}

// ---- Buffers and options ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(buffers_too_small_and_exact_sizes) {
    const auto code = *tf::qr_code::encode_text("BUFFER SIZES");
    {
        const std::size_t size = *tf::svg_size(code);
        std::vector<char> buffer(size + 10, '#');
        BOOST_TEST((tf::render_svg(code, std::span<char>(buffer.data(), size - 1)) ==
                    tf::unexpected(tf::errc::output_too_small)));
        BOOST_TEST(buffer[0] == '#');  // nothing written on error
        BOOST_TEST(*tf::render_svg(code, std::span<char>(buffer.data(), size)) == size);
        BOOST_TEST(buffer[size] == '#');
        BOOST_TEST(std::string(buffer.data(), size) == *tf::to_svg(code));
    }
    {
        const std::size_t size = *tf::terminal_size(code);
        std::vector<char> buffer(size + 10, '#');
        BOOST_TEST((tf::render_terminal(code, std::span<char>(buffer.data(), size - 1)) ==
                    tf::unexpected(tf::errc::output_too_small)));
        BOOST_TEST(buffer[0] == '#');
        BOOST_TEST(*tf::render_terminal(code, std::span<char>(buffer.data(), size)) == size);
        BOOST_TEST(buffer[size] == '#');
        BOOST_TEST(std::string(buffer.data(), size) == *tf::to_terminal(code));
    }
    for (const bool png : {true, false}) {
        const std::size_t size = png ? *tf::png_size(code) : *tf::pbm_size(code);
        std::vector<std::byte> buffer(size + 10, std::byte{0x23});
        const auto render = [&](std::size_t n) {
            return png ? tf::render_png(code, std::span<std::byte>(buffer.data(), n))
                       : tf::render_pbm(code, std::span<std::byte>(buffer.data(), n));
        };
        BOOST_TEST((render(size - 1) == tf::unexpected(tf::errc::output_too_small)));
        BOOST_TEST((render(0) == tf::unexpected(tf::errc::output_too_small)));
        BOOST_TEST((buffer[0] == std::byte{0x23}));
        BOOST_TEST(*render(size) == size);
        BOOST_TEST((buffer[size] == std::byte{0x23}));
        const auto whole = png ? *tf::to_png(code) : *tf::to_pbm(code);
        BOOST_TEST((std::vector<std::byte>(buffer.begin(),
                                           buffer.begin() + static_cast<std::ptrdiff_t>(size)) == whole));
    }
}

BOOST_AUTO_TEST_CASE(invalid_render_options) {
    const auto code = *tf::qr_code::encode_text("OPTIONS");
    const auto invalid = tf::unexpected(tf::errc::invalid_qr_options);
    BOOST_TEST((tf::svg_size(code, {.quiet_zone = -1}) == invalid));
    BOOST_TEST((tf::to_svg(code, {.quiet_zone = tf::qr_max_quiet_zone + 1}) == invalid));
    BOOST_TEST(tf::svg_size(code, {.quiet_zone = tf::qr_max_quiet_zone}).has_value());  // the largest is fine
    BOOST_TEST(tf::terminal_size(code, {.quiet_zone = tf::qr_max_quiet_zone}).has_value());
    BOOST_TEST((tf::terminal_size(code, {.quiet_zone = tf::qr_max_quiet_zone + 1}) == invalid));
    BOOST_TEST((tf::terminal_size(code, {.quiet_zone = -1}) == invalid));
    BOOST_TEST((tf::png_size(code, {.scale = 0}) == invalid));
    BOOST_TEST((tf::png_size(code, {.scale = -3}) == invalid));
    BOOST_TEST((tf::pbm_size(code, {.quiet_zone = -1}) == invalid));
    BOOST_TEST((tf::to_png(code, {.scale = 1 << 30}) == invalid));  // no overflow, just too large
    BOOST_TEST((tf::to_pbm(code, {.scale = 3000}) == invalid));     // 29 · 3000 > 65536 pixels
    BOOST_TEST(tf::png_size(code, {.scale = 2259}).has_value());    // 29 · 2259 = 65511
    std::array<std::byte, 16> small{};
    BOOST_TEST((tf::render_png(code, small, {.scale = 0}) == invalid));
}

// ---- Constant evaluation --------------------------------------------------------------------

constexpr auto compile_time_code = tf::qr_code::encode_text("01234567");

constexpr std::array<std::byte, 256> compile_time_png() {
    std::array<std::byte, 256> out{};
    const auto n = tf::render_png(*compile_time_code, out, {.scale = 1});
    if (!n || *n != *tf::png_size(*compile_time_code, {.scale = 1})) out[0] = std::byte{0};
    return out;
}

// Version 1 at one pixel per module with a quiet zone of 4: 29 × 29 pixels, 29 scanlines of
// 1 + 4 bytes; 8 + 25 + (12 + 2 + 5 + 145 + 4) + 12 = 213 bytes.
static_assert(*tf::png_size(*compile_time_code, {.scale = 1}) == 213);
static_assert(compile_time_png()[0] == std::byte{0x89} && compile_time_png()[1] == std::byte{'P'});
static_assert(*tf::svg_size(*compile_time_code) > 200);

BOOST_AUTO_TEST_CASE(constexpr_png_equals_run_time_png) {
    const auto run_time = tf::to_png(*tf::qr_code::encode_text(std::string("01234567")), {.scale = 1});
    BOOST_TEST_REQUIRE(run_time.has_value());
    BOOST_TEST_REQUIRE(run_time->size() == 213u);
    constexpr auto png = compile_time_png();
    BOOST_TEST((std::vector<std::byte>(png.begin(), png.begin() + 213) == *run_time));
}

}  // namespace
