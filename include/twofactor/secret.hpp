// twofactor: `secret`, the shared key of an HOTP/TOTP account, held in a fixed-capacity buffer
// (no heap), wiped whenever a copy of it dies or is overwritten, compared in constant time and
// never printed by accident.
//
// Specs: RFC 4226 §4 requirement R6 ("The length of the shared secret MUST be at least 128 bits.
// This document RECOMMENDs a shared secret length of 160 bits") and R7 (random generation);
// RFC 6238 §5.1 (keys SHOULD be of the length of the HMAC output: 20, 32, 64 bytes for SHA-1,
// SHA-256, SHA-512); RFC 4648 §6 (the base32 setup code).
#ifndef TWOFACTOR_SECRET_HPP_INCLUDED
#define TWOFACTOR_SECRET_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>

#include "base32.hpp"
#include "detail/bytes.hpp"
#include "detail/constant_time.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "otp_parameters.hpp"
#include "random.hpp"

namespace twofactor::inline v1 {

/**
 * The secret length RFC 6238 §5.1 recommends for `Hash`: its digest size, 20, 32 or 64 bytes
 * for SHA-1, SHA-256 and SHA-512 (all at least RFC 4226 R6's 160 bits).
 */
template <hash_function Hash>
inline constexpr std::size_t recommended_secret_size = Hash::digest_size;

/// `recommended_secret_size` for an algorithm chosen at run time: 20, 32 or 64 bytes.
[[nodiscard]] constexpr std::size_t recommended_secret_size_for(algorithm a) noexcept {
    return visit_algorithm(a,
                           [](auto hash) { return recommended_secret_size<typename decltype(hash)::type>; });
}

/**
 * An HOTP/TOTP shared secret of 1 to 64 bytes (`max_size`, the recommended length for
 * SHA-512), stored inline. One non-template type for every algorithm, because records and the
 * enrollment wizard choose the algorithm at run time.
 *
 * Safety properties
 *   - Wiped (`detail::secure_wipe`) when destroyed, when assigned over, and when moved from
 *     (a moved-from secret is empty). Copies are independent secrets, each wiped in turn.
 *   - `==` takes the same time whatever the contents and lengths (all 64 bytes are compared).
 *   - Not printable: no `operator<<`, no conversion to text or bytes. The bytes and the base32
 *     text are reached only through the `reveal_` members, so every disclosure is visible
 *     in the code that makes it.
 *
 * A default-constructed secret is empty (`size() == 0`); it keys nothing, and everything that
 * builds on a secret rejects it with errc::empty_secret. Non-empty secrets come from
 * `generate`, `from_bytes` and `from_base32`.
 *
 *     auto key = twofactor::secret::generate(twofactor::algorithm::sha1);   // 20 OS-random bytes
 *     if (!key) return key.error();                       // errc::random_source_failed
 *     std::array<char, twofactor::secret::max_setup_code_size> code{};
 *     auto n = key->reveal_setup_code(code);              // "JBSW Y3DP EHPK 3PXP ..."
 *     twofactor::totp<twofactor::sha1, 6, 30s> generator{key->reveal_bytes()};
 */
class secret {
public:
    /// The largest secret, in bytes: 64, the recommended length for SHA-512.
    static constexpr std::size_t max_size = 64;
    /// RFC 4226 R6's minimum, in bytes (128 bits). Shorter imported secrets work but are
    /// flagged by `below_recommended_strength()`; `generate` refuses to make them.
    static constexpr std::size_t min_recommended_size = 16;
    /// The longest unpadded base32 text of a secret: 103 characters for 64 bytes.
    static constexpr std::size_t max_base32_size = base32_encoded_size(max_size, base32_padding::omit);
    /// The longest setup code in groups of four: 103 characters and 25 separators.
    static constexpr std::size_t max_setup_code_size = base32_grouped_size(max_base32_size, 4);

