// twofactor: totp<Hash, Digits, Step, Clock, T0>, time-based one-time codes (RFC 6238), and
// dynamic_totp, its sibling whose time step and T0 are run-time values.
#ifndef TWOFACTOR_TOTP_HPP_INCLUDED
#define TWOFACTOR_TOTP_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "detail/utility.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "hotp.hpp"
#include "otp_code.hpp"

namespace twofactor::inline v1 {

/**
 * The length of a TOTP time step (RFC 6238's X), a structural type so that it can be a
 * template argument: `totp<sha1, 6, 30s>` converts `30s` here. A duration that is not a
 * positive whole number of seconds (0s, -30s, 1500ms) gives a step that is not `valid()`,
 * which `totp` rejects at compile time and `dynamic_totp` as a precondition.
 */
struct time_step {
    std::int64_t seconds = 0;

    constexpr time_step() noexcept = default;
    template <class Rep, class Period>
    requires std::integral<Rep>
    constexpr time_step(std::chrono::duration<Rep, Period> length) noexcept  // NOLINT: implicit by design
        : seconds(whole_seconds(length)) {}

    [[nodiscard]] constexpr bool valid() const noexcept { return seconds > 0; }
    friend constexpr bool operator==(time_step, time_step) = default;

private:
    template <class Rep, class Period>
    static constexpr std::int64_t whole_seconds(std::chrono::duration<Rep, Period> length) noexcept {
        // Computed in the duration's own units, so no conversion can overflow.
        constexpr auto max_seconds = std::numeric_limits<std::int64_t>::max();
        if (length.count() <= 0) return 0;
        // A count past int64 is no step; a wider Rep (__int128 with -std=gnu++20) must not be
        // cut to its low 64 bits, which may look like a valid step.
        if (!std::in_range<std::int64_t>(length.count())) return 0;
        if constexpr (Period::den == 1) {
            constexpr auto unit = static_cast<std::uint64_t>(Period::num);
            const auto count = static_cast<std::uint64_t>(length.count());
            if (count > static_cast<std::uint64_t>(max_seconds) / unit) return 0;
            return static_cast<std::int64_t>(count * unit);
        } else if constexpr (Period::num == 1) {
            constexpr auto per_second = static_cast<std::uint64_t>(Period::den);
            const auto count = static_cast<std::uint64_t>(length.count());
            if (count % per_second != 0) return 0;
            return static_cast<std::int64_t>(count / per_second);
        } else {
            static_assert(Period::num == 1 || Period::den == 1,
                          "time_step: use a duration in whole seconds or a unit of them");
            return 0;
        }
    }
};

/// How many time steps before and after the current one a verification accepts (RFC 6238
/// §5.2 recommends at most one step back for network delay). Steps, never seconds.
struct verify_window {
    std::uint32_t past = 1;
    std::uint32_t future = 1;
    friend constexpr bool operator==(verify_window, verify_window) = default;
};

/// What a successful TOTP verification matched.
struct totp_match {
    std::uint64_t step = 0;   ///< the accepted time step; store it to block replays
    std::int64_t offset = 0;  ///< step minus the step of the verification time (-past..future)
    friend constexpr bool operator==(totp_match, totp_match) = default;
};

/// A clock whose `now()` counts time since the Unix epoch (std::chrono::system_clock, or a
/// firmware's RTC wrapper with the standard clock members): the requirements of C++20's
/// std::chrono::is_clock_v, spelled out because libc++ 14 does not have it.
template <class Clock>
concept otp_clock = requires {
    typename Clock::rep;
    typename Clock::period;
    typename Clock::duration;
    typename Clock::time_point;
    { Clock::is_steady } -> std::convertible_to<bool>;
    { Clock::now() } -> std::same_as<typename Clock::time_point>;
};

/**
 * The time step index T = floor((unix_seconds - t0) / step) of RFC 6238 §4.2, without
 * overflow for any input. Errors: invalid_period (step not positive), time_before_epoch
 * (unix_seconds < t0).
 */
[[nodiscard]] constexpr result<std::uint64_t> time_step_index(std::int64_t unix_seconds, time_step step,
                                                              std::int64_t t0 = 0) noexcept {
    if (!step.valid()) return unexpected(errc::invalid_period);
    if (unix_seconds < t0) return unexpected(errc::time_before_epoch);
    // Exact in unsigned arithmetic: 0 <= unix_seconds - t0 < 2^64.
    const std::uint64_t elapsed = static_cast<std::uint64_t>(unix_seconds) - static_cast<std::uint64_t>(t0);
    return elapsed / static_cast<std::uint64_t>(step.seconds);
}

namespace detail {

/// Whole seconds since the clock's epoch, rounded down, or counter_overflow when the time
/// point does not fit in 64-bit seconds.
template <class Rep, class Period>
requires std::integral<Rep>
[[nodiscard]] constexpr result<std::int64_t> floor_seconds(
    std::chrono::duration<Rep, Period> since_epoch) noexcept {
    static_assert(Period::num == 1 || Period::den == 1,
                  "clock durations must be seconds, multiples or fractions of them");
    if (!std::in_range<std::int64_t>(since_epoch.count())) return unexpected(errc::counter_overflow);
    const auto count = static_cast<std::int64_t>(since_epoch.count());
    if constexpr (Period::den == 1) {
        constexpr std::int64_t unit = Period::num;
        if (count > std::numeric_limits<std::int64_t>::max() / unit ||
            count < std::numeric_limits<std::int64_t>::min() / unit)
            return unexpected(errc::counter_overflow);
        return count * unit;
    } else {
        constexpr std::int64_t per_second = Period::den;
        std::int64_t seconds = count / per_second;
        if (count % per_second != 0 && count < 0) --seconds;  // floor, not truncation
        return seconds;
    }
}

/// The implementation shared by totp (compile-time step and T0) and dynamic_totp (run-time).
/// `Timing` provides step() and t0().
template <hash_function Hash, unsigned Digits, otp_clock Clock, class Timing>
class basic_totp : private Timing {
public:
    using hash_type = Hash;
    using clock_type = Clock;
    using code_type = otp_code<Digits>;
    static constexpr unsigned digits = Digits;

