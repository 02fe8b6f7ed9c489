// SHA-1 and SHA-256 compression with the x86 SHA extensions (SHA-NI).
// Specs: FIPS 180-4 §6.1.2 and §6.2.2; instruction semantics: Intel SDM Vol. 2 (SHA1RNDS4, SHA1NEXTE,
// SHA1MSG1/2, SHA256RNDS2, SHA256MSG1/2). Results are bit-identical to detail/sha1.hpp and detail/sha2.hpp.
//
// Only compiled for x86-64. Every function carries a target attribute, so no global -msha is needed;
// callers must check cpu_has_sha_ni() (detail/cpu_features.hpp) before calling.
//
// The lane kernels compress one block for each of `Lanes` independent states with the instructions
// of all lanes interleaved group by group, so that the latency of one lane's SHA1RNDS4/SHA256RNDS2
// chain is hidden behind the others' (instruction-level parallelism).
#pragma once

#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "sha1.hpp"
#include "sha2.hpp"

#if defined(__GNUC__) || defined(__clang__)
#define TWOFACTOR_DETAIL_SHA_NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define TWOFACTOR_DETAIL_SHA_NI_INLINE __attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline
#define TWOFACTOR_DETAIL_UNROLL_LANES _Pragma("GCC unroll 16")
#else
#define TWOFACTOR_DETAIL_SHA_NI_TARGET
#define TWOFACTOR_DETAIL_SHA_NI_INLINE __forceinline
#define TWOFACTOR_DETAIL_UNROLL_LANES
#endif

namespace twofactor::inline v1::detail {

// ---------------------------------------------------------------------------------------------
// SHA-1. The state is kept as ABCD (A in the most significant lane) plus E in the top lane of a
// second register; each group g of four rounds consumes W[4g..4g+3] from a ring of four registers.

TWOFACTOR_DETAIL_SHA_NI_INLINE __m128i sha1_ni_load_message(const std::byte* p) noexcept {
    // Reverses all 16 bytes: big-endian words, and W[t] ends up in the most significant lane.
    const __m128i mask = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    return _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), mask);
}

template <std::size_t Lanes>
struct sha1_ni_lanes_state {
    __m128i abcd[Lanes];
    __m128i e[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_group(sha1_ni_lanes_state<Lanes>& s, __m128i (&prev)[Lanes],
                                                  __m128i (&w)[Lanes][4]) noexcept {
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[4g..4g+3] from W[4g-16..4g-1]; the ring slot g%4 still holds W[4g-16..4g-13].
            w[l][G % 4] = _mm_sha1msg2_epu32(
                _mm_xor_si128(_mm_sha1msg1_epu32(w[l][G % 4], w[l][(G + 1) % 4]), w[l][(G + 2) % 4]),
                w[l][(G + 3) % 4]);
        }
        __m128i e_plus_w;
        if constexpr (G == 0) {
            e_plus_w = _mm_add_epi32(s.e[l], w[l][0]);
        } else {
            e_plus_w = _mm_sha1nexte_epu32(prev[l], w[l][G % 4]);
        }
        prev[l] = s.abcd[l];
        s.abcd[l] = _mm_sha1rnds4_epu32(s.abcd[l], e_plus_w, static_cast<int>(G / 5));
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_groups(sha1_ni_lanes_state<Lanes>& s, __m128i (&prev)[Lanes],
                                                   __m128i (&w)[Lanes][4],
                                                   std::index_sequence<G...>) noexcept {
    (sha1_ni_group<G>(s, prev, w), ...);
}

// One block per lane: blocks[l] is compressed into lane l.
template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_compress_block(sha1_ni_lanes_state<Lanes>& s,
                                                           const std::byte* const (&blocks)[Lanes]) noexcept {
    __m128i w[Lanes][4];
    __m128i prev[Lanes];
    const sha1_ni_lanes_state<Lanes> saved = s;
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        for (std::size_t i = 0; i < 4; ++i) {
            w[l][i] = sha1_ni_load_message(blocks[l] + 16 * i);
        }
    }
    sha1_ni_groups(s, prev, w, std::make_index_sequence<20>{});
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.e[l] = _mm_sha1nexte_epu32(prev[l], saved.e[l]);  // rol(A of round 76, 30) + E_saved
        s.abcd[l] = _mm_add_epi32(s.abcd[l], saved.abcd[l]);
    }
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_load_state(const sha1_state& state, __m128i& abcd,
                                                       __m128i& e) noexcept {
    abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data())), 0x1b);
    e = _mm_set_epi32(static_cast<int>(state[4]), 0, 0, 0);
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_store_state(sha1_state& state, __m128i abcd, __m128i e) noexcept {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data()), _mm_shuffle_epi32(abcd, 0x1b));
    state[4] = static_cast<std::uint32_t>(_mm_extract_epi32(e, 3));
}

