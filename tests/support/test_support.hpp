// Helpers shared by the twofactor tests.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <twofactor/error.hpp>

namespace twofactor_test {

/// The bytes of a string literal without its terminating NUL, usable in constant expressions.
template <std::size_t N>
constexpr std::array<std::byte, N - 1> bytes_of(const char (&text)[N]) noexcept {
    std::array<std::byte, N - 1> bytes{};
    for (std::size_t i = 0; i + 1 < N; ++i) bytes[i] = static_cast<std::byte>(text[i]);
    return bytes;
}

/// The bytes of a run-time string.
inline std::vector<std::byte> bytes_of(std::string_view text) {
    std::vector<std::byte> bytes(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) bytes[i] = static_cast<std::byte>(text[i]);
    return bytes;
}

/// The characters of a byte range (binary output of a renderer, say), to write or compare as text.
inline std::string_view as_text(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// Lower-case hexadecimal of a byte range.
inline std::string to_hex(std::span<const std::byte> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (std::byte b : bytes) {
        hex += digits[static_cast<unsigned>(b) >> 4];
        hex += digits[static_cast<unsigned>(b) & 0x0f];
    }
    return hex;
}

/// `count` bytes from a seeded generator (test data only: never a source of secrets).
inline std::vector<std::byte> random_bytes(std::mt19937_64& generator, std::size_t count) {
    std::vector<std::byte> bytes(count);
    for (auto& b : bytes) b = static_cast<std::byte>(generator() & 0xff);
    return bytes;
}

}  // namespace twofactor_test

// How Boost.Test prints our types in failure messages (found by argument-dependent lookup).
namespace twofactor::inline v1 {

inline std::ostream& boost_test_print_type(std::ostream& out, errc code) {
    return out << "errc::" << describe(code) << " (" << static_cast<int>(code) << ")";
}

template <class Text>
requires requires(const Text& text) {
    { text.view() } -> std::convertible_to<std::string_view>;
}
std::ostream& boost_test_print_type(std::ostream& out, const Text& text) {
    return out << '"' << std::string_view(text.view()) << '"';
}

}  // namespace twofactor::inline v1
