// twofactor: where secret bytes come from. The `random_source` concept, its opt-in trait, the
// operating system's CSPRNG (`os_random`) and a wrapper for a firmware's own generator
// (`callback_random`).
//
// Specs: RFC 4086 ("Randomness Requirements for Security") and RFC 4226 §4 R7 ("the keys SHOULD
// be randomly generated ... using a cryptographically strong pseudorandom generator"); Linux
// getrandom(2); Android/OpenBSD/FreeBSD/macOS arc4random_buf(3); Windows BCryptGenRandom
// (BCRYPT_USE_SYSTEM_PREFERRED_RNG).
//
// A source either fills the whole buffer with cryptographically strong bytes or reports
// errc::random_source_failed with the buffer zeroed. There is never a fallback to something
// weaker (rand(), a clock-seeded PRNG, a non-blocking read of an uninitialised pool).
#ifndef TWOFACTOR_RANDOM_HPP_INCLUDED
#define TWOFACTOR_RANDOM_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <concepts>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

#include "detail/bytes.hpp"
#include "detail/utility.hpp"
#include "error.hpp"

#if defined(_WIN32)
#include <windows.h>
// windows.h first: bcrypt.h needs its types.
#include <bcrypt.h>
#if defined(_MSC_VER)
#pragma comment(lib, "bcrypt")
#endif
#define TWOFACTOR_DETAIL_OS_RANDOM_BCRYPT 1
#elif defined(__ANDROID__)
// Bionic declares getrandom only from API level 28; arc4random_buf (seeded from getrandom or
// /dev/urandom) is there on every level.
#include <stdlib.h>  // arc4random_buf
#define TWOFACTOR_DETAIL_OS_RANDOM_ARC4RANDOM 1
#elif defined(__linux__)
#include <sys/random.h>

#include <cerrno>
#define TWOFACTOR_DETAIL_OS_RANDOM_GETRANDOM 1
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || \
    defined(__DragonFly__)
#include <stdlib.h>  // arc4random_buf
#define TWOFACTOR_DETAIL_OS_RANDOM_ARC4RANDOM 1
#endif

