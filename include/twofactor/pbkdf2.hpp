// twofactor: PBKDF2 (RFC 8018 §5.2) over the library's own HMAC, for slow salted hashes of
// backup codes. Test vectors: RFC 6070 (HMAC-SHA-1), RFC 7914 §11 (HMAC-SHA-256).
#ifndef TWOFACTOR_PBKDF2_HPP_INCLUDED
#define TWOFACTOR_PBKDF2_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "config.hpp"
#include "detail/bytes.hpp"
#include "detail/utility.hpp"
#include "hash.hpp"
#include "hmac.hpp"

namespace twofactor::inline v1 {

namespace detail {
/// RFC 8018 §5.2: at most 2^32 - 1 blocks of the hash's digest size, the last one partial or not.
[[nodiscard]] constexpr bool pbkdf2_length_allowed(std::size_t key_size, std::size_t block_size) noexcept {
    const std::size_t blocks = key_size / block_size + (key_size % block_size != 0 ? 1U : 0U);
    return blocks <= 0xffffffffU;
}
}  // namespace detail

/**
 * Fills `derived_key` with PBKDF2-HMAC-Hash(password, salt, iterations).
 *
 * The password keys one hmac object, whose pad states are computed once, so each iteration
 * costs two hash compressions. Intermediate blocks are wiped before returning.
 *
 *     std::array<std::byte, 32> key;
 *     twofactor::pbkdf2<twofactor::sha256>(password, salt, 100'000, key);
 *
 * Preconditions (TWOFACTOR_ASSERT): iterations >= 1 and derived_key.size() <=
 * (2^32 - 1) * Hash::digest_size. Callers validate untrusted iteration counts first.
 */
template <hash_function Hash>
constexpr void pbkdf2(std::span<const std::byte> password, std::span<const std::byte> salt,
                      std::uint32_t iterations, std::span<std::byte> derived_key) noexcept {
    constexpr std::size_t block_size = Hash::digest_size;
    TWOFACTOR_ASSERT(iterations >= 1, "pbkdf2: at least one iteration");
    TWOFACTOR_ASSERT(detail::pbkdf2_length_allowed(derived_key.size(), block_size),
                     "pbkdf2: derived key too long");

    const hmac<Hash> prf{password};
    std::array<std::byte, 4> block_index{};
    std::uint32_t index = 1;
    for (std::size_t done = 0; done < derived_key.size(); done += block_size, ++index) {
        // U1 = PRF(P, S || INT(i)); Uj = PRF(P, Uj-1); T = U1 ^ ... ^ Uc.
        detail::store_be32(block_index, index);
        hmac<Hash> first = prf;
        first.update(salt);
        first.update(block_index);
        auto u = first.finalize();
        auto t = u;
        for (std::uint32_t j = 1; j < iterations; ++j) {
            u = prf.compute(u.bytes);
            for (std::size_t k = 0; k < block_size; ++k) t[k] ^= u[k];
        }
        const std::size_t take = detail::minimum(block_size, derived_key.size() - done);
        for (std::size_t k = 0; k < take; ++k) derived_key[done + k] = t[k];
        detail::secure_wipe(u.bytes);
        detail::secure_wipe(t.bytes);
    }
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_PBKDF2_HPP_INCLUDED
