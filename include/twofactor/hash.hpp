// Hash functions: the digest<N> value type, the hash_function and block_hash_function concepts, and
// the built-in models sha1, sha256 and sha512. Spec: FIPS 180-4 (Secure Hash Standard), §5.1 padding.
#ifndef TWOFACTOR_HASH_HPP_INCLUDED
#define TWOFACTOR_HASH_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "detail/bytes.hpp"
#include "detail/constant_time.hpp"
#include "detail/cpu_features.hpp"
#include "detail/sha1.hpp"
#include "detail/sha2.hpp"
#include "detail/sha_armv8.hpp"
#include "detail/sha_ni.hpp"

namespace twofactor::inline v1 {

/**
 * A fixed-size message digest of `N` bytes: a regular, constexpr value type.
 *
 * Equality (`==`) compares all N bytes in constant time: a digest is often a MAC tag or a key
 * derivation compared with an attacker-supplied value, and `==` must not tell how many leading
 * bytes matched.
 *
 *     constexpr twofactor::digest<20> d = twofactor::hash<twofactor::sha1>(bytes);
 *     std::span<const std::byte, 20> view = d;
 */
template <std::size_t N>
struct digest {
    /// The digest bytes, in the order the algorithm outputs them.
    std::array<std::byte, N> bytes{};

    /// Number of bytes, `N`.
    static constexpr std::size_t size() noexcept { return N; }

    /// Pointer to the first byte.
    constexpr std::byte* data() noexcept { return bytes.data(); }
    /// Pointer to the first byte.
    constexpr const std::byte* data() const noexcept { return bytes.data(); }

    /// Byte `i`. Precondition: `i < N`.
    constexpr std::byte& operator[](std::size_t i) noexcept { return bytes[i]; }
    /// Byte `i`. Precondition: `i < N`.
    constexpr const std::byte& operator[](std::size_t i) const noexcept { return bytes[i]; }

    /// Iterators over the bytes.
    constexpr auto begin() noexcept { return bytes.begin(); }
    constexpr auto begin() const noexcept { return bytes.begin(); }
    constexpr auto end() noexcept { return bytes.end(); }
    constexpr auto end() const noexcept { return bytes.end(); }

    /// Read-only view of the bytes.
    constexpr operator std::span<const std::byte, N>() const noexcept {
        return std::span<const std::byte, N>(bytes);
    }

