// twofactor: the 2FA setup wizard of the seed ("Settings > Account Information and Setup >
// Authentication"): toggle on, scan the QR code or type the setup code, verify a code,
// download the backup codes, finish. A copyable value resumed step by step, serialisable
// between steps so that a web server can keep it in a session across requests.
#ifndef TWOFACTOR_ENROLLMENT_WIZARD_HPP_INCLUDED
#define TWOFACTOR_ENROLLMENT_WIZARD_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "account.hpp"
#include "backup_codes.hpp"
#include "detail/backup_code_text.hpp"
#include "detail/enrollment_text.hpp"
#include "detail/record_text.hpp"
#include "error.hpp"
#include "otp_parameters.hpp"
#include "otpauth_uri.hpp"
#include "qr.hpp"
#include "random.hpp"
#include "secret.hpp"
#include "totp.hpp"

namespace twofactor::inline v1 {

/// A TOTP type with every parameter fixed at compile time: `totp<Hash, Digits, Step, Clock, T0>`.
template <class T>
concept totp_policy = requires {
    typename T::hash_type;
    typename T::clock_type;
    { T::digits } -> std::convertible_to<unsigned>;
    { T::period } -> std::convertible_to<time_step>;
    { T::epoch } -> std::convertible_to<std::int64_t>;
}
&&hash_function<typename T::hash_type>&& std::constructible_from<T, std::span<const std::byte>>;

/// A backup_code_set<N, Hash>.
template <class T>
concept backup_code_set_type = requires {
    typename T::hash_type;
    { T::count } -> std::convertible_to<std::size_t>;
}
&&std::same_as<T, backup_code_set<T::count, typename T::hash_type>>;

/// The pages of the wizard, and how it ended.
enum class wizard_step {
    show_secret,   ///< the QR code and, on request, the setup code; "Next"
    verify_setup,  ///< "Verify Authentication Setup": a code from the app; "Next"
    backup_codes,  ///< the backup codes and their "Download" link; "Finish"
    finished,      ///< done: `record()` is the new account record
    aborted,       ///< too many wrong codes on the verification page; start again
    cancelled,     ///< cancelled by the user; nothing changed
};

/// "show-secret", "verify-setup", "backup-codes", "finished", "aborted", "cancelled".
[[nodiscard]] constexpr std::string_view to_string(wizard_step step) noexcept {
    switch (step) {
        case wizard_step::show_secret: return "show-secret";
        case wizard_step::verify_setup: return "verify-setup";
        case wizard_step::backup_codes: return "backup-codes";
        case wizard_step::finished: return "finished";
        case wizard_step::aborted: return "aborted";
        case wizard_step::cancelled: return "cancelled";
    }
    return {};
}

/// Choices of the application that runs the wizard.
struct wizard_policy {
    /// Wrong codes accepted on the verification page before the wizard aborts (1..100).
    std::uint32_t max_setup_attempts = 5;
    /// Steps accepted around the current one when verifying the setup (each side at most 10).
    verify_window window{1, 1};
    /// PBKDF2 iterations of the backup-code digests (see backup_codes.hpp).
    std::uint32_t backup_code_iterations = default_backup_code_iterations;
    friend constexpr bool operator==(const wizard_policy&, const wizard_policy&) = default;
};

/**
 * The enrollment wizard: the seed's steps as a value.
 *
 *     using app_totp = twofactor::totp<twofactor::sha1, 6, 30s>;
 *     using wizard = twofactor::enrollment_wizard<app_totp>;
 *     auto w = wizard::start("ACME Co", "alice@example.com");   // toggle on: a new secret
 *     w->qr();                           // page 1: the QR code (reveal_setup_code on request)
 *     w->next();                         // -> verify_setup (back() returns to page 1)
 *     w->submit_code("123456", now);     // -> backup_codes (or wrong_code, attempts_left())
 *     w->backup_codes();                 // page 3: show them; download_text() for the link
 *     auto record = w->finish();         // -> finished: store *record
 *
 * Each event is legal at one step only; elsewhere it returns errc::wrong_wizard_step (or
 * errc::setup_aborted once aborted) and changes nothing. `cancel()` works at any page before
 * the end and leaves everything as it was: the wizard never touches an existing account
 * record. To reconfigure, start with `reconfigure(current)`: the current record keeps working
 * (its secret and backup codes) until the new record, whose revision follows it, replaces it.
 *
 * Between steps a wizard is stored with `serialize()` and restored with `parse()`; the text
 * holds the pending secret (and, on the backup-codes page, the plain backup codes): keep it
 * server-side and as secret as the account record.
 *
 * Totp: a totp<Hash, Digits, Step, Clock, T0> (its hash must be SHA1, SHA256 or SHA512 by
 * name, its step at most a day). BackupCodes: a backup_code_set<N, Hash>.
 */
template <totp_policy Totp, backup_code_set_type BackupCodes = backup_code_set<10>>
class enrollment_wizard {
    static constexpr auto parsed_algorithm = parse_algorithm(Totp::hash_type::name);
    static_assert(parsed_algorithm.has_value(), "enrollment_wizard: the hash must be SHA1, SHA256 or SHA512");
    static_assert(time_step(Totp::period).seconds <= max_uri_period,
                  "enrollment_wizard: a step of at most a day");

public:
    using totp_type = Totp;
    using backup_codes_type = BackupCodes;
    static constexpr std::size_t backup_code_count = BackupCodes::count;
    using account_type = account_record<BackupCodes::count, typename BackupCodes::hash_type>;
    using clock_type = typename Totp::clock_type;

