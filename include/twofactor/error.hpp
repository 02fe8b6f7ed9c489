// twofactor: error codes (`errc`), their std::error_category, and `result<T, E>`.
//
// Nothing in twofactor throws. Every fallible operation returns a `result` holding either
// its value or a precise error; the names of `result`'s members follow std::expected
// (C++23), which GCC 12 and Clang 14 do not ship in C++20 mode.
#ifndef TWOFACTOR_ERROR_HPP_INCLUDED
#define TWOFACTOR_ERROR_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <concepts>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "config.hpp"
#include "detail/utility.hpp"

namespace twofactor::inline v1 {

/**
 * One enumerator per distinct failure. Zero is reserved for success, as std::error_code
 * expects. The numeric values are stable (they may be stored or logged): new enumerators are
 * only ever appended.
 */
enum class errc : int {
    // Base32 (RFC 4648 §6) and other text decoding.
    invalid_base32_character = 1,  ///< a character outside the base32 alphabet
    invalid_base32_length,         ///< a length no base32 encoding can have
    invalid_base32_padding,        ///< '=' misplaced, or the wrong amount of it
    non_canonical_base32,          ///< unused trailing bits are not zero
    empty_secret,                  ///< a secret with no bytes
    secret_too_long,               ///< a secret longer than the supported maximum
    output_too_small,              ///< the caller's buffer cannot hold the output

    // One-time codes.
    malformed_code,     ///< not exactly the expected number of ASCII digits
    wrong_code,         ///< a well-formed code that matches no counter or time step in the window
    replayed_code,      ///< the code matches a step or counter already accepted (RFC 6238 §5.2)
    time_before_epoch,  ///< a time before T0, where no time step exists
    counter_overflow,   ///< a counter or time step that does not fit in 64 bits

    // Parameters given at run time (CLI options, otpauth URIs, stored records).
    unsupported_algorithm,  ///< not SHA1, SHA256 or SHA512
    invalid_digits,         ///< a digit count outside 6..9
    invalid_period,         ///< a time step that is not a positive number of seconds
    invalid_window,         ///< a verification window too large to be safe
    invalid_number,         ///< text that is not a number in the allowed range

    // QR codes (ISO/IEC 18004).
    qr_data_too_long,    ///< the data does not fit in a QR code of the allowed versions and level
    invalid_qr_options,  ///< QR code encoding or rendering options out of range

    // Provisioning: random sources, secrets, otpauth:// Key URIs.
    random_source_failed,      ///< the random source could not deliver bytes (output zeroed)
    secret_too_short,          ///< a secret to generate shorter than 128 bits (RFC 4226 §4 R6)
    invalid_uri_scheme,        ///< not an otpauth:// URI
    unsupported_otp_type,      ///< the URI's type is not totp or hotp
    invalid_uri_syntax,        ///< malformed URI structure (e.g. a '#' fragment)
    invalid_percent_encoding,  ///< a '%' not followed by two hexadecimal digits
    missing_account_name,      ///< no label, or an empty account name
    invalid_label,             ///< a colon, control character or leading space in an issuer or account name
    invalid_utf8,              ///< text that is not well-formed UTF-8
    label_too_long,            ///< an issuer or account name longer than supported
    missing_secret,            ///< no secret parameter
    duplicate_parameter,       ///< a parameter given more than once
    invalid_counter,           ///< an HOTP counter that is not a decimal 0..2^64-1
    missing_counter,           ///< an HOTP URI without counter

    // Backup codes and the account record: logging in, throttling.
    malformed_backup_code,  ///< not a backup code's length of its alphabet (ignoring case, spaces, hyphens)
    backup_code_used,       ///< a backup code of the set that was already used once
    invalid_hash_cost,      ///< a PBKDF2 iteration count outside the supported range
    locked_out,             ///< too many failed attempts: no code is checked until the lockout ends
    malformed_login_input,  ///< neither a one-time code nor a backup code

    // Stored records (the account record, the enrollment wizard's state).
    not_a_record,                ///< the text does not start with the record's header line
    unsupported_record_version,  ///< a record version this library does not read
    missing_field,               ///< a required field is absent
    duplicate_field,             ///< a field given more than once
    unknown_field,               ///< a field this record version does not have
    invalid_field_value,         ///< a field whose value is malformed or out of range
    record_truncated,            ///< the record ends before its checksum line
    record_checksum_mismatch,    ///< the checksum does not match the contents (a corrupted record)

