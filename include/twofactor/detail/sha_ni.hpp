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
#ifndef TWOFACTOR_DETAIL_SHA_NI_HPP_INCLUDED
#define TWOFACTOR_DETAIL_SHA_NI_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#if defined(__x86_64__) || defined(_M_X64)

// MSVC uses the intrinsics of <immintrin.h>; GCC and Clang (also clang-cl) the builtins behind them.
#if defined(_MSC_VER) && !defined(__clang__)
#define TWOFACTOR_DETAIL_SHA_NI_INTRINSICS
#include <immintrin.h>
#endif

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
// The instructions used, one function each, named after their Intel intrinsics (_mm_<name>).
// GCC and Clang get the compiler builtins the intrinsics are made of, on vector types of our own,
// because <immintrin.h> declares every x86 extension up to AVX-512: including it cost 0.6 s of CPU
// per translation unit with GCC 12, a sixth of benchmarks/compile_time.sh's twofactor figure.
// Immediate operands are template arguments, so they are constants even at -O0.
namespace sha_ni {

#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
using vec = __m128i;
#else
// typedef, not using: Clang ignores the aligned attribute in an alias declaration.
typedef int vec __attribute__((vector_size(16)));  // the argument type of the SHA builtins
typedef int vec_unaligned __attribute__((vector_size(16), aligned(1), may_alias));
typedef unsigned v4su __attribute__((vector_size(16)));
typedef long long v2di __attribute__((vector_size(16)));
typedef short v8hi __attribute__((vector_size(16)));
typedef char v16qi __attribute__((vector_size(16)));
#endif

TWOFACTOR_DETAIL_SHA_NI_INLINE vec loadu(const void* p) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_loadu_si128(static_cast<const __m128i*>(p));
#else
    return *static_cast<const vec_unaligned*>(p);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void storeu(void* p, vec v) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    _mm_storeu_si128(static_cast<__m128i*>(p), v);
#else
    *static_cast<vec_unaligned*>(p) = v;
#endif
}

/// Lanes from most to least significant, as _mm_set_epi32.
TWOFACTOR_DETAIL_SHA_NI_INLINE vec set_epi32(std::uint32_t e3, std::uint32_t e2, std::uint32_t e1,
                                             std::uint32_t e0) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_set_epi32(static_cast<int>(e3), static_cast<int>(e2), static_cast<int>(e1),
                         static_cast<int>(e0));
#else
    return reinterpret_cast<vec>(v4su{e0, e1, e2, e3});
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec set_epi64x(std::uint64_t e1, std::uint64_t e0) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_set_epi64x(static_cast<long long>(e1), static_cast<long long>(e0));
#else
    return reinterpret_cast<vec>(v2di{static_cast<long long>(e0), static_cast<long long>(e1)});
#endif
}

template <int Lane>
TWOFACTOR_DETAIL_SHA_NI_INLINE std::uint32_t extract_epi32(vec v) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return static_cast<std::uint32_t>(_mm_extract_epi32(v, Lane));
#else
    return reinterpret_cast<v4su>(v)[Lane];
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec add_epi32(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_add_epi32(a, b);
#else
    return reinterpret_cast<vec>(reinterpret_cast<v4su>(a) + reinterpret_cast<v4su>(b));  // wraps around
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec xor_si128(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_xor_si128(a, b);
#else
    return a ^ b;
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec shuffle_epi8(vec v, vec mask) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_shuffle_epi8(v, mask);
#else
    return reinterpret_cast<vec>(
        __builtin_ia32_pshufb128(reinterpret_cast<v16qi>(v), reinterpret_cast<v16qi>(mask)));
#endif
}

template <int Mask>
TWOFACTOR_DETAIL_SHA_NI_INLINE vec shuffle_epi32(vec v) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_shuffle_epi32(v, Mask);
#else
    return __builtin_ia32_pshufd(v, Mask);
#endif
}

template <int Bytes>
TWOFACTOR_DETAIL_SHA_NI_INLINE vec alignr_epi8(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_alignr_epi8(a, b, Bytes);
#elif defined(__clang__)
    return reinterpret_cast<vec>(
        __builtin_ia32_palignr128(reinterpret_cast<v16qi>(a), reinterpret_cast<v16qi>(b), Bytes));
#else
    return reinterpret_cast<vec>(  // GCC's builtin counts bits
        __builtin_ia32_palignr128(reinterpret_cast<v2di>(a), reinterpret_cast<v2di>(b), Bytes * 8));
#endif
}

