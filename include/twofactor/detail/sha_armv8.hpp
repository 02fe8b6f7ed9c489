// SHA-1 and SHA-256 compression with the ARMv8 Cryptography Extension (AArch64 SHA1C/SHA1P/SHA1M/
// SHA1H/SHA1SU0/SHA1SU1 and SHA256H/SHA256H2/SHA256SU0/SHA256SU1).
// Specs: FIPS 180-4 §6.1.2 and §6.2.2; instruction semantics: Arm Architecture Reference Manual for
// A-profile, and the Arm C Language Extensions (ACLE) for the vsha*q_u32 intrinsics.
// Results are bit-identical to detail/sha1.hpp and detail/sha2.hpp.
//
// Only compiled for little-endian AArch64 with GCC or Clang (MSVC and big-endian targets keep the
// portable path). Every function carries a target attribute, so the program need not be built with
// +crypto; callers must check cpu_has_armv8_sha() (detail/cpu_features.hpp) before calling.
//
// The lane kernels compress one block for each of `Lanes` independent states with the instructions
// of all lanes interleaved group by group, as detail/sha_ni.hpp does, so that one lane's chain of
// dependent SHA1C/SHA256H instructions overlaps with the others'.
#ifndef TWOFACTOR_DETAIL_SHA_ARMV8_HPP_INCLUDED
#define TWOFACTOR_DETAIL_SHA_ARMV8_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#if defined(__aarch64__) && !defined(__AARCH64EB__)

#include <arm_neon.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "sha1.hpp"
#include "sha2.hpp"

#if defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO)
// The whole translation unit targets a CPU with the SHA instructions: no attribute needed.
#define TWOFACTOR_DETAIL_ARMV8_TARGET
#elif defined(__clang__)
#define TWOFACTOR_DETAIL_ARMV8_TARGET __attribute__((target("crypto")))
// Clang before 16 declares the SHA intrinsics of <arm_neon.h> only when the translation unit is
// built with the SHA extension; the builtins behind them work in any function whose target has it.
#if __clang_major__ < 16
#define TWOFACTOR_DETAIL_ARMV8_BUILTINS
#endif
#else
#define TWOFACTOR_DETAIL_ARMV8_TARGET __attribute__((target("+crypto")))
#endif
#define TWOFACTOR_DETAIL_ARMV8_INLINE TWOFACTOR_DETAIL_ARMV8_TARGET __attribute__((always_inline)) inline
#define TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES _Pragma("GCC unroll 16")