    /// Byte-wise equality in constant time (no early exit; see the class documentation).
    [[nodiscard]] friend constexpr bool operator==(const digest& a, const digest& b) noexcept {
        return detail::equal(std::span<const std::byte>(a.bytes), std::span<const std::byte>(b.bytes));
    }
};

/**
 * hash_function: a cryptographic hash algorithm `H` usable as the `Hash` policy of hmac, hotp and totp.
 * Modelled on the "Hash Algorithm Requirements" of Boost.Hash2.
 *
 * Minimal complete definition
 *   - `H::block_size`: std::size_t constant, bytes per compression block (64 for SHA-1/SHA-256, 128 for
 * SHA-512).
 *   - `H::digest_size`: std::size_t constant, bytes of output (20, 32, 64).
 *   - `H::name`: std::string_view constant, the algorithm name exactly as written in the `algorithm=`
 *     parameter of an otpauth:// URI: "SHA1", "SHA256", "SHA512".
 *   - `H::digest_type`: exactly `digest<H::digest_size>`.
 *   - `H()`: a hash of the empty message (std::semiregular: default-constructible and copyable).
 *   - `h.update(std::span<const std::byte>)`, noexcept: absorbs bytes; may be called any number of times.
 *   - `h.finalize()`, noexcept: pads, and returns the digest of everything absorbed.
 *
 * Laws
 *   - Streaming: `update(a); update(b)` has the same effect as `update(a ++ b)` for every split.
 *   - `H h; h.update(m); h.finalize()` is the algorithm's digest of `m`.
 *   - A copy continues independently from the point where it was made.
 *   - After `finalize()` the object is in a valid but unspecified state: assign a fresh object
 *     (`h = H{}`) before using it again. Destroying or assigning it is always fine.
 *   - `update` and `finalize` do not throw.
 *
 * Concrete models
 *   - twofactor::sha1, twofactor::sha256, twofactor::sha512: constexpr, allocation-free, and they
 *     also model block_hash_function.
 *   - twofactor::openssl::sha1, sha256, sha512 (opt-in header twofactor/openssl.hpp).
 */
// (clang-format 14 splits `} noexcept ->` of compound requirements over two lines.)
// clang-format off
template <class H>
concept hash_function = std::semiregular<H> && requires(H h, std::span<const std::byte> bytes) {
    { H::block_size } -> std::convertible_to<std::size_t>;
    { H::digest_size } -> std::convertible_to<std::size_t>;
    { H::name } -> std::convertible_to<std::string_view>;
    typename H::digest_type;
    requires std::same_as<typename H::digest_type, digest<H::digest_size>>;
    { h.update(bytes) } noexcept;
    { h.finalize() } noexcept -> std::same_as<typename H::digest_type>;
};
// clang-format on

/**
 * block_hash_function: a hash_function of the Merkle–Damgård kind (FIPS 180-4) that also exposes its
 * compression function. hmac uses it to precompute the keyed states once and to hash short messages
 * in exactly one compression per block, several messages interleaved (compute_lanes). Optional:
 * hmac falls back to update/finalize for models without it.
 *
 * Minimal complete definition (in addition to hash_function)
 *   - `H::state_type`: trivially copyable chaining value (e.g. std::array<std::uint32_t, 5>).
 *   - `H::block_type`: exactly `std::array<std::byte, H::block_size>`.
 *   - `H::initial_state`: the state before any block (FIPS 180-4 §5.3).
 *   - `H::length_size`: bytes of the big-endian bit-length field that ends the padding: 8 or 16.
 *   - `H::compress(state, const std::byte* block)`, noexcept: absorbs one block.
 *   - `H::compress_blocks(state, const std::byte* blocks, std::size_t count)`, noexcept: absorbs
 *     `count` consecutive blocks.
 *   - `H::compress_lanes(std::array<state_type, L>& states, const std::array<block_type, L>& blocks)`,
 *     noexcept, a template over `L >= 1`: absorbs `blocks[i]` into `states[i]` for every lane,
 *     equivalent to `L` calls of `compress` but free to interleave them.
 *   - `H::state_to_digest(state)`, noexcept: the digest for a state (big-endian encoding of the words).
 *   - `H::resume(state, std::uint64_t block_count)`, noexcept: a streaming `H` that continues from
 *     `state` after `block_count` whole blocks have been absorbed.
 *
 * Laws
 *   - Padding is FIPS 180-4 §5.1: message, 0x80, zeros, then the message length in bits in the last
 *     `length_size` bytes of the last block; `H::digest_size + 1 + H::length_size <= H::block_size`.
 *   - `H h = H::resume(s, n); h.update(m); h.finalize()` equals compressing, from `s`, the padded
 *     encoding of `m` as if `n * block_size` bytes had preceded it.
 *   - `compress_lanes` gives exactly the results of `compress` on each lane.
 *
 * Concrete models
 *   - twofactor::sha1, twofactor::sha256 (SHA-NI or ARMv8 SHA at run time when available),
 *     twofactor::sha512.
 */
// clang-format off
template <class H>
concept block_hash_function = hash_function<H> &&
    requires(typename H::state_type& state, const typename H::state_type& const_state, const std::byte* block,
             std::size_t count, std::array<typename H::state_type, 1>& states,
             const std::array<typename H::block_type, 1>& lane_blocks) {
        typename H::state_type;
        typename H::block_type;
        requires std::is_trivially_copyable_v<typename H::state_type>;
        requires std::same_as<typename H::block_type, std::array<std::byte, H::block_size>>;
        { H::initial_state } -> std::convertible_to<typename H::state_type>;
        { H::length_size } -> std::convertible_to<std::size_t>;
        requires H::length_size == 8 || H::length_size == 16;
        requires H::digest_size + 1 + H::length_size <= H::block_size;
        { H::compress(state, block) } noexcept;
        { H::compress_blocks(state, block, count) } noexcept;
        { H::compress_lanes(states, lane_blocks) } noexcept;
        { H::state_to_digest(const_state) } noexcept -> std::same_as<typename H::digest_type>;
        { H::resume(const_state, std::uint64_t{}) } noexcept -> std::same_as<H>;
    };
// clang-format on

namespace detail {

/// Which compression code a built-in model uses. `automatic` is what the public models use:
/// SHA-NI (x86-64) or the ARMv8 SHA instructions (AArch64) at run time when the CPU has them,
/// portable otherwise and always in constant evaluation. `portable`, `sha_ni` and `armv8` force one
/// path at run time (tests, benchmarks); `sha_ni` requires cpu_has_sha_ni() and `armv8`
/// cpu_has_armv8_sha(); on another architecture either means portable. Results are identical on
/// every path.
enum class sha_path { automatic, portable, sha_ni, armv8 };

template <sha_path Path>
constexpr bool use_sha_ni() noexcept {
#if defined(__x86_64__) || defined(_M_X64)
    if (std::is_constant_evaluated()) {
        return false;
    }
    if constexpr (Path == sha_path::automatic) {
        return cpu_has_sha_ni();
    } else {
        return Path == sha_path::sha_ni;
    }
#else
    return false;
#endif
}

template <sha_path Path>
constexpr bool use_armv8_sha() noexcept {
#if defined(__aarch64__) && !defined(__AARCH64EB__)
    if (std::is_constant_evaluated()) {
        return false;
    }
    if constexpr (Path == sha_path::automatic) {
        return cpu_has_armv8_sha();
    } else {
        return Path == sha_path::armv8;
    }
#else
    return false;
#endif
}

template <sha_path Path = sha_path::automatic>
struct sha1_traits {
    using state_type = sha1_state;
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 20;
    static constexpr std::size_t length_size = 8;
    static constexpr std::string_view name = "SHA1";
    static constexpr state_type initial_state = sha1_initial_state;

