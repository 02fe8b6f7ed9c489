// twofactor: the per-user 2FA account record and logging in with it: a TOTP (or HOTP) code
// or a backup code, replay protection (RFC 6238 §5.2), throttling of failed attempts
// (RFC 4226 §7.3), a revision for compare-and-set storage, and a versioned text form.
#ifndef TWOFACTOR_ACCOUNT_HPP_INCLUDED
#define TWOFACTOR_ACCOUNT_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "backup_codes.hpp"
#include "base32.hpp"
#include "detail/backup_code_text.hpp"
#include "detail/enrollment_text.hpp"
#include "detail/percent_encoding.hpp"
#include "detail/record_text.hpp"
#include "detail/utility.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "hotp.hpp"
#include "otp_parameters.hpp"
#include "otpauth_uri.hpp"
#include "secret.hpp"
#include "totp.hpp"

namespace twofactor::inline v1 {

/**
 * Throttling of failed login attempts (RFC 4226 §7.3). The first `free_failures` consecutive
 * failures cost nothing; the next one locks the account for `first_lockout`, and each
 * further failure doubles the lockout, up to `max_lockout`. A success resets the count.
 * While locked, no code is checked at all, so an attempt reveals nothing.
 *
 * With the defaults (5, 30 s, 1 day) a 6-digit code and a ±1 step window, an attacker who
 * does nothing but guess gets at most 5 + 12 guesses in the first day and about one a day
 * after that: each guess succeeds with probability 3 / 10^6.
 */
struct throttle_policy {
    std::uint32_t free_failures = 5;
    std::chrono::seconds first_lockout{30};
    std::chrono::seconds max_lockout{86400};
    friend constexpr bool operator==(const throttle_policy&, const throttle_policy&) = default;
};

/// The lockout that follows the `failures`-th consecutive failure: zero while failures <=
/// free_failures, then first_lockout * 2^(failures - free_failures - 1), at most
/// max(max_lockout, first_lockout).
[[nodiscard]] constexpr std::chrono::seconds lockout_after(std::uint32_t failures,
                                                           const throttle_policy& policy) noexcept {
    if (failures <= policy.free_failures || policy.first_lockout.count() <= 0) return std::chrono::seconds{0};
    const std::uint32_t doublings = failures - policy.free_failures - 1;
    std::int64_t lockout = policy.first_lockout.count();
    for (std::uint32_t i = 0; i < doublings && lockout < policy.max_lockout.count(); ++i)
        lockout = lockout > policy.max_lockout.count() / 2 ? policy.max_lockout.count() : lockout * 2;
    return std::chrono::seconds{detail::minimum<std::int64_t>(
        lockout, detail::maximum<std::int64_t>(policy.max_lockout.count(), policy.first_lockout.count()))};
}

/// How `login` verifies: the TOTP window, the HOTP look-ahead, the throttling.
struct login_policy {
    verify_window window{1, 1};          ///< TOTP: steps accepted before and after the current one
    std::uint32_t hotp_look_ahead = 10;  ///< HOTP: counters accepted after the expected one
    throttle_policy throttle{};
    bool accept_backup_codes = true;  ///< false: only one-time codes (e.g. to confirm a change)
};

/// Which kind of input a login accepted.
enum class login_method {
    one_time_code,  ///< a TOTP or HOTP code from the authenticator app
    backup_code,    ///< one of the single-use backup codes
    not_required,   ///< no code was asked for (a change whose policy does not require one)
};

/// "one-time-code", "backup-code", "not-required" (an empty view for a value outside the
/// enumeration).
[[nodiscard]] constexpr std::string_view to_string(login_method method) noexcept {
    switch (method) {
        case login_method::one_time_code: return "one-time-code";
        case login_method::backup_code: return "backup-code";
        case login_method::not_required: return "not-required";
    }
    return {};
}

/// What a successful login matched.
struct login_match {
    login_method method = login_method::one_time_code;
    std::uint64_t step = 0;  ///< one_time_code: the accepted TOTP step or HOTP counter
    std::int64_t offset =
        0;  ///< one_time_code: steps from the current one (TOTP) or the expected counter (HOTP)
    std::size_t backup_code_index = 0;       ///< backup_code: which code of the set (0-based)
    std::size_t backup_codes_remaining = 0;  ///< backup_code: unused codes left
    friend constexpr bool operator==(const login_match&, const login_match&) = default;
};

template <std::size_t N, hash_function BackupHash>
class account_record;
template <std::size_t N, hash_function BackupHash>
struct login_outcome;

template <std::size_t N, hash_function BackupHash>
[[nodiscard]] constexpr login_outcome<N, BackupHash> login(const account_record<N, BackupHash>& current,
                                                           std::string_view typed,
                                                           std::chrono::sys_seconds now,
                                                           const login_policy& policy = {}) noexcept;

/**
 * The result of `login`: the record to store, and what matched or why the attempt failed.
 *
 * `record` is the input record when nothing changed (`record_changed` false: a malformed
 * input, an attempt during a lockout, a time before T0), otherwise a copy with its revision
 * increased by one. Store it only if the stored revision is still the one you loaded
 * (compare-and-set): then of two requests racing with the same code, exactly one can store its
 * record and win; the other must reload and try again, and is then refused as a replay.
 */
template <std::size_t N, hash_function BackupHash>
struct login_outcome {
    account_record<N, BackupHash> record;
    /// The match, or: errc::wrong_code, errc::replayed_code, errc::backup_code_used (these
    /// count as failures), errc::locked_out, errc::malformed_login_input, errc::malformed_code
    /// (1 to 16 digits, but not as many as the account's codes; except 12 digits from 2 to 9,
    /// which are a backup code's form and are tried as one: wrong_code, counted, when none
    /// matches), errc::backup_code_not_accepted (a backup code's form under a policy that
    /// refuses backup codes; it is not checked), errc::time_before_epoch,
    /// errc::counter_overflow (HOTP: the next counter would pass 2^64 - 1; any account: the
    /// record is at account_record::max_revision) (these do not).
    result<login_match> match;
    bool record_changed = false;
    /// When the account is locked after this attempt (or was already): the end of the lockout.
    std::optional<std::chrono::sys_seconds> locked_until;
};

/**
 * One user's 2FA configuration and state: the enrollment (issuer, account name, secret,
 * algorithm, digits, period or HOTP counter), T0, the last accepted TOTP step (or the next
 * HOTP counter), the backup codes (salted PBKDF2 digests and used flags), the consecutive
 * failures and lockout deadline, and a revision.
 *
 * A record is a value: `login` and `with_backup_codes` return a new one with `revision() + 1`.
 * Store records with compare-and-set on the revision (UPDATE ... WHERE revision = loaded).
 *
 * The text form (`serialize`/`parse`) holds the secret: encrypt it at rest.
 *
 *     auto record = twofactor::account_record<>::create(uri, fresh->set);
 *     auto outcome = twofactor::login(*record, typed, std::chrono::floor<std::chrono::seconds>(now));
 *     if (outcome.record_changed) store_if_revision(outcome.record, record->revision());
 *     if (outcome.match) { ... signed in ... }
 */
template <std::size_t N = 10, hash_function BackupHash = sha256>
class account_record {
public:
    using backup_codes_type = backup_code_set<N, BackupHash>;

