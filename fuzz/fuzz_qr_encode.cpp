// libFuzzer target: the QR code encoder (qr_code::encode_bytes and encode_text), checked by
// reading the symbol back with an independent reader written from ISO/IEC 18004:2015 (and the
// block tables everyone copies from it), not with the encoder's own tables.
//
// Input: 4 option bytes, then the data.
//   byte 0: bits 0-1 ecc (L, M, Q, H), bit 2 boost_ecc, bit 3 encode_text instead of bytes,
//           bit 4 out-of-range options (an ecc value of 4..7, versions and masks outside
//           their ranges) to exercise errc::invalid_qr_options;
//   byte 1: min_version, byte 2: max_version, byte 3: mask (see options_from).
//
// Invariants, on success:
//   - size() == 17 + 4 * version(), version within [min_version, max_version], and no
//     smaller allowed version holds the data (encoding with max_version = version - 1 fails);
//   - the level is the requested one, or higher only with boost_ecc (and then the next level
//     would not hold the data); a forced mask is the one used;
//   - the three finder patterns with their separators, the timing patterns and the dark module
//     are in place;
//   - both copies of the format information decode (BCH(15,5), mask 0x5412, §7.9) to the level
//     and mask used; from version 7 both copies of the version information (BCH(18,6), §7.10)
//     decode to the version;
//   - unmasking the data modules (§7.8.2) and de-interleaving the blocks (§7.6) gives blocks
//     whose error correction codewords are the Reed-Solomon remainder (§7.5.2, computed here);
//     the data codewords hold segments (§7.4) that decode to exactly the input, then the
//     terminator, zero bits and the pad codewords 0xEC 0x11 (§7.4.9, §7.4.10);
// on failure: errc::qr_data_too_long, or errc::invalid_qr_options exactly when the options are
// out of range.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <twofactor/qr.hpp>

#include "fuzz_support.hpp"

namespace tf = twofactor;