    static constexpr void compress_blocks(state_type& state, const std::byte* blocks,
                                          std::size_t count) noexcept {
#if defined(__x86_64__) || defined(_M_X64)
        if (use_sha_ni<Path>()) {
            sha1_compress_sha_ni(state, blocks, count);
            return;
        }
#endif
#if defined(__aarch64__) && !defined(__AARCH64EB__)
        if (use_armv8_sha<Path>()) {
            sha1_compress_armv8(state, blocks, count);
            return;
        }
#endif
        sha1_compress_portable(state, blocks, count);
    }

    template <std::size_t Lanes>
    static constexpr void compress_lanes(
        std::array<state_type, Lanes>& states,
        const std::array<std::array<std::byte, block_size>, Lanes>& blocks) noexcept {
#if defined(__x86_64__) || defined(_M_X64)
        if (use_sha_ni<Path>()) {
            sha1_compress_lanes_sha_ni(states, blocks);
            return;
        }
#endif
#if defined(__aarch64__) && !defined(__AARCH64EB__)
        if (use_armv8_sha<Path>()) {
            sha1_compress_lanes_armv8(states, blocks);
            return;
        }
#endif
        for (std::size_t l = 0; l < Lanes; ++l) {
            sha1_compress_portable(states[l], blocks[l].data(), 1);
        }
    }
};

template <sha_path Path = sha_path::automatic>
struct sha256_traits {
    using state_type = sha256_state;
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 32;
    static constexpr std::size_t length_size = 8;
    static constexpr std::string_view name = "SHA256";
    static constexpr state_type initial_state = sha256_initial_state;

    static constexpr void compress_blocks(state_type& state, const std::byte* blocks,
                                          std::size_t count) noexcept {
#if defined(__x86_64__) || defined(_M_X64)
        if (use_sha_ni<Path>()) {
            sha256_compress_sha_ni(state, blocks, count);
            return;
        }
#endif
#if defined(__aarch64__) && !defined(__AARCH64EB__)
        if (use_armv8_sha<Path>()) {
            sha256_compress_armv8(state, blocks, count);
            return;
        }
#endif
        sha256_compress_portable(state, blocks, count);
    }

