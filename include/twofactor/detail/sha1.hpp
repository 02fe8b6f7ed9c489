// SHA-1 compression function, portable and constexpr. Spec: FIPS 180-4 §6.1 (also RFC 3174).
#ifndef TWOFACTOR_DETAIL_SHA1_HPP_INCLUDED
#define TWOFACTOR_DETAIL_SHA1_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "bytes.hpp"

namespace twofactor::inline v1::detail {

/// SHA-1 chaining value H0..H4 (FIPS 180-4 §6.1.1).
using sha1_state = std::array<std::uint32_t, 5>;

/// Initial hash value (FIPS 180-4 §5.3.1).
inline constexpr sha1_state sha1_initial_state{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

// The 20 rounds t = 20·Stage .. 20·Stage + 19 of FIPS 180-4 §6.1.2 step 3 (one function and
// constant per stage), with the message schedule (step 1) computed just in time in a 16-word
// ring. Written as a loop that the optimiser unrolls: the ring indices become constants and the
// moves of a..e become renamings, within 3% of hand-unrolled rounds (g++ 12, clang 14), while
// unoptimised builds and compile times stay small.
template <std::size_t Stage>
TWOFACTOR_DETAIL_ALWAYS_INLINE constexpr void sha1_stage(std::uint32_t (&v)[5],
                                                         std::uint32_t (&w)[16]) noexcept {
    std::uint32_t a = v[0], b = v[1], c = v[2], d = v[3], e = v[4];
    TWOFACTOR_DETAIL_UNROLL(20)
    for (std::size_t t = 20 * Stage; t < 20 * Stage + 20; ++t) {
        if (t >= 16) {
            w[t % 16] = std::rotl(w[(t - 3) % 16] ^ w[(t - 8) % 16] ^ w[(t - 14) % 16] ^ w[t % 16], 1);
        }
        std::uint32_t f = 0, k = 0;
        if constexpr (Stage == 0) {
            f = d ^ (b & (c ^ d));  // Ch
            k = 0x5a827999;
        } else if constexpr (Stage == 1) {
            f = b ^ c ^ d;  // Parity
            k = 0x6ed9eba1;
        } else if constexpr (Stage == 2) {
            f = (b & c) | (d & (b | c));  // Maj
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;  // Parity
            k = 0xca62c1d6;
        }
        const std::uint32_t next_a = std::rotl(a, 5) + f + e + k + w[t % 16];
        e = d;
        d = c;
        c = std::rotl(b, 30);
        b = a;
        a = next_a;
    }
    v[0] = a;
    v[1] = b;
    v[2] = c;
    v[3] = d;
    v[4] = e;
}

/// Portable SHA-1 compression of `block_count` consecutive 64-byte blocks starting at `blocks` into `state`.
/// Usable in constant evaluation; the run-time dispatch to SHA-NI lives in twofactor::sha1.
constexpr void sha1_compress_portable(sha1_state& state, const std::byte* blocks,
                                      std::size_t block_count) noexcept {
    for (; block_count != 0; --block_count, blocks += 64) {
        std::uint32_t w[16] = {};
        for (std::size_t i = 0; i < 16; ++i) {
            w[i] = load_be32(blocks + 4 * i);
        }
        std::uint32_t v[5] = {state[0], state[1], state[2], state[3], state[4]};
        sha1_stage<0>(v, w);
        sha1_stage<1>(v, w);
        sha1_stage<2>(v, w);
        sha1_stage<3>(v, w);
        for (std::size_t i = 0; i < 5; ++i) {
            state[i] += v[i];
        }
    }
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_SHA1_HPP_INCLUDED