template <int Mask>
TWOFACTOR_DETAIL_SHA_NI_INLINE vec blend_epi16(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_blend_epi16(a, b, Mask);
#else
    return reinterpret_cast<vec>(
        __builtin_ia32_pblendw128(reinterpret_cast<v8hi>(a), reinterpret_cast<v8hi>(b), Mask));
#endif
}

template <int Function>
TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha1rnds4(vec abcd, vec e_plus_w) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha1rnds4_epu32(abcd, e_plus_w, Function);
#else
    return __builtin_ia32_sha1rnds4(abcd, e_plus_w, Function);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha1nexte(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha1nexte_epu32(a, b);
#else
    return __builtin_ia32_sha1nexte(a, b);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha1msg1(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha1msg1_epu32(a, b);
#else
    return __builtin_ia32_sha1msg1(a, b);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha1msg2(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha1msg2_epu32(a, b);
#else
    return __builtin_ia32_sha1msg2(a, b);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha256rnds2(vec cdgh, vec abef, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha256rnds2_epu32(cdgh, abef, wk);
#else
    return __builtin_ia32_sha256rnds2(cdgh, abef, wk);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha256msg1(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha256msg1_epu32(a, b);
#else
    return __builtin_ia32_sha256msg1(a, b);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha256msg2(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha256msg2_epu32(a, b);
#else
    return __builtin_ia32_sha256msg2(a, b);
#endif
}

}  // namespace sha_ni

// ---------------------------------------------------------------------------------------------
// SHA-1. The state is kept as ABCD (A in the most significant lane) plus E in the top lane of a
// second register; each group g of four rounds consumes W[4g..4g+3] from a ring of four registers.

TWOFACTOR_DETAIL_SHA_NI_INLINE sha_ni::vec sha1_ni_load_message(const std::byte* p) noexcept {
    // Reverses all 16 bytes: big-endian words, and W[t] ends up in the most significant lane.
    const sha_ni::vec mask = sha_ni::set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    return sha_ni::shuffle_epi8(sha_ni::loadu(p), mask);
}

template <std::size_t Lanes>
struct sha1_ni_lanes_state {
    sha_ni::vec abcd[Lanes];
    sha_ni::vec e[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_group(sha1_ni_lanes_state<Lanes>& s, sha_ni::vec (&prev)[Lanes],
                                                  sha_ni::vec (&w)[Lanes][4]) noexcept {
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[4g..4g+3] from W[4g-16..4g-1]; the ring slot g%4 still holds W[4g-16..4g-13].
            w[l][G % 4] = sha_ni::sha1msg2(
                sha_ni::xor_si128(sha_ni::sha1msg1(w[l][G % 4], w[l][(G + 1) % 4]), w[l][(G + 2) % 4]),
                w[l][(G + 3) % 4]);
        }
        sha_ni::vec e_plus_w;
        if constexpr (G == 0) {
            e_plus_w = sha_ni::add_epi32(s.e[l], w[l][0]);
        } else {
            e_plus_w = sha_ni::sha1nexte(prev[l], w[l][G % 4]);
        }
        prev[l] = s.abcd[l];
        s.abcd[l] = sha_ni::sha1rnds4<static_cast<int>(G / 5)>(s.abcd[l], e_plus_w);
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_groups(sha1_ni_lanes_state<Lanes>& s, sha_ni::vec (&prev)[Lanes],
                                                   sha_ni::vec (&w)[Lanes][4],
                                                   std::index_sequence<G...>) noexcept {
    (sha1_ni_group<G>(s, prev, w), ...);
}

// One block per lane: blocks[l] is compressed into lane l.
template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_compress_block(sha1_ni_lanes_state<Lanes>& s,
                                                           const std::byte* const (&blocks)[Lanes]) noexcept {
    sha_ni::vec w[Lanes][4];
    sha_ni::vec prev[Lanes];
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
        s.e[l] = sha_ni::sha1nexte(prev[l], saved.e[l]);  // rol(A of round 76, 30) + E_saved
        s.abcd[l] = sha_ni::add_epi32(s.abcd[l], saved.abcd[l]);
    }
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_load_state(const sha1_state& state, sha_ni::vec& abcd,
                                                       sha_ni::vec& e) noexcept {
    abcd = sha_ni::shuffle_epi32<0x1b>(sha_ni::loadu(state.data()));
    e = sha_ni::set_epi32(state[4], 0, 0, 0);
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_store_state(sha1_state& state, sha_ni::vec abcd,
                                                        sha_ni::vec e) noexcept {
    sha_ni::storeu(state.data(), sha_ni::shuffle_epi32<0x1b>(abcd));
    state[4] = sha_ni::extract_epi32<3>(e);
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

TWOFACTOR_DETAIL_SHA_NI_INLINE sha_ni::vec sha256_ni_load_message(const std::byte* p) noexcept {
    // Byte-swaps each 32-bit word; W[t] stays in lane t % 4.
    const sha_ni::vec mask = sha_ni::set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    return sha_ni::shuffle_epi8(sha_ni::loadu(p), mask);
}

template <std::size_t Lanes>
struct sha256_ni_lanes_state {
    sha_ni::vec abef[Lanes];
    sha_ni::vec cdgh[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_group(sha256_ni_lanes_state<Lanes>& s,
                                                    sha_ni::vec (&w)[Lanes][4]) noexcept {
    constexpr auto& k = sha256_round_constants;
    const sha_ni::vec round_constants = sha_ni::set_epi32(k[4 * G + 3], k[4 * G + 2], k[4 * G + 1], k[4 * G]);
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]; the ring slot g%4 holds W[4g-16..4g-13].
            const sha_ni::vec w_minus_7 = sha_ni::alignr_epi8<4>(w[l][(G + 3) % 4], w[l][(G + 2) % 4]);
            w[l][G % 4] = sha_ni::sha256msg2(
                sha_ni::add_epi32(sha_ni::sha256msg1(w[l][G % 4], w[l][(G + 1) % 4]), w_minus_7),
                w[l][(G + 3) % 4]);
        }
        const sha_ni::vec wk = sha_ni::add_epi32(w[l][G % 4], round_constants);
        s.cdgh[l] = sha_ni::sha256rnds2(s.cdgh[l], s.abef[l], wk);  // now holds the new ABEF
        // The old ABEF is the CDGH of two rounds later; the result is the ABEF of four rounds later,
        // and the intermediate ABEF (in cdgh) is their CDGH: the roles are back in place.
        s.abef[l] = sha_ni::sha256rnds2(s.abef[l], s.cdgh[l], sha_ni::shuffle_epi32<0x0e>(wk));
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_groups(sha256_ni_lanes_state<Lanes>& s,
                                                     sha_ni::vec (&w)[Lanes][4],
                                                     std::index_sequence<G...>) noexcept {
    (sha256_ni_group<G>(s, w), ...);
}

template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_compress_block(
    sha256_ni_lanes_state<Lanes>& s, const std::byte* const (&blocks)[Lanes]) noexcept {
    sha_ni::vec w[Lanes][4];
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
        s.abef[l] = sha_ni::add_epi32(s.abef[l], saved.abef[l]);
        s.cdgh[l] = sha_ni::add_epi32(s.cdgh[l], saved.cdgh[l]);
    }
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_load_state(const sha256_state& state, sha_ni::vec& abef,
                                                         sha_ni::vec& cdgh) noexcept {
    const sha_ni::vec abcd = sha_ni::loadu(state.data());        // D C B A
    const sha_ni::vec efgh = sha_ni::loadu(state.data() + 4);    // H G F E
    const sha_ni::vec badc = sha_ni::shuffle_epi32<0xb1>(abcd);  // C D A B
    const sha_ni::vec hgfe = sha_ni::shuffle_epi32<0x1b>(efgh);  // E F G H
    abef = sha_ni::alignr_epi8<8>(badc, hgfe);                   // A B E F
    cdgh = sha_ni::blend_epi16<0xf0>(hgfe, badc);                // C D G H
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_store_state(sha256_state& state, sha_ni::vec abef,
                                                          sha_ni::vec cdgh) noexcept {
    const sha_ni::vec feba = sha_ni::shuffle_epi32<0x1b>(abef);  // F E B A
    const sha_ni::vec dchg = sha_ni::shuffle_epi32<0xb1>(cdgh);  // D C H G
    sha_ni::storeu(state.data(), sha_ni::blend_epi16<0xf0>(feba, dchg));
    sha_ni::storeu(state.data() + 4, sha_ni::alignr_epi8<8>(dchg, feba));
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

#undef TWOFACTOR_DETAIL_SHA_NI_INTRINSICS
#undef TWOFACTOR_DETAIL_SHA_NI_TARGET
#undef TWOFACTOR_DETAIL_SHA_NI_INLINE
#undef TWOFACTOR_DETAIL_UNROLL_LANES

#endif  // x86-64

#endif  // TWOFACTOR_DETAIL_SHA_NI_HPP_INCLUDED
