// SHA-1 compression function, portable and constexpr. Spec: FIPS 180-4 §6.1 (also RFC 3174).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "bytes.hpp"

namespace twofactor::inline v1::detail {

/// SHA-1 chaining value H0..H4 (FIPS 180-4 §6.1.1).
using sha1_state = std::array<std::uint32_t, 5>;

/// Initial hash value (FIPS 180-4 §5.3.1).
inline constexpr sha1_state sha1_initial_state{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

// One round t of FIPS 180-4 §6.1.2 step 3. The working variables a..e are not moved between
// rounds: round t uses v[(role - t) mod 5] for role a=0..e=4, so after inlining every index is a
// constant and the variables live in registers. The schedule W is kept in a 16-word ring.
template <std::size_t T>
TWOFACTOR_DETAIL_ALWAYS_INLINE constexpr void sha1_round(std::uint32_t (&v)[5],
                                                         std::uint32_t (&w)[16]) noexcept {
    constexpr std::size_t a = (80 + 0 - T) % 5, b = (80 + 1 - T) % 5, c = (80 + 2 - T) % 5,
                          d = (80 + 3 - T) % 5, e = (80 + 4 - T) % 5;
    if constexpr (T >= 16) {
        w[T % 16] = std::rotl(w[(T - 3) % 16] ^ w[(T - 8) % 16] ^ w[(T - 14) % 16] ^ w[T % 16], 1);
    }
    std::uint32_t f = 0, k = 0;
    if constexpr (T < 20) {
        f = v[d] ^ (v[b] & (v[c] ^ v[d]));  // Ch
        k = 0x5a827999;
    } else if constexpr (T < 40) {
        f = v[b] ^ v[c] ^ v[d];  // Parity
        k = 0x6ed9eba1;
    } else if constexpr (T < 60) {
        f = (v[b] & v[c]) | (v[d] & (v[b] | v[c]));  // Maj
        k = 0x8f1bbcdc;
    } else {
        f = v[b] ^ v[c] ^ v[d];  // Parity
        k = 0xca62c1d6;
    }
    v[e] += std::rotl(v[a], 5) + f + k + w[T % 16];
    v[b] = std::rotl(v[b], 30);
}

template <std::size_t... T>
TWOFACTOR_DETAIL_ALWAYS_INLINE constexpr void sha1_rounds(std::uint32_t (&v)[5], std::uint32_t (&w)[16],
                                                          std::index_sequence<T...>) noexcept {
    (sha1_round<T>(v, w), ...);
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
        sha1_rounds(v, w, std::make_index_sequence<80>{});
        for (std::size_t i = 0; i < 5; ++i) {
            state[i] += v[i];  // after 80 rounds (a multiple of 5) the roles are back in place
        }
    }
}

}  // namespace twofactor::inline v1::detail