/// SHA-1 compression of `block_count` consecutive 64-byte blocks with SHA-NI. Precondition: cpu_has_sha_ni().
TWOFACTOR_DETAIL_SHA_NI_TARGET inline void sha1_compress_sha_ni(sha1_state& state, const std::byte* blocks,
                                                                std::size_t block_count) noexcept {
    sha1_ni_lanes_state<1> s;
    sha1_ni_load_state(state, s.abcd[0], s.e[0]);
    for (; block_count != 0; --block_count, blocks += 64) {
        const std::byte* const block[1] = {blocks};
        sha1_ni_compress_block(s, block);
    }
    sha1_ni_store_state(state, s.abcd[0], s.e[0]);
}

/// Compresses blocks[l] into states[l] for every lane, interleaved. Precondition: cpu_has_sha_ni().
template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_TARGET void sha1_compress_lanes_sha_ni(
    std::array<sha1_state, Lanes>& states,
    const std::array<std::array<std::byte, 64>, Lanes>& blocks) noexcept {
    sha1_ni_lanes_state<Lanes> s;
    const std::byte* block_pointers[Lanes];
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        sha1_ni_load_state(states[l], s.abcd[l], s.e[l]);
        block_pointers[l] = blocks[l].data();
    }
    sha1_ni_compress_block(s, block_pointers);
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        sha1_ni_store_state(states[l], s.abcd[l], s.e[l]);
    }
}

// ---------------------------------------------------------------------------------------------
// SHA-256. SHA256RNDS2 works on the state split as ABEF and CDGH (A in the most significant lane);
// each group g of four rounds consumes W[4g..4g+3] + K[4g..4g+3] in two double rounds.

TWOFACTOR_DETAIL_SHA_NI_INLINE __m128i sha256_ni_load_message(const std::byte* p) noexcept {
    // Byte-swaps each 32-bit word; W[t] stays in lane t % 4.
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    return _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), mask);
}