    /// The first line of the text form: "twofactor-account 1".
    static constexpr std::string_view record_kind = "twofactor-account";
    static constexpr std::uint32_t format_version = 1;

    /**
     * The largest revision a record can have, 2^63 - 1 (it also fits a signed 64-bit database
     * column): `parse` refuses a larger one, and no change goes past it. A record at
     * max_revision accepts no further change: `login` returns errc::counter_overflow without
     * changing it, as do regenerate_backup_codes and enrollment_wizard::reconfigure; `replacing`
     * and `with_backup_codes` stop at it. Each change adds one, so an account reaches it only
     * after 2^63 changes (292 years at a billion a second): revisions never wrap around to an
     * earlier value, which would defeat compare-and-set.
     */
    static constexpr std::uint64_t max_revision =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

    /// The longest text `serialize` can produce.
    static constexpr std::size_t max_serialized_size =
        32 + 2 * (16 + 3 * max_label_part_size) + 5 * 16 + 10 + 16 + secret::max_base32_size + 4 * 32 +
        (48 + 2 * backup_codes_type::salt_size) + N * (24 + 2 * BackupHash::digest_size) + 80;

    /**
     * A new record for an enrollment. For TOTP, `t0` is RFC 6238's T0 and
     * `last_accepted_step` the step of the code that confirmed the setup, if any (so that code
     * cannot sign in again); for HOTP the next expected counter is the URI's counter, and `t0`
     * and `last_accepted_step` are ignored. Errors: errc::empty_secret; those of
     * otpauth_uri::make (names a parsed URI may have but a record cannot store).
     */
    [[nodiscard]] static constexpr result<account_record> create(
        const otpauth_uri& enrollment, const backup_codes_type& backup_codes, std::int64_t t0 = 0,
        std::optional<std::uint64_t> last_accepted_step = std::nullopt) noexcept {
        // Rebuilt with make(): a parsed URI may carry names make() refuses (an encoded ':' in
        // the issuer), which the text form could not store.
        const auto checked = otpauth_uri::make(enrollment.issuer(), enrollment.account(), enrollment.key(),
                                               enrollment.parameters());
        if (!checked) return unexpected(checked.error());
        account_record record(*checked);
        if (enrollment.type() == otp_type::totp) record.t0_ = t0;
        if (enrollment.type() == otp_type::totp) record.last_step_ = last_accepted_step;
        record.backup_codes_ = backup_codes;
        return record;
    }

