// HMAC over any hash_function. Spec: RFC 2104 (HMAC: Keyed-Hashing for Message Authentication),
// also FIPS 198-1; test vectors in RFC 2202 (SHA-1) and RFC 4231 (SHA-2).
#ifndef TWOFACTOR_HMAC_HPP_INCLUDED
#define TWOFACTOR_HMAC_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "detail/bytes.hpp"
#include "hash.hpp"

namespace twofactor::inline v1 {

namespace detail {

// What hmac keeps per pad: the bare chaining value for block hashes, a whole hash object otherwise.
template <class Hash>
struct hmac_keyed_state {
    using type = Hash;
};
template <block_hash_function Hash>
struct hmac_keyed_state<Hash> {
    using type = typename Hash::state_type;
};

// Bytes of the length field closing the padding: exact for block hashes; for other models the
// Merkle-Damgard convention of the SHA family (16 bytes for 128-byte blocks, else 8). Only used to
// constrain compute_lanes.
template <class Hash>
inline constexpr std::size_t hmac_length_field_size = Hash::block_size >= 128 ? 16 : 8;
template <block_hash_function Hash>
inline constexpr std::size_t hmac_length_field_size<Hash> = Hash::length_size;

// Ends a final block with the big-endian bit length of a `byte_count`-byte message.
template <block_hash_function Hash>
constexpr void hmac_store_bit_length(typename Hash::block_type& block, std::uint64_t byte_count) noexcept {
    static_assert(Hash::length_size == 8 || Hash::length_size == 16);
    if constexpr (Hash::length_size == 16) {
        store_be64(block.data() + Hash::block_size - 16, byte_count >> 61);
    }
    store_be64(block.data() + Hash::block_size - 8, byte_count << 3);
}

}  // namespace detail

/**
 * HMAC (RFC 2104) keyed with a key of any length, over any hash_function `Hash`.
 *
 * The key is processed once, in the constructor: a key longer than `Hash::block_size` is hashed
 * first (RFC 2104 §2), then the hash states after absorbing key^ipad and key^opad are stored.
 * compute() then costs the message's blocks plus one outer compression; for a message of at most
 * `block_size - 1 - length_size` bytes (55 for SHA-1/SHA-256, 111 for SHA-512; e.g. the 8-byte HOTP
 * counter) that is exactly two compression calls, with the padded block built directly on the stack.
 * For models of block_hash_function the stored states are bare chaining values; other models
 * (e.g. twofactor::openssl::sha256) are driven through update()/finalize() on copies.
 *
 * The object holds no copy of the key. The keyed states and the streaming state are wiped in the
 * destructor (detail::secure_wipe) for block hashes; other models must clean up themselves (the
 * OpenSSL ones do, in EVP_MD_CTX_free). Copyable; copies are independent. Never throws, never allocates
 * (except inside non-built-in hash models).
 *
 *     twofactor::hmac_sha1 mac(secret);                      // keyed once
 *     twofactor::digest<20> tag = mac.compute(counter_bytes); // reusable, const
 */
template <hash_function Hash>
class hmac {
public:
    /// The hash policy.
    using hash_type = Hash;
    /// The MAC value type, `digest<Hash::digest_size>` (truncate it yourself where a protocol says so).
    using digest_type = typename Hash::digest_type;

    /// Keyed with the empty key (RFC 2104 allows keys of any length, including zero).
    constexpr hmac() noexcept : hmac(std::span<const std::byte>{}) {}

    /// Keyed with `key`, of any length. Keys longer than `Hash::block_size` are hashed first;
    /// RFC 2104 §3 recommends at least `Hash::digest_size` bytes of random key.
    constexpr explicit hmac(std::span<const std::byte> key) noexcept {
        pad_block key_block{};
        if (key.size() > Hash::block_size) {
            digest_type hashed_key = hash<Hash>(key);
            detail::copy_bytes(key_block.data(), hashed_key.data(), hashed_key.size());
            detail::secure_wipe(hashed_key.bytes);
        } else {
            detail::copy_bytes(key_block.data(), key.data(), key.size());
        }
        pad_block pad{};
        for (std::size_t i = 0; i < Hash::block_size; ++i) {
            pad[i] = key_block[i] ^ std::byte{0x36};  // ipad
        }
        absorb_pad(inner_, pad);
        for (std::size_t i = 0; i < Hash::block_size; ++i) {
            pad[i] = key_block[i] ^ std::byte{0x5c};  // opad
        }
        absorb_pad(outer_, pad);
        detail::secure_wipe(key_block);
        detail::secure_wipe(pad);
        reset_stream();
    }