    /// The first line of the text form: "twofactor-enrollment 2".
    static constexpr std::string_view record_kind = "twofactor-enrollment";
    static constexpr std::uint32_t format_version = 2;

    /// The OTP parameters every enrollment of this wizard gets.
    static constexpr otpauth_parameters parameters{
        otp_type::totp, *parsed_algorithm, Totp::digits,
        static_cast<std::uint32_t>(time_step(Totp::period).seconds), 0};

    /**
     * Toggle on: a wizard on its first page with a new secret (recommended_secret_size_for the
     * hash) from `rng`. Errors: those of check_issuer / check_account_name,
     * errc::random_source_failed, errc::invalid_window / errc::invalid_number (a policy out of
     * range), errc::invalid_hash_cost (backup_code_iterations out of range).
     *
     * The record `finish()` returns has revision 0. Where the application keeps a revision
     * for the account across a disable (a row that stays, with its compare-and-set column),
     * store `record->replacing(kept_revision)` instead, so that revisions never repeat and a
     * stale writer from before the disable cannot overwrite the new enrollment.
     */
    template <random_source Rng>
    [[nodiscard]] static result<enrollment_wizard> start(std::string_view issuer, std::string_view account,
                                                         Rng& rng,
                                                         const wizard_policy& policy = {}) noexcept {
        if (const auto checked = check_policy(policy); !checked) return unexpected(checked.error());
        const auto key = secret::generate(recommended_secret_size_for(parameters.hash), rng);
        if (!key) return unexpected(key.error());
        const auto uri = otpauth_uri::make(issuer, account, *key, parameters);
        if (!uri) return unexpected(uri.error());
        return enrollment_wizard(policy, std::nullopt, frame::showing(*uri, policy.max_setup_attempts));
    }

    /// start() with the operating system's random source.
    template <class Rng = os_random>
    requires random_source<Rng>
    [[nodiscard]] static result<enrollment_wizard> start(std::string_view issuer, std::string_view account,
                                                         const wizard_policy& policy = {}) noexcept {
        Rng rng;
        return start(issuer, account, rng, policy);
    }

    /**
     * Reconfigure an enabled account: the whole wizard again for the same issuer and account
     * name, with a new secret and new backup codes. `current` stays valid until the record
     * that `finish()` returns (revision current.revision() + 1) replaces it. Errors: those of
     * start(); errc::counter_overflow when current is at account_type::max_revision (its
     * successor's revision would pass it).
     */
    template <random_source Rng>
    [[nodiscard]] static result<enrollment_wizard> reconfigure(const account_type& current, Rng& rng,
                                                               const wizard_policy& policy = {}) noexcept {
        if (current.revision() >= account_type::max_revision) return unexpected(errc::counter_overflow);
        auto wizard = start(current.enrollment().issuer(), current.enrollment().account(), rng, policy);
        if (wizard) wizard->replaces_ = replaced_record{current.revision(), fingerprint_of(current)};
        return wizard;
    }

    /// reconfigure() with the operating system's random source.
    template <class Rng = os_random>
    requires random_source<Rng>
    [[nodiscard]] static result<enrollment_wizard> reconfigure(const account_type& current,
                                                               const wizard_policy& policy = {}) noexcept {
        Rng rng;
        return reconfigure(current, rng, policy);
    }

    [[nodiscard]] constexpr wizard_step step() const noexcept { return frame_.step; }
    [[nodiscard]] constexpr const wizard_policy& policy() const noexcept { return policy_; }
    /// The revision of the record a reconfiguration replaces (none for a first enrollment).
    [[nodiscard]] constexpr std::optional<std::uint64_t> replaces_revision() const noexcept {
        if (!replaces_) return std::nullopt;
        return replaces_->revision;
    }

    // ---- Pages 1 and 2: what the authenticator app needs. ----------------------------------

    /// The pending enrollment (issuer, account, secret, parameters) on the show-secret and
    /// verify-setup pages. Error: errc::wrong_wizard_step.
    [[nodiscard]] constexpr result<otpauth_uri> enrollment() const noexcept {
        if (const otpauth_uri* uri = pending_before_verification()) return *uri;
        return unexpected(illegal());
    }