    /// This record as the successor of the record at `previous_revision` (a reconfiguration):
    /// revision previous_revision + 1, so that it replaces that record by compare-and-set.
    /// The revision stops at max_revision (a previous_revision of max_revision or more gives
    /// max_revision): check `previous_revision < max_revision` first where that can happen.
    [[nodiscard]] constexpr account_record replacing(std::uint64_t previous_revision) const noexcept {
        account_record next = *this;
        next.revision_ = detail::minimum(previous_revision, max_revision - 1) + 1;
        return next;
    }

    /// Issuer, account name, secret and OTP parameters (its counter is the initial one).
    [[nodiscard]] constexpr const otpauth_uri& enrollment() const noexcept { return enrollment_; }
    [[nodiscard]] constexpr std::int64_t t0() const noexcept { return t0_; }
    /// TOTP: the last accepted time step, if any; a code for it or an earlier step is a replay.
    [[nodiscard]] constexpr std::optional<std::uint64_t> last_accepted_step() const noexcept {
        return last_step_;
    }
    /// HOTP: the counter the next code should have (also the enrollment's `counter`).
    [[nodiscard]] constexpr std::uint64_t next_counter() const noexcept { return enrollment_.counter(); }
    [[nodiscard]] constexpr const backup_codes_type& backup_codes() const noexcept { return backup_codes_; }
    [[nodiscard]] constexpr std::uint32_t consecutive_failures() const noexcept { return failures_; }
    /// The end of the current lockout (it may lie in the past: then it is over).
    [[nodiscard]] constexpr std::optional<std::chrono::sys_seconds> locked_until() const noexcept {
        return locked_until_;
    }
    [[nodiscard]] constexpr std::uint64_t revision() const noexcept { return revision_; }

    /// A copy with a new set of backup codes (regeneration: the old codes stop working) and
    /// the revision increased (as `replacing(revision())`: at most max_revision).
    [[nodiscard]] constexpr account_record with_backup_codes(const backup_codes_type& codes) const noexcept {
        account_record next = replacing(revision_);
        next.backup_codes_ = codes;
        return next;
    }

    friend constexpr bool operator==(const account_record&, const account_record&) = default;

    /// The exact length of `serialize`'s output.
    [[nodiscard]] constexpr std::size_t serialized_size() const noexcept { return render(nullptr); }

    /**
     * Writes the record's text form (see below) to `out` and returns its length.
     * Errors: errc::output_too_small (nothing written). The text holds the secret.
     *
     *     twofactor-account 1
     *     issuer ACME%20Co
     *     account alice@example.com
     *     type totp
     *     algorithm SHA1
     *     digits 6
     *     period 30
     *     t0 0
     *     secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
     *     last-step none
     *     failures 0
     *     locked-until none
     *     revision 3
     *     backup-codes 10 pbkdf2-sha256 100000 <salt: 32 hex digits>
     *     backup-code 1 unused <digest: 64 hex digits>
     *     ...
     *     backup-code 10 used <digest>
     *     checksum <SHA-256 of all lines above: 64 hex digits>
     *
     * Names are percent-encoded UTF-8 (an empty issuer is "issuer " with nothing after the
     * space); the secret is unpadded base32; HOTP records have "counter N" (the next expected
     * counter) instead of "period", "t0" and "last-step". Every line ends with '\n'.
     */
    [[nodiscard]] constexpr result<std::size_t> serialize(std::span<char> out) const noexcept {
        const std::size_t size = serialized_size();
        if (out.size() < size) return unexpected(errc::output_too_small);
        return render(out.data());
    }