    // The enrollment wizard.
    wrong_wizard_step,  ///< the event is not possible at the wizard's current step (nothing changed)
    setup_aborted,      ///< too many wrong codes on the verification page: the setup was abandoned

    // Appended after the groups above (values are stable).
    record_replaced,       ///< the stored record is no longer the one a change started from (reconfigured or
                           ///< disabled meanwhile)
    record_trailing_data,  ///< text after the record's checksum line (e.g. a blank line, a second record)
    backup_code_not_accepted,  ///< a backup code where the policy asks for a one-time code (a change's
                               ///< confirmation)
    invalid_date,              ///< a calendar date that does not exist, or a year outside 0000..9999

    // Google Authenticator's "Transfer accounts" export (otpauth-migration://).
    invalid_base64,           ///< a character outside the base64 alphabet, or misplaced or missing padding
    invalid_migration_data,   ///< the decoded data is not an export: malformed, or a field of the wrong type
    migration_data_too_long,  ///< more data than an export holds (max_migration_data_size bytes)
};

namespace detail {
inline constexpr errc last_errc = errc::migration_data_too_long;
}

/// A short, fixed English description of `code`, without allocating.
[[nodiscard]] constexpr std::string_view describe(errc code) noexcept {
    switch (code) {
        case errc::invalid_base32_character: return "invalid base32 character";
        case errc::invalid_base32_length: return "invalid base32 length";
        case errc::invalid_base32_padding: return "invalid base32 padding";
        case errc::non_canonical_base32: return "non-canonical base32 (unused bits not zero)";
        case errc::empty_secret: return "empty secret";
        case errc::secret_too_long: return "secret too long";
        case errc::output_too_small: return "output buffer too small";
        case errc::malformed_code: return "malformed code";
        case errc::wrong_code: return "wrong code";
        case errc::replayed_code: return "code already used";
        case errc::time_before_epoch: return "time before T0";
        case errc::counter_overflow: return "counter overflow";
        case errc::unsupported_algorithm: return "unsupported algorithm";
        case errc::invalid_digits: return "invalid number of digits";
        case errc::invalid_period: return "invalid period";
        case errc::invalid_window: return "invalid verification window";
        case errc::invalid_number: return "invalid number";
        case errc::qr_data_too_long: return "data too long for a QR code";
        case errc::invalid_qr_options: return "invalid QR code options";
        case errc::random_source_failed: return "random source failed";
        case errc::secret_too_short: return "secret shorter than 128 bits";
        case errc::invalid_uri_scheme: return "not an otpauth:// URI";
        case errc::unsupported_otp_type: return "OTP type is not totp or hotp";
        case errc::invalid_uri_syntax: return "malformed URI";
        case errc::invalid_percent_encoding: return "invalid percent-encoding";
        case errc::missing_account_name: return "missing account name";
        case errc::invalid_label:
            return "invalid issuer or account name (a colon, control character or leading space)";
        case errc::invalid_utf8: return "invalid UTF-8";
        case errc::label_too_long: return "issuer or account name too long";
        case errc::missing_secret: return "missing secret parameter";
        case errc::duplicate_parameter: return "parameter given more than once";
        case errc::invalid_counter: return "invalid counter";
        case errc::missing_counter: return "HOTP URI without counter";
        case errc::malformed_backup_code: return "malformed backup code";
        case errc::backup_code_used: return "backup code already used";
        case errc::invalid_hash_cost: return "invalid hash cost (PBKDF2 iterations)";
        case errc::locked_out: return "too many failed attempts: locked out";
        case errc::malformed_login_input: return "neither a one-time code nor a backup code";
        case errc::not_a_record: return "not a twofactor record";
        case errc::unsupported_record_version: return "unsupported record version";
        case errc::missing_field: return "missing field";
        case errc::duplicate_field: return "field given more than once";
        case errc::unknown_field: return "unknown field";
        case errc::invalid_field_value: return "invalid field value";
        case errc::record_truncated: return "record truncated";
        case errc::record_checksum_mismatch: return "record checksum mismatch (corrupted)";
        case errc::wrong_wizard_step: return "not possible at this step of the setup";
        case errc::setup_aborted: return "setup abandoned after too many wrong codes";
        case errc::record_replaced: return "the account was reconfigured or disabled meanwhile";
        case errc::record_trailing_data: return "text after the record's checksum line";
        case errc::backup_code_not_accepted:
            return "a backup code is not accepted here, only a one-time code";
        case errc::invalid_date: return "not a calendar date between 0000-01-01 and 9999-12-31";
        case errc::invalid_base64: return "invalid base64 (a character outside the alphabet, or bad padding)";
        case errc::invalid_migration_data: return "not a valid authenticator export (malformed data)";
        case errc::migration_data_too_long: return "authenticator export data too long";
    }
    return "unknown twofactor error";
}

namespace detail {
class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "twofactor"; }
    std::string message(int value) const override { return std::string(describe(static_cast<errc>(value))); }
};
}  // namespace detail

