// twofactor web example: password hashing with PBKDF2-HMAC-SHA256 (the library's pbkdf2.hpp)
// and a random 16-byte salt per user.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace web {

/// A stored password: salt and derived key as hex, and the iteration count.
struct password_hash {
    std::string salt_hex;
    std::string key_hex;
    std::uint32_t iterations = 0;
};

/// PBKDF2 iterations for new passwords (OWASP's 2023 figure for PBKDF2-HMAC-SHA256).
inline constexpr std::uint32_t password_iterations = 600'000;

/// A new hash of `password` with a fresh random salt.
[[nodiscard]] password_hash hash_password(std::string_view password);

/// Whether `password` matches `stored` (the derived keys are compared in constant time).
[[nodiscard]] bool verify_password(std::string_view password, const password_hash& stored);

/// Spends the time of one verification, so that an unknown user name takes as long as a wrong
/// password.
void spend_password_time(std::string_view password);

}  // namespace web