template <std::size_t Lanes>
struct sha256_ni_lanes_state {
    __m128i abef[Lanes];
    __m128i cdgh[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_group(sha256_ni_lanes_state<Lanes>& s,
                                                    __m128i (&w)[Lanes][4]) noexcept {
    constexpr auto& k = sha256_round_constants;
    const __m128i round_constants =
        _mm_set_epi32(static_cast<int>(k[4 * G + 3]), static_cast<int>(k[4 * G + 2]),
                      static_cast<int>(k[4 * G + 1]), static_cast<int>(k[4 * G]));
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]; the ring slot g%4 holds W[4g-16..4g-13].
            const __m128i w_minus_7 = _mm_alignr_epi8(w[l][(G + 3) % 4], w[l][(G + 2) % 4], 4);
            w[l][G % 4] = _mm_sha256msg2_epu32(
                _mm_add_epi32(_mm_sha256msg1_epu32(w[l][G % 4], w[l][(G + 1) % 4]), w_minus_7),
                w[l][(G + 3) % 4]);
        }
        const __m128i wk = _mm_add_epi32(w[l][G % 4], round_constants);
        s.cdgh[l] = _mm_sha256rnds2_epu32(s.cdgh[l], s.abef[l], wk);  // now holds the new ABEF
        // The old ABEF is the CDGH of two rounds later; the result is the ABEF of four rounds later,
        // and the intermediate ABEF (in cdgh) is their CDGH: the roles are back in place.
        s.abef[l] = _mm_sha256rnds2_epu32(s.abef[l], s.cdgh[l], _mm_shuffle_epi32(wk, 0x0e));
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_groups(sha256_ni_lanes_state<Lanes>& s, __m128i (&w)[Lanes][4],
                                                     std::index_sequence<G...>) noexcept {
    (sha256_ni_group<G>(s, w), ...);
}

template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_compress_block(
    sha256_ni_lanes_state<Lanes>& s, const std::byte* const (&blocks)[Lanes]) noexcept {
    __m128i w[Lanes][4];
    const sha256_ni_lanes_state<Lanes> saved = s;
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        for (std::size_t i = 0; i < 4; ++i) {
            w[l][i] = sha256_ni_load_message(blocks[l] + 16 * i);
        }
    }
    sha256_ni_groups(s, w, std::make_index_sequence<16>{});
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abef[l] = _mm_add_epi32(s.abef[l], saved.abef[l]);
        s.cdgh[l] = _mm_add_epi32(s.cdgh[l], saved.cdgh[l]);
    }
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_load_state(const sha256_state& state, __m128i& abef,
                                                         __m128i& cdgh) noexcept {
    const __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data()));      // D C B A
    const __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data() + 4));  // H G F E
    const __m128i badc = _mm_shuffle_epi32(abcd, 0xb1);                                        // C D A B
    const __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);                                        // E F G H
    abef = _mm_alignr_epi8(badc, hgfe, 8);                                                     // A B E F
    cdgh = _mm_blend_epi16(hgfe, badc, 0xf0);                                                  // C D G H
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_store_state(sha256_state& state, __m128i abef,
                                                          __m128i cdgh) noexcept {
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1b);  // F E B A
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);  // D C H G
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data()), _mm_blend_epi16(feba, dchg, 0xf0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data() + 4), _mm_alignr_epi8(dchg, feba, 8));
}

/// SHA-256 compression of `block_count` consecutive 64-byte blocks with SHA-NI. Precondition:
/// cpu_has_sha_ni().
TWOFACTOR_DETAIL_SHA_NI_TARGET inline void sha256_compress_sha_ni(sha256_state& state,
                                                                  const std::byte* blocks,
                                                                  std::size_t block_count) noexcept {
    sha256_ni_lanes_state<1> s;
    sha256_ni_load_state(state, s.abef[0], s.cdgh[0]);
    for (; block_count != 0; --block_count, blocks += 64) {
        const std::byte* const block[1] = {blocks};
        sha256_ni_compress_block(s, block);
    }
    sha256_ni_store_state(state, s.abef[0], s.cdgh[0]);
}

/// Compresses blocks[l] into states[l] for every lane, interleaved. Precondition: cpu_has_sha_ni().
template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_TARGET void sha256_compress_lanes_sha_ni(
    std::array<sha256_state, Lanes>& states,
    const std::array<std::array<std::byte, 64>, Lanes>& blocks) noexcept {
    sha256_ni_lanes_state<Lanes> s;
    const std::byte* block_pointers[Lanes];
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        sha256_ni_load_state(states[l], s.abef[l], s.cdgh[l]);
        block_pointers[l] = blocks[l].data();
    }
    sha256_ni_compress_block(s, block_pointers);
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        sha256_ni_store_state(states[l], s.abef[l], s.cdgh[l]);
    }
}

}  // namespace twofactor::inline v1::detail

#undef TWOFACTOR_DETAIL_SHA_NI_TARGET
#undef TWOFACTOR_DETAIL_SHA_NI_INLINE
#undef TWOFACTOR_DETAIL_UNROLL_LANES

#endif  // x86-64