/// The std::error_category of `errc`; one object per program (an inline function's static).
[[nodiscard]] inline const std::error_category& error_category() noexcept {
    static const detail::error_category_impl category;
    return category;
}

/// Enables `std::error_code ec = twofactor::errc::wrong_code;` (found by ADL).
[[nodiscard]] inline std::error_code make_error_code(errc code) noexcept {
    return {static_cast<int>(code), error_category()};
}

/// The error half of a `result`, spelled like std::unexpected.
template <class E>
class unexpected {
public:
    constexpr explicit unexpected(E error) noexcept(std::is_nothrow_move_constructible_v<E>)
        : error_(std::move(error)) {}
    [[nodiscard]] constexpr const E& error() const& noexcept { return error_; }
    [[nodiscard]] constexpr E&& error() && noexcept { return std::move(error_); }
    // Implicitly constexpr where E's == is (std::error_code's is not).
    friend bool operator==(const unexpected&, const unexpected&) = default;

private:
    E error_;
};
template <class E>
unexpected(E) -> unexpected<E>;

template <class T, class E = errc>
class result;

namespace detail {
template <class T>
inline constexpr bool is_result = false;
template <class T, class E>
inline constexpr bool is_result<result<T, E>> = true;
template <class T>
inline constexpr bool is_unexpected = false;
template <class E>
inline constexpr bool is_unexpected<unexpected<E>> = true;

// The union storage of `result`: trivially copyable and destructible when both alternatives
// are, so that a result of such types stays trivial; otherwise it manages the active member.
template <class T, class E,
          bool Trivial = std::is_trivially_copyable_v<T>&& std::is_trivially_copyable_v<E>&&
              std::is_trivially_destructible_v<T>&& std::is_trivially_destructible_v<E>>
struct result_storage {
    union {
        T value_;
        E error_;
    };
    bool has_value_;

    template <class... Args>
    constexpr explicit result_storage(std::in_place_t, Args&&... args)
        : value_(std::forward<Args>(args)...), has_value_(true) {}
    template <class G>
    constexpr explicit result_storage(std::in_place_type_t<E>, G&& error)
        : error_(std::forward<G>(error)), has_value_(false) {}
    constexpr result_storage(const result_storage&) = default;
    constexpr result_storage(result_storage&&) = default;
    constexpr result_storage& operator=(const result_storage&) = default;
    constexpr result_storage& operator=(result_storage&&) = default;
    constexpr ~result_storage() = default;
};

template <class T, class E>
struct result_storage<T, E, false> {
    union {
        T value_;
        E error_;
    };
    bool has_value_;

    template <class... Args>
    constexpr explicit result_storage(std::in_place_t, Args&&... args)
        : value_(std::forward<Args>(args)...), has_value_(true) {}
    template <class G>
    constexpr explicit result_storage(std::in_place_type_t<E>, G&& error)
        : error_(std::forward<G>(error)), has_value_(false) {}
    constexpr result_storage(const result_storage& other) : has_value_(other.has_value_) {
        if (has_value_)
            std::construct_at(std::addressof(value_), other.value_);
        else
            std::construct_at(std::addressof(error_), other.error_);
    }
    constexpr result_storage(result_storage&& other) noexcept(
        std::is_nothrow_move_constructible_v<T>&& std::is_nothrow_move_constructible_v<E>)
        : has_value_(other.has_value_) {
        if (has_value_)
            std::construct_at(std::addressof(value_), std::move(other.value_));
        else
            std::construct_at(std::addressof(error_), std::move(other.error_));
    }
    constexpr result_storage& operator=(const result_storage& other) {
        if (this != &other) {
            destroy();
            has_value_ = other.has_value_;
            if (has_value_)
                std::construct_at(std::addressof(value_), other.value_);
            else
                std::construct_at(std::addressof(error_), other.error_);
        }
        return *this;
    }
    constexpr result_storage& operator=(result_storage&& other) noexcept(
        std::is_nothrow_move_constructible_v<T>&& std::is_nothrow_move_constructible_v<E>) {
        if (this != &other) {
            destroy();
            has_value_ = other.has_value_;
            if (has_value_)
                std::construct_at(std::addressof(value_), std::move(other.value_));
            else
                std::construct_at(std::addressof(error_), std::move(other.error_));
        }
        return *this;
    }
    constexpr ~result_storage() { destroy(); }

private:
    constexpr void destroy() noexcept {
        if (has_value_)
            std::destroy_at(std::addressof(value_));
        else
            std::destroy_at(std::addressof(error_));
    }
};
}  // namespace detail