    template <class... TimingArgs>
    constexpr explicit basic_totp(std::span<const std::byte> key, TimingArgs... timing) noexcept
        : Timing(timing...), generator_(key) {}

    [[nodiscard]] constexpr time_step step() const noexcept { return Timing::step(); }
    [[nodiscard]] constexpr std::int64_t t0() const noexcept { return Timing::t0(); }

    /// The time step index of a time point. Errors: time_before_epoch, counter_overflow.
    template <class Duration>
    [[nodiscard]] constexpr result<std::uint64_t> step_at(
        std::chrono::time_point<Clock, Duration> time) const noexcept {
        return floor_seconds(time.time_since_epoch()).and_then([this](std::int64_t seconds) {
            return time_step_index(seconds, step(), t0());
        });
    }

    /// The code for a time step index.
    [[nodiscard]] constexpr code_type code_for_step(std::uint64_t step_index) const noexcept {
        return generator_.generate(step_index);
    }

    /// The code valid at `time`. Errors: time_before_epoch, counter_overflow.
    template <class Duration>
    [[nodiscard]] constexpr result<code_type> code_at(
        std::chrono::time_point<Clock, Duration> time) const noexcept {
        return step_at(time).transform([this](std::uint64_t index) { return code_for_step(index); });
    }

    /// The code valid now, by Clock::now().
    [[nodiscard]] result<code_type> code_now() const noexcept { return code_at(Clock::now()); }

    /**
     * Verifies a typed code at `time`, accepting the steps from `window.past` before to
     * `window.future` after the current one. Every candidate is compared, in constant time.
     * With `last_accepted_step` (the step a previous verification returned), a code for that
     * step or any earlier one is refused as replayed (RFC 6238 §5.2).
     * Errors: malformed_code, wrong_code, replayed_code, invalid_window (more than
     * max_verify_candidates steps), time_before_epoch, counter_overflow.
     */
    template <class Duration>
    [[nodiscard]] constexpr result<totp_match> verify(
        std::string_view code, std::chrono::time_point<Clock, Duration> time, verify_window window = {},
        std::optional<std::uint64_t> last_accepted_step = std::nullopt) const noexcept {
        const auto typed = code_type::parse(code);
        if (!typed) return unexpected(typed.error());
        if (std::uint64_t{window.past} + window.future >= max_verify_candidates)
            return unexpected(errc::invalid_window);
        const auto current = step_at(time);
        if (!current) return unexpected(current.error());

        const std::uint64_t first = *current - detail::minimum<std::uint64_t>(*current, window.past);
        // With a negative T0 the step index reaches 2^64 - 1: the window stops there.
        const std::uint64_t last =
            *current + detail::minimum<std::uint64_t>(window.future,
                                                      std::numeric_limits<std::uint64_t>::max() - *current);
        std::uint64_t replay_floor = 0;
        if (last_accepted_step) {
            if (*last_accepted_step == std::numeric_limits<std::uint64_t>::max())
                replay_floor = std::numeric_limits<std::uint64_t>::max();  // nothing is newer
            else
                replay_floor = *last_accepted_step + 1;
        }
        const window_search_outcome found = generator_.search(*typed, first, last - first + 1, replay_floor);
        if (found.accepted && !(last_accepted_step && found.counter <= *last_accepted_step))
            return totp_match{found.counter, static_cast<std::int64_t>(found.counter - *current)};
        // A floor of 2^64 - 1 (nothing is newer than that step) still reports a match there as replayed.
        if (found.accepted || found.replayed) return unexpected(errc::replayed_code);
        return unexpected(errc::wrong_code);
    }

