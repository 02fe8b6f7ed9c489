// twofactor: what the seed's Authentication page offers once 2FA is on, besides
// reconfiguring (enrollment_wizard::reconfigure): regenerate the backup codes without changing
// the secret, and disable 2FA; each confirmed by a fresh code when the policy says so.
#ifndef TWOFACTOR_ACCOUNT_OPERATIONS_HPP_INCLUDED
#define TWOFACTOR_ACCOUNT_OPERATIONS_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <chrono>
#include <cstddef>
#include <string_view>

#include "account.hpp"
#include "backup_codes.hpp"
#include "error.hpp"
#include "random.hpp"

namespace twofactor::inline v1 {

/// How a change to an enabled account is confirmed.
struct change_policy {
    /// Whether a fresh, valid code must confirm the change (it is checked by `login`: the same
    /// replay guard and throttling apply). Off only when the application has just confirmed
    /// the user some other way.
    bool require_code = true;
    /// The check's window and throttling; `accept_backup_codes` says whether a backup code
    /// may confirm (by default it may for disable, not for regenerating backup codes).
    login_policy login{};
};

/// The default policy of `regenerate_backup_codes`: a code from the app, not a backup code.
inline constexpr change_policy regenerate_policy{true, login_policy{{1, 1}, 10, throttle_policy{}, false}};

/// What `regenerate_backup_codes` did: `outcome` as for login (store `outcome.record` when
/// `outcome.record_changed`: a failed confirmation counts), and on success the new codes to
/// show once; `outcome.record` then holds their digests.
template <std::size_t N, hash_function BackupHash>
struct backup_code_regeneration {
    login_outcome<N, BackupHash> outcome;
    std::array<backup_code, N> codes{};
};

/**
 * Replaces the backup codes of `current` with N new ones from `rng` (same secret; the old
 * codes stop working), once `typed` is confirmed by login at `now` (unless the policy requires
 * no code). On success outcome.record has revision current.revision() + 1.
 *
 * The login comes first and the codes (N PBKDF2 runs) are drawn only after it succeeded, so a
 * locked-out, malformed or wrong attempt costs what a login costs and `rng` is not called.
 * Errors in outcome.match: those of login (outcome as login's: store outcome.record when
 * outcome.record_changed); errc::random_source_failed (after a successful confirmation:
 * outcome.record is `current` and record_changed is false, so the confirming code, or backup
 * code, is not consumed and can confirm again); errc::counter_overflow (current is at
 * account_record::max_revision; nothing changed, rng not called).
 */
template <std::size_t N, hash_function BackupHash, random_source Rng>
[[nodiscard]] backup_code_regeneration<N, BackupHash> regenerate_backup_codes(
    const account_record<N, BackupHash>& current, std::string_view typed, std::chrono::sys_seconds now,
    Rng& rng, const change_policy& policy = regenerate_policy) noexcept {
    backup_code_regeneration<N, BackupHash> regeneration{
        login_outcome<N, BackupHash>{current, unexpected(errc::counter_overflow), false, std::nullopt}, {}};
    // login refuses such a record too; without a code nothing else would.
    if (current.revision() >= account_record<N, BackupHash>::max_revision) return regeneration;
    // The confirmation first: a locked-out, malformed or wrong attempt returns before the
    // expensive generation (and without drawing random bytes).
    if (policy.require_code) {
        regeneration.outcome = login(current, typed, now, policy.login);
        if (!regeneration.outcome.match) return regeneration;
    } else {
        regeneration.outcome.match = login_match{login_method::not_required, 0, 0, 0, 0};
    }
    auto fresh = backup_code_set<N, BackupHash>::generate(rng, current.backup_codes().iterations());
    if (!fresh) {
        // Nothing is stored: the confirming code (consumed only in the login's record, which
        // is dropped here) stays valid, and nothing else changed.
        regeneration.outcome =
            login_outcome<N, BackupHash>{current, unexpected(fresh.error()), false, std::nullopt};
        return regeneration;
    }
    // One stored change, one revision: the confirming login and the new codes together replace
    // `current` (the login's own increase is not counted twice).
    regeneration.outcome.record =
        regeneration.outcome.record.with_backup_codes(fresh->set).replacing(current.revision());
    regeneration.outcome.record_changed = true;
    regeneration.codes = fresh->codes;
    return regeneration;
}

/// regenerate_backup_codes with the operating system's CSPRNG (`os_random`), where there is one.
template <class Rng = os_random, std::size_t N, hash_function BackupHash>
requires random_source<Rng>
[[nodiscard]] backup_code_regeneration<N, BackupHash> regenerate_backup_codes(
    const account_record<N, BackupHash>& current, std::string_view typed, std::chrono::sys_seconds now,
    const change_policy& policy = regenerate_policy) noexcept {
    Rng rng;
    return regenerate_backup_codes(current, typed, now, rng, policy);
}

/**
 * Disabling 2FA: confirms `typed` (a code, or a backup code unless the policy refuses them) by
 * login at `now`. On success (outcome.match) delete the stored record with compare-and-set
 * on current.revision(); turning 2FA on again is a new enrollment_wizard. On failure store
 * outcome.record when outcome.record_changed (the failure counts).
 */
template <std::size_t N, hash_function BackupHash>
[[nodiscard]] constexpr login_outcome<N, BackupHash> confirm_disable(
    const account_record<N, BackupHash>& current, std::string_view typed, std::chrono::sys_seconds now,
    const change_policy& policy = {}) noexcept {
    if (!policy.require_code)
        return login_outcome<N, BackupHash>{current, login_match{login_method::not_required, 0, 0, 0, 0},
                                            false, std::nullopt};
    return login(current, typed, now, policy.login);
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_ACCOUNT_OPERATIONS_HPP_INCLUDED
