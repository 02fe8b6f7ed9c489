// Byte-order helpers and secure wiping shared by every layer.
// Big-endian word encoding as used by FIPS 180-4 §3.1 (SHA-1, SHA-2) and RFC 4226 §5.3.
#ifndef TWOFACTOR_DETAIL_BYTES_HPP_INCLUDED
#define TWOFACTOR_DETAIL_BYTES_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

// Forces inlining of the small round helpers so that the working variables of the hash
// functions stay in registers (not a configuration macro; internal to the library).
#if !defined(TWOFACTOR_DETAIL_ALWAYS_INLINE)
#if defined(__GNUC__) || defined(__clang__)
#define TWOFACTOR_DETAIL_ALWAYS_INLINE [[gnu::always_inline]] inline
#elif defined(_MSC_VER)
#define TWOFACTOR_DETAIL_ALWAYS_INLINE __forceinline
#else
#define TWOFACTOR_DETAIL_ALWAYS_INLINE inline
#endif
#endif

// Asks the optimiser to unroll the loop that follows completely (GCC and Clang; ignored at -O0):
// the round loops of the hash functions, whose working variables are then renamed rather than
// moved, as in hand-unrolled code, while the source and unoptimised builds stay small.
#if !defined(TWOFACTOR_DETAIL_UNROLL)
#if defined(__GNUC__) || defined(__clang__)
#define TWOFACTOR_DETAIL_PRAGMA(text) _Pragma(#text)
#define TWOFACTOR_DETAIL_UNROLL(count) TWOFACTOR_DETAIL_PRAGMA(GCC unroll count)
#else
#define TWOFACTOR_DETAIL_UNROLL(count)
#endif
#endif

namespace twofactor::inline v1::detail {

/// Loads a big-endian 32-bit word from `p[0..4)`. Precondition: 4 readable bytes at `p`.
constexpr std::uint32_t load_be32(const std::byte* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) {
        std::uint32_t value;
        std::memcpy(&value, p, sizeof value);
        if constexpr (std::endian::native == std::endian::little) {
            value = __builtin_bswap32(value);
        }
        return value;
    }
#endif
    return (std::to_integer<std::uint32_t>(p[0]) << 24) | (std::to_integer<std::uint32_t>(p[1]) << 16) |
           (std::to_integer<std::uint32_t>(p[2]) << 8) | std::to_integer<std::uint32_t>(p[3]);
}

/// Loads a big-endian 64-bit word from `p[0..8)`. Precondition: 8 readable bytes at `p`.
constexpr std::uint64_t load_be64(const std::byte* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) {
        std::uint64_t value;
        std::memcpy(&value, p, sizeof value);
        if constexpr (std::endian::native == std::endian::little) {
            value = __builtin_bswap64(value);
        }
        return value;
    }
#endif
    return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}

/// Stores `value` big-endian into `p[0..4)`. Precondition: 4 writable bytes at `p`.
constexpr void store_be32(std::byte* p, std::uint32_t value) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) {
        if constexpr (std::endian::native == std::endian::little) {
            value = __builtin_bswap32(value);
        }
        std::memcpy(p, &value, sizeof value);
        return;
    }
#endif
    p[0] = static_cast<std::byte>(value >> 24);
    p[1] = static_cast<std::byte>(value >> 16);
    p[2] = static_cast<std::byte>(value >> 8);
    p[3] = static_cast<std::byte>(value);
}

/// Stores `value` big-endian into `p[0..8)`. Precondition: 8 writable bytes at `p`.
constexpr void store_be64(std::byte* p, std::uint64_t value) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) {
        if constexpr (std::endian::native == std::endian::little) {
            value = __builtin_bswap64(value);
        }
        std::memcpy(p, &value, sizeof value);
        return;
    }
#endif
    store_be32(p, static_cast<std::uint32_t>(value >> 32));
    store_be32(p + 4, static_cast<std::uint32_t>(value));
}

// Fixed-extent span overloads: the size is checked by the type system.

/// Loads a big-endian 32-bit word from exactly four bytes.
constexpr std::uint32_t load_be32(std::span<const std::byte, 4> bytes) noexcept {
    return load_be32(bytes.data());
}
/// Loads a big-endian 64-bit word from exactly eight bytes.
constexpr std::uint64_t load_be64(std::span<const std::byte, 8> bytes) noexcept {
    return load_be64(bytes.data());
}
/// Stores a big-endian 32-bit word into exactly four bytes.
constexpr void store_be32(std::span<std::byte, 4> bytes, std::uint32_t value) noexcept {
    store_be32(bytes.data(), value);
}
/// Stores a big-endian 64-bit word into exactly eight bytes.
constexpr void store_be64(std::span<std::byte, 8> bytes, std::uint64_t value) noexcept {
    store_be64(bytes.data(), value);
}

/// Copies `count` bytes; constexpr-friendly memcpy (the ranges must not overlap).
constexpr void copy_bytes(std::byte* destination, const std::byte* source, std::size_t count) noexcept {
    if (std::is_constant_evaluated()) {
        for (std::size_t i = 0; i < count; ++i) {
            destination[i] = source[i];
        }
    } else if (count != 0) {
        std::memcpy(destination, source, count);
    }
}

/// Zeroes the bytes of `storage` at run time in a way the optimiser may not elide
/// (a memset followed by a compiler barrier that claims to read the memory, or volatile
/// writes where no such barrier exists). In constant evaluation it simply zeroes.
inline void secure_wipe_bytes(void* storage, std::size_t size) noexcept {
    if (size == 0) {
        return;
    }
#if defined(__GNUC__) || defined(__clang__)
    std::memset(storage, 0, size);
    asm volatile("" : : "r"(storage) : "memory");
#else
    auto* p = static_cast<volatile unsigned char*>(storage);
    for (std::size_t i = 0; i < size; ++i) {
        p[i] = 0;
    }
#endif
}

/// Zeroes `bytes`; never removed by the optimiser (see secure_wipe_bytes). Usable in constant evaluation.
constexpr void secure_wipe(std::span<std::byte> bytes) noexcept {
    if (std::is_constant_evaluated()) {
        for (auto& b : bytes) {
            b = std::byte{0};
        }
    } else {
        secure_wipe_bytes(bytes.data(), bytes.size());
    }
}

template <class T>
inline constexpr bool is_span_v = false;
template <class T, std::size_t Extent>
inline constexpr bool is_span_v<std::span<T, Extent>> = true;

/// Zeroes every byte of a trivially copyable object (a key array, a hash state, a struct of those);
/// never removed by the optimiser. Usable in constant evaluation (there it value-initialises).
/// Spans are excluded on purpose: to wipe what a span refers to, call secure_wipe(std::span<std::byte>).
template <class T>
requires(std::is_trivially_copyable_v<T> &&
         (std::is_default_constructible_v<T> || std::is_array_v<T>)&&!std::is_const_v<T> &&
         !std::is_pointer_v<T> && !is_span_v<T>) constexpr void secure_wipe(T& object) noexcept {
    if (std::is_constant_evaluated()) {
        if constexpr (std::is_array_v<T>) {
            for (auto& element : object) {
                secure_wipe(element);
            }
        } else {
            object = T{};
        }
    } else {
        secure_wipe_bytes(&object, sizeof(T));
    }
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_BYTES_HPP_INCLUDED