    /// The QR code of the otpauth:// URI. Errors: errc::wrong_wizard_step, QR errors.
    [[nodiscard]] constexpr result<qr_code> qr(const qr_options& options = {}) const noexcept {
        const otpauth_uri* uri = pending_before_verification();
        if (uri == nullptr) return unexpected(illegal());
        std::array<char, otpauth_uri::max_size> text{};
        const auto size = uri->reveal_uri(text);
        if (!size) return unexpected(size.error());
        auto code = qr_code::encode_text(std::string_view(text.data(), *size), options);
        detail::secure_wipe_bytes(text.data(), text.size());
        return code;
    }

    /// The setup code the "setup code" link reveals: the secret in base32, in groups of four.
    /// Returns the length written. Errors: errc::wrong_wizard_step, errc::output_too_small.
    [[nodiscard]] constexpr result<std::size_t> reveal_setup_code(std::span<char> out) const noexcept {
        const otpauth_uri* uri = pending_before_verification();
        if (uri == nullptr) return unexpected(illegal());
        return uri->key().reveal_setup_code(out);
    }

    // ---- Events. ----------------------------------------------------------------------------

    /// "Next" on the first page: to verify_setup. Elsewhere errc::wrong_wizard_step (on the
    /// verification page, Next is `submit_code`).
    [[nodiscard]] constexpr result<void> next() noexcept {
        if (frame_.step != wizard_step::show_secret) return unexpected(illegal());
        frame_.step = wizard_step::verify_setup;
        return {};
    }

    /// "Back" on the verification page: to show_secret, to scan the QR code or read the setup
    /// code again. The secret stays, and so do the wrong codes already counted: going back
    /// gives no new attempts. Elsewhere errc::wrong_wizard_step (errc::setup_aborted once aborted).
    [[nodiscard]] constexpr result<void> back() noexcept {
        if (frame_.step != wizard_step::verify_setup) return unexpected(illegal());
        frame_.step = wizard_step::show_secret;
        return {};
    }

    /**
     * "Next" on the verification page with the code typed, checked at `now`: a right code
     * draws the backup codes from `rng` and moves to backup_codes; the code's step is
     * recorded so it cannot sign in again. Errors, all on verify_setup:
     * - errc::wrong_code: one attempt used, `attempts_left()` tells how many remain;
     * - errc::setup_aborted: that was the last attempt; the wizard is now `aborted`;
     * - errc::malformed_code (not Digits digits; spaces are ignored), errc::time_before_epoch,
     *   errc::counter_overflow, errc::random_source_failed: nothing changed, no attempt used.
     * At any other step: errc::wrong_wizard_step (errc::setup_aborted when aborted).
     */
    template <class Duration, random_source Rng>
    [[nodiscard]] result<void> submit_code(std::string_view code,
                                           std::chrono::time_point<clock_type, Duration> now,
                                           Rng& rng) noexcept {
        if (frame_.step != wizard_step::verify_setup) return unexpected(illegal());
        // Spaces between digit groups, as apps display codes ("123 456"), are ignored.
        std::array<char, 16> digits{};
        std::size_t digit_count = 0;
        for (const char c : code) {
            if (c == ' ') continue;
            if (digit_count == digits.size()) return unexpected(errc::malformed_code);
            digits[digit_count++] = c;
        }
        const Totp generator{frame_.pending->key().reveal_bytes()};
        const auto match =
            generator.verify(std::string_view(digits.data(), digit_count), now, policy_.window);
        if (!match) {
            if (match.error() != errc::wrong_code) return unexpected(match.error());
            if (--frame_.attempts_left == 0) {
                frame_ = frame::ended(wizard_step::aborted);
                return unexpected(errc::setup_aborted);
            }
            return unexpected(errc::wrong_code);
        }
        auto fresh = BackupCodes::generate(rng, policy_.backup_code_iterations);
        if (!fresh) return unexpected(fresh.error());
        frame_.step = wizard_step::backup_codes;
        frame_.attempts_left = 0;
        frame_.verified_step = match->step;
        frame_.set = fresh->set;
        frame_.codes = fresh->codes;
        return {};
    }

    /// submit_code() with the operating system's random source.
    template <class Duration, class Rng = os_random>
    requires random_source<Rng>
    [[nodiscard]] result<void> submit_code(std::string_view code,
                                           std::chrono::time_point<clock_type, Duration> now) noexcept {
        Rng rng;
        return submit_code(code, now, rng);
    }

    /// Wrong codes still accepted on the verification page (0 elsewhere).
    [[nodiscard]] constexpr std::uint32_t attempts_left() const noexcept {
        return frame_.step == wizard_step::verify_setup ? frame_.attempts_left : 0;
    }