    /// serialize() into a std::string (allocates; the string holds the secret: wipe or
    /// protect it as such).
    [[nodiscard]] std::string serialize() const {
        std::string text(serialized_size(), '\0');
        (void)render(text.data());
        return text;
    }

    /**
     * Parses the text form strictly: every field exactly once (in any order between the
     * header and the checksum), canonical values only, nothing else; exactly the record that
     * was serialised, or an error naming the problem and its line:
     * errc::not_a_record, errc::unsupported_record_version, errc::record_truncated,
     * errc::record_checksum_mismatch, errc::record_trailing_data, errc::unknown_field,
     * errc::duplicate_field, errc::missing_field (line 0), errc::invalid_field_value (also a
     * revision above max_revision); and errors of the values
     * (errc::invalid_label, errc::invalid_utf8, errc::label_too_long,
     * errc::missing_account_name, errc::unsupported_algorithm, errc::invalid_digits,
     * errc::invalid_period, errc::invalid_hash_cost, errc::secret_too_long, base32 errors).
     */
    [[nodiscard]] static constexpr result<account_record, record_error> parse(std::string_view text) noexcept;

private:
    constexpr explicit account_record(const otpauth_uri& enrollment) noexcept : enrollment_(enrollment) {}
    constexpr std::size_t render(char* out) const noexcept;

    otpauth_uri enrollment_;
    std::int64_t t0_ = 0;
    std::optional<std::uint64_t> last_step_;
    backup_codes_type backup_codes_;
    std::uint32_t failures_ = 0;
    std::optional<std::chrono::sys_seconds> locked_until_;
    std::uint64_t revision_ = 0;