    template <std::size_t Lanes>
    static constexpr void compress_lanes(
        std::array<state_type, Lanes>& states,
        const std::array<std::array<std::byte, block_size>, Lanes>& blocks) noexcept {
#if defined(__x86_64__) || defined(_M_X64)
        if (use_sha_ni<Path>()) {
            sha256_compress_lanes_sha_ni(states, blocks);
            return;
        }
#endif
#if defined(__aarch64__) && !defined(__AARCH64EB__)
        if (use_armv8_sha<Path>()) {
            sha256_compress_lanes_armv8(states, blocks);
            return;
        }
#endif
        for (std::size_t l = 0; l < Lanes; ++l) {
            sha256_compress_portable(states[l], blocks[l].data(), 1);
        }
    }
};

struct sha512_traits {
    using state_type = sha512_state;
    static constexpr std::size_t block_size = 128;
    static constexpr std::size_t digest_size = 64;
    static constexpr std::size_t length_size = 16;
    static constexpr std::string_view name = "SHA512";
    static constexpr state_type initial_state = sha512_initial_state;

    static constexpr void compress_blocks(state_type& state, const std::byte* blocks,
                                          std::size_t count) noexcept {
        sha512_compress_portable(state, blocks, count);
    }

    template <std::size_t Lanes>
    static constexpr void compress_lanes(
        std::array<state_type, Lanes>& states,
        const std::array<std::array<std::byte, block_size>, Lanes>& blocks) noexcept {
        for (std::size_t l = 0; l < Lanes; ++l) {
            sha512_compress_portable(states[l], blocks[l].data(), 1);
        }
    }
};

/// The streaming Merkle–Damgård construction (FIPS 180-4 §5.1 padding, §6 processing) shared by the
/// built-in models; `Derived` is the model itself (CRTP, so that resume() returns it).
/// Traits supply the state type, sizes, name, initial state, compress_blocks and compress_lanes.
template <class Derived, class Traits>
class block_hash_base {
public:
    /// Bytes per compression block.
    static constexpr std::size_t block_size = Traits::block_size;
    /// Bytes of the digest.
    static constexpr std::size_t digest_size = Traits::digest_size;
    /// Algorithm name as used in otpauth:// URIs.
    static constexpr std::string_view name = Traits::name;
    /// The digest type, digest<digest_size>.
    using digest_type = digest<digest_size>;

    /// Block interface (see block_hash_function): the chaining value.
    using state_type = typename Traits::state_type;
    /// Block interface: one compression block.
    using block_type = std::array<std::byte, block_size>;
    /// Block interface: bytes of the bit-length field at the end of the padding.
    static constexpr std::size_t length_size = Traits::length_size;
    /// Block interface: the initial hash value.
    static constexpr state_type initial_state = Traits::initial_state;

    /// Absorbs `bytes`. Never fails.
    constexpr void update(std::span<const std::byte> bytes) noexcept {
        const std::byte* p = bytes.data();
        std::size_t n = bytes.size();
        std::size_t used = static_cast<std::size_t>(length_ % block_size);
        length_ += n;
        if (used != 0) {
            const std::size_t take = n < block_size - used ? n : block_size - used;
            detail::copy_bytes(buffer_.data() + used, p, take);
            p += take;
            n -= take;
            if (used + take < block_size) {
                return;
            }
            Traits::compress_blocks(state_, buffer_.data(), 1);
        }
        if (const std::size_t blocks = n / block_size; blocks != 0) {
            Traits::compress_blocks(state_, p, blocks);
            p += blocks * block_size;
            n -= blocks * block_size;
        }
        detail::copy_bytes(buffer_.data(), p, n);
    }

    /// Pads (FIPS 180-4 §5.1) and returns the digest. Wipes the internal buffer. Afterwards the object
    /// must be re-assigned (`h = sha1{}`) before it is used again.
    constexpr digest_type finalize() noexcept {
        std::size_t used = static_cast<std::size_t>(length_ % block_size);
        buffer_[used++] = std::byte{0x80};
        if (used > block_size - length_size) {
            fill_zero(used, block_size);
            Traits::compress_blocks(state_, buffer_.data(), 1);
            used = 0;
        }
        fill_zero(used, block_size - 8);
        if constexpr (length_size == 16) {
            detail::store_be64(buffer_.data() + block_size - 16,
                               length_ >> 61);  // high bits of the 128-bit length
        }
        detail::store_be64(buffer_.data() + block_size - 8, length_ << 3);
        Traits::compress_blocks(state_, buffer_.data(), 1);
        detail::secure_wipe(buffer_);
        return state_to_digest(state_);
    }