    /// The plain backup codes, on the backup-codes page only (they are never available again).
    [[nodiscard]] constexpr result<std::span<const backup_code, backup_code_count>> backup_codes()
        const noexcept {
        if (frame_.step != wizard_step::backup_codes) return unexpected(illegal());
        return std::span<const backup_code, backup_code_count>(frame_.codes);
    }

    /// The length of download_text() for `date`. Errors: errc::wrong_wizard_step (errc::setup_aborted
    /// once aborted, as for every event and query), errc::invalid_date (as download_text).
    [[nodiscard]] constexpr result<std::size_t> download_text_size(
        std::chrono::year_month_day date) const noexcept {
        if (frame_.step != wizard_step::backup_codes) return unexpected(illegal());
        if (!detail::printable_date(date)) return unexpected(errc::invalid_date);
        return backup_codes_text_size(text_info(date),
                                      std::span<const backup_code, backup_code_count>(frame_.codes));
    }

    /// The text of the "Download" link (write_backup_codes_text) on the backup-codes page.
    /// Errors: errc::wrong_wizard_step, errc::invalid_date, errc::output_too_small.
    [[nodiscard]] constexpr result<std::size_t> download_text(
        std::span<char> out, std::chrono::year_month_day date) const noexcept {
        if (frame_.step != wizard_step::backup_codes) return unexpected(illegal());
        return write_backup_codes_text(out, text_info(date),
                                       std::span<const backup_code, backup_code_count>(frame_.codes));
    }

    /// "Finish" on the backup-codes page: the plain codes are wiped and the new account record
    /// returned (also available as `record()` afterwards). Elsewhere errc::wrong_wizard_step.
    [[nodiscard]] constexpr result<account_type> finish() noexcept {
        if (frame_.step != wizard_step::backup_codes) return unexpected(illegal());
        frame_.step = wizard_step::finished;
        frame_.codes = {};  // wiped: the plain codes are never available again
        return record();
    }

    /// The new account record, once finished. Error: errc::wrong_wizard_step.
    /// It is the enrollment as of Finish, every backup code unused: store it once, by
    /// compare-and-set on the revision the account had when the wizard started, then discard
    /// the wizard. Stored again later, after logins or a disable, it would bring back used
    /// backup codes and turn 2FA on without a new setup (a compare-and-set on the revision
    /// loaded just before would not stop that).
    [[nodiscard]] constexpr result<account_type> record() const noexcept {
        if (frame_.step != wizard_step::finished) return unexpected(illegal());
        auto made = new_record();
        if (!made) return unexpected(made.error());
        return replaces_ ? made->replacing(replaces_->revision) : *made;
    }

    /**
     * The new account record, once finished, as the successor of `current`: the record stored
     * for the account at Finish, which a reconfiguration may replace if it is the record the
     * reconfiguration started from, or that record after bookkeeping changes (logins, failed
     * attempts, a lockout, used or regenerated backup codes): the same secret, names, OTP
     * parameters and T0. The result has revision current.revision() + 1; store it by
     * compare-and-set on current.revision(). So a sign-in in another window while the wizard
     * runs does not make the user start over (with `record()`, whose revision follows the
     * record at the start, the compare-and-set would fail).
     * Errors: errc::record_replaced (the account was reconfigured, or disabled and enabled
     * again, meanwhile; or this wizard is a first enrollment and 2FA was turned on elsewhere:
     * store nothing), errc::counter_overflow (current is at account_type::max_revision),
     * errc::wrong_wizard_step.
     */
    [[nodiscard]] constexpr result<account_type> record_replacing(
        const account_type& current) const noexcept {
        if (frame_.step != wizard_step::finished) return unexpected(illegal());
        if (!replaces_ || !(fingerprint_of(current) == replaces_->fingerprint))
            return unexpected(errc::record_replaced);
        if (current.revision() >= account_type::max_revision) return unexpected(errc::counter_overflow);
        auto made = new_record();
        if (!made) return unexpected(made.error());
        return made->replacing(current.revision());
    }

    /// Cancel on any page before the end: the wizard becomes `cancelled` and its secret and
    /// codes are wiped; no account record was ever changed. Error (finished, aborted,
    /// cancelled): errc::wrong_wizard_step / errc::setup_aborted.
    [[nodiscard]] constexpr result<void> cancel() noexcept {
        if (step() >= wizard_step::finished) return unexpected(illegal());
        frame_ = frame::ended(wizard_step::cancelled);
        return {};
    }

    friend constexpr bool operator==(const enrollment_wizard&, const enrollment_wizard&) = default;

    // ---- Text form. --------------------------------------------------------------------------

    /// The exact length of `serialize`'s output.
    [[nodiscard]] constexpr std::size_t serialized_size() const noexcept { return render(nullptr); }

