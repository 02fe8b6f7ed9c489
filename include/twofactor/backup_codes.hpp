// twofactor: backup codes, the single-use recovery codes handed out at enrollment (the
// "Download" step of the setup wizard), kept only as salted slow hashes (PBKDF2, RFC 8018).
#ifndef TWOFACTOR_BACKUP_CODES_HPP_INCLUDED
#define TWOFACTOR_BACKUP_CODES_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "config.hpp"
#include "detail/bytes.hpp"
#include "detail/constant_time.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "pbkdf2.hpp"
#include "random.hpp"

namespace twofactor::inline v1 {

/// The characters of a backup code: digits and capital letters without the look-alikes 0/O
/// and 1/I/L, so a code read from paper is typed right. 31 symbols.
inline constexpr std::string_view backup_code_alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Characters in a backup code: 12 symbols of 31 carry 59.4 bits of entropy (at least 50 are
/// required so that guessing within any lockout schedule is hopeless).
inline constexpr std::size_t backup_code_length = 12;

/// Characters per group when a code is shown: "7KQ4-XR2P-DM9A".
inline constexpr std::size_t backup_code_group_size = 4;

/// Length of the grouped form shown to the user (groups joined by '-').
inline constexpr std::size_t backup_code_display_size =
    backup_code_length + (backup_code_length - 1) / backup_code_group_size;

/**
 * PBKDF2 iterations per backup-code hash. The default, 100,000 PBKDF2-HMAC-SHA256 iterations,
 * takes 12 ms on one core of a 2.1 GHz EPYC with SHA-NI (benchmarks/backup_codes.bench.cpp);
 * a login with a backup code pays it once, generation once per code. Stored records may
 * carry any count from min to max; lower counts are for tests and small devices.
 */
inline constexpr std::uint32_t default_backup_code_iterations = 100'000;
inline constexpr std::uint32_t min_backup_code_iterations = 1'000;  // RFC 8018 §4.2's minimum
inline constexpr std::uint32_t max_backup_code_iterations = 10'000'000;

/// Whether backup_code_set takes `iterations` (generate, from_parts, and the wizard's policy):
/// min_backup_code_iterations..max_backup_code_iterations, both included.
[[nodiscard]] constexpr bool valid_backup_code_iterations(std::uint32_t iterations) noexcept {
    return iterations >= min_backup_code_iterations && iterations <= max_backup_code_iterations;
}

namespace detail {

// Typed and generated symbols are secret: these helpers compare with every symbol of the
// alphabet and select with masks, without an early exit, a branch or a table index on them.

/// `c` in capitals when it is a symbol of the alphabet (typed in either case), else 0.
[[nodiscard]] constexpr char backup_code_symbol(char c) noexcept {
    const auto typed = static_cast<std::uint32_t>(static_cast<unsigned char>(c));
    const std::uint32_t is_lower = static_cast<std::uint32_t>(typed - 'a' < 26u);
    const std::uint32_t upper = typed - (is_lower << 5);  // 'a' - 'A' == 32
    std::uint32_t found = 0;
    for (const char symbol : backup_code_alphabet)
        found |= mask_if_equal(upper, static_cast<std::uint32_t>(symbol)) & upper;
    return static_cast<char>(found);
}

/// The symbol of alphabet index `index` (< 31).
[[nodiscard]] constexpr char backup_code_symbol_at(std::uint32_t index) noexcept {
    std::uint32_t found = 0;
    for (std::uint32_t i = 0; i < backup_code_alphabet.size(); ++i)
        found |= mask_if_equal(index, i) & static_cast<std::uint32_t>(backup_code_alphabet[i]);
    return static_cast<char>(found);
}

/// Whether a typed character is ignored: a space, tab or hyphen between groups.
[[nodiscard]] constexpr bool backup_code_separator(char c) noexcept {
    // Masks rather than ==: compilers turn `c == ' ' || ...` into a jump table indexed by c.
    const auto typed = static_cast<std::uint32_t>(static_cast<unsigned char>(c));
    return (mask_if_equal(typed, std::uint32_t{' '}) | mask_if_equal(typed, std::uint32_t{'-'}) |
            mask_if_equal(typed, std::uint32_t{'\t'})) != 0;
}

}  // namespace detail

/**
 * One backup code: `backup_code_length` characters of `backup_code_alphabet`. The plain text
 * of a code exists only in the value `backup_code_set::generate` returns (to show once and to
 * download) and in what the user types; it is wiped on destruction and compared in constant
 * time.
 */
class backup_code {
public:
    constexpr backup_code() noexcept { normalised_.fill(backup_code_alphabet[0]); }
    constexpr backup_code(const backup_code&) noexcept = default;
    constexpr backup_code& operator=(const backup_code&) noexcept = default;
    constexpr ~backup_code() {
        if (std::is_constant_evaluated()) return;
        detail::secure_wipe_bytes(normalised_.data(), normalised_.size());
    }

    /**
     * Parses what a user typed: letters in either case; spaces, tabs and hyphens anywhere are
     * ignored ("7kq4 xr2p-dm9a" is "7KQ4-XR2P-DM9A"). Errors: errc::malformed_backup_code
     * (another character, or not exactly backup_code_length symbols).
     */
    [[nodiscard]] static constexpr result<backup_code> parse(std::string_view typed) noexcept {
        backup_code code;
        std::size_t count = 0;
        for (const char c : typed) {
            if (detail::declassify(static_cast<unsigned>(detail::backup_code_separator(c))) != 0) continue;
            const char symbol = detail::backup_code_symbol(c);
            // Whether a character is a symbol is public (the code's layout), which one is not.
            if (detail::declassify(static_cast<unsigned>(symbol == 0)) != 0 || count == backup_code_length)
                return unexpected(errc::malformed_backup_code);
            code.normalised_[count++] = symbol;
        }
        if (count != backup_code_length) return unexpected(errc::malformed_backup_code);
        return code;
    }

    /// The code as shown and printed, grouped: "7KQ4-XR2P-DM9A". Reveals the code.
    [[nodiscard]] constexpr std::array<char, backup_code_display_size> reveal_grouped() const noexcept {
        std::array<char, backup_code_display_size> grouped{};
        std::size_t at = 0;
        for (std::size_t i = 0; i < backup_code_length; ++i) {
            if (i != 0 && i % backup_code_group_size == 0) grouped[at++] = '-';
            grouped[at++] = normalised_[i];
        }
        return grouped;
    }

    /// The normalised characters (no separators, capitals): the input of the stored hash.
    [[nodiscard]] constexpr std::string_view reveal_normalised() const noexcept {
        return {normalised_.data(), normalised_.size()};
    }

    /// Constant-time equality.
    [[nodiscard]] friend constexpr bool operator==(const backup_code& a, const backup_code& b) noexcept {
        return detail::equal(std::span<const char>(a.normalised_), std::span<const char>(b.normalised_));
    }

private:
    template <std::size_t, hash_function>
    friend class backup_code_set;
    std::array<char, backup_code_length> normalised_;
};

/// Which code of a set a successful `consume` used, and how many unused codes are left.
struct backup_code_use {
    std::size_t index = 0;      ///< position of the code in the set (0-based, as generated)
    std::size_t remaining = 0;  ///< unused codes left after this one
    friend constexpr bool operator==(backup_code_use, backup_code_use) = default;
};

template <std::size_t N, hash_function Hash>
struct generated_backup_codes;

/**
 * N single-use backup codes as stored: one random salt per set and, per code, its
 * PBKDF2-HMAC-Hash digest and a used flag. No plain code is kept: a stolen record gives an
 * attacker one PBKDF2 evaluation per guess of a 59-bit code.
 *
 *     twofactor::os_random rng;
 *     auto fresh = twofactor::backup_code_set<10>::generate(rng);   // show fresh->codes once
 *     twofactor::backup_code_set<10> stored = fresh->set;            // keep this
 *     auto used = stored.consume("7kq4 xr2p dm9a");  // result<backup_code_use>
 *
 * `consume` checks the typed code against all N digests in constant time (one PBKDF2, then N
 * comparisons with no early exit and no branch on which code matched), marks the match used
 * and refuses it afterwards. A set is a plain value (no heap): copy it, store it, and write
 * it back with compare-and-set (see account.hpp) so two requests cannot spend one code twice.
 *
 * N: 1..64 codes. Hash: the PBKDF2 PRF's hash (SHA-256 by default).
 */
template <std::size_t N = 10, hash_function Hash = sha256>
class backup_code_set {
    static_assert(N >= 1 && N <= 64, "backup_code_set: between 1 and 64 codes");

public:
    using hash_type = Hash;
    using digest_type = std::array<std::byte, Hash::digest_size>;
    static constexpr std::size_t count = N;
    static constexpr std::size_t salt_size = 16;

    /// An empty set: every code used, nothing can match. Use `generate` or `from_parts`.
    constexpr backup_code_set() noexcept { used_.fill(true); }

    /**
     * Draws N distinct codes and a salt from `rng` and hashes each code with `iterations`
     * PBKDF2 iterations. Errors: errc::invalid_hash_cost (iterations outside
     * min_backup_code_iterations..max_backup_code_iterations), errc::random_source_failed (the
     * source failed, or is stuck: 64 bytes in a row that map to no symbol, or a code that
     * repeats an earlier one three draws running, which a working source never gives).
     */
    template <random_source Rng>
    [[nodiscard]] static result<generated_backup_codes<N, Hash>> generate(
        Rng& rng, std::uint32_t iterations = default_backup_code_iterations) noexcept;

    /// `generate` from the operating system's CSPRNG (`os_random`), where there is one.
    template <class Rng = os_random>
    requires random_source<Rng>
    [[nodiscard]] static result<generated_backup_codes<N, Hash>> generate(
        std::uint32_t iterations = default_backup_code_iterations) noexcept {
        Rng rng;
        return generate(rng, iterations);
    }

    /**
     * Rebuilds a stored set (from a parsed record). Errors: errc::invalid_hash_cost.
     */
    [[nodiscard]] static constexpr result<backup_code_set> from_parts(
        std::span<const std::byte, salt_size> salt, std::uint32_t iterations,
        std::span<const digest_type, N> digests, std::span<const bool, N> used) noexcept {
        if (!valid_backup_code_iterations(iterations)) return unexpected(errc::invalid_hash_cost);
        backup_code_set set;
        for (std::size_t i = 0; i < salt_size; ++i) set.salt_[i] = salt[i];
        set.iterations_ = iterations;
        for (std::size_t i = 0; i < N; ++i) {
            set.digests_[i] = digests[i];
            set.used_[i] = used[i];
        }
        return set;
    }

    /**
     * Verify-and-consume: if `typed` is an unused code of this set, marks it used and returns
     * which one and how many remain. Errors: errc::malformed_backup_code (not a backup code:
     * nothing was hashed), errc::wrong_code (no code of this set), errc::backup_code_used
     * (a code of this set used before). The set is unchanged on error.
     */
    [[nodiscard]] constexpr result<backup_code_use> consume(std::string_view typed) noexcept {
        const auto code = backup_code::parse(typed);
        if (!code) return unexpected(code.error());
        return consume(*code);
    }

    /// consume() of a parsed code.
    [[nodiscard]] constexpr result<backup_code_use> consume(const backup_code& code) noexcept {
        digest_type derived = digest_of(code);
        // Every digest is compared and every flag read; the match is selected with masks.
        std::uint32_t matched = 0;
        std::uint32_t matched_used = 0;
        std::size_t index = 0;
        for (std::size_t i = 0; i < N; ++i) {
            const std::uint32_t equal = detail::mask_if_zero(difference(derived, digests_[i]));
            matched |= equal;
            matched_used |= equal & detail::mask_if_zero(static_cast<std::uint32_t>(!used_[i]));
            const std::size_t index_mask = std::size_t{0} - static_cast<std::size_t>(equal & 1u);
            index = detail::select(index_mask, i, index);
        }
        detail::secure_wipe(std::span<std::byte>(derived));
        // The outcome (which code, if any, and whether it was used) is public from here on.
        if (detail::declassify(matched) == 0) return unexpected(errc::wrong_code);
        if (detail::declassify(matched_used) != 0) return unexpected(errc::backup_code_used);
        index = detail::declassify(index);
        used_[index] = true;
        return backup_code_use{index, remaining()};
    }

    /// Unused codes left (0..N).
    [[nodiscard]] constexpr std::size_t remaining() const noexcept {
        std::size_t left = 0;
        for (const bool used : used_) left += used ? 0 : 1;
        return left;
    }
    /// Whether the code at `index` (< N) was used.
    [[nodiscard]] constexpr bool used(std::size_t index) const noexcept {
        TWOFACTOR_ASSERT(index < N, "backup_code_set::used: index out of range");
        return used_[index];
    }
    /// The PBKDF2 iteration count the digests were made with.
    [[nodiscard]] constexpr std::uint32_t iterations() const noexcept { return iterations_; }
    /// The per-set salt (stored with the record; not secret).
    [[nodiscard]] constexpr std::span<const std::byte, salt_size> salt() const noexcept { return salt_; }
    /// The digest of code `index` (< N): for serialisation.
    [[nodiscard]] constexpr const digest_type& digest(std::size_t index) const noexcept {
        TWOFACTOR_ASSERT(index < N, "backup_code_set::digest: index out of range");
        return digests_[index];
    }

    /// Whether two sets hold the same salt, cost, digests and flags (constant time in the digests).
    [[nodiscard]] friend constexpr bool operator==(const backup_code_set& a,
                                                   const backup_code_set& b) noexcept {
        std::uint32_t different = difference(a.salt_, b.salt_);
        for (std::size_t i = 0; i < N; ++i) different |= difference(a.digests_[i], b.digests_[i]);
        // Only whether they are equal becomes public, after every digest byte was compared.
        const bool same_bytes = detail::declassify(detail::mask_if_zero(different)) != 0;
        return same_bytes && a.iterations_ == b.iterations_ && a.used_ == b.used_;
    }

private:
    template <std::size_t M>
    [[nodiscard]] static constexpr std::uint32_t difference(const std::array<std::byte, M>& a,
                                                            const std::array<std::byte, M>& b) noexcept {
        std::uint32_t bits = 0;
        for (std::size_t i = 0; i < M; ++i) bits |= static_cast<std::uint32_t>(a[i] ^ b[i]);
        return bits;
    }

    [[nodiscard]] constexpr digest_type digest_of(const backup_code& code) const noexcept {
        std::array<std::byte, backup_code_length> password{};
        for (std::size_t i = 0; i < backup_code_length; ++i)
            password[i] = static_cast<std::byte>(code.normalised_[i]);
        digest_type derived{};
        pbkdf2<Hash>(password, salt_, iterations_, derived);
        detail::secure_wipe(std::span<std::byte>(password));
        return derived;
    }

    std::array<std::byte, salt_size> salt_{};
    std::uint32_t iterations_ = default_backup_code_iterations;
    std::array<digest_type, N> digests_{};
    std::array<bool, N> used_{};
};

/**
 * What `backup_code_set::generate` returns: the set to store and the plain codes to show
 * once (and to put in the download file with `write_backup_codes_text`). Let `codes` go out
 * of scope as soon as they have been shown: they are wiped then.
 */
template <std::size_t N, hash_function Hash>
struct generated_backup_codes {
    backup_code_set<N, Hash> set;
    std::array<backup_code, N> codes;
};

template <std::size_t N, hash_function Hash>
template <random_source Rng>
result<generated_backup_codes<N, Hash>> backup_code_set<N, Hash>::generate(
    Rng& rng, std::uint32_t iterations) noexcept {
    if (!valid_backup_code_iterations(iterations)) return unexpected(errc::invalid_hash_cost);
    generated_backup_codes<N, Hash> fresh;
    if (auto filled = fill_random(rng, fresh.set.salt_); !filled) return unexpected(filled.error());
    fresh.set.iterations_ = iterations;

    // Uniform symbols by rejection: a byte below 248 = 8 * 31 maps to byte % 31 without bias.
    // A source stuck at one value (a broken hardware TRNG) must end in an error, not a loop:
    // it is given up on after a whole pool of rejected bytes in a row (chance 2^-320 for a
    // working source) or a code that repeats another on each of three draws (below 2^-160).
    constexpr std::size_t unbiased_limit = 256 - 256 % backup_code_alphabet.size();
    constexpr std::size_t max_draws_per_code = 3;
    std::array<std::byte, 64> pool{};
    std::size_t pool_next = pool.size();
    std::size_t rejected_in_a_row = 0;
    const auto give_up = [&](errc error) {
        detail::secure_wipe(std::span<std::byte>(pool));
        return unexpected(error);
    };
    for (std::size_t i = 0; i < N; ++i) {
        bool distinct = false;
        for (std::size_t draws = 0; !distinct; ++draws) {
            if (draws == max_draws_per_code) return give_up(errc::random_source_failed);
            for (std::size_t k = 0; k < backup_code_length;) {
                if (pool_next == pool.size()) {
                    if (auto filled = fill_random(rng, pool); !filled) return give_up(filled.error());
                    pool_next = 0;
                }
                const auto value = std::to_integer<std::uint32_t>(pool[pool_next++]);
                // Whether a byte is rejected is public: a rejected byte is never used.
                if (detail::declassify(static_cast<unsigned>(value >= unbiased_limit)) != 0) {
                    if (++rejected_in_a_row == pool.size()) return give_up(errc::random_source_failed);
                    continue;
                }
                rejected_in_a_row = 0;
                fresh.codes[i].normalised_[k++] = detail::backup_code_symbol_at(
                    detail::remainder_by<static_cast<std::uint32_t>(backup_code_alphabet.size())>(value));
            }
            // A repeat (probability about 2^-60) would make two entries one code: draw again.
            unsigned repeated = 0;
            for (std::size_t j = 0; j < i; ++j)
                repeated |= static_cast<unsigned>(fresh.codes[j] == fresh.codes[i]);
            distinct = detail::declassify(repeated) == 0;
        }
        fresh.set.digests_[i] = fresh.set.digest_of(fresh.codes[i]);
        fresh.set.used_[i] = false;
    }
    detail::secure_wipe(std::span<std::byte>(pool));
    return fresh;
}

/// The heading facts of the download file.
struct backup_codes_text_info {
    std::string_view issuer;           ///< the service, as in the otpauth:// URI (may be empty)
    std::string_view account;          ///< the account name
    std::chrono::year_month_day date;  ///< when the codes were generated: a real date, years 0..9999
};

namespace detail {

// The file prints the date as YYYY-MM-DD: only real dates with four-digit years.
[[nodiscard]] constexpr bool printable_date(std::chrono::year_month_day date) noexcept {
    return date.ok() && static_cast<int>(date.year()) >= 0 && static_cast<int>(date.year()) <= 9999;
}

// Writes the download text to `out` (when not null) and returns its length.
constexpr std::size_t render_backup_codes_text(char* out, const backup_codes_text_info& info,
                                               std::span<const backup_code> codes) noexcept {
    std::size_t size = 0;
    auto put = [&](std::string_view text) {
        if (out != nullptr)
            for (std::size_t i = 0; i < text.size(); ++i) out[size + i] = text[i];
        size += text.size();
    };
    auto number = [&](unsigned value, std::size_t width) {
        std::array<char, 10> digits{};
        std::size_t n = 0;
        do {
            digits[n++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0 || n < width);
        while (n > 0) put(std::string_view(&digits[--n], 1));
    };
    put("Backup codes for ");
    put(info.issuer.empty() ? info.account : info.issuer);
    if (!info.issuer.empty()) {
        put(" (");
        put(info.account);
        put(")");
    }
    put("\nGenerated ");
    number(static_cast<unsigned>(static_cast<int>(info.date.year())), 4);
    put("-");
    number(static_cast<unsigned>(info.date.month()), 2);
    put("-");
    number(static_cast<unsigned>(info.date.day()), 2);
    put("\n\n");
    put("Each code signs you in once when you cannot use your authenticator app.\n\n");
    for (std::size_t i = 0; i < codes.size(); ++i) {
        put(i + 1 < 10 && codes.size() >= 10 ? " " : "");
        number(static_cast<unsigned>(i + 1), 1);
        put(". ");
        auto grouped = codes[i].reveal_grouped();
        put(std::string_view(grouped.data(), grouped.size()));
        detail::secure_wipe(grouped);  // a plain code: no copy left behind
        put("\n");
    }
    put("\nKeep these codes as safe as a password: anyone who has your password and one of\n"
        "these codes can sign in as you. Store them in a password manager, or print them and\n"
        "keep the paper somewhere secure; delete this file once they are stored. Each code\n"
        "works once. Generating new codes makes all of these stop working.\n");
    return size;
}

}  // namespace detail

/// The length of `write_backup_codes_text`'s output (for a date it accepts: see printable_date).
[[nodiscard]] constexpr std::size_t backup_codes_text_size(const backup_codes_text_info& info,
                                                           std::span<const backup_code> codes) noexcept {
    return detail::render_backup_codes_text(nullptr, info, codes);
}

/**
 * Writes the text of the wizard's "Download" link: the issuer, account and date, the N codes
 * numbered and grouped, and how to keep them safe. Plain ASCII apart from the names (UTF-8),
 * '\n' line ends. Returns the number of chars written. Errors: errc::invalid_date (a date that
 * does not exist, such as 2024-02-30, or a year outside 0..9999), errc::output_too_small
 * (nothing written in either case; see backup_codes_text_size).
 *
 *     std::array<char, 2048> text;
 *     auto size = twofactor::write_backup_codes_text(text, {"ACME Co", "alice@example.com", today},
 *                                                    fresh->codes);
 */
[[nodiscard]] constexpr result<std::size_t> write_backup_codes_text(
    std::span<char> out, const backup_codes_text_info& info, std::span<const backup_code> codes) noexcept {
    if (!detail::printable_date(info.date)) return unexpected(errc::invalid_date);
    const std::size_t size = backup_codes_text_size(info, codes);
    if (out.size() < size) return unexpected(errc::output_too_small);
    return detail::render_backup_codes_text(out.data(), info, codes);
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_BACKUP_CODES_HPP_INCLUDED
