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

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "base32.hpp"
#include "detail/percent_encoding.hpp"
#include "detail/static_string.hpp"
#include "error.hpp"
#include "otp_parameters.hpp"
#include "secret.hpp"

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