    /// Copies the keyed states (and the streaming state).
    hmac(const hmac&) = default;
    /// Copies the keyed states (and the streaming state).
    hmac& operator=(const hmac&) = default;

    /// Wipes the keyed states and the streaming state.
    constexpr ~hmac() {
        if constexpr (is_block_hash) {
            detail::secure_wipe(inner_);
            detail::secure_wipe(outer_);
        }
        if constexpr (std::is_trivially_copyable_v<Hash> && std::is_default_constructible_v<Hash>) {
            detail::secure_wipe(stream_);
        }
    }

    /// HMAC of `message`. Leaves the object unchanged, so it may be called any number of times.
    constexpr digest_type compute(std::span<const std::byte> message) const noexcept {
        if constexpr (is_block_hash) {
            state_type state = inner_;
            const std::byte* p = message.data();
            std::size_t n = message.size();
            if (const std::size_t blocks = n / Hash::block_size; blocks != 0) {
                Hash::compress_blocks(state, p, blocks);
                p += blocks * Hash::block_size;
                n -= blocks * Hash::block_size;
            }
            // Tail + padding, built in place: one block, or two if the length field does not fit.
            block_type block{};
            detail::copy_bytes(block.data(), p, n);
            block[n] = std::byte{0x80};
            if (n + 1 + Hash::length_size > Hash::block_size) {
                Hash::compress(state, block.data());
                block = block_type{};
            }
            detail::hmac_store_bit_length<Hash>(block, std::uint64_t{Hash::block_size} + message.size());
            Hash::compress(state, block.data());
            // The intermediates (inner state, the tail block) do not outlive the call.
            digest_type inner_digest = Hash::state_to_digest(state);
            detail::secure_wipe(state);
            detail::secure_wipe(block);
            return outer_hash(inner_digest);
        } else {
            Hash inner = inner_;
            inner.update(message);
            const digest_type inner_digest = inner.finalize();
            Hash outer = outer_;
            outer.update(inner_digest.bytes);
            return outer.finalize();
        }
    }

    /**
     * HMACs of `Lanes` independent short messages, computed together: for block hashes the
     * compressions of all lanes run interleaved (Hash::compress_lanes), which on SHA-NI costs clearly
     * less than `Lanes` sequential compute() calls. Result `i` equals `compute(messages[i])`.
     * Each message must fit in one block with its padding (checked at compile time):
     * `MessageSize + 1 + length field <= Hash::block_size`, i.e. at most 55 bytes for SHA-1/SHA-256
     * and 111 for SHA-512. Any `Lanes >= 1` works; 1 to 4 is the intended range.
     *
     *     std::array<std::array<std::byte, 8>, 3> counters = ...;  // HOTP window c-1, c, c+1
     *     auto tags = mac.compute_lanes(counters);
     */
    template <std::size_t Lanes, std::size_t MessageSize>
    requires(Lanes >= 1 &&
             MessageSize + 1 + detail::hmac_length_field_size<Hash> <= Hash::block_size) constexpr std::
        array<digest_type, Lanes> compute_lanes(
            const std::array<std::array<std::byte, MessageSize>, Lanes>& messages) const noexcept {
        std::array<digest_type, Lanes> result{};
        if constexpr (is_block_hash) {
            std::array<state_type, Lanes> states{};
            std::array<block_type, Lanes> blocks{};
            for (std::size_t l = 0; l < Lanes; ++l) {
                states[l] = inner_;
                detail::copy_bytes(blocks[l].data(), messages[l].data(), MessageSize);
                blocks[l][MessageSize] = std::byte{0x80};
                detail::hmac_store_bit_length<Hash>(blocks[l], Hash::block_size + MessageSize);
            }
            Hash::compress_lanes(states, blocks);
            constexpr std::size_t digest_size = Hash::digest_size;
            for (std::size_t l = 0; l < Lanes; ++l) {
                digest_type inner_digest = Hash::state_to_digest(states[l]);
                detail::copy_bytes(blocks[l].data(), inner_digest.data(), digest_size);
                detail::secure_wipe(inner_digest);
                blocks[l][digest_size] = std::byte{0x80};
                for (std::size_t i = digest_size + 1; i < MessageSize + 1; ++i) {
                    blocks[l][i] = std::byte{0};  // remains of a message longer than the digest
                }
                detail::hmac_store_bit_length<Hash>(blocks[l], Hash::block_size + digest_size);
                states[l] = outer_;
            }
            Hash::compress_lanes(states, blocks);
            for (std::size_t l = 0; l < Lanes; ++l) {
                result[l] = Hash::state_to_digest(states[l]);
            }
            detail::secure_wipe(blocks);  // the inner digests
            detail::secure_wipe(states);
        } else {
            for (std::size_t l = 0; l < Lanes; ++l) {
                result[l] = compute(messages[l]);
            }
        }
        return result;
    }