namespace twofactor::inline v1 {

/**
 * The opt-in of the `random_source` concept: specialise it as `true` for a type whose `fill`
 * delivers cryptographically strong bytes. It is `false` for everything else, so that a type
 * that merely happens to have a `fill` member (a seeded PRNG wrapper, a test double, a
 * container) can never be taken for a source of secrets by accident.
 *
 *     template <>
 *     inline constexpr bool twofactor::enable_random_source<my_hardware_trng> = true;
 */
template <class T>
inline constexpr bool enable_random_source = false;

/**
 * random_source: a cryptographically secure random byte generator, as used by
 * `secret::generate`.
 *
 * Minimal complete definition
 *   - `enable_random_source<R>` specialised to `true` (the explicit opt-in);
 *   - `r.fill(std::span<std::byte> out)`, `noexcept`, returning exactly `result<void>`.
 *
 * Laws
 *   - On success every byte of `out` has been overwritten with unpredictable bytes
 *     (RFC 4086); `out` may be empty.
 *   - On failure the result holds an error (normally errc::random_source_failed) and `out` is
 *     all zero: no partial or predictable output is ever left behind. `fill_random` enforces
 *     this even for a model that forgets it.
 *   - A failure is reported, never papered over with a weaker generator.
 *
 * Concrete models
 *   - `os_random` (the default): getrandom / arc4random_buf / BCryptGenRandom;
 *   - `callback_random<F>`: a user callable, for firmware with a hardware TRNG;
 *   - `openssl::random` in `twofactor/openssl.hpp`: OpenSSL's RAND_bytes.
 *
 * Deliberately not models: `std::mt19937` (seeded, predictable), `std::random_device` (no
 * guarantee of unpredictability: on some platforms it is a PRNG with a fixed seed), any type
 * that was not opted in.
 */
template <class R>
concept random_source = enable_random_source<std::remove_cv_t<R>> &&
    requires(R& r, std::span<std::byte> out) {
    { r.fill(out) }
    noexcept->std::same_as<result<void>>;
};

/**
 * Fills `out` from `rng`. On failure `out` is zeroed (whatever the model did) and the model's
 * error is returned, normally errc::random_source_failed.
 */
template <random_source R>
[[nodiscard]] result<void> fill_random(R& rng, std::span<std::byte> out) noexcept {
    const result<void> filled = rng.fill(out);
    if (!filled) detail::secure_wipe(out);
    return filled;
}

#if defined(TWOFACTOR_DETAIL_OS_RANDOM_BCRYPT) || defined(TWOFACTOR_DETAIL_OS_RANDOM_GETRANDOM) || \
    defined(TWOFACTOR_DETAIL_OS_RANDOM_ARC4RANDOM)

/// Whether this platform has an `os_random` (Linux, Android, the BSDs, macOS/iOS, Windows).
inline constexpr bool os_random_available = true;

/**
 * The operating system's cryptographically secure generator, the default random source.
 *
 * - Linux: getrandom(2) with flags 0: reads the kernel CSPRNG and blocks only until it
 *   has been seeded once after boot; interrupted calls (EINTR) and short reads are retried.
 *   Any other failure (e.g. ENOSYS on a kernel older than 3.17) is an error: there is no
 *   fallback to /dev/urandom or to GRND_NONBLOCK.
 * - Android, macOS, iOS, FreeBSD, OpenBSD, NetBSD, DragonFly: arc4random_buf(3), which cannot
 *   fail (on Android at every API level; bionic declares getrandom only from level 28).
 * - Windows: BCryptGenRandom with the system-preferred RNG (MSVC links bcrypt.lib through a
 *   pragma; with MinGW, link -lbcrypt). Includes <windows.h>.
 * - Any other platform (bare-metal firmware): `os_random` does not exist and
 *   `os_random_available` is false; wrap the board's TRNG in `callback_random`.
 *
 * Stateless; cheap to construct.
 *
 *     twofactor::os_random rng;
 *     std::array<std::byte, 20> key;
 *     if (!rng.fill(key)) return;   // errc::random_source_failed, key zeroed
 */
class os_random {
public:
    /// Fills `out` completely, or returns errc::random_source_failed with `out` zeroed.
    [[nodiscard]] result<void> fill(std::span<std::byte> out) noexcept {
        if (fill_from_os(out)) return {};
        detail::secure_wipe(out);
        return unexpected(errc::random_source_failed);
    }

private:
    static bool fill_from_os(std::span<std::byte> out) noexcept {
#if defined(TWOFACTOR_DETAIL_OS_RANDOM_GETRANDOM)
        std::size_t done = 0;
        while (done < out.size()) {
            // getrandom(2) returns at most 33554431 bytes per call; ask for at most 256 so that a
            // call, once the pool is seeded, is never interrupted half-way (getrandom(2) NOTES).
            const std::size_t chunk = out.size() - done < 256 ? out.size() - done : 256;
            const ssize_t n = ::getrandom(out.data() + done, chunk, 0);
            if (n < 0) {
                if (errno == EINTR) continue;
                return false;
            }
            if (n == 0) return false;  // never happens for chunk > 0; do not spin
            done += static_cast<std::size_t>(n);
        }
        return true;
#elif defined(TWOFACTOR_DETAIL_OS_RANDOM_ARC4RANDOM)
        if (!out.empty()) ::arc4random_buf(out.data(), out.size());
        return true;
#elif defined(TWOFACTOR_DETAIL_OS_RANDOM_BCRYPT)
        std::size_t done = 0;
        while (done < out.size()) {
            constexpr std::size_t max_chunk = 0x7FFFFFFF;  // ULONG count
            const std::size_t chunk = out.size() - done < max_chunk ? out.size() - done : max_chunk;
            const NTSTATUS status =
                ::BCryptGenRandom(nullptr, reinterpret_cast<PUCHAR>(out.data() + done),
                                  static_cast<ULONG>(chunk), BCRYPT_USE_SYSTEM_PREFERRED_RNG);
            if (!BCRYPT_SUCCESS(status)) return false;
            done += chunk;
        }
        return true;
#endif
    }
};

template <>
inline constexpr bool enable_random_source<os_random> = true;
static_assert(random_source<os_random>);

#else

/// Whether this platform has an `os_random`: not this one (bare metal, or an OS twofactor does
/// not know). Use `callback_random` around the platform's hardware generator.
inline constexpr bool os_random_available = false;

/// Declared only: this platform has no known OS generator, so using `os_random` fails to
/// compile (an incomplete type) instead of falling back to something weaker.
class os_random;

#endif

/**
 * A random source made of a user callable, for targets without an OS generator (a
 * microcontroller's TRNG peripheral, a secure element). Wrapping is the opt-in: the caller
 * vouches that `F` is cryptographically strong.
 *
 * `F` is invocable with `std::span<std::byte>` and returns either `bool` (true: every byte
 * was filled) or `result<void>`. It must not throw (`fill` is noexcept: an exception
 * terminates). On any failure the buffer is zeroed and the error is
 * errc::random_source_failed (or the callable's own error).
 *
 *     twofactor::callback_random trng{[](std::span<std::byte> out) {
 *         return hal_rng_read(reinterpret_cast<uint8_t*>(out.data()), out.size()) == HAL_OK;
 *     }};
 *     auto key = twofactor::secret::generate(20, trng);
 */
template <class F>
requires std::is_invocable_r_v<bool, F&, std::span<std::byte>> ||
    std::same_as<std::invoke_result_t<F&, std::span<std::byte>>, result<void>>
class callback_random {
public:
    /// Stores the callable.
    constexpr explicit callback_random(F generator) noexcept(std::is_nothrow_move_constructible_v<F>)
        : generator_(std::move(generator)) {}

    /// Calls the callable once for the whole of `out`.
    [[nodiscard]] result<void> fill(std::span<std::byte> out) noexcept {
        result<void> filled;
        if constexpr (std::same_as<std::invoke_result_t<F&, std::span<std::byte>>, result<void>>) {
            filled = detail::invoke(generator_, out);
        } else if (!static_cast<bool>(detail::invoke(generator_, out))) {
            filled = unexpected(errc::random_source_failed);
        }
        if (!filled) detail::secure_wipe(out);
        return filled;
    }

private:
    F generator_;
};

template <class F>
callback_random(F) -> callback_random<F>;

template <class F>
inline constexpr bool enable_random_source<callback_random<F>> = true;

}  // namespace twofactor::inline v1

#undef TWOFACTOR_DETAIL_OS_RANDOM_BCRYPT
#undef TWOFACTOR_DETAIL_OS_RANDOM_GETRANDOM
#undef TWOFACTOR_DETAIL_OS_RANDOM_ARC4RANDOM

#endif  // TWOFACTOR_RANDOM_HPP_INCLUDED