namespace twofactor::inline v1::detail {

// ---------------------------------------------------------------------------------------------
// The instructions used, one function each, named after their ACLE intrinsics (v<name>q_u32).
namespace armv8 {

using vec = uint32x4_t;

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1c(vec abcd, std::uint32_t e, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return __builtin_neon_vsha1cq_u32(abcd, e, wk);
#else
    return vsha1cq_u32(abcd, e, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1p(vec abcd, std::uint32_t e, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return __builtin_neon_vsha1pq_u32(abcd, e, wk);
#else
    return vsha1pq_u32(abcd, e, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1m(vec abcd, std::uint32_t e, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return __builtin_neon_vsha1mq_u32(abcd, e, wk);
#else
    return vsha1mq_u32(abcd, e, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE std::uint32_t sha1h(std::uint32_t a) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return __builtin_neon_vsha1h_u32(a);
#else
    return vsha1h_u32(a);
#endif
}

#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
// The Clang builtins of the vector-only instructions take byte vectors and the code of the
// element type (clang's NeonTypeFlags: 32-bit unsigned, quad register).
inline constexpr int uint32x4_type_code = 50;
#endif

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1su0(vec w0, vec w4, vec w8) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(
        __builtin_neon_vsha1su0q_v(reinterpret_cast<int8x16_t>(w0), reinterpret_cast<int8x16_t>(w4),
                                   reinterpret_cast<int8x16_t>(w8), uint32x4_type_code));
#else
    return vsha1su0q_u32(w0, w4, w8);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1su1(vec partial, vec w12) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(__builtin_neon_vsha1su1q_v(
        reinterpret_cast<int8x16_t>(partial), reinterpret_cast<int8x16_t>(w12), uint32x4_type_code));
#else
    return vsha1su1q_u32(partial, w12);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha256h(vec abcd, vec efgh, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(
        __builtin_neon_vsha256hq_v(reinterpret_cast<int8x16_t>(abcd), reinterpret_cast<int8x16_t>(efgh),
                                   reinterpret_cast<int8x16_t>(wk), uint32x4_type_code));
#else
    return vsha256hq_u32(abcd, efgh, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha256h2(vec efgh, vec abcd, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(
        __builtin_neon_vsha256h2q_v(reinterpret_cast<int8x16_t>(efgh), reinterpret_cast<int8x16_t>(abcd),
                                    reinterpret_cast<int8x16_t>(wk), uint32x4_type_code));
#else
    return vsha256h2q_u32(efgh, abcd, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha256su0(vec w0, vec w4) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(__builtin_neon_vsha256su0q_v(
        reinterpret_cast<int8x16_t>(w0), reinterpret_cast<int8x16_t>(w4), uint32x4_type_code));
#else
    return vsha256su0q_u32(w0, w4);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha256su1(vec partial, vec w8, vec w12) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(
        __builtin_neon_vsha256su1q_v(reinterpret_cast<int8x16_t>(partial), reinterpret_cast<int8x16_t>(w8),
                                     reinterpret_cast<int8x16_t>(w12), uint32x4_type_code));
#else
    return vsha256su1q_u32(partial, w8, w12);
#endif
}

/// Four big-endian message words W[t..t+3] from 16 bytes, W[t] in lane 0.
TWOFACTOR_DETAIL_ARMV8_INLINE vec load_message(const std::byte* p) noexcept {
    return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(reinterpret_cast<const std::uint8_t*>(p))));
}

}  // namespace armv8

// ---------------------------------------------------------------------------------------------
// SHA-1. The state is ABCD in one register (A in lane 0) and E in a general register; each group g
// of four rounds consumes W[4g..4g+3] from a ring of four registers.

template <std::size_t Lanes>
struct sha1_armv8_lanes_state {
    armv8::vec abcd[Lanes];
    std::uint32_t e[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha1_armv8_group(sha1_armv8_lanes_state<Lanes>& s,
                                                    armv8::vec (&w)[Lanes][4]) noexcept {
    constexpr std::uint32_t k[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};
    const armv8::vec round_constant = vdupq_n_u32(k[G / 5]);
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[4g..4g+3] from W[4g-16..4g-1]; the ring slot g%4 still holds W[4g-16..4g-13].
            w[l][G % 4] = armv8::sha1su1(armv8::sha1su0(w[l][G % 4], w[l][(G + 1) % 4], w[l][(G + 2) % 4]),
                                         w[l][(G + 3) % 4]);
        }
        const armv8::vec wk = vaddq_u32(w[l][G % 4], round_constant);
        // E of the next group is A of this one rotated by 30 (E <- D <- C <- rol30(B) <- A).
        const std::uint32_t next_e = armv8::sha1h(vgetq_lane_u32(s.abcd[l], 0));
        if constexpr (G < 5) {
            s.abcd[l] = armv8::sha1c(s.abcd[l], s.e[l], wk);  // rounds 0-19: Ch
        } else if constexpr (G >= 10 && G < 15) {
            s.abcd[l] = armv8::sha1m(s.abcd[l], s.e[l], wk);  // rounds 40-59: Maj
        } else {
            s.abcd[l] = armv8::sha1p(s.abcd[l], s.e[l], wk);  // rounds 20-39, 60-79: Parity
        }
        s.e[l] = next_e;
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha1_armv8_groups(sha1_armv8_lanes_state<Lanes>& s,
                                                     armv8::vec (&w)[Lanes][4],
                                                     std::index_sequence<G...>) noexcept {
    (sha1_armv8_group<G>(s, w), ...);
}

// One block per lane: blocks[l] is compressed into lane l.
template <std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha1_armv8_compress_block(
    sha1_armv8_lanes_state<Lanes>& s, const std::byte* const (&blocks)[Lanes]) noexcept {
    armv8::vec w[Lanes][4];
    const sha1_armv8_lanes_state<Lanes> saved = s;
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        for (std::size_t i = 0; i < 4; ++i) {
            w[l][i] = armv8::load_message(blocks[l] + 16 * i);
        }
    }
    sha1_armv8_groups(s, w, std::make_index_sequence<20>{});
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abcd[l] = vaddq_u32(s.abcd[l], saved.abcd[l]);
        s.e[l] += saved.e[l];
    }
}

/// SHA-1 compression of `block_count` consecutive 64-byte blocks with the ARMv8 SHA instructions.
/// Precondition: cpu_has_armv8_sha().
TWOFACTOR_DETAIL_ARMV8_TARGET inline void sha1_compress_armv8(sha1_state& state, const std::byte* blocks,
                                                              std::size_t block_count) noexcept {
    sha1_armv8_lanes_state<1> s;
    s.abcd[0] = vld1q_u32(state.data());
    s.e[0] = state[4];
    for (; block_count != 0; --block_count, blocks += 64) {
        const std::byte* const block[1] = {blocks};
        sha1_armv8_compress_block(s, block);
    }
    vst1q_u32(state.data(), s.abcd[0]);
    state[4] = s.e[0];
}

/// Compresses blocks[l] into states[l] for every lane, interleaved. Precondition: cpu_has_armv8_sha().
template <std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_TARGET void sha1_compress_lanes_armv8(
    std::array<sha1_state, Lanes>& states,
    const std::array<std::array<std::byte, 64>, Lanes>& blocks) noexcept {
    sha1_armv8_lanes_state<Lanes> s;
    const std::byte* block_pointers[Lanes];
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abcd[l] = vld1q_u32(states[l].data());
        s.e[l] = states[l][4];
        block_pointers[l] = blocks[l].data();
    }
    sha1_armv8_compress_block(s, block_pointers);
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        vst1q_u32(states[l].data(), s.abcd[l]);
        states[l][4] = s.e[l];
    }
}

// ---------------------------------------------------------------------------------------------
// SHA-256. The state is ABCD and EFGH in two registers (A and E in lane 0), exactly the word order
// of sha256_state; each group g of four rounds consumes W[4g..4g+3] + K[4g..4g+3].

template <std::size_t Lanes>
struct sha256_armv8_lanes_state {
    armv8::vec abcd[Lanes];
    armv8::vec efgh[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha256_armv8_group(sha256_armv8_lanes_state<Lanes>& s,
                                                      armv8::vec (&w)[Lanes][4]) noexcept {
    const armv8::vec round_constants = vld1q_u32(sha256_round_constants.data() + 4 * G);
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]; the ring slot g%4 holds W[4g-16..4g-13].
            w[l][G % 4] = armv8::sha256su1(armv8::sha256su0(w[l][G % 4], w[l][(G + 1) % 4]),
                                           w[l][(G + 2) % 4], w[l][(G + 3) % 4]);
        }
        const armv8::vec wk = vaddq_u32(w[l][G % 4], round_constants);
        const armv8::vec abcd = s.abcd[l];  // SHA256H2 needs ABCD from before the rounds
        s.abcd[l] = armv8::sha256h(abcd, s.efgh[l], wk);
        s.efgh[l] = armv8::sha256h2(s.efgh[l], abcd, wk);
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha256_armv8_groups(sha256_armv8_lanes_state<Lanes>& s,
                                                       armv8::vec (&w)[Lanes][4],
                                                       std::index_sequence<G...>) noexcept {
    (sha256_armv8_group<G>(s, w), ...);
}

template <std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha256_armv8_compress_block(
    sha256_armv8_lanes_state<Lanes>& s, const std::byte* const (&blocks)[Lanes]) noexcept {
    armv8::vec w[Lanes][4];
    const sha256_armv8_lanes_state<Lanes> saved = s;
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        for (std::size_t i = 0; i < 4; ++i) {
            w[l][i] = armv8::load_message(blocks[l] + 16 * i);
        }
    }
    sha256_armv8_groups(s, w, std::make_index_sequence<16>{});
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abcd[l] = vaddq_u32(s.abcd[l], saved.abcd[l]);
        s.efgh[l] = vaddq_u32(s.efgh[l], saved.efgh[l]);
    }
}

/// SHA-256 compression of `block_count` consecutive 64-byte blocks with the ARMv8 SHA instructions.
/// Precondition: cpu_has_armv8_sha().
TWOFACTOR_DETAIL_ARMV8_TARGET inline void sha256_compress_armv8(sha256_state& state, const std::byte* blocks,
                                                                std::size_t block_count) noexcept {
    sha256_armv8_lanes_state<1> s;
    s.abcd[0] = vld1q_u32(state.data());
    s.efgh[0] = vld1q_u32(state.data() + 4);
    for (; block_count != 0; --block_count, blocks += 64) {
        const std::byte* const block[1] = {blocks};
        sha256_armv8_compress_block(s, block);
    }
    vst1q_u32(state.data(), s.abcd[0]);
    vst1q_u32(state.data() + 4, s.efgh[0]);
}

/// Compresses blocks[l] into states[l] for every lane, interleaved. Precondition: cpu_has_armv8_sha().
template <std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_TARGET void sha256_compress_lanes_armv8(
    std::array<sha256_state, Lanes>& states,
    const std::array<std::array<std::byte, 64>, Lanes>& blocks) noexcept {
    sha256_armv8_lanes_state<Lanes> s;
    const std::byte* block_pointers[Lanes];
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abcd[l] = vld1q_u32(states[l].data());
        s.efgh[l] = vld1q_u32(states[l].data() + 4);
        block_pointers[l] = blocks[l].data();
    }
    sha256_armv8_compress_block(s, block_pointers);
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        vst1q_u32(states[l].data(), s.abcd[l]);
        vst1q_u32(states[l].data() + 4, s.efgh[l]);
    }
}

}  // namespace twofactor::inline v1::detail

#undef TWOFACTOR_DETAIL_ARMV8_TARGET
#undef TWOFACTOR_DETAIL_ARMV8_INLINE
#undef TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
#undef TWOFACTOR_DETAIL_ARMV8_BUILTINS

#endif  // little-endian AArch64

#endif  // TWOFACTOR_DETAIL_SHA_ARMV8_HPP_INCLUDED