    /// Streaming: absorbs part of the message. Independent of compute(), which it does not affect.
    constexpr void update(std::span<const std::byte> message_part) noexcept { stream_.update(message_part); }

    /// Streaming: the HMAC of everything passed to update() since construction or the last finalize().
    /// Resets the streaming state, so the object is immediately ready for the next message.
    constexpr digest_type finalize() noexcept {
        digest_type inner_digest = stream_.finalize();
        reset_stream();
        if constexpr (is_block_hash) {
            return outer_hash(inner_digest);
        } else {
            Hash outer = outer_;
            outer.update(inner_digest.bytes);
            return outer.finalize();
        }
    }

private:
    static constexpr bool is_block_hash = block_hash_function<Hash>;
    using keyed_state = typename detail::hmac_keyed_state<Hash>::type;
    using pad_block = std::array<std::byte, Hash::block_size>;

    // For block hashes only (never instantiated otherwise).
    using state_type = keyed_state;
    using block_type = pad_block;

    static constexpr void absorb_pad(keyed_state& state, const pad_block& pad) noexcept {
        if constexpr (is_block_hash) {
            state = Hash::initial_state;
            Hash::compress(state, pad.data());
        } else {
            state = Hash{};
            state.update(pad);
        }
    }

    constexpr void reset_stream() noexcept {
        if constexpr (is_block_hash) {
            stream_ = Hash::resume(inner_, 1);
        } else {
            stream_ = inner_;
        }
    }

    // Outer hash H(K^opad || inner_digest): always a single block (block_hash_function guarantees it).
    // Wipes `inner_digest` (and its copy in the block) once it is hashed.
    constexpr digest_type outer_hash(digest_type& inner_digest) const noexcept requires is_block_hash {
        state_type state = outer_;
        block_type block{};
        detail::copy_bytes(block.data(), inner_digest.data(), Hash::digest_size);
        detail::secure_wipe(inner_digest);
        block[Hash::digest_size] = std::byte{0x80};
        detail::hmac_store_bit_length<Hash>(block, Hash::block_size + Hash::digest_size);
        Hash::compress(state, block.data());
        detail::secure_wipe(block);  // the inner digest
        return Hash::state_to_digest(state);
    }

    keyed_state inner_{};  // after K ^ ipad
    keyed_state outer_{};  // after K ^ opad
    Hash stream_{};        // streaming inner hash for update()/finalize()
};

/// One-shot HMAC (RFC 2104) of `message` under `key`. For many messages under one key, keep an hmac object.
template <hash_function Hash>
constexpr typename Hash::digest_type hmac_compute(std::span<const std::byte> key,
                                                  std::span<const std::byte> message) noexcept {
    return hmac<Hash>(key).compute(message);
}

/// HMAC-SHA-1 (RFC 2104 with FIPS 180-4 SHA-1), the default of RFC 4226/6238 authenticators.
using hmac_sha1 = hmac<sha1>;
/// HMAC-SHA-256 (RFC 4231).
using hmac_sha256 = hmac<sha256>;
/// HMAC-SHA-512 (RFC 4231).
using hmac_sha512 = hmac<sha512>;

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_HMAC_HPP_INCLUDED
