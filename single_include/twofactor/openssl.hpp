// twofactor: openssl.hpp, an opt-in header of the single-header edition. Include it after (or
// instead of) twofactor.hpp, which must be next to it.
//
// GENERATED FILE, DO NOT EDIT: produced by tools/amalgamate.py from include/twofactor/openssl.hpp.
// Edit the headers under include/ and run the script again.
#pragma once
// Opt-in OpenSSL 3 backend: twofactor::openssl::sha1, sha256, sha512 model hash_function by wrapping
// the EVP digest API (OpenSSL 3 EVP_DigestInit(3), EVP_MD_fetch(3)). Algorithms: FIPS 180-4.
// This is the only twofactor header that includes OpenSSL; link with OpenSSL::Crypto (twofactor::openssl).
#ifndef TWOFACTOR_OPENSSL_HPP_INCLUDED
#define TWOFACTOR_OPENSSL_HPP_INCLUDED

#include "twofactor.hpp"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <span>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/rand.h>


namespace twofactor::inline v1 {

namespace detail {

// Resource failures (allocation, a missing provider) cannot be reported through the noexcept
// hash_function interface and would leave the object unusable: they go to TWOFACTOR_ASSERT (by
// default a message on stderr, then std::abort()), and the program ends even if a user-defined
// TWOFACTOR_ASSERT returns.
[[noreturn]] inline void openssl_fatal(const char* what) noexcept {
    TWOFACTOR_ASSERT(false, what);
    std::abort();
}

struct openssl_sha1_traits {
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 20;
    static constexpr std::string_view name = "SHA1";
    static constexpr const char* fetch_name = "SHA1";
};
struct openssl_sha256_traits {
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 32;
    static constexpr std::string_view name = "SHA256";
    static constexpr const char* fetch_name = "SHA2-256";
};
struct openssl_sha512_traits {
    static constexpr std::size_t block_size = 128;
    static constexpr std::size_t digest_size = 64;
    static constexpr std::string_view name = "SHA512";
    static constexpr const char* fetch_name = "SHA2-512";
};

/// A hash_function model over one OpenSSL EVP digest, chosen by `Traits`.
template <class Traits>
class openssl_hash {
public:
    /// Bytes per compression block.
    static constexpr std::size_t block_size = Traits::block_size;
    /// Bytes of the digest.
    static constexpr std::size_t digest_size = Traits::digest_size;
    /// Algorithm name as used in otpauth:// URIs.
    static constexpr std::string_view name = Traits::name;
    /// The digest type, digest<digest_size>.
    using digest_type = digest<digest_size>;

    /// A hash of the empty message. Allocates an EVP_MD_CTX; if that fails, TWOFACTOR_ASSERT fires and the
    /// program aborts.
    openssl_hash() noexcept : context_(new_context()) {
        if (EVP_DigestInit_ex2(context_, algorithm(), nullptr) != 1) {
            openssl_fatal("twofactor::openssl: EVP_DigestInit_ex2 failed");
        }
    }

    /// An independent copy of `other`'s state (EVP_MD_CTX_copy_ex); aborts the program if allocation fails.
    openssl_hash(const openssl_hash& other) noexcept : context_(new_context()) {
        if (EVP_MD_CTX_copy_ex(context_, other.context_) != 1) {
            openssl_fatal("twofactor::openssl: EVP_MD_CTX_copy_ex failed");
        }
    }

    /// Replaces the state with a copy of `other`'s; aborts the program if allocation fails.
    openssl_hash& operator=(const openssl_hash& other) noexcept {
        if (this != &other && EVP_MD_CTX_copy_ex(context_, other.context_) != 1) {
            openssl_fatal("twofactor::openssl: EVP_MD_CTX_copy_ex failed");
        }
        return *this;
    }

    /// Frees the context; OpenSSL cleanses the digest state while freeing it.
    ~openssl_hash() { EVP_MD_CTX_free(context_); }