    /// Block interface: a streaming object continuing from `state` after `block_count` whole blocks.
    static constexpr Derived resume(const state_type& state, std::uint64_t block_count) noexcept {
        Derived result{};
        result.state_ = state;
        result.length_ = block_count * block_size;
        return result;
    }

    /// Block interface: absorbs the `block_size` bytes at `block` into `state`.
    static constexpr void compress(state_type& state, const std::byte* block) noexcept {
        Traits::compress_blocks(state, block, 1);
    }

    /// Block interface: absorbs `count` consecutive blocks starting at `blocks` into `state`.
    static constexpr void compress_blocks(state_type& state, const std::byte* blocks,
                                          std::size_t count) noexcept {
        Traits::compress_blocks(state, blocks, count);
    }

    /// Block interface: absorbs `blocks[i]` into `states[i]` for each lane, interleaving the lanes'
    /// instructions where the hardware path allows it. Same results as `Lanes` calls of compress().
    template <std::size_t Lanes>
    requires(Lanes >=
             1) static constexpr void compress_lanes(std::array<state_type, Lanes>& states,
                                                     const std::array<block_type, Lanes>& blocks) noexcept {
        Traits::compress_lanes(states, blocks);
    }

    /// Block interface: the digest of a final state (each word big-endian).
    static constexpr digest_type state_to_digest(const state_type& state) noexcept {
        digest_type result;
        using word = typename state_type::value_type;
        for (std::size_t i = 0; i < digest_size / sizeof(word); ++i) {
            if constexpr (sizeof(word) == 4) {
                detail::store_be32(result.data() + 4 * i, state[i]);
            } else {
                detail::store_be64(result.data() + 8 * i, state[i]);
            }
        }
        return result;
    }

private:
    constexpr void fill_zero(std::size_t from, std::size_t to) noexcept {
        for (std::size_t i = from; i < to; ++i) {
            buffer_[i] = std::byte{0};
        }
    }

    state_type state_ = Traits::initial_state;
    block_type buffer_{};
    std::uint64_t length_ = 0;  // bytes absorbed so far
};

}  // namespace detail

/**
 * SHA-1 (FIPS 180-4 §6.1): 64-byte blocks, 20-byte digest, name "SHA1".
 * constexpr; at run time it uses SHA-NI or the ARMv8 SHA instructions when the CPU has them
 * (identical results).
 * Models hash_function and block_hash_function. SHA-1 is still the default of RFC 6238 authenticator
 * apps; its collision weakness does not affect HMAC-SHA-1.
 *
 *     constexpr std::array abc{std::byte{'a'}, std::byte{'b'}, std::byte{'c'}};
 *     static_assert(twofactor::hash<twofactor::sha1>(abc)[0] == std::byte{0xa9});
 */
struct sha1 : detail::block_hash_base<sha1, detail::sha1_traits<>> {};
static_assert(hash_function<sha1>);
static_assert(block_hash_function<sha1>);

/**
 * SHA-256 (FIPS 180-4 §6.2): 64-byte blocks, 32-byte digest, name "SHA256".
 * constexpr; at run time it uses SHA-NI or the ARMv8 SHA instructions when the CPU has them
 * (identical results).
 * Models hash_function and block_hash_function.
 */
struct sha256 : detail::block_hash_base<sha256, detail::sha256_traits<>> {};
static_assert(hash_function<sha256>);
static_assert(block_hash_function<sha256>);

/**
 * SHA-512 (FIPS 180-4 §6.4): 128-byte blocks, 64-byte digest, name "SHA512".
 * constexpr; portable fully unrolled code at run time (no SHA-512 instructions are targeted).
 * Models hash_function and block_hash_function.
 */
struct sha512 : detail::block_hash_base<sha512, detail::sha512_traits> {};
static_assert(hash_function<sha512>);
static_assert(block_hash_function<sha512>);

/**
 * One-shot hash of `message` with any hash_function.
 *
 *     std::string_view text = "abc";
 *     auto d = twofactor::hash<twofactor::sha256>(std::as_bytes(std::span(text)));
 */
template <hash_function H>
constexpr typename H::digest_type hash(std::span<const std::byte> message) noexcept {
    H h;
    h.update(message);
    return h.finalize();
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_HASH_HPP_INCLUDED