    template <std::size_t M, hash_function H>
    friend constexpr login_outcome<M, H> login(const account_record<M, H>&, std::string_view,
                                               std::chrono::sys_seconds, const login_policy&) noexcept;
    constexpr void set_next_counter(std::uint64_t counter) noexcept {
        otpauth_parameters p = enrollment_.parameters();
        p.counter = counter;
        // The same names, key and (valid) parameters: make cannot fail.
        enrollment_ = *otpauth_uri::make(enrollment_.issuer(), enrollment_.account(), enrollment_.key(), p);
    }
};

namespace detail {

// The field names of the text form, in the order they are written.
enum class account_field : std::size_t {
    issuer,
    account,
    type,
    algorithm,
    digits,
    period,
    t0,
    counter,
    secret,
    last_step,
    failures,
    locked_until,
    revision,
    count
};
inline constexpr std::array<std::string_view, static_cast<std::size_t>(account_field::count)>
    account_field_names{"issuer",  "account", "type",      "algorithm", "digits",       "period",  "t0",
                        "counter", "secret",  "last-step", "failures",  "locked-until", "revision"};

[[nodiscard]] constexpr std::string_view account_field_name(account_field f) noexcept {
    return account_field_names[static_cast<std::size_t>(f)];
}

}  // namespace detail

template <std::size_t N, hash_function BackupHash>
constexpr std::size_t account_record<N, BackupHash>::render(char* out) const noexcept {
    using detail::account_field;
    using detail::account_field_name;
    detail::record_writer w(out);
    auto field = [&](account_field f) { w.field(account_field_name(f)); };
    const otpauth_parameters& p = enrollment_.parameters();
    w.header(record_kind, format_version);
    field(account_field::issuer);
    w.encoded(enrollment_.issuer());
    w.end_line();
    field(account_field::account);
    w.encoded(enrollment_.account());
    w.end_line();
    field(account_field::type);
    w.put(to_string(p.type));
    w.end_line();
    field(account_field::algorithm);
    w.put(to_string(p.hash));
    w.end_line();
    field(account_field::digits);
    w.number(p.digits);
    w.end_line();
    if (p.type == otp_type::totp) {
        field(account_field::period);
        w.number(p.period);
        w.end_line();
        field(account_field::t0);
        w.signed_number(t0_);
        w.end_line();
    } else {
        field(account_field::counter);
        w.number(enrollment_.counter());
        w.end_line();
    }
    field(account_field::secret);
    detail::write_record_secret(w, enrollment_.key());
    w.end_line();
    if (p.type == otp_type::totp) {
        field(account_field::last_step);
        if (last_step_)
            w.number(*last_step_);
        else
            w.put("none");
        w.end_line();
    }
    field(account_field::failures);
    w.number(failures_);
    w.end_line();
    field(account_field::locked_until);
    if (locked_until_)
        w.signed_number(locked_until_->time_since_epoch().count());
    else
        w.put("none");
    w.end_line();
    field(account_field::revision);
    w.number(revision_);
    w.end_line();
    detail::write_backup_code_set(w, backup_codes_);
    w.checksum();
    return w.size();
}

template <std::size_t N, hash_function BackupHash>
constexpr result<account_record<N, BackupHash>, record_error> account_record<N, BackupHash>::parse(
    std::string_view text) noexcept {
    using detail::account_field;
    auto reader = detail::record_reader::open(text, record_kind, format_version);
    if (!reader) return unexpected(reader.error());

    // Raw values first; their meaning (and which fields the type needs) is checked after.
    std::array<std::string_view, static_cast<std::size_t>(account_field::count)> value{};
    std::array<std::size_t, static_cast<std::size_t>(account_field::count)> line_of{};
    detail::backup_code_set_reader<N, BackupHash> backup_lines;
    detail::record_fields_seen seen;
    detail::record_line line;
    for (;;) {
        const auto more = reader->next(line);
        if (!more) return unexpected(more.error());
        if (!*more) break;
        const auto taken = backup_lines.take(line);
        if (!taken) return unexpected(taken.error());
        if (*taken) continue;
        std::size_t index = 0;
        while (index < detail::account_field_names.size() && detail::account_field_names[index] != line.name)
            ++index;
        if (index == detail::account_field_names.size())
            return unexpected(record_error{errc::unknown_field, line.number});
        if (auto marked = seen.mark(index, line.number); !marked) return unexpected(marked.error());
        value[index] = line.value;
        line_of[index] = line.number;
    }

    auto has = [&](account_field f) { return seen.has(static_cast<std::size_t>(f)); };
    auto get = [&](account_field f) { return value[static_cast<std::size_t>(f)]; };
    auto bad = [&](account_field f, errc code = errc::invalid_field_value) {
        return unexpected(record_error{code, line_of[static_cast<std::size_t>(f)]});
    };
    for (const account_field f :
         {account_field::issuer, account_field::account, account_field::type, account_field::algorithm,
          account_field::digits, account_field::secret, account_field::failures, account_field::locked_until,
          account_field::revision})
        if (!has(f)) return unexpected(record_error{errc::missing_field, 0});

    otpauth_parameters parameters;
    if (get(account_field::type) == "totp")
        parameters.type = otp_type::totp;
    else if (get(account_field::type) == "hotp")
        parameters.type = otp_type::hotp;
    else
        return bad(account_field::type, errc::unsupported_otp_type);
    const bool is_totp = parameters.type == otp_type::totp;
    // The fields of the other type are unknown here, the type's own are required.
    for (const account_field f : {account_field::period, account_field::t0, account_field::last_step})
        if (has(f) != is_totp)
            return is_totp ? unexpected(record_error{errc::missing_field, 0}) : bad(f, errc::unknown_field);
    if (has(account_field::counter) == is_totp)
        return is_totp ? bad(account_field::counter, errc::unknown_field)
                       : unexpected(record_error{errc::missing_field, 0});

    // The canonical spelling only: "SHA1", not "sha1".
    const auto hash = parse_algorithm(get(account_field::algorithm));
    if (!hash || to_string(*hash) != get(account_field::algorithm))
        return bad(account_field::algorithm, hash ? errc::invalid_field_value : hash.error());
    parameters.hash = *hash;
    std::uint64_t number = 0;
    if (!detail::parse_decimal(get(account_field::digits), number, 9) || number < 6)
        return bad(account_field::digits, errc::invalid_digits);
    parameters.digits = static_cast<unsigned>(number);

    std::int64_t t0 = 0;
    std::optional<std::uint64_t> last_step;
    if (is_totp) {
        if (!detail::parse_decimal(get(account_field::period), number, max_uri_period) || number == 0)
            return bad(account_field::period, errc::invalid_period);
        parameters.period = static_cast<std::uint32_t>(number);
        if (!detail::parse_signed_decimal(get(account_field::t0), t0)) return bad(account_field::t0);
        if (get(account_field::last_step) != "none") {
            if (!detail::parse_decimal(get(account_field::last_step), number))
                return bad(account_field::last_step);
            last_step = number;
        }
    } else {
        if (!detail::parse_decimal(get(account_field::counter), parameters.counter))
            return bad(account_field::counter, errc::invalid_counter);
    }

    auto field = [&](account_field f) {
        return detail::record_value{get(f), line_of[static_cast<std::size_t>(f)]};
    };
    const auto enrollment =
        detail::read_record_enrollment(field(account_field::issuer), field(account_field::account),
                                       field(account_field::secret), parameters);
    if (!enrollment) return unexpected(enrollment.error());
    account_record record(*enrollment);
    record.t0_ = t0;
    record.last_step_ = last_step;

    if (!detail::parse_decimal(get(account_field::failures), number,
                               std::numeric_limits<std::uint32_t>::max()))
        return bad(account_field::failures);
    record.failures_ = static_cast<std::uint32_t>(number);
    if (get(account_field::locked_until) != "none") {
        std::int64_t until = 0;
        if (!detail::parse_signed_decimal(get(account_field::locked_until), until))
            return bad(account_field::locked_until);
        record.locked_until_ = std::chrono::sys_seconds{std::chrono::seconds{until}};
    }
    if (!detail::parse_decimal(get(account_field::revision), record.revision_, max_revision))
        return bad(account_field::revision);

    const auto codes = backup_lines.finish();
    if (!codes) return unexpected(codes.error());
    record.backup_codes_ = *codes;
    return record;
}

/**
 * One login attempt with `typed` (a one-time code, spaces allowed: "123 456"; or a backup
 * code) at time `now`. See login_outcome for what to store and what the errors mean.
 *
 * - During a lockout (now < locked_until) nothing is checked: errc::locked_out, record
 *   unchanged.
 * - A record at account_record::max_revision (after 2^63 changes) accepts no further change:
 *   errc::counter_overflow, record unchanged, nothing checked.
 * - Input that is neither a code of the account's digit count nor a backup code is
 *   errc::malformed_login_input (errc::malformed_code for 1 to 16 digits, not the account's
 *   count; longer runs of digits are malformed_login_input), and costs nothing.
 * - TOTP: the steps of `policy.window` around now; a step at or before the last accepted one is
 *   errc::replayed_code (RFC 6238 §5.2). HOTP: the expected counter and `hotp_look_ahead`
 *   after it; the counter before it is a replay.
 * - Success stores the step (or counter + 1, or marks the backup code used) and resets the
 *   failure count and lockout; a failure counts, and from the (free_failures + 1)-th on
 *   locks the account for lockout_after(failures).
 */
template <std::size_t N, hash_function BackupHash>
[[nodiscard]] constexpr login_outcome<N, BackupHash> login(const account_record<N, BackupHash>& current,
                                                           std::string_view typed,
                                                           std::chrono::sys_seconds now,
                                                           const login_policy& policy) noexcept {
    login_outcome<N, BackupHash> outcome{current, unexpected(errc::wrong_code), false, current.locked_until_};
    // A lockout saturated at the largest time point never ends, not even at that instant.
    if (current.locked_until_ &&
        (now < *current.locked_until_ || *current.locked_until_ == std::chrono::sys_seconds::max())) {
        outcome.match = unexpected(errc::locked_out);
        return outcome;
    }
    outcome.locked_until.reset();
    // Its successor's revision would pass the maximum (wrap round, in the end).
    if (current.revision_ >= account_record<N, BackupHash>::max_revision) {
        outcome.match = unexpected(errc::counter_overflow);
        return outcome;
    }

    // A one-time code is all digits (spaces between groups ignored); anything else is tried as
    // a backup code.
    std::array<char, 16> digits{};
    std::size_t digit_count = 0;
    bool only_digits = !typed.empty();
    for (const char c : typed) {
        if (c == ' ') continue;
        if (c < '0' || c > '9' || digit_count == digits.size()) {
            only_digits = false;
            break;
        }
        digits[digit_count++] = c;
    }
    only_digits = only_digits && digit_count > 0;

    account_record<N, BackupHash> next = current;
    result<login_match> match = unexpected(errc::wrong_code);
    const otpauth_uri& e = current.enrollment_;
    // Digits of the account's code length are a one-time code; anything else may be a backup
    // code (whose symbols can all be digits).
    if (only_digits && digit_count == e.digits()) {
        const std::string_view code(digits.data(), digit_count);
        const auto key = e.key().reveal_bytes();
        match = visit_algorithm(e.hash(), [&](auto hash) {
            using Hash = typename decltype(hash)::type;
            return visit_digits(e.digits(), [&](auto d) -> result<login_match> {
                constexpr unsigned D = decltype(d)::value;
                if (e.type() == otp_type::totp) {
                    const dynamic_totp<Hash, D> generator{key, time_step{std::chrono::seconds{e.period()}},
                                                          current.t0_};
                    const auto found = generator.verify(code, now, policy.window, current.last_step_);
                    if (!found) return unexpected(found.error());
                    next.last_step_ = found->step;
                    return login_match{login_method::one_time_code, found->step, found->offset, 0, 0};
                }
                const hotp<Hash, D> generator{key};
                const auto parsed = otp_code<D>::parse(code);
                if (!parsed) return unexpected(parsed.error());
                const std::uint64_t expected = current.next_counter();
                const std::uint64_t first = expected - detail::minimum<std::uint64_t>(expected, 1);
                const std::uint64_t ahead =
                    detail::minimum<std::uint64_t>(policy.hotp_look_ahead, max_verify_candidates - 2);
                const std::uint64_t last =
                    expected + detail::minimum<std::uint64_t>(
                                   ahead, std::numeric_limits<std::uint64_t>::max() - expected);
                const auto found = generator.search(*parsed, first, last - first + 1, expected);
                if (found.accepted) {
                    if (found.counter == std::numeric_limits<std::uint64_t>::max())
                        return unexpected(errc::counter_overflow);
                    next.set_next_counter(found.counter + 1);
                    return login_match{login_method::one_time_code, found.counter,
                                       static_cast<std::int64_t>(found.counter - expected), 0, 0};
                }
                return unexpected(found.replayed ? errc::replayed_code : errc::wrong_code);
            });
        });
        if (!match && match.error() != errc::wrong_code && match.error() != errc::replayed_code) {
            outcome.match = match;  // not a guess: a time before T0, a step out of range
            return outcome;
        }
    } else {
        const auto code = backup_code::parse(typed);
        if (!code) {
            outcome.match = unexpected(only_digits ? errc::malformed_code : errc::malformed_login_input);
            return outcome;
        }
        if (!policy.accept_backup_codes) {
            outcome.match = unexpected(errc::backup_code_not_accepted);
            return outcome;
        }
        const auto used = next.backup_codes_.consume(*code);
        if (used)
            match = login_match{login_method::backup_code, 0, 0, used->index, used->remaining};
        else
            match = unexpected(used.error());
    }

    ++next.revision_;
    if (match) {
        next.failures_ = 0;
        next.locked_until_.reset();
    } else {
        if (next.failures_ != std::numeric_limits<std::uint32_t>::max()) ++next.failures_;
        const auto lockout = lockout_after(next.failures_, policy.throttle);
        if (lockout.count() > 0) {
            // Saturating: a lockout that would end after the largest time point never ends.
            const std::int64_t start = now.time_since_epoch().count();
            const std::int64_t room =
                std::numeric_limits<std::int64_t>::max() - detail::maximum<std::int64_t>(start, 0);
            next.locked_until_ = std::chrono::sys_seconds{std::chrono::seconds{
                lockout.count() > room ? std::numeric_limits<std::int64_t>::max() : start + lockout.count()}};
            outcome.locked_until = next.locked_until_;
        }
    }
    outcome.record = next;
    outcome.match = match;
    outcome.record_changed = true;
    return outcome;
}

/// login() at the current time of std::chrono::system_clock.
template <std::size_t N, hash_function BackupHash>
[[nodiscard]] login_outcome<N, BackupHash> login_now(const account_record<N, BackupHash>& current,
                                                     std::string_view typed,
                                                     const login_policy& policy = {}) noexcept {
    return login(current, typed, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                 policy);
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_ACCOUNT_HPP_INCLUDED