    /**
     * Writes the wizard's text form and returns its length. Errors: errc::output_too_small.
     * Sensitive: it holds the pending secret and, on the backup-codes page, the plain codes.
     *
     *     twofactor-enrollment 2
     *     step verify-setup
     *     algorithm SHA1
     *     digits 6
     *     period 30
     *     t0 0
     *     max-attempts 5
     *     window 1 1
     *     backup-iterations 100000
     *     replaces none
     *     issuer ACME%20Co
     *     account alice@example.com
     *     secret <base32>
     *     attempts-left 4
     *     checksum <SHA-256 of the lines above>
     *
     * issuer, account and secret are present up to `finished`; attempts-left on show-secret and
     * verify-setup (wrong codes count across back());
     * verified-step and the backup-codes/backup-code lines (as in the account record) on
     * backup-codes and finished; "backup-plain <i> <XXXX-XXXX-XXXX>" lines on backup-codes only.
     * algorithm, digits, period and t0 must be this wizard's Totp parameters. A reconfiguration
     * has "replaces <revision> <fingerprint>": the revision of the record it replaces (below
     * account_type::max_revision) and the SHA-256 (lowercase hex) of that record's enrollment
     * URI (for HOTP with the counter at 0), a space and its T0, which `record_replacing`
     * compares with the record stored at Finish.
     */
    [[nodiscard]] constexpr result<std::size_t> serialize(std::span<char> out) const noexcept {
        const std::size_t size = serialized_size();
        if (out.size() < size) return unexpected(errc::output_too_small);
        return render(out.data());
    }

    /// serialize() into a std::string (allocates; the text is sensitive).
    [[nodiscard]] std::string serialize() const {
        std::string text(serialized_size(), '\0');
        (void)render(text.data());
        return text;
    }

    /**
     * Restores a wizard from its text form, strictly (as account_record::parse): errors
     * errc::not_a_record, errc::unsupported_record_version, errc::record_truncated,
     * errc::record_checksum_mismatch, errc::record_trailing_data, errc::unknown_field (also a
     * field the step does not have), errc::duplicate_field, errc::missing_field,
     * errc::invalid_field_value (also parameters of another Totp type, or a replaced revision
     * of account_type::max_revision or more), and errors of the values. The plain backup codes of
     * the backup-codes page are not checked against their digests (that would cost N PBKDF2
     * runs per parse): like the checksum, parsing detects corruption, not tampering, so keep
     * the text where only the application can write it.
     */
    [[nodiscard]] static constexpr result<enrollment_wizard, record_error> parse(
        std::string_view text) noexcept;

private:
    // Where the wizard is suspended and what it keeps there, like a coroutine's frame. Every
    // member a step does not use holds its default value (leaving a step resets or overwrites
    // what it no longer needs, which also wipes secrets), so that copying, `==` and the text
    // form work member by member.
    struct frame {
        wizard_step step = wizard_step::show_secret;
        std::optional<otpauth_uri> pending;                  // show_secret .. finished
        std::uint32_t attempts_left = 0;                     // show_secret, verify_setup
        std::uint64_t verified_step = 0;                     // backup_codes, finished
        BackupCodes set{};                                   // backup_codes, finished
        std::array<backup_code, backup_code_count> codes{};  // backup_codes

        [[nodiscard]] static constexpr frame showing(const otpauth_uri& uri,
                                                     std::uint32_t attempts) noexcept {
            frame f;
            f.pending = uri;
            f.attempts_left = attempts;
            return f;
        }
        [[nodiscard]] static constexpr frame ended(wizard_step how) noexcept {
            frame f;
            f.step = how;
            return f;
        }
        friend constexpr bool operator==(const frame&, const frame&) = default;
    };

    // What a reconfiguration replaces: the stored record's revision when it started, and the
    // fingerprint of what bookkeeping never changes in that record (see record_replacing).
    struct replaced_record {
        std::uint64_t revision = 0;
        sha256::digest_type fingerprint{};
        friend constexpr bool operator==(const replaced_record&, const replaced_record&) = default;
    };

    // SHA-256 of "<enrollment URI> <T0>", where an HOTP record's URI has counter 0: its
    // counter is bookkeeping (it moves on with every HOTP login), the rest is not. (A TOTP URI
    // has no counter.) It is derived from the secret, so it stays as confidential as the rest
    // of the wizard's state, but it does not reveal the secret.
    [[nodiscard]] static constexpr sha256::digest_type fingerprint_of(const account_type& record) noexcept {
        std::array<char, otpauth_uri::max_size + 1 + 20> text{};  // the URI, a space, a signed 64-bit T0
        const otpauth_uri& enrollment = record.enrollment();
        std::size_t uri_size = 0;
        if (enrollment.counter() == 0) {
            uri_size = enrollment.reveal_uri(text).value_or(0);  // max_size suffices
        } else {
            otpauth_parameters at_zero = enrollment.parameters();
            at_zero.counter = 0;
            // The record's own names, key and parameters: make cannot fail.
            const auto initial =
                otpauth_uri::make(enrollment.issuer(), enrollment.account(), enrollment.key(), at_zero);
            if (initial) uri_size = initial->reveal_uri(text).value_or(0);
        }
        detail::record_writer w(text.data() + uri_size);
        w.put(" ");
        w.signed_number(record.t0());
        const auto fingerprint =
            detail::record_writer::checksum_of(std::string_view(text.data(), uri_size + w.size()));
        detail::secure_wipe(text);
        return fingerprint;
    }

