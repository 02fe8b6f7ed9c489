// twofactor web example: random tokens (session ids, CSRF tokens, salts) from the library's
// random source, their hex text, and SHA-256 fingerprints.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace web {

/// `size` bytes from twofactor::os_random (the operating system's CSPRNG). Throws
/// std::runtime_error if the random source fails: nothing secret may be made without it.
[[nodiscard]] std::vector<std::byte> random_bytes(std::size_t size);

/// A new random token: 32 bytes as 64 lowercase hex digits.
[[nodiscard]] std::string random_token();

/// Lowercase hex of `bytes`.
[[nodiscard]] std::string to_hex(std::span<const std::byte> bytes);

/// SHA-256 of `text` as 64 hex digits: the session table stores this, never the cookie value.
[[nodiscard]] std::string sha256_hex(std::string_view text);

}  // namespace web
