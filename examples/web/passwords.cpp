// twofactor web example: password hashing with PBKDF2-HMAC-SHA256.
#include "passwords.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include <twofactor/constant_time.hpp>
#include <twofactor/hash.hpp>
#include <twofactor/pbkdf2.hpp>

#include "tokens.hpp"

namespace web {
namespace {

std::string derive_hex(std::string_view password, std::span<const std::byte> salt, std::uint32_t iterations) {
    std::array<std::byte, 32> key{};
    twofactor::pbkdf2<twofactor::sha256>(std::as_bytes(std::span(password.data(), password.size())), salt,
                                         iterations, key);
    return to_hex(key);
}

std::vector<std::byte> from_hex(std::string_view hex) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::vector<std::byte> bytes;
    if (hex.size() % 2 != 0) return bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int high = nibble(hex[i]);
        const int low = nibble(hex[i + 1]);
        if (high < 0 || low < 0) return {};
        bytes.push_back(static_cast<std::byte>(high * 16 + low));
    }
    return bytes;
}

}  // namespace

password_hash hash_password(std::string_view password) {
    const auto salt = random_bytes(16);
    return {to_hex(salt), derive_hex(password, salt, password_iterations), password_iterations};
}

bool verify_password(std::string_view password, const password_hash& stored) {
    const auto salt = from_hex(stored.salt_hex);
    if (salt.empty() || stored.iterations == 0) return false;
    return twofactor::constant_time_equal(derive_hex(password, salt, stored.iterations), stored.key_hex);
}

void spend_password_time(std::string_view password) {
    static const std::array<std::byte, 16> salt{};
    (void)derive_hex(password, salt, password_iterations);
}

}  // namespace web
