// A deterministic random source for tests: SplitMix64, opted in as a twofactor random_source so
// that generation (secrets, salts, backup codes) accepts it. Test data only, never a source of
// secrets.
#pragma once

#include <twofactor/error.hpp>
#include <twofactor/random.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace twofactor_test {

/// `splitmix_source rng{seed}`; `{seed, n}` fails every call from the n-th (0-based) on with
/// errc::random_source_failed. `calls` counts the calls to fill().
struct splitmix_source {
    std::uint64_t state = 0;
    int fail_from_call = -1;
    int calls = 0;

    twofactor::result<void> fill(std::span<std::byte> out) noexcept {
        const int call = calls++;
        if (fail_from_call >= 0 && call >= fail_from_call)
            return twofactor::unexpected(twofactor::errc::random_source_failed);
        for (std::byte& b : out) b = static_cast<std::byte>(next() >> 56);
        return {};
    }

    std::uint64_t next() noexcept {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15U);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9U;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebU;
        return z ^ (z >> 31);
    }
};

}  // namespace twofactor_test

template <>
inline constexpr bool twofactor::enable_random_source<twofactor_test::splitmix_source> = true;