    constexpr enrollment_wizard(const wizard_policy& policy, std::optional<replaced_record> replaces,
                                const frame& current) noexcept
        : policy_(policy), replaces_(replaces), frame_(current) {}

    [[nodiscard]] static constexpr result<void> check_policy(const wizard_policy& policy) noexcept {
        if (policy.max_setup_attempts < 1 || policy.max_setup_attempts > 100)
            return unexpected(errc::invalid_number);
        if (policy.window.past > 10 || policy.window.future > 10) return unexpected(errc::invalid_window);
        if (!valid_backup_code_iterations(policy.backup_code_iterations))
            return unexpected(errc::invalid_hash_cost);
        return {};
    }

    // The account record of a finished wizard, at revision 0.
    [[nodiscard]] constexpr result<account_type> new_record() const noexcept {
        return account_type::create(*frame_.pending, frame_.set, Totp::epoch, frame_.verified_step);
    }

    [[nodiscard]] constexpr errc illegal() const noexcept {
        return step() == wizard_step::aborted ? errc::setup_aborted : errc::wrong_wizard_step;
    }

    [[nodiscard]] constexpr const otpauth_uri* pending_before_verification() const noexcept {
        const bool before =
            frame_.step == wizard_step::show_secret || frame_.step == wizard_step::verify_setup;
        return before ? &*frame_.pending : nullptr;
    }

    [[nodiscard]] constexpr backup_codes_text_info text_info(
        std::chrono::year_month_day date) const noexcept {
        return {frame_.pending->issuer(), frame_.pending->account(), date};
    }

    constexpr std::size_t render(char* out) const noexcept;