namespace {

// ---- Tables of ISO/IEC 18004:2015 Table 9 (error correction per block, number of blocks) ----
// Index [ecc][version], ecc in the order L, M, Q, H; version 0 unused.
constexpr int ecc_codewords_per_block[4][41] = {
    {-1, 7,  10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
     28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
     26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
    {-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
     28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
     30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
};
constexpr int error_correction_blocks[4][41] = {
    {-1, 1, 1, 1,  1,  1,  2,  2,  2,  2,  4,  4,  4,  4,  4,  6,  6,  6,  6,  7, 8,
     8,  9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
    {-1, 1,  1,  1,  2,  2,  4,  4,  4,  5,  5,  5,  8,  9,  9,  10, 10, 11, 13, 14, 16,
     17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
    {-1, 1,  1,  2,  2,  4,  4,  6,  6,  8,  8,  8,  10, 12, 16, 12, 17, 16, 18, 21, 20,
     23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
    {-1, 1,  1,  2,  4,  4,  4,  5,  6,  8,  8,  11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
     25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
};

// The format information's level bits (§7.9.1, Table 12): L 01, M 00, Q 11, H 10.
constexpr unsigned ecc_format_bits[4] = {1, 0, 3, 2};

// Modules that carry data in a symbol of `version` (all but the function patterns).
int raw_data_modules(int version) {
    int result = (16 * version + 128) * version + 64;
    if (version >= 2) {
        const int alignments = version / 7 + 2;
        result -= (25 * alignments - 10) * alignments - 55;
        if (version >= 7) result -= 36;
    }
    return result;
}

int data_codewords(int version, int ecc) {
    return raw_data_modules(version) / 8 -
           ecc_codewords_per_block[ecc][version] * error_correction_blocks[ecc][version];
}

// The centre coordinates of the alignment patterns (Annex E), by the usual closed form.
std::vector<int> alignment_positions(int version) {
    if (version == 1) return {};
    const int count = version / 7 + 2;
    const int step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
    std::vector<int> positions(static_cast<std::size_t>(count));
    positions[0] = 6;
    for (int i = count - 1, position = version * 4 + 10; i >= 1; --i, position -= step)
        positions[static_cast<std::size_t>(i)] = position;
    return positions;
}

// BCH codes of the format (generator 0x537) and version (generator 0x1F25) information.
unsigned bch_remainder(unsigned value, unsigned generator, int generator_degree, int bits) {
    for (int bit = bits - 1; bit >= generator_degree; --bit)
        if (value & (1u << bit)) value ^= generator << (bit - generator_degree);
    return value;
}

unsigned format_codeword(unsigned level_bits, unsigned mask) {
    const unsigned data = (level_bits << 3) | mask;
    return ((data << 10) | bch_remainder(data << 10, 0x537, 10, 15)) ^ 0x5412;
}

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1 (§7.5.2).
std::uint8_t gf_multiply(std::uint8_t a, std::uint8_t b) {
    unsigned product = 0;
    for (int i = 7; i >= 0; --i) {
        product = (product << 1) ^ ((product >> 7) * 0x11D);
        product ^= ((b >> i) & 1u) * a;
    }
    return static_cast<std::uint8_t>(product);
}

// The error correction codewords of `data` with a generator of `degree` (roots alpha^0..).
std::vector<std::uint8_t> reed_solomon(const std::vector<std::uint8_t>& data, int degree) {
    std::vector<std::uint8_t> generator(static_cast<std::size_t>(degree), 0);
    generator.back() = 1;
    std::uint8_t root = 1;
    for (int i = 0; i < degree; ++i) {
        for (std::size_t j = 0; j < generator.size(); ++j) {
            generator[j] = gf_multiply(generator[j], root);
            if (j + 1 < generator.size()) generator[j] ^= generator[j + 1];
        }
        root = gf_multiply(root, 0x02);
    }
    std::vector<std::uint8_t> remainder(static_cast<std::size_t>(degree), 0);
    for (const std::uint8_t b : data) {
        const std::uint8_t factor = b ^ remainder.front();
        remainder.erase(remainder.begin());
        remainder.push_back(0);
        for (std::size_t i = 0; i < remainder.size(); ++i) remainder[i] ^= gf_multiply(generator[i], factor);
    }
    return remainder;
}

bool mask_bit(int mask, int x, int y) {  // x = column j, y = row i (§7.8.2, Table 10)
    switch (mask) {
        case 0: return (x + y) % 2 == 0;
        case 1: return y % 2 == 0;
        case 2: return x % 3 == 0;
        case 3: return (x + y) % 3 == 0;
        case 4: return (x / 3 + y / 2) % 2 == 0;
        case 5: return x * y % 2 + x * y % 3 == 0;
        case 6: return (x * y % 2 + x * y % 3) % 2 == 0;
        default: return ((x + y) % 2 + x * y % 3) % 2 == 0;
    }
}

int character_count_bits(int mode, int version) {
    const int cls = version <= 9 ? 0 : version <= 26 ? 1 : 2;
    switch (mode) {
        case 1: return std::array{10, 12, 14}[static_cast<std::size_t>(cls)];
        case 2: return std::array{9, 11, 13}[static_cast<std::size_t>(cls)];
        default: return std::array{8, 16, 16}[static_cast<std::size_t>(cls)];
    }
}

constexpr std::string_view alphanumeric_table = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

// ---- Reading a symbol ---------------------------------------------------------------------

class reader {
public:
    explicit reader(const tf::qr_code& code)
        : code_(code),
          version_(code.version()),
          size_(code.size()),
          function_(static_cast<std::size_t>(size_ * size_), false) {}

    bool dark(int x, int y) const { return code_.module(x, y); }

    void check_function_patterns() {
        // Finder patterns and separators (§6.3.3, §6.3.4): dark at Chebyshev distance 0, 1, 3
        // from the centre, light at 2 and 4 (inside the symbol).
        for (const auto& [cx, cy] : {std::pair{3, 3}, std::pair{size_ - 4, 3}, std::pair{3, size_ - 4}}) {
            for (int dy = -4; dy <= 4; ++dy) {
                for (int dx = -4; dx <= 4; ++dx) {
                    const int x = cx + dx;
                    const int y = cy + dy;
                    if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
                    const int distance = std::max(std::abs(dx), std::abs(dy));
                    FUZZ_CHECK(dark(x, y) == (distance != 2 && distance != 4));
                    mark(x, y);
                }
            }
        }
        // Timing patterns (§6.3.5).
        for (int i = 0; i < size_; ++i) {
            FUZZ_CHECK(dark(i, 6) == (i % 2 == 0) || function(i, 6));
            FUZZ_CHECK(dark(6, i) == (i % 2 == 0) || function(6, i));
            mark(i, 6);
            mark(6, i);
        }
        // Alignment patterns (§6.3.6): dark ring at distance 2 and centre, light at 1.
        const std::vector<int> positions = alignment_positions(version_);
        const std::size_t n = positions.size();
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                if ((i == 0 && j == 0) || (i == 0 && j == n - 1) || (i == n - 1 && j == 0)) continue;
                for (int dy = -2; dy <= 2; ++dy) {
                    for (int dx = -2; dx <= 2; ++dx) {
                        const int x = positions[i] + dx;
                        const int y = positions[j] + dy;
                        FUZZ_CHECK(dark(x, y) == (std::max(std::abs(dx), std::abs(dy)) != 1));
                        mark(x, y);
                    }
                }
            }
        }
        // The dark module (§7.9.1).
        FUZZ_CHECK(dark(8, size_ - 8));
        mark(8, size_ - 8);
    }

    // Reads both copies of the format information; returns (level bits, mask).
    std::pair<unsigned, unsigned> read_format() {
        unsigned first = 0;
        unsigned second = 0;
        for (int bit = 0; bit < 15; ++bit) {
            // First copy (§7.9.1, Figure 25): bits 0-5 down column 8 rows 0-5, 6 at row 7,
            // 7 at (8, 8), 8 at (7, 8), 9-14 along row 8 from column 5 to 0.
            int x1 = 8;
            int y1 = bit;
            if (bit == 6) y1 = 7;
            if (bit == 7) y1 = 8;
            if (bit == 8) x1 = 7, y1 = 8;
            if (bit >= 9) x1 = 14 - bit, y1 = 8;
            // Second copy: bits 0-7 along row 8 from the right edge, 8-14 down column 8 to the
            // bottom edge.
            const int x2 = bit < 8 ? size_ - 1 - bit : 8;
            const int y2 = bit < 8 ? 8 : size_ - 15 + bit;
            first |= static_cast<unsigned>(dark(x1, y1)) << bit;
            second |= static_cast<unsigned>(dark(x2, y2)) << bit;
            mark(x1, y1);
            mark(x2, y2);
        }
        FUZZ_CHECK(first == second);
        const unsigned unmasked = first ^ 0x5412;
        FUZZ_CHECK(bch_remainder(unmasked, 0x537, 10, 15) == 0);
        const unsigned level_bits = unmasked >> 13;
        const unsigned mask = (unmasked >> 10) & 7;
        FUZZ_CHECK(format_codeword(level_bits, mask) == first);
        return {level_bits, mask};
    }

    // Reads both copies of the version information (versions 7 and up); returns the version.
    int read_version() {
        if (version_ < 7) return version_;
        unsigned top_right = 0;
        unsigned bottom_left = 0;
        for (int bit = 0; bit < 18; ++bit) {
            const int a = size_ - 11 + bit % 3;
            const int b = bit / 3;
            top_right |= static_cast<unsigned>(dark(a, b)) << bit;
            bottom_left |= static_cast<unsigned>(dark(b, a)) << bit;
            mark(a, b);
            mark(b, a);
        }
        FUZZ_CHECK(top_right == bottom_left);
        FUZZ_CHECK(bch_remainder(top_right, 0x1F25, 12, 18) == 0);
        return static_cast<int>(top_right >> 12);
    }

    // Unmasks and reads the codewords in placement order (§7.7.3); call after the above.
    std::vector<std::uint8_t> read_codewords(int mask) {
        // The rest of the format areas are function modules too (bit 6's neighbour (8, 6) and
        // (6, 8) are timing modules, already marked).
        std::vector<std::uint8_t> codewords(static_cast<std::size_t>(raw_data_modules(version_) / 8), 0);
        std::size_t bit = 0;
        std::size_t data_modules = 0;
        for (int right = size_ - 1; right >= 1; right -= 2) {
            if (right == 6) right = 5;
            const bool upward = ((right + 1) & 2) == 0;
            for (int step = 0; step < size_; ++step) {
                const int y = upward ? size_ - 1 - step : step;
                for (int x = right; x >= right - 1; --x) {
                    if (function(x, y)) continue;
                    const bool value = dark(x, y) != mask_bit(mask, x, y);
                    if (bit < codewords.size() * 8) {
                        if (value) codewords[bit / 8] |= static_cast<std::uint8_t>(0x80u >> (bit % 8));
                    } else {
                        FUZZ_CHECK(!value);  // remainder bits are zero (light before masking)
                    }
                    ++bit;
                    ++data_modules;
                }
            }
        }
        FUZZ_CHECK(data_modules == static_cast<std::size_t>(raw_data_modules(version_)));
        return codewords;
    }

private:
    void mark(int x, int y) { function_[static_cast<std::size_t>(y * size_ + x)] = true; }
    bool function(int x, int y) const { return function_[static_cast<std::size_t>(y * size_ + x)]; }

    const tf::qr_code& code_;
    int version_;
    int size_;
    std::vector<bool> function_;
};

// De-interleaves (§7.6), checks every block's error correction, returns the data codewords.
std::vector<std::uint8_t> data_of(const std::vector<std::uint8_t>& codewords, int version, int ecc) {
    const int blocks = error_correction_blocks[ecc][version];
    const int ecc_length = ecc_codewords_per_block[ecc][version];
    const int total = static_cast<int>(codewords.size());
    const int short_blocks = blocks - total % blocks;
    const int short_length = total / blocks;  // data and error correction of a short block
    const int short_data = short_length - ecc_length;
    std::vector<std::vector<std::uint8_t>> data(static_cast<std::size_t>(blocks));
    std::vector<std::vector<std::uint8_t>> check(static_cast<std::size_t>(blocks));
    std::size_t k = 0;
    for (int i = 0; i <= short_data; ++i) {
        for (int b = 0; b < blocks; ++b) {
            if (i == short_data && b < short_blocks) continue;  // short blocks have no codeword here
            data[static_cast<std::size_t>(b)].push_back(codewords[k++]);
        }
    }
    for (int i = 0; i < ecc_length; ++i)
        for (int b = 0; b < blocks; ++b) check[static_cast<std::size_t>(b)].push_back(codewords[k++]);
    FUZZ_CHECK(k == codewords.size());
    std::vector<std::uint8_t> all;
    for (int b = 0; b < blocks; ++b) {
        FUZZ_CHECK(reed_solomon(data[static_cast<std::size_t>(b)], ecc_length) ==
                   check[static_cast<std::size_t>(b)]);
        all.insert(all.end(), data[static_cast<std::size_t>(b)].begin(),
                   data[static_cast<std::size_t>(b)].end());
    }
    FUZZ_CHECK(static_cast<int>(all.size()) == data_codewords(version, ecc));
    return all;
}

class bit_stream {
public:
    explicit bit_stream(const std::vector<std::uint8_t>& bytes) : bytes_(bytes) {}
    std::size_t left() const { return bytes_.size() * 8 - position_; }
    std::size_t position() const { return position_; }
    unsigned take(int bits) {
        FUZZ_CHECK(static_cast<std::size_t>(bits) <= left());
        unsigned value = 0;
        for (int i = 0; i < bits; ++i, ++position_)
            value = (value << 1) | ((bytes_[position_ / 8] >> (7 - position_ % 8)) & 1u);
        return value;
    }

private:
    const std::vector<std::uint8_t>& bytes_;
    std::size_t position_ = 0;
};

// Decodes the segments (§7.4) and checks what follows them: the terminator (cut short at the
// end of the capacity), zero bits to the byte boundary, then the pad codewords 0xEC 0x11
// alternately (§7.4.9, §7.4.10). Returns the content; `segment_bits` is the segments' length.
// `declared_utf8` tells whether the stream starts with the ECI header of UTF-8 (§7.4.2.2).
std::string decode_segments(const std::vector<std::uint8_t>& data, int version, bool bytes_only,
                            std::size_t& segment_bits, bool& declared_utf8) {
    bit_stream in(data);
    std::string content;
    int segments = 0;
    segment_bits = 0;
    declared_utf8 = false;
    while (in.left() >= 4) {
        const unsigned mode = in.take(4);
        if (mode == 0) break;  // the terminator
        if (mode == 7) {       // ECI: only first, only for text, and only 000026 (UTF-8)
            FUZZ_CHECK(!bytes_only && segments == 0 && !declared_utf8);
            FUZZ_CHECK(in.take(8) == 26);
            declared_utf8 = true;
            segment_bits = in.position();
            continue;
        }
        FUZZ_CHECK(mode == 1 || mode == 2 || mode == 4);  // numeric, alphanumeric, byte
        FUZZ_CHECK(!bytes_only || mode == 4);
        ++segments;
        const unsigned count = in.take(character_count_bits(static_cast<int>(mode), version));
        // encode_text writes no empty segment; encode_bytes writes one byte segment, even empty.
        FUZZ_CHECK(bytes_only || count > 0);
        if (mode == 1) {
            unsigned done = 0;
            for (; done + 3 <= count; done += 3) {
                const unsigned v = in.take(10);
                FUZZ_CHECK(v < 1000);
                content += static_cast<char>('0' + v / 100);
                content += static_cast<char>('0' + v / 10 % 10);
                content += static_cast<char>('0' + v % 10);
            }
            if (count - done == 2) {
                const unsigned v = in.take(7);
                FUZZ_CHECK(v < 100);
                content += static_cast<char>('0' + v / 10);
                content += static_cast<char>('0' + v % 10);
            } else if (count - done == 1) {
                const unsigned v = in.take(4);
                FUZZ_CHECK(v < 10);
                content += static_cast<char>('0' + v);
            }
        } else if (mode == 2) {
            unsigned done = 0;
            for (; done + 2 <= count; done += 2) {
                const unsigned v = in.take(11);
                FUZZ_CHECK(v < 45 * 45);
                content += alphanumeric_table[v / 45];
                content += alphanumeric_table[v % 45];
            }
            if (done < count) {
                const unsigned v = in.take(6);
                FUZZ_CHECK(v < 45);
                content += alphanumeric_table[v];
            }
        } else {
            for (unsigned i = 0; i < count; ++i) content += static_cast<char>(in.take(8));
        }
        segment_bits = in.position();
    }
    if (bytes_only) FUZZ_CHECK(segments == 1);
    const std::size_t capacity = data.size() * 8;
    const std::size_t zero_end = (std::min(segment_bits + 4, capacity) + 7) / 8 * 8;
    for (std::size_t i = segment_bits; i < zero_end; ++i)
        FUZZ_CHECK(((data[i / 8] >> (7 - i % 8)) & 1u) == 0);
    for (std::size_t i = zero_end / 8; i < data.size(); ++i)
        FUZZ_CHECK(data[i] == ((i - zero_end / 8) % 2 == 0 ? 0xEC : 0x11));
    return content;
}

// ---- Options from the input ---------------------------------------------------------------

struct fuzz_options {
    tf::qr_options options;
    bool text = false;
    bool valid = true;  // within the documented ranges (else invalid_qr_options is expected)
};

fuzz_options options_from(const std::uint8_t* data) {
    fuzz_options f;
    const bool wild = (data[0] & 0x10) != 0;
    f.text = (data[0] & 0x08) != 0;
    f.options.boost_ecc = (data[0] & 0x04) != 0;
    f.options.ecc = static_cast<tf::qr_ecc>(wild ? (data[0] >> 5) : (data[0] & 3));
    if (wild) {
        // Anything, in and out of range.
        f.options.min_version = static_cast<int>(data[1] % 48) - 4;
        f.options.max_version = static_cast<int>(data[2] % 48) - 4;
        f.options.mask = static_cast<int>(data[3] % 12) - 2;
    } else {
        // Valid: min in 1..40, max in min..40, mask auto (half the time) or 0..7.
        f.options.min_version = 1 + data[1] % 40;
        f.options.max_version = f.options.min_version + data[2] % (41 - f.options.min_version);
        f.options.mask = data[3] < 128 ? tf::qr_auto_mask : data[3] % 8;
    }
    const int ecc = static_cast<int>(f.options.ecc);
    f.valid = ecc >= 0 && ecc <= 3 && f.options.min_version >= 1 && f.options.max_version <= 40 &&
              f.options.min_version <= f.options.max_version && f.options.mask >= -1 && f.options.mask <= 7;
    return f;
}

// RFC 3629 by decoding: each sequence's code point must need exactly its length, not be a
// surrogate and not pass U+10FFFF. True when all of `text` is UTF-8 and some byte is not ASCII.
bool is_utf8_beyond_ascii(std::string_view text) {
    bool beyond_ascii = false;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 1;
        std::uint32_t code_point = lead;
        if (lead >= 0x80) {
            beyond_ascii = true;
            if ((lead & 0xE0) == 0xC0) {
                length = 2, code_point = lead & 0x1Fu;
            } else if ((lead & 0xF0) == 0xE0) {
                length = 3, code_point = lead & 0x0Fu;
            } else if ((lead & 0xF8) == 0xF0) {
                length = 4, code_point = lead & 0x07u;
            } else {
                return false;
            }
            if (text.size() - i < length) return false;
            for (std::size_t k = 1; k < length; ++k) {
                const auto next = static_cast<unsigned char>(text[i + k]);
                if ((next & 0xC0) != 0x80) return false;
                code_point = code_point << 6 | (next & 0x3Fu);
            }
            const std::uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
            if (code_point < least[length] || code_point > 0x10FFFF) return false;
            if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
        }
        i += length;
    }
    return beyond_ascii;
}

tf::result<tf::qr_code> encode(const fuzz_options& f, std::string_view payload,
                               const tf::qr_options& options) {
    if (f.text) return tf::qr_code::encode_text(payload, options);
    return tf::qr_code::encode_bytes(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(payload.data()), payload.size()),
        options);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) return 0;
    const fuzz_options f = options_from(data);
    const std::string_view payload(reinterpret_cast<const char*>(data + 4), size - 4);
    const auto code = encode(f, payload, f.options);
    if (!code) {
        if (!f.valid) {
            FUZZ_CHECK(code.error() == tf::errc::invalid_qr_options);
        } else {
            FUZZ_CHECK(code.error() == tf::errc::qr_data_too_long);
        }
        return 0;
    }
    FUZZ_CHECK(f.valid);
    const int version = code->version();
    const int requested = static_cast<int>(f.options.ecc);
    const int ecc = static_cast<int>(code->ecc());
    FUZZ_CHECK(version >= f.options.min_version && version <= f.options.max_version);
    FUZZ_CHECK(code->size() == 17 + 4 * version);
    FUZZ_CHECK(ecc >= 0 && ecc <= 3);
    FUZZ_CHECK(f.options.boost_ecc ? ecc >= requested : ecc == requested);
    if (f.options.mask != tf::qr_auto_mask) FUZZ_CHECK(code->mask() == f.options.mask);
    FUZZ_CHECK(code->mask() >= 0 && code->mask() <= 7);
    FUZZ_CHECK(!code->module(-1, 0) && !code->module(0, code->size()));

    reader r(*code);
    r.check_function_patterns();
    const auto [level_bits, mask] = r.read_format();
    FUZZ_CHECK(level_bits == ecc_format_bits[ecc]);
    FUZZ_CHECK(static_cast<int>(mask) == code->mask());
    FUZZ_CHECK(r.read_version() == version);
    const std::vector<std::uint8_t> codewords = r.read_codewords(code->mask());
    const std::vector<std::uint8_t> stream = data_of(codewords, version, ecc);
    std::size_t segment_bits = 0;
    bool declared_utf8 = false;
    const std::string content = decode_segments(stream, version, !f.text, segment_bits, declared_utf8);
    FUZZ_CHECK(content == payload);
    // UTF-8 is declared exactly for text that is UTF-8 and not all ASCII.
    FUZZ_CHECK(declared_utf8 == (f.text && is_utf8_beyond_ascii(payload)));
    // Never longer than a single byte segment (after the ECI header); boosted only as far as
    // the data still fits.
    FUZZ_CHECK(segment_bits <=
               static_cast<std::size_t>((declared_utf8 ? 12 : 0) + 4 + character_count_bits(4, version)) +
                   8 * payload.size());
    if (f.options.boost_ecc && ecc < 3)
        FUZZ_CHECK(segment_bits > static_cast<std::size_t>(8 * data_codewords(version, ecc + 1)));

    // The smallest version: one below (if allowed) does not hold the data at the requested level.
    if (version > f.options.min_version) {
        tf::qr_options smaller = f.options;
        smaller.max_version = version - 1;
        const auto too_small = encode(f, payload, smaller);
        FUZZ_CHECK(!too_small && too_small.error() == tf::errc::qr_data_too_long);
    }
    return 0;
}