    /// verify() at Clock::now().
    [[nodiscard]] result<totp_match> verify_now(
        std::string_view code, verify_window window = {},
        std::optional<std::uint64_t> last_accepted_step = std::nullopt) const noexcept {
        return verify(code, Clock::now(), window, last_accepted_step);
    }

private:
    hotp<Hash, Digits> generator_;
};

template <time_step Step, std::int64_t T0>
struct fixed_timing {
    static constexpr time_step step() noexcept { return Step; }
    static constexpr std::int64_t t0() noexcept { return T0; }
};

class runtime_timing {
public:
    constexpr runtime_timing(time_step step, std::int64_t t0) noexcept : step_(step), t0_(t0) {
        TWOFACTOR_ASSERT(step.valid(), "dynamic_totp: the time step must be a positive number of seconds");
    }
    constexpr time_step step() const noexcept { return step_; }
    constexpr std::int64_t t0() const noexcept { return t0_; }

private:
    time_step step_;
    std::int64_t t0_;
};

}  // namespace detail

/**
 * TOTP (RFC 6238) with every parameter fixed at compile time.
 *
 *     using namespace std::chrono_literals;
 *     using app_totp = twofactor::totp<twofactor::sha1, 6, 30s>;
 *     const app_totp generator{key};
 *     auto code = generator.code_now();                          // result<otp_code<6>>
 *     auto match = generator.verify(typed, std::chrono::system_clock::now(), {1, 1}, last_step);
 *
 * Hash: a twofactor::hash_function. Digits: 6..9. Step: a positive whole number of seconds.
 * Clock: counts from the Unix epoch (system_clock, or a firmware clock). T0: the Unix time
 * at which step 0 starts (RFC 6238's T0), in seconds.
 */
template <hash_function Hash, unsigned Digits, time_step Step, otp_clock Clock = std::chrono::system_clock,
          std::int64_t T0 = 0>
requires otp_digit_count<Digits> &&(Step.valid()) class totp
    : public detail::basic_totp<Hash, Digits, Clock, detail::fixed_timing<Step, T0>> {
    using base = detail::basic_totp<Hash, Digits, Clock, detail::fixed_timing<Step, T0>>;

public:
    static constexpr time_step period = Step;
    static constexpr std::int64_t epoch = T0;

    /// Keys the generator; the keyed HMAC state is computed once and wiped on destruction.
    constexpr explicit totp(std::span<const std::byte> key) noexcept : base(key) {}
};

/**
 * TOTP whose time step and T0 are chosen at run time (a stored account record, an otpauth://
 * URI, a command-line option); otherwise the same as totp.
 *
 *     twofactor::dynamic_totp<twofactor::sha256, 8> generator{key, std::chrono::seconds{period}};
 *
 * Precondition (TWOFACTOR_ASSERT): step.valid(); validate untrusted periods first.
 */
template <hash_function Hash, unsigned Digits, otp_clock Clock = std::chrono::system_clock>
requires otp_digit_count<Digits>
class dynamic_totp : public detail::basic_totp<Hash, Digits, Clock, detail::runtime_timing> {
    using base = detail::basic_totp<Hash, Digits, Clock, detail::runtime_timing>;

public:
    constexpr dynamic_totp(std::span<const std::byte> key, time_step step, std::int64_t t0 = 0) noexcept
        : base(key, step, t0) {}
};

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_TOTP_HPP_INCLUDED