/**
 * Either a value of type T or an error of type E (by default `twofactor::errc`).
 *
 * Construct the value implicitly (`return code;`) and the error through `unexpected`
 * (`return unexpected(errc::wrong_code);`). Member names follow std::expected: `has_value`,
 * `value`, `error`, `value_or`, `and_then`, `transform`, `or_else`, `transform_error`.
 * Calling `value()` on an error, or `error()` on a value, is a broken precondition
 * (TWOFACTOR_ASSERT), never an exception.
 *
 *     twofactor::result<std::uint64_t> step = twofactor::time_step_index(now, 30s, 0);
 *     if (!step) std::puts(twofactor::describe(step.error()).data());
 */
template <class T, class E>
class [[nodiscard]] result {
    static_assert(!std::is_reference_v<T> && !std::is_void_v<T>, "use result<void, E>");
    static_assert(!detail::is_unexpected<std::remove_cv_t<T>>, "T cannot be unexpected<...>");

public:
    using value_type = T;
    using error_type = E;
    template <class U>
    using rebind = result<U, E>;

    constexpr result() noexcept(
        std::is_nothrow_default_constructible_v<T>) requires std::default_initializable<T>
        : storage_(std::in_place) {}

    template <class U = T>
    requires(!std::same_as<std::remove_cvref_t<U>, result> &&
             !std::same_as<std::remove_cvref_t<U>, std::in_place_t> &&
             !detail::is_unexpected<std::remove_cvref_t<U>> &&
             std::constructible_from<T, U>) constexpr explicit(!std::convertible_to<U, T>)
        result(U&& value) noexcept(std::is_nothrow_constructible_v<T, U>)
        : storage_(std::in_place, std::forward<U>(value)) {}

    template <class... Args>
    requires std::constructible_from<T, Args...>
    constexpr explicit result(std::in_place_t, Args&&... args)
        : storage_(std::in_place, std::forward<Args>(args)...) {}

    template <class G>
    requires std::constructible_from<E, const G&>
    constexpr result(const unexpected<G>& error)  // NOLINT: implicit like std::expected
        : storage_(std::in_place_type<E>, error.error()) {}

    [[nodiscard]] constexpr bool has_value() const noexcept { return storage_.has_value_; }
    constexpr explicit operator bool() const noexcept { return storage_.has_value_; }

    [[nodiscard]] constexpr T& value() & noexcept { return checked_value(), storage_.value_; }
    [[nodiscard]] constexpr const T& value() const& noexcept { return checked_value(), storage_.value_; }
    [[nodiscard]] constexpr T&& value() && noexcept { return checked_value(), std::move(storage_.value_); }
    [[nodiscard]] constexpr T& operator*() & noexcept { return value(); }
    [[nodiscard]] constexpr const T& operator*() const& noexcept { return value(); }
    [[nodiscard]] constexpr T&& operator*() && noexcept { return std::move(*this).value(); }
    [[nodiscard]] constexpr T* operator->() noexcept { return std::addressof(value()); }
    [[nodiscard]] constexpr const T* operator->() const noexcept { return std::addressof(value()); }

    [[nodiscard]] constexpr const E& error() const noexcept {
        TWOFACTOR_ASSERT(!has_value(), "result::error() called on a value");
        return storage_.error_;
    }