    wizard_policy policy_;
    std::optional<replaced_record> replaces_;
    frame frame_;
};

namespace detail {

// The fields of the wizard's text form, in the order they are written (backup-code lines
// are read by backup_code_set_reader, backup-plain lines separately).
enum class wizard_field : std::size_t {
    step,
    algorithm,
    digits,
    period,
    t0,
    max_attempts,
    window,
    backup_iterations,
    replaces,
    issuer,
    account,
    secret,
    attempts_left,
    verified_step,
    count
};
inline constexpr std::array<std::string_view, static_cast<std::size_t>(wizard_field::count)>
    wizard_field_names{"step",          "algorithm",         "digits",   "period", "t0",      "max-attempts",
                       "window",        "backup-iterations", "replaces", "issuer", "account", "secret",
                       "attempts-left", "verified-step"};
inline constexpr std::string_view backup_plain_field = "backup-plain";

}  // namespace detail

template <totp_policy Totp, backup_code_set_type BackupCodes>
constexpr std::size_t enrollment_wizard<Totp, BackupCodes>::render(char* out) const noexcept {
    using detail::wizard_field;
    detail::record_writer w(out);
    auto field = [&](wizard_field f) { w.field(detail::wizard_field_names[static_cast<std::size_t>(f)]); };
    w.header(record_kind, format_version);
    field(wizard_field::step);
    w.put(to_string(step()));
    w.end_line();
    field(wizard_field::algorithm);
    w.put(to_string(parameters.hash));
    w.end_line();
    field(wizard_field::digits);
    w.number(parameters.digits);
    w.end_line();
    field(wizard_field::period);
    w.number(parameters.period);
    w.end_line();
    field(wizard_field::t0);
    w.signed_number(Totp::epoch);
    w.end_line();
    field(wizard_field::max_attempts);
    w.number(policy_.max_setup_attempts);
    w.end_line();
    field(wizard_field::window);
    w.number(policy_.window.past);
    w.put(" ");
    w.number(policy_.window.future);
    w.end_line();
    field(wizard_field::backup_iterations);
    w.number(policy_.backup_code_iterations);
    w.end_line();
    field(wizard_field::replaces);
    if (replaces_) {
        w.number(replaces_->revision);
        w.put(" ");
        w.hex(replaces_->fingerprint.bytes);
    } else
        w.put("none");
    w.end_line();

    const wizard_step at = frame_.step;
    if (at <= wizard_step::finished) {
        field(wizard_field::issuer);
        w.encoded(frame_.pending->issuer());
        w.end_line();
        field(wizard_field::account);
        w.encoded(frame_.pending->account());
        w.end_line();
        field(wizard_field::secret);
        detail::write_record_secret(w, frame_.pending->key());
        w.end_line();
    }
    if (at == wizard_step::show_secret || at == wizard_step::verify_setup) {
        field(wizard_field::attempts_left);
        w.number(frame_.attempts_left);
        w.end_line();
    }
    if (at == wizard_step::backup_codes || at == wizard_step::finished) {
        field(wizard_field::verified_step);
        w.number(frame_.verified_step);
        w.end_line();
        detail::write_backup_code_set(w, frame_.set);
    }
    if (at == wizard_step::backup_codes) {
        for (std::size_t i = 0; i < backup_code_count; ++i) {
            w.field(detail::backup_plain_field);
            w.number(i + 1);
            w.put(" ");
            auto grouped = frame_.codes[i].reveal_grouped();
            w.put(std::string_view(grouped.data(), grouped.size()));
            detail::secure_wipe(grouped);  // a plain code: no copy left behind
            w.end_line();
        }
    }
    w.checksum();
    return w.size();
}

template <totp_policy Totp, backup_code_set_type BackupCodes>
constexpr result<enrollment_wizard<Totp, BackupCodes>, record_error>
enrollment_wizard<Totp, BackupCodes>::parse(std::string_view text) noexcept {
    using detail::wizard_field;
    constexpr std::size_t field_count = static_cast<std::size_t>(wizard_field::count);
    auto reader = detail::record_reader::open(text, record_kind, format_version);
    if (!reader) return unexpected(reader.error());

    std::array<std::string_view, field_count> value{};
    std::array<std::size_t, field_count> line_of{};
    detail::record_fields_seen seen;
    detail::backup_code_set_reader<backup_code_count, typename BackupCodes::hash_type> backup_lines;
    std::array<std::string_view, backup_code_count> plain{};
    std::array<std::size_t, backup_code_count> plain_line{};
    bool any_plain = false;
    std::size_t first_plain_line = 0;
    detail::record_line line;
    for (;;) {
        const auto more = reader->next(line);
        if (!more) return unexpected(more.error());
        if (!*more) break;
        const auto taken = backup_lines.take(line);
        if (!taken) return unexpected(taken.error());
        if (*taken) continue;
        if (line.name == detail::backup_plain_field) {
            const std::size_t space = line.value.find(' ');
            std::uint64_t i = 0;
            if (space == std::string_view::npos ||
                !detail::parse_decimal(line.value.substr(0, space), i, backup_code_count) || i == 0)
                return unexpected(record_error{errc::invalid_field_value, line.number});
            if (plain_line[i - 1] != 0) return unexpected(record_error{errc::duplicate_field, line.number});
            plain[i - 1] = line.value.substr(space + 1);
            plain_line[i - 1] = line.number;
            if (!any_plain) first_plain_line = line.number;
            any_plain = true;
            continue;
        }
        std::size_t index = 0;
        while (index < field_count && detail::wizard_field_names[index] != line.name) ++index;
        if (index == field_count) return unexpected(record_error{errc::unknown_field, line.number});
        if (auto marked = seen.mark(index, line.number); !marked) return unexpected(marked.error());
        value[index] = line.value;
        line_of[index] = line.number;
    }

    auto has = [&](wizard_field f) { return seen.has(static_cast<std::size_t>(f)); };
    auto get = [&](wizard_field f) { return value[static_cast<std::size_t>(f)]; };
    auto bad = [&](wizard_field f, errc code = errc::invalid_field_value) {
        return unexpected(record_error{code, line_of[static_cast<std::size_t>(f)]});
    };
    if (!has(wizard_field::step)) return unexpected(record_error{errc::missing_field, 0});
    std::size_t step_index = 0;
    while (step_index <= static_cast<std::size_t>(wizard_step::cancelled) &&
           to_string(static_cast<wizard_step>(step_index)) != get(wizard_field::step))
        ++step_index;
    if (step_index > static_cast<std::size_t>(wizard_step::cancelled)) return bad(wizard_field::step);
    const auto step = static_cast<wizard_step>(step_index);

    // Which fields this step has: all of them required, no other allowed.
    const bool has_pending = step <= wizard_step::finished;
    const bool has_codes = step == wizard_step::backup_codes || step == wizard_step::finished;
    std::array<bool, field_count> expected{};
    for (const wizard_field f :
         {wizard_field::step, wizard_field::algorithm, wizard_field::digits, wizard_field::period,
          wizard_field::t0, wizard_field::max_attempts, wizard_field::window, wizard_field::backup_iterations,
          wizard_field::replaces})
        expected[static_cast<std::size_t>(f)] = true;
    for (const wizard_field f : {wizard_field::issuer, wizard_field::account, wizard_field::secret})
        expected[static_cast<std::size_t>(f)] = has_pending;
    expected[static_cast<std::size_t>(wizard_field::attempts_left)] =
        step == wizard_step::show_secret || step == wizard_step::verify_setup;
    expected[static_cast<std::size_t>(wizard_field::verified_step)] = has_codes;
    for (std::size_t i = 0; i < field_count; ++i) {
        if (seen.has(i) && !expected[i]) return unexpected(record_error{errc::unknown_field, line_of[i]});
        if (!seen.has(i) && expected[i]) return unexpected(record_error{errc::missing_field, 0});
    }
    if (!has_codes && backup_lines.first_line() != 0)
        return unexpected(record_error{errc::unknown_field, backup_lines.first_line()});
    if (any_plain && step != wizard_step::backup_codes)
        return unexpected(record_error{errc::unknown_field, first_plain_line});

    // The parameters must be this wizard's.
    std::uint64_t number = 0;
    std::int64_t t0 = 0;
    if (get(wizard_field::algorithm) != to_string(parameters.hash)) return bad(wizard_field::algorithm);
    if (!detail::parse_decimal(get(wizard_field::digits), number) || number != parameters.digits)
        return bad(wizard_field::digits);
    if (!detail::parse_decimal(get(wizard_field::period), number) || number != parameters.period)
        return bad(wizard_field::period);
    if (!detail::parse_signed_decimal(get(wizard_field::t0), t0) || t0 != Totp::epoch)
        return bad(wizard_field::t0);

    wizard_policy policy;
    if (!detail::parse_decimal(get(wizard_field::max_attempts), number, 100) || number == 0)
        return bad(wizard_field::max_attempts);
    policy.max_setup_attempts = static_cast<std::uint32_t>(number);
    {
        const std::string_view window = get(wizard_field::window);
        const std::size_t space = window.find(' ');
        std::uint64_t past = 0;
        std::uint64_t future = 0;
        if (space == std::string_view::npos || !detail::parse_decimal(window.substr(0, space), past, 10) ||
            !detail::parse_decimal(window.substr(space + 1), future, 10))
            return bad(wizard_field::window);
        policy.window = {static_cast<std::uint32_t>(past), static_cast<std::uint32_t>(future)};
    }
    if (!detail::parse_decimal(get(wizard_field::backup_iterations), number, max_backup_code_iterations) ||
        !valid_backup_code_iterations(static_cast<std::uint32_t>(number)))
        return bad(wizard_field::backup_iterations, errc::invalid_hash_cost);
    policy.backup_code_iterations = static_cast<std::uint32_t>(number);
    std::optional<replaced_record> replaces;
    if (const std::string_view replaces_text = get(wizard_field::replaces); replaces_text != "none") {
        const std::size_t space = replaces_text.find(' ');
        replaced_record replaced;
        if (space == std::string_view::npos ||
            !detail::parse_decimal(replaces_text.substr(0, space), replaced.revision,
                                   account_type::max_revision - 1) ||
            !detail::parse_hex(replaces_text.substr(space + 1), replaced.fingerprint.bytes))
            return bad(wizard_field::replaces);
        replaces = replaced;
    }

    if (step == wizard_step::aborted || step == wizard_step::cancelled)
        return enrollment_wizard(policy, replaces, frame::ended(step));

    // The pending enrollment.
    auto field = [&](wizard_field f) {
        return detail::record_value{get(f), line_of[static_cast<std::size_t>(f)]};
    };
    const auto pending = detail::read_record_enrollment(
        field(wizard_field::issuer), field(wizard_field::account), field(wizard_field::secret), parameters);
    if (!pending) return unexpected(pending.error());

    frame restored = frame::showing(*pending, 0);
    restored.step = step;
    if (step == wizard_step::show_secret || step == wizard_step::verify_setup) {
        if (!detail::parse_decimal(get(wizard_field::attempts_left), number, policy.max_setup_attempts) ||
            number == 0)
            return bad(wizard_field::attempts_left);
        restored.attempts_left = static_cast<std::uint32_t>(number);
        return enrollment_wizard(policy, replaces, restored);
    }

    if (!detail::parse_decimal(get(wizard_field::verified_step), restored.verified_step))
        return bad(wizard_field::verified_step);
    const auto set = backup_lines.finish();
    if (!set) return unexpected(set.error());
    restored.set = *set;
    if (step == wizard_step::finished) return enrollment_wizard(policy, replaces, restored);

    for (std::size_t i = 0; i < backup_code_count; ++i) {
        if (plain_line[i] == 0) return unexpected(record_error{errc::missing_field, 0});
        // Exactly the grouped form that serialize writes.
        const auto code = backup_code::parse(plain[i]);
        if (!code) return unexpected(record_error{code.error(), plain_line[i]});
        auto grouped = code->reveal_grouped();
        const bool canonical = std::string_view(grouped.data(), grouped.size()) == plain[i];
        detail::secure_wipe(grouped);  // a plain code: no copy left behind
        if (!canonical) return unexpected(record_error{errc::invalid_field_value, plain_line[i]});
        restored.codes[i] = *code;
    }
    return enrollment_wizard(policy, replaces, restored);
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_ENROLLMENT_WIZARD_HPP_INCLUDED