    /// Absorbs `bytes` (EVP_DigestUpdate). Aborts on an OpenSSL failure (not expected for these digests).
    void update(std::span<const std::byte> bytes) noexcept {
        if (!bytes.empty() && EVP_DigestUpdate(context_, bytes.data(), bytes.size()) != 1) {
            openssl_fatal("twofactor::openssl: EVP_DigestUpdate failed");
        }
    }

    /// Pads and returns the digest (EVP_DigestFinal_ex). Afterwards assign a fresh object before reuse.
    digest_type finalize() noexcept {
        digest_type result;
        unsigned int length = 0;
        if (EVP_DigestFinal_ex(context_, reinterpret_cast<unsigned char*>(result.data()), &length) != 1 ||
            length != digest_size) {
            openssl_fatal("twofactor::openssl: EVP_DigestFinal_ex failed");
        }
        return result;
    }

private:
    static EVP_MD_CTX* new_context() noexcept {
        EVP_MD_CTX* context = EVP_MD_CTX_new();
        if (context == nullptr) {
            openssl_fatal("twofactor::openssl: EVP_MD_CTX_new failed (out of memory)");
        }
        return context;
    }

    // Explicitly fetched once per program (avoids the per-init implicit fetch of EVP_sha1() & co.).
    // Deliberately never freed: it must outlive every hash object, including those in static storage.
    static const EVP_MD* algorithm() noexcept {
        static const EVP_MD* const md = [] {
            const EVP_MD* fetched = EVP_MD_fetch(nullptr, Traits::fetch_name, nullptr);
            if (fetched == nullptr) {
                openssl_fatal("twofactor::openssl: EVP_MD_fetch failed (digest not available)");
            }
            return fetched;
        }();
        return md;
    }

    EVP_MD_CTX* context_;
};

}  // namespace detail

/// OpenSSL-backed models of hash_function, interchangeable with the built-in ones:
/// `twofactor::totp<twofactor::openssl::sha1, 6, 30s>`, `twofactor::hmac<twofactor::openssl::sha256>`.
/// Not constexpr. Each object owns an EVP_MD_CTX: construction and copying allocate. An allocation
/// failure (or any other OpenSSL failure) is reported through TWOFACTOR_ASSERT and then aborts the
/// program (std::abort()); nothing throws. Moves are copies.
/// They model hash_function only, so hmac drives them through update()/finalize().
namespace openssl {

/// SHA-1 via OpenSSL EVP ("SHA1").
using sha1 = detail::openssl_hash<detail::openssl_sha1_traits>;
static_assert(hash_function<sha1>);

/// SHA-256 via OpenSSL EVP ("SHA2-256").
using sha256 = detail::openssl_hash<detail::openssl_sha256_traits>;
static_assert(hash_function<sha256>);

/// SHA-512 via OpenSSL EVP ("SHA2-512").
using sha512 = detail::openssl_hash<detail::openssl_sha512_traits>;
static_assert(hash_function<sha512>);

/**
 * OpenSSL's CSPRNG (RAND_bytes) as a random_source, for applications that already seed and
 * trust OpenSSL's generator. A failure is errc::random_source_failed with the buffer zeroed,
 * never a weaker fallback.
 *
 *     twofactor::openssl::random rng;
 *     auto key = twofactor::secret::generate(twofactor::algorithm::sha1, rng);
 */
struct random {
    [[nodiscard]] result<void> fill(std::span<std::byte> out) noexcept {
        for (std::size_t done = 0; done < out.size();) {
            const std::size_t chunk = std::min<std::size_t>(out.size() - done, INT_MAX);
            if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data() + done), static_cast<int>(chunk)) !=
                1) {
                detail::secure_wipe(out);
                return unexpected(errc::random_source_failed);
            }
            done += chunk;
        }
        return {};
    }
};

}  // namespace openssl

/// The explicit opt-in: RAND_bytes is a cryptographically secure generator.
template <>
inline constexpr bool enable_random_source<openssl::random> = true;
static_assert(random_source<openssl::random>);

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_OPENSSL_HPP_INCLUDED