    /// An empty secret (see the class documentation).
    constexpr secret() noexcept = default;
    constexpr secret(const secret& other) noexcept { copy_from(other); }
    /// Takes the bytes and wipes `other`, which is left empty.
    constexpr secret(secret&& other) noexcept {
        copy_from(other);
        other.wipe();
    }
    /// Wipes this secret, then copies `other`.
    constexpr secret& operator=(const secret& other) noexcept {
        if (this != &other) {
            wipe();
            copy_from(other);
        }
        return *this;
    }
    /// Wipes this secret, takes the bytes of `other` and wipes `other`, which is left empty.
    constexpr secret& operator=(secret&& other) noexcept {
        if (this != &other) {
            wipe();
            copy_from(other);
            other.wipe();
        }
        return *this;
    }
    /// Wipes every byte of the object.
    constexpr ~secret() { wipe(); }

    /**
     * `size` bytes from `rng` (any `random_source`).
     *
     * Errors: errc::empty_secret (size 0); errc::secret_too_short (size below 16 bytes:
     * RFC 4226 R6 forbids generating them); errc::secret_too_long (above 64); the source's
     * failure, normally errc::random_source_failed (nothing of the draw survives); also
     * errc::random_source_failed when every byte drawn is the same, the mark of a generator
     * stuck at one value (a working one gives that for 16 bytes with chance 2^-120).
     */
    template <random_source Rng>
    [[nodiscard]] static result<secret> generate(std::size_t size, Rng& rng) noexcept {
        if (size == 0) return unexpected(errc::empty_secret);
        if (size < min_recommended_size) return unexpected(errc::secret_too_short);
        if (size > max_size) return unexpected(errc::secret_too_long);
        secret key;
        const std::span<std::byte> drawn = std::span(key.bytes_).first(size);
        const result<void> filled = fill_random(rng, drawn);
        if (!filled) return unexpected(filled.error());
        // Without a branch on the bytes: only the verdict is made public.
        std::byte differs{0};
        for (const std::byte b : drawn) differs |= b ^ drawn[0];
        if (detail::declassify(std::to_integer<unsigned>(differs)) == 0)
            return unexpected(errc::random_source_failed);
        key.size_ = size;
        return key;
    }

    /// `recommended_secret_size_for(a)` bytes (20, 32 or 64) from `rng`. Errors as above.
    template <random_source Rng>
    [[nodiscard]] static result<secret> generate(algorithm a, Rng& rng) noexcept {
        return generate(recommended_secret_size_for(a), rng);
    }

    /**
     * `recommended_secret_size_for(a)` bytes from the operating system (`os_random`). Only on
     * platforms that have one (`os_random_available`); elsewhere pass a source explicitly.
     * Error: errc::random_source_failed.
     */
    template <class Rng = os_random>
    requires random_source<Rng>
    [[nodiscard]] static result<secret> generate(algorithm a) noexcept {
        Rng rng;
        return generate(recommended_secret_size_for(a), rng);
    }

    /**
     * A copy of `bytes` (binary secrets may contain any byte, including leading or inner
     * zeros). Secrets shorter than 16 bytes are accepted: see `below_recommended_strength`.
     *
     * Errors: errc::empty_secret, errc::secret_too_long (more than 64 bytes).
     */
    [[nodiscard]] static constexpr result<secret> from_bytes(std::span<const std::byte> bytes) noexcept {
        if (bytes.empty()) return unexpected(errc::empty_secret);
        if (bytes.size() > max_size) return unexpected(errc::secret_too_long);
        secret key;
        detail::copy_bytes(key.bytes_.data(), bytes.data(), bytes.size());
        key.size_ = bytes.size();
        return key;
    }

    /**
     * Decodes a base32 secret (RFC 4648 §6): by default leniently, as a setup code typed or
     * pasted by a human ("jbsw y3dp-ehpk 3pxp", with or without padding); `base32_mode::strict`
     * for machine-written text. 80-bit secrets (GitHub, Okta, Microsoft 365) are accepted: see
     * `below_recommended_strength`.
     *
     * Errors (`base32_error`): the base32 errors with their position in `text` (see
     * `base32_mode`); `{errc::empty_secret, 0}` for text without any data character;
     * `{errc::secret_too_long, 0}` for more than 64 bytes (103 characters).
     */
    [[nodiscard]] static constexpr result<secret, base32_error> from_base32(
        std::string_view text, base32_mode mode = base32_mode::lenient) noexcept {
        secret key;
        const auto decoded = base32_decode(text, key.bytes_, mode);
        if (!decoded) {
            if (decoded.error().code == errc::output_too_small) {
                return unexpected(base32_error{errc::secret_too_long, 0});
            }
            return unexpected(decoded.error());
        }
        if (*decoded == 0) return unexpected(base32_error{errc::empty_secret, 0});
        key.size_ = *decoded;
        return key;
    }

