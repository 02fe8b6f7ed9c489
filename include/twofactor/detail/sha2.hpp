// SHA-256 and SHA-512 compression functions, portable and constexpr. Spec: FIPS 180-4 §6.2 and §6.4.
#ifndef TWOFACTOR_DETAIL_SHA2_HPP_INCLUDED
#define TWOFACTOR_DETAIL_SHA2_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "bytes.hpp"

namespace twofactor::inline v1::detail {

/// SHA-256 chaining value H0..H7 (FIPS 180-4 §6.2).
using sha256_state = std::array<std::uint32_t, 8>;
/// SHA-512 chaining value H0..H7 (FIPS 180-4 §6.4).
using sha512_state = std::array<std::uint64_t, 8>;

/// SHA-256 initial hash value (FIPS 180-4 §5.3.3).
inline constexpr sha256_state sha256_initial_state{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/// SHA-512 initial hash value (FIPS 180-4 §5.3.5).
inline constexpr sha512_state sha512_initial_state{0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
                                                   0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
                                                   0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};

/// SHA-256 round constants K0..K63 (FIPS 180-4 §4.2.2).
inline constexpr std::array<std::uint32_t, 64> sha256_round_constants{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/// SHA-512 round constants K0..K79 (FIPS 180-4 §4.2.3).
inline constexpr std::array<std::uint64_t, 80> sha512_round_constants{
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

// The four SHA-2 functions (FIPS 180-4 §4.1.2 and §4.1.3), written in the nested form
// rotr(rotr(x, m) ^ x, n) = rotr(x, m + n) ^ rotr(x, n): fewer copies and temporaries than three
// independent rotations, which keeps the round function within the general-purpose registers.
template <class Word>
struct sha2_functions;

template <>
struct sha2_functions<std::uint32_t> {
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint32_t big_sigma0(std::uint32_t x) noexcept {
        return std::rotr(std::rotr(std::rotr(x, 9) ^ x, 11) ^ x, 2);  // ROTR 2 ^ ROTR 13 ^ ROTR 22
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint32_t big_sigma1(std::uint32_t x) noexcept {
        return std::rotr(std::rotr(std::rotr(x, 14) ^ x, 5) ^ x, 6);  // ROTR 6 ^ ROTR 11 ^ ROTR 25
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint32_t small_sigma0(std::uint32_t x) noexcept {
        return std::rotr(std::rotr(x, 11) ^ x, 7) ^ (x >> 3);  // ROTR 7 ^ ROTR 18 ^ SHR 3
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint32_t small_sigma1(std::uint32_t x) noexcept {
        return std::rotr(std::rotr(x, 2) ^ x, 17) ^ (x >> 10);  // ROTR 17 ^ ROTR 19 ^ SHR 10
    }
};

template <>
struct sha2_functions<std::uint64_t> {
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint64_t big_sigma0(std::uint64_t x) noexcept {
        return std::rotr(std::rotr(std::rotr(x, 5) ^ x, 6) ^ x, 28);  // ROTR 28 ^ ROTR 34 ^ ROTR 39
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint64_t big_sigma1(std::uint64_t x) noexcept {
        return std::rotr(std::rotr(std::rotr(x, 23) ^ x, 4) ^ x, 14);  // ROTR 14 ^ ROTR 18 ^ ROTR 41
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint64_t small_sigma0(std::uint64_t x) noexcept {
        return std::rotr(std::rotr(x, 7) ^ x, 1) ^ (x >> 7);  // ROTR 1 ^ ROTR 8 ^ SHR 7
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint64_t small_sigma1(std::uint64_t x) noexcept {
        return std::rotr(std::rotr(x, 42) ^ x, 19) ^ (x >> 6);  // ROTR 19 ^ ROTR 61 ^ SHR 6
    }
};

// 16 rounds t = base .. base + 15 of FIPS 180-4 §6.2.2 / §6.4.2 step 3, with the message
// schedule (step 1) computed just in time in a 16-word ring (from the second group on:
// `Schedule`). Written as a loop that the optimiser unrolls: the ring indices become constants
// and the moves of a..h become renamings, within 3% of hand-unrolled rounds (g++ 12, clang 14),
// while unoptimised builds and compile times stay small.
template <bool Schedule, class Word, std::size_t Rounds>
TWOFACTOR_DETAIL_ALWAYS_INLINE constexpr void sha2_round_group(Word (&v)[8], Word (&w)[16],
                                                               const std::array<Word, Rounds>& k,
                                                               std::size_t base) noexcept {
    using f = sha2_functions<Word>;
    Word a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], ff = v[5], g = v[6], h = v[7];
    TWOFACTOR_DETAIL_UNROLL(16)
    for (std::size_t j = 0; j < 16; ++j) {
        if constexpr (Schedule) {
            w[j] += f::small_sigma1(w[(j + 14) % 16]) + w[(j + 9) % 16] + f::small_sigma0(w[(j + 1) % 16]);
        }
        const Word t1 = h + (k[base + j] + w[j]) + (g ^ (e & (ff ^ g))) + f::big_sigma1(e);
        const Word t2 = ((a & (b ^ c)) ^ (b & c)) + f::big_sigma0(a);
        h = g;
        g = ff;
        ff = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    v[0] = a;
    v[1] = b;
    v[2] = c;
    v[3] = d;
    v[4] = e;
    v[5] = ff;
    v[6] = g;
    v[7] = h;
}

template <class Word, std::size_t Rounds>
constexpr void sha2_compress_portable(std::array<Word, 8>& state, const std::byte* blocks,
                                      std::size_t block_count, const std::array<Word, Rounds>& k) noexcept {
    static_assert(Rounds % 16 == 0, "whole groups of 16 rounds");
    constexpr std::size_t block_size = 16 * sizeof(Word);
    for (; block_count != 0; --block_count, blocks += block_size) {
        Word w[16] = {};
        for (std::size_t i = 0; i < 16; ++i) {
            if constexpr (sizeof(Word) == 4) {
                w[i] = load_be32(blocks + 4 * i);
            } else {
                w[i] = load_be64(blocks + 8 * i);
            }
        }
        Word v[8] = {state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]};
        sha2_round_group<false>(v, w, k, 0);  // W0..W15 are the block's words
        for (std::size_t base = 16; base < Rounds; base += 16) {
            sha2_round_group<true>(v, w, k, base);
        }
        for (std::size_t i = 0; i < 8; ++i) {
            state[i] += v[i];
        }
    }
}

/// Portable SHA-256 compression of `block_count` consecutive 64-byte blocks into `state`. constexpr.
constexpr void sha256_compress_portable(sha256_state& state, const std::byte* blocks,
                                        std::size_t block_count) noexcept {
    sha2_compress_portable(state, blocks, block_count, sha256_round_constants);
}

/// Portable SHA-512 compression of `block_count` consecutive 128-byte blocks into `state`. constexpr.
/// (No x86 CPU we target has SHA512 instructions, so this is also the run-time path.)
constexpr void sha512_compress_portable(sha512_state& state, const std::byte* blocks,
                                        std::size_t block_count) noexcept {
    sha2_compress_portable(state, blocks, block_count, sha512_round_constants);
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_SHA2_HPP_INCLUDED
