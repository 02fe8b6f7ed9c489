// twofactor: header-only C++20 two-factor authentication (TOTP/HOTP, setup codes, QR codes,
// backup codes, enrollment). Single-header edition.
//
// GENERATED FILE, DO NOT EDIT: produced by tools/amalgamate.py from include/twofactor/.
// Edit the headers under include/ and run the script again.
#pragma once


// ---- begin twofactor/twofactor.hpp ----
// twofactor: the umbrella header. Includes every core header of the library, and nothing from
// a third party: the OpenSSL backend (twofactor/openssl.hpp) is a separate opt-in header.
#ifndef TWOFACTOR_TWOFACTOR_HPP_INCLUDED
#define TWOFACTOR_TWOFACTOR_HPP_INCLUDED


// ---- begin twofactor/version.hpp ----
// twofactor: version numbers of this header set.
#ifndef TWOFACTOR_VERSION_HPP_INCLUDED
#define TWOFACTOR_VERSION_HPP_INCLUDED

// Every header includes this one first: one clear message instead of hundreds of errors.
#if (defined(_MSVC_LANG) ? _MSVC_LANG : __cplusplus) < 202002L
#error "twofactor requires C++20 (-std=c++20, /std:c++20)"
#endif

#define TWOFACTOR_VERSION_MAJOR 0
#define TWOFACTOR_VERSION_MINOR 1
#define TWOFACTOR_VERSION_PATCH 0

namespace twofactor::inline v1 {

/// The library version as one comparable number: major * 10000 + minor * 100 + patch.
inline constexpr int version =
    TWOFACTOR_VERSION_MAJOR * 10000 + TWOFACTOR_VERSION_MINOR * 100 + TWOFACTOR_VERSION_PATCH;

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_VERSION_HPP_INCLUDED
// ---- end twofactor/version.hpp ----

// In layer order (DESIGN.md), not sorted.
// clang-format off

// ---- begin twofactor/config.hpp ----
// twofactor: the configuration hooks, TWOFACTOR_ASSERT and TWOFACTOR_DECLASSIFY.
//
// Every other choice (hash, digits, clock, random source, crypto backend) is a type or an
// included header, never a macro.
#ifndef TWOFACTOR_CONFIG_HPP_INCLUDED
#define TWOFACTOR_CONFIG_HPP_INCLUDED



/**
 * TWOFACTOR_ASSERT(condition, message): checks a precondition that the caller broke
 * (e.g. reading the value of a result that holds an error). Bad *input* never reaches it:
 * input errors are returned as `twofactor::errc`.
 *
 * Define it before including any twofactor header to route failures elsewhere (a firmware
 * fault handler, a logging hook). The default prints the message to stderr and calls
 * std::abort(); in constant evaluation a failed assertion is a compile error.
 */
#ifndef TWOFACTOR_ASSERT
#include <cstdio>
#include <cstdlib>

namespace twofactor::inline v1::detail {
// Not constexpr on purpose: reaching it during constant evaluation makes the expression
// non-constant, so a broken precondition in a static_assert fails to compile.
[[noreturn]] inline void assertion_failed(const char* file, int line, const char* message) noexcept {
    std::fprintf(stderr, "%s:%d: twofactor assertion failed: %s\n", file, line, message);
    std::abort();
}
}  // namespace twofactor::inline v1::detail

#define TWOFACTOR_ASSERT(condition, message) \
    ((condition) ? static_cast<void>(0)      \
                 : ::twofactor::detail::assertion_failed(__FILE__, __LINE__, (message)))
#endif

/**
 * TWOFACTOR_DECLASSIFY(address, size): optional, for checking constant time with a tool such as
 * valgrind memcheck. Where a value computed from secrets becomes public by design (whether a code
 * matched, which candidate or backup code), twofactor passes its address and size to this macro.
 * tests/constant_time/ defines it as VALGRIND_MAKE_MEM_DEFINED and marks secrets undefined, so
 * any other branch or memory index on a secret is reported. Undefined by default (no effect).
 */

#endif  // TWOFACTOR_CONFIG_HPP_INCLUDED
// ---- end twofactor/config.hpp ----

// ---- begin twofactor/error.hpp ----
// twofactor: error codes (`errc`), their std::error_category, and `result<T, E>`.
//
// Nothing in twofactor throws. Every fallible operation returns a `result` holding either
// its value or a precise error; the names of `result`'s members follow std::expected
// (C++23), which GCC 12 and Clang 14 do not ship in C++20 mode.
#ifndef TWOFACTOR_ERROR_HPP_INCLUDED
#define TWOFACTOR_ERROR_HPP_INCLUDED


#include <concepts>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>


// ---- begin twofactor/detail/utility.hpp ----
// Stand-ins for std::invoke (<functional>) and std::min / std::max (<algorithm>). With libstdc++
// those two headers add about a third of a second to every translation unit that includes
// twofactor (<functional> brings <unordered_map> and <vector> for its searchers), for three
// small functions; benchmarks/compile_time.sh measures it.
#ifndef TWOFACTOR_DETAIL_UTILITY_HPP_INCLUDED
#define TWOFACTOR_DETAIL_UTILITY_HPP_INCLUDED


#include <type_traits>
#include <utility>

namespace twofactor::inline v1::detail {

template <class Member>
struct member_pointer_class;
template <class Type, class Class>
struct member_pointer_class<Type Class::*> {
    using type = Class;
};

// invoke() of a pointer to member.
template <class Member, class Object, class... Args>
constexpr decltype(auto) invoke_member(Member member, Object&& object, Args&&... args) noexcept(
    std::is_nothrow_invocable_v<Member, Object, Args...>) {
    constexpr bool on_object =
        std::is_base_of_v<typename member_pointer_class<Member>::type, std::remove_cvref_t<Object>>;
    if constexpr (std::is_member_function_pointer_v<Member>) {
        if constexpr (on_object) {
            return (std::forward<Object>(object).*member)(std::forward<Args>(args)...);
        } else {
            return ((*std::forward<Object>(object)).*member)(std::forward<Args>(args)...);
        }
    } else if constexpr (on_object) {
        return std::forward<Object>(object).*member;
    } else {
        return (*std::forward<Object>(object)).*member;
    }
}

/// std::invoke for function objects and for pointers to members, applied to an object of the
/// class (or derived) or to a pointer to one. (Not to a std::reference_wrapper.)
template <class F, class... Args>
constexpr decltype(auto) invoke(F&& f, Args&&... args) noexcept(std::is_nothrow_invocable_v<F, Args...>) {
    using member = std::remove_cvref_t<F>;
    if constexpr (std::is_member_pointer_v<member>) {
        return invoke_member(f, std::forward<Args>(args)...);
    } else {
        return std::forward<F>(f)(std::forward<Args>(args)...);
    }
}

/// The smaller of two values of one type (std::min without <algorithm>).
template <class T>
[[nodiscard]] constexpr T minimum(T a, T b) noexcept {
    return b < a ? b : a;
}

/// The larger of two values of one type (std::max without <algorithm>).
template <class T>
[[nodiscard]] constexpr T maximum(T a, T b) noexcept {
    return a < b ? b : a;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_UTILITY_HPP_INCLUDED
// ---- end twofactor/detail/utility.hpp ----

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
// ---- end twofactor/error.hpp ----

// ---- begin twofactor/constant_time.hpp ----
// twofactor: constant_time_equal, for the application's own secrets (session tokens, CSRF
// tokens, API keys): the comparison twofactor uses for codes and digests, made public.
#ifndef TWOFACTOR_CONSTANT_TIME_HPP_INCLUDED
#define TWOFACTOR_CONSTANT_TIME_HPP_INCLUDED


#include <cstddef>
#include <span>
#include <string_view>


// ---- begin twofactor/detail/constant_time.hpp ----
// twofactor: branch-free helpers for comparing and selecting secret-dependent values.
//
// Timing must not depend on secret data (codes, digests, backup codes): no early exit, no
// secret-dependent branch or table index. The value barrier stops the optimiser from proving
// that a mask is 0 or all-ones and turning the selection back into a branch.
#ifndef TWOFACTOR_DETAIL_CONSTANT_TIME_HPP_INCLUDED
#define TWOFACTOR_DETAIL_CONSTANT_TIME_HPP_INCLUDED


#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace twofactor::inline v1::detail {

/// Returns `value` unchanged, opaque to the optimiser at run time.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T value_barrier(T value) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) __asm__("" : "+r"(value));
#endif
    return value;
}

/// Marks `value`, computed from secrets, as public from here on: the outcome of a check (match
/// or not, which candidate or code) is disclosed by design and may then be branched on. A no-op
/// unless TWOFACTOR_DECLASSIFY(address, size) is defined before including twofactor: the
/// constant-time check (tests/constant_time/) defines it as valgrind's VALGRIND_MAKE_MEM_DEFINED
/// and marks secrets undefined, so memcheck reports every other branch or table index on them.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T declassify(T value) noexcept {
#ifdef TWOFACTOR_DECLASSIFY
    if (!std::is_constant_evaluated()) TWOFACTOR_DECLASSIFY(&value, sizeof value);
#endif
    return value_barrier(value);
}

/// All ones when `value` is zero, else zero; no branch.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T mask_if_zero(T value) noexcept {
    // (v | -v) has its top bit set exactly when v != 0.
    const T nonzero = static_cast<T>((value | static_cast<T>(T{0} - value)) >> (sizeof(T) * 8 - 1));
    return static_cast<T>(value_barrier(nonzero) - T{1});
}

/// All ones when `a == b`, else zero; no branch.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T mask_if_equal(T a, T b) noexcept {
    return mask_if_zero(static_cast<T>(a ^ b));
}

/// `mask ? a : b` for a mask that is all ones or zero; no branch.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T select(T mask, T a, T b) noexcept {
    return static_cast<T>((a & mask) | (b & static_cast<T>(~mask)));
}

/// 1 when lo <= u <= hi, else 0, for u, lo, hi below 256 (a character's class, e.g. in a
/// secret's base32 or base64 text); no branch: a borrow sets bit 31 of u - lo when u < lo and of
/// hi - u when u > hi.
[[nodiscard]] constexpr std::uint32_t byte_in_range(std::uint32_t u, std::uint32_t lo,
                                                    std::uint32_t hi) noexcept {
    return (((u - lo) | (hi - u)) >> 31) ^ 1u;
}

/**
 * `value / Divisor` for any 32-bit value, by multiplication and shifts, at every optimisation
 * level: a division instruction's latency can depend on its operands (on some CPUs), and without
 * optimisation compilers emit one for `/` by a constant.
 * Granlund and Montgomery (1994), Theorem 4.2, with N = 32: if m · Divisor - 2^(32+l) <= 2^l for
 * m = ceil(2^(32+l) / Divisor), then floor(n * m / 2^(32+l)) = floor(n / Divisor) for every 32-bit
 * n. l = ceil(log2 Divisor) always qualifies; the smallest l that does often gives a multiplier of
 * 32 bits (10: 0xCCCCCCCD, l = 3), and then n * m fits in 64 bits: one multiplication. Otherwise
 * m has 33 bits and n * m is formed from n * (m mod 2^32) and n * floor(m / 2^32).
 */
template <std::uint32_t Divisor>
requires(Divisor >= 1 && Divisor <= (1U << 31)) [[nodiscard]] constexpr std::uint32_t
    divide_by(std::uint32_t value) noexcept {
    constexpr int l = [] {
        for (int bits = 0;; ++bits) {
            const std::uint64_t power = std::uint64_t{1} << (32 + bits);
            const std::uint64_t m = (power + Divisor - 1) / Divisor;
            if (m * Divisor - power <= (std::uint64_t{1} << bits)) return bits;
        }
    }();
    constexpr std::uint64_t power = std::uint64_t{1} << (32 + l);
    constexpr std::uint64_t m = (power + Divisor - 1) / Divisor;
    static_assert(m * Divisor - power <= (std::uint64_t{1} << l), "Theorem 4.2's condition");
    const std::uint64_t n = value;
    if constexpr (m <= 0xFFFFFFFFU) {
        return static_cast<std::uint32_t>((n * m) >> (32 + l));
    } else {
        constexpr std::uint64_t m_low = m & 0xFFFFFFFFU;
        constexpr std::uint64_t m_high = m >> 32;
        return static_cast<std::uint32_t>((n * m_high + ((n * m_low) >> 32)) >> l);
    }
}

/// `value % Divisor`, as `divide_by` computes the quotient.
template <std::uint32_t Divisor>
[[nodiscard]] constexpr std::uint32_t remainder_by(std::uint32_t value) noexcept {
    return value - Divisor * divide_by<Divisor>(value);
}

/// True when the two equally long ranges hold the same elements. The time taken depends only
/// on the length, which is public (a code's digit count, a digest size).
template <class Byte>
requires(sizeof(Byte) == 1 && std::is_trivially_copyable_v<Byte>)
    [[nodiscard]] constexpr bool equal(std::span<const Byte> a, std::span<const Byte> b) noexcept {
    if (a.size() != b.size()) return false;
    std::uint32_t difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        difference |=
            static_cast<std::uint8_t>(static_cast<std::uint8_t>(a[i]) ^ static_cast<std::uint8_t>(b[i]));
    return value_barrier(difference) == 0;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_CONSTANT_TIME_HPP_INCLUDED
// ---- end twofactor/detail/constant_time.hpp ----

namespace twofactor::inline v1 {

/**
 * Whether `a` and `b` hold the same bytes, in time that depends only on their lengths: every
 * byte is compared, without an early exit at the first difference (which would tell an attacker
 * how much of a guess was right). Different lengths are unequal at once: lengths are public.
 *
 *     if (twofactor::constant_time_equal(form_token, session.csrf_token)) ...
 */
[[nodiscard]] constexpr bool constant_time_equal(std::span<const std::byte> a,
                                                 std::span<const std::byte> b) noexcept {
    return detail::equal(a, b);
}

/// constant_time_equal of two strings' bytes.
[[nodiscard]] constexpr bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    return detail::equal(std::span<const char>(a), std::span<const char>(b));
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_CONSTANT_TIME_HPP_INCLUDED
// ---- end twofactor/constant_time.hpp ----

// ---- begin twofactor/hash.hpp ----
// Hash functions: the digest<N> value type, the hash_function and block_hash_function concepts, and
// the built-in models sha1, sha256 and sha512. Spec: FIPS 180-4 (Secure Hash Standard), §5.1 padding.
#ifndef TWOFACTOR_HASH_HPP_INCLUDED
#define TWOFACTOR_HASH_HPP_INCLUDED


#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>


// ---- begin twofactor/detail/bytes.hpp ----
// Byte-order helpers and secure wiping shared by every layer.
// Big-endian word encoding as used by FIPS 180-4 §3.1 (SHA-1, SHA-2) and RFC 4226 §5.3.
#ifndef TWOFACTOR_DETAIL_BYTES_HPP_INCLUDED
#define TWOFACTOR_DETAIL_BYTES_HPP_INCLUDED


#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

// Forces inlining of the small round helpers so that the working variables of the hash
// functions stay in registers (not a configuration macro; internal to the library).
#if !defined(TWOFACTOR_DETAIL_ALWAYS_INLINE)
#if defined(__GNUC__) || defined(__clang__)
#define TWOFACTOR_DETAIL_ALWAYS_INLINE [[gnu::always_inline]] inline
#elif defined(_MSC_VER)
#define TWOFACTOR_DETAIL_ALWAYS_INLINE __forceinline
#else
#define TWOFACTOR_DETAIL_ALWAYS_INLINE inline
#endif
#endif

// Asks the optimiser to unroll the loop that follows completely (GCC and Clang; ignored at -O0):
// the round loops of the hash functions, whose working variables are then renamed rather than
// moved, as in hand-unrolled code, while the source and unoptimised builds stay small.
#if !defined(TWOFACTOR_DETAIL_UNROLL)
#if defined(__GNUC__) || defined(__clang__)
#define TWOFACTOR_DETAIL_PRAGMA(text) _Pragma(#text)
#define TWOFACTOR_DETAIL_UNROLL(count) TWOFACTOR_DETAIL_PRAGMA(GCC unroll count)
#else
#define TWOFACTOR_DETAIL_UNROLL(count)
#endif
#endif

namespace twofactor::inline v1::detail {

/// Loads a big-endian 32-bit word from `p[0..4)`. Precondition: 4 readable bytes at `p`.
constexpr std::uint32_t load_be32(const std::byte* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) {
        std::uint32_t value;
        std::memcpy(&value, p, sizeof value);
        if constexpr (std::endian::native == std::endian::little) {
            value = __builtin_bswap32(value);
        }
        return value;
    }
#endif
    return (std::to_integer<std::uint32_t>(p[0]) << 24) | (std::to_integer<std::uint32_t>(p[1]) << 16) |
           (std::to_integer<std::uint32_t>(p[2]) << 8) | std::to_integer<std::uint32_t>(p[3]);
}

/// Loads a big-endian 64-bit word from `p[0..8)`. Precondition: 8 readable bytes at `p`.
constexpr std::uint64_t load_be64(const std::byte* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) {
        std::uint64_t value;
        std::memcpy(&value, p, sizeof value);
        if constexpr (std::endian::native == std::endian::little) {
            value = __builtin_bswap64(value);
        }
        return value;
    }
#endif
    return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}

/// Stores `value` big-endian into `p[0..4)`. Precondition: 4 writable bytes at `p`.
constexpr void store_be32(std::byte* p, std::uint32_t value) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) {
        if constexpr (std::endian::native == std::endian::little) {
            value = __builtin_bswap32(value);
        }
        std::memcpy(p, &value, sizeof value);
        return;
    }
#endif
    p[0] = static_cast<std::byte>(value >> 24);
    p[1] = static_cast<std::byte>(value >> 16);
    p[2] = static_cast<std::byte>(value >> 8);
    p[3] = static_cast<std::byte>(value);
}

/// Stores `value` big-endian into `p[0..8)`. Precondition: 8 writable bytes at `p`.
constexpr void store_be64(std::byte* p, std::uint64_t value) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!std::is_constant_evaluated()) {
        if constexpr (std::endian::native == std::endian::little) {
            value = __builtin_bswap64(value);
        }
        std::memcpy(p, &value, sizeof value);
        return;
    }
#endif
    store_be32(p, static_cast<std::uint32_t>(value >> 32));
    store_be32(p + 4, static_cast<std::uint32_t>(value));
}

// Fixed-extent span overloads: the size is checked by the type system.

/// Loads a big-endian 32-bit word from exactly four bytes.
constexpr std::uint32_t load_be32(std::span<const std::byte, 4> bytes) noexcept {
    return load_be32(bytes.data());
}
/// Loads a big-endian 64-bit word from exactly eight bytes.
constexpr std::uint64_t load_be64(std::span<const std::byte, 8> bytes) noexcept {
    return load_be64(bytes.data());
}
/// Stores a big-endian 32-bit word into exactly four bytes.
constexpr void store_be32(std::span<std::byte, 4> bytes, std::uint32_t value) noexcept {
    store_be32(bytes.data(), value);
}
/// Stores a big-endian 64-bit word into exactly eight bytes.
constexpr void store_be64(std::span<std::byte, 8> bytes, std::uint64_t value) noexcept {
    store_be64(bytes.data(), value);
}

/// Copies `count` bytes; constexpr-friendly memcpy (the ranges must not overlap).
constexpr void copy_bytes(std::byte* destination, const std::byte* source, std::size_t count) noexcept {
    if (std::is_constant_evaluated()) {
        for (std::size_t i = 0; i < count; ++i) {
            destination[i] = source[i];
        }
    } else if (count != 0) {
        std::memcpy(destination, source, count);
    }
}

/// Zeroes the bytes of `storage` at run time in a way the optimiser may not elide
/// (a memset followed by a compiler barrier that claims to read the memory, or volatile
/// writes where no such barrier exists). In constant evaluation it simply zeroes.
inline void secure_wipe_bytes(void* storage, std::size_t size) noexcept {
    if (size == 0) {
        return;
    }
#if defined(__GNUC__) || defined(__clang__)
    std::memset(storage, 0, size);
    asm volatile("" : : "r"(storage) : "memory");
#else
    auto* p = static_cast<volatile unsigned char*>(storage);
    for (std::size_t i = 0; i < size; ++i) {
        p[i] = 0;
    }
#endif
}

/// Zeroes `bytes`; never removed by the optimiser (see secure_wipe_bytes). Usable in constant evaluation.
constexpr void secure_wipe(std::span<std::byte> bytes) noexcept {
    if (std::is_constant_evaluated()) {
        for (auto& b : bytes) {
            b = std::byte{0};
        }
    } else {
        secure_wipe_bytes(bytes.data(), bytes.size());
    }
}

template <class T>
inline constexpr bool is_span_v = false;
template <class T, std::size_t Extent>
inline constexpr bool is_span_v<std::span<T, Extent>> = true;

/// Zeroes every byte of a trivially copyable object (a key array, a hash state, a struct of those);
/// never removed by the optimiser. Usable in constant evaluation (there it value-initialises).
/// Spans are excluded on purpose: to wipe what a span refers to, call secure_wipe(std::span<std::byte>).
template <class T>
requires(std::is_trivially_copyable_v<T> &&
         (std::is_default_constructible_v<T> || std::is_array_v<T>)&&!std::is_const_v<T> &&
         !std::is_pointer_v<T> && !is_span_v<T>) constexpr void secure_wipe(T& object) noexcept {
    if (std::is_constant_evaluated()) {
        if constexpr (std::is_array_v<T>) {
            for (auto& element : object) {
                secure_wipe(element);
            }
        } else {
            object = T{};
        }
    } else {
        secure_wipe_bytes(&object, sizeof(T));
    }
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_BYTES_HPP_INCLUDED
// ---- end twofactor/detail/bytes.hpp ----

// ---- begin twofactor/detail/cpu_features.hpp ----
// Run-time CPU feature detection for the hardware hash paths.
// x86: Intel SDM Vol. 2A, CPUID leaf 1 (ECX bit 9 SSSE3, bit 19 SSE4.1) and leaf 7 sub-leaf 0 (EBX bit 29
// SHA).
// AArch64: Linux Documentation/arch/arm64/elf_hwcaps.rst, AT_HWCAP bits HWCAP_SHA1 (5) and HWCAP_SHA2 (6).
#ifndef TWOFACTOR_DETAIL_CPU_FEATURES_HPP_INCLUDED
#define TWOFACTOR_DETAIL_CPU_FEATURES_HPP_INCLUDED


#if defined(__x86_64__) || defined(_M_X64)
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

#if defined(__aarch64__) && !defined(__AARCH64EB__) && !defined(__ARM_FEATURE_SHA2) && \
    !defined(__ARM_FEATURE_CRYPTO) && defined(__linux__)
#include <sys/auxv.h>  // getauxval; Linux and Android (also under Bionic and musl)
#endif

namespace twofactor::inline v1::detail {

#if defined(__x86_64__) || defined(_M_X64)

/// Queries CPUID: true when the SHA extensions and the SSE levels our SHA-NI code needs are present.
/// Costs a few hundred cycles (more under a hypervisor); call cpu_has_sha_ni() instead.
inline bool detect_sha_ni() noexcept {
#if defined(__SHA__) && defined(__SSE4_1__) && defined(__SSSE3__)
    return true;  // the whole program is compiled for a CPU with SHA-NI
#elif defined(_MSC_VER) && !defined(__clang__)
    int regs[4] = {};
    __cpuid(regs, 0);
    if (regs[0] < 7) {
        return false;
    }
    __cpuid(regs, 1);
    const bool ssse3 = (regs[2] & (1 << 9)) != 0;
    const bool sse41 = (regs[2] & (1 << 19)) != 0;
    __cpuidex(regs, 7, 0);
    const bool sha = (regs[1] & (1 << 29)) != 0;
    return ssse3 && sse41 && sha;
#else
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_max(0, nullptr) < 7) {
        return false;
    }
    __cpuid(1, eax, ebx, ecx, edx);
    const bool ssse3 = (ecx & (1u << 9)) != 0;
    const bool sse41 = (ecx & (1u << 19)) != 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const bool sha = (ebx & (1u << 29)) != 0;
    return ssse3 && sse41 && sha;
#endif
}

/// The detection result, computed once during dynamic initialisation of the program.
/// Should a static initialiser of another translation unit hash something before this variable is
/// initialised, it reads the zero-initialised value `false` and takes the portable path, which yields
/// identical results; so the order of initialisation never matters for correctness.
inline const bool cpu_sha_ni_detected = detect_sha_ni();

/// True when the x86 SHA extensions (SHA-NI) may be used: one load of a cached bool.
inline bool cpu_has_sha_ni() noexcept { return cpu_sha_ni_detected; }

#else

/// No SHA-NI outside x86-64.
constexpr bool cpu_has_sha_ni() noexcept { return false; }

#endif

// The ARMv8 path (detail/sha_armv8.hpp) exists for little-endian AArch64 with GCC or Clang.
#if defined(__aarch64__) && !defined(__AARCH64EB__)

#if defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO)

/// The whole program is compiled for a CPU with the SHA-1 and SHA-256 instructions.
constexpr bool cpu_has_armv8_sha() noexcept { return true; }

#else

/// True when an AT_HWCAP value announces both SHA1 and SHA2 (the SHA-1 and SHA-256 instructions).
constexpr bool armv8_sha_in_hwcap(unsigned long hwcap) noexcept {
    // The values of <asm/hwcap.h>, fixed by the kernel ABI; that header is not always installed.
    constexpr unsigned long hwcap_sha1 = 1ul << 5;
    constexpr unsigned long hwcap_sha2 = 1ul << 6;
    return (hwcap & (hwcap_sha1 | hwcap_sha2)) == (hwcap_sha1 | hwcap_sha2);
}

/// Asks the operating system whether the ARMv8 SHA-1 and SHA-256 instructions may be used (user
/// space cannot read the ID registers portably). Call cpu_has_armv8_sha() instead.
inline bool detect_armv8_sha() noexcept {
#if defined(__APPLE__)
    return true;  // every Apple AArch64 CPU has them
#elif defined(__linux__)
    return armv8_sha_in_hwcap(getauxval(AT_HWCAP));
#else
    return false;  // no detection written for this system: the portable path
#endif
}

/// The detection result, computed once during dynamic initialisation (see cpu_sha_ni_detected for
/// why the order of initialisation never matters for correctness).
inline const bool cpu_armv8_sha_detected = detect_armv8_sha();

/// True when the ARMv8 SHA-1 and SHA-256 instructions may be used: one load of a cached bool.
inline bool cpu_has_armv8_sha() noexcept { return cpu_armv8_sha_detected; }

#endif

#else

/// No ARMv8 SHA path outside little-endian AArch64.
constexpr bool cpu_has_armv8_sha() noexcept { return false; }

#endif

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_CPU_FEATURES_HPP_INCLUDED
// ---- end twofactor/detail/cpu_features.hpp ----

// ---- begin twofactor/detail/sha1.hpp ----
// SHA-1 compression function, portable and constexpr. Spec: FIPS 180-4 §6.1 (also RFC 3174).
#ifndef TWOFACTOR_DETAIL_SHA1_HPP_INCLUDED
#define TWOFACTOR_DETAIL_SHA1_HPP_INCLUDED


#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>


namespace twofactor::inline v1::detail {

/// SHA-1 chaining value H0..H4 (FIPS 180-4 §6.1.1).
using sha1_state = std::array<std::uint32_t, 5>;

/// Initial hash value (FIPS 180-4 §5.3.1).
inline constexpr sha1_state sha1_initial_state{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

// The 20 rounds t = 20·Stage .. 20·Stage + 19 of FIPS 180-4 §6.1.2 step 3 (one function and
// constant per stage), with the message schedule (step 1) computed just in time in a 16-word
// ring. Written as a loop that the optimiser unrolls: the ring indices become constants and the
// moves of a..e become renamings, within 3% of hand-unrolled rounds (g++ 12, clang 14), while
// unoptimised builds and compile times stay small.
template <std::size_t Stage>
TWOFACTOR_DETAIL_ALWAYS_INLINE constexpr void sha1_stage(std::uint32_t (&v)[5],
                                                         std::uint32_t (&w)[16]) noexcept {
    std::uint32_t a = v[0], b = v[1], c = v[2], d = v[3], e = v[4];
    TWOFACTOR_DETAIL_UNROLL(20)
    for (std::size_t t = 20 * Stage; t < 20 * Stage + 20; ++t) {
        if (t >= 16) {
            w[t % 16] = std::rotl(w[(t - 3) % 16] ^ w[(t - 8) % 16] ^ w[(t - 14) % 16] ^ w[t % 16], 1);
        }
        std::uint32_t f = 0, k = 0;
        if constexpr (Stage == 0) {
            f = d ^ (b & (c ^ d));  // Ch
            k = 0x5a827999;
        } else if constexpr (Stage == 1) {
            f = b ^ c ^ d;  // Parity
            k = 0x6ed9eba1;
        } else if constexpr (Stage == 2) {
            f = (b & c) | (d & (b | c));  // Maj
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;  // Parity
            k = 0xca62c1d6;
        }
        const std::uint32_t next_a = std::rotl(a, 5) + f + e + k + w[t % 16];
        e = d;
        d = c;
        c = std::rotl(b, 30);
        b = a;
        a = next_a;
    }
    v[0] = a;
    v[1] = b;
    v[2] = c;
    v[3] = d;
    v[4] = e;
}

/// Portable SHA-1 compression of `block_count` consecutive 64-byte blocks starting at `blocks` into `state`.
/// Usable in constant evaluation; the run-time dispatch to SHA-NI lives in twofactor::sha1.
constexpr void sha1_compress_portable(sha1_state& state, const std::byte* blocks,
                                      std::size_t block_count) noexcept {
    for (; block_count != 0; --block_count, blocks += 64) {
        std::uint32_t w[16] = {};
        for (std::size_t i = 0; i < 16; ++i) {
            w[i] = load_be32(blocks + 4 * i);
        }
        std::uint32_t v[5] = {state[0], state[1], state[2], state[3], state[4]};
        sha1_stage<0>(v, w);
        sha1_stage<1>(v, w);
        sha1_stage<2>(v, w);
        sha1_stage<3>(v, w);
        for (std::size_t i = 0; i < 5; ++i) {
            state[i] += v[i];
        }
    }
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_SHA1_HPP_INCLUDED
// ---- end twofactor/detail/sha1.hpp ----

// ---- begin twofactor/detail/sha2.hpp ----
// SHA-256 and SHA-512 compression functions, portable and constexpr. Spec: FIPS 180-4 §6.2 and §6.4.
#ifndef TWOFACTOR_DETAIL_SHA2_HPP_INCLUDED
#define TWOFACTOR_DETAIL_SHA2_HPP_INCLUDED


#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>


namespace twofactor::inline v1::detail {

/// SHA-256 chaining value H0..H7 (FIPS 180-4 §6.2).
using sha256_state = std::array<std::uint32_t, 8>;
/// SHA-512 chaining value H0..H7 (FIPS 180-4 §6.4).
using sha512_state = std::array<std::uint64_t, 8>;

/// SHA-256 initial hash value (FIPS 180-4 §5.3.3).
inline constexpr sha256_state sha256_initial_state{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/// SHA-512 initial hash value (FIPS 180-4 §5.3.5).
inline constexpr sha512_state sha512_initial_state{0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
                                                   0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
                                                   0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};

/// SHA-256 round constants K0..K63 (FIPS 180-4 §4.2.2).
inline constexpr std::array<std::uint32_t, 64> sha256_round_constants{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/// SHA-512 round constants K0..K79 (FIPS 180-4 §4.2.3).
inline constexpr std::array<std::uint64_t, 80> sha512_round_constants{
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

// The four SHA-2 functions (FIPS 180-4 §4.1.2 and §4.1.3), written in the nested form
// rotr(rotr(x, m) ^ x, n) = rotr(x, m + n) ^ rotr(x, n): fewer copies and temporaries than three
// independent rotations, which keeps the round function within the general-purpose registers.
template <class Word>
struct sha2_functions;

template <>
struct sha2_functions<std::uint32_t> {
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint32_t big_sigma0(std::uint32_t x) noexcept {
        return std::rotr(std::rotr(std::rotr(x, 9) ^ x, 11) ^ x, 2);  // ROTR 2 ^ ROTR 13 ^ ROTR 22
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint32_t big_sigma1(std::uint32_t x) noexcept {
        return std::rotr(std::rotr(std::rotr(x, 14) ^ x, 5) ^ x, 6);  // ROTR 6 ^ ROTR 11 ^ ROTR 25
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint32_t small_sigma0(std::uint32_t x) noexcept {
        return std::rotr(std::rotr(x, 11) ^ x, 7) ^ (x >> 3);  // ROTR 7 ^ ROTR 18 ^ SHR 3
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint32_t small_sigma1(std::uint32_t x) noexcept {
        return std::rotr(std::rotr(x, 2) ^ x, 17) ^ (x >> 10);  // ROTR 17 ^ ROTR 19 ^ SHR 10
    }
};

template <>
struct sha2_functions<std::uint64_t> {
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint64_t big_sigma0(std::uint64_t x) noexcept {
        return std::rotr(std::rotr(std::rotr(x, 5) ^ x, 6) ^ x, 28);  // ROTR 28 ^ ROTR 34 ^ ROTR 39
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint64_t big_sigma1(std::uint64_t x) noexcept {
        return std::rotr(std::rotr(std::rotr(x, 23) ^ x, 4) ^ x, 14);  // ROTR 14 ^ ROTR 18 ^ ROTR 41
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint64_t small_sigma0(std::uint64_t x) noexcept {
        return std::rotr(std::rotr(x, 7) ^ x, 1) ^ (x >> 7);  // ROTR 1 ^ ROTR 8 ^ SHR 7
    }
    TWOFACTOR_DETAIL_ALWAYS_INLINE static constexpr std::uint64_t small_sigma1(std::uint64_t x) noexcept {
        return std::rotr(std::rotr(x, 42) ^ x, 19) ^ (x >> 6);  // ROTR 19 ^ ROTR 61 ^ SHR 6
    }
};

// 16 rounds t = base .. base + 15 of FIPS 180-4 §6.2.2 / §6.4.2 step 3, with the message
// schedule (step 1) computed just in time in a 16-word ring (from the second group on:
// `Schedule`). Written as a loop that the optimiser unrolls: the ring indices become constants
// and the moves of a..h become renamings, within 3% of hand-unrolled rounds (g++ 12, clang 14),
// while unoptimised builds and compile times stay small.
template <bool Schedule, class Word, std::size_t Rounds>
TWOFACTOR_DETAIL_ALWAYS_INLINE constexpr void sha2_round_group(Word (&v)[8], Word (&w)[16],
                                                               const std::array<Word, Rounds>& k,
                                                               std::size_t base) noexcept {
    using f = sha2_functions<Word>;
    Word a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], ff = v[5], g = v[6], h = v[7];
    TWOFACTOR_DETAIL_UNROLL(16)
    for (std::size_t j = 0; j < 16; ++j) {
        if constexpr (Schedule) {
            w[j] += f::small_sigma1(w[(j + 14) % 16]) + w[(j + 9) % 16] + f::small_sigma0(w[(j + 1) % 16]);
        }
        const Word t1 = h + (k[base + j] + w[j]) + (g ^ (e & (ff ^ g))) + f::big_sigma1(e);
        const Word t2 = ((a & (b ^ c)) ^ (b & c)) + f::big_sigma0(a);
        h = g;
        g = ff;
        ff = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    v[0] = a;
    v[1] = b;
    v[2] = c;
    v[3] = d;
    v[4] = e;
    v[5] = ff;
    v[6] = g;
    v[7] = h;
}

template <class Word, std::size_t Rounds>
constexpr void sha2_compress_portable(std::array<Word, 8>& state, const std::byte* blocks,
                                      std::size_t block_count, const std::array<Word, Rounds>& k) noexcept {
    static_assert(Rounds % 16 == 0, "whole groups of 16 rounds");
    constexpr std::size_t block_size = 16 * sizeof(Word);
    for (; block_count != 0; --block_count, blocks += block_size) {
        Word w[16] = {};
        for (std::size_t i = 0; i < 16; ++i) {
            if constexpr (sizeof(Word) == 4) {
                w[i] = load_be32(blocks + 4 * i);
            } else {
                w[i] = load_be64(blocks + 8 * i);
            }
        }
        Word v[8] = {state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]};
        sha2_round_group<false>(v, w, k, 0);  // W0..W15 are the block's words
        for (std::size_t base = 16; base < Rounds; base += 16) {
            sha2_round_group<true>(v, w, k, base);
        }
        for (std::size_t i = 0; i < 8; ++i) {
            state[i] += v[i];
        }
    }
}

/// Portable SHA-256 compression of `block_count` consecutive 64-byte blocks into `state`. constexpr.
constexpr void sha256_compress_portable(sha256_state& state, const std::byte* blocks,
                                        std::size_t block_count) noexcept {
    sha2_compress_portable(state, blocks, block_count, sha256_round_constants);
}

/// Portable SHA-512 compression of `block_count` consecutive 128-byte blocks into `state`. constexpr.
/// (No x86 CPU we target has SHA512 instructions, so this is also the run-time path.)
constexpr void sha512_compress_portable(sha512_state& state, const std::byte* blocks,
                                        std::size_t block_count) noexcept {
    sha2_compress_portable(state, blocks, block_count, sha512_round_constants);
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_SHA2_HPP_INCLUDED
// ---- end twofactor/detail/sha2.hpp ----

// ---- begin twofactor/detail/sha_armv8.hpp ----
// SHA-1 and SHA-256 compression with the ARMv8 Cryptography Extension (AArch64 SHA1C/SHA1P/SHA1M/
// SHA1H/SHA1SU0/SHA1SU1 and SHA256H/SHA256H2/SHA256SU0/SHA256SU1).
// Specs: FIPS 180-4 §6.1.2 and §6.2.2; instruction semantics: Arm Architecture Reference Manual for
// A-profile, and the Arm C Language Extensions (ACLE) for the vsha*q_u32 intrinsics.
// Results are bit-identical to detail/sha1.hpp and detail/sha2.hpp.
//
// Only compiled for little-endian AArch64 with GCC or Clang (MSVC and big-endian targets keep the
// portable path). Every function carries a target attribute, so the program need not be built with
// +crypto; callers must check cpu_has_armv8_sha() (detail/cpu_features.hpp) before calling.
//
// The lane kernels compress one block for each of `Lanes` independent states with the instructions
// of all lanes interleaved group by group, as detail/sha_ni.hpp does, so that one lane's chain of
// dependent SHA1C/SHA256H instructions overlaps with the others'.
#ifndef TWOFACTOR_DETAIL_SHA_ARMV8_HPP_INCLUDED
#define TWOFACTOR_DETAIL_SHA_ARMV8_HPP_INCLUDED


#if defined(__aarch64__) && !defined(__AARCH64EB__)

#include <arm_neon.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>


#if defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO)
// The whole translation unit targets a CPU with the SHA instructions: no attribute needed.
#define TWOFACTOR_DETAIL_ARMV8_TARGET
#elif defined(__clang__)
#define TWOFACTOR_DETAIL_ARMV8_TARGET __attribute__((target("crypto")))
// Clang before 16 declares the SHA intrinsics of <arm_neon.h> only when the translation unit is
// built with the SHA extension; the builtins behind them work in any function whose target has it.
#if __clang_major__ < 16
#define TWOFACTOR_DETAIL_ARMV8_BUILTINS
#endif
#else
#define TWOFACTOR_DETAIL_ARMV8_TARGET __attribute__((target("+crypto")))
#endif
#define TWOFACTOR_DETAIL_ARMV8_INLINE TWOFACTOR_DETAIL_ARMV8_TARGET __attribute__((always_inline)) inline
#define TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES _Pragma("GCC unroll 16")

namespace twofactor::inline v1::detail {

// ---------------------------------------------------------------------------------------------
// The instructions used, one function each, named after their ACLE intrinsics (v<name>q_u32).
namespace armv8 {

using vec = uint32x4_t;

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1c(vec abcd, std::uint32_t e, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return __builtin_neon_vsha1cq_u32(abcd, e, wk);
#else
    return vsha1cq_u32(abcd, e, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1p(vec abcd, std::uint32_t e, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return __builtin_neon_vsha1pq_u32(abcd, e, wk);
#else
    return vsha1pq_u32(abcd, e, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1m(vec abcd, std::uint32_t e, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return __builtin_neon_vsha1mq_u32(abcd, e, wk);
#else
    return vsha1mq_u32(abcd, e, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE std::uint32_t sha1h(std::uint32_t a) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return __builtin_neon_vsha1h_u32(a);
#else
    return vsha1h_u32(a);
#endif
}

#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
// The Clang builtins of the vector-only instructions take byte vectors and the code of the
// element type (clang's NeonTypeFlags: 32-bit unsigned, quad register).
inline constexpr int uint32x4_type_code = 50;
#endif

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1su0(vec w0, vec w4, vec w8) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(
        __builtin_neon_vsha1su0q_v(reinterpret_cast<int8x16_t>(w0), reinterpret_cast<int8x16_t>(w4),
                                   reinterpret_cast<int8x16_t>(w8), uint32x4_type_code));
#else
    return vsha1su0q_u32(w0, w4, w8);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha1su1(vec partial, vec w12) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(__builtin_neon_vsha1su1q_v(
        reinterpret_cast<int8x16_t>(partial), reinterpret_cast<int8x16_t>(w12), uint32x4_type_code));
#else
    return vsha1su1q_u32(partial, w12);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha256h(vec abcd, vec efgh, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(
        __builtin_neon_vsha256hq_v(reinterpret_cast<int8x16_t>(abcd), reinterpret_cast<int8x16_t>(efgh),
                                   reinterpret_cast<int8x16_t>(wk), uint32x4_type_code));
#else
    return vsha256hq_u32(abcd, efgh, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha256h2(vec efgh, vec abcd, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(
        __builtin_neon_vsha256h2q_v(reinterpret_cast<int8x16_t>(efgh), reinterpret_cast<int8x16_t>(abcd),
                                    reinterpret_cast<int8x16_t>(wk), uint32x4_type_code));
#else
    return vsha256h2q_u32(efgh, abcd, wk);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha256su0(vec w0, vec w4) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(__builtin_neon_vsha256su0q_v(
        reinterpret_cast<int8x16_t>(w0), reinterpret_cast<int8x16_t>(w4), uint32x4_type_code));
#else
    return vsha256su0q_u32(w0, w4);
#endif
}

TWOFACTOR_DETAIL_ARMV8_INLINE vec sha256su1(vec partial, vec w8, vec w12) noexcept {
#if defined(TWOFACTOR_DETAIL_ARMV8_BUILTINS)
    return reinterpret_cast<vec>(
        __builtin_neon_vsha256su1q_v(reinterpret_cast<int8x16_t>(partial), reinterpret_cast<int8x16_t>(w8),
                                     reinterpret_cast<int8x16_t>(w12), uint32x4_type_code));
#else
    return vsha256su1q_u32(partial, w8, w12);
#endif
}

/// Four big-endian message words W[t..t+3] from 16 bytes, W[t] in lane 0.
TWOFACTOR_DETAIL_ARMV8_INLINE vec load_message(const std::byte* p) noexcept {
    return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(reinterpret_cast<const std::uint8_t*>(p))));
}

}  // namespace armv8

// ---------------------------------------------------------------------------------------------
// SHA-1. The state is ABCD in one register (A in lane 0) and E in a general register; each group g
// of four rounds consumes W[4g..4g+3] from a ring of four registers.

template <std::size_t Lanes>
struct sha1_armv8_lanes_state {
    armv8::vec abcd[Lanes];
    std::uint32_t e[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha1_armv8_group(sha1_armv8_lanes_state<Lanes>& s,
                                                    armv8::vec (&w)[Lanes][4]) noexcept {
    constexpr std::uint32_t k[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};
    const armv8::vec round_constant = vdupq_n_u32(k[G / 5]);
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[4g..4g+3] from W[4g-16..4g-1]; the ring slot g%4 still holds W[4g-16..4g-13].
            w[l][G % 4] = armv8::sha1su1(armv8::sha1su0(w[l][G % 4], w[l][(G + 1) % 4], w[l][(G + 2) % 4]),
                                         w[l][(G + 3) % 4]);
        }
        const armv8::vec wk = vaddq_u32(w[l][G % 4], round_constant);
        // E of the next group is A of this one rotated by 30 (E <- D <- C <- rol30(B) <- A).
        const std::uint32_t next_e = armv8::sha1h(vgetq_lane_u32(s.abcd[l], 0));
        if constexpr (G < 5) {
            s.abcd[l] = armv8::sha1c(s.abcd[l], s.e[l], wk);  // rounds 0-19: Ch
        } else if constexpr (G >= 10 && G < 15) {
            s.abcd[l] = armv8::sha1m(s.abcd[l], s.e[l], wk);  // rounds 40-59: Maj
        } else {
            s.abcd[l] = armv8::sha1p(s.abcd[l], s.e[l], wk);  // rounds 20-39, 60-79: Parity
        }
        s.e[l] = next_e;
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha1_armv8_groups(sha1_armv8_lanes_state<Lanes>& s,
                                                     armv8::vec (&w)[Lanes][4],
                                                     std::index_sequence<G...>) noexcept {
    (sha1_armv8_group<G>(s, w), ...);
}

// One block per lane: blocks[l] is compressed into lane l.
template <std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha1_armv8_compress_block(
    sha1_armv8_lanes_state<Lanes>& s, const std::byte* const (&blocks)[Lanes]) noexcept {
    armv8::vec w[Lanes][4];
    const sha1_armv8_lanes_state<Lanes> saved = s;
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        for (std::size_t i = 0; i < 4; ++i) {
            w[l][i] = armv8::load_message(blocks[l] + 16 * i);
        }
    }
    sha1_armv8_groups(s, w, std::make_index_sequence<20>{});
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abcd[l] = vaddq_u32(s.abcd[l], saved.abcd[l]);
        s.e[l] += saved.e[l];
    }
}

/// SHA-1 compression of `block_count` consecutive 64-byte blocks with the ARMv8 SHA instructions.
/// Precondition: cpu_has_armv8_sha().
TWOFACTOR_DETAIL_ARMV8_TARGET inline void sha1_compress_armv8(sha1_state& state, const std::byte* blocks,
                                                              std::size_t block_count) noexcept {
    sha1_armv8_lanes_state<1> s;
    s.abcd[0] = vld1q_u32(state.data());
    s.e[0] = state[4];
    for (; block_count != 0; --block_count, blocks += 64) {
        const std::byte* const block[1] = {blocks};
        sha1_armv8_compress_block(s, block);
    }
    vst1q_u32(state.data(), s.abcd[0]);
    state[4] = s.e[0];
}

/// Compresses blocks[l] into states[l] for every lane, interleaved. Precondition: cpu_has_armv8_sha().
template <std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_TARGET void sha1_compress_lanes_armv8(
    std::array<sha1_state, Lanes>& states,
    const std::array<std::array<std::byte, 64>, Lanes>& blocks) noexcept {
    sha1_armv8_lanes_state<Lanes> s;
    const std::byte* block_pointers[Lanes];
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abcd[l] = vld1q_u32(states[l].data());
        s.e[l] = states[l][4];
        block_pointers[l] = blocks[l].data();
    }
    sha1_armv8_compress_block(s, block_pointers);
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        vst1q_u32(states[l].data(), s.abcd[l]);
        states[l][4] = s.e[l];
    }
}

// ---------------------------------------------------------------------------------------------
// SHA-256. The state is ABCD and EFGH in two registers (A and E in lane 0), exactly the word order
// of sha256_state; each group g of four rounds consumes W[4g..4g+3] + K[4g..4g+3].

template <std::size_t Lanes>
struct sha256_armv8_lanes_state {
    armv8::vec abcd[Lanes];
    armv8::vec efgh[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha256_armv8_group(sha256_armv8_lanes_state<Lanes>& s,
                                                      armv8::vec (&w)[Lanes][4]) noexcept {
    const armv8::vec round_constants = vld1q_u32(sha256_round_constants.data() + 4 * G);
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]; the ring slot g%4 holds W[4g-16..4g-13].
            w[l][G % 4] = armv8::sha256su1(armv8::sha256su0(w[l][G % 4], w[l][(G + 1) % 4]),
                                           w[l][(G + 2) % 4], w[l][(G + 3) % 4]);
        }
        const armv8::vec wk = vaddq_u32(w[l][G % 4], round_constants);
        const armv8::vec abcd = s.abcd[l];  // SHA256H2 needs ABCD from before the rounds
        s.abcd[l] = armv8::sha256h(abcd, s.efgh[l], wk);
        s.efgh[l] = armv8::sha256h2(s.efgh[l], abcd, wk);
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha256_armv8_groups(sha256_armv8_lanes_state<Lanes>& s,
                                                       armv8::vec (&w)[Lanes][4],
                                                       std::index_sequence<G...>) noexcept {
    (sha256_armv8_group<G>(s, w), ...);
}

template <std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_INLINE void sha256_armv8_compress_block(
    sha256_armv8_lanes_state<Lanes>& s, const std::byte* const (&blocks)[Lanes]) noexcept {
    armv8::vec w[Lanes][4];
    const sha256_armv8_lanes_state<Lanes> saved = s;
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        for (std::size_t i = 0; i < 4; ++i) {
            w[l][i] = armv8::load_message(blocks[l] + 16 * i);
        }
    }
    sha256_armv8_groups(s, w, std::make_index_sequence<16>{});
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abcd[l] = vaddq_u32(s.abcd[l], saved.abcd[l]);
        s.efgh[l] = vaddq_u32(s.efgh[l], saved.efgh[l]);
    }
}

/// SHA-256 compression of `block_count` consecutive 64-byte blocks with the ARMv8 SHA instructions.
/// Precondition: cpu_has_armv8_sha().
TWOFACTOR_DETAIL_ARMV8_TARGET inline void sha256_compress_armv8(sha256_state& state, const std::byte* blocks,
                                                                std::size_t block_count) noexcept {
    sha256_armv8_lanes_state<1> s;
    s.abcd[0] = vld1q_u32(state.data());
    s.efgh[0] = vld1q_u32(state.data() + 4);
    for (; block_count != 0; --block_count, blocks += 64) {
        const std::byte* const block[1] = {blocks};
        sha256_armv8_compress_block(s, block);
    }
    vst1q_u32(state.data(), s.abcd[0]);
    vst1q_u32(state.data() + 4, s.efgh[0]);
}

/// Compresses blocks[l] into states[l] for every lane, interleaved. Precondition: cpu_has_armv8_sha().
template <std::size_t Lanes>
TWOFACTOR_DETAIL_ARMV8_TARGET void sha256_compress_lanes_armv8(
    std::array<sha256_state, Lanes>& states,
    const std::array<std::array<std::byte, 64>, Lanes>& blocks) noexcept {
    sha256_armv8_lanes_state<Lanes> s;
    const std::byte* block_pointers[Lanes];
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abcd[l] = vld1q_u32(states[l].data());
        s.efgh[l] = vld1q_u32(states[l].data() + 4);
        block_pointers[l] = blocks[l].data();
    }
    sha256_armv8_compress_block(s, block_pointers);
    TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        vst1q_u32(states[l].data(), s.abcd[l]);
        vst1q_u32(states[l].data() + 4, s.efgh[l]);
    }
}

}  // namespace twofactor::inline v1::detail

#undef TWOFACTOR_DETAIL_ARMV8_TARGET
#undef TWOFACTOR_DETAIL_ARMV8_INLINE
#undef TWOFACTOR_DETAIL_ARMV8_UNROLL_LANES
#undef TWOFACTOR_DETAIL_ARMV8_BUILTINS

#endif  // little-endian AArch64

#endif  // TWOFACTOR_DETAIL_SHA_ARMV8_HPP_INCLUDED
// ---- end twofactor/detail/sha_armv8.hpp ----

// ---- begin twofactor/detail/sha_ni.hpp ----
// SHA-1 and SHA-256 compression with the x86 SHA extensions (SHA-NI).
// Specs: FIPS 180-4 §6.1.2 and §6.2.2; instruction semantics: Intel SDM Vol. 2 (SHA1RNDS4, SHA1NEXTE,
// SHA1MSG1/2, SHA256RNDS2, SHA256MSG1/2). Results are bit-identical to detail/sha1.hpp and detail/sha2.hpp.
//
// Only compiled for x86-64. Every function carries a target attribute, so no global -msha is needed;
// callers must check cpu_has_sha_ni() (detail/cpu_features.hpp) before calling.
//
// The lane kernels compress one block for each of `Lanes` independent states with the instructions
// of all lanes interleaved group by group, so that the latency of one lane's SHA1RNDS4/SHA256RNDS2
// chain is hidden behind the others' (instruction-level parallelism).
#ifndef TWOFACTOR_DETAIL_SHA_NI_HPP_INCLUDED
#define TWOFACTOR_DETAIL_SHA_NI_HPP_INCLUDED


#if defined(__x86_64__) || defined(_M_X64)

// MSVC uses the intrinsics of <immintrin.h>; GCC and Clang (also clang-cl) the builtins behind them.
#if defined(_MSC_VER) && !defined(__clang__)
#define TWOFACTOR_DETAIL_SHA_NI_INTRINSICS
#include <immintrin.h>
#endif

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>


#if defined(__GNUC__) || defined(__clang__)
#define TWOFACTOR_DETAIL_SHA_NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define TWOFACTOR_DETAIL_SHA_NI_INLINE __attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline
#define TWOFACTOR_DETAIL_UNROLL_LANES _Pragma("GCC unroll 16")
#else
#define TWOFACTOR_DETAIL_SHA_NI_TARGET
#define TWOFACTOR_DETAIL_SHA_NI_INLINE __forceinline
#define TWOFACTOR_DETAIL_UNROLL_LANES
#endif

namespace twofactor::inline v1::detail {

// ---------------------------------------------------------------------------------------------
// The instructions used, one function each, named after their Intel intrinsics (_mm_<name>).
// GCC and Clang get the compiler builtins the intrinsics are made of, on vector types of our own,
// because <immintrin.h> declares every x86 extension up to AVX-512: including it cost 0.6 s of CPU
// per translation unit with GCC 12, a sixth of benchmarks/compile_time.sh's twofactor figure.
// Immediate operands are template arguments, so they are constants even at -O0.
namespace sha_ni {

#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
using vec = __m128i;
#else
// typedef, not using: Clang ignores the aligned attribute in an alias declaration.
typedef int vec __attribute__((vector_size(16)));  // the argument type of the SHA builtins
typedef int vec_unaligned __attribute__((vector_size(16), aligned(1), may_alias));
typedef unsigned v4su __attribute__((vector_size(16)));
typedef long long v2di __attribute__((vector_size(16)));
typedef short v8hi __attribute__((vector_size(16)));
typedef char v16qi __attribute__((vector_size(16)));
#endif

TWOFACTOR_DETAIL_SHA_NI_INLINE vec loadu(const void* p) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_loadu_si128(static_cast<const __m128i*>(p));
#else
    return *static_cast<const vec_unaligned*>(p);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void storeu(void* p, vec v) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    _mm_storeu_si128(static_cast<__m128i*>(p), v);
#else
    *static_cast<vec_unaligned*>(p) = v;
#endif
}

/// Lanes from most to least significant, as _mm_set_epi32.
TWOFACTOR_DETAIL_SHA_NI_INLINE vec set_epi32(std::uint32_t e3, std::uint32_t e2, std::uint32_t e1,
                                             std::uint32_t e0) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_set_epi32(static_cast<int>(e3), static_cast<int>(e2), static_cast<int>(e1),
                         static_cast<int>(e0));
#else
    return reinterpret_cast<vec>(v4su{e0, e1, e2, e3});
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec set_epi64x(std::uint64_t e1, std::uint64_t e0) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_set_epi64x(static_cast<long long>(e1), static_cast<long long>(e0));
#else
    return reinterpret_cast<vec>(v2di{static_cast<long long>(e0), static_cast<long long>(e1)});
#endif
}

template <int Lane>
TWOFACTOR_DETAIL_SHA_NI_INLINE std::uint32_t extract_epi32(vec v) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return static_cast<std::uint32_t>(_mm_extract_epi32(v, Lane));
#else
    return reinterpret_cast<v4su>(v)[Lane];
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec add_epi32(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_add_epi32(a, b);
#else
    return reinterpret_cast<vec>(reinterpret_cast<v4su>(a) + reinterpret_cast<v4su>(b));  // wraps around
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec xor_si128(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_xor_si128(a, b);
#else
    return a ^ b;
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec shuffle_epi8(vec v, vec mask) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_shuffle_epi8(v, mask);
#else
    return reinterpret_cast<vec>(
        __builtin_ia32_pshufb128(reinterpret_cast<v16qi>(v), reinterpret_cast<v16qi>(mask)));
#endif
}

template <int Mask>
TWOFACTOR_DETAIL_SHA_NI_INLINE vec shuffle_epi32(vec v) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_shuffle_epi32(v, Mask);
#else
    return __builtin_ia32_pshufd(v, Mask);
#endif
}

template <int Bytes>
TWOFACTOR_DETAIL_SHA_NI_INLINE vec alignr_epi8(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_alignr_epi8(a, b, Bytes);
#elif defined(__clang__)
    return reinterpret_cast<vec>(
        __builtin_ia32_palignr128(reinterpret_cast<v16qi>(a), reinterpret_cast<v16qi>(b), Bytes));
#else
    return reinterpret_cast<vec>(  // GCC's builtin counts bits
        __builtin_ia32_palignr128(reinterpret_cast<v2di>(a), reinterpret_cast<v2di>(b), Bytes * 8));
#endif
}

template <int Mask>
TWOFACTOR_DETAIL_SHA_NI_INLINE vec blend_epi16(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_blend_epi16(a, b, Mask);
#else
    return reinterpret_cast<vec>(
        __builtin_ia32_pblendw128(reinterpret_cast<v8hi>(a), reinterpret_cast<v8hi>(b), Mask));
#endif
}

template <int Function>
TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha1rnds4(vec abcd, vec e_plus_w) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha1rnds4_epu32(abcd, e_plus_w, Function);
#else
    return __builtin_ia32_sha1rnds4(abcd, e_plus_w, Function);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha1nexte(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha1nexte_epu32(a, b);
#else
    return __builtin_ia32_sha1nexte(a, b);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha1msg1(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha1msg1_epu32(a, b);
#else
    return __builtin_ia32_sha1msg1(a, b);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha1msg2(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha1msg2_epu32(a, b);
#else
    return __builtin_ia32_sha1msg2(a, b);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha256rnds2(vec cdgh, vec abef, vec wk) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha256rnds2_epu32(cdgh, abef, wk);
#else
    return __builtin_ia32_sha256rnds2(cdgh, abef, wk);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha256msg1(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha256msg1_epu32(a, b);
#else
    return __builtin_ia32_sha256msg1(a, b);
#endif
}

TWOFACTOR_DETAIL_SHA_NI_INLINE vec sha256msg2(vec a, vec b) noexcept {
#if defined(TWOFACTOR_DETAIL_SHA_NI_INTRINSICS)
    return _mm_sha256msg2_epu32(a, b);
#else
    return __builtin_ia32_sha256msg2(a, b);
#endif
}

}  // namespace sha_ni

// ---------------------------------------------------------------------------------------------
// SHA-1. The state is kept as ABCD (A in the most significant lane) plus E in the top lane of a
// second register; each group g of four rounds consumes W[4g..4g+3] from a ring of four registers.

TWOFACTOR_DETAIL_SHA_NI_INLINE sha_ni::vec sha1_ni_load_message(const std::byte* p) noexcept {
    // Reverses all 16 bytes: big-endian words, and W[t] ends up in the most significant lane.
    const sha_ni::vec mask = sha_ni::set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    return sha_ni::shuffle_epi8(sha_ni::loadu(p), mask);
}

template <std::size_t Lanes>
struct sha1_ni_lanes_state {
    sha_ni::vec abcd[Lanes];
    sha_ni::vec e[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_group(sha1_ni_lanes_state<Lanes>& s, sha_ni::vec (&prev)[Lanes],
                                                  sha_ni::vec (&w)[Lanes][4]) noexcept {
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[4g..4g+3] from W[4g-16..4g-1]; the ring slot g%4 still holds W[4g-16..4g-13].
            w[l][G % 4] = sha_ni::sha1msg2(
                sha_ni::xor_si128(sha_ni::sha1msg1(w[l][G % 4], w[l][(G + 1) % 4]), w[l][(G + 2) % 4]),
                w[l][(G + 3) % 4]);
        }
        sha_ni::vec e_plus_w;
        if constexpr (G == 0) {
            e_plus_w = sha_ni::add_epi32(s.e[l], w[l][0]);
        } else {
            e_plus_w = sha_ni::sha1nexte(prev[l], w[l][G % 4]);
        }
        prev[l] = s.abcd[l];
        s.abcd[l] = sha_ni::sha1rnds4<static_cast<int>(G / 5)>(s.abcd[l], e_plus_w);
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_groups(sha1_ni_lanes_state<Lanes>& s, sha_ni::vec (&prev)[Lanes],
                                                   sha_ni::vec (&w)[Lanes][4],
                                                   std::index_sequence<G...>) noexcept {
    (sha1_ni_group<G>(s, prev, w), ...);
}

// One block per lane: blocks[l] is compressed into lane l.
template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_compress_block(sha1_ni_lanes_state<Lanes>& s,
                                                           const std::byte* const (&blocks)[Lanes]) noexcept {
    sha_ni::vec w[Lanes][4];
    sha_ni::vec prev[Lanes];
    const sha1_ni_lanes_state<Lanes> saved = s;
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        for (std::size_t i = 0; i < 4; ++i) {
            w[l][i] = sha1_ni_load_message(blocks[l] + 16 * i);
        }
    }
    sha1_ni_groups(s, prev, w, std::make_index_sequence<20>{});
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.e[l] = sha_ni::sha1nexte(prev[l], saved.e[l]);  // rol(A of round 76, 30) + E_saved
        s.abcd[l] = sha_ni::add_epi32(s.abcd[l], saved.abcd[l]);
    }
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_load_state(const sha1_state& state, sha_ni::vec& abcd,
                                                       sha_ni::vec& e) noexcept {
    abcd = sha_ni::shuffle_epi32<0x1b>(sha_ni::loadu(state.data()));
    e = sha_ni::set_epi32(state[4], 0, 0, 0);
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha1_ni_store_state(sha1_state& state, sha_ni::vec abcd,
                                                        sha_ni::vec e) noexcept {
    sha_ni::storeu(state.data(), sha_ni::shuffle_epi32<0x1b>(abcd));
    state[4] = sha_ni::extract_epi32<3>(e);
}

/// SHA-1 compression of `block_count` consecutive 64-byte blocks with SHA-NI. Precondition: cpu_has_sha_ni().
TWOFACTOR_DETAIL_SHA_NI_TARGET inline void sha1_compress_sha_ni(sha1_state& state, const std::byte* blocks,
                                                                std::size_t block_count) noexcept {
    sha1_ni_lanes_state<1> s;
    sha1_ni_load_state(state, s.abcd[0], s.e[0]);
    for (; block_count != 0; --block_count, blocks += 64) {
        const std::byte* const block[1] = {blocks};
        sha1_ni_compress_block(s, block);
    }
    sha1_ni_store_state(state, s.abcd[0], s.e[0]);
}

/// Compresses blocks[l] into states[l] for every lane, interleaved. Precondition: cpu_has_sha_ni().
template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_TARGET void sha1_compress_lanes_sha_ni(
    std::array<sha1_state, Lanes>& states,
    const std::array<std::array<std::byte, 64>, Lanes>& blocks) noexcept {
    sha1_ni_lanes_state<Lanes> s;
    const std::byte* block_pointers[Lanes];
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        sha1_ni_load_state(states[l], s.abcd[l], s.e[l]);
        block_pointers[l] = blocks[l].data();
    }
    sha1_ni_compress_block(s, block_pointers);
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        sha1_ni_store_state(states[l], s.abcd[l], s.e[l]);
    }
}

// ---------------------------------------------------------------------------------------------
// SHA-256. SHA256RNDS2 works on the state split as ABEF and CDGH (A in the most significant lane);
// each group g of four rounds consumes W[4g..4g+3] + K[4g..4g+3] in two double rounds.

TWOFACTOR_DETAIL_SHA_NI_INLINE sha_ni::vec sha256_ni_load_message(const std::byte* p) noexcept {
    // Byte-swaps each 32-bit word; W[t] stays in lane t % 4.
    const sha_ni::vec mask = sha_ni::set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    return sha_ni::shuffle_epi8(sha_ni::loadu(p), mask);
}

template <std::size_t Lanes>
struct sha256_ni_lanes_state {
    sha_ni::vec abef[Lanes];
    sha_ni::vec cdgh[Lanes];
};

template <std::size_t G, std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_group(sha256_ni_lanes_state<Lanes>& s,
                                                    sha_ni::vec (&w)[Lanes][4]) noexcept {
    constexpr auto& k = sha256_round_constants;
    const sha_ni::vec round_constants = sha_ni::set_epi32(k[4 * G + 3], k[4 * G + 2], k[4 * G + 1], k[4 * G]);
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        if constexpr (G >= 4) {
            // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]; the ring slot g%4 holds W[4g-16..4g-13].
            const sha_ni::vec w_minus_7 = sha_ni::alignr_epi8<4>(w[l][(G + 3) % 4], w[l][(G + 2) % 4]);
            w[l][G % 4] = sha_ni::sha256msg2(
                sha_ni::add_epi32(sha_ni::sha256msg1(w[l][G % 4], w[l][(G + 1) % 4]), w_minus_7),
                w[l][(G + 3) % 4]);
        }
        const sha_ni::vec wk = sha_ni::add_epi32(w[l][G % 4], round_constants);
        s.cdgh[l] = sha_ni::sha256rnds2(s.cdgh[l], s.abef[l], wk);  // now holds the new ABEF
        // The old ABEF is the CDGH of two rounds later; the result is the ABEF of four rounds later,
        // and the intermediate ABEF (in cdgh) is their CDGH: the roles are back in place.
        s.abef[l] = sha_ni::sha256rnds2(s.abef[l], s.cdgh[l], sha_ni::shuffle_epi32<0x0e>(wk));
    }
}

template <std::size_t Lanes, std::size_t... G>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_groups(sha256_ni_lanes_state<Lanes>& s,
                                                     sha_ni::vec (&w)[Lanes][4],
                                                     std::index_sequence<G...>) noexcept {
    (sha256_ni_group<G>(s, w), ...);
}

template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_compress_block(
    sha256_ni_lanes_state<Lanes>& s, const std::byte* const (&blocks)[Lanes]) noexcept {
    sha_ni::vec w[Lanes][4];
    const sha256_ni_lanes_state<Lanes> saved = s;
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        for (std::size_t i = 0; i < 4; ++i) {
            w[l][i] = sha256_ni_load_message(blocks[l] + 16 * i);
        }
    }
    sha256_ni_groups(s, w, std::make_index_sequence<16>{});
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        s.abef[l] = sha_ni::add_epi32(s.abef[l], saved.abef[l]);
        s.cdgh[l] = sha_ni::add_epi32(s.cdgh[l], saved.cdgh[l]);
    }
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_load_state(const sha256_state& state, sha_ni::vec& abef,
                                                         sha_ni::vec& cdgh) noexcept {
    const sha_ni::vec abcd = sha_ni::loadu(state.data());        // D C B A
    const sha_ni::vec efgh = sha_ni::loadu(state.data() + 4);    // H G F E
    const sha_ni::vec badc = sha_ni::shuffle_epi32<0xb1>(abcd);  // C D A B
    const sha_ni::vec hgfe = sha_ni::shuffle_epi32<0x1b>(efgh);  // E F G H
    abef = sha_ni::alignr_epi8<8>(badc, hgfe);                   // A B E F
    cdgh = sha_ni::blend_epi16<0xf0>(hgfe, badc);                // C D G H
}

TWOFACTOR_DETAIL_SHA_NI_INLINE void sha256_ni_store_state(sha256_state& state, sha_ni::vec abef,
                                                          sha_ni::vec cdgh) noexcept {
    const sha_ni::vec feba = sha_ni::shuffle_epi32<0x1b>(abef);  // F E B A
    const sha_ni::vec dchg = sha_ni::shuffle_epi32<0xb1>(cdgh);  // D C H G
    sha_ni::storeu(state.data(), sha_ni::blend_epi16<0xf0>(feba, dchg));
    sha_ni::storeu(state.data() + 4, sha_ni::alignr_epi8<8>(dchg, feba));
}

/// SHA-256 compression of `block_count` consecutive 64-byte blocks with SHA-NI. Precondition:
/// cpu_has_sha_ni().
TWOFACTOR_DETAIL_SHA_NI_TARGET inline void sha256_compress_sha_ni(sha256_state& state,
                                                                  const std::byte* blocks,
                                                                  std::size_t block_count) noexcept {
    sha256_ni_lanes_state<1> s;
    sha256_ni_load_state(state, s.abef[0], s.cdgh[0]);
    for (; block_count != 0; --block_count, blocks += 64) {
        const std::byte* const block[1] = {blocks};
        sha256_ni_compress_block(s, block);
    }
    sha256_ni_store_state(state, s.abef[0], s.cdgh[0]);
}

/// Compresses blocks[l] into states[l] for every lane, interleaved. Precondition: cpu_has_sha_ni().
template <std::size_t Lanes>
TWOFACTOR_DETAIL_SHA_NI_TARGET void sha256_compress_lanes_sha_ni(
    std::array<sha256_state, Lanes>& states,
    const std::array<std::array<std::byte, 64>, Lanes>& blocks) noexcept {
    sha256_ni_lanes_state<Lanes> s;
    const std::byte* block_pointers[Lanes];
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        sha256_ni_load_state(states[l], s.abef[l], s.cdgh[l]);
        block_pointers[l] = blocks[l].data();
    }
    sha256_ni_compress_block(s, block_pointers);
    TWOFACTOR_DETAIL_UNROLL_LANES
    for (std::size_t l = 0; l < Lanes; ++l) {
        sha256_ni_store_state(states[l], s.abef[l], s.cdgh[l]);
    }
}

}  // namespace twofactor::inline v1::detail

#undef TWOFACTOR_DETAIL_SHA_NI_INTRINSICS
#undef TWOFACTOR_DETAIL_SHA_NI_TARGET
#undef TWOFACTOR_DETAIL_SHA_NI_INLINE
#undef TWOFACTOR_DETAIL_UNROLL_LANES

#endif  // x86-64

#endif  // TWOFACTOR_DETAIL_SHA_NI_HPP_INCLUDED
// ---- end twofactor/detail/sha_ni.hpp ----

namespace twofactor::inline v1 {

/**
 * A fixed-size message digest of `N` bytes: a regular, constexpr value type.
 *
 * Equality (`==`) compares all N bytes in constant time: a digest is often a MAC tag or a key
 * derivation compared with an attacker-supplied value, and `==` must not tell how many leading
 * bytes matched.
 *
 *     constexpr twofactor::digest<20> d = twofactor::hash<twofactor::sha1>(bytes);
 *     std::span<const std::byte, 20> view = d;
 */
template <std::size_t N>
struct digest {
    /// The digest bytes, in the order the algorithm outputs them.
    std::array<std::byte, N> bytes{};

    /// Number of bytes, `N`.
    static constexpr std::size_t size() noexcept { return N; }

    /// Pointer to the first byte.
    constexpr std::byte* data() noexcept { return bytes.data(); }
    /// Pointer to the first byte.
    constexpr const std::byte* data() const noexcept { return bytes.data(); }

    /// Byte `i`. Precondition: `i < N`.
    constexpr std::byte& operator[](std::size_t i) noexcept { return bytes[i]; }
    /// Byte `i`. Precondition: `i < N`.
    constexpr const std::byte& operator[](std::size_t i) const noexcept { return bytes[i]; }

    /// Iterators over the bytes.
    constexpr auto begin() noexcept { return bytes.begin(); }
    constexpr auto begin() const noexcept { return bytes.begin(); }
    constexpr auto end() noexcept { return bytes.end(); }
    constexpr auto end() const noexcept { return bytes.end(); }

    /// Read-only view of the bytes.
    constexpr operator std::span<const std::byte, N>() const noexcept {
        return std::span<const std::byte, N>(bytes);
    }

    /// Byte-wise equality in constant time (no early exit; see the class documentation).
    [[nodiscard]] friend constexpr bool operator==(const digest& a, const digest& b) noexcept {
        return detail::equal(std::span<const std::byte>(a.bytes), std::span<const std::byte>(b.bytes));
    }
};

/**
 * hash_function: a cryptographic hash algorithm `H` usable as the `Hash` policy of hmac, hotp and totp.
 * Modelled on the "Hash Algorithm Requirements" of Boost.Hash2.
 *
 * Minimal complete definition
 *   - `H::block_size`: std::size_t constant, bytes per compression block (64 for SHA-1/SHA-256, 128 for
 * SHA-512).
 *   - `H::digest_size`: std::size_t constant, bytes of output (20, 32, 64).
 *   - `H::name`: std::string_view constant, the algorithm name exactly as written in the `algorithm=`
 *     parameter of an otpauth:// URI: "SHA1", "SHA256", "SHA512".
 *   - `H::digest_type`: exactly `digest<H::digest_size>`.
 *   - `H()`: a hash of the empty message (std::semiregular: default-constructible and copyable).
 *   - `h.update(std::span<const std::byte>)`, noexcept: absorbs bytes; may be called any number of times.
 *   - `h.finalize()`, noexcept: pads, and returns the digest of everything absorbed.
 *
 * Laws
 *   - Streaming: `update(a); update(b)` has the same effect as `update(a ++ b)` for every split.
 *   - `H h; h.update(m); h.finalize()` is the algorithm's digest of `m`.
 *   - A copy continues independently from the point where it was made.
 *   - After `finalize()` the object is in a valid but unspecified state: assign a fresh object
 *     (`h = H{}`) before using it again. Destroying or assigning it is always fine.
 *   - `update` and `finalize` do not throw.
 *
 * Concrete models
 *   - twofactor::sha1, twofactor::sha256, twofactor::sha512: constexpr, allocation-free, and they
 *     also model block_hash_function.
 *   - twofactor::openssl::sha1, sha256, sha512 (opt-in header twofactor/openssl.hpp).
 */
// (clang-format 14 splits `} noexcept ->` of compound requirements over two lines.)
// clang-format off
template <class H>
concept hash_function = std::semiregular<H> && requires(H h, std::span<const std::byte> bytes) {
    { H::block_size } -> std::convertible_to<std::size_t>;
    { H::digest_size } -> std::convertible_to<std::size_t>;
    { H::name } -> std::convertible_to<std::string_view>;
    typename H::digest_type;
    requires std::same_as<typename H::digest_type, digest<H::digest_size>>;
    { h.update(bytes) } noexcept;
    { h.finalize() } noexcept -> std::same_as<typename H::digest_type>;
};
// clang-format on

/**
 * block_hash_function: a hash_function of the Merkle–Damgård kind (FIPS 180-4) that also exposes its
 * compression function. hmac uses it to precompute the keyed states once and to hash short messages
 * in exactly one compression per block, several messages interleaved (compute_lanes). Optional:
 * hmac falls back to update/finalize for models without it.
 *
 * Minimal complete definition (in addition to hash_function)
 *   - `H::state_type`: trivially copyable chaining value (e.g. std::array<std::uint32_t, 5>).
 *   - `H::block_type`: exactly `std::array<std::byte, H::block_size>`.
 *   - `H::initial_state`: the state before any block (FIPS 180-4 §5.3).
 *   - `H::length_size`: bytes of the big-endian bit-length field that ends the padding: 8 or 16.
 *   - `H::compress(state, const std::byte* block)`, noexcept: absorbs one block.
 *   - `H::compress_blocks(state, const std::byte* blocks, std::size_t count)`, noexcept: absorbs
 *     `count` consecutive blocks.
 *   - `H::compress_lanes(std::array<state_type, L>& states, const std::array<block_type, L>& blocks)`,
 *     noexcept, a template over `L >= 1`: absorbs `blocks[i]` into `states[i]` for every lane,
 *     equivalent to `L` calls of `compress` but free to interleave them.
 *   - `H::state_to_digest(state)`, noexcept: the digest for a state (big-endian encoding of the words).
 *   - `H::resume(state, std::uint64_t block_count)`, noexcept: a streaming `H` that continues from
 *     `state` after `block_count` whole blocks have been absorbed.
 *
 * Laws
 *   - Padding is FIPS 180-4 §5.1: message, 0x80, zeros, then the message length in bits in the last
 *     `length_size` bytes of the last block; `H::digest_size + 1 + H::length_size <= H::block_size`.
 *   - `H h = H::resume(s, n); h.update(m); h.finalize()` equals compressing, from `s`, the padded
 *     encoding of `m` as if `n * block_size` bytes had preceded it.
 *   - `compress_lanes` gives exactly the results of `compress` on each lane.
 *
 * Concrete models
 *   - twofactor::sha1, twofactor::sha256 (SHA-NI or ARMv8 SHA at run time when available),
 *     twofactor::sha512.
 */
// clang-format off
template <class H>
concept block_hash_function = hash_function<H> &&
    requires(typename H::state_type& state, const typename H::state_type& const_state, const std::byte* block,
             std::size_t count, std::array<typename H::state_type, 1>& states,
             const std::array<typename H::block_type, 1>& lane_blocks) {
        typename H::state_type;
        typename H::block_type;
        requires std::is_trivially_copyable_v<typename H::state_type>;
        requires std::same_as<typename H::block_type, std::array<std::byte, H::block_size>>;
        { H::initial_state } -> std::convertible_to<typename H::state_type>;
        { H::length_size } -> std::convertible_to<std::size_t>;
        requires H::length_size == 8 || H::length_size == 16;
        requires H::digest_size + 1 + H::length_size <= H::block_size;
        { H::compress(state, block) } noexcept;
        { H::compress_blocks(state, block, count) } noexcept;
        { H::compress_lanes(states, lane_blocks) } noexcept;
        { H::state_to_digest(const_state) } noexcept -> std::same_as<typename H::digest_type>;
        { H::resume(const_state, std::uint64_t{}) } noexcept -> std::same_as<H>;
    };
// clang-format on

namespace detail {

/// Which compression code a built-in model uses. `automatic` is what the public models use:
/// SHA-NI (x86-64) or the ARMv8 SHA instructions (AArch64) at run time when the CPU has them,
/// portable otherwise and always in constant evaluation. `portable`, `sha_ni` and `armv8` force one
/// path at run time (tests, benchmarks); `sha_ni` requires cpu_has_sha_ni() and `armv8`
/// cpu_has_armv8_sha(); on another architecture either means portable. Results are identical on
/// every path.
enum class sha_path { automatic, portable, sha_ni, armv8 };

template <sha_path Path>
constexpr bool use_sha_ni() noexcept {
#if defined(__x86_64__) || defined(_M_X64)
    if (std::is_constant_evaluated()) {
        return false;
    }
    if constexpr (Path == sha_path::automatic) {
        return cpu_has_sha_ni();
    } else {
        return Path == sha_path::sha_ni;
    }
#else
    return false;
#endif
}

template <sha_path Path>
constexpr bool use_armv8_sha() noexcept {
#if defined(__aarch64__) && !defined(__AARCH64EB__)
    if (std::is_constant_evaluated()) {
        return false;
    }
    if constexpr (Path == sha_path::automatic) {
        return cpu_has_armv8_sha();
    } else {
        return Path == sha_path::armv8;
    }
#else
    return false;
#endif
}

template <sha_path Path = sha_path::automatic>
struct sha1_traits {
    using state_type = sha1_state;
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 20;
    static constexpr std::size_t length_size = 8;
    static constexpr std::string_view name = "SHA1";
    static constexpr state_type initial_state = sha1_initial_state;

    static constexpr void compress_blocks(state_type& state, const std::byte* blocks,
                                          std::size_t count) noexcept {
#if defined(__x86_64__) || defined(_M_X64)
        if (use_sha_ni<Path>()) {
            sha1_compress_sha_ni(state, blocks, count);
            return;
        }
#endif
#if defined(__aarch64__) && !defined(__AARCH64EB__)
        if (use_armv8_sha<Path>()) {
            sha1_compress_armv8(state, blocks, count);
            return;
        }
#endif
        sha1_compress_portable(state, blocks, count);
    }

    template <std::size_t Lanes>
    static constexpr void compress_lanes(
        std::array<state_type, Lanes>& states,
        const std::array<std::array<std::byte, block_size>, Lanes>& blocks) noexcept {
#if defined(__x86_64__) || defined(_M_X64)
        if (use_sha_ni<Path>()) {
            sha1_compress_lanes_sha_ni(states, blocks);
            return;
        }
#endif
#if defined(__aarch64__) && !defined(__AARCH64EB__)
        if (use_armv8_sha<Path>()) {
            sha1_compress_lanes_armv8(states, blocks);
            return;
        }
#endif
        for (std::size_t l = 0; l < Lanes; ++l) {
            sha1_compress_portable(states[l], blocks[l].data(), 1);
        }
    }
};

template <sha_path Path = sha_path::automatic>
struct sha256_traits {
    using state_type = sha256_state;
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 32;
    static constexpr std::size_t length_size = 8;
    static constexpr std::string_view name = "SHA256";
    static constexpr state_type initial_state = sha256_initial_state;

    static constexpr void compress_blocks(state_type& state, const std::byte* blocks,
                                          std::size_t count) noexcept {
#if defined(__x86_64__) || defined(_M_X64)
        if (use_sha_ni<Path>()) {
            sha256_compress_sha_ni(state, blocks, count);
            return;
        }
#endif
#if defined(__aarch64__) && !defined(__AARCH64EB__)
        if (use_armv8_sha<Path>()) {
            sha256_compress_armv8(state, blocks, count);
            return;
        }
#endif
        sha256_compress_portable(state, blocks, count);
    }

    template <std::size_t Lanes>
    static constexpr void compress_lanes(
        std::array<state_type, Lanes>& states,
        const std::array<std::array<std::byte, block_size>, Lanes>& blocks) noexcept {
#if defined(__x86_64__) || defined(_M_X64)
        if (use_sha_ni<Path>()) {
            sha256_compress_lanes_sha_ni(states, blocks);
            return;
        }
#endif
#if defined(__aarch64__) && !defined(__AARCH64EB__)
        if (use_armv8_sha<Path>()) {
            sha256_compress_lanes_armv8(states, blocks);
            return;
        }
#endif
        for (std::size_t l = 0; l < Lanes; ++l) {
            sha256_compress_portable(states[l], blocks[l].data(), 1);
        }
    }
};

struct sha512_traits {
    using state_type = sha512_state;
    static constexpr std::size_t block_size = 128;
    static constexpr std::size_t digest_size = 64;
    static constexpr std::size_t length_size = 16;
    static constexpr std::string_view name = "SHA512";
    static constexpr state_type initial_state = sha512_initial_state;

    static constexpr void compress_blocks(state_type& state, const std::byte* blocks,
                                          std::size_t count) noexcept {
        sha512_compress_portable(state, blocks, count);
    }

    template <std::size_t Lanes>
    static constexpr void compress_lanes(
        std::array<state_type, Lanes>& states,
        const std::array<std::array<std::byte, block_size>, Lanes>& blocks) noexcept {
        for (std::size_t l = 0; l < Lanes; ++l) {
            sha512_compress_portable(states[l], blocks[l].data(), 1);
        }
    }
};

/// The streaming Merkle–Damgård construction (FIPS 180-4 §5.1 padding, §6 processing) shared by the
/// built-in models; `Derived` is the model itself (CRTP, so that resume() returns it).
/// Traits supply the state type, sizes, name, initial state, compress_blocks and compress_lanes.
template <class Derived, class Traits>
class block_hash_base {
public:
    /// Bytes per compression block.
    static constexpr std::size_t block_size = Traits::block_size;
    /// Bytes of the digest.
    static constexpr std::size_t digest_size = Traits::digest_size;
    /// Algorithm name as used in otpauth:// URIs.
    static constexpr std::string_view name = Traits::name;
    /// The digest type, digest<digest_size>.
    using digest_type = digest<digest_size>;

    /// Block interface (see block_hash_function): the chaining value.
    using state_type = typename Traits::state_type;
    /// Block interface: one compression block.
    using block_type = std::array<std::byte, block_size>;
    /// Block interface: bytes of the bit-length field at the end of the padding.
    static constexpr std::size_t length_size = Traits::length_size;
    /// Block interface: the initial hash value.
    static constexpr state_type initial_state = Traits::initial_state;

    /// Absorbs `bytes`. Never fails.
    constexpr void update(std::span<const std::byte> bytes) noexcept {
        const std::byte* p = bytes.data();
        std::size_t n = bytes.size();
        std::size_t used = static_cast<std::size_t>(length_ % block_size);
        length_ += n;
        if (used != 0) {
            const std::size_t take = n < block_size - used ? n : block_size - used;
            detail::copy_bytes(buffer_.data() + used, p, take);
            p += take;
            n -= take;
            if (used + take < block_size) {
                return;
            }
            Traits::compress_blocks(state_, buffer_.data(), 1);
        }
        if (const std::size_t blocks = n / block_size; blocks != 0) {
            Traits::compress_blocks(state_, p, blocks);
            p += blocks * block_size;
            n -= blocks * block_size;
        }
        detail::copy_bytes(buffer_.data(), p, n);
    }

    /// Pads (FIPS 180-4 §5.1) and returns the digest. Wipes the internal buffer. Afterwards the object
    /// must be re-assigned (`h = sha1{}`) before it is used again.
    constexpr digest_type finalize() noexcept {
        std::size_t used = static_cast<std::size_t>(length_ % block_size);
        buffer_[used++] = std::byte{0x80};
        if (used > block_size - length_size) {
            fill_zero(used, block_size);
            Traits::compress_blocks(state_, buffer_.data(), 1);
            used = 0;
        }
        fill_zero(used, block_size - 8);
        if constexpr (length_size == 16) {
            detail::store_be64(buffer_.data() + block_size - 16,
                               length_ >> 61);  // high bits of the 128-bit length
        }
        detail::store_be64(buffer_.data() + block_size - 8, length_ << 3);
        Traits::compress_blocks(state_, buffer_.data(), 1);
        detail::secure_wipe(buffer_);
        return state_to_digest(state_);
    }

    /// Block interface: a streaming object continuing from `state` after `block_count` whole blocks.
    static constexpr Derived resume(const state_type& state, std::uint64_t block_count) noexcept {
        Derived result{};
        result.state_ = state;
        result.length_ = block_count * block_size;
        return result;
    }

    /// Block interface: absorbs the `block_size` bytes at `block` into `state`.
    static constexpr void compress(state_type& state, const std::byte* block) noexcept {
        Traits::compress_blocks(state, block, 1);
    }

    /// Block interface: absorbs `count` consecutive blocks starting at `blocks` into `state`.
    static constexpr void compress_blocks(state_type& state, const std::byte* blocks,
                                          std::size_t count) noexcept {
        Traits::compress_blocks(state, blocks, count);
    }

    /// Block interface: absorbs `blocks[i]` into `states[i]` for each lane, interleaving the lanes'
    /// instructions where the hardware path allows it. Same results as `Lanes` calls of compress().
    template <std::size_t Lanes>
    requires(Lanes >=
             1) static constexpr void compress_lanes(std::array<state_type, Lanes>& states,
                                                     const std::array<block_type, Lanes>& blocks) noexcept {
        Traits::compress_lanes(states, blocks);
    }

    /// Block interface: the digest of a final state (each word big-endian).
    static constexpr digest_type state_to_digest(const state_type& state) noexcept {
        digest_type result;
        using word = typename state_type::value_type;
        for (std::size_t i = 0; i < digest_size / sizeof(word); ++i) {
            if constexpr (sizeof(word) == 4) {
                detail::store_be32(result.data() + 4 * i, state[i]);
            } else {
                detail::store_be64(result.data() + 8 * i, state[i]);
            }
        }
        return result;
    }

private:
    constexpr void fill_zero(std::size_t from, std::size_t to) noexcept {
        for (std::size_t i = from; i < to; ++i) {
            buffer_[i] = std::byte{0};
        }
    }

    state_type state_ = Traits::initial_state;
    block_type buffer_{};
    std::uint64_t length_ = 0;  // bytes absorbed so far
};

}  // namespace detail

/**
 * SHA-1 (FIPS 180-4 §6.1): 64-byte blocks, 20-byte digest, name "SHA1".
 * constexpr; at run time it uses SHA-NI or the ARMv8 SHA instructions when the CPU has them
 * (identical results).
 * Models hash_function and block_hash_function. SHA-1 is still the default of RFC 6238 authenticator
 * apps; its collision weakness does not affect HMAC-SHA-1.
 *
 *     constexpr std::array abc{std::byte{'a'}, std::byte{'b'}, std::byte{'c'}};
 *     static_assert(twofactor::hash<twofactor::sha1>(abc)[0] == std::byte{0xa9});
 */
struct sha1 : detail::block_hash_base<sha1, detail::sha1_traits<>> {};
static_assert(hash_function<sha1>);
static_assert(block_hash_function<sha1>);

/**
 * SHA-256 (FIPS 180-4 §6.2): 64-byte blocks, 32-byte digest, name "SHA256".
 * constexpr; at run time it uses SHA-NI or the ARMv8 SHA instructions when the CPU has them
 * (identical results).
 * Models hash_function and block_hash_function.
 */
struct sha256 : detail::block_hash_base<sha256, detail::sha256_traits<>> {};
static_assert(hash_function<sha256>);
static_assert(block_hash_function<sha256>);

/**
 * SHA-512 (FIPS 180-4 §6.4): 128-byte blocks, 64-byte digest, name "SHA512".
 * constexpr; portable fully unrolled code at run time (no SHA-512 instructions are targeted).
 * Models hash_function and block_hash_function.
 */
struct sha512 : detail::block_hash_base<sha512, detail::sha512_traits> {};
static_assert(hash_function<sha512>);
static_assert(block_hash_function<sha512>);

/**
 * One-shot hash of `message` with any hash_function.
 *
 *     std::string_view text = "abc";
 *     auto d = twofactor::hash<twofactor::sha256>(std::as_bytes(std::span(text)));
 */
template <hash_function H>
constexpr typename H::digest_type hash(std::span<const std::byte> message) noexcept {
    H h;
    h.update(message);
    return h.finalize();
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_HASH_HPP_INCLUDED
// ---- end twofactor/hash.hpp ----

// ---- begin twofactor/hmac.hpp ----
// HMAC over any hash_function. Spec: RFC 2104 (HMAC: Keyed-Hashing for Message Authentication),
// also FIPS 198-1; test vectors in RFC 2202 (SHA-1) and RFC 4231 (SHA-2).
#ifndef TWOFACTOR_HMAC_HPP_INCLUDED
#define TWOFACTOR_HMAC_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>


namespace twofactor::inline v1 {

namespace detail {

// What hmac keeps per pad: the bare chaining value for block hashes, a whole hash object otherwise.
template <class Hash>
struct hmac_keyed_state {
    using type = Hash;
};
template <block_hash_function Hash>
struct hmac_keyed_state<Hash> {
    using type = typename Hash::state_type;
};

// Bytes of the length field closing the padding: exact for block hashes; for other models the
// Merkle-Damgard convention of the SHA family (16 bytes for 128-byte blocks, else 8). Only used to
// constrain compute_lanes.
template <class Hash>
inline constexpr std::size_t hmac_length_field_size = Hash::block_size >= 128 ? 16 : 8;
template <block_hash_function Hash>
inline constexpr std::size_t hmac_length_field_size<Hash> = Hash::length_size;

// Ends a final block with the big-endian bit length of a `byte_count`-byte message.
template <block_hash_function Hash>
constexpr void hmac_store_bit_length(typename Hash::block_type& block, std::uint64_t byte_count) noexcept {
    static_assert(Hash::length_size == 8 || Hash::length_size == 16);
    if constexpr (Hash::length_size == 16) {
        store_be64(block.data() + Hash::block_size - 16, byte_count >> 61);
    }
    store_be64(block.data() + Hash::block_size - 8, byte_count << 3);
}

}  // namespace detail

/**
 * HMAC (RFC 2104) keyed with a key of any length, over any hash_function `Hash`.
 *
 * The key is processed once, in the constructor: a key longer than `Hash::block_size` is hashed
 * first (RFC 2104 §2), then the hash states after absorbing key^ipad and key^opad are stored.
 * compute() then costs the message's blocks plus one outer compression; for a message of at most
 * `block_size - 1 - length_size` bytes (55 for SHA-1/SHA-256, 111 for SHA-512; e.g. the 8-byte HOTP
 * counter) that is exactly two compression calls, with the padded block built directly on the stack.
 * For models of block_hash_function the stored states are bare chaining values; other models
 * (e.g. twofactor::openssl::sha256) are driven through update()/finalize() on copies.
 *
 * The object holds no copy of the key. The keyed states and the streaming state are wiped in the
 * destructor (detail::secure_wipe) for block hashes; other models must clean up themselves (the
 * OpenSSL ones do, in EVP_MD_CTX_free). Copyable; copies are independent. Never throws, never allocates
 * (except inside non-built-in hash models).
 *
 *     twofactor::hmac_sha1 mac(secret);                      // keyed once
 *     twofactor::digest<20> tag = mac.compute(counter_bytes); // reusable, const
 */
template <hash_function Hash>
class hmac {
public:
    /// The hash policy.
    using hash_type = Hash;
    /// The MAC value type, `digest<Hash::digest_size>` (truncate it yourself where a protocol says so).
    using digest_type = typename Hash::digest_type;

    /// Keyed with the empty key (RFC 2104 allows keys of any length, including zero).
    constexpr hmac() noexcept : hmac(std::span<const std::byte>{}) {}

    /// Keyed with `key`, of any length. Keys longer than `Hash::block_size` are hashed first;
    /// RFC 2104 §3 recommends at least `Hash::digest_size` bytes of random key.
    constexpr explicit hmac(std::span<const std::byte> key) noexcept {
        pad_block key_block{};
        if (key.size() > Hash::block_size) {
            digest_type hashed_key = hash<Hash>(key);
            detail::copy_bytes(key_block.data(), hashed_key.data(), hashed_key.size());
            detail::secure_wipe(hashed_key.bytes);
        } else {
            detail::copy_bytes(key_block.data(), key.data(), key.size());
        }
        pad_block pad{};
        for (std::size_t i = 0; i < Hash::block_size; ++i) {
            pad[i] = key_block[i] ^ std::byte{0x36};  // ipad
        }
        absorb_pad(inner_, pad);
        for (std::size_t i = 0; i < Hash::block_size; ++i) {
            pad[i] = key_block[i] ^ std::byte{0x5c};  // opad
        }
        absorb_pad(outer_, pad);
        detail::secure_wipe(key_block);
        detail::secure_wipe(pad);
        reset_stream();
    }

    /// Copies the keyed states (and the streaming state).
    hmac(const hmac&) = default;
    /// Copies the keyed states (and the streaming state).
    hmac& operator=(const hmac&) = default;

    /// Wipes the keyed states and the streaming state.
    constexpr ~hmac() {
        if constexpr (is_block_hash) {
            detail::secure_wipe(inner_);
            detail::secure_wipe(outer_);
        }
        if constexpr (std::is_trivially_copyable_v<Hash> && std::is_default_constructible_v<Hash>) {
            detail::secure_wipe(stream_);
        }
    }

    /// HMAC of `message`. Leaves the object unchanged, so it may be called any number of times.
    constexpr digest_type compute(std::span<const std::byte> message) const noexcept {
        if constexpr (is_block_hash) {
            state_type state = inner_;
            const std::byte* p = message.data();
            std::size_t n = message.size();
            if (const std::size_t blocks = n / Hash::block_size; blocks != 0) {
                Hash::compress_blocks(state, p, blocks);
                p += blocks * Hash::block_size;
                n -= blocks * Hash::block_size;
            }
            // Tail + padding, built in place: one block, or two if the length field does not fit.
            block_type block{};
            detail::copy_bytes(block.data(), p, n);
            block[n] = std::byte{0x80};
            if (n + 1 + Hash::length_size > Hash::block_size) {
                Hash::compress(state, block.data());
                block = block_type{};
            }
            detail::hmac_store_bit_length<Hash>(block, std::uint64_t{Hash::block_size} + message.size());
            Hash::compress(state, block.data());
            // The intermediates (inner state, the tail block) do not outlive the call.
            digest_type inner_digest = Hash::state_to_digest(state);
            detail::secure_wipe(state);
            detail::secure_wipe(block);
            return outer_hash(inner_digest);
        } else {
            Hash inner = inner_;
            inner.update(message);
            const digest_type inner_digest = inner.finalize();
            Hash outer = outer_;
            outer.update(inner_digest.bytes);
            return outer.finalize();
        }
    }

    /**
     * HMACs of `Lanes` independent short messages, computed together: for block hashes the
     * compressions of all lanes run interleaved (Hash::compress_lanes), which on SHA-NI costs clearly
     * less than `Lanes` sequential compute() calls. Result `i` equals `compute(messages[i])`.
     * Each message must fit in one block with its padding (checked at compile time):
     * `MessageSize + 1 + length field <= Hash::block_size`, i.e. at most 55 bytes for SHA-1/SHA-256
     * and 111 for SHA-512. Any `Lanes >= 1` works; 1 to 4 is the intended range.
     *
     *     std::array<std::array<std::byte, 8>, 3> counters = ...;  // HOTP window c-1, c, c+1
     *     auto tags = mac.compute_lanes(counters);
     */
    template <std::size_t Lanes, std::size_t MessageSize>
    requires(Lanes >= 1 &&
             MessageSize + 1 + detail::hmac_length_field_size<Hash> <= Hash::block_size) constexpr std::
        array<digest_type, Lanes> compute_lanes(
            const std::array<std::array<std::byte, MessageSize>, Lanes>& messages) const noexcept {
        std::array<digest_type, Lanes> result{};
        if constexpr (is_block_hash) {
            std::array<state_type, Lanes> states{};
            std::array<block_type, Lanes> blocks{};
            for (std::size_t l = 0; l < Lanes; ++l) {
                states[l] = inner_;
                detail::copy_bytes(blocks[l].data(), messages[l].data(), MessageSize);
                blocks[l][MessageSize] = std::byte{0x80};
                detail::hmac_store_bit_length<Hash>(blocks[l], Hash::block_size + MessageSize);
            }
            Hash::compress_lanes(states, blocks);
            constexpr std::size_t digest_size = Hash::digest_size;
            for (std::size_t l = 0; l < Lanes; ++l) {
                digest_type inner_digest = Hash::state_to_digest(states[l]);
                detail::copy_bytes(blocks[l].data(), inner_digest.data(), digest_size);
                detail::secure_wipe(inner_digest);
                blocks[l][digest_size] = std::byte{0x80};
                for (std::size_t i = digest_size + 1; i < MessageSize + 1; ++i) {
                    blocks[l][i] = std::byte{0};  // remains of a message longer than the digest
                }
                detail::hmac_store_bit_length<Hash>(blocks[l], Hash::block_size + digest_size);
                states[l] = outer_;
            }
            Hash::compress_lanes(states, blocks);
            for (std::size_t l = 0; l < Lanes; ++l) {
                result[l] = Hash::state_to_digest(states[l]);
            }
            detail::secure_wipe(blocks);  // the inner digests
            detail::secure_wipe(states);
        } else {
            for (std::size_t l = 0; l < Lanes; ++l) {
                result[l] = compute(messages[l]);
            }
        }
        return result;
    }

    /// Streaming: absorbs part of the message. Independent of compute(), which it does not affect.
    constexpr void update(std::span<const std::byte> message_part) noexcept { stream_.update(message_part); }

    /// Streaming: the HMAC of everything passed to update() since construction or the last finalize().
    /// Resets the streaming state, so the object is immediately ready for the next message.
    constexpr digest_type finalize() noexcept {
        digest_type inner_digest = stream_.finalize();
        reset_stream();
        if constexpr (is_block_hash) {
            return outer_hash(inner_digest);
        } else {
            Hash outer = outer_;
            outer.update(inner_digest.bytes);
            return outer.finalize();
        }
    }

private:
    static constexpr bool is_block_hash = block_hash_function<Hash>;
    using keyed_state = typename detail::hmac_keyed_state<Hash>::type;
    using pad_block = std::array<std::byte, Hash::block_size>;

    // For block hashes only (never instantiated otherwise).
    using state_type = keyed_state;
    using block_type = pad_block;

    static constexpr void absorb_pad(keyed_state& state, const pad_block& pad) noexcept {
        if constexpr (is_block_hash) {
            state = Hash::initial_state;
            Hash::compress(state, pad.data());
        } else {
            state = Hash{};
            state.update(pad);
        }
    }

    constexpr void reset_stream() noexcept {
        if constexpr (is_block_hash) {
            stream_ = Hash::resume(inner_, 1);
        } else {
            stream_ = inner_;
        }
    }

    // Outer hash H(K^opad || inner_digest): always a single block (block_hash_function guarantees it).
    // Wipes `inner_digest` (and its copy in the block) once it is hashed.
    constexpr digest_type outer_hash(digest_type& inner_digest) const noexcept requires is_block_hash {
        state_type state = outer_;
        block_type block{};
        detail::copy_bytes(block.data(), inner_digest.data(), Hash::digest_size);
        detail::secure_wipe(inner_digest);
        block[Hash::digest_size] = std::byte{0x80};
        detail::hmac_store_bit_length<Hash>(block, Hash::block_size + Hash::digest_size);
        Hash::compress(state, block.data());
        detail::secure_wipe(block);  // the inner digest
        return Hash::state_to_digest(state);
    }

    keyed_state inner_{};  // after K ^ ipad
    keyed_state outer_{};  // after K ^ opad
    Hash stream_{};        // streaming inner hash for update()/finalize()
};

/// One-shot HMAC (RFC 2104) of `message` under `key`. For many messages under one key, keep an hmac object.
template <hash_function Hash>
constexpr typename Hash::digest_type hmac_compute(std::span<const std::byte> key,
                                                  std::span<const std::byte> message) noexcept {
    return hmac<Hash>(key).compute(message);
}

/// HMAC-SHA-1 (RFC 2104 with FIPS 180-4 SHA-1), the default of RFC 4226/6238 authenticators.
using hmac_sha1 = hmac<sha1>;
/// HMAC-SHA-256 (RFC 4231).
using hmac_sha256 = hmac<sha256>;
/// HMAC-SHA-512 (RFC 4231).
using hmac_sha512 = hmac<sha512>;

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_HMAC_HPP_INCLUDED
// ---- end twofactor/hmac.hpp ----

// ---- begin twofactor/pbkdf2.hpp ----
// twofactor: PBKDF2 (RFC 8018 §5.2) over the library's own HMAC, for slow salted hashes of
// backup codes. Test vectors: RFC 6070 (HMAC-SHA-1), RFC 7914 §11 (HMAC-SHA-256).
#ifndef TWOFACTOR_PBKDF2_HPP_INCLUDED
#define TWOFACTOR_PBKDF2_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <span>


namespace twofactor::inline v1 {

namespace detail {
/// RFC 8018 §5.2: at most 2^32 - 1 blocks of the hash's digest size, the last one partial or not.
[[nodiscard]] constexpr bool pbkdf2_length_allowed(std::size_t key_size, std::size_t block_size) noexcept {
    const std::size_t blocks = key_size / block_size + (key_size % block_size != 0 ? 1U : 0U);
    return blocks <= 0xffffffffU;
}
}  // namespace detail

/**
 * Fills `derived_key` with PBKDF2-HMAC-Hash(password, salt, iterations).
 *
 * The password keys one hmac object, whose pad states are computed once, so each iteration
 * costs two hash compressions. Intermediate blocks are wiped before returning.
 *
 *     std::array<std::byte, 32> key;
 *     twofactor::pbkdf2<twofactor::sha256>(password, salt, 100'000, key);
 *
 * Preconditions (TWOFACTOR_ASSERT): iterations >= 1 and derived_key.size() <=
 * (2^32 - 1) * Hash::digest_size. Callers validate untrusted iteration counts first.
 */
template <hash_function Hash>
constexpr void pbkdf2(std::span<const std::byte> password, std::span<const std::byte> salt,
                      std::uint32_t iterations, std::span<std::byte> derived_key) noexcept {
    constexpr std::size_t block_size = Hash::digest_size;
    TWOFACTOR_ASSERT(iterations >= 1, "pbkdf2: at least one iteration");
    TWOFACTOR_ASSERT(detail::pbkdf2_length_allowed(derived_key.size(), block_size),
                     "pbkdf2: derived key too long");

    const hmac<Hash> prf{password};
    std::array<std::byte, 4> block_index{};
    std::uint32_t index = 1;
    for (std::size_t done = 0; done < derived_key.size(); done += block_size, ++index) {
        // U1 = PRF(P, S || INT(i)); Uj = PRF(P, Uj-1); T = U1 ^ ... ^ Uc.
        detail::store_be32(block_index, index);
        hmac<Hash> first = prf;
        first.update(salt);
        first.update(block_index);
        auto u = first.finalize();
        auto t = u;
        for (std::uint32_t j = 1; j < iterations; ++j) {
            u = prf.compute(u.bytes);
            for (std::size_t k = 0; k < block_size; ++k) t[k] ^= u[k];
        }
        const std::size_t take = detail::minimum(block_size, derived_key.size() - done);
        for (std::size_t k = 0; k < take; ++k) derived_key[done + k] = t[k];
        detail::secure_wipe(u.bytes);
        detail::secure_wipe(t.bytes);
    }
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_PBKDF2_HPP_INCLUDED
// ---- end twofactor/pbkdf2.hpp ----

// ---- begin twofactor/otp_code.hpp ----
// twofactor: otp_code<Digits>, a one-time code as a fixed-width string of decimal digits.
//
// A code is text, not a number: "012345" and "12345" are different codes, and leading zeros
// are never lost (PITFALLS 11). RFC 4226 erratum 5792: the truncated value has 31 bits
// (at most 2147483647), so a tenth digit could only ever be 0, 1 or 2; Digits is 6..9.
#ifndef TWOFACTOR_OTP_CODE_HPP_INCLUDED
#define TWOFACTOR_OTP_CODE_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>


namespace twofactor::inline v1 {

/// Digit counts a one-time code may have: 6..9 (RFC 4226 §5.3 and erratum 5792).
template <unsigned Digits>
concept otp_digit_count = Digits >= 6 && Digits <= 9;

namespace detail {
/// 10^Digits, the modulus of RFC 4226 §5.3's final step.
template <unsigned Digits>
inline constexpr std::uint32_t decimal_modulus = [] {
    std::uint32_t modulus = 1;
    for (unsigned i = 0; i < Digits; ++i) modulus *= 10;
    return modulus;
}();

/// Calls f(std::integral_constant<std::size_t, I>{}) for I = 0 .. Count - 1, unrolled.
template <std::size_t Count, class F>
constexpr void for_each_index(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) { (f(std::integral_constant<std::size_t, I>{}), ...); }
    (std::make_index_sequence<Count>{});
}
}  // namespace detail

/**
 * A one-time code of exactly `Digits` ASCII decimal digits.
 *
 * Equality is constant time: comparing a typed code with an expected one reveals nothing
 * about how many leading digits were right.
 *
 *     auto typed = twofactor::otp_code<6>::parse("012345");   // result<otp_code<6>>
 *     if (typed && *typed == expected) ...
 */
template <unsigned Digits>
requires otp_digit_count<Digits>
class otp_code {
public:
    static constexpr unsigned digits = Digits;

    /// The code "000...0".
    constexpr otp_code() noexcept { digits_.fill('0'); }

    /// The code for a truncated HOTP value: `value mod 10^Digits`, zero-padded on the left.
    [[nodiscard]] static constexpr otp_code from_value(std::uint32_t value) noexcept {
        otp_code code;
        const std::uint32_t reduced = detail::remainder_by<detail::decimal_modulus<Digits>>(value);
        // Each digit straight from the value (division by constants as multiplications, no
        // division instruction and no table indexed by the secret), so the digits are computed
        // in parallel.
        detail::for_each_index<Digits>([&](auto position) {
            constexpr std::uint32_t place = detail::decimal_modulus<Digits - 1 - decltype(position)::value>;
            code.digits_[position] =
                static_cast<char>('0' + detail::remainder_by<10>(detail::divide_by<place>(reduced)));
        });
        return code;
    }

    /**
     * Parses a code typed by a user: exactly `Digits` characters '0'..'9', nothing else (no
     * sign, space or separator; trimming and grouping are the caller's choice).
     * Error: errc::malformed_code.
     */
    [[nodiscard]] static constexpr result<otp_code> parse(std::string_view text) noexcept {
        if (text.size() != Digits) return unexpected(errc::malformed_code);
        otp_code code;
        for (std::size_t i = 0; i < Digits; ++i) {
            if (text[i] < '0' || text[i] > '9') return unexpected(errc::malformed_code);
            code.digits_[i] = text[i];
        }
        return code;
    }

    /// The digits as text (exactly `Digits` characters; not NUL-terminated).
    [[nodiscard]] constexpr std::string_view view() const noexcept {
        return {digits_.data(), digits_.size()};
    }
    [[nodiscard]] constexpr const std::array<char, Digits>& chars() const noexcept { return digits_; }

    /// Constant-time equality.
    [[nodiscard]] friend constexpr bool operator==(const otp_code& a, const otp_code& b) noexcept {
        return detail::equal(std::span<const char>(a.digits_), std::span<const char>(b.digits_));
    }

private:
    std::array<char, Digits> digits_;
};

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_OTP_CODE_HPP_INCLUDED
// ---- end twofactor/otp_code.hpp ----

// ---- begin twofactor/otp_parameters.hpp ----
// twofactor: OTP parameters chosen at run time (hash algorithm, number of digits), their text
// forms, and the dispatch from those run-time values to the compile-time policy types that
// hotp<Hash, Digits> and totp<Hash, Digits, ...> take.
//
// The text forms are those of the Key URI Format (`algorithm=SHA1|SHA256|SHA512`,
// `digits=6`), RFC 6238 §1.2 / Appendix A (the three HMAC hashes) and RFC 4226 §5.3
// (6 or more digits; at most 9 by erratum 5792).
#ifndef TWOFACTOR_OTP_PARAMETERS_HPP_INCLUDED
#define TWOFACTOR_OTP_PARAMETERS_HPP_INCLUDED


#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>


namespace twofactor::inline v1 {

/// The HMAC hash functions TOTP and HOTP use (RFC 6238 §1.2).
enum class algorithm {
    sha1,    ///< HMAC-SHA-1, the default and the only one many authenticator apps honour
    sha256,  ///< HMAC-SHA-256
    sha512,  ///< HMAC-SHA-512
};

/// The canonical name of an algorithm as the Key URI Format writes it:
/// "SHA1", "SHA256" or "SHA512" (an empty view for a value outside the enumeration).
[[nodiscard]] constexpr std::string_view to_string(algorithm a) noexcept {
    switch (a) {
        case algorithm::sha1: return "SHA1";
        case algorithm::sha256: return "SHA256";
        case algorithm::sha512: return "SHA512";
    }
    return {};
}

namespace detail {
[[nodiscard]] constexpr bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}
}  // namespace detail

/**
 * Parses an algorithm name: exactly "SHA1", "SHA256" or "SHA512", ignoring ASCII case
 * ("sha256" and "Sha256" are accepted).
 *
 * Deliberately not accepted: the hyphenated forms "SHA-1", "SHA-256", "SHA-512" (no
 * otpauth:// URI or authenticator app writes them, and one spelling per algorithm keeps
 * stored records round-tripping byte for byte), surrounding spaces, and every other hash.
 *
 * Error: errc::unsupported_algorithm ("MD5", "", "SHA1 ", "SHA-1", "SHA384").
 */
[[nodiscard]] constexpr result<algorithm> parse_algorithm(std::string_view text) noexcept {
    for (const algorithm a : {algorithm::sha1, algorithm::sha256, algorithm::sha512}) {
        if (detail::equals_ignoring_ascii_case(text, to_string(a))) return a;
    }
    return unexpected(errc::unsupported_algorithm);
}

/**
 * Parses a digit count: exactly one character '6', '7', '8' or '9' (RFC 4226 §5.3 asks for
 * at least 6; RFC 4226 erratum 5792: a 31-bit value has no meaningful tenth digit).
 *
 * Error: errc::invalid_digits for everything else: "3", "10", "", "+6", " 6", "6 ", and also
 * "06" (one spelling per value, as in stored records).
 */
[[nodiscard]] constexpr result<unsigned> parse_digits(std::string_view text) noexcept {
    if (text.size() != 1 || text[0] < '6' || text[0] > '9') {
        return unexpected(errc::invalid_digits);
    }
    return static_cast<unsigned>(text[0] - '0');
}

namespace detail {

/// A list of types, indexed by an enumeration's underlying value.
template <class... Ts>
struct type_list {
    static constexpr std::size_t size = sizeof...(Ts);
};

/// The policy types of `algorithm`, in the order of its enumerators.
using algorithm_types = type_list<sha1, sha256, sha512>;

template <std::size_t I, class List>
struct type_at;
template <class T, class... Ts>
struct type_at<0, type_list<T, Ts...>> {
    using type = T;
};
template <std::size_t I, class T, class... Ts>
struct type_at<I, type_list<T, Ts...>> : type_at<I - 1, type_list<Ts...>> {};

/// Calls f(std::integral_constant<std::size_t, I>{}) for the I == index among 0..N-1, by a
/// chain of comparisons the optimiser turns into a jump table (cf. mp11's mp_with_index).
/// An index of N or more reaches the last alternative; callers assert the range first.
template <std::size_t N, std::size_t I = 0, class F>
constexpr decltype(auto) with_index(std::size_t index, F&& f) {
    if constexpr (I + 1 >= N) {
        return std::forward<F>(f)(std::integral_constant<std::size_t, I>{});
    } else {
        if (index == I) return std::forward<F>(f)(std::integral_constant<std::size_t, I>{});
        return with_index<N, I + 1>(index, std::forward<F>(f));
    }
}

template <class F, class List>
struct same_result_for_all;
template <class F, class T, class... Ts>
struct same_result_for_all<F, type_list<T, Ts...>>
    : std::bool_constant<(std::is_same_v<std::invoke_result_t<F, std::type_identity<T>>,
                                         std::invoke_result_t<F, std::type_identity<Ts>>> &&
                          ...)> {};

inline constexpr unsigned min_digits = 6;
inline constexpr unsigned max_digits = 9;

}  // namespace detail

/**
 * Calls `f(std::type_identity<H>{})` where H is the hash policy type of `a`
 * (`twofactor::sha1`, `sha256` or `sha512`) and returns what f returns. Every alternative
 * must return the same type. This is how a run-time choice (an otpauth:// URI's
 * `algorithm=`, a stored record, a command-line option) selects a template instance.
 *
 *     auto code = twofactor::visit_algorithm(alg, [&](auto hash) {
 *         using Hash = typename decltype(hash)::type;
 *         return twofactor::hotp<Hash, 6>{key}.generate(counter);
 *     });
 *
 * Precondition (TWOFACTOR_ASSERT): `a` is one of the enumerators (values from
 * `parse_algorithm` always are); if the assertion is disabled, an invalid value selects sha512.
 */
template <class F>
constexpr decltype(auto) visit_algorithm(algorithm a, F&& f) {
    static_assert(detail::same_result_for_all<F&, detail::algorithm_types>::value,
                  "visit_algorithm: f must return the same type for every hash");
    const auto index = static_cast<std::size_t>(a);
    TWOFACTOR_ASSERT(index < detail::algorithm_types::size, "visit_algorithm: invalid algorithm");
    return detail::with_index<detail::algorithm_types::size>(index, [&](auto i) -> decltype(auto) {
        using hash = typename detail::type_at<decltype(i)::value, detail::algorithm_types>::type;
        return std::forward<F>(f)(std::type_identity<hash>{});
    });
}

/**
 * Calls `f(std::integral_constant<unsigned, D>{})` with D == `digits` and returns what f
 * returns; every alternative (D = 6, 7, 8, 9) must return the same type.
 *
 *     auto text_size = twofactor::visit_digits(digits, [](auto d) {
 *         return twofactor::otp_code<decltype(d)::value>{}.view().size();
 *     });
 *
 * Precondition (TWOFACTOR_ASSERT): 6 <= digits <= 9 (values from `parse_digits` always
 * are); if the assertion is disabled, a smaller value selects 6 and a larger one 9.
 */
template <class F>
constexpr decltype(auto) visit_digits(unsigned digits, F&& f) {
    constexpr std::size_t count = detail::max_digits - detail::min_digits + 1;
    using six = std::invoke_result_t<F&, std::integral_constant<unsigned, 6>>;
    static_assert(std::is_same_v<six, std::invoke_result_t<F&, std::integral_constant<unsigned, 7>>> &&
                      std::is_same_v<six, std::invoke_result_t<F&, std::integral_constant<unsigned, 8>>> &&
                      std::is_same_v<six, std::invoke_result_t<F&, std::integral_constant<unsigned, 9>>>,
                  "visit_digits: f must return the same type for every digit count");
    TWOFACTOR_ASSERT(digits >= detail::min_digits && digits <= detail::max_digits,
                     "visit_digits: digits must be 6..9");
    const std::size_t index = digits < detail::min_digits ? 0 : digits - detail::min_digits;
    return detail::with_index<count>(index, [&](auto i) -> decltype(auto) {
        return std::forward<F>(f)(
            std::integral_constant<unsigned, detail::min_digits + static_cast<unsigned>(i.value)>{});
    });
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_OTP_PARAMETERS_HPP_INCLUDED
// ---- end twofactor/otp_parameters.hpp ----

// ---- begin twofactor/hotp.hpp ----
// twofactor: hotp<Hash, Digits>, counter-based one-time codes (RFC 4226).
#ifndef TWOFACTOR_HOTP_HPP_INCLUDED
#define TWOFACTOR_HOTP_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>


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
// ---- end twofactor/hotp.hpp ----

// ---- begin twofactor/totp.hpp ----
// twofactor: totp<Hash, Digits, Step, Clock, T0>, time-based one-time codes (RFC 6238), and
// dynamic_totp, its sibling whose time step and T0 are run-time values.
#ifndef TWOFACTOR_TOTP_HPP_INCLUDED
#define TWOFACTOR_TOTP_HPP_INCLUDED


#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>


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
// ---- end twofactor/totp.hpp ----

// ---- begin twofactor/base32.hpp ----
// twofactor: base32 encoding and decoding, RFC 4648 §6 ("Base 32 Encoding"), into caller
// buffers, without heap allocation, usable in constant expressions.
//
// The alphabet is A-Z followed by 2-7; each group of 5 bytes becomes 8 characters; a final
// partial group is completed with '=' (RFC 4648 §6). OTP secrets (the `secret=` of an
// otpauth:// URI, the setup code an authenticator app asks for) are written this way, often
// without the padding and, when typed by a human, in lowercase and with spaces. For display,
// `base32_group` splits a setup code into blocks of four ("JBSW Y3DP EHPK 3PXP"), which lenient
// decoding reads back.
#ifndef TWOFACTOR_BASE32_HPP_INCLUDED
#define TWOFACTOR_BASE32_HPP_INCLUDED


#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>


namespace twofactor::inline v1 {

/**
 * Why base32 text was rejected, and where.
 *
 * `position` is an index into the text that was given to `base32_decode`, counting every
 * character (including the spaces, tabs and hyphens that lenient mode skips). It names the
 * offending character; it equals the length of the text when the problem is that something is
 * missing at the end (too little padding). For `errc::output_too_small` it is 0.
 *
 *     "MZXW6YTB0I"  -> {errc::invalid_base32_character, 8}   ('0' is not in the alphabet)
 */
struct base32_error {
    errc code;             ///< what is wrong (one of the base32 errc values, or output_too_small)
    std::size_t position;  ///< index into the input text of the problem, see above
    friend constexpr bool operator==(const base32_error&, const base32_error&) = default;
};

/// Whether `base32_encode` completes the last group with '=' (RFC 4648 §6) or leaves it out
/// (as otpauth:// URIs do, RFC 4648 §3.2 allows it when the length is known otherwise).
enum class base32_padding : bool {
    omit,     ///< no '=' characters
    include,  ///< pad the output to a multiple of 8 characters
};

/**
 * How strictly `base32_decode` reads its input.
 *
 * Both modes reject, with the position of the culprit:
 * - a character outside the alphabet (`errc::invalid_base32_character`): '0', '1', '8', '9',
 *   punctuation, control characters including NUL (the text is a string_view with a length,
 *   never a C string), and every byte >= 0x80;
 * - a number of data characters that no byte string encodes to: length % 8 of 1, 3 or 6
 *   (`errc::invalid_base32_length`, at the last data character, the one left dangling);
 * - too much '=', '=' where none belongs, or data after the padding
 *   (`errc::invalid_base32_padding`);
 * - a last character whose unused low bits are not zero (`errc::non_canonical_base32`):
 *   such text is not what any encoder produces, and when a human mistyped the last character
 *   of a setup code, accepting it would silently yield a different secret.
 */
enum class base32_mode {
    /**
     * Canonical RFC 4648 §6 text: uppercase A-Z and 2-7 only; either no padding at all or
     * exactly the padding RFC 4648 prescribes for the length (total length a multiple of 8).
     * Use it for machine-written text: stored records, otpauth:// URIs.
     */
    strict,
    /**
     * For setup codes typed or pasted by a human: letters in either case; spaces, tabs and
     * hyphens skipped anywhere (so "mzxw 6ytb-oi" is accepted); padding optional and may be
     * partial ("MY", "MY==" and "MY======" all decode to "f"), but never more than the
     * length calls for, and nothing but skipped characters after it.
     */
    lenient,
};

/**
 * The number of characters `base32_encode` writes for `byte_count` bytes:
 * 8 per 5 bytes, the last group padded to 8 with `base32_padding::include`, otherwise
 * 2, 4, 5 or 7 characters for 1, 2, 3 or 4 remaining bytes. Saturates at SIZE_MAX for
 * counts no buffer can hold.
 */
[[nodiscard]] constexpr std::size_t base32_encoded_size(
    std::size_t byte_count, base32_padding padding = base32_padding::include) noexcept {
    constexpr std::size_t tail_chars[5] = {0, 2, 4, 5, 7};
    const std::size_t groups = byte_count / 5;
    const std::size_t tail = byte_count % 5;
    if (groups > (std::numeric_limits<std::size_t>::max() - 8) / 8) {
        return std::numeric_limits<std::size_t>::max();
    }
    if (tail == 0) return groups * 8;
    return groups * 8 + (padding == base32_padding::include ? 8 : tail_chars[tail]);
}

/**
 * An upper bound of the bytes `base32_decode` writes for a text of `char_count` characters,
 * in either mode: floor(char_count * 5 / 8). Exact for unpadded strict text.
 */
[[nodiscard]] constexpr std::size_t base32_decoded_max_size(std::size_t char_count) noexcept {
    return char_count / 8 * 5 + char_count % 8 * 5 / 8;
}

namespace detail {

// Decoding reads a secret's text (a stored record's secret line, at every login), so what a
// character is worth is computed without a branch or a table; only what kind of character it
// is (the text's layout, public like its length) is branched on, through declassify.

enum class base32_char : std::uint8_t { data, separator, padding, invalid };

// What `c` is: an alphabet character (lowercase only when `lenient`), a separator (' ', '\t' or
// '-', only when `lenient`), '=' or anything else. The answer is public; the letter is not.
[[nodiscard]] constexpr base32_char base32_kind(char c, bool lenient) noexcept {
    const std::uint32_t u = static_cast<unsigned char>(c);
    const std::uint32_t relaxed = lenient ? 1u : 0u;
    const std::uint32_t data =
        byte_in_range(u, 'A', 'Z') | byte_in_range(u, '2', '7') | (byte_in_range(u, 'a', 'z') & relaxed);
    const std::uint32_t separator =
        (byte_in_range(u, ' ', ' ') | byte_in_range(u, '\t', '\t') | byte_in_range(u, '-', '-')) & relaxed;
    const std::uint32_t padding = byte_in_range(u, '=', '=');
    const std::uint32_t invalid = (data | separator | padding) ^ 1u;  // at most one of them is 1
    return static_cast<base32_char>(declassify(separator | padding << 1 | invalid * 3u));
}

// The value 0..31 of an alphabet character (either case): 'A'..'Z' (with the case bit cleared)
// from 0, '2'..'7' from 26; selected with a mask, not a branch.
[[nodiscard]] constexpr std::uint32_t base32_data_value(char c) noexcept {
    const std::uint32_t u = static_cast<unsigned char>(c);
    const std::uint32_t letter_value = ((u & 0xDFu) - 'A') & 0x1Fu;
    const std::uint32_t digit_value = (u - '2' + 26u) & 0x1Fu;
    return select(0u - byte_in_range(u, '2', '7'), digit_value, letter_value);
}

// The character of a value 0..31: 'A' + value, or '2' + (value - 26) from 26 on. Computed,
// not looked up, and without a branch: the values are bits of a secret, and a table index or a
// branch on them would show in timing (cache lines, branch prediction).
[[nodiscard]] constexpr char base32_symbol(std::uint32_t value) noexcept {
    const std::uint32_t is_digit = (25u - value) >> 31;  // 1 when value >= 26, by the borrow
    return static_cast<char>('A' + value - is_digit * ('A' + 26 - '2'));
}
static_assert(
    [] {
        constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // RFC 4648 Table 3
        for (std::uint32_t value = 0; value < 32; ++value)
            if (base32_symbol(value) != alphabet[value]) return false;
        return true;
    }(),
    "base32_symbol is RFC 4648's alphabet");

// Indexed by (data characters % 8): the '=' a complete padding has, or -1 where the length is
// invalid; and how many low bits of the last character carry no data.
inline constexpr int base32_padding_for_residue[8] = {0, -1, 6, -1, 4, 3, -1, 1};
inline constexpr unsigned base32_unused_bits_for_residue[8] = {0, 0, 2, 0, 4, 1, 0, 3};

// What validation found: the number of data characters (everything except separators and
// padding), which fixes the number of decoded bytes.
struct base32_scan {
    std::size_t data_chars;
};

// Checks the whole text without writing anything. Reports the leftmost character that is
// not allowed, then (once the text is read) length, padding and canonical-bits problems.
[[nodiscard]] constexpr result<base32_scan, base32_error> base32_validate(std::string_view text,
                                                                          base32_mode mode) noexcept {
    const bool lenient = mode == base32_mode::lenient;
    std::size_t data_chars = 0;
    std::size_t last_data_position = 0;
    std::uint32_t last_data_value = 0;
    std::size_t padding_chars = 0;
    std::size_t first_padding_position = text.size();
    std::size_t excess_padding_position = text.size();  // valid once the residue is known

    for (std::size_t i = 0; i < text.size(); ++i) {
        const base32_char kind = base32_kind(text[i], lenient);
        if (kind == base32_char::separator) continue;
        if (kind == base32_char::padding) {
            if (padding_chars == 0) first_padding_position = i;
            ++padding_chars;
            const int expected = base32_padding_for_residue[data_chars % 8];
            if (expected >= 0 && padding_chars == static_cast<std::size_t>(expected) + 1) {
                excess_padding_position = i;
            }
            continue;
        }
        if (kind == base32_char::invalid) {
            return unexpected(base32_error{errc::invalid_base32_character, i});
        }
        if (padding_chars != 0) {
            // An alphabet character after '=': the padding ended the data too early.
            return unexpected(base32_error{errc::invalid_base32_padding, i});
        }
        ++data_chars;
        last_data_position = i;
        last_data_value = base32_data_value(text[i]);
    }

    const std::size_t residue = data_chars % 8;
    const int expected_padding = base32_padding_for_residue[residue];
    if (expected_padding < 0) {
        return unexpected(base32_error{errc::invalid_base32_length, last_data_position});
    }
    const auto expected = static_cast<std::size_t>(expected_padding);
    if (padding_chars > expected) {
        // With residue 0 any '=' is excess: the first one is the culprit.
        const std::size_t where = expected == 0 ? first_padding_position : excess_padding_position;
        return unexpected(base32_error{errc::invalid_base32_padding, where});
    }
    if (!lenient && padding_chars != 0 && padding_chars < expected) {
        return unexpected(base32_error{errc::invalid_base32_padding, text.size()});
    }
    const unsigned unused_bits = base32_unused_bits_for_residue[residue];
    // Whether the text is canonical is public (an error or not); the bits themselves are not.
    if (declassify(last_data_value & ((1u << unused_bits) - 1u)) != 0) {
        return unexpected(base32_error{errc::non_canonical_base32, last_data_position});
    }
    return base32_scan{data_chars};
}

}  // namespace detail

/**
 * Encodes `bytes` as base32 (RFC 4648 §6) into `out` and returns the number of characters
 * written, `base32_encoded_size(bytes.size(), padding)`. No terminating NUL is written.
 *
 * Errors: `{errc::output_too_small, 0}` when `out` is shorter than that; nothing is written.
 *
 *     std::array<char, 16> text{};
 *     auto n = twofactor::base32_encode(secret, text, twofactor::base32_padding::omit);
 *     if (n) use(std::string_view(text.data(), *n));
 */
[[nodiscard]] constexpr result<std::size_t, base32_error> base32_encode(
    std::span<const std::byte> bytes, std::span<char> out,
    base32_padding padding = base32_padding::include) noexcept {
    const std::size_t size = base32_encoded_size(bytes.size(), padding);
    if (out.size() < size) return unexpected(base32_error{errc::output_too_small, 0});

    std::size_t written = 0;
    std::uint32_t buffer = 0;  // holds at most 4 pending bits plus one new byte
    unsigned bits = 0;
    for (const std::byte b : bytes) {
        buffer = (buffer << 8) | std::to_integer<std::uint32_t>(b);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[written++] = detail::base32_symbol((buffer >> bits) & 0x1Fu);
        }
        buffer &= (1u << bits) - 1u;
    }
    if (bits > 0) out[written++] = detail::base32_symbol((buffer << (5 - bits)) & 0x1Fu);
    while (written < size) out[written++] = '=';
    return written;
}

/**
 * Decodes base32 `text` (RFC 4648 §6) into `out` and returns the number of bytes written:
 * 5 per 8 data characters, and 1, 2, 3 or 4 for 2, 4, 5 or 7 remaining ones. `mode` says
 * which text is accepted (see `base32_mode`). An empty text (or, in lenient mode, one made
 * only of separators) decodes to 0 bytes: rejecting an empty secret is the caller's job.
 *
 * The whole text is validated before anything is written: on any error `out` is untouched.
 *
 * Errors (`base32_error`, with the position of the problem in `text`):
 * `errc::invalid_base32_character`, `errc::invalid_base32_length`,
 * `errc::invalid_base32_padding`, `errc::non_canonical_base32` as described at `base32_mode`;
 * `{errc::output_too_small, 0}` when valid text does not fit in `out`
 * (`base32_decoded_max_size(text.size())` bytes always suffice).
 *
 *     std::array<std::byte, 64> secret{};
 *     auto n = twofactor::base32_decode("jbsw y3dp ehpk 3pxp", secret,
 *                                       twofactor::base32_mode::lenient);   // *n == 10
 */
[[nodiscard]] constexpr result<std::size_t, base32_error> base32_decode(
    std::string_view text, std::span<std::byte> out, base32_mode mode = base32_mode::strict) noexcept {
    const auto scan = detail::base32_validate(text, mode);
    if (!scan) return unexpected(scan.error());
    const std::size_t size = scan->data_chars * 5 / 8;
    if (out.size() < size) return unexpected(base32_error{errc::output_too_small, 0});

    const bool lenient = mode == base32_mode::lenient;
    std::size_t written = 0;
    std::uint32_t buffer = 0;  // holds at most 7 pending bits plus one new character
    unsigned bits = 0;
    for (const char c : text) {
        const detail::base32_char kind = detail::base32_kind(c, lenient);
        if (kind == detail::base32_char::padding) break;  // validated: only padding (and separators) follow
        if (kind != detail::base32_char::data) continue;  // a separator in lenient mode
        buffer = (buffer << 5) | detail::base32_data_value(c);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[written++] = static_cast<std::byte>((buffer >> bits) & 0xFFu);
            buffer &= (1u << bits) - 1u;
        }
    }
    return written;
}

/**
 * The number of characters `base32_group` writes for `char_count` characters of text in groups
 * of `group`: the text plus one separator between consecutive groups,
 * `char_count + (char_count - 1) / group` (0 for empty text). `group == 0` means no grouping
 * (the size is `char_count`). Saturates at SIZE_MAX for counts no buffer can hold.
 *
 *     base32_grouped_size(16) == 19      // "JBSW Y3DP EHPK 3PXP"
 *     base32_grouped_size(32) == 39
 */
[[nodiscard]] constexpr std::size_t base32_grouped_size(std::size_t char_count,
                                                        std::size_t group = 4) noexcept {
    if (char_count == 0 || group == 0) return char_count;
    const std::size_t separators = (char_count - 1) / group;
    if (char_count > std::numeric_limits<std::size_t>::max() - separators) {
        return std::numeric_limits<std::size_t>::max();
    }
    return char_count + separators;
}

/**
 * Writes `encoded` into `out` in groups of `group` characters separated by `separator`, for
 * displaying a setup code that a human types into an authenticator app, and returns the number
 * of characters written, `base32_grouped_size(encoded.size(), group)`. No terminating NUL.
 *
 * The text is copied as it is (it is not validated; pass unpadded base32, the otpauth form).
 * The last group may be shorter. `group == 0` copies the text without separators. Lenient
 * decoding (`base32_mode::lenient`) reads the grouped form back when the separator is a space,
 * tab or hyphen.
 *
 * Errors: `{errc::output_too_small, 0}` when `out` is shorter than that; nothing is written.
 *
 *     std::array<char, 19> shown{};
 *     auto n = twofactor::base32_group("JBSWY3DPEHPK3PXP", shown);   // "JBSW Y3DP EHPK 3PXP"
 */
[[nodiscard]] constexpr result<std::size_t, base32_error> base32_group(std::string_view encoded,
                                                                       std::span<char> out,
                                                                       std::size_t group = 4,
                                                                       char separator = ' ') noexcept {
    const std::size_t size = base32_grouped_size(encoded.size(), group);
    if (out.size() < size) return unexpected(base32_error{errc::output_too_small, 0});
    std::size_t written = 0;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (group != 0 && i != 0 && i % group == 0) out[written++] = separator;
        out[written++] = encoded[i];
    }
    return written;
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_BASE32_HPP_INCLUDED
// ---- end twofactor/base32.hpp ----

// ---- begin twofactor/qr.hpp ----
// twofactor: QR code (Model 2) encoder, ISO/IEC 18004:2015.
//
// Text or bytes in, an immutable matrix of modules out: versions 1–40, error correction levels
// L, M, Q and H, numeric, alphanumeric and byte segments chosen for the shortest bit stream,
// automatic minimum version, all eight masks scored with the four penalty rules of §7.8.3.
// No heap, no exceptions, usable in constant expressions. Drawing the matrix (SVG, terminal,
// PNG, PBM) lives in twofactor/qr_render.hpp.
//
// Text that is UTF-8 and not all ASCII is declared UTF-8 with an ECI header (§7.4.2.2); readers
// otherwise read bytes as ISO-8859-1 or guess. Not implemented: Kanji mode, other ECI
// designators, structured append, Micro QR.
#ifndef TWOFACTOR_QR_HPP_INCLUDED
#define TWOFACTOR_QR_HPP_INCLUDED


#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>


// ---- begin twofactor/detail/qr_tables.hpp ----
// twofactor: the tables of ISO/IEC 18004:2015 that a QR code (Model 2) encoder needs:
// symbol sizes and codeword counts (§6.1, Table 1), error correction blocks (§7.5.1, Table 9),
// character count indicator lengths (§7.4.1, Table 3), alignment pattern positions
// (Annex E, Table E.1), and the BCH codes of format information (§7.9.1, Annex C) and version
// information (§7.10, Annex D).
#ifndef TWOFACTOR_DETAIL_QR_TABLES_HPP_INCLUDED
#define TWOFACTOR_DETAIL_QR_TABLES_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>

namespace twofactor::inline v1::detail {

inline constexpr int qr_min_version = 1;
inline constexpr int qr_max_version = 40;

/// The number of modules per side of a symbol of `version` (1..40): 21 to 177 (§6.1).
[[nodiscard]] constexpr int qr_size_of(int version) noexcept { return 4 * version + 17; }

/// Alignment pattern centre coordinates per version, used along both axes (Table E.1);
/// zero-terminated. Version 1 has none.
inline constexpr std::array<std::array<std::uint8_t, 8>, 41> qr_alignment_positions{{
    {},
    {},
    {6, 18},
    {6, 22},
    {6, 26},
    {6, 30},
    {6, 34},
    {6, 22, 38},
    {6, 24, 42},
    {6, 26, 46},
    {6, 28, 50},
    {6, 30, 54},
    {6, 32, 58},
    {6, 34, 62},
    {6, 26, 46, 66},
    {6, 26, 48, 70},
    {6, 26, 50, 74},
    {6, 30, 54, 78},
    {6, 30, 56, 82},
    {6, 30, 58, 86},
    {6, 34, 62, 90},
    {6, 28, 50, 72, 94},
    {6, 26, 50, 74, 98},
    {6, 30, 54, 78, 102},
    {6, 28, 54, 80, 106},
    {6, 32, 58, 84, 110},
    {6, 30, 58, 86, 114},
    {6, 34, 62, 90, 118},
    {6, 26, 50, 74, 98, 122},
    {6, 30, 54, 78, 102, 126},
    {6, 26, 52, 78, 104, 130},
    {6, 30, 56, 82, 108, 134},
    {6, 34, 60, 86, 112, 138},
    {6, 30, 58, 86, 114, 142},
    {6, 34, 62, 90, 118, 146},
    {6, 30, 54, 78, 102, 126, 150},
    {6, 24, 50, 76, 102, 128, 154},
    {6, 28, 54, 80, 106, 132, 158},
    {6, 32, 58, 84, 110, 136, 162},
    {6, 26, 54, 82, 110, 138, 166},
    {6, 30, 58, 86, 114, 142, 170},
}};

/// How many alignment pattern coordinates `version` has along one axis (0, or 2..7).
[[nodiscard]] constexpr int qr_alignment_count(int version) noexcept {
    return version == 1 ? 0 : version / 7 + 2;
}

/**
 * The number of modules available for codewords (data and error correction, plus the
 * remainder bits) in a symbol of `version`: all modules minus the function patterns.
 * - finder patterns with their separators: 3 · 8 · 8; format information and the dark
 *   module: 2 · 15 + 1;
 * - timing patterns: 2 · (size - 16) (the part between the separators);
 * - alignment patterns: 25 each, k² - 3 of them (k coordinates per axis, minus the three
 *   that would overlap finder patterns); the 2 · (k - 2) on row or column 6 share 5 modules
 *   with a timing pattern;
 * - version information (versions 7 and up): 2 · 18.
 */
[[nodiscard]] constexpr int qr_codeword_modules(int version) noexcept {
    const int size = qr_size_of(version);
    int modules = size * size - 3 * 64 - 31 - 2 * (size - 16);
    const int k = qr_alignment_count(version);
    if (k > 0) modules -= 25 * (k * k - 3) - 5 * 2 * (k - 2);
    if (version >= 7) modules -= 36;
    return modules;
}

/// The number of codewords (data plus error correction) of `version` (Table 1): 26 to 3706.
[[nodiscard]] constexpr int qr_total_codewords(int version) noexcept {
    return qr_codeword_modules(version) / 8;
}

/// The number of remainder bits after the last codeword (Table 1): 0, 3, 4 or 7.
[[nodiscard]] constexpr int qr_remainder_bits(int version) noexcept {
    return qr_codeword_modules(version) % 8;
}

// Table 9, indexed [ecc level L=0, M=1, Q=2, H=3][version]: error correction codewords per
// block, and the number of blocks. Where a version has two block sizes, the longer blocks
// have one data codeword more and come last (§7.5.2).
inline constexpr std::array<std::array<std::uint8_t, 41>, 4> qr_ecc_codewords_per_block{{
    {0,  7,  10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
     28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {0,  10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
     26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
    {0,  13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
     28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {0,  17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
     30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
}};

inline constexpr std::array<std::array<std::uint8_t, 41>, 4> qr_ecc_block_count{{
    {0, 1, 1, 1,  1,  1,  2,  2,  2,  2,  4,  4,  4,  4,  4,  6,  6,  6,  6,  7, 8,
     8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
    {0,  1,  1,  1,  2,  2,  4,  4,  4,  5,  5,  5,  8,  9,  9,  10, 10, 11, 13, 14, 16,
     17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
    {0,  1,  1,  2,  2,  4,  4,  6,  6,  8,  8,  8,  10, 12, 16, 12, 17, 16, 18, 21, 20,
     23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
    {0,  1,  1,  2,  4,  4,  4,  5,  6,  8,  8,  11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
     25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
}};

/// The data codewords of `version` at error correction level `ecc` (0..3 = L, M, Q, H):
/// Table 7's "number of data codewords", 9 (1-H) to 2956 (40-L).
[[nodiscard]] constexpr int qr_data_codewords(int version, int ecc) noexcept {
    return qr_total_codewords(version) -
           qr_ecc_codewords_per_block[static_cast<std::size_t>(ecc)][static_cast<std::size_t>(version)] *
               qr_ecc_block_count[static_cast<std::size_t>(ecc)][static_cast<std::size_t>(version)];
}

/// The data bit capacity of `version` at level `ecc`.
[[nodiscard]] constexpr int qr_data_bits(int version, int ecc) noexcept {
    return qr_data_codewords(version, ecc) * 8;
}

/// The segment modes of §7.4, valued as their 4-bit mode indicators (Table 2).
enum class qr_segment_mode : std::uint8_t { numeric = 0b0001, alphanumeric = 0b0010, byte = 0b0100 };

/// The ECI header that declares the byte segments after it UTF-8: the ECI mode indicator 0111
/// (Table 2), then the designator 000026 in its one-byte form 0bbbbbbb (§7.4.2.2, for 0..127).
inline constexpr std::uint32_t qr_eci_mode_indicator = 0b0111;
inline constexpr std::uint32_t qr_eci_utf8_designator = 26;
inline constexpr int qr_eci_utf8_header_bits = 4 + 8;

/// Which of the three character count indicator length classes `version` is in (Table 3):
/// 0 for versions 1–9, 1 for 10–26, 2 for 27–40.
[[nodiscard]] constexpr int qr_version_class(int version) noexcept {
    return version <= 9 ? 0 : version <= 26 ? 1 : 2;
}

/// The first and last version of a class.
inline constexpr std::array<int, 3> qr_class_first_version{1, 10, 27};
inline constexpr std::array<int, 3> qr_class_last_version{9, 26, 40};

/// The length in bits of the character count indicator (Table 3).
[[nodiscard]] constexpr int qr_count_bits(qr_segment_mode mode, int version_class) noexcept {
    constexpr std::array<std::array<std::uint8_t, 3>, 3> bits{{{10, 12, 14}, {9, 11, 13}, {8, 16, 16}}};
    const std::size_t m = mode == qr_segment_mode::numeric        ? 0
                          : mode == qr_segment_mode::alphanumeric ? 1
                                                                  : 2;
    return bits[m][static_cast<std::size_t>(version_class)];
}

/// The value 0..44 of an alphanumeric-mode character (Table 5), or -1 if `c` has none:
/// 0-9, A-Z (uppercase only), space, $ % * + - . / :
[[nodiscard]] constexpr int qr_alphanumeric_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    switch (c) {
        case ' ': return 36;
        case '$': return 37;
        case '%': return 38;
        case '*': return 39;
        case '+': return 40;
        case '-': return 41;
        case '.': return 42;
        case '/': return 43;
        case ':': return 44;
        default: return -1;
    }
}

/// The two error correction level bits of the format information (Table 12):
/// L = 01, M = 00, Q = 11, H = 10, indexed by L=0, M=1, Q=2, H=3.
inline constexpr std::array<std::uint8_t, 4> qr_ecc_format_bits{0b01, 0b00, 0b11, 0b10};

/**
 * The 15-bit format information for level `ecc` (L=0..H=3) and mask `mask` (0..7) (§7.9.1):
 * the 5 data bits, 10 bits of BCH(15,5) code with generator
 * x^10 + x^8 + x^5 + x^4 + x^2 + x + 1 (0x537), all XORed with 101010000010010 (0x5412) so that
 * no combination is all zero.
 */
[[nodiscard]] constexpr std::uint32_t qr_format_information(int ecc, int mask) noexcept {
    const std::uint32_t data =
        (static_cast<std::uint32_t>(qr_ecc_format_bits[static_cast<std::size_t>(ecc)]) << 3) |
        static_cast<std::uint32_t>(mask);
    std::uint32_t remainder = data << 10;
    for (int bit = 14; bit >= 10; --bit) {
        if (remainder & (1u << bit)) remainder ^= 0x537u << (bit - 10);
    }
    return ((data << 10) | remainder) ^ 0x5412u;
}

/**
 * The 18-bit version information of `version` (7..40) (§7.10): 6 version bits and 12 bits of
 * BCH(18,6) code with generator x^12 + x^11 + x^10 + x^9 + x^8 + x^5 + x^2 + 1 (0x1F25).
 */
[[nodiscard]] constexpr std::uint32_t qr_version_information(int version) noexcept {
    const auto data = static_cast<std::uint32_t>(version);
    std::uint32_t remainder = data << 12;
    for (int bit = 17; bit >= 12; --bit) {
        if (remainder & (1u << bit)) remainder ^= 0x1F25u << (bit - 12);
    }
    return (data << 12) | remainder;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_QR_TABLES_HPP_INCLUDED
// ---- end twofactor/detail/qr_tables.hpp ----

// ---- begin twofactor/detail/reed_solomon.hpp ----
// twofactor: Reed–Solomon error correction for QR codes, ISO/IEC 18004:2015 §7.5.2 and Annex A.
//
// Arithmetic is in GF(2^8) with the field generator polynomial
// x^8 + x^4 + x^3 + x^2 + 1 (0x11D), primitive element α = 2. The error correction codewords of a
// block are the remainder of data(x) · x^n divided by the generator polynomial
// g(x) = (x - α^0)(x - α^1) ... (x - α^(n-1)), where n is the number of error correction
// codewords of the block (7 to 30 in QR codes).
#ifndef TWOFACTOR_DETAIL_REED_SOLOMON_HPP_INCLUDED
#define TWOFACTOR_DETAIL_REED_SOLOMON_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace twofactor::inline v1::detail {

// exp[i] = α^i for i in 0..509 (doubled, so that exp[log a + log b] needs no reduction);
// log[a] for a in 1..255 (log[0] is unused).
struct gf256_tables {
    std::array<std::uint8_t, 512> exp{};
    std::array<std::uint8_t, 256> log{};
};

[[nodiscard]] constexpr gf256_tables make_gf256_tables() noexcept {
    gf256_tables t;
    unsigned value = 1;
    for (unsigned i = 0; i < 255; ++i) {
        t.exp[i] = static_cast<std::uint8_t>(value);
        t.exp[i + 255] = static_cast<std::uint8_t>(value);
        t.log[value] = static_cast<std::uint8_t>(i);
        value <<= 1;
        if (value & 0x100u) value ^= 0x11Du;
    }
    t.exp[510] = t.exp[0];
    t.exp[511] = t.exp[1];
    return t;
}

inline constexpr gf256_tables gf256 = make_gf256_tables();

/// a · b in GF(2^8) mod 0x11D.
[[nodiscard]] constexpr std::uint8_t gf256_multiply(std::uint8_t a, std::uint8_t b) noexcept {
    if (a == 0 || b == 0) return 0;
    return gf256.exp[static_cast<std::size_t>(gf256.log[a]) + gf256.log[b]];
}

/// The largest number of error correction codewords per block any QR code uses.
inline constexpr std::size_t rs_max_degree = 30;

/**
 * The generator polynomial of degree `degree` (1..rs_max_degree), without its leading
 * coefficient (which is 1): coefficients[0] multiplies x^(degree-1), coefficients[degree-1]
 * is the constant term.
 */
struct rs_generator {
    std::array<std::uint8_t, rs_max_degree> coefficients{};
    std::size_t degree = 0;
};

// Generators for every degree 0..30 (index = degree), built once at compile time by multiplying
// out (x - α^0)(x - α^1)...: each generator is the one before times its next factor, so all 30 cost
// 465 multiplications, not the 4,960 of building each alone: that took 0.04 s (GCC 12) to 0.08 s
// (Clang 14) of constant evaluation in every translation unit. In GF(2^8) subtraction is addition
// (XOR).
inline constexpr auto rs_generators = [] {
    std::array<rs_generator, rs_max_degree + 1> all{};
    // The product so far, highest power first; product[0] == 1.
    std::array<std::uint8_t, rs_max_degree + 1> product{};
    product[0] = 1;
    for (std::size_t k = 0; k < rs_max_degree; ++k) {
        // product(x) · (x + α^k): new[i] = product[i] + α^k · product[i-1]
        const std::uint8_t root = gf256.exp[k];
        for (std::size_t i = k + 1; i > 0; --i) product[i] ^= gf256_multiply(product[i - 1], root);
        rs_generator& g = all[k + 1];
        g.degree = k + 1;
        for (std::size_t i = 0; i <= k; ++i) g.coefficients[i] = product[i + 1];
    }
    return all;
}();

// rs_remainder relies on it: no generator polynomial has a zero coefficient.
static_assert([] {
    for (std::size_t d = 1; d <= rs_max_degree; ++d) {
        for (std::size_t i = 0; i < d; ++i) {
            if (rs_generators[d].coefficients[i] == 0) return false;
        }
    }
    return true;
}());

/**
 * Writes the `ecc.size()` error correction codewords of `data` into `ecc`: the remainder of
 * data(x) · x^n mod g(x), highest power first (the order they are transmitted in).
 * Precondition: 1 <= ecc.size() <= rs_max_degree.
 */
constexpr void rs_remainder(std::span<const std::uint8_t> data, std::span<std::uint8_t> ecc) noexcept {
    const std::size_t n = ecc.size();
    const rs_generator& g = rs_generators[n];
    // The generator's coefficients as logarithms (none is zero, see below), so each step is one
    // table lookup per term.
    std::array<std::uint8_t, rs_max_degree> g_log{};
    for (std::size_t i = 0; i < n; ++i) g_log[i] = gf256.log[g.coefficients[i]];
    for (std::size_t i = 0; i < n; ++i) ecc[i] = 0;
    // Polynomial long division as a shift register (ISO/IEC 18004 Figure A.1).
    for (const std::uint8_t byte : data) {
        const std::uint8_t factor = static_cast<std::uint8_t>(byte ^ ecc[0]);
        for (std::size_t i = 0; i + 1 < n; ++i) ecc[i] = ecc[i + 1];
        ecc[n - 1] = 0;
        if (factor == 0) continue;
        const std::size_t factor_log = gf256.log[factor];
        for (std::size_t i = 0; i < n; ++i) {
            ecc[i] ^= gf256.exp[factor_log + g_log[i]];
        }
    }
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_REED_SOLOMON_HPP_INCLUDED
// ---- end twofactor/detail/reed_solomon.hpp ----

// ---- begin twofactor/detail/utf8.hpp ----
// UTF-8 well-formedness (RFC 3629 §4): shared by the otpauth:// label checks and the QR encoder,
// which declares UTF-8 (ECI 26) only for text that is UTF-8.
#ifndef TWOFACTOR_DETAIL_UTF8_HPP_INCLUDED
#define TWOFACTOR_DETAIL_UTF8_HPP_INCLUDED


#include <cstddef>
#include <string_view>

namespace twofactor::inline v1::detail {

/**
 * The length (1..4) of the well-formed UTF-8 sequence that starts at `text[at]`, or 0 when
 * none does: a stray continuation byte, an overlong form, a surrogate, a code point above
 * U+10FFFF, or a sequence cut short by the end of `text`. Requires `at < text.size()`.
 */
[[nodiscard]] constexpr std::size_t utf8_sequence_length(std::string_view text, std::size_t at) noexcept {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned lead = byte(at);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned low = 0x80;  // allowed range of the second byte (RFC 3629 §4 syntax)
    unsigned high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // no overlong forms
        if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // no overlong forms
        if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (text.size() - at < length) return 0;
    if (byte(at + 1) < low || byte(at + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(at + k) < 0x80 || byte(at + k) > 0xBF) return 0;
    }
    return length;
}

/// True when all of `text` is well-formed UTF-8 (an empty or ASCII text is).
[[nodiscard]] constexpr bool is_utf8(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

/// True when `text` holds a byte above 0x7F. Reads every byte, whatever they are: the text may
/// hold a secret (an otpauth:// URI).
[[nodiscard]] constexpr bool has_non_ascii(std::string_view text) noexcept {
    unsigned seen = 0;
    for (const char c : text) seen |= static_cast<unsigned char>(c);
    return (seen & 0x80u) != 0;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_UTF8_HPP_INCLUDED
// ---- end twofactor/detail/utf8.hpp ----

namespace twofactor::inline v1 {

/// The error correction level of a QR code (§7.5.1): the share of codewords that can be
/// restored is about 7 % (L), 15 % (M), 25 % (Q) and 30 % (H).
enum class qr_ecc : std::uint8_t {
    low,       ///< L, ~7 %
    medium,    ///< M, ~15 %
    quartile,  ///< Q, ~25 %
    high,      ///< H, ~30 %
};

/// `qr_options::mask` value that lets the encoder pick the mask with the lowest penalty.
inline constexpr int qr_auto_mask = -1;

/**
 * How `basic_qr_code::encode_text` and `encode_bytes` build the symbol.
 *
 * The encoder uses the smallest version in [min_version, max_version] (and not above the
 * code type's `MaxVersion`) that holds the data at level `ecc`. With `boost_ecc`, it then raises
 * the level to the highest one whose capacity in that same version still holds the data: the
 * symbol does not grow, it only becomes more robust.
 *
 * Ranges (else errc::invalid_qr_options): `ecc` one of the four enumerators;
 * 1 <= min_version <= max_version <= 40 and min_version <= MaxVersion; `mask` is
 * `qr_auto_mask` (-1) or 0..7.
 */
struct qr_options {
    qr_ecc ecc = qr_ecc::medium;  ///< the minimum error correction level
    int min_version = 1;          ///< the smallest version to use, 1..40
    int max_version = 40;         ///< the largest version to use, 1..40 (also capped by MaxVersion)
    bool boost_ecc = true;        ///< raise the level while the data still fits the same version
    int mask = qr_auto_mask;      ///< 0..7 to force a mask pattern (§7.8.2), or qr_auto_mask
};

namespace detail {

[[nodiscard]] constexpr int qr_words_per_row(int size) noexcept { return (size + 63) / 64; }

// Zeroes the first `count` elements of an encoder's working buffer: what it holds is a form of
// the encoded data, which may be a secret (the enrollment wizard's otpauth:// URI). At run time
// with secure_wipe_bytes (not elided by the optimiser); not in constant evaluation, where there
// is no memory to disclose and the wipe would only add evaluation steps.
template <class T, std::size_t Size>
constexpr void qr_wipe(std::array<T, Size>& buffer, std::size_t count = Size) noexcept {
    static_assert(std::is_trivially_copyable_v<T>);
    if (std::is_constant_evaluated()) return;
    secure_wipe_bytes(buffer.data(), (count < Size ? count : Size) * sizeof(T));
}

// A square bit matrix with room for a symbol of `MaxVersion`: bit x % 64 of word x / 64 of
// rows[y] is the module in column x, row y (x, y from the top-left corner). Bits outside the
// symbol's size are always zero.
template <int MaxVersion>
struct qr_bit_matrix {
    static constexpr int max_size = qr_size_of(MaxVersion);
    static constexpr int words = qr_words_per_row(max_size);
    using row_type = std::array<std::uint64_t, static_cast<std::size_t>(words)>;

    std::array<row_type, static_cast<std::size_t>(max_size)> rows{};

    [[nodiscard]] constexpr bool get(int x, int y) const noexcept {
        return (rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x >> 6)] >> (x & 63)) & 1u;
    }
    constexpr void set(int x, int y) noexcept {
        rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x >> 6)] |= std::uint64_t{1} << (x & 63);
    }
    constexpr void clear(int x, int y) noexcept {
        rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x >> 6)] &=
            ~(std::uint64_t{1} << (x & 63));
    }
    friend constexpr bool operator==(const qr_bit_matrix&, const qr_bit_matrix&) = default;
};

// The mask patterns of §7.8.2 (Table 10), i = row, j = column.
[[nodiscard]] constexpr bool qr_mask_condition(int mask, int i, int j) noexcept {
    switch (mask) {
        case 0: return (i + j) % 2 == 0;
        case 1: return i % 2 == 0;
        case 2: return j % 3 == 0;
        case 3: return (i + j) % 3 == 0;
        case 4: return (i / 2 + j / 3) % 2 == 0;
        case 5: return (i * j) % 2 + (i * j) % 3 == 0;
        case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0;
        default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0;
    }
}

// Every mask is periodic with a period dividing 12 along both axes, so 12 lines per mask and
// direction describe it: by_row[mask][y % 12] holds the modules of row y that the mask inverts
// (bits over x), by_column[mask][x % 12] those of column x (bits over y). Three words cover
// the largest symbol.
struct qr_mask_tables {
    std::array<std::array<std::array<std::uint64_t, 3>, 12>, 8> by_row{};
    std::array<std::array<std::array<std::uint64_t, 3>, 12>, 8> by_column{};
};

[[nodiscard]] constexpr qr_mask_tables make_qr_mask_tables() noexcept {
    qr_mask_tables t;
    for (int mask = 0; mask < 8; ++mask) {
        for (int line = 0; line < 12; ++line) {
            // One period of 12 bits along the line, then doubled out to 64 bits; word k starts
            // at bit 64k, i.e. at phase 64k mod 12.
            std::uint64_t row_seed = 0;
            std::uint64_t column_seed = 0;
            for (int k = 0; k < 12; ++k) {
                if (qr_mask_condition(mask, line, k)) row_seed |= std::uint64_t{1} << k;
                if (qr_mask_condition(mask, k, line)) column_seed |= std::uint64_t{1} << k;
            }
            const auto fill = [](std::uint64_t seed, int phase) {
                const std::uint64_t rotated = ((seed >> phase) | (seed << (12 - phase))) & 0xFFFu;
                std::uint64_t word = rotated;
                word |= word << 12;
                word |= word << 24;
                word |= word << 48;
                return word;
            };
            for (int k = 0; k < 3; ++k) {
                const int phase = (64 * k) % 12;
                t.by_row[static_cast<std::size_t>(mask)][static_cast<std::size_t>(line)]
                        [static_cast<std::size_t>(k)] = fill(row_seed, phase);
                t.by_column[static_cast<std::size_t>(mask)][static_cast<std::size_t>(line)]
                           [static_cast<std::size_t>(k)] = fill(column_seed, phase);
            }
        }
    }
    return t;
}

inline constexpr qr_mask_tables qr_masks = make_qr_mask_tables();

// ---- Penalty scoring (§7.8.3) on lines of W 64-bit words ----------------------------------
//
// A line (row or column) is scored as a whole with shifts and masks, never module by module.
// d = dark modules; l = ~d = light modules, where everything outside the symbol counts as
// light (the quiet zone), which the fill bits of the shifts provide.

template <int W>
using qr_line = std::array<std::uint64_t, static_cast<std::size_t>(W)>;

// result bit j = a bit (j + k), 1 <= k <= 63; bits from beyond the last word are `fill`.
template <int W>
[[nodiscard]] constexpr qr_line<W> qr_toward_low(const qr_line<W>& a, int k, std::uint64_t fill) noexcept {
    qr_line<W> r{};
    for (int w = 0; w < W; ++w) {
        const std::uint64_t next = w + 1 < W ? a[static_cast<std::size_t>(w + 1)] : fill;
        r[static_cast<std::size_t>(w)] = (a[static_cast<std::size_t>(w)] >> k) | (next << (64 - k));
    }
    return r;
}

// result bit j = a bit (j - k), 1 <= k <= 63; bits from before the first word are `fill`.
template <int W>
[[nodiscard]] constexpr qr_line<W> qr_toward_high(const qr_line<W>& a, int k, std::uint64_t fill) noexcept {
    qr_line<W> r{};
    for (int w = 0; w < W; ++w) {
        const std::uint64_t previous = w > 0 ? a[static_cast<std::size_t>(w - 1)] : fill;
        r[static_cast<std::size_t>(w)] = (a[static_cast<std::size_t>(w)] << k) | (previous >> (64 - k));
    }
    return r;
}

// std::popcount, except where it would become a library call (x86-64 without POPCNT in the
// target flags): there the SWAR count, inlined, is several times faster.
[[nodiscard]] constexpr int qr_popcount64(std::uint64_t x) noexcept {
#if defined(__POPCNT__) || defined(__aarch64__) || defined(_M_ARM64)
    return std::popcount(x);
#else
    x -= (x >> 1) & 0x5555555555555555u;
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
    return static_cast<int>((x * 0x0101010101010101u) >> 56);
#endif
}

template <int W>
[[nodiscard]] constexpr int qr_popcount(const qr_line<W>& a) noexcept {
    int n = 0;
    for (int w = 0; w < W; ++w) n += qr_popcount64(a[static_cast<std::size_t>(w)]);
    return n;
}

// The line masks of a symbol of `size` modules: `all` has bits 0..size-1, `pairs` 0..size-2
// (positions that have a right-hand neighbour inside the symbol).
template <int W>
struct qr_line_limits {
    qr_line<W> all{};
    qr_line<W> pairs{};
};

template <int W>
[[nodiscard]] constexpr qr_line_limits<W> make_qr_line_limits(int size) noexcept {
    qr_line_limits<W> limits;
    for (int w = 0; w < W; ++w) {
        const auto set_below = [w](int n) -> std::uint64_t {
            const int bits = n - 64 * w;
            if (bits <= 0) return 0;
            if (bits >= 64) return ~std::uint64_t{0};
            return (std::uint64_t{1} << bits) - 1;
        };
        limits.all[static_cast<std::size_t>(w)] = set_below(size);
        limits.pairs[static_cast<std::size_t>(w)] = set_below(size - 1);
    }
    return limits;
}

// The first position >= from whose bit is set, or 64 · W when there is none.
template <int W>
[[nodiscard]] constexpr int qr_next_set(const qr_line<W>& bits, int from) noexcept {
    if (from < 0) from = 0;
    for (int w = from >> 6; w < W; ++w) {
        std::uint64_t word = bits[static_cast<std::size_t>(w)];
        if (w == from >> 6) word &= ~std::uint64_t{0} << (from & 63);
        if (word != 0) return 64 * w + std::countr_zero(word);
    }
    return 64 * W;
}

// The last position <= from whose bit is set, or -1 when there is none.
template <int W>
[[nodiscard]] constexpr int qr_previous_set(const qr_line<W>& bits, int from) noexcept {
    if (from >= 64 * W) from = 64 * W - 1;
    for (int w = from >> 6; w >= 0; --w) {  // from < 0 gives w < 0: none
        std::uint64_t word = bits[static_cast<std::size_t>(w)];
        if (w == from >> 6) word &= ~std::uint64_t{0} >> (63 - (from & 63));
        if (word != 0) return 64 * w + 63 - std::countl_zero(word);
    }
    return -1;
}

// Rule 3 for the finder-like pattern at a unit n >= 2 (runs of n, n, 3n, n, n modules), whose
// centre is a dark run of 6 or more: rare enough to be checked one candidate at a time, from
// `starts`, the first modules of the dark runs of 6 or more. Run lengths come from the nearest
// module of the other colour (d: dark, l: light, also beyond the symbol's last module); outside
// the line everything is light, a light run that reaches there is endless.
template <int W>
[[nodiscard]] constexpr int qr_scaled_finder_like(const qr_line<W>& d, const qr_line<W>& l,
                                                  const qr_line<W>& starts) noexcept {
    constexpr int endless = 1 << 20;
    // The runs that end at `to` (going left) or start at `from` (going right).
    const auto light_to = [&](int to) {
        const int dark = qr_previous_set<W>(d, to);
        return dark < 0 ? endless : to - dark;
    };
    const auto dark_to = [&](int to) { return to < 0 ? 0 : to - qr_previous_set<W>(l, to); };
    const auto light_from = [&](int from) {
        const int dark = qr_next_set<W>(d, from);
        return dark >= 64 * W ? endless : dark - from;
    };
    const auto dark_from = [&](int from) { return from >= 64 * W ? 0 : qr_next_set<W>(l, from) - from; };
    int count = 0;
    for (int w = 0; w < W; ++w) {
        for (std::uint64_t bits = starts[static_cast<std::size_t>(w)]; bits != 0; bits &= bits - 1) {
            const int start = 64 * w + std::countr_zero(bits);
            const int end = qr_next_set<W>(l, start);  // the first module after the centre run
            if ((end - start) % 3 != 0) continue;
            const int n = (end - start) / 3;
            if (light_to(start - 1) != n || dark_to(start - 1 - n) != n || light_from(end) != n ||
                dark_from(end + n) != n)
                continue;
            const int before = light_to(start - 1 - 2 * n);
            const int after = light_from(end + 2 * n);
            count += (before >= 4 * n && after >= n ? 1 : 0) + (after >= 4 * n && before >= n ? 1 : 0);
        }
    }
    return count;
}

// The penalty points of rules 1 and 3 for one line (a row, or a column as a transposed row).
// Rule 1: a run of L >= 5 same-coloured modules scores N1 + (L - 5) = L - 2. With `same`
// marking positions whose right neighbour has the same colour and `run5` those starting five
// equal modules, a run of length L has L - 4 bits in run5 and one start, so
// popcount(run5) + 2 · starts adds up L - 2 for each run.
// Rule 3: runs in the ratio 1:1:3:1:1 (dark, light, dark, light, dark) with a light run of four
// times the unit before them, and separately with one after them, each score 40. The runs are
// whole runs, so the outer dark ones have light on both sides (a light run of at least the unit
// beyond them): 1:1:3:1:2 is no finder pattern. This is the reading of the reference encoder
// (python3-qrcodegen) too; tests/qr.test.cpp compares the masks chosen. At unit 1 the
// pattern is the bits 0·1011101·0 found by shifts; larger units are counted from the long
// dark runs.
template <int W>
[[nodiscard]] constexpr int qr_line_penalty(const qr_line<W>& d, const qr_line_limits<W>& limits) noexcept {
    constexpr std::uint64_t zeros = 0;
    constexpr std::uint64_t ones = ~std::uint64_t{0};
    qr_line<W> l{};
    qr_line<W> same{};
    const qr_line<W> d1 = qr_toward_low<W>(d, 1, zeros);
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        l[i] = ~d[i];
        same[i] = ~(d[i] ^ d1[i]) & limits.pairs[i];
    }
    const qr_line<W> s1 = qr_toward_low<W>(same, 1, zeros);
    const qr_line<W> s2 = qr_toward_low<W>(same, 2, zeros);
    const qr_line<W> s3 = qr_toward_low<W>(same, 3, zeros);
    qr_line<W> run5{};
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        run5[i] = same[i] & s1[i] & s2[i] & s3[i];
    }
    const qr_line<W> run5_previous = qr_toward_high<W>(run5, 1, zeros);
    // core: the bits 1011101 start here; dark6: six dark modules do. Each is rare, and what
    // else they need (the light around them) is only computed when a line has one.
    qr_line<W> core{};
    qr_line<W> dark6{};
    {
        const qr_line<W> l1 = qr_toward_low<W>(l, 1, ones);
        const qr_line<W> d2 = qr_toward_low<W>(d, 2, zeros);
        const qr_line<W> d3 = qr_toward_low<W>(d, 3, zeros);
        const qr_line<W> d4 = qr_toward_low<W>(d, 4, zeros);
        const qr_line<W> d5 = qr_toward_low<W>(d, 5, zeros);
        const qr_line<W> l5 = qr_toward_low<W>(l, 5, ones);
        const qr_line<W> d6 = qr_toward_low<W>(d, 6, zeros);
        for (int w = 0; w < W; ++w) {
            const auto i = static_cast<std::size_t>(w);
            core[i] = d[i] & l1[i] & d2[i] & d3[i] & d4[i] & l5[i] & d6[i];
            dark6[i] = d[i] & d1[i] & d2[i] & d3[i] & d4[i] & d5[i];
        }
    }
    bool any_core = false;
    bool any_dark6 = false;
    for (int w = 0; w < W; ++w) {
        any_core |= core[static_cast<std::size_t>(w)] != 0;
        any_dark6 |= dark6[static_cast<std::size_t>(w)] != 0;
    }
    int finder_like = 0;
    if (any_core || any_dark6) {
        const qr_line<W> b1 = qr_toward_high<W>(l, 1, ones);  // light before
        if (any_core) {
            // Unit 1: light before and after the bits (whole runs), and four light before, or after.
            qr_line<W> before{};
            qr_line<W> after{};
            const qr_line<W> b2 = qr_toward_high<W>(l, 2, ones);
            const qr_line<W> b3 = qr_toward_high<W>(l, 3, ones);
            const qr_line<W> b4 = qr_toward_high<W>(l, 4, ones);
            const qr_line<W> a7 = qr_toward_low<W>(l, 7, ones);
            const qr_line<W> a8 = qr_toward_low<W>(l, 8, ones);
            const qr_line<W> a9 = qr_toward_low<W>(l, 9, ones);
            const qr_line<W> a10 = qr_toward_low<W>(l, 10, ones);
            for (int w = 0; w < W; ++w) {
                const auto i = static_cast<std::size_t>(w);
                const std::uint64_t whole = core[i] & b1[i] & a7[i];
                before[i] = whole & b2[i] & b3[i] & b4[i];
                after[i] = whole & a8[i] & a9[i] & a10[i];
            }
            finder_like = qr_popcount<W>(before) + qr_popcount<W>(after);
        }
        if (any_dark6) {
            qr_line<W> long_dark_starts{};
            for (int w = 0; w < W; ++w) {
                const auto i = static_cast<std::size_t>(w);
                long_dark_starts[i] = dark6[i] & b1[i];
            }
            finder_like += qr_scaled_finder_like<W>(d, l, long_dark_starts);
        }
    }
    qr_line<W> starts{};
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        starts[i] = run5[i] & ~run5_previous[i];
    }
    const int runs = qr_popcount<W>(run5) + 2 * qr_popcount<W>(starts);
    return runs + 40 * finder_like;
}

// Rule 2: each 2×2 block of one colour scores 3 (overlapping blocks all count).
template <int W>
[[nodiscard]] constexpr int qr_block_penalty(const qr_line<W>& top, const qr_line<W>& bottom,
                                             const qr_line_limits<W>& limits) noexcept {
    qr_line<W> dark{};
    qr_line<W> light{};
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        dark[i] = top[i] & bottom[i];
        light[i] = ~top[i] & ~bottom[i] & limits.all[i];
    }
    const qr_line<W> dark1 = qr_toward_low<W>(dark, 1, 0);
    const qr_line<W> light1 = qr_toward_low<W>(light, 1, 0);
    int blocks = 0;
    for (int w = 0; w < W; ++w) {
        const auto i = static_cast<std::size_t>(w);
        blocks += qr_popcount64(((dark[i] & dark1[i]) | (light[i] & light1[i])) & limits.pairs[i]);
    }
    return 3 * blocks;
}

// Rule 4: 10 points for each full 5 % step the share of dark modules is away from 50 %
// (45 %..55 % scores 0, 40 %..45 % or 55 %..60 % scores 10, ...).
[[nodiscard]] constexpr int qr_balance_penalty(int dark, int total) noexcept {
    const int deviation = dark * 20 - total * 10;  // in units of total / 20 (= 5 %)
    const int magnitude = deviation < 0 ? -deviation : deviation;
    return magnitude <= total ? 0 : 10 * ((magnitude - 1) / total);
}

// Transposes a 64 × 64 bit block in place (bit j of word i <-> bit i of word j) by swapping
// the off-diagonal halves of ever smaller sub-blocks: 32 × 32, then 16 × 16, ... 1 × 1.
constexpr void qr_transpose64(std::array<std::uint64_t, 64>& a) noexcept {
    std::uint64_t keep = 0x00000000FFFFFFFFu;
    for (int j = 32; j != 0; j >>= 1, keep ^= keep << j) {
        for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
            const auto lo = static_cast<std::size_t>(k);
            const auto hi = static_cast<std::size_t>(k | j);
            const std::uint64_t t = ((a[lo] >> j) ^ a[hi]) & keep;
            a[lo] ^= t << j;
            a[hi] ^= t;
        }
    }
}

// to.rows[x] bit y = from.rows[y] bit x, for a symbol of `size` <= 64 · W modules, by 64 × 64
// blocks.
template <int MaxVersion, int W>
constexpr void qr_transpose(const qr_bit_matrix<MaxVersion>& from, qr_bit_matrix<MaxVersion>& to,
                            int size) noexcept {
    for (int by = 0; by < W; ++by) {
        for (int bx = 0; bx < W; ++bx) {
            std::array<std::uint64_t, 64> block{};
            for (int i = 0; i < 64 && 64 * by + i < size; ++i) {
                block[static_cast<std::size_t>(i)] =
                    from.rows[static_cast<std::size_t>(64 * by + i)][static_cast<std::size_t>(bx)];
            }
            qr_transpose64(block);
            for (int i = 0; i < 64 && 64 * bx + i < size; ++i) {
                to.rows[static_cast<std::size_t>(64 * bx + i)][static_cast<std::size_t>(by)] =
                    block[static_cast<std::size_t>(i)];
            }
        }
    }
}

// ---- Symbol construction ------------------------------------------------------------------

// The (x, y) positions of the 15 format information bits (§7.9.1, Figure 25): bit i of the
// first copy (around the top-left finder pattern) and of the second copy (split between the
// bottom-left and top-right finder patterns). Bit 14 is the most significant.
struct qr_format_position {
    std::uint8_t x;
    std::uint8_t y;
};

[[nodiscard]] constexpr qr_format_position qr_format_first_copy(int bit) noexcept {
    // Bits 0-5 up column 8 from row 0, bit 6 at row 7 (row 6 is timing), bit 7 at (8, 8),
    // bit 8 at (7, 8), bits 9-14 along row 8 from column 5 down to column 0.
    if (bit <= 5) return {8, static_cast<std::uint8_t>(bit)};
    if (bit == 6) return {8, 7};
    if (bit == 7) return {8, 8};
    if (bit == 8) return {7, 8};
    return {static_cast<std::uint8_t>(14 - bit), 8};
}

[[nodiscard]] constexpr qr_format_position qr_format_second_copy(int bit, int size) noexcept {
    // Bits 0-7 along row 8 from the right edge leftwards; bits 8-14 down column 8 from
    // row size - 7 to the bottom edge.
    if (bit <= 7) return {static_cast<std::uint8_t>(size - 1 - bit), 8};
    return {8, static_cast<std::uint8_t>(size - 15 + bit)};
}

/// A finished symbol: what `basic_qr_code` holds.
template <int MaxVersion>
struct qr_symbol {
    qr_bit_matrix<MaxVersion> modules{};  // true = dark
    std::uint8_t version = 0;
    qr_ecc ecc = qr_ecc::medium;
    std::uint8_t mask = 0;
    friend constexpr bool operator==(const qr_symbol&, const qr_symbol&) = default;
};

// The function patterns (§6.3) of one version, and the placement of codewords (§7.7.3).
template <int MaxVersion>
class qr_builder {
public:
    constexpr explicit qr_builder(int version) noexcept : version_(version), size_(qr_size_of(version)) {
        draw_function_patterns();
    }

    // Places `codewords` (data and error correction, interleaved) in the two-module-wide
    // columns, from the bottom-right corner up, then down the next pair, and so on, skipping
    // function modules and the vertical timing pattern. The remainder bits stay light.
    constexpr void place(std::span<const std::uint8_t> codewords) noexcept {
        const std::size_t total_bits = codewords.size() * 8;
        std::size_t bit = 0;
        bool upward = true;
        for (int right = size_ - 1; right >= 1; right -= 2) {
            if (right == 6) right = 5;
            for (int step = 0; step < size_; ++step) {
                const int y = upward ? size_ - 1 - step : step;
                for (int x = right; x >= right - 1; --x) {
                    if (reserved_.get(x, y)) continue;
                    if (bit < total_bits && ((codewords[bit >> 3] >> (7 - (bit & 7))) & 1u)) dark_.set(x, y);
                    ++bit;
                }
            }
            upward = !upward;
        }
    }

    // Scores every mask (or takes `forced_mask`), applies the chosen one and writes the format
    // information of (`ecc`, mask) into `out`. Call once, after `place`.
    constexpr void finish(qr_ecc ecc, int forced_mask, qr_symbol<MaxVersion>& out) noexcept {
        using matrix = qr_bit_matrix<MaxVersion>;
        // From here on only the complement is needed: the modules that carry codewords (and
        // are masked). Computed in place to save stack.
        matrix& free = reserved_;
        const int words = qr_words_per_row(size_);
        for (int y = 0; y < size_; ++y) {
            for (int w = 0; w < words; ++w) {
                const auto yi = static_cast<std::size_t>(y);
                const auto wi = static_cast<std::size_t>(w);
                const int bits = size_ - 64 * w;
                const std::uint64_t valid = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
                free.rows[yi][wi] = ~free.rows[yi][wi] & valid;
            }
        }
        int mask = forced_mask;
        if (mask < 0) {
            switch (words) {
                case 1: mask = best_mask<1>(ecc, free); break;
                case 2:
                    if constexpr (matrix::words >= 2) mask = best_mask<2>(ecc, free);
                    break;
                default:
                    if constexpr (matrix::words >= 3) mask = best_mask<3>(ecc, free);
                    break;
            }
        }
        out.modules = dark_;
        for (int y = 0; y < size_; ++y) {
            const auto& pattern =
                qr_masks.by_row[static_cast<std::size_t>(mask)][static_cast<std::size_t>(y % 12)];
            for (int w = 0; w < words; ++w) {
                const auto yi = static_cast<std::size_t>(y);
                const auto wi = static_cast<std::size_t>(w);
                out.modules.rows[yi][wi] ^= pattern[wi] & free.rows[yi][wi];
            }
        }
        const std::uint32_t format = qr_format_information(static_cast<int>(ecc), mask);
        for (int bit = 0; bit < 15; ++bit) {
            if (((format >> bit) & 1u) == 0) continue;
            const qr_format_position a = qr_format_first_copy(bit);
            const qr_format_position b = qr_format_second_copy(bit, size_);
            out.modules.set(a.x, a.y);
            out.modules.set(b.x, b.y);
        }
        out.version = static_cast<std::uint8_t>(version_);
        out.ecc = ecc;
        out.mask = static_cast<std::uint8_t>(mask);
        qr_wipe(dark_.rows, static_cast<std::size_t>(size_));  // the placed codewords, unmasked
    }

private:
    constexpr void set_function(int x, int y, bool is_dark) noexcept {
        reserved_.set(x, y);
        if (is_dark)
            dark_.set(x, y);
        else
            dark_.clear(x, y);
    }

    constexpr void draw_function_patterns() noexcept {
        // Timing patterns (§6.3.5): row 6 and column 6, dark on even coordinates. Finder and
        // alignment patterns drawn afterwards agree with them where they overlap.
        for (int i = 0; i < size_; ++i) {
            set_function(i, 6, i % 2 == 0);
            set_function(6, i, i % 2 == 0);
        }
        // Finder patterns with their light separators (§6.3.3, §6.3.4): dark at Chebyshev
        // distance 0, 1 and 3 from the centre, light at 2 and 4.
        const int centres[3][2] = {{3, 3}, {size_ - 4, 3}, {3, size_ - 4}};
        for (const auto& c : centres) {
            for (int dy = -4; dy <= 4; ++dy) {
                for (int dx = -4; dx <= 4; ++dx) {
                    const int x = c[0] + dx;
                    const int y = c[1] + dy;
                    if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
                    const int distance =
                        (dx < 0 ? -dx : dx) > (dy < 0 ? -dy : dy) ? (dx < 0 ? -dx : dx) : (dy < 0 ? -dy : dy);
                    set_function(x, y, distance != 2 && distance != 4);
                }
            }
        }
        // Alignment patterns (§6.3.6, Annex E): at every pair of listed coordinates except the
        // three occupied by finder patterns; dark at distance 0 and 2.
        const auto& positions = qr_alignment_positions[static_cast<std::size_t>(version_)];
        const int count = qr_alignment_count(version_);
        for (int i = 0; i < count; ++i) {
            for (int j = 0; j < count; ++j) {
                if ((i == 0 && j == 0) || (i == 0 && j == count - 1) || (i == count - 1 && j == 0)) continue;
                const int cx = positions[static_cast<std::size_t>(i)];
                const int cy = positions[static_cast<std::size_t>(j)];
                for (int dy = -2; dy <= 2; ++dy) {
                    for (int dx = -2; dx <= 2; ++dx) {
                        const int distance = (dx < 0 ? -dx : dx) > (dy < 0 ? -dy : dy) ? (dx < 0 ? -dx : dx)
                                                                                       : (dy < 0 ? -dy : dy);
                        set_function(cx + dx, cy + dy, distance != 1);
                    }
                }
            }
        }
        // Format information areas (§7.9.1): reserved now, written once the mask is known;
        // and the dark module at (8, 4V + 9) = (8, size - 8).
        for (int bit = 0; bit < 15; ++bit) {
            const qr_format_position a = qr_format_first_copy(bit);
            const qr_format_position b = qr_format_second_copy(bit, size_);
            set_function(a.x, a.y, false);
            set_function(b.x, b.y, false);
        }
        set_function(8, size_ - 8, true);
        // Version information (§7.10), versions 7 and up: bit i at (size - 11 + i % 3, i / 3),
        // left of the top-right finder pattern, and transposed, above the bottom-left one.
        if (version_ >= 7) {
            const std::uint32_t info = qr_version_information(version_);
            for (int i = 0; i < 18; ++i) {
                const bool bit = ((info >> i) & 1u) != 0;
                const int a = size_ - 11 + i % 3;
                const int b = i / 3;
                set_function(a, b, bit);
                set_function(b, a, bit);
            }
        }
    }

    template <int W>
    [[nodiscard]] constexpr int best_mask(qr_ecc ecc, const qr_bit_matrix<MaxVersion>& free) const noexcept {
        // The columns, as rows of the transposed matrices, for rules 1 and 3 down columns.
        qr_bit_matrix<MaxVersion> dark_t{};
        qr_bit_matrix<MaxVersion> free_t{};
        qr_transpose<MaxVersion, W>(dark_, dark_t, size_);
        qr_transpose<MaxVersion, W>(free, free_t, size_);
        const qr_line_limits<W> limits = make_qr_line_limits<W>(size_);
        const int total = size_ * size_;
        int best = 0;
        int best_score = 0;
        for (int mask = 0; mask < 8; ++mask) {
            // The format information of this mask, as the bits of row 8 (over x) and of
            // column 8 (over y); both include (8, 8).
            const std::uint32_t format = qr_format_information(static_cast<int>(ecc), mask);
            qr_line<W> row8{};
            qr_line<W> column8{};
            for (int bit = 0; bit < 15; ++bit) {
                if (((format >> bit) & 1u) == 0) continue;
                for (const qr_format_position p :
                     {qr_format_first_copy(bit), qr_format_second_copy(bit, size_)}) {
                    if (p.y == 8) row8[static_cast<std::size_t>(p.x >> 6)] |= std::uint64_t{1} << (p.x & 63);
                    if (p.x == 8)
                        column8[static_cast<std::size_t>(p.y >> 6)] |= std::uint64_t{1} << (p.y & 63);
                }
            }
            const auto line_of = [&](const qr_bit_matrix<MaxVersion>& base,
                                     const qr_bit_matrix<MaxVersion>& open, const auto& patterns,
                                     const qr_line<W>& own8, const qr_line<W>& cross8, int index) {
                const auto i = static_cast<std::size_t>(index);
                const auto& pattern =
                    patterns[static_cast<std::size_t>(mask)][static_cast<std::size_t>(index % 12)];
                qr_line<W> line{};
                for (int w = 0; w < W; ++w) {
                    const auto wi = static_cast<std::size_t>(w);
                    line[wi] = base.rows[i][wi] ^ (pattern[wi] & open.rows[i][wi]);
                    if (index == 8) line[wi] |= own8[wi];
                }
                if ((cross8[i >> 6] >> (i & 63)) & 1u) line[0] |= std::uint64_t{1} << 8;
                return line;
            };
            int score = 0;
            int dark = 0;
            qr_line<W> previous{};
            for (int y = 0; y < size_; ++y) {
                const qr_line<W> row = line_of(dark_, free, qr_masks.by_row, row8, column8, y);
                score += qr_line_penalty<W>(row, limits);
                if (y > 0) score += qr_block_penalty<W>(previous, row, limits);
                dark += qr_popcount<W>(row);
                previous = row;
            }
            for (int x = 0; x < size_ && (mask == 0 || score < best_score); ++x) {
                score +=
                    qr_line_penalty<W>(line_of(dark_t, free_t, qr_masks.by_column, column8, row8, x), limits);
            }
            score += qr_balance_penalty(dark, total);
            if (mask == 0 || score < best_score) {
                best = mask;
                best_score = score;
            }
        }
        qr_wipe(dark_t.rows, static_cast<std::size_t>(size_));
        return best;
    }

    int version_;
    int size_;
    qr_bit_matrix<MaxVersion> dark_{};      // function patterns and codewords, unmasked
    qr_bit_matrix<MaxVersion> reserved_{};  // function modules (including format areas)
};

// ---- Data encoding (§7.4) -----------------------------------------------------------------

// Appends bits, most significant first, to zero-initialised codewords. Bits past the end of
// `out` are counted but not stored (the encoder checks the count; this never happens).
struct qr_bit_writer {
    std::span<std::uint8_t> out;
    std::size_t bit_count = 0;

    constexpr void put(std::uint32_t value, int bits) noexcept {
        for (int i = bits - 1; i >= 0; --i) {
            if (((value >> i) & 1u) && (bit_count >> 3) < out.size()) {
                out[bit_count >> 3] |= static_cast<std::uint8_t>(0x80u >> (bit_count & 7));
            }
            ++bit_count;
        }
    }
};

// Segment modes as small indices, for the segmentation tables below.
inline constexpr std::uint8_t qr_numeric = 0;
inline constexpr std::uint8_t qr_alphanumeric = 1;
inline constexpr std::uint8_t qr_byte = 2;

[[nodiscard]] constexpr qr_segment_mode qr_mode_of(std::uint8_t index) noexcept {
    return index == qr_numeric        ? qr_segment_mode::numeric
           : index == qr_alphanumeric ? qr_segment_mode::alphanumeric
                                      : qr_segment_mode::byte;
}

// Writes one segment (§7.4.3–§7.4.5): mode indicator, character count, data. The count always
// fits its indicator: in each version class a segment too long for the indicator (1024 digits,
// 512 alphanumeric characters or 256 bytes in versions 1–9, and so on) would take more bits than
// the largest version of the class holds, so no fitting plan contains one.
constexpr void qr_write_segment(qr_bit_writer& writer, std::uint8_t mode, const char* chars,
                                std::size_t count, int version_class) noexcept {
    const qr_segment_mode m = qr_mode_of(mode);
    writer.put(static_cast<std::uint32_t>(m), 4);
    writer.put(static_cast<std::uint32_t>(count), qr_count_bits(m, version_class));
    if (mode == qr_numeric) {
        // Groups of three digits in 10 bits; a final group of two in 7, of one in 4.
        std::size_t i = 0;
        for (; i + 3 <= count; i += 3) {
            writer.put(static_cast<std::uint32_t>((chars[i] - '0') * 100 + (chars[i + 1] - '0') * 10 +
                                                  (chars[i + 2] - '0')),
                       10);
        }
        if (count - i == 2)
            writer.put(static_cast<std::uint32_t>((chars[i] - '0') * 10 + (chars[i + 1] - '0')), 7);
        if (count - i == 1) writer.put(static_cast<std::uint32_t>(chars[i] - '0'), 4);
    } else if (mode == qr_alphanumeric) {
        // Pairs as 45 · first + second in 11 bits; a final single character in 6.
        std::size_t i = 0;
        for (; i + 2 <= count; i += 2) {
            writer.put(static_cast<std::uint32_t>(qr_alphanumeric_value(chars[i]) * 45 +
                                                  qr_alphanumeric_value(chars[i + 1])),
                       11);
        }
        if (i < count) writer.put(static_cast<std::uint32_t>(qr_alphanumeric_value(chars[i])), 6);
    } else {
        for (std::size_t i = 0; i < count; ++i) writer.put(static_cast<unsigned char>(chars[i]), 8);
    }
}

/**
 * The shortest segmentation of a text into numeric, alphanumeric and byte segments, for one
 * character count indicator class (the lengths depend on the version, Table 3).
 *
 * Dynamic programming over the characters with six states: "inside a numeric segment whose
 * length is 0, 1 or 2 mod 3", "inside an alphanumeric segment of even or odd length", "inside
 * a byte segment". Tracking the residues makes the bit counts exact (a numeric segment of n
 * digits takes 10·⌊n/3⌋ + {0, 4, 7}[n mod 3] bits), so the result is optimal, not an
 * approximation. Starting a segment costs its mode indicator and character count indicator.
 * A byte of a multi-byte UTF-8 sequence is never a digit or alphanumeric character, so a
 * UTF-8 character never straddles two segments.
 *
 * For each character the predecessor choices of the three states that have any are kept in
 * one byte (`choice`), so the memory is one byte per character; `modes_from_choices` turns
 * them into the mode of every character.
 */
class qr_segmenter {
public:
    static constexpr int infinity = 1 << 29;
    enum state : std::uint8_t { n0, n1, n2, a0, a1, b, state_count };

    // The predecessors of the three states that can start a segment, in the order their index
    // is stored in a choice byte: n1 in bits 0-1, a1 in bits 2-4, b in bits 5-7.
    static constexpr std::array<state, 4> n1_from{n0, a0, a1, b};
    static constexpr std::array<state, 5> a1_from{a0, n0, n1, n2, b};
    static constexpr std::array<state, 6> b_from{b, n0, n1, n2, a0, a1};

    // Runs the dynamic program over `text`, filling choices[0..text.size()), and returns the
    // number of bits of the best segmentation with the given count indicator class.
    [[nodiscard]] static constexpr int plan(std::string_view text, int version_class,
                                            std::span<std::uint8_t> choices, state& final_state) noexcept {
        const int header_n = 4 + qr_count_bits(qr_segment_mode::numeric, version_class);
        const int header_a = 4 + qr_count_bits(qr_segment_mode::alphanumeric, version_class);
        const int header_b = 4 + qr_count_bits(qr_segment_mode::byte, version_class);
        std::array<int, state_count> cost{infinity, infinity, infinity, infinity, infinity, infinity};
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            const bool digit = c >= '0' && c <= '9';
            const bool alnum = qr_alphanumeric_value(c) >= 0;
            const std::array<int, state_count> was = cost;
            std::uint8_t choice = 0;
            // The cheapest way to have ended the previous segment with one of `from` (0 at
            // the start of the text), and its index in `from`.
            const auto cheapest = [&](const auto& from, std::size_t first) {
                int best = i == 0 ? 0 : infinity;
                std::size_t index = first;
                if (i != 0) {
                    for (std::size_t k = first; k < from.size(); ++k) {
                        if (was[from[k]] < best) {
                            best = was[from[k]];
                            index = k;
                        }
                    }
                }
                return std::pair<int, std::size_t>{best, index};
            };
            cost.fill(infinity);
            if (digit) {
                const auto [start, index] = cheapest(n1_from, 1);
                const int continued = was[n0] + 4;
                const int started = start >= infinity ? infinity : start + header_n + 4;
                if (continued <= started) {
                    cost[n1] = continued;
                } else {
                    cost[n1] = started;
                    choice |= static_cast<std::uint8_t>(index);
                }
                cost[n2] = was[n1] + 3;
                cost[n0] = was[n2] + 3;
            }
            if (alnum) {
                const auto [start, index] = cheapest(a1_from, 1);
                const int continued = was[a0] + 6;
                const int started = start >= infinity ? infinity : start + header_a + 6;
                if (continued <= started) {
                    cost[a1] = continued;
                } else {
                    cost[a1] = started;
                    choice |= static_cast<std::uint8_t>(index << 2);
                }
                cost[a0] = was[a1] + 5;
            }
            {
                const auto [start, index] = cheapest(b_from, 1);
                const int continued = was[b] + 8;
                const int started = start >= infinity ? infinity : start + header_b + 8;
                if (continued <= started) {
                    cost[b] = continued;
                } else {
                    cost[b] = started;
                    choice |= static_cast<std::uint8_t>(index << 5);
                }
            }
            for (int& v : cost) v = v > infinity ? infinity : v;
            choices[i] = choice;
        }
        if (text.empty()) {
            final_state = b;
            return 0;
        }
        int best = infinity;
        for (std::uint8_t s = 0; s < state_count; ++s) {
            if (cost[s] < best) {
                best = cost[s];
                final_state = static_cast<state>(s);
            }
        }
        return best;
    }

    // Replaces choices[i] by the mode (qr_numeric, qr_alphanumeric, qr_byte) of character i
    // on the best path that ends in `final_state`.
    static constexpr void modes_from_choices(std::span<std::uint8_t> choices, std::size_t count,
                                             state final_state) noexcept {
        state s = final_state;
        for (std::size_t i = count; i-- > 0;) {
            const std::uint8_t choice = choices[i];
            state previous = s;
            std::uint8_t mode = qr_byte;
            switch (s) {
                case n0: previous = n2, mode = qr_numeric; break;
                case n2: previous = n1, mode = qr_numeric; break;
                case n1: previous = n1_from[choice & 0x3u], mode = qr_numeric; break;
                case a0: previous = a1, mode = qr_alphanumeric; break;
                case a1: previous = a1_from[(choice >> 2) & 0x7u], mode = qr_alphanumeric; break;
                default: previous = b_from[(choice >> 5) & 0x7u], mode = qr_byte; break;
            }
            choices[i] = mode;
            s = previous;
        }
    }
};

// The largest number of data codewords, and of all codewords, of any version up to MaxVersion.
[[nodiscard]] constexpr int qr_max_data_codewords(int max_version) noexcept {
    int most = 0;
    for (int v = 1; v <= max_version; ++v) {
        for (int e = 0; e < 4; ++e) most = qr_data_codewords(v, e) > most ? qr_data_codewords(v, e) : most;
    }
    return most;
}

template <int MaxVersion>
class qr_encoder {
public:
    static constexpr std::size_t max_data_codewords =
        static_cast<std::size_t>(qr_max_data_codewords(MaxVersion));
    static constexpr std::size_t max_codewords = static_cast<std::size_t>(qr_total_codewords(MaxVersion));
    // A text longer than this cannot fit: every character takes at least 10/3 bits.
    static constexpr std::size_t max_text_length = max_data_codewords * 8 * 3 / 10;

    static constexpr result<qr_symbol<MaxVersion>> encode_text(std::string_view text,
                                                               const qr_options& options) noexcept {
        const auto range = check(options);
        if (!range) return unexpected(range.error());
        if (text.size() > max_text_length) return unexpected(errc::qr_data_too_long);
        std::array<std::uint8_t, max_text_length> choices{};
        const auto [first, last] = *range;
        const int ecc = static_cast<int>(options.ecc);
        // Readers take byte segments as ISO-8859-1 unless told otherwise (§7.4.2), and zbar guesses
        // Shift JIS or Big5 for some UTF-8: a UTF-8 text other than ASCII is declared so.
        const bool declare_utf8 = has_non_ascii(text) && is_utf8(text);
        const int header_bits = declare_utf8 ? qr_eci_utf8_header_bits : 0;
        // One plan per count indicator class, smallest versions first; the first class with a
        // version that holds the plan's bits wins (a later class only has larger versions).
        for (int cls = qr_version_class(first); cls <= qr_version_class(last); ++cls) {
            qr_segmenter::state final_state = qr_segmenter::b;
            const int bits = header_bits + qr_segmenter::plan(text, cls, choices, final_state);
            const int version = smallest_version(bits, cls, first, last, ecc);
            if (version == 0) continue;
            qr_segmenter::modes_from_choices(choices, text.size(), final_state);
            std::array<std::uint8_t, max_data_codewords> data{};
            qr_bit_writer writer{data};
            if (declare_utf8) {
                writer.put(qr_eci_mode_indicator, 4);
                writer.put(qr_eci_utf8_designator, 8);
            }
            for (std::size_t begin = 0; begin < text.size();) {
                std::size_t end = begin + 1;
                while (end < text.size() && choices[end] == choices[begin]) ++end;
                qr_write_segment(writer, choices[begin], text.data() + begin, end - begin, cls);
                begin = end;
            }
            qr_wipe(choices, text.size());  // which characters are digits, letters, other bytes
            return finish(data, writer, bits, version, options);
        }
        qr_wipe(choices, text.size());
        return unexpected(errc::qr_data_too_long);
    }

    static constexpr result<qr_symbol<MaxVersion>> encode_bytes(std::span<const std::byte> bytes,
                                                                const qr_options& options) noexcept {
        const auto range = check(options);
        if (!range) return unexpected(range.error());
        if (bytes.size() > max_data_codewords) return unexpected(errc::qr_data_too_long);
        const auto [first, last] = *range;
        const int ecc = static_cast<int>(options.ecc);
        for (int cls = qr_version_class(first); cls <= qr_version_class(last); ++cls) {
            const int bits =
                4 + qr_count_bits(qr_segment_mode::byte, cls) + 8 * static_cast<int>(bytes.size());
            const int version = smallest_version(bits, cls, first, last, ecc);
            if (version == 0) continue;
            std::array<std::uint8_t, max_data_codewords> data{};
            qr_bit_writer writer{data};
            writer.put(static_cast<std::uint32_t>(qr_segment_mode::byte), 4);
            writer.put(static_cast<std::uint32_t>(bytes.size()), qr_count_bits(qr_segment_mode::byte, cls));
            for (const std::byte byte : bytes) writer.put(std::to_integer<std::uint32_t>(byte), 8);
            return finish(data, writer, bits, version, options);
        }
        return unexpected(errc::qr_data_too_long);
    }

private:
    struct version_range {
        int first;
        int last;
    };

    static constexpr result<version_range> check(const qr_options& options) noexcept {
        const int ecc = static_cast<int>(options.ecc);
        if (ecc < 0 || ecc > 3 || options.min_version < qr_min_version ||
            options.max_version > qr_max_version || options.min_version > options.max_version ||
            options.min_version > MaxVersion || options.mask < qr_auto_mask || options.mask > 7) {
            return unexpected(errc::invalid_qr_options);
        }
        return version_range{options.min_version,
                             options.max_version < MaxVersion ? options.max_version : MaxVersion};
    }

    // The smallest version of class `cls` within [first, last] holding `bits` at level `ecc`,
    // or 0.
    static constexpr int smallest_version(int bits, int cls, int first, int last, int ecc) noexcept {
        const int from = first > qr_class_first_version[static_cast<std::size_t>(cls)]
                             ? first
                             : qr_class_first_version[static_cast<std::size_t>(cls)];
        const int to = last < qr_class_last_version[static_cast<std::size_t>(cls)]
                           ? last
                           : qr_class_last_version[static_cast<std::size_t>(cls)];
        for (int v = from; v <= to; ++v) {
            if (bits <= qr_data_bits(v, ecc)) return v;
        }
        return 0;
    }

    // Terminator, padding, error correction, interleaving, placement, masking (§7.4.9–§7.9).
    // Wipes `data` and every working buffer (see qr_wipe) before it returns.
    static constexpr qr_symbol<MaxVersion> finish(std::array<std::uint8_t, max_data_codewords>& data,
                                                  qr_bit_writer& writer, int bits, int version,
                                                  const qr_options& options) noexcept {
        // The plan's bit count is exact (tests check it against brute force), so the stream
        // written fits the chosen version.
        TWOFACTOR_ASSERT(writer.bit_count == static_cast<std::size_t>(bits),
                         "QR bit stream longer than planned");
        int ecc = static_cast<int>(options.ecc);
        if (options.boost_ecc) {
            while (ecc < 3 && bits <= qr_data_bits(version, ecc + 1)) ++ecc;
        }
        const auto capacity = static_cast<std::size_t>(qr_data_bits(version, ecc));
        // Terminator: up to four zero bits; then zeros to the byte boundary (already zero);
        // then the pad codewords 11101100 and 00010001 alternately (§7.4.9, §7.4.10).
        std::size_t used = writer.bit_count + 4 < capacity ? writer.bit_count + 4 : capacity;
        used = (used + 7) / 8;
        const std::size_t data_count = capacity / 8;
        for (std::size_t i = used; i < data_count; ++i) data[i] = (i - used) % 2 == 0 ? 0xEC : 0x11;

        // Error correction blocks (§7.5.2, Table 9): the blocks of the shorter size first; the
        // codewords interleaved column by column, data first, then error correction (§7.6).
        const auto e = static_cast<std::size_t>(ecc);
        const auto v = static_cast<std::size_t>(version);
        const std::size_t blocks = qr_ecc_block_count[e][v];
        const std::size_t ecc_per_block = qr_ecc_codewords_per_block[e][v];
        const auto total = static_cast<std::size_t>(qr_total_codewords(version));
        const std::size_t long_blocks = total % blocks;
        const std::size_t short_blocks = blocks - long_blocks;
        const std::size_t short_data = total / blocks - ecc_per_block;
        std::array<std::uint8_t, max_codewords> codewords{};
        std::array<std::uint8_t, rs_max_degree> ecc_codewords{};
        std::size_t offset = 0;
        for (std::size_t block = 0; block < blocks; ++block) {
            const std::size_t length = short_data + (block < short_blocks ? 0 : 1);
            const std::span<const std::uint8_t> block_data(data.data() + offset, length);
            rs_remainder(block_data, std::span<std::uint8_t>(ecc_codewords.data(), ecc_per_block));
            for (std::size_t i = 0; i < length; ++i) {
                // Column i of the data part; the extra codeword of the long blocks comes after
                // every block's column short_data - 1.
                codewords[i < short_data ? i * blocks + block
                                         : short_data * blocks + (block - short_blocks)] = block_data[i];
            }
            for (std::size_t i = 0; i < ecc_per_block; ++i)
                codewords[data_count + i * blocks + block] = ecc_codewords[i];
            offset += length;
        }

        qr_wipe(data, data_count);
        qr_wipe(ecc_codewords);

        qr_builder<MaxVersion> builder(version);
        builder.place(std::span<const std::uint8_t>(codewords.data(), total));
        qr_wipe(codewords, total);
        qr_symbol<MaxVersion> symbol;
        builder.finish(static_cast<qr_ecc>(ecc), options.mask, symbol);  // wipes its unmasked copy
        return symbol;
    }
};

}  // namespace detail

/**
 * An immutable QR code symbol (ISO/IEC 18004:2015, Model 2): a square of `size()` × `size()`
 * modules, each dark or light, plus the version, error correction level and mask it was
 * built with. Make one with `encode_text` or `encode_bytes`; draw it with the renderers of
 * twofactor/qr_render.hpp or with `module(x, y)`.
 *
 * Storage is fixed, inside the object, and never on the heap: one bit per module, each row
 * padded to whole 64-bit words, for the largest symbol of `MaxVersion` (1..40). `qr_code`
 * (= basic_qr_code<40>) takes about 4.2 KiB and holds any QR code; firmware that only
 * needs small codes can use e.g. `basic_qr_code<10>` (57 × 57 modules, 464 bytes), whose
 * encoder never picks a version above 10 and reports errc::qr_data_too_long beyond it.
 * Encoding works in stack buffers sized by `MaxVersion` as well: about 45 KiB for
 * MaxVersion 40 and 6 KiB for MaxVersion 10 (GCC 12, -O2, x86-64).
 *
 *     auto code = twofactor::qr_code::encode_text("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP");
 *     if (!code) return code.error();
 *     for (int y = 0; y < code->size(); ++y)
 *         for (int x = 0; x < code->size(); ++x) draw(x, y, code->module(x, y));
 */
template <int MaxVersion = 40>
requires(MaxVersion >= 1 && MaxVersion <= 40) class basic_qr_code {
public:
    /// The largest version this type holds, 1..40.
    static constexpr int max_version = MaxVersion;
    /// The number of modules per side of the largest symbol this type holds (21..177).
    static constexpr int max_size = 4 * MaxVersion + 17;

    /**
     * Encodes `text` in the fewest bits: the text is split into numeric (digits 0-9),
     * alphanumeric (0-9, A-Z, space and $ % * + - . / :) and byte segments wherever that is
     * shorter, optimally (so "0123456789" is one numeric segment, "HELLO WORLD" one
     * alphanumeric segment, and an otpauth:// URI byte mode except for its uppercase base32
     * secret, which goes in alphanumeric mode). Lowercase letters and everything else, including UTF-8
     * sequences, go in byte mode as they are. A text that holds UTF-8 beyond ASCII starts with
     * an ECI header that declares UTF-8 (ECI 000026, 12 bits), so that readers do not take it
     * as ISO-8859-1 or guess another encoding; bytes that are not UTF-8 go without one (the
     * reader's default, ISO-8859-1, then applies), as do ASCII texts such as otpauth:// URIs.
     *
     * The version is the smallest allowed by `options` that holds the data; see `qr_options`.
     * Errors: errc::invalid_qr_options; errc::qr_data_too_long when the text does not fit the
     * largest allowed version at the requested level (never a truncated code). An empty text
     * gives a version 1 code holding no data.
     *
     *     constexpr auto code = twofactor::qr_code::encode_text("HELLO WORLD");
     *     static_assert(code->version() == 1 && code->size() == 21);
     */
    [[nodiscard]] static constexpr result<basic_qr_code> encode_text(
        std::string_view text, const qr_options& options = {}) noexcept {
        auto symbol = detail::qr_encoder<MaxVersion>::encode_text(text, options);
        if (!symbol) return unexpected(symbol.error());
        return basic_qr_code(*symbol);
    }

    /**
     * Encodes `data` as a single byte-mode segment, whatever the bytes are (0x00..0xFF).
     * Up to 2953 bytes fit (version 40, level L). Errors as for `encode_text`.
     *
     *     const std::array<std::byte, 3> data{std::byte{0x00}, std::byte{0xFF}, std::byte{0x10}};
     *     auto code = twofactor::qr_code::encode_bytes(data, {.ecc = twofactor::qr_ecc::high});
     */
    [[nodiscard]] static constexpr result<basic_qr_code> encode_bytes(
        std::span<const std::byte> data, const qr_options& options = {}) noexcept {
        auto symbol = detail::qr_encoder<MaxVersion>::encode_bytes(data, options);
        if (!symbol) return unexpected(symbol.error());
        return basic_qr_code(*symbol);
    }

    /// The version, 1..MaxVersion.
    [[nodiscard]] constexpr int version() const noexcept { return symbol_.version; }
    /// The number of modules per side, 4 · version + 17: 21..177.
    [[nodiscard]] constexpr int size() const noexcept { return 4 * symbol_.version + 17; }
    /// The error correction level actually used (possibly boosted above the requested one).
    [[nodiscard]] constexpr qr_ecc ecc() const noexcept { return symbol_.ecc; }
    /// The mask pattern applied, 0..7 (§7.8.2).
    [[nodiscard]] constexpr int mask() const noexcept { return symbol_.mask; }

    /// Whether the module in column `x`, row `y` (0-based, from the top-left corner) is dark.
    /// Coordinates outside 0..size()-1 are the quiet zone: light (false).
    [[nodiscard]] constexpr bool module(int x, int y) const noexcept {
        if (x < 0 || y < 0 || x >= size() || y >= size()) return false;
        return symbol_.modules.get(x, y);
    }

    friend constexpr bool operator==(const basic_qr_code&, const basic_qr_code&) = default;

private:
    constexpr explicit basic_qr_code(const detail::qr_symbol<MaxVersion>& symbol) noexcept
        : symbol_(symbol) {}

    detail::qr_symbol<MaxVersion> symbol_;
};

/// A QR code of any version 1..40; see `basic_qr_code`.
using qr_code = basic_qr_code<40>;

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_QR_HPP_INCLUDED
// ---- end twofactor/qr.hpp ----

// ---- begin twofactor/qr_render.hpp ----
// twofactor: drawing a QR code (twofactor/qr.hpp) as SVG, as UTF-8 text for a terminal, as PNG
// and as PBM, into caller buffers.
//
// Formats: SVG 1.1 (W3C); PNG (RFC 2083 / ISO/IEC 15948) with a zlib stream (RFC 1950) of
// stored deflate blocks (RFC 1951), see detail/png.hpp; PBM "P4" (Netpbm). The quiet zone,
// the light margin of 4 modules that ISO/IEC 18004:2015 §6.3.8 asks for around the symbol, is
// part of every image.
//
// Every renderer comes in three forms:
// - `*_size(code, options)`: the exact number of bytes the output takes, so a caller can
//   allocate exactly;
// - `render_*(code, out, options)`: writes into a caller buffer, returns the bytes written;
//   no allocation, usable in constant expressions;
// - `to_*(code, options)`: a std::string or std::vector<std::byte>, for code at the edge of a
//   program that allocates anyway.
// Errors: errc::invalid_qr_options for options out of range, errc::output_too_small when the
// buffer is shorter than `*_size`; on error nothing is written.
#ifndef TWOFACTOR_QR_RENDER_HPP_INCLUDED
#define TWOFACTOR_QR_RENDER_HPP_INCLUDED


#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>


// ---- begin twofactor/detail/png.hpp ----
// twofactor: the little of PNG that a QR code needs, without zlib: 1-bit grayscale images
// (PNG, RFC 2083 / ISO/IEC 15948), their pixel data in a zlib stream (RFC 1950) of stored,
// i.e. uncompressed, deflate blocks (RFC 1951 §3.2.4), CRC-32 (ISO 3309, as PNG §3.4 uses it)
// and Adler-32 (RFC 1950 §8.2).
//
// QR codes are small and mostly rendered once, so compression is not worth a dependency:
// stored blocks make a valid PNG that every decoder reads.
#ifndef TWOFACTOR_DETAIL_PNG_HPP_INCLUDED
#define TWOFACTOR_DETAIL_PNG_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace twofactor::inline v1::detail {

// CRC-32 with the reflected polynomial 0xEDB88320, one table lookup per byte.
inline constexpr auto crc32_table = [] {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}();

/// A running CRC-32: `update` with bytes, then `value()`. CRC-32("123456789") == 0xCBF43926.
class crc32 {
public:
    constexpr void update(std::byte b) noexcept {
        state_ = crc32_table[(state_ ^ std::to_integer<std::uint32_t>(b)) & 0xFFu] ^ (state_ >> 8);
    }
    constexpr void update(std::span<const std::byte> bytes) noexcept {
        for (const std::byte b : bytes) update(b);
    }
    [[nodiscard]] constexpr std::uint32_t value() const noexcept { return state_ ^ 0xFFFFFFFFu; }

private:
    std::uint32_t state_ = 0xFFFFFFFFu;
};

/// A running Adler-32 (RFC 1950 §8.2). Adler-32("Wikipedia") == 0x11E60398.
class adler32 {
public:
    constexpr void update(std::byte b) noexcept {
        a_ += std::to_integer<std::uint32_t>(b);
        if (a_ >= modulus) a_ -= modulus;
        b_ += a_;
        if (b_ >= modulus) b_ -= modulus;
    }
    constexpr void update(std::span<const std::byte> bytes) noexcept {
        for (const std::byte b : bytes) update(b);
    }
    [[nodiscard]] constexpr std::uint32_t value() const noexcept { return (b_ << 16) | a_; }

private:
    static constexpr std::uint32_t modulus = 65521;  // the largest prime below 2^16
    std::uint32_t a_ = 1;
    std::uint32_t b_ = 0;
};

/// The largest payload of one stored deflate block (LEN is 16 bits).
inline constexpr std::uint64_t deflate_stored_block_max = 65535;

/// The size of a zlib stream holding `raw` bytes in stored blocks: 2 header bytes, 5 bytes
/// (BFINAL/BTYPE byte, LEN, NLEN) per block of up to 65535 bytes (at least one block), the
/// data, and the 4-byte Adler-32.
[[nodiscard]] constexpr std::uint64_t zlib_stored_size(std::uint64_t raw) noexcept {
    const std::uint64_t blocks =
        raw == 0 ? 1 : (raw + deflate_stored_block_max - 1) / deflate_stored_block_max;
    return 2 + 5 * blocks + raw + 4;
}

/// The size of a PNG file of one IHDR, one IDAT and one IEND chunk whose IDAT holds `raw`
/// bytes of filtered scanlines: 8 signature bytes, 12 bytes of length, type and CRC per chunk,
/// 13 bytes of IHDR data.
[[nodiscard]] constexpr std::uint64_t png_size(std::uint64_t raw) noexcept {
    return 8 + (12 + 13) + (12 + zlib_stored_size(raw)) + 12;
}

/// The scanline bytes of a 1-bit grayscale image: per row, filter type 0 and ⌈width / 8⌉ bytes.
[[nodiscard]] constexpr std::uint64_t png_gray1_raw_size(std::uint32_t width, std::uint32_t height) noexcept {
    return static_cast<std::uint64_t>(height) * (1 + (static_cast<std::uint64_t>(width) + 7) / 8);
}

// Writes a PNG chunk's bytes to `sink` (anything with put(std::byte)) while computing the CRC
// over its type and data (PNG §5.3).
template <class Sink>
class png_chunk_writer {
public:
    constexpr png_chunk_writer(Sink& sink, std::string_view type, std::uint32_t length) noexcept
        : sink_(sink) {
        put_be32_raw(length);
        for (const char c : type) put(static_cast<std::byte>(c));
    }
    constexpr void put(std::byte b) noexcept {
        crc_.update(b);
        sink_.put(b);
    }
    constexpr void put_be32(std::uint32_t value) noexcept {
        for (int shift = 24; shift >= 0; shift -= 8) put(static_cast<std::byte>((value >> shift) & 0xFFu));
    }
    constexpr void finish() noexcept { put_be32_raw(crc_.value()); }

private:
    constexpr void put_be32_raw(std::uint32_t value) noexcept {
        for (int shift = 24; shift >= 0; shift -= 8)
            sink_.put(static_cast<std::byte>((value >> shift) & 0xFFu));
    }
    Sink& sink_;
    crc32 crc_;
};

/**
 * Writes a complete 1-bit grayscale, non-interlaced PNG of `width` × `height` pixels to
 * `sink`. `row_byte(y, i)` returns byte i (0..⌈width / 8⌉ - 1) of scanline y, pixels most
 * significant bit first, 0 = black and 1 = white; unused low bits of the last byte are
 * ignored by decoders. Exactly png_size(png_gray1_raw_size(width, height)) bytes are written.
 * Preconditions: 1 <= width, height <= 2^31 - 1, and the raw size fits an IDAT chunk.
 */
template <class Sink, class RowByte>
constexpr void write_png_gray1(Sink& sink, std::uint32_t width, std::uint32_t height,
                               RowByte&& row_byte) noexcept {
    constexpr std::array<std::uint8_t, 8> signature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    for (const std::uint8_t b : signature) sink.put(static_cast<std::byte>(b));

    {
        png_chunk_writer<Sink> ihdr(sink, "IHDR", 13);
        ihdr.put_be32(width);
        ihdr.put_be32(height);
        ihdr.put(std::byte{1});  // bit depth
        ihdr.put(std::byte{0});  // colour type 0: grayscale
        ihdr.put(std::byte{0});  // compression method 0: deflate
        ihdr.put(std::byte{0});  // filter method 0
        ihdr.put(std::byte{0});  // no interlace
        ihdr.finish();
    }

    const std::uint64_t row_bytes = (static_cast<std::uint64_t>(width) + 7) / 8;
    const std::uint64_t raw = png_gray1_raw_size(width, height);
    {
        png_chunk_writer<Sink> idat(sink, "IDAT", static_cast<std::uint32_t>(zlib_stored_size(raw)));
        // zlib header (RFC 1950 §2.2): CM 8 (deflate), CINFO 7 (32 KiB window), no dictionary,
        // FLEVEL 0; FCHECK makes 0x7801 a multiple of 31.
        idat.put(std::byte{0x78});
        idat.put(std::byte{0x01});
        adler32 checksum;
        std::uint64_t remaining = raw;  // bytes not yet written
        std::uint64_t block_left = 0;   // bytes left in the current stored block
        const auto put_data = [&](std::byte b) {
            if (block_left == 0) {
                // A stored block header (RFC 1951 §3.2.3, §3.2.4): BFINAL, BTYPE 00, then
                // aligned LEN and NLEN, little-endian.
                block_left = remaining < deflate_stored_block_max ? remaining : deflate_stored_block_max;
                const auto len = static_cast<std::uint16_t>(block_left);
                const auto nlen = static_cast<std::uint16_t>(~len);
                idat.put(std::byte{remaining == block_left ? std::uint8_t{1} : std::uint8_t{0}});
                idat.put(static_cast<std::byte>(len & 0xFFu));
                idat.put(static_cast<std::byte>(len >> 8));
                idat.put(static_cast<std::byte>(nlen & 0xFFu));
                idat.put(static_cast<std::byte>(nlen >> 8));
            }
            idat.put(b);
            checksum.update(b);
            --block_left;
            --remaining;
        };
        for (std::uint32_t y = 0; y < height; ++y) {
            put_data(std::byte{0});  // filter type 0: None
            for (std::uint64_t i = 0; i < row_bytes; ++i)
                put_data(row_byte(y, static_cast<std::uint32_t>(i)));
        }
        idat.put_be32(checksum.value());
        idat.finish();
    }

    png_chunk_writer<Sink> iend(sink, "IEND", 0);
    iend.finish();
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_PNG_HPP_INCLUDED
// ---- end twofactor/detail/png.hpp ----

namespace twofactor::inline v1 {

/// The largest quiet zone, in modules, the renderers accept.
inline constexpr int qr_max_quiet_zone = 64;
/// The largest width or height in pixels of a PNG or PBM image.
inline constexpr int qr_max_image_side = 1 << 16;

/// SVG output options. `quiet_zone`: light modules around the symbol, 0..qr_max_quiet_zone
/// (ISO/IEC 18004 asks for at least 4). `xml_declaration`: start with `<?xml ...?>`, as a
/// standalone .svg file should; false for an `<svg>` element inlined in an HTML page, where a
/// declaration does not belong.
struct qr_svg_options {
    int quiet_zone = 4;
    bool xml_declaration = true;
};

/**
 * Which modules the block characters of terminal output draw, and with which colours.
 *
 * A terminal draws a block character in its foreground colour and a space in its
 * background colour, and which of the two is light depends on the user's theme. A QR code
 * must be dark on light (readers handle inverted codes unevenly), so:
 */
enum class qr_terminal_palette {
    /**
     * The default, right on every terminal that understands ANSI colours (practically all):
     * each line starts with SGR 97;40 (bright white foreground on black background) and ends
     * with SGR 0 (reset), and the block characters draw the light modules. The colours are
     * explicit, so the theme does not matter.
     */
    ansi,
    /**
     * No escape sequences; the block characters draw the light modules, spaces are dark. Right
     * on terminals with light text on a dark background (the common default), inverted on
     * light-background terminals.
     */
    light_blocks,
    /**
     * No escape sequences; the block characters draw the dark modules, spaces are light. Right
     * on light-background terminals, on paper and in text files.
     */
    dark_blocks,
};

/// Terminal output options. `quiet_zone`: 0..qr_max_quiet_zone modules.
struct qr_terminal_options {
    qr_terminal_palette palette = qr_terminal_palette::ansi;
    int quiet_zone = 4;
};

/// PNG and PBM output options: `scale` pixels per module side (1..; the image side, (size + 2 ·
/// quiet_zone) · scale, at most qr_max_image_side), `quiet_zone` 0..qr_max_quiet_zone modules.
struct qr_image_options {
    int scale = 8;
    int quiet_zone = 4;
};

namespace detail {

// Output targets: `counting_sink` only counts; `span_sink` writes, and counts what did not fit.
template <class T>
struct counting_sink {
    std::size_t count = 0;
    constexpr void put(T) noexcept { ++count; }
};

template <class T>
struct span_sink {
    std::span<T> out;
    std::size_t count = 0;
    constexpr void put(T value) noexcept {
        if (count < out.size()) out[count] = value;
        ++count;
    }
};

template <class Sink>
constexpr void put_text(Sink& sink, std::string_view text) noexcept(noexcept(sink.put('\0'))) {
    for (const char c : text) sink.put(c);
}

template <class Sink>
constexpr void put_decimal(Sink& sink, int value) noexcept {
    char digits[12]{};
    int n = 0;
    auto v = static_cast<unsigned>(value);
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) sink.put(digits[--n]);
}

[[nodiscard]] constexpr bool valid_quiet_zone(int quiet_zone) noexcept {
    return quiet_zone >= 0 && quiet_zone <= qr_max_quiet_zone;
}

// One dark subpath per horizontal run of dark modules: "M{x},{y}h{n}v1h-{n}z".
template <class Sink, int MaxVersion>
constexpr void write_svg(Sink& sink, const basic_qr_code<MaxVersion>& code,
                         const qr_svg_options& options) noexcept {
    const int quiet_zone = options.quiet_zone;
    const int side = code.size() + 2 * quiet_zone;
    if (options.xml_declaration) put_text(sink, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    put_text(sink, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 ");
    put_decimal(sink, side);
    sink.put(' ');
    put_decimal(sink, side);
    put_text(sink, "\" shape-rendering=\"crispEdges\">\n<rect width=\"");
    put_decimal(sink, side);
    put_text(sink, "\" height=\"");
    put_decimal(sink, side);
    put_text(sink, "\" fill=\"#FFFFFF\"/>\n<path d=\"");
    bool first = true;
    for (int y = 0; y < code.size(); ++y) {
        for (int x = 0; x < code.size();) {
            if (!code.module(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (code.module(x + run, y)) ++run;
            if (!first) sink.put(' ');
            first = false;
            sink.put('M');
            put_decimal(sink, x + quiet_zone);
            sink.put(',');
            put_decimal(sink, y + quiet_zone);
            sink.put('h');
            put_decimal(sink, run);
            put_text(sink, "v1h-");
            put_decimal(sink, run);
            sink.put('z');
            x += run;
        }
    }
    put_text(sink, "\" fill=\"#000000\"/>\n</svg>\n");
}

// Two module rows per line: U+2580 ▀ upper half, U+2584 ▄ lower half, U+2588 █ full block.
// noexcept as the sink's put: our sinks cannot fail, an output iterator of {fmt}'s can throw
// (a buffer that cannot grow, a file that cannot be written), and that must reach its caller.
template <class Sink, int MaxVersion>
constexpr void write_terminal(Sink& sink, const basic_qr_code<MaxVersion>& code,
                              const qr_terminal_options& options) noexcept(noexcept(sink.put('\0'))) {
    const int q = options.quiet_zone;
    const bool blocks_are_dark = options.palette == qr_terminal_palette::dark_blocks;
    const bool ansi = options.palette == qr_terminal_palette::ansi;
    // The row below the last one (odd row count) is light: it extends the quiet zone.
    const auto drawn = [&](int x, int y) {
        if (y >= code.size() + q) return !blocks_are_dark;
        return code.module(x, y) == blocks_are_dark;
    };
    for (int top = -q; top < code.size() + q; top += 2) {
        if (ansi) put_text(sink, "\x1b[97;40m");
        for (int x = -q; x < code.size() + q; ++x) {
            const bool upper = drawn(x, top);
            const bool lower = drawn(x, top + 1);
            if (upper && lower)
                put_text(sink, "\xE2\x96\x88");
            else if (upper)
                put_text(sink, "\xE2\x96\x80");
            else if (lower)
                put_text(sink, "\xE2\x96\x84");
            else
                sink.put(' ');
        }
        if (ansi) put_text(sink, "\x1b[0m");
        sink.put('\n');
    }
}

// The image side in pixels, or 0 if the options are out of range.
template <int MaxVersion>
[[nodiscard]] constexpr int image_side(const basic_qr_code<MaxVersion>& code,
                                       const qr_image_options& options) noexcept {
    if (!valid_quiet_zone(options.quiet_zone) || options.scale < 1 || options.scale > qr_max_image_side)
        return 0;
    const long long side = static_cast<long long>(code.size() + 2 * options.quiet_zone) * options.scale;
    return side > qr_max_image_side ? 0 : static_cast<int>(side);
}

// Byte `index` of pixel row `y` of the image, 8 pixels most significant bit first, a bit set
// where the pixel is dark (PBM) or, with `light_is_one`, where it is light (PNG grayscale).
// Bits past the right edge are zero.
template <int MaxVersion>
[[nodiscard]] constexpr std::byte image_byte(const basic_qr_code<MaxVersion>& code,
                                             const qr_image_options& options, int side, int y, int index,
                                             bool light_is_one) noexcept {
    unsigned bits = 0;
    const int my = y / options.scale - options.quiet_zone;
    for (int k = 0; k < 8; ++k) {
        const int x = index * 8 + k;
        if (x >= side) break;
        const bool dark = code.module(x / options.scale - options.quiet_zone, my);
        if (dark != light_is_one) bits |= 0x80u >> k;
    }
    return static_cast<std::byte>(bits);
}

template <class Sink, int MaxVersion>
constexpr void write_pbm(Sink& sink, const basic_qr_code<MaxVersion>& code, const qr_image_options& options,
                         int side) noexcept {
    put_text(sink, "P4\n");
    put_decimal(sink, side);
    sink.put(' ');
    put_decimal(sink, side);
    sink.put('\n');
    const int row_bytes = (side + 7) / 8;
    for (int y = 0; y < side; ++y) {
        for (int i = 0; i < row_bytes; ++i) sink.put(image_byte(code, options, side, y, i, false));
    }
}

// Adapts a char sink to the bytes of a PBM header.
template <class ByteSink>
struct char_to_byte_sink {
    ByteSink& sink;
    constexpr void put(char c) noexcept { sink.put(static_cast<std::byte>(c)); }
    constexpr void put(std::byte b) noexcept { sink.put(b); }
};

template <class T>
[[nodiscard]] constexpr result<std::size_t> finish_render(const span_sink<T>& sink) noexcept {
    if (sink.count > sink.out.size()) return unexpected(errc::output_too_small);
    return sink.count;
}

}  // namespace detail

// ---- SVG ------------------------------------------------------------------------------------

/// The exact size in bytes of `render_svg`'s output for `code`.
/// Error: errc::invalid_qr_options (quiet zone out of range).
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> svg_size(const basic_qr_code<MaxVersion>& code,
                                                     const qr_svg_options& options = {}) noexcept {
    if (!detail::valid_quiet_zone(options.quiet_zone)) return unexpected(errc::invalid_qr_options);
    detail::counting_sink<char> sink;
    detail::write_svg(sink, code, options);
    return sink.count;
}

/**
 * Writes `code` as an SVG 1.1 document into `out` and returns its length (no NUL is written).
 * The image is `viewBox="0 0 N N"` with N = size + 2 · quiet_zone and no width or height, so
 * it scales to whatever box it is put in; a white rectangle covers the quiet zone, and one
 * black `<path>` holds all dark modules (one subpath per horizontal run), drawn with
 * `shape-rendering="crispEdges"` so that no seams appear between modules.
 *
 * Errors: errc::invalid_qr_options; errc::output_too_small if `out` is shorter than
 * `svg_size(code, options)`.
 *
 *     std::array<char, 16384> buffer;
 *     auto n = twofactor::render_svg(code, buffer);
 *     if (n) response.write(buffer.data(), *n);
 */
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> render_svg(const basic_qr_code<MaxVersion>& code,
                                                       std::span<char> out,
                                                       const qr_svg_options& options = {}) noexcept {
    const auto size = svg_size(code, options);
    if (!size) return unexpected(size.error());
    if (out.size() < *size) return unexpected(errc::output_too_small);
    detail::span_sink<char> sink{out};
    detail::write_svg(sink, code, options);
    return detail::finish_render(sink);
}

/// `render_svg` into a new std::string. Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] result<std::string> to_svg(const basic_qr_code<MaxVersion>& code,
                                         const qr_svg_options& options = {}) {
    const auto size = svg_size(code, options);
    if (!size) return unexpected(size.error());
    std::string text(*size, '\0');
    const auto written = render_svg(code, std::span<char>(text), options);
    if (!written) return unexpected(written.error());
    return text;
}

// ---- Terminal (UTF-8 half blocks) -----------------------------------------------------------

/// The exact size in bytes of `render_terminal`'s output for `code`.
/// Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> terminal_size(const basic_qr_code<MaxVersion>& code,
                                                          const qr_terminal_options& options = {}) noexcept {
    if (!detail::valid_quiet_zone(options.quiet_zone)) return unexpected(errc::invalid_qr_options);
    detail::counting_sink<char> sink;
    detail::write_terminal(sink, code, options);
    return sink.count;
}

/**
 * Writes `code` as UTF-8 text for a terminal into `out` and returns its length. Each line
 * shows two rows of modules with the characters ▀ (U+2580), ▄ (U+2584), █ (U+2588) and space,
 * so the code looks square in a usual terminal font; the quiet zone is included, and a final
 * half line (the row count is odd) is light, as the quiet zone is. Every line ends in '\n'.
 * See `qr_terminal_palette` for which modules the blocks draw and why the default uses ANSI
 * colours.
 *
 * Errors: errc::invalid_qr_options; errc::output_too_small if `out` is shorter than
 * `terminal_size(code, options)`.
 *
 *     std::array<char, 32768> buffer;
 *     if (auto n = twofactor::render_terminal(code, buffer)) std::fwrite(buffer.data(), 1, *n, stdout);
 */
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> render_terminal(
    const basic_qr_code<MaxVersion>& code, std::span<char> out,
    const qr_terminal_options& options = {}) noexcept {
    const auto size = terminal_size(code, options);
    if (!size) return unexpected(size.error());
    if (out.size() < *size) return unexpected(errc::output_too_small);
    detail::span_sink<char> sink{out};
    detail::write_terminal(sink, code, options);
    return detail::finish_render(sink);
}

/// `render_terminal` into a new std::string. Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] result<std::string> to_terminal(const basic_qr_code<MaxVersion>& code,
                                              const qr_terminal_options& options = {}) {
    const auto size = terminal_size(code, options);
    if (!size) return unexpected(size.error());
    std::string text(*size, '\0');
    const auto written = render_terminal(code, std::span<char>(text), options);
    if (!written) return unexpected(written.error());
    return text;
}

// ---- PNG ------------------------------------------------------------------------------------

/// The exact size in bytes of `render_png`'s output for `code`.
/// Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> png_size(const basic_qr_code<MaxVersion>& code,
                                                     const qr_image_options& options = {}) noexcept {
    const int side = detail::image_side(code, options);
    if (side == 0) return unexpected(errc::invalid_qr_options);
    const auto width = static_cast<std::uint32_t>(side);
    return static_cast<std::size_t>(detail::png_size(detail::png_gray1_raw_size(width, width)));
}

/**
 * Writes `code` as a PNG image into `out` and returns its size: 1-bit grayscale (black and
 * white), each module `scale` × `scale` pixels, `quiet_zone` white modules around the symbol;
 * the pixel data uncompressed (stored deflate blocks, so no zlib is needed), which for a QR
 * code is a few KiB at the default scale of 8.
 *
 * Errors: errc::invalid_qr_options; errc::output_too_small if `out` is shorter than
 * `png_size(code, options)`.
 *
 *     std::vector<std::byte> png(*twofactor::png_size(code, {.scale = 4}));
 *     auto n = twofactor::render_png(code, png, {.scale = 4});
 */
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> render_png(const basic_qr_code<MaxVersion>& code,
                                                       std::span<std::byte> out,
                                                       const qr_image_options& options = {}) noexcept {
    const auto size = png_size(code, options);
    if (!size) return unexpected(size.error());
    if (out.size() < *size) return unexpected(errc::output_too_small);
    const int side = detail::image_side(code, options);
    detail::span_sink<std::byte> sink{out};
    detail::write_png_gray1(sink, static_cast<std::uint32_t>(side), static_cast<std::uint32_t>(side),
                            [&](std::uint32_t y, std::uint32_t index) {
                                return detail::image_byte(code, options, side, static_cast<int>(y),
                                                          static_cast<int>(index), true);
                            });
    return detail::finish_render(sink);
}

/// `render_png` into a new std::vector. Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] result<std::vector<std::byte>> to_png(const basic_qr_code<MaxVersion>& code,
                                                    const qr_image_options& options = {}) {
    const auto size = png_size(code, options);
    if (!size) return unexpected(size.error());
    std::vector<std::byte> image(*size);
    const auto written = render_png(code, std::span<std::byte>(image), options);
    if (!written) return unexpected(written.error());
    return image;
}

// ---- PBM ------------------------------------------------------------------------------------

/// The exact size in bytes of `render_pbm`'s output for `code`.
/// Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> pbm_size(const basic_qr_code<MaxVersion>& code,
                                                     const qr_image_options& options = {}) noexcept {
    const int side = detail::image_side(code, options);
    if (side == 0) return unexpected(errc::invalid_qr_options);
    detail::counting_sink<std::byte> bytes;
    detail::char_to_byte_sink<detail::counting_sink<std::byte>> header{bytes};
    detail::put_text(header, "P4\n");
    detail::put_decimal(header, side);
    detail::put_text(header, " ");
    detail::put_decimal(header, side);
    detail::put_text(header, "\n");
    return bytes.count + static_cast<std::size_t>(side) * static_cast<std::size_t>((side + 7) / 8);
}

/**
 * Writes `code` as a binary PBM ("P4", Netpbm) image into `out` and returns its size: the
 * header "P4\n<width> <height>\n", then each pixel row packed 8 pixels per byte, most
 * significant bit first, 1 = black, rows padded to whole bytes. Binary rather than ASCII "P1"
 * because it is 8 times smaller and every Netpbm reader takes both. Scale and quiet zone as
 * for PNG.
 *
 * Errors: errc::invalid_qr_options; errc::output_too_small if `out` is shorter than
 * `pbm_size(code, options)`.
 *
 *     auto pbm = twofactor::to_pbm(code, {.scale = 1});   // one pixel per module
 */
template <int MaxVersion>
[[nodiscard]] constexpr result<std::size_t> render_pbm(const basic_qr_code<MaxVersion>& code,
                                                       std::span<std::byte> out,
                                                       const qr_image_options& options = {}) noexcept {
    const auto size = pbm_size(code, options);
    if (!size) return unexpected(size.error());
    if (out.size() < *size) return unexpected(errc::output_too_small);
    detail::span_sink<std::byte> sink{out};
    detail::char_to_byte_sink<detail::span_sink<std::byte>> adapter{sink};
    detail::write_pbm(adapter, code, options, detail::image_side(code, options));
    return detail::finish_render(sink);
}

/// `render_pbm` into a new std::vector. Error: errc::invalid_qr_options.
template <int MaxVersion>
[[nodiscard]] result<std::vector<std::byte>> to_pbm(const basic_qr_code<MaxVersion>& code,
                                                    const qr_image_options& options = {}) {
    const auto size = pbm_size(code, options);
    if (!size) return unexpected(size.error());
    std::vector<std::byte> image(*size);
    const auto written = render_pbm(code, std::span<std::byte>(image), options);
    if (!written) return unexpected(written.error());
    return image;
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_QR_RENDER_HPP_INCLUDED
// ---- end twofactor/qr_render.hpp ----

// ---- begin twofactor/random.hpp ----
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


#include <concepts>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>


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
// ---- end twofactor/random.hpp ----

// ---- begin twofactor/secret.hpp ----
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


#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>


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
// ---- end twofactor/secret.hpp ----

// ---- begin twofactor/otpauth_migration.hpp ----
// twofactor: importing Google Authenticator's "Transfer accounts" export, the
// otpauth-migration://offline?data=... URI its QR codes hold: each account it carries, as an
// otpauth_uri.
#ifndef TWOFACTOR_OTPAUTH_MIGRATION_HPP_INCLUDED
#define TWOFACTOR_OTPAUTH_MIGRATION_HPP_INCLUDED


#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>


// ---- begin twofactor/detail/base64.hpp ----
// Base64 decoding (RFC 4648 §4, the standard alphabet A-Z a-z 0-9 + /), strict: the data of
// Google Authenticator's otpauth-migration:// export, which carries secrets. As in base32.hpp,
// what a character is worth is computed without a branch or a table; only what kind of character
// it is (the text's layout, public like its length) is branched on, through declassify.
#ifndef TWOFACTOR_DETAIL_BASE64_HPP_INCLUDED
#define TWOFACTOR_DETAIL_BASE64_HPP_INCLUDED


#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>


namespace twofactor::inline v1::detail {

/// A base64 problem at an index into the text.
struct base64_error {
    errc code;
    std::size_t position;
    friend constexpr bool operator==(const base64_error&, const base64_error&) = default;
};

/// The most bytes `char_count` characters of base64 decode to.
[[nodiscard]] constexpr std::size_t base64_decoded_max_size(std::size_t char_count) noexcept {
    return char_count / 4 * 3 + char_count % 4 * 3 / 4;
}

enum class base64_char : std::uint8_t { data, padding, invalid };

// What `c` is: an alphabet character, '=' or anything else. The answer is public; the character
// is not.
[[nodiscard]] constexpr base64_char base64_kind(char c) noexcept {
    const std::uint32_t u = static_cast<unsigned char>(c);
    const std::uint32_t data = byte_in_range(u, 'A', 'Z') | byte_in_range(u, 'a', 'z') |
                               byte_in_range(u, '0', '9') | byte_in_range(u, '+', '+') |
                               byte_in_range(u, '/', '/');
    const std::uint32_t padding = byte_in_range(u, '=', '=');
    const std::uint32_t invalid = (data | padding) ^ 1u;  // at most one of them is 1
    return static_cast<base64_char>(declassify(padding | invalid << 1));
}

// The value 0..63 of an alphabet character: 'A'..'Z' from 0, 'a'..'z' from 26, '0'..'9' from
// 52, '+' 62, '/' 63. Each range contributes its offset masked by whether `c` is in it.
[[nodiscard]] constexpr std::uint32_t base64_data_value(char c) noexcept {
    const std::uint32_t u = static_cast<unsigned char>(c);
    return ((u - 'A') & (0u - byte_in_range(u, 'A', 'Z'))) |
           ((u - 'a' + 26u) & (0u - byte_in_range(u, 'a', 'z'))) |
           ((u - '0' + 52u) & (0u - byte_in_range(u, '0', '9'))) | (62u & (0u - byte_in_range(u, '+', '+'))) |
           (63u & (0u - byte_in_range(u, '/', '/')));
}

/**
 * Decodes `text` into `out` and returns the number of bytes written. Padding is optional, but
 * when present it must complete the last group of four exactly ("Zg==", "Zm8="); '=' elsewhere
 * is an error. The unused low bits of the last character must be zero (no encoder sets them,
 * and accepting them would let two texts mean the same bytes). Nothing else (no whitespace, no
 * URL-safe '-' '_') is accepted.
 * Errors, at the culprit: errc::invalid_base64 (a character outside the alphabet; misplaced or
 * wrong padding; a length that cannot be base64, one character past a group of four, positioned
 * at the end; non-zero unused bits, at the last character); errc::output_too_small (at the
 * first character whose byte does not fit).
 */
[[nodiscard]] constexpr result<std::size_t, base64_error> base64_decode(std::string_view text,
                                                                        std::span<std::byte> out) noexcept {
    std::size_t data_count = text.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
        const base64_char kind = base64_kind(text[i]);
        if (kind == base64_char::invalid) return unexpected(base64_error{errc::invalid_base64, i});
        if (kind == base64_char::padding) {
            data_count = i;
            break;
        }
    }
    // Padding: only at the end, 1 or 2 '=' completing a group of four.
    const std::size_t padding = text.size() - data_count;
    if (padding != 0) {
        const std::size_t residue = data_count % 4;
        const std::size_t expected = residue == 2 ? 2 : residue == 3 ? 1 : 0;
        for (std::size_t i = data_count; i < text.size(); ++i) {
            if (base64_kind(text[i]) != base64_char::padding)
                return unexpected(base64_error{errc::invalid_base64, i});
        }
        if (padding != expected) {
            return unexpected(
                base64_error{errc::invalid_base64, data_count + (padding < expected ? padding : expected)});
        }
    }
    if (data_count % 4 == 1) return unexpected(base64_error{errc::invalid_base64, data_count});

    std::uint32_t buffer = 0;  // holds up to 6 + 7 pending bits
    unsigned bits = 0;
    std::size_t written = 0;
    for (std::size_t i = 0; i < data_count; ++i) {
        buffer = (buffer << 6) | base64_data_value(text[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (written == out.size()) return unexpected(base64_error{errc::output_too_small, i});
            out[written++] = static_cast<std::byte>((buffer >> bits) & 0xFFu);
        }
    }
    // Left over: 0, 2 or 4 bits, which must be zero.
    if (declassify(buffer & ((1u << bits) - 1u)) != 0) {
        return unexpected(base64_error{errc::invalid_base64, data_count - 1});
    }
    return written;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_BASE64_HPP_INCLUDED
// ---- end twofactor/detail/base64.hpp ----

// ---- begin twofactor/detail/percent_encoding.hpp ----
// Percent-encoding (RFC 3986 §2.1, §2.3) and the text checks (UTF-8, no control characters) for the
// Key URI: encoding of the label and parameter values, decoding with positions for errors.
#ifndef TWOFACTOR_DETAIL_PERCENT_ENCODING_HPP_INCLUDED
#define TWOFACTOR_DETAIL_PERCENT_ENCODING_HPP_INCLUDED


#include <cstddef>
#include <span>
#include <string_view>


namespace twofactor::inline v1::detail {

/// A problem in a text, at an index into it.
struct uri_text_error {
    errc code;
    std::size_t position;
    friend constexpr bool operator==(const uri_text_error&, const uri_text_error&) = default;
};

/// RFC 3986 §2.3 "unreserved": A-Z a-z 0-9 - . _ ~
[[nodiscard]] constexpr bool is_unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// The characters the otpauth:// builder writes literally: the unreserved ones and '@' (a
/// "pchar" in paths and queries, RFC 3986 §3.3/§3.4, as in "alice@example.com"). Everything else
/// is written as %XX.
[[nodiscard]] constexpr bool is_uri_literal(char c) noexcept { return is_unreserved(c) || c == '@'; }

/// The length of `percent_encode(text)`: 1 per literal char, 3 per other byte.
[[nodiscard]] constexpr std::size_t percent_encoded_size(std::string_view text) noexcept {
    std::size_t size = 0;
    for (const char c : text) size += is_uri_literal(c) ? 1U : 3U;
    return size;
}

/// Writes `text` percent-encoded (uppercase hex, RFC 3986 §2.1: "%20" for a space, never '+')
/// at `out` and returns the number of chars written. Precondition: `out` has room for
/// `percent_encoded_size(text)` chars.
constexpr std::size_t percent_encode(std::string_view text, char* out) noexcept {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::size_t written = 0;
    for (const char c : text) {
        if (is_uri_literal(c)) {
            out[written++] = c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out[written++] = '%';
            out[written++] = hex[byte >> 4];
            out[written++] = hex[byte & 0x0F];
        }
    }
    return written;
}

/// The value of a hexadecimal digit (either case), or -1.
[[nodiscard]] constexpr int percent_hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// The index of the first '%' in `text` that is not followed by two hexadecimal digits, or npos.
[[nodiscard]] constexpr std::size_t find_bad_percent_escape(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') continue;
        if (i + 2 >= text.size() || percent_hex_value(text[i + 1]) < 0 ||
            percent_hex_value(text[i + 2]) < 0) {
            return i;
        }
        i += 2;
    }
    return std::string_view::npos;
}

/**
 * Decodes %XX escapes into `out` (every other byte, '+' included, is copied as it is: RFC 3986
 * has no "+ means space") and returns the number of bytes written.
 * Errors: {invalid_percent_encoding, index of the '%'}; {output_too_small, index in `text` of
 * the first byte that does not fit}.
 */
[[nodiscard]] constexpr result<std::size_t, uri_text_error> percent_decode(std::string_view text,
                                                                           std::span<char> out) noexcept {
    std::size_t written = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        const std::size_t at = i;
        if (c == '%') {
            if (i + 2 >= text.size() || percent_hex_value(text[i + 1]) < 0 ||
                percent_hex_value(text[i + 2]) < 0) {
                return unexpected(uri_text_error{errc::invalid_percent_encoding, i});
            }
            c = static_cast<char>(percent_hex_value(text[i + 1]) * 16 + percent_hex_value(text[i + 2]));
            i += 2;
        }
        if (written == out.size()) return unexpected(uri_text_error{errc::output_too_small, at});
        out[written++] = c;
    }
    return written;
}

/// The index in percent-encoded `text` where decoded byte `decoded_index` comes from (its '%'
/// for an escape); `text.size()` past the end. Precondition: `text` has no bad escape.
[[nodiscard]] constexpr std::size_t percent_source_position(std::string_view text,
                                                            std::size_t decoded_index) noexcept {
    std::size_t i = 0;
    for (std::size_t decoded = 0; i < text.size() && decoded < decoded_index; ++decoded) {
        i += text[i] == '%' ? 3U : 1U;
    }
    return i < text.size() ? i : text.size();
}

/**
 * Checks that `text` is well-formed UTF-8 (RFC 3629 §4: no overlong forms, no surrogates,
 * nothing above U+10FFFF) without control characters (U+0000..U+001F, U+007F..U+009F).
 * Errors: {invalid_utf8, index of the first byte of the bad sequence};
 * {invalid_label, index of the control character}.
 */
[[nodiscard]] constexpr result<void, uri_text_error> check_uri_text(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) return unexpected(uri_text_error{errc::invalid_utf8, i});
        const bool c0 = lead < 0x20 || lead == 0x7F;
        const bool c1 = lead == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if (c0 || c1) return unexpected(uri_text_error{errc::invalid_label, i});
        i += length;
    }
    return {};
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_PERCENT_ENCODING_HPP_INCLUDED
// ---- end twofactor/detail/percent_encoding.hpp ----

// ---- begin twofactor/detail/protobuf.hpp ----
// A reader of the Protocol Buffers wire format (protobuf.dev, "Encoding"): the fields of one
// message, in order, each checked against the bytes that remain. Enough for Google
// Authenticator's export (otpauth_migration.hpp); no schema, no allocation, no recursion (a
// nested message is read by a second reader over the field's bytes).
#ifndef TWOFACTOR_DETAIL_PROTOBUF_HPP_INCLUDED
#define TWOFACTOR_DETAIL_PROTOBUF_HPP_INCLUDED


#include <cstddef>
#include <cstdint>
#include <span>

namespace twofactor::inline v1::detail {

enum class protobuf_wire_type : std::uint8_t {
    varint = 0,            // int32, int64, uint32, uint64, sint32, sint64, bool, enum
    fixed64 = 1,           // fixed64, sfixed64, double
    length_delimited = 2,  // string, bytes, embedded messages, packed repeated fields
    start_group = 3,       // deprecated groups: refused
    end_group = 4,
    fixed32 = 5,  // fixed32, sfixed32, float
};

/// One field: its number, wire type, and value (`number` for varint, fixed64 and fixed32;
/// `bytes` for length-delimited).
struct protobuf_field {
    std::uint32_t number = 0;
    protobuf_wire_type type = protobuf_wire_type::varint;
    std::uint64_t value = 0;
    std::span<const std::byte> bytes;
};

class protobuf_reader {
public:
    /// The largest field number the format allows (2^29 - 1).
    static constexpr std::uint32_t max_field_number = (1u << 29) - 1;

    constexpr explicit protobuf_reader(std::span<const std::byte> message) noexcept : rest_(message) {}

    /**
     * Reads the next field into `field`. Returns false at the end of the message, and also when
     * the message is malformed (then `malformed()` is true and stays true): a varint longer than
     * ten bytes or above 2^64 - 1, a field number 0 or above max_field_number, a group, an
     * unknown wire type, or a value that runs past the end.
     */
    [[nodiscard]] constexpr bool next(protobuf_field& field) noexcept {
        if (malformed_ || rest_.empty()) return false;
        std::uint64_t tag = 0;
        if (!read_varint(tag) || tag > 0xFFFFFFFFu) return fail();
        field.number = static_cast<std::uint32_t>(tag >> 3);
        const auto type = static_cast<std::uint8_t>(tag & 7u);
        if (field.number == 0 || field.number > max_field_number) return fail();
        field.value = 0;
        field.bytes = {};
        switch (type) {
            case 0: field.type = protobuf_wire_type::varint; return read_varint(field.value) || fail();
            case 1: field.type = protobuf_wire_type::fixed64; return read_fixed(8, field.value) || fail();
            case 2: {
                field.type = protobuf_wire_type::length_delimited;
                std::uint64_t length = 0;
                if (!read_varint(length) || length > rest_.size()) return fail();
                field.bytes = rest_.first(static_cast<std::size_t>(length));
                rest_ = rest_.subspan(static_cast<std::size_t>(length));
                return true;
            }
            case 5: field.type = protobuf_wire_type::fixed32; return read_fixed(4, field.value) || fail();
            default: return fail();  // 3 and 4 (groups), 6 and 7 (not defined)
        }
    }

    /// Whether reading stopped at malformed bytes rather than at the end.
    [[nodiscard]] constexpr bool malformed() const noexcept { return malformed_; }

private:
    constexpr bool fail() noexcept {
        malformed_ = true;
        return false;
    }

    // Base 128, least significant group first; at most ten bytes, the tenth holding bit 63 only.
    constexpr bool read_varint(std::uint64_t& value) noexcept {
        value = 0;
        for (unsigned i = 0; i < 10; ++i) {
            if (rest_.empty()) return false;
            const auto byte = static_cast<std::uint8_t>(rest_.front());
            rest_ = rest_.subspan(1);
            if (i == 9 && byte > 1) return false;
            value |= std::uint64_t{byte & 0x7Fu} << (7 * i);
            if ((byte & 0x80u) == 0) return true;
        }
        return false;
    }

    // Little-endian, `size` bytes.
    constexpr bool read_fixed(std::size_t size, std::uint64_t& value) noexcept {
        if (rest_.size() < size) return false;
        value = 0;
        for (std::size_t i = 0; i < size; ++i)
            value |= std::uint64_t{static_cast<std::uint8_t>(rest_[i])} << (8 * i);
        rest_ = rest_.subspan(size);
        return true;
    }

    std::span<const std::byte> rest_;
    bool malformed_ = false;
};

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_PROTOBUF_HPP_INCLUDED
// ---- end twofactor/detail/protobuf.hpp ----

// ---- begin twofactor/otpauth_uri.hpp ----
// twofactor: otpauth:// Key URIs, the text of the QR code an authenticator app scans: building
// them for enrollment, parsing them for import, and a compatibility report on the parameters.
//
// Specs: Google Authenticator "Key Uri Format"
// (https://github.com/google/google-authenticator/wiki/Key-Uri-Format); RFC 3986 (URI syntax,
// §2.1 percent-encoding, §2.3 unreserved characters, §3.1 scheme case); RFC 3629 (UTF-8);
// RFC 4648 §6 (the base32 secret); RFC 4226 (HOTP, `counter`); RFC 6238 (TOTP, `period`).
//
//     otpauth://TYPE/LABEL?PARAMETERS
//     otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ
//         &issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30           (one line)
#ifndef TWOFACTOR_OTPAUTH_URI_HPP_INCLUDED
#define TWOFACTOR_OTPAUTH_URI_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>


// ---- begin twofactor/detail/static_string.hpp ----
// A fixed-capacity string of bytes (no heap), usable in constant expressions: the issuer and
// account name of an otpauth:// URI, and other short texts of records parsed without
// allocating.
#ifndef TWOFACTOR_DETAIL_STATIC_STRING_HPP_INCLUDED
#define TWOFACTOR_DETAIL_STATIC_STRING_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <string_view>

namespace twofactor::inline v1::detail {

/// Up to `Capacity` chars and a length. Appending beyond the capacity fails (returns false)
/// and leaves the string unchanged; it never truncates. Bytes past `size()` are always zero.
template <std::size_t Capacity>
class static_string {
public:
    constexpr static_string() noexcept = default;

    /// The maximum number of chars.
    [[nodiscard]] static constexpr std::size_t capacity() noexcept { return Capacity; }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
    [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] constexpr const char* data() const noexcept { return data_.data(); }
    [[nodiscard]] constexpr std::string_view view() const noexcept { return {data_.data(), size_}; }

    /// Replaces the contents with `text`; false (and no change) when it is longer than the capacity.
    [[nodiscard]] constexpr bool assign(std::string_view text) noexcept {
        if (text.size() > Capacity) return false;
        clear();
        return append(text);
    }
    /// Appends `text`; false (and no change) when the result would exceed the capacity.
    [[nodiscard]] constexpr bool append(std::string_view text) noexcept {
        if (text.size() > Capacity - size_) return false;
        for (const char c : text) data_[size_++] = c;
        return true;
    }
    /// Appends one char; false (and no change) when full.
    [[nodiscard]] constexpr bool push_back(char c) noexcept {
        if (size_ == Capacity) return false;
        data_[size_++] = c;
        return true;
    }
    /// Empties the string (and zeroes its bytes).
    constexpr void clear() noexcept {
        for (std::size_t i = 0; i < size_; ++i) data_[i] = '\0';
        size_ = 0;
    }

    friend constexpr bool operator==(const static_string& a, const static_string& b) noexcept {
        return a.view() == b.view();
    }
    friend constexpr bool operator==(const static_string& a, std::string_view b) noexcept {
        return a.view() == b;
    }

private:
    std::array<char, Capacity> data_{};
    std::size_t size_ = 0;
};

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_STATIC_STRING_HPP_INCLUDED
// ---- end twofactor/detail/static_string.hpp ----

namespace twofactor::inline v1 {

/// The two kinds of one-time password an otpauth:// URI describes (its "TYPE").
enum class otp_type {
    totp,  ///< time-based, RFC 6238: `period`
    hotp,  ///< counter-based, RFC 4226: `counter`
};

/// "totp" or "hotp", as the URI writes it (an empty view for a value outside the enumeration).
[[nodiscard]] constexpr std::string_view to_string(otp_type type) noexcept {
    switch (type) {
        case otp_type::totp: return "totp";
        case otp_type::hotp: return "hotp";
    }
    return {};
}

/// The longest issuer or account name, in bytes of UTF-8 (after percent-decoding).
inline constexpr std::size_t max_label_part_size = 256;

/// The longest TOTP period an otpauth:// URI may carry, in seconds (one day). Longer periods
/// are refused when building and parsing alike, so every built URI parses back.
inline constexpr std::uint32_t max_uri_period = 86400;

/**
 * The OTP parameters of a Key URI besides the names and the secret. The defaults are those of
 * the Key Uri Format and the only values every authenticator app honours: TOTP, SHA1, 6
 * digits, 30 seconds.
 */
struct otpauth_parameters {
    otp_type type = otp_type::totp;
    algorithm hash = algorithm::sha1;  ///< `algorithm=`
    unsigned digits = 6;               ///< `digits=`, 6..9
    std::uint32_t period = 30;         ///< `period=`, TOTP only: 1..max_uri_period seconds
    std::uint64_t counter = 0;         ///< `counter=`, HOTP only: the initial counter
    friend constexpr bool operator==(const otpauth_parameters&, const otpauth_parameters&) = default;
};

/**
 * Why an otpauth:// URI was rejected, and where: `position` indexes the URI text (the first
 * character of the culprit: a '%' escape, a parameter's name or value), or equals its length
 * when something is missing (errc::missing_secret, errc::missing_counter).
 */
struct uri_error {
    errc code;
    std::size_t position;
    friend constexpr bool operator==(const uri_error&, const uri_error&) = default;
};

/**
 * Checks an issuer for `otpauth_uri::make`. The empty string means "no issuer".
 * Errors: errc::invalid_label (a ':', which would split the label; a control character
 * U+0000..U+001F or U+007F..U+009F); errc::invalid_utf8; errc::label_too_long (more than
 * max_label_part_size bytes).
 */
[[nodiscard]] constexpr result<void> check_issuer(std::string_view issuer) noexcept {
    if (issuer.size() > max_label_part_size) return unexpected(errc::label_too_long);
    if (const auto text = detail::check_uri_text(issuer); !text) return unexpected(text.error().code);
    if (issuer.find(':') != std::string_view::npos) return unexpected(errc::invalid_label);
    return {};
}

/**
 * Checks an account name for `otpauth_uri::make`.
 * Errors: errc::missing_account_name (empty); errc::invalid_label (a ':'; a control character;
 * a leading space, which the Key Uri Format lets parsers drop after the issuer's colon);
 * errc::invalid_utf8; errc::label_too_long (more than max_label_part_size bytes).
 */
[[nodiscard]] constexpr result<void> check_account_name(std::string_view account) noexcept {
    if (account.empty()) return unexpected(errc::missing_account_name);
    if (account.front() == ' ') return unexpected(errc::invalid_label);
    return check_issuer(account);
}

/**
 * Checks `otpauth_parameters`: errc::unsupported_algorithm (a value outside the enumeration),
 * errc::invalid_digits (outside 6..9), errc::invalid_period (TOTP period outside
 * 1..max_uri_period). `type` outside the enumeration is errc::unsupported_otp_type.
 */
[[nodiscard]] constexpr result<void> check_parameters(const otpauth_parameters& p) noexcept {
    if (p.type != otp_type::totp && p.type != otp_type::hotp) return unexpected(errc::unsupported_otp_type);
    if (to_string(p.hash).empty()) return unexpected(errc::unsupported_algorithm);
    if (p.digits < 6 || p.digits > 9) return unexpected(errc::invalid_digits);
    if (p.type == otp_type::totp && (p.period == 0 || p.period > max_uri_period)) {
        return unexpected(errc::invalid_period);
    }
    return {};
}

namespace detail {

inline constexpr std::string_view otpauth_scheme = "otpauth";

// Strict decimal: digits only, no sign, no leading zero (except "0"), no overflow.
[[nodiscard]] constexpr bool parse_uri_decimal(std::string_view text, std::uint64_t& value) noexcept {
    if (text.empty() || text.size() > 20 || (text.size() > 1 && text[0] == '0')) return false;
    std::uint64_t v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (v > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return false;
        v = v * 10 + digit;
    }
    value = v;
    return true;
}

[[nodiscard]] constexpr std::size_t uri_decimal_size(std::uint64_t value) noexcept {
    std::size_t size = 1;
    while (value >= 10) {
        value /= 10;
        ++size;
    }
    return size;
}

// Writes text, percent-encoded text and numbers into a buffer, or only counts them when the
// buffer is null (so that the size and the text come from the same code).
class uri_writer {
public:
    constexpr explicit uri_writer(char* out) noexcept : out_(out) {}
    constexpr void literal(std::string_view text) noexcept {
        if (out_ != nullptr) {
            for (std::size_t i = 0; i < text.size(); ++i) out_[size_ + i] = text[i];
        }
        size_ += text.size();
    }
    constexpr void encoded(std::string_view text) noexcept {
        if (out_ != nullptr) {
            size_ += percent_encode(text, out_ + size_);
        } else {
            size_ += percent_encoded_size(text);
        }
    }
    constexpr void number(std::uint64_t value) noexcept {
        const std::size_t n = uri_decimal_size(value);
        if (out_ != nullptr) {
            for (std::size_t i = n; i-- > 0; value /= 10)
                out_[size_ + i] = static_cast<char>('0' + value % 10);
        }
        size_ += n;
    }
    constexpr void base32_of(const secret& key) noexcept {
        if (out_ != nullptr) (void)key.reveal_base32(std::span(out_ + size_, key.base32_size()));
        size_ += key.base32_size();
    }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }

private:
    char* out_;
    std::size_t size_ = 0;
};

// One query parameter as it appears in the URI.
struct uri_raw_parameter {
    bool present = false;
    std::size_t name_position = 0;
    std::size_t value_position = 0;
    std::string_view value;  // still percent-encoded
};

// Whether `text` starts with `scheme` (ASCII case ignored, RFC 3986 §3.1) and "://".
[[nodiscard]] constexpr bool starts_with_uri_scheme(std::string_view text, std::string_view scheme) noexcept {
    return text.size() >= scheme.size() + 3 &&
           equals_ignoring_ascii_case(text.substr(0, scheme.size()), scheme) &&
           text.substr(scheme.size(), 3) == "://";
}

// The syntax of the whole text: no fragment (a '#' is refused rather than cut off) and every
// '%' the start of a %XX escape. Errors: invalid_uri_syntax, invalid_percent_encoding.
[[nodiscard]] constexpr result<void, uri_error> check_uri_syntax(std::string_view text) noexcept {
    if (const std::size_t hash_mark = text.find('#'); hash_mark != std::string_view::npos) {
        return unexpected(uri_error{errc::invalid_uri_syntax, hash_mark});
    }
    if (const std::size_t bad = find_bad_percent_escape(text); bad != std::string_view::npos) {
        return unexpected(uri_error{errc::invalid_percent_encoding, bad});
    }
    return {};
}

// A parameter the caller looks for, and where its occurrence is recorded.
struct uri_parameter_slot {
    std::string_view name;
    uri_raw_parameter* slot;
};

// Reads the query that starts at `begin` ("name=value" pairs separated by '&') into the slots
// of the parameters named; other parameters are ignored. Error: duplicate_parameter, at the
// second occurrence of a named one.
[[nodiscard]] constexpr result<void, uri_error> read_uri_parameters(
    std::string_view text, std::size_t begin, std::span<const uri_parameter_slot> slots) noexcept {
    while (begin <= text.size()) {
        std::size_t end = text.find('&', begin);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view pair = text.substr(begin, end - begin);
        const std::size_t equals = pair.find('=');
        const std::string_view name = pair.substr(0, equals);
        for (const uri_parameter_slot& s : slots) {
            if (name != s.name) continue;
            if (s.slot->present) return unexpected(uri_error{errc::duplicate_parameter, begin});
            s.slot->present = true;
            s.slot->name_position = begin;
            s.slot->value_position = equals == std::string_view::npos ? end : begin + equals + 1;
            s.slot->value = equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
        }
        begin = end + 1;
    }
    return {};
}

// Percent-decodes a value into `buffer`; errors are positioned in the URI.
template <std::size_t N>
[[nodiscard]] constexpr result<std::string_view, uri_error> decode_uri_value(std::string_view raw,
                                                                             std::size_t raw_position,
                                                                             std::array<char, N>& buffer,
                                                                             errc too_long) noexcept {
    const auto decoded = percent_decode(raw, buffer);
    if (!decoded) {
        const errc code = decoded.error().code == errc::output_too_small ? too_long : decoded.error().code;
        return unexpected(uri_error{code, raw_position + decoded.error().position});
    }
    return std::string_view(buffer.data(), *decoded);
}

// Checks a decoded issuer or account name (`raw` is its encoded form at `raw_position`).
[[nodiscard]] constexpr result<void, uri_error> check_uri_name(std::string_view decoded, std::string_view raw,
                                                               std::size_t raw_position,
                                                               bool colon_allowed) noexcept {
    if (const auto text = check_uri_text(decoded); !text) {
        return unexpected(
            uri_error{text.error().code, raw_position + percent_source_position(raw, text.error().position)});
    }
    if (!colon_allowed) {
        if (const std::size_t colon = decoded.find(':'); colon != std::string_view::npos) {
            return unexpected(
                uri_error{errc::invalid_label, raw_position + percent_source_position(raw, colon)});
        }
    }
    if (decoded.size() > max_label_part_size) {
        return unexpected(uri_error{errc::label_too_long,
                                    raw_position + percent_source_position(raw, max_label_part_size)});
    }
    return {};
}

// Builds an otpauth_uri from parts already checked elsewhere (otpauth_migration.hpp).
struct otpauth_uri_access;

}  // namespace detail

/**
 * An otpauth:// Key URI: issuer, account name, secret and OTP parameters. Immutable; copies
 * are independent (the secret is copied, and wiped with each copy). No heap: the names are
 * held in fixed buffers of max_label_part_size bytes.
 *
 * Made two ways: `make` (for enrollment: validated names and parameters, then `reveal_uri`
 * writes the text for the QR code) and `parse` (for import).
 *
 * Building (`reveal_uri`), decided here:
 *   - Parameter order: `secret` FIRST, then `issuer` (when there is one), `algorithm`,
 *     `digits`, and `period` (TOTP) or `counter` (HOTP). `secret` is never last: Google
 *     Authenticator has mis-read secrets that end the URI (pquerna/otp#94). All parameters are
 *     always written, defaults included, as in the Key Uri Format's full example.
 *   - Label: `Issuer:account` with a literal ':' when there is an issuer (which is then also
 *     the `issuer=` parameter, as the Key Uri Format recommends), else `account`.
 *   - Encoding (RFC 3986 §2.1): the unreserved characters A-Z a-z 0-9 - . _ ~ and '@' are
 *     written as they are, in the label and in `issuer=` alike; every other byte (space as
 *     "%20", never '+'; / ? # % & + : = and every byte of a non-ASCII UTF-8 character) as %XX
 *     with uppercase hex.
 *   - The secret: uppercase base32 without padding.
 *
 * Parsing (`parse`), decided here (lenient where real URIs vary, strict where a mistake
 * would give wrong codes):
 *   - The scheme "otpauth" and the type "totp"/"hotp" are matched ignoring ASCII case (RFC 3986
 *     §3.1, §3.2.2); parameter names are matched exactly (lowercase).
 *   - Every '%' anywhere must start a %XX escape. A '#' (a fragment) is refused rather than cut
 *     off. Literal spaces and non-ASCII bytes are accepted (hand-written and IRI-style URIs).
 *   - '+' is a literal plus, never a space (RFC 3986; the mistake of pyotp#47).
 *   - The label is split into issuer and account BEFORE percent-decoding, at the first
 *     literal ':', so that an encoded "%3A" inside a name stays in that name (pyotp#174).
 *     Exception: when the label has no literal ':', an `issuer=` parameter is given and the
 *     decoded label starts with that issuer and a colon (a colon that was itself encoded, as
 *     some exporters write it: "Foo%3Abar" with issuer=Foo), the split is made there. (With a
 *     literal ':' the literal one decides: "Foo%3Abar:alice" with issuer=Foo is the issuer
 *     "Foo:bar", which differs from issuer=, and the account "alice".) Spaces before the account name
 *     are dropped (the Key Uri Format allows "Issuer: account").
 *   - Issuer and account are decoded, must be UTF-8 without control characters and at most
 *     max_label_part_size bytes; the account may not be empty or contain a ':' (it is
 *     ambiguous); an issuer may contain an encoded colon (it then cannot be rebuilt by `make`).
 *   - Issuer in the label differing from `issuer=` (Microsoft's URIs, pyotp#120): accepted;
 *     the `issuer=` parameter wins and `issuer_mismatch()` is true. When only one is given, it
 *     is the issuer; an empty one counts as absent.
 *   - `secret=` is required; it is decoded as lenient base32 (case, spaces, padding ignored),
 *     but non-zero unused bits in its last character are refused (errc::non_canonical_base32,
 *     as everywhere in twofactor: no encoder writes them).
 *   - `algorithm` SHA1/SHA256/SHA512 (any case), `digits` 6..9, `period` 1..max_uri_period,
 *     `counter` 0..2^64-1, as strict decimals (no sign, no leading zero). Absent ones take
 *     the defaults, except that HOTP requires `counter`.
 *   - Unknown parameters (e.g. `image=` from some apps) are ignored, and so are `period` in an
 *     HOTP URI and `counter` in a TOTP URI; any of the six known names given twice is an
 *     error (which one would the app use?).
 *
 * Errors of `parse`, with the position, in the order they are checked:
 *   errc::invalid_uri_scheme (not "otpauth://"), errc::unsupported_otp_type,
 *   errc::invalid_uri_syntax (a '#'), errc::invalid_percent_encoding ("%G1", a truncated "%4"),
 *   errc::missing_account_name (no label at all), errc::duplicate_parameter, errors of
 *   `issuer=` (invalid_label, invalid_utf8, label_too_long), of the label
 *   (missing_account_name: an empty account;
 *   invalid_label: a ':' in the account or a control character; invalid_utf8;
 *   label_too_long), of the secret (missing_secret; empty_secret; secret_too_long; the base32
 *   errors invalid_base32_character, invalid_base32_length, invalid_base32_padding,
 *   non_canonical_base32 at the culprit), unsupported_algorithm, invalid_digits,
 *   invalid_period, invalid_counter, missing_counter.
 *
 *     auto uri = twofactor::otpauth_uri::make("ACME Co", "john.doe@email.com", *key);
 *     std::array<char, twofactor::otpauth_uri::max_size> text;
 *     auto n = uri->reveal_uri(text);      // otpauth://totp/ACME%20Co:john.doe@email.com?...
 *
 *     auto imported = twofactor::otpauth_uri::parse(scanned_text);
 *     if (!imported) report(imported.error().code, imported.error().position);
 */
class otpauth_uri {
public:
    /// The longest text `reveal_uri` can write: names of max_label_part_size bytes all
    /// percent-encoded, a 64-byte secret, HOTP with a 20-digit counter (2,494 chars: within a
    /// version 40-L QR code's 2,953 bytes).
    static constexpr std::size_t max_size = 10 + 4 + 1 + 3 * max_label_part_size + 1 +
                                            3 * max_label_part_size + 8 + secret::max_base32_size + 8 +
                                            3 * max_label_part_size + 11 + 6 + 8 + 1 + 9 + 20;

    /**
     * A URI for enrollment. `issuer` may be empty (no issuer; not recommended: apps then show
     * only the account name). `key` is copied. The field the type does not use is reset
     * (`period` to 30 for HOTP, `counter` to 0 for TOTP), as parsing the URI would give it.
     * Errors: those of `check_issuer`, `check_account_name` and `check_parameters`;
     * errc::empty_secret.
     */
    [[nodiscard]] static constexpr result<otpauth_uri> make(
        std::string_view issuer, std::string_view account, const secret& key,
        const otpauth_parameters& parameters = {}) noexcept {
        if (const auto checked = check_issuer(issuer); !checked) return unexpected(checked.error());
        if (const auto checked = check_account_name(account); !checked) return unexpected(checked.error());
        if (const auto checked = check_parameters(parameters); !checked) return unexpected(checked.error());
        if (key.empty()) return unexpected(errc::empty_secret);
        otpauth_uri uri;
        (void)uri.issuer_.assign(issuer);  // lengths checked above
        (void)uri.account_.assign(account);
        uri.key_ = key;
        uri.parameters_ = parameters;
        // What the URI does not carry takes the value parsing gives it, so parse(text) == *this.
        if (parameters.type == otp_type::hotp) uri.parameters_.period = 30;
        if (parameters.type == otp_type::totp) uri.parameters_.counter = 0;
        return uri;
    }

    /// Parses a Key URI (see the class documentation for what is accepted and the errors).
    [[nodiscard]] static constexpr result<otpauth_uri, uri_error> parse(std::string_view text) noexcept;

    /// The issuer (empty when the URI has none); UTF-8.
    [[nodiscard]] constexpr std::string_view issuer() const noexcept { return issuer_.view(); }
    /// The account name, never empty; UTF-8.
    [[nodiscard]] constexpr std::string_view account() const noexcept { return account_.view(); }
    /// The shared secret.
    [[nodiscard]] constexpr const secret& key() const noexcept { return key_; }
    [[nodiscard]] constexpr const otpauth_parameters& parameters() const noexcept { return parameters_; }
    [[nodiscard]] constexpr otp_type type() const noexcept { return parameters_.type; }
    [[nodiscard]] constexpr algorithm hash() const noexcept { return parameters_.hash; }
    [[nodiscard]] constexpr unsigned digits() const noexcept { return parameters_.digits; }
    /// The TOTP period in seconds (30 for HOTP URIs, where it has no meaning).
    [[nodiscard]] constexpr std::uint32_t period() const noexcept { return parameters_.period; }
    /// The HOTP counter (0 for TOTP URIs, where it has no meaning).
    [[nodiscard]] constexpr std::uint64_t counter() const noexcept { return parameters_.counter; }
    /// Parsed URIs only: the label's issuer prefix differed from `issuer=` (which won).
    [[nodiscard]] constexpr bool issuer_mismatch() const noexcept { return issuer_mismatch_; }

    /// The exact length of the text `reveal_uri` writes.
    [[nodiscard]] constexpr std::size_t uri_size() const noexcept { return render(nullptr); }

    /**
     * Writes the URI (which contains the secret: treat it like the secret) into `out` and
     * returns its length, `uri_size()`; no terminating NUL.
     * Error: errc::output_too_small (nothing written); `max_size` always suffices.
     */
    [[nodiscard]] constexpr result<std::size_t> reveal_uri(std::span<char> out) const noexcept {
        if (out.size() < uri_size()) return unexpected(errc::output_too_small);
        return render(out.data());
    }

    /// The URI as a std::string (allocates; the string is not wiped: prefer `reveal_uri` into a
    /// buffer the caller wipes).
    [[nodiscard]] std::string reveal_uri_string() const {
        std::string text(uri_size(), '\0');
        (void)render(text.data());
        return text;
    }

    /// Same names, secret (compared in constant time) and parameters; `issuer_mismatch` is
    /// not compared.
    friend constexpr bool operator==(const otpauth_uri& a, const otpauth_uri& b) noexcept {
        const bool same_key = a.key_ == b.key_;
        return same_key && a.issuer_ == b.issuer_ && a.account_ == b.account_ &&
               a.parameters_ == b.parameters_;
    }

private:
    friend struct detail::otpauth_uri_access;

    constexpr otpauth_uri() noexcept = default;

    constexpr std::size_t render(char* out) const noexcept {
        detail::uri_writer w(out);
        w.literal("otpauth://");
        w.literal(to_string(parameters_.type));
        w.literal("/");
        if (!issuer_.empty()) {
            w.encoded(issuer_.view());
            w.literal(":");
        }
        w.encoded(account_.view());
        w.literal("?secret=");
        w.base32_of(key_);
        if (!issuer_.empty()) {
            w.literal("&issuer=");
            w.encoded(issuer_.view());
        }
        w.literal("&algorithm=");
        w.literal(to_string(parameters_.hash));
        w.literal("&digits=");
        w.number(parameters_.digits);
        if (parameters_.type == otp_type::totp) {
            w.literal("&period=");
            w.number(parameters_.period);
        } else {
            w.literal("&counter=");
            w.number(parameters_.counter);
        }
        return w.size();
    }

    detail::static_string<max_label_part_size> issuer_;
    detail::static_string<max_label_part_size> account_;
    secret key_;
    otpauth_parameters parameters_;
    bool issuer_mismatch_ = false;
};

constexpr result<otpauth_uri, uri_error> otpauth_uri::parse(std::string_view text) noexcept {
    using detail::uri_raw_parameter;

    // Scheme (case-insensitive, RFC 3986 §3.1) and "//".
    if (!detail::starts_with_uri_scheme(text, detail::otpauth_scheme)) {
        return unexpected(uri_error{errc::invalid_uri_scheme, 0});
    }

    // Type, up to the '/' of the label.
    const std::size_t type_position = detail::otpauth_scheme.size() + 3;
    std::size_t type_end = text.find_first_of("/?#", type_position);
    if (type_end == std::string_view::npos) type_end = text.size();
    const std::string_view type_text = text.substr(type_position, type_end - type_position);
    otpauth_uri uri;
    if (detail::equals_ignoring_ascii_case(type_text, "totp")) {
        uri.parameters_.type = otp_type::totp;
    } else if (detail::equals_ignoring_ascii_case(type_text, "hotp")) {
        uri.parameters_.type = otp_type::hotp;
    } else {
        return unexpected(uri_error{errc::unsupported_otp_type, type_position});
    }

    // Syntax of the whole text: no fragment, every '%' an escape.
    if (const auto syntax = detail::check_uri_syntax(text); !syntax) return unexpected(syntax.error());

    if (type_end == text.size() || text[type_end] != '/') {
        return unexpected(uri_error{errc::missing_account_name, type_end});
    }
    const std::size_t label_position = type_end + 1;
    std::size_t query_position = text.find('?', label_position);
    if (query_position == std::string_view::npos) query_position = text.size();
    const std::string_view raw_label = text.substr(label_position, query_position - label_position);

    // Parameters: the six known ones, each at most once.
    uri_raw_parameter secret_parameter, issuer_parameter, algorithm_parameter, digits_parameter,
        period_parameter, counter_parameter;
    const detail::uri_parameter_slot names[] = {
        {"secret", &secret_parameter}, {"issuer", &issuer_parameter}, {"algorithm", &algorithm_parameter},
        {"digits", &digits_parameter}, {"period", &period_parameter}, {"counter", &counter_parameter}};
    if (const auto read = detail::read_uri_parameters(text, query_position + 1, names); !read)
        return unexpected(read.error());

    // issuer=
    std::array<char, max_label_part_size> issuer_buffer{};
    std::string_view issuer_value;
    if (issuer_parameter.present) {
        const auto decoded = detail::decode_uri_value(issuer_parameter.value, issuer_parameter.value_position,
                                                      issuer_buffer, errc::label_too_long);
        if (!decoded) return unexpected(decoded.error());
        if (const auto checked = detail::check_uri_name(*decoded, issuer_parameter.value,
                                                        issuer_parameter.value_position, true);
            !checked) {
            return unexpected(checked.error());
        }
        issuer_value = *decoded;
    }

    // The label: issuer prefix and account name.
    std::array<char, 2 * max_label_part_size + 2> label_buffer{};
    const auto label =
        detail::decode_uri_value(raw_label, label_position, label_buffer, errc::label_too_long);
    if (!label) return unexpected(label.error());
    std::string_view label_issuer;             // decoded
    std::string_view raw_account = raw_label;  // encoded
    std::size_t account_position = label_position;
    std::string_view account_text = *label;  // decoded
    const std::size_t literal_colon = raw_label.find(':');
    if (literal_colon == std::string_view::npos && !issuer_value.empty() &&
        label->size() > issuer_value.size() && label->starts_with(issuer_value) &&
        (*label)[issuer_value.size()] == ':') {
        // No literal ':' to split at: split where the issuer= parameter says, at an encoded colon.
        label_issuer = issuer_value;
        const std::size_t at = detail::percent_source_position(raw_label, issuer_value.size() + 1);
        raw_account = raw_label.substr(at);
        account_position = label_position + at;
        account_text = label->substr(issuer_value.size() + 1);
    } else if (literal_colon != std::string_view::npos) {
        // Split at the first literal ':', then decode each part (pyotp#174).
        const std::string_view raw_issuer = raw_label.substr(0, literal_colon);
        const std::size_t decoded_colon = [&] {
            std::size_t n = 0;
            for (std::size_t i = 0; i < literal_colon; i += raw_issuer[i] == '%' ? 3U : 1U) ++n;
            return n;
        }();
        label_issuer = label->substr(0, decoded_colon);
        if (const auto checked = detail::check_uri_name(label_issuer, raw_issuer, label_position, true);
            !checked) {
            return unexpected(checked.error());
        }
        raw_account = raw_label.substr(literal_colon + 1);
        account_position = label_position + literal_colon + 1;
        account_text = label->substr(decoded_colon + 1);
    }
    // "Issuer: account" and "Issuer:%20account" (Key Uri Format); an account name never begins
    // with a space (check_account_name), with or without an issuer before it.
    while (!account_text.empty() && account_text.front() == ' ') {
        const std::size_t step = raw_account.front() == '%' ? 3 : 1;
        raw_account.remove_prefix(step);
        account_position += step;
        account_text.remove_prefix(1);
    }
    if (account_text.empty()) return unexpected(uri_error{errc::missing_account_name, account_position});
    if (const auto checked = detail::check_uri_name(account_text, raw_account, account_position, false);
        !checked) {
        return unexpected(checked.error());
    }
    (void)uri.account_.assign(account_text);  // lengths checked above
    if (!issuer_value.empty()) {
        (void)uri.issuer_.assign(issuer_value);
        uri.issuer_mismatch_ = !label_issuer.empty() && label_issuer != issuer_value;
    } else {
        (void)uri.issuer_.assign(label_issuer);
    }

    // secret= (lenient base32; the decoded text is wiped before returning).
    if (!secret_parameter.present) return unexpected(uri_error{errc::missing_secret, text.size()});
    {
        std::array<char, 4 * secret::max_size> secret_buffer{};
        const auto secret_text = detail::decode_uri_value(
            secret_parameter.value, secret_parameter.value_position, secret_buffer, errc::secret_too_long);
        if (!secret_text) {
            detail::secure_wipe(secret_buffer);
            return unexpected(secret_text.error());
        }
        auto key = secret::from_base32(*secret_text, base32_mode::lenient);
        detail::secure_wipe(secret_buffer);
        if (!key) {
            const base32_error e = key.error();
            const std::size_t at = e.code == errc::empty_secret || e.code == errc::secret_too_long
                                       ? 0
                                       : detail::percent_source_position(secret_parameter.value, e.position);
            return unexpected(uri_error{e.code, secret_parameter.value_position + at});
        }
        uri.key_ = std::move(*key);
    }

    // algorithm=, digits=
    if (algorithm_parameter.present) {
        std::array<char, 16> buffer{};
        const auto value =
            detail::decode_uri_value(algorithm_parameter.value, algorithm_parameter.value_position, buffer,
                                     errc::unsupported_algorithm);
        const auto parsed = value ? parse_algorithm(*value) : result<algorithm>(unexpected(errc{}));
        if (!parsed)
            return unexpected(uri_error{errc::unsupported_algorithm, algorithm_parameter.value_position});
        uri.parameters_.hash = *parsed;
    }
    if (digits_parameter.present) {
        std::array<char, 8> buffer{};
        const auto value = detail::decode_uri_value(digits_parameter.value, digits_parameter.value_position,
                                                    buffer, errc::invalid_digits);
        const auto parsed = value ? parse_digits(*value) : result<unsigned>(unexpected(errc{}));
        if (!parsed) return unexpected(uri_error{errc::invalid_digits, digits_parameter.value_position});
        uri.parameters_.digits = *parsed;
    }

    // period= (TOTP) or counter= (HOTP).
    if (uri.parameters_.type == otp_type::totp) {
        if (period_parameter.present) {
            std::array<char, 24> buffer{};
            const auto value = detail::decode_uri_value(
                period_parameter.value, period_parameter.value_position, buffer, errc::invalid_period);
            std::uint64_t period = 0;
            if (!value || !detail::parse_uri_decimal(*value, period) || period == 0 ||
                period > max_uri_period) {
                return unexpected(uri_error{errc::invalid_period, period_parameter.value_position});
            }
            uri.parameters_.period = static_cast<std::uint32_t>(period);
        }
    } else {
        if (!counter_parameter.present) return unexpected(uri_error{errc::missing_counter, text.size()});
        std::array<char, 24> buffer{};
        const auto value = detail::decode_uri_value(counter_parameter.value, counter_parameter.value_position,
                                                    buffer, errc::invalid_counter);
        std::uint64_t counter = 0;
        if (!value || !detail::parse_uri_decimal(*value, counter)) {
            return unexpected(uri_error{errc::invalid_counter, counter_parameter.value_position});
        }
        uri.parameters_.counter = counter;
    }
    return uri;
}

/**
 * Which parts of an OTP configuration some authenticator apps are known to get wrong, so that
 * an application can warn its user before enrolling (and must still require one verified code
 * before turning 2FA on). Each flag names its sources:
 *
 * - `algorithm_ignored`, `digits_ignored`, `period_ignored`: Google Authenticator ignores
 *   `algorithm`, `digits` and `period` on some platforms and versions
 *   (google/google-authenticator#521); Microsoft Authenticator and Authy fall back to
 *   SHA1 / 6 digits / 30 s (kspearrin/Otp.NET#54). Such an app shows codes that never match.
 * - `weak_secret`: the secret is shorter than 128 bits, below RFC 4226 §4 R6's minimum (real
 *   services hand such 80-bit secrets out: totp-rs#54; they work, but are weak).
 */
struct compatibility_report {
    bool algorithm_ignored = false;  ///< algorithm is not SHA1
    bool digits_ignored = false;     ///< digits is not 6
    bool period_ignored = false;     ///< TOTP period is not 30 seconds
    bool weak_secret = false;        ///< secret shorter than 16 bytes

    /// True when there is nothing to warn about.
    [[nodiscard]] constexpr bool clean() const noexcept {
        return !algorithm_ignored && !digits_ignored && !period_ignored && !weak_secret;
    }
    friend constexpr bool operator==(const compatibility_report&, const compatibility_report&) = default;
};

/// The warning line of each flag of `compatibility_report`, in English, one line each.
inline constexpr std::string_view algorithm_warning =
    "the algorithm is not SHA1: Google Authenticator (on some platforms), Microsoft Authenticator and Authy "
    "ignore it and show codes that will not be accepted";
inline constexpr std::string_view digits_warning =
    "the code length is not 6 digits: Google Authenticator (on some platforms), Microsoft Authenticator and "
    "Authy ignore it and show 6-digit codes that will not be accepted";
inline constexpr std::string_view period_warning =
    "the period is not 30 seconds: Google Authenticator (on some platforms), Microsoft Authenticator and "
    "Authy "
    "ignore it and show codes that will not be accepted";
inline constexpr std::string_view weak_secret_warning =
    "the secret is shorter than 128 bits, the minimum of RFC 4226: it works, but is weaker than it should be";

/// The warning lines of a report: a small range of string_views with static storage (no heap).
class compatibility_warnings {
public:
    constexpr explicit compatibility_warnings(const compatibility_report& report) noexcept {
        if (report.algorithm_ignored) lines_[count_++] = algorithm_warning;
        if (report.digits_ignored) lines_[count_++] = digits_warning;
        if (report.period_ignored) lines_[count_++] = period_warning;
        if (report.weak_secret) lines_[count_++] = weak_secret_warning;
    }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return count_; }
    [[nodiscard]] constexpr bool empty() const noexcept { return count_ == 0; }
    [[nodiscard]] constexpr const std::string_view* begin() const noexcept { return lines_.data(); }
    [[nodiscard]] constexpr const std::string_view* end() const noexcept { return lines_.data() + count_; }
    /// Line `i`. Precondition: `i < size()`.
    [[nodiscard]] constexpr std::string_view operator[](std::size_t i) const noexcept { return lines_[i]; }

private:
    std::array<std::string_view, 4> lines_{};
    std::size_t count_ = 0;
};

/**
 * The compatibility report of a configuration: `parameters` and a secret of `secret_size`
 * bytes (the period is only looked at for TOTP).
 *
 *     auto report = twofactor::check_compatibility(uri->parameters(), uri->key().size());
 *     for (std::string_view line : twofactor::compatibility_warnings(report)) warn(line);
 */
[[nodiscard]] constexpr compatibility_report check_compatibility(const otpauth_parameters& parameters,
                                                                 std::size_t secret_size) noexcept {
    compatibility_report report;
    report.algorithm_ignored = parameters.hash != algorithm::sha1;
    report.digits_ignored = parameters.digits != 6;
    report.period_ignored = parameters.type == otp_type::totp && parameters.period != 30;
    report.weak_secret = secret_size < secret::min_recommended_size;
    return report;
}

/// The compatibility report of a Key URI.
[[nodiscard]] constexpr compatibility_report check_compatibility(const otpauth_uri& uri) noexcept {
    return check_compatibility(uri.parameters(), uri.key().size());
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_OTPAUTH_URI_HPP_INCLUDED
// ---- end twofactor/otpauth_uri.hpp ----

namespace twofactor::inline v1 {

/// The most data (after base64 decoding) an export may carry: more than one QR code can hold
/// (a version 40-L symbol holds a URI of 2,953 bytes, about 2,200 bytes of data).
inline constexpr std::size_t max_migration_data_size = 4096;

/// What an export says about itself besides its accounts. Google Authenticator splits a large
/// export into `batch_size` QR codes, numbered by `batch_index` from 0, all with one `batch_id`;
/// each is imported on its own. The three are 0 when the export does not say.
struct migration_batch {
    std::int32_t version = 0;      ///< the export format's version (1 in Google's exports)
    std::int32_t batch_size = 0;   ///< how many QR codes the export was split into
    std::int32_t batch_index = 0;  ///< which of them this one is, from 0
    std::int32_t batch_id = 0;     ///< the same for every QR code of one export
    std::size_t accounts = 0;      ///< how many accounts this one carries (0 is possible)
    friend constexpr bool operator==(const migration_batch&, const migration_batch&) = default;
};

/**
 * Why an export was rejected. `position` indexes the URI text: the culprit for problems of the
 * URI itself and of the base64 text; the first character of the data for problems inside the
 * decoded data. `account` is the index (from 0) of the account at fault, or `no_account`.
 */
struct migration_error {
    static constexpr std::size_t no_account = std::numeric_limits<std::size_t>::max();
    errc code{};
    std::size_t position = 0;
    std::size_t account = no_account;
    friend constexpr bool operator==(const migration_error&, const migration_error&) = default;
};

namespace detail {

inline constexpr std::string_view migration_scheme = "otpauth-migration";
inline constexpr std::string_view migration_host = "offline";
// The base64 text of max_migration_data_size bytes, padded.
inline constexpr std::size_t max_migration_text_size = (max_migration_data_size + 2) / 3 * 4;
// "Issuer:account": two names and the colon (spaces after the colon count against it).
inline constexpr std::size_t max_migration_name_size = 2 * max_label_part_size + 1;

struct otpauth_uri_access {
    [[nodiscard]] static constexpr otpauth_uri make(std::string_view issuer, std::string_view account,
                                                    secret&& key, const otpauth_parameters& parameters,
                                                    bool issuer_mismatch) noexcept {
        otpauth_uri uri;
        (void)uri.issuer_.assign(issuer);  // the caller checked the lengths
        (void)uri.account_.assign(account);
        uri.key_ = std::move(key);
        uri.parameters_ = parameters;
        uri.issuer_mismatch_ = issuer_mismatch;
        return uri;
    }
};

// Copies a string field's bytes into `out` (constant evaluation cannot view bytes as chars).
template <std::size_t N>
[[nodiscard]] constexpr std::string_view migration_text(std::span<const std::byte> bytes,
                                                        std::array<char, N>& out) noexcept {
    for (std::size_t i = 0; i < bytes.size(); ++i) out[i] = static_cast<char>(bytes[i]);
    return {out.data(), bytes.size()};
}

// Checks an issuer or account name as otpauth_uri::parse does (check_uri_name: UTF-8 without
// control characters, at most max_label_part_size bytes, and for an account no ':'); the name
// is not percent-encoded, so it is its own raw text and the position is dropped.
[[nodiscard]] constexpr result<void> check_migration_name(std::string_view name,
                                                          bool colon_allowed) noexcept {
    if (const auto checked = check_uri_name(name, name, 0, colon_allowed); !checked)
        return unexpected(checked.error().code);
    return {};
}

// One OtpParameters message of the export, as an otpauth_uri.
[[nodiscard]] constexpr result<otpauth_uri> read_migration_account(
    std::span<const std::byte> message) noexcept {
    std::span<const std::byte> key_bytes, name_bytes, issuer_bytes;
    std::uint64_t algorithm_value = 0, digits_value = 0, type_value = 0, counter_value = 0;
    protobuf_reader reader(message);
    protobuf_field field;
    while (reader.next(field)) {
        const bool is_bytes = field.type == protobuf_wire_type::length_delimited;
        const bool is_varint = field.type == protobuf_wire_type::varint;
        switch (field.number) {
            // A field given twice: the last one counts, as in every protobuf parser.
            case 1: key_bytes = field.bytes; break;
            case 2: name_bytes = field.bytes; break;
            case 3: issuer_bytes = field.bytes; break;
            case 4: algorithm_value = field.value; break;
            case 5: digits_value = field.value; break;
            case 6: type_value = field.value; break;
            case 7: counter_value = field.value; break;
            default: continue;  // unknown: skipped (newer exports add fields, e.g. an id)
        }
        if ((field.number <= 3 && !is_bytes) || (field.number >= 4 && !is_varint)) {
            return unexpected(errc::invalid_migration_data);
        }
    }
    if (reader.malformed()) return unexpected(errc::invalid_migration_data);

    // Enumerations: 0 is "unspecified" (also what an absent field reads as), which takes the
    // default of the Key Uri Format, as Google Authenticator does.
    otpauth_parameters parameters;
    switch (algorithm_value) {
        case 0:
        case 1: parameters.hash = algorithm::sha1; break;
        case 2: parameters.hash = algorithm::sha256; break;
        case 3: parameters.hash = algorithm::sha512; break;
        default: return unexpected(errc::unsupported_algorithm);  // 4 is MD5
    }
    switch (digits_value) {
        case 0:
        case 1: parameters.digits = 6; break;
        case 2: parameters.digits = 8; break;
        default: return unexpected(errc::invalid_digits);
    }
    switch (type_value) {
        case 0:
        case 2: parameters.type = otp_type::totp; break;
        case 1: parameters.type = otp_type::hotp; break;
        default: return unexpected(errc::unsupported_otp_type);
    }
    if (parameters.type == otp_type::hotp) {
        // An int64 on the wire: a negative counter arrives as a value above 2^63 - 1.
        if (counter_value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return unexpected(errc::invalid_counter);
        }
        parameters.counter = counter_value;
    }

    // Names. `name` is the label, "Issuer:account" or "account"; `issuer` (when given) wins
    // over the label's prefix, as `issuer=` does in otpauth_uri::parse.
    if (issuer_bytes.size() > max_label_part_size) return unexpected(errc::label_too_long);
    if (name_bytes.size() > max_migration_name_size) return unexpected(errc::label_too_long);
    std::array<char, max_label_part_size> issuer_buffer{};
    std::array<char, max_migration_name_size> name_buffer{};
    const std::string_view issuer_field = migration_text(issuer_bytes, issuer_buffer);
    const std::string_view name = migration_text(name_bytes, name_buffer);
    if (const auto checked = check_migration_name(issuer_field, true); !checked)
        return unexpected(checked.error());
    if (const auto text = check_uri_text(name); !text) return unexpected(text.error().code);
    std::string_view label_issuer;
    std::string_view account = name;
    if (!issuer_field.empty() && name.size() > issuer_field.size() && name.starts_with(issuer_field) &&
        name[issuer_field.size()] == ':') {
        label_issuer = issuer_field;  // also when the issuer itself contains a ':'
        account = name.substr(issuer_field.size() + 1);
    } else if (const std::size_t colon = name.find(':'); colon != std::string_view::npos) {
        label_issuer = name.substr(0, colon);
        account = name.substr(colon + 1);
    }
    while (!account.empty() && account.front() == ' ') account.remove_prefix(1);
    if (account.empty()) return unexpected(errc::missing_account_name);
    if (const auto checked = check_migration_name(label_issuer, true); !checked)
        return unexpected(checked.error());
    if (const auto checked = check_migration_name(account, false); !checked)
        return unexpected(checked.error());
    const std::string_view issuer = issuer_field.empty() ? label_issuer : issuer_field;
    const bool issuer_mismatch =
        !issuer_field.empty() && !label_issuer.empty() && label_issuer != issuer_field;

    auto key = secret::from_bytes(key_bytes);  // errc::empty_secret, errc::secret_too_long
    if (!key) return unexpected(key.error());
    return otpauth_uri_access::make(issuer, account, std::move(*key), parameters, issuer_mismatch);
}

// Wipes the decoding buffers on every way out of parse_otpauth_migration.
template <class Buffer>
struct wipe_on_exit {
    Buffer& buffer;
    constexpr ~wipe_on_exit() { secure_wipe(buffer); }
};

}  // namespace detail

/**
 * Imports a Google Authenticator export: `text` is the otpauth-migration://offline?data=...
 * URI of one of its QR codes, and `on_account` is called with each account it carries, in
 * order, as an otpauth_uri (the same type, with the same guarantees, as otpauth_uri::parse
 * gives). The whole export is checked before the first call: `on_account` sees every account
 * or none. Allocation-free; the decoded data (which holds the secrets) is wiped before
 * returning. Returns what the export says about itself (`migration_batch`). The decoding
 * buffers take about 10 KB of stack (13 KB in all with GCC -O2), more than a small firmware
 * task may have; in constant evaluation, clang's default step limit suffices for exports of
 * one QR code, not for the largest texts.
 *
 * Accepted, decided here:
 *   - The scheme "otpauth-migration" and the host "offline", ignoring ASCII case; then a query
 *     with `data=` exactly once (other parameters are ignored). No fragment ('#'); every '%'
 *     starts a %XX escape. `data` is percent-decoded ("%2B", "%2F", "%3D", as Google writes
 *     them; a literal '+' is a plus, never a space), then base64-decoded strictly
 *     (detail::base64_decode: standard alphabet, optional but exact padding, canonical).
 *   - The data is the export's protobuf message: accounts (field 1), version, batch size,
 *     index and id (fields 2..5). In each account: secret (bytes), name, issuer (UTF-8),
 *     algorithm, digits, type and counter. Unknown fields are skipped; a known field of the
 *     wrong wire type is an error; a field given twice counts once, the last (as in protobuf).
 *   - Algorithm SHA1/SHA256/SHA512 (MD5 is refused); digits 6 or 8; type TOTP or HOTP; an
 *     unspecified (or absent) one takes the default SHA1, 6, TOTP. The period is always 30 s:
 *     the format has no field for it. The HOTP counter must not be negative.
 *   - Names as in otpauth_uri::parse: `name` is the label, "Issuer:account" or "account",
 *     split at the issuer field when it prefixes the name with a ':', else at the first ':';
 *     spaces before the account are dropped; the issuer field, when not empty, wins over the
 *     label's prefix (`issuer_mismatch()` then tells they differed).
 *
 * Errors (`migration_error`). Of the URI and the data as a whole (`account` is no_account), in
 * the order they are checked: errc::invalid_uri_scheme (not "otpauth-migration://");
 * errc::invalid_uri_syntax (a host other than "offline", a path, a '#');
 * errc::invalid_percent_encoding; errc::duplicate_parameter (`data` twice);
 * errc::invalid_migration_data (no `data`, at the end of the text);
 * errc::migration_data_too_long (more than max_migration_data_size bytes); errc::invalid_base64;
 * errc::invalid_migration_data (malformed protobuf, a top-level field of the wrong type). The
 * data is read in order, so a problem there and one of an account come as they appear. An
 * account's problems, with `account` set: errc::invalid_migration_data (its message malformed,
 * or a field of the wrong type); errc::unsupported_algorithm, errc::invalid_digits,
 * errc::unsupported_otp_type, errc::invalid_counter (in that order); then its names
 * (errc::label_too_long, errc::invalid_utf8, errc::invalid_label, errc::missing_account_name)
 * and its secret (errc::empty_secret, errc::secret_too_long).
 *
 *     std::vector<twofactor::otpauth_uri> imported;
 *     auto batch = twofactor::parse_otpauth_migration(
 *         scanned_text, [&](const twofactor::otpauth_uri& account) { imported.push_back(account); });
 *     if (!batch) report(batch.error().code, batch.error().position, batch.error().account);
 */
template <class OnAccount>
requires std::invocable<OnAccount&, const otpauth_uri&>
[[nodiscard]] constexpr result<migration_batch, migration_error> parse_otpauth_migration(
    std::string_view text,
    OnAccount&& on_account) noexcept(std::is_nothrow_invocable_v<OnAccount&, const otpauth_uri&>) {
    using detail::migration_scheme;
    const auto fail = [](errc code, std::size_t position, std::size_t account = migration_error::no_account) {
        return unexpected(migration_error{code, position, account});
    };

    // Scheme, host, no path, no fragment, well-formed escapes.
    if (!detail::starts_with_uri_scheme(text, migration_scheme)) return fail(errc::invalid_uri_scheme, 0);
    const std::size_t host_position = migration_scheme.size() + 3;
    std::size_t host_end = text.find_first_of("/?#", host_position);
    if (host_end == std::string_view::npos) host_end = text.size();
    if (!detail::equals_ignoring_ascii_case(text.substr(host_position, host_end - host_position),
                                            detail::migration_host)) {
        return fail(errc::invalid_uri_syntax, host_position);
    }
    if (host_end < text.size() && text[host_end] != '?') return fail(errc::invalid_uri_syntax, host_end);
    if (const auto syntax = detail::check_uri_syntax(text); !syntax) {
        return fail(syntax.error().code, syntax.error().position);
    }

    // data=, exactly once.
    detail::uri_raw_parameter data;
    const detail::uri_parameter_slot data_slot[] = {{"data", &data}};
    if (const auto read = detail::read_uri_parameters(text, host_end + 1, data_slot); !read) {
        return fail(read.error().code, read.error().position);
    }
    if (!data.present) return fail(errc::invalid_migration_data, text.size());

    // Percent-decoding, then base64, into buffers wiped on the way out.
    std::array<char, detail::max_migration_text_size> base64_text{};
    const detail::wipe_on_exit<decltype(base64_text)> wipe_text{base64_text};
    const auto decoded_text = detail::percent_decode(data.value, base64_text);
    if (!decoded_text) {
        const errc code = decoded_text.error().code == errc::output_too_small ? errc::migration_data_too_long
                                                                              : decoded_text.error().code;
        return fail(code, data.value_position + decoded_text.error().position);
    }
    std::array<std::byte, max_migration_data_size> payload{};
    const detail::wipe_on_exit<decltype(payload)> wipe_payload{payload};
    const auto payload_size = detail::base64_decode(std::string_view(base64_text.data(), *decoded_text),
                                                    std::span<std::byte>(payload));
    if (!payload_size) {
        const errc code = payload_size.error().code == errc::output_too_small ? errc::migration_data_too_long
                                                                              : payload_size.error().code;
        return fail(code, data.value_position +
                              detail::percent_source_position(data.value, payload_size.error().position));
    }
    const auto message = std::span<const std::byte>(payload).first(*payload_size);

    // The payload, read twice: checked whole, then handed over account by account.
    migration_batch batch;
    detail::protobuf_reader reader(message);
    detail::protobuf_field field;
    while (reader.next(field)) {
        const bool is_varint = field.type == detail::protobuf_wire_type::varint;
        if (field.number == 1) {
            if (field.type != detail::protobuf_wire_type::length_delimited) {
                return fail(errc::invalid_migration_data, data.value_position);
            }
            if (const auto account = detail::read_migration_account(field.bytes); !account) {
                return fail(account.error(), data.value_position, batch.accounts);
            }
            ++batch.accounts;
        } else if (field.number >= 2 && field.number <= 5) {
            if (!is_varint) return fail(errc::invalid_migration_data, data.value_position);
            // int32 on the wire: the low 32 bits, two's complement (protobuf's rule).
            const auto value =
                static_cast<std::int32_t>(static_cast<std::uint32_t>(field.value & 0xFFFFFFFFu));
            if (field.number == 2) batch.version = value;
            if (field.number == 3) batch.batch_size = value;
            if (field.number == 4) batch.batch_index = value;
            if (field.number == 5) batch.batch_id = value;
        }
    }
    if (reader.malformed()) return fail(errc::invalid_migration_data, data.value_position);

    detail::protobuf_reader accounts(message);
    while (accounts.next(field)) {
        if (field.number != 1) continue;
        const auto account = detail::read_migration_account(field.bytes);  // succeeded above
        if (account) on_account(*account);
    }
    return batch;
}

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_OTPAUTH_MIGRATION_HPP_INCLUDED
// ---- end twofactor/otpauth_migration.hpp ----

// ---- begin twofactor/backup_codes.hpp ----
// twofactor: backup codes, the single-use recovery codes handed out at enrollment (the
// "Download" step of the setup wizard), kept only as salted slow hashes (PBKDF2, RFC 8018).
#ifndef TWOFACTOR_BACKUP_CODES_HPP_INCLUDED
#define TWOFACTOR_BACKUP_CODES_HPP_INCLUDED


#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>


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
// ---- end twofactor/backup_codes.hpp ----

// ---- begin twofactor/account.hpp ----
// twofactor: the per-user 2FA account record and logging in with it: a TOTP (or HOTP) code
// or a backup code, replay protection (RFC 6238 §5.2), throttling of failed attempts
// (RFC 4226 §7.3), a revision for compare-and-set storage, and a versioned text form.
#ifndef TWOFACTOR_ACCOUNT_HPP_INCLUDED
#define TWOFACTOR_ACCOUNT_HPP_INCLUDED


#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>


// ---- begin twofactor/detail/backup_code_text.hpp ----
// twofactor: the lines of a stored backup_code_set inside a record's text form (the account
// record, the enrollment wizard's state):
//
//     backup-codes <N> pbkdf2-<hash name in lowercase> <iterations> <salt: lowercase hex>
//     backup-code <i> used|unused <digest: lowercase hex>          (i = 1..N, each once)
#ifndef TWOFACTOR_DETAIL_BACKUP_CODE_TEXT_HPP_INCLUDED
#define TWOFACTOR_DETAIL_BACKUP_CODE_TEXT_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>


// ---- begin twofactor/detail/record_text.hpp ----
// twofactor: the line-based text form shared by stored records (the account record, the
// enrollment wizard's state): a header line "<kind> <version>", then "<field> <value>" lines,
// then "checksum <SHA-256 of every byte before this line, lowercase hex>". The checksum
// catches corruption and truncation (it is not a MAC: an attacker who can write the record
// can recompute it).
#ifndef TWOFACTOR_DETAIL_RECORD_TEXT_HPP_INCLUDED
#define TWOFACTOR_DETAIL_RECORD_TEXT_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>


namespace twofactor::inline v1 {

/// Why a stored record was rejected, and on which line (1-based; 0 when the problem is the
/// record as a whole, e.g. a missing field).
struct record_error {
    errc code;
    std::size_t line;
    friend constexpr bool operator==(const record_error&, const record_error&) = default;
};

}  // namespace twofactor::inline v1

namespace twofactor::inline v1::detail {

inline constexpr std::string_view record_checksum_field = "checksum";
inline constexpr std::size_t record_checksum_hex_size = 2 * sha256::digest_size;
inline constexpr std::string_view lowercase_hex_digits = "0123456789abcdef";

/// Decimal digits of `value`.
[[nodiscard]] constexpr std::size_t decimal_size(std::uint64_t value) noexcept {
    std::size_t n = 1;
    while (value >= 10) {
        value /= 10;
        ++n;
    }
    return n;
}

/**
 * Writes a record, or only counts its length when constructed with a null pointer (the same
 * code computes the size and the text, so they cannot disagree). Values are written as given:
 * callers pass text that has no spaces or line breaks, or use `encoded`.
 */
class record_writer {
public:
    constexpr explicit record_writer(char* out) noexcept : out_(out) {}

    constexpr void header(std::string_view kind, std::uint32_t version) noexcept {
        put(kind);
        put(" ");
        number(version);
        put("\n");
    }
    /// Starts "<name> "; finish the line with values and `end_line`.
    constexpr void field(std::string_view name) noexcept {
        put(name);
        put(" ");
    }
    constexpr void end_line() noexcept { put("\n"); }

    constexpr void put(std::string_view text) noexcept {
        if (out_ != nullptr)
            for (std::size_t i = 0; i < text.size(); ++i) out_[size_ + i] = text[i];
        size_ += text.size();
    }
    constexpr void number(std::uint64_t value) noexcept {
        std::array<char, 20> digits{};
        std::size_t n = 0;
        do {
            digits[n++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0);
        while (n > 0) put(std::string_view(&digits[--n], 1));
    }
    constexpr void signed_number(std::int64_t value) noexcept {
        if (value < 0) {
            put("-");
            number(std::uint64_t{0} - static_cast<std::uint64_t>(value));
        } else {
            number(static_cast<std::uint64_t>(value));
        }
    }
    constexpr void hex(std::span<const std::byte> bytes) noexcept {
        for (const std::byte b : bytes) {
            const auto value = static_cast<unsigned>(b);
            const std::array<char, 2> pair{lowercase_hex_digits[value >> 4],
                                           lowercase_hex_digits[value & 15]};
            put(std::string_view(pair.data(), 2));
        }
    }
    /// UTF-8 text percent-encoded as in a URI (no spaces or controls remain).
    constexpr void encoded(std::string_view text) noexcept {
        if (out_ != nullptr)
            size_ += percent_encode(text, out_ + size_);
        else
            size_ += percent_encoded_size(text);
    }
    /// Ends the record with its checksum line (needs the written text, so a counting writer
    /// only adds the line's length).
    constexpr void checksum() noexcept {
        if (out_ == nullptr) {
            size_ += record_checksum_field.size() + 1 + record_checksum_hex_size + 1;
            return;
        }
        const auto digest = checksum_of(std::string_view(out_, size_));
        field(record_checksum_field);
        hex(digest.bytes);
        end_line();
    }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }

    [[nodiscard]] static constexpr sha256::digest_type checksum_of(std::string_view text) noexcept {
        sha256 h;
        for (const char c : text) {
            const std::byte b = static_cast<std::byte>(c);
            h.update(std::span<const std::byte>(&b, 1));
        }
        return h.finalize();
    }

private:
    char* out_;
    std::size_t size_ = 0;
};

/// Parses a canonical unsigned decimal: digits only, no sign, no leading zero (except "0"),
/// at most `max`.
[[nodiscard]] constexpr bool parse_decimal(
    std::string_view text, std::uint64_t& value,
    std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) noexcept {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
    std::uint64_t result = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (digit > max || result > (max - digit) / 10) return false;
        result = result * 10 + digit;
    }
    value = result;
    return true;
}

/// Parses a canonical signed decimal: as parse_decimal, with an optional '-' (not "-0").
[[nodiscard]] constexpr bool parse_signed_decimal(std::string_view text, std::int64_t& value) noexcept {
    const bool negative = !text.empty() && text[0] == '-';
    std::uint64_t magnitude = 0;
    constexpr auto max_positive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (!parse_decimal(negative ? text.substr(1) : text, magnitude,
                       negative ? max_positive + 1 : max_positive))
        return false;
    if (negative && magnitude == 0) return false;
    value = negative ? static_cast<std::int64_t>(std::uint64_t{0} - magnitude)
                     : static_cast<std::int64_t>(magnitude);
    return true;
}

/// Parses exactly `out.size()` bytes of lowercase hex.
[[nodiscard]] constexpr bool parse_hex(std::string_view text, std::span<std::byte> out) noexcept {
    if (text.size() != 2 * out.size()) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int high = nibble(text[2 * i]);
        const int low = nibble(text[2 * i + 1]);
        if (high < 0 || low < 0) return false;
        out[i] = static_cast<std::byte>(high * 16 + low);
    }
    return true;
}

/// Decodes a percent-encoded name field into `out`: its size, or errc::label_too_long (it does
/// not fit) or errc::invalid_field_value (not the canonical form, the one record_writer::encoded
/// writes).
template <std::size_t Capacity>
[[nodiscard]] constexpr result<std::size_t, errc> decode_record_name(
    std::string_view text, std::array<char, Capacity>& out) noexcept {
    const auto decoded = percent_decode(text, out);
    if (!decoded)
        return unexpected(decoded.error().code == errc::output_too_small ? errc::label_too_long
                                                                         : errc::invalid_field_value);
    const std::string_view name(out.data(), *decoded);
    if (percent_encoded_size(name) != text.size()) return unexpected(errc::invalid_field_value);
    std::array<char, 3 * Capacity> again{};
    (void)percent_encode(name, again.data());
    if (std::string_view(again.data(), text.size()) != text) return unexpected(errc::invalid_field_value);
    return *decoded;
}

/// One "<name> <value>" line of a record.
struct record_line {
    std::string_view name;
    std::string_view value;
    std::size_t number = 0;  ///< 1-based line number
};

/**
 * Checks a record's frame: the header "<kind> <version>" on line 1, only printable ASCII and
 * '\n', a final '\n', and the checksum line last; then hands out the field lines between.
 * Errors: not_a_record (another header), unsupported_record_version, invalid_field_value (a
 * byte that is not printable ASCII, even in our header: a '\r' of CRLF line ends), record_trailing_data
 * (anything, even an empty line, after a checksum line: on the first line after it), record_truncated (no
 * final '\n' or no checksum line), record_checksum_mismatch.
 */
class record_reader {
public:
    [[nodiscard]] static constexpr result<record_reader, record_error> open(std::string_view text,
                                                                            std::string_view kind,
                                                                            std::uint32_t version) noexcept {
        // The header first, so that any other file is "not a record" rather than "truncated".
        const std::size_t header_end = text.find('\n');
        const std::string_view header = text.substr(0, header_end);
        if (header.size() <= kind.size() || header.substr(0, kind.size()) != kind ||
            header[kind.size()] != ' ')
            return unexpected(record_error{errc::not_a_record, 1});
        // Our header with a stray byte, say the '\r' of a file saved with CRLF line ends: name
        // the byte, not the kind of file.
        for (const char c : header)
            if (!is_printable_ascii(c)) return unexpected(record_error{errc::invalid_field_value, 1});
        std::uint64_t found_version = 0;
        if (!parse_decimal(header.substr(kind.size() + 1), found_version, 0xffffffffU))
            return unexpected(record_error{errc::not_a_record, 1});
        if (found_version != version) return unexpected(record_error{errc::unsupported_record_version, 1});

        std::size_t line = 1;
        for (const char c : text) {
            if (c == '\n') {
                ++line;
            } else if (!is_printable_ascii(c)) {
                return unexpected(record_error{errc::invalid_field_value, line});
            }
        }
        // A checksum line before the last one: whatever follows it (a second record, say) is
        // not part of this record.
        if (const std::size_t after = line_after_first_checksum(text); after != 0)
            return unexpected(record_error{errc::record_trailing_data, after});
        if (text.empty() || text.back() != '\n')
            return unexpected(record_error{errc::record_truncated, line});

        // The last line: "checksum <hex>" over every byte before it.
        const std::size_t last_start = text.find_last_of('\n', text.size() - 2) + 1;
        const std::size_t checksum_line = line - 1;
        if (last_start <= header_end) return unexpected(record_error{errc::record_truncated, checksum_line});
        const std::string_view last = text.substr(last_start, text.size() - 1 - last_start);
        std::array<std::byte, sha256::digest_size> stored{};
        if (!has_checksum_line_shape(last))
            return unexpected(record_error{errc::record_truncated, checksum_line});
        if (!parse_hex(last.substr(record_checksum_field.size() + 1), stored))
            return unexpected(record_error{errc::record_checksum_mismatch, checksum_line});
        const auto computed = record_writer::checksum_of(text.substr(0, last_start));
        if (computed.bytes != stored)  // not secret: a plain comparison
            return unexpected(record_error{errc::record_checksum_mismatch, checksum_line});

        record_reader reader;
        reader.rest_ = text.substr(header_end + 1, last_start - header_end - 1);
        reader.line_ = 1;
        return reader;
    }

    /// The next field line into `line`; false after the last one. Error: invalid_field_value
    /// (a line without a space, or with an empty name).
    [[nodiscard]] constexpr result<bool, record_error> next(record_line& line) noexcept {
        if (rest_.empty()) return false;
        const std::size_t end = rest_.find('\n');
        const std::string_view text = rest_.substr(0, end);
        rest_ = rest_.substr(end + 1);
        ++line_;
        const std::size_t space = text.find(' ');
        if (space == std::string_view::npos || space == 0)
            return unexpected(record_error{errc::invalid_field_value, line_});
        line = record_line{text.substr(0, space), text.substr(space + 1), line_};
        return true;
    }

private:
    constexpr record_reader() noexcept = default;

    [[nodiscard]] static constexpr bool is_printable_ascii(char c) noexcept {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte <= 0x7e;
    }

    // "checksum " and as many characters as the checksum has hex digits (which may be wrong).
    [[nodiscard]] static constexpr bool has_checksum_line_shape(std::string_view line) noexcept {
        const std::size_t prefix = record_checksum_field.size() + 1;
        return line.size() == prefix + record_checksum_hex_size &&
               line.substr(0, prefix - 1) == record_checksum_field && line[prefix - 1] == ' ';
    }

    // The number of the line after the first line of a checksum line's shape (ended by '\n',
    // not the header) that has text after it; 0 when there is none.
    [[nodiscard]] static constexpr std::size_t line_after_first_checksum(std::string_view text) noexcept {
        std::size_t number = 1;
        for (std::size_t start = 0; start < text.size(); ++number) {
            const std::size_t end = text.find('\n', start);
            if (end == std::string_view::npos) break;  // the last line, unended
            const std::string_view current = text.substr(start, end - start);
            if (number > 1 && has_checksum_line_shape(current) && end + 1 < text.size()) return number + 1;
            start = end + 1;
        }
        return 0;
    }

    std::string_view rest_;
    std::size_t line_ = 0;
};

/// Tracks which of up to 64 fields have been seen, for duplicate_field and missing_field.
class record_fields_seen {
public:
    /// Marks field `index`; duplicate_field on `line` when it was seen before.
    [[nodiscard]] constexpr result<void, record_error> mark(std::size_t index, std::size_t line) noexcept {
        const std::uint64_t bit = std::uint64_t{1} << index;
        if ((seen_ & bit) != 0) return unexpected(record_error{errc::duplicate_field, line});
        seen_ |= bit;
        return {};
    }
    [[nodiscard]] constexpr bool has(std::size_t index) const noexcept { return (seen_ >> index) & 1u; }

private:
    std::uint64_t seen_ = 0;
};

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_RECORD_TEXT_HPP_INCLUDED
// ---- end twofactor/detail/record_text.hpp ----

namespace twofactor::inline v1::detail {

inline constexpr std::string_view backup_codes_field = "backup-codes";
inline constexpr std::string_view backup_code_field = "backup-code";

/// Whether `text` is "pbkdf2-" and H's name in lowercase ("pbkdf2-sha256").
template <hash_function H>
[[nodiscard]] constexpr bool pbkdf2_name_matches(std::string_view text) noexcept {
    constexpr std::string_view prefix = "pbkdf2-";
    const std::string_view name = H::name;
    if (text.size() != prefix.size() + name.size() || text.substr(0, prefix.size()) != prefix) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (text[prefix.size() + i] != c) return false;
    }
    return true;
}

template <std::size_t N, hash_function H>
constexpr void write_backup_code_set(record_writer& w, const backup_code_set<N, H>& set) noexcept {
    w.field(backup_codes_field);
    w.number(N);
    w.put(" pbkdf2-");
    for (const char c : std::string_view(H::name)) {
        const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        w.put(std::string_view(&lower, 1));
    }
    w.put(" ");
    w.number(set.iterations());
    w.put(" ");
    w.hex(set.salt());
    w.end_line();
    for (std::size_t i = 0; i < N; ++i) {
        w.field(backup_code_field);
        w.number(i + 1);
        w.put(set.used(i) ? " used " : " unused ");
        w.hex(set.digest(i));
        w.end_line();
    }
}

/// Collects the backup-code lines of a record while its fields are read, then rebuilds the set.
template <std::size_t N, hash_function H>
class backup_code_set_reader {
public:
    using set_type = backup_code_set<N, H>;

    /// Takes `line` if it is one of the set's; false (nothing taken) for any other field.
    /// Errors: duplicate_field, invalid_field_value (a malformed index).
    [[nodiscard]] constexpr result<bool, record_error> take(const record_line& line) noexcept {
        if (line.name == backup_codes_field) {
            if (header_line_ != 0) return unexpected(record_error{errc::duplicate_field, line.number});
            header_ = line.value;
            header_line_ = line.number;
            return true;
        }
        if (line.name != backup_code_field) return false;
        // "<i> used|unused <digest>"
        const std::size_t space = line.value.find(' ');
        std::uint64_t i = 0;
        if (space == std::string_view::npos || !parse_decimal(line.value.substr(0, space), i, N) || i == 0)
            return unexpected(record_error{errc::invalid_field_value, line.number});
        if (code_line_numbers_[i - 1] != 0)
            return unexpected(record_error{errc::duplicate_field, line.number});
        codes_[i - 1] = line.value.substr(space + 1);
        code_line_numbers_[i - 1] = line.number;
        return true;
    }

    /// The number of the first line of the set that was taken; 0 when none was.
    [[nodiscard]] constexpr std::size_t first_line() const noexcept {
        std::size_t first = header_line_;
        for (const std::size_t number : code_line_numbers_)
            if (number != 0 && (first == 0 || number < first)) first = number;
        return first;
    }

    /// The set. Errors: missing_field (line 0), invalid_field_value, invalid_hash_cost.
    [[nodiscard]] constexpr result<set_type, record_error> finish() const noexcept {
        if (header_line_ == 0) return unexpected(record_error{errc::missing_field, 0});
        // "<N> pbkdf2-<hash> <iterations> <salt hex>"
        std::array<std::string_view, 4> parts{};
        std::string_view rest = header_;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const std::size_t space = rest.find(' ');
            if ((space == std::string_view::npos) != (i + 1 == parts.size()))
                return unexpected(record_error{errc::invalid_field_value, header_line_});
            parts[i] = rest.substr(0, space);
            rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
        }
        std::uint64_t count = 0;
        std::uint64_t iterations = 0;
        std::array<std::byte, set_type::salt_size> salt{};
        if (!parse_decimal(parts[0], count) || count != N || !pbkdf2_name_matches<H>(parts[1]) ||
            !parse_decimal(parts[2], iterations) || !parse_hex(parts[3], salt))
            return unexpected(record_error{errc::invalid_field_value, header_line_});
        std::array<typename set_type::digest_type, N> digests{};
        std::array<bool, N> used{};
        for (std::size_t i = 0; i < N; ++i) {
            if (code_line_numbers_[i] == 0) return unexpected(record_error{errc::missing_field, 0});
            const std::string_view code = codes_[i];
            const std::size_t space = code.find(' ');
            const std::string_view flag = code.substr(0, space);
            if (space == std::string_view::npos || (flag != "used" && flag != "unused") ||
                !parse_hex(code.substr(space + 1), digests[i]))
                return unexpected(record_error{errc::invalid_field_value, code_line_numbers_[i]});
            used[i] = flag == "used";
        }
        const auto set = set_type::from_parts(
            salt, iterations > max_backup_code_iterations ? 0 : static_cast<std::uint32_t>(iterations),
            digests, used);
        if (!set) return unexpected(record_error{set.error(), header_line_});
        return *set;
    }

private:
    std::string_view header_;
    std::size_t header_line_ = 0;
    std::array<std::string_view, N> codes_{};
    std::array<std::size_t, N> code_line_numbers_{};
};

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_BACKUP_CODE_TEXT_HPP_INCLUDED
// ---- end twofactor/detail/backup_code_text.hpp ----

// ---- begin twofactor/detail/enrollment_text.hpp ----
// twofactor: the enrollment (issuer, account name, secret) inside a stored record's text form
// (the account record, the enrollment wizard's state): writing its lines and reading them back
// into an otpauth_uri with the record's parameters.
#ifndef TWOFACTOR_DETAIL_ENROLLMENT_TEXT_HPP_INCLUDED
#define TWOFACTOR_DETAIL_ENROLLMENT_TEXT_HPP_INCLUDED


#include <array>
#include <cstddef>
#include <string_view>


namespace twofactor::inline v1::detail {

/// Writes the secret as unpadded base32 (the buffer that held it is wiped).
constexpr void write_record_secret(record_writer& w, const secret& key) noexcept {
    std::array<char, secret::max_base32_size> b32{};
    const auto size = key.reveal_base32(b32);
    w.put(std::string_view(b32.data(), size ? *size : 0));
    if (std::is_constant_evaluated())
        b32.fill('\0');
    else
        secure_wipe_bytes(b32.data(), b32.size());
}

/// One field's value and its line, for errors.
struct record_value {
    std::string_view text;
    std::size_t line = 0;
};

/**
 * The enrollment of a record from its issuer, account and secret fields: percent-encoded
 * names in canonical form, unpadded strict base32. Errors (on the culprit's line):
 * invalid_field_value, base32 errors, and those of otpauth_uri::make.
 */
[[nodiscard]] constexpr result<otpauth_uri, record_error> read_record_enrollment(
    record_value issuer_field, record_value account_field, record_value secret_field,
    const otpauth_parameters& parameters) noexcept {
    const auto key = secret::from_base32(secret_field.text, base32_mode::strict);
    if (!key) return unexpected(record_error{key.error().code, secret_field.line});
    if (secret_field.text.find('=') != std::string_view::npos)
        return unexpected(record_error{errc::invalid_field_value, secret_field.line});
    std::array<char, max_label_part_size> issuer{};
    std::array<char, max_label_part_size> account{};
    const auto issuer_size = decode_record_name(issuer_field.text, issuer);
    if (!issuer_size) return unexpected(record_error{issuer_size.error(), issuer_field.line});
    const auto account_size = decode_record_name(account_field.text, account);
    if (!account_size) return unexpected(record_error{account_size.error(), account_field.line});
    const std::string_view issuer_text(issuer.data(), *issuer_size);
    const auto enrollment =
        otpauth_uri::make(issuer_text, std::string_view(account.data(), *account_size), *key, parameters);
    if (!enrollment)
        return unexpected(record_error{enrollment.error(),
                                       check_issuer(issuer_text) ? account_field.line : issuer_field.line});
    return *enrollment;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_ENROLLMENT_TEXT_HPP_INCLUDED
// ---- end twofactor/detail/enrollment_text.hpp ----

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
// ---- end twofactor/account.hpp ----

// ---- begin twofactor/account_operations.hpp ----
// twofactor: what the seed's Authentication page offers once 2FA is on, besides
// reconfiguring (enrollment_wizard::reconfigure): regenerate the backup codes without changing
// the secret, and disable 2FA; each confirmed by a fresh code when the policy says so.
#ifndef TWOFACTOR_ACCOUNT_OPERATIONS_HPP_INCLUDED
#define TWOFACTOR_ACCOUNT_OPERATIONS_HPP_INCLUDED


#include <array>
#include <chrono>
#include <cstddef>
#include <string_view>


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
// ---- end twofactor/account_operations.hpp ----

// ---- begin twofactor/enrollment_wizard.hpp ----
// twofactor: the 2FA setup wizard of the seed ("Settings > Account Information and Setup >
// Authentication"): toggle on, scan the QR code or type the setup code, verify a code,
// download the backup codes, finish. A copyable value resumed step by step, serialisable
// between steps so that a web server can keep it in a session across requests.
#ifndef TWOFACTOR_ENROLLMENT_WIZARD_HPP_INCLUDED
#define TWOFACTOR_ENROLLMENT_WIZARD_HPP_INCLUDED


#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>


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
// ---- end twofactor/enrollment_wizard.hpp ----
// clang-format on

#endif  // TWOFACTOR_TWOFACTOR_HPP_INCLUDED
// ---- end twofactor/twofactor.hpp ----
