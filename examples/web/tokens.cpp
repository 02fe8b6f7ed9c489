// twofactor web example: random tokens, hex, fingerprints (SHA-256 of session ids).
#include "tokens.hpp"

#include <cstdint>
#include <stdexcept>

#include <twofactor/hash.hpp>
#include <twofactor/random.hpp>

namespace web {

std::vector<std::byte> random_bytes(std::size_t size) {
    std::vector<std::byte> bytes(size);
    twofactor::os_random rng;
    if (!twofactor::fill_random(rng, bytes)) throw std::runtime_error("the random source failed");
    return bytes;
}

std::string random_token() { return to_hex(random_bytes(32)); }

std::string to_hex(std::span<const std::byte> bytes) {
    static constexpr std::string_view digits = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (const std::byte b : bytes) {
        text.push_back(digits[std::to_integer<unsigned>(b) >> 4]);
        text.push_back(digits[std::to_integer<unsigned>(b) & 0xf]);
    }
    return text;
}

std::string sha256_hex(std::string_view text) {
    const auto digest =
        twofactor::hash<twofactor::sha256>(std::as_bytes(std::span(text.data(), text.size())));
    return to_hex(digest.bytes);
}

}  // namespace web
