// twofactor: hotp<Hash, Digits>, counter-based one-time codes (RFC 4226).
#ifndef TWOFACTOR_HOTP_HPP_INCLUDED
#define TWOFACTOR_HOTP_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "detail/bytes.hpp"
#include "detail/constant_time.hpp"
#include "detail/utility.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "hmac.hpp"
#include "otp_code.hpp"

namespace twofactor::inline v1 {

/// The most candidates one verification may compare (look-ahead + 1, or past + 1 + future;
/// for hotp::resynchronize the candidate pairs, look-ahead + 1, which take one code more to
/// compute than there are pairs). Each accepted candidate multiplies an attacker's chance per guess (RFC 4226
/// §7.3), and the cap keeps a caller's mistaken window from turning into an unbounded loop.
inline constexpr std::uint64_t max_verify_candidates = 1001;

namespace detail {

/// RFC 4226 §5.3 dynamic truncation: the 31-bit big-endian value at the offset given by the
/// low four bits of the digest's last byte. The offset depends on the secret, so the four
/// bytes are not read through it as an index: the two 64-bit words that can hold them are
/// selected with a mask and shifted (shift timing does not depend on the count).
template <std::size_t N>
requires(N >= 20) [[nodiscard]] constexpr std::uint32_t dynamic_truncate(const digest<N>& mac) noexcept {
    const auto offset = static_cast<unsigned>(mac[N - 1]) & 0x0fU;  // 0..15
    // Bytes 0..23 as three big-endian words, zero beyond N (a SHA-1 digest has 20 bytes).
    const std::array<std::uint64_t, 3> words{
        load_be64(mac.data()), load_be64(mac.data() + 8),
        N >= 24 ? load_be64(mac.data() + 16) : std::uint64_t{load_be32(mac.data() + 16)} << 32};
    const std::uint64_t in_second_word = mask_if_equal<std::uint64_t>(offset >> 3, 1);
    const std::uint64_t high = select(in_second_word, words[1], words[0]);
    const std::uint64_t low = select(in_second_word, words[2], words[1]);
    const unsigned shift = (offset & 7U) * 8U;  // 0..56
    // (low >> 1) >> (63 - shift) is low >> (64 - shift) without the undefined shift by 64.
    const std::uint64_t window = (high << shift) | ((low >> 1) >> (63 - shift));
    return static_cast<std::uint32_t>(window >> 32) & 0x7fffffffU;
}

/// The 8-byte big-endian counter that is HOTP's HMAC message (RFC 4226 §5.2).
[[nodiscard]] constexpr std::array<std::byte, 8> counter_message(std::uint64_t counter) noexcept {
    std::array<std::byte, 8> message{};
    store_be64(message, counter);
    return message;
}

}  // namespace detail

/// Where a windowed search found the typed code.
struct window_search_outcome {
    bool accepted = false;      ///< matched a counter at or after the replay floor
    bool replayed = false;      ///< matched only counters before the replay floor
    std::uint64_t counter = 0;  ///< the earliest accepted counter (valid when `accepted`)
};

/**
 * HOTP (RFC 4226): the code for a counter is the decimal truncation of HMAC-Hash(key,
 * counter). The keyed HMAC state is computed once in the constructor, so each code costs two
 * hash compressions; the key material is wiped when the object is destroyed.
 *
 *     const twofactor::hotp<twofactor::sha1, 6> generator{key};
 *     auto code = generator.generate(0);                     // "755224" for the RFC key
 *     auto matched = generator.verify("287082", 0, 10);      // result<std::uint64_t>: 1
 *
 * Hash: any twofactor::hash_function (built-in or openssl::). Digits: 6..9.
 */
template <hash_function Hash, unsigned Digits>
requires otp_digit_count<Digits>
class hotp {
public:
    using hash_type = Hash;
    using code_type = otp_code<Digits>;
    static constexpr unsigned digits = Digits;

    /// Keys the generator. RFC 4226 §4 asks for at least 128 bits; shorter keys work (real
    /// services hand out 80-bit ones) and policies about them belong to provisioning.
    constexpr explicit hotp(std::span<const std::byte> key) noexcept : mac_(key) {}

    /// The code for `counter`.
    [[nodiscard]] constexpr code_type generate(std::uint64_t counter) const noexcept {
        return code_type::from_value(
            detail::dynamic_truncate(mac_.compute(detail::counter_message(counter))));
    }

    /**
     * Verifies a typed code against counters `counter` .. `counter + look_ahead` (stopping at
     * 2^64 - 1), comparing every candidate in constant time. Returns the matched counter; the
     * caller's next counter is that plus one, so a code is never accepted twice.
     * Errors: malformed_code (not `Digits` digits), wrong_code, invalid_window (look_ahead of
     * max_verify_candidates or more), counter_overflow (the code matched counter 2^64 - 1, whose
     * successor does not exist: accepting it would send the caller back to counter 0, and every
     * code used since would become valid again).
     */
    [[nodiscard]] constexpr result<std::uint64_t> verify(std::string_view code, std::uint64_t counter,
                                                         std::uint64_t look_ahead = 0) const noexcept {
        const auto typed = code_type::parse(code);
        if (!typed) return unexpected(typed.error());
        if (look_ahead >= max_verify_candidates) return unexpected(errc::invalid_window);
        const std::uint64_t count =
            detail::minimum(look_ahead, std::numeric_limits<std::uint64_t>::max() - counter) + 1;
        const window_search_outcome found = search(*typed, counter, count, counter);
        if (!found.accepted) return unexpected(errc::wrong_code);
        if (found.counter == std::numeric_limits<std::uint64_t>::max())
            return unexpected(errc::counter_overflow);
        return found.counter;
    }