    template <class U>
    [[nodiscard]] constexpr T value_or(U&& fallback) const& {
        return has_value() ? storage_.value_ : static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    [[nodiscard]] constexpr T value_or(U&& fallback) && {
        return has_value() ? std::move(storage_.value_) : static_cast<T>(std::forward<U>(fallback));
    }

    /// f(value) -> result<U, E>; an error passes through unchanged.
    template <class F>
    constexpr auto and_then(F&& f) const& {
        using next = std::remove_cvref_t<std::invoke_result_t<F, const T&>>;
        static_assert(detail::is_result<next>, "and_then's function must return a result");
        if (has_value()) return detail::invoke(std::forward<F>(f), storage_.value_);
        return next(unexpected<E>(storage_.error_));
    }
    /// f(value) -> U; gives result<U, E>.
    template <class F>
    constexpr auto transform(F&& f) const& {
        using next_value = std::remove_cv_t<std::invoke_result_t<F, const T&>>;
        using next = result<next_value, E>;
        if (!has_value()) return next(unexpected<E>(storage_.error_));
        if constexpr (std::is_void_v<next_value>) {
            detail::invoke(std::forward<F>(f), storage_.value_);
            return next();
        } else {
            return next(detail::invoke(std::forward<F>(f), storage_.value_));
        }
    }
    /// f(error) -> result<T, G>; a value passes through unchanged.
    template <class F>
    constexpr auto or_else(F&& f) const& {
        using next = std::remove_cvref_t<std::invoke_result_t<F, const E&>>;
        static_assert(detail::is_result<next>, "or_else's function must return a result");
        if (has_value()) return next(storage_.value_);
        return detail::invoke(std::forward<F>(f), storage_.error_);
    }
    /// f(error) -> G; gives result<T, G>.
    template <class F>
    constexpr auto transform_error(F&& f) const& {
        using next_error = std::remove_cv_t<std::invoke_result_t<F, const E&>>;
        using next = result<T, next_error>;
        if (has_value()) return next(storage_.value_);
        return next(unexpected<next_error>(detail::invoke(std::forward<F>(f), storage_.error_)));
    }

    friend constexpr bool operator==(const result& a, const result& b) {
        if (a.has_value() != b.has_value()) return false;
        return a.has_value() ? a.storage_.value_ == b.storage_.value_
                             : a.storage_.error_ == b.storage_.error_;
    }
    template <class G>
    friend constexpr bool operator==(const result& a, const unexpected<G>& b) {
        return !a.has_value() && a.storage_.error_ == b.error();
    }

private:
    constexpr int checked_value() const noexcept {
        TWOFACTOR_ASSERT(has_value(), "result::value() called on an error");
        return 0;
    }

    detail::result_storage<T, E> storage_;
};

/// A result with no value: success, or an error.
template <class E>
class [[nodiscard]] result<void, E> {
public:
    using value_type = void;
    using error_type = E;

    constexpr result() noexcept = default;
    template <class G>
    requires std::constructible_from<E, const G&>
    constexpr result(const unexpected<G>& error)  // NOLINT: implicit like std::expected
        : error_(error.error()), has_value_(false) {}

    [[nodiscard]] constexpr bool has_value() const noexcept { return has_value_; }
    constexpr explicit operator bool() const noexcept { return has_value_; }
    constexpr void value() const noexcept {
        TWOFACTOR_ASSERT(has_value(), "result::value() called on an error");
    }
    [[nodiscard]] constexpr const E& error() const noexcept {
        TWOFACTOR_ASSERT(!has_value(), "result::error() called on a value");
        return error_;
    }

    template <class F>
    constexpr auto and_then(F&& f) const {
        using next = std::remove_cvref_t<std::invoke_result_t<F>>;
        static_assert(detail::is_result<next>, "and_then's function must return a result");
        if (has_value()) return detail::invoke(std::forward<F>(f));
        return next(unexpected<E>(error_));
    }
    template <class F>
    constexpr auto transform(F&& f) const {
        using next_value = std::remove_cv_t<std::invoke_result_t<F>>;
        using next = result<next_value, E>;
        if (!has_value()) return next(unexpected<E>(error_));
        if constexpr (std::is_void_v<next_value>) {
            detail::invoke(std::forward<F>(f));
            return next();
        } else {
            return next(detail::invoke(std::forward<F>(f)));
        }
    }
    template <class F>
    constexpr auto or_else(F&& f) const {
        using next = std::remove_cvref_t<std::invoke_result_t<F, const E&>>;
        static_assert(detail::is_result<next>, "or_else's function must return a result");
        if (has_value()) return next();
        return detail::invoke(std::forward<F>(f), error_);
    }

    friend constexpr bool operator==(const result& a, const result& b) {
        if (a.has_value_ != b.has_value_) return false;
        return a.has_value_ || a.error_ == b.error_;
    }
    template <class G>
    friend constexpr bool operator==(const result& a, const unexpected<G>& b) {
        return !a.has_value_ && a.error_ == b.error();
    }

private:
    E error_{};
    bool has_value_ = true;
};

}  // namespace twofactor::inline v1

template <>
struct std::is_error_code_enum<twofactor::errc> : std::true_type {};

#endif  // TWOFACTOR_ERROR_HPP_INCLUDED