    /// The length in bytes, 0..64 (0 only for an empty secret).
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
    /// Whether this is the empty secret (default-constructed or moved from).
    [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }

    /**
     * True when the secret is shorter than 128 bits, RFC 4226 R6's minimum (e.g. an imported
     * 80-bit secret). It still works; an application should tell its user that the service's
     * secret is weak. False for an empty secret.
     */
    [[nodiscard]] constexpr bool below_recommended_strength() const noexcept {
        return size_ != 0 && size_ < min_recommended_size;
    }

    /// The secret bytes, to key an HMAC (hotp, totp). The view dies with this object; whatever
    /// the caller copies it into, it must wipe.
    [[nodiscard]] constexpr std::span<const std::byte> reveal_bytes() const noexcept {
        return std::span(bytes_).first(size_);
    }

    /// The length of `reveal_base32`'s output: `base32_encoded_size(size(), omit)`.
    [[nodiscard]] constexpr std::size_t base32_size() const noexcept {
        return base32_encoded_size(size_, base32_padding::omit);
    }

    /**
     * Writes the secret as unpadded uppercase base32 (the `secret=` form of an otpauth:// URI)
     * into `out` and returns the number of characters, `base32_size()`.
     * Error: errc::output_too_small (nothing written); `max_base32_size` always suffices.
     */
    [[nodiscard]] constexpr result<std::size_t> reveal_base32(std::span<char> out) const noexcept {
        const auto written = base32_encode(reveal_bytes(), out, base32_padding::omit);
        if (!written) return unexpected(written.error().code);
        return *written;
    }

    /// The length of `reveal_setup_code`'s output for groups of `group` characters.
    [[nodiscard]] constexpr std::size_t setup_code_size(std::size_t group = 4) const noexcept {
        return base32_grouped_size(base32_size(), group);
    }

    /**
     * Writes the setup code an authenticator app asks for when the QR code cannot be scanned:
     * the unpadded base32 text in groups of `group` characters (default 4) separated by
     * `separator` ("JBSW Y3DP EHPK 3PXP"). Returns the number of characters,
     * `setup_code_size(group)`. `from_base32` (lenient) reads it back.
     * Error: errc::output_too_small (nothing written); `max_setup_code_size` always suffices for
     * groups of four.
     */
    [[nodiscard]] constexpr result<std::size_t> reveal_setup_code(std::span<char> out, std::size_t group = 4,
                                                                  char separator = ' ') const noexcept {
        if (out.size() < setup_code_size(group)) return unexpected(errc::output_too_small);
        std::array<char, max_base32_size> text{};
        const std::size_t length = base32_size();
        (void)base32_encode(reveal_bytes(), text, base32_padding::omit);  // fits: max_base32_size
        const auto written = base32_group(std::string_view(text.data(), length), out, group, separator);
        detail::secure_wipe(text);
        if (!written) return unexpected(written.error().code);
        return *written;
    }

    /// Equal length and bytes; the time taken depends on neither.
    friend constexpr bool operator==(const secret& a, const secret& b) noexcept {
        const auto same_bytes = static_cast<unsigned>(detail::equal<std::byte>(a.bytes_, b.bytes_));
        const auto same_size =
            static_cast<unsigned>(detail::mask_if_equal<std::size_t>(a.size_, b.size_) & 1u);
        return (same_bytes & same_size) != 0;
    }

private:
    constexpr void copy_from(const secret& other) noexcept {
        detail::copy_bytes(bytes_.data(), other.bytes_.data(), max_size);
        size_ = other.size_;
    }
    constexpr void wipe() noexcept {
        detail::secure_wipe(std::span(bytes_));
        detail::secure_wipe(size_);
    }

    // Invariant: bytes_[size_..max_size) are zero, so that copies and `==` may work on the whole
    // array without looking at size_.
    std::array<std::byte, max_size> bytes_{};
    std::size_t size_ = 0;
};

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_SECRET_HPP_INCLUDED