    /**
     * Resynchronisation (RFC 4226 §7.4): finds two consecutive counters c, c + 1 in
     * `counter` .. `counter + look_ahead + 1` (stopping at 2^64 - 1) whose codes are
     * `first_code` and `second_code`, and returns c + 1, the counter of the second code (the
     * caller continues at c + 2). Errors: malformed_code, wrong_code (no such pair),
     * invalid_window, counter_overflow (the pair found ends at 2^64 - 1: there is no c + 2 to
     * continue at).
     */
    [[nodiscard]] constexpr result<std::uint64_t> resynchronize(std::string_view first_code,
                                                                std::string_view second_code,
                                                                std::uint64_t counter,
                                                                std::uint64_t look_ahead) const noexcept {
        const auto first = code_type::parse(first_code);
        const auto second = code_type::parse(second_code);
        if (!first) return unexpected(first.error());
        if (!second) return unexpected(second.error());
        if (look_ahead >= max_verify_candidates) return unexpected(errc::invalid_window);
        constexpr std::uint64_t max_counter = std::numeric_limits<std::uint64_t>::max();
        if (counter == max_counter) return unexpected(errc::wrong_code);
        const std::uint64_t pairs = detail::minimum(look_ahead, max_counter - 1 - counter) + 1;

        // Every pair is compared; the earliest match wins, selected without a branch.
        std::uint64_t found_mask = 0;
        std::uint64_t found_counter = 0;
        bool previous_matches_first = generate(counter) == *first;
        for (std::uint64_t i = 1; i <= pairs; ++i) {
            const std::uint64_t candidate = counter + i;
            const code_type code = generate(candidate);
            // `&`, not `&&`: no branch on whether the first code matched.
            const std::uint64_t pair_mask =
                std::uint64_t{0} - (std::uint64_t{previous_matches_first} & std::uint64_t{code == *second});
            const std::uint64_t take = pair_mask & ~found_mask;
            found_counter = detail::select(take, candidate, found_counter);
            found_mask |= pair_mask;
            previous_matches_first = code == *first;
        }
        if (detail::declassify(found_mask) == 0) return unexpected(errc::wrong_code);
        const std::uint64_t matched = detail::declassify(found_counter);
        if (matched == max_counter) return unexpected(errc::counter_overflow);
        return matched;
    }

    /**
     * The building block of windowed verification (TOTP uses it with time steps): compares
     * `typed` with the codes of the `count` counters starting at `first` (which must not run
     * past 2^64 - 1), all of them, in constant time. Counters before `replay_floor` only
     * count as `replayed`. Candidates are computed several at a time so that their hash
     * compressions overlap.
     */
    [[nodiscard]] constexpr window_search_outcome search(const code_type& typed, std::uint64_t first,
                                                         std::uint64_t count,
                                                         std::uint64_t replay_floor) const noexcept {
        TWOFACTOR_ASSERT(count == 0 || count - 1 <= std::numeric_limits<std::uint64_t>::max() - first,
                         "hotp::search: counter range overflows");
        std::uint64_t accepted_mask = 0;
        std::uint64_t replayed_mask = 0;
        std::uint64_t accepted_counter = 0;
        const auto consider = [&](std::uint64_t candidate, const code_type& code) {
            const std::uint64_t match = std::uint64_t{0} - std::uint64_t{code == typed};
            if (candidate >= replay_floor) {  // counters are public; only `match` is secret
                accepted_counter = detail::select(match & ~accepted_mask, candidate, accepted_counter);
                accepted_mask |= match;
            } else {
                replayed_mask |= match;
            }
        };
        std::uint64_t done = 0;
        for (; count - done >= lanes; done += lanes) {
            const auto codes = generate_consecutive<lanes>(first + done);
            for (std::size_t lane = 0; lane < lanes; ++lane) consider(first + done + lane, codes[lane]);
        }
        for (; done < count; ++done) consider(first + done, generate(first + done));

        window_search_outcome outcome;
        // The outcome (which step matched, if any) is public from here on.
        outcome.accepted = detail::declassify(accepted_mask) != 0;
        outcome.replayed = !outcome.accepted && detail::declassify(replayed_mask) != 0;
        outcome.counter = outcome.accepted ? detail::declassify(accepted_counter) : 0;
        return outcome;
    }

private:
    // Three lanes: a ±1 TOTP window is exactly one batch.
    static constexpr std::size_t lanes = 3;

    template <std::size_t Lanes>
    [[nodiscard]] constexpr std::array<code_type, Lanes> generate_consecutive(
        std::uint64_t first) const noexcept {
        std::array<std::array<std::byte, 8>, Lanes> messages{};
        for (std::size_t lane = 0; lane < Lanes; ++lane)
            messages[lane] = detail::counter_message(first + lane);
        const auto macs = mac_.compute_lanes(messages);
        std::array<code_type, Lanes> codes{};
        for (std::size_t lane = 0; lane < Lanes; ++lane)
            codes[lane] = code_type::from_value(detail::dynamic_truncate(macs[lane]));
        return codes;
    }

    hmac<Hash> mac_;
};

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_HOTP_HPP_INCLUDED
