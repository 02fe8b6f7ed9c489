// Opt-in {fmt} integration: fmt::formatter specialisations for twofactor's types, so that
// `fmt::print("{}", code)` works for one-time codes, errors, enumerations and QR codes.
//
// This is the only twofactor header that includes {fmt} (<fmt/format.h>, fmt 9 or later); link
// with fmt::fmt (the CMake target twofactor::fmt does). Include it where you format; the core
// headers never include it.
//
// Secrets are redacted by default. A `secret` prints as "[redacted secret, 20 bytes]" and a
// `backup_code` as "[redacted backup code]": a format call is the usual way a value ends up in
// a log, and a shared key or a backup code in a log file is a credential disclosed to whoever
// reads the log (CWE-532, "Insertion of Sensitive Information into Log File"; the OWASP Logging
// Cheat Sheet lists encryption keys and other primary secrets among the data never to log;
// NIST SP 800-63B §5.1.2 counts look-up secrets, i.e. backup codes, as authenticators to be
// kept secret). Showing the setup code or a backup code to its user is deliberate, and reads
// as such in the code that does it:
//
//     fmt::print("{}\n", key);                                // [redacted secret, 20 bytes]
//     fmt::print("{}\n", twofactor::reveal_setup_code(key));  // JBSW Y3DP EHPK 3PXP ...
//     fmt::print("{}\n", twofactor::reveal(codes[0]));        // 7KQ4-XR2P-DM9A
//
// Format specifications: every formatter documents the ones it takes; anything else is
// rejected the way {fmt} rejects a bad specification for a built-in type. With a compile-time
// checked format string (the default in C++20: `fmt::format("{:x}", code)`) that is a compile
// error; with `fmt::runtime(...)` parse() reports fmt::format_error through FMT_THROW, which
// throws, or, built with exceptions off (FMT_EXCEPTIONS=0), goes to {fmt}'s assertion handler.
//
// No formatter allocates: each writes straight to {fmt}'s output iterator (a QR code is
// rendered module by module into it), so formatting into a fixed buffer
// (`fmt::format_to_n`) allocates nothing at all.
#ifndef TWOFACTOR_FMT_HPP_INCLUDED
#define TWOFACTOR_FMT_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

#include <fmt/format.h>

#include "account.hpp"
#include "backup_codes.hpp"
#include "base32.hpp"
#include "detail/bytes.hpp"
#include "detail/record_text.hpp"
#include "enrollment_wizard.hpp"
#include "error.hpp"
#include "otp_code.hpp"
#include "otp_parameters.hpp"
#include "otpauth_uri.hpp"
#include "qr.hpp"
#include "qr_render.hpp"
#include "secret.hpp"

namespace twofactor::inline v1 {

/**
 * What `reveal_setup_code(key)` returns: a view of `key` whose formatter prints its setup code,
 * the unpadded base32 text in groups of four ("JBSW Y3DP EHPK 3PXP"), exactly the text of
 * `secret::reveal_setup_code`. It refers to the secret: format it while the secret lives (in
 * the same expression, normally). Format specification: none ("{}").
 */
class revealed_setup_code {
public:
    constexpr explicit revealed_setup_code(const secret& key) noexcept : key_(&key) {}
    [[nodiscard]] constexpr const secret& key() const noexcept { return *key_; }

private:
    const secret* key_;
};

/**
 * What `reveal_base32(key)` returns: a view of `key` whose formatter prints the secret as
 * unpadded uppercase base32 ("JBSWY3DPEHPK3PXP"), the `secret=` form of an otpauth:// URI and
 * the text of `secret::reveal_base32`. Lifetime as for `revealed_setup_code`. Format
 * specification: none ("{}").
 */
class revealed_base32 {
public:
    constexpr explicit revealed_base32(const secret& key) noexcept : key_(&key) {}
    [[nodiscard]] constexpr const secret& key() const noexcept { return *key_; }

private:
    const secret* key_;
};

/**
 * What `reveal(code)` returns: a view of a backup code whose formatter prints the code in its
 * grouped display form ("7KQ4-XR2P-DM9A", `backup_code::reveal_grouped`). Lifetime as for
 * `revealed_setup_code`. Format specification: none ("{}").
 */
class revealed_backup_code {
public:
    constexpr explicit revealed_backup_code(const backup_code& code) noexcept : code_(&code) {}
    [[nodiscard]] constexpr const backup_code& code() const noexcept { return *code_; }

private:
    const backup_code* code_;
};

/**
 * Formats as the setup code of `key` (a `secret` itself formats redacted).
 *
 *     fmt::print("Or type this code: {}\n", twofactor::reveal_setup_code(key));
 *     // Or type this code: JBSW Y3DP EHPK 3PXP
 */
[[nodiscard]] constexpr revealed_setup_code reveal_setup_code(const secret& key) noexcept {
    return revealed_setup_code(key);
}

/**
 * Formats as the unpadded base32 text of `key`.
 *
 *     fmt::format("{}", twofactor::reveal_base32(key))   // "JBSWY3DPEHPK3PXP"
 */
[[nodiscard]] constexpr revealed_base32 reveal_base32(const secret& key) noexcept {
    return revealed_base32(key);
}

/**
 * Formats as the grouped backup code (a `backup_code` itself formats redacted).
 *
 *     for (const auto& code : fresh->codes) fmt::print("{}\n", twofactor::reveal(code));
 *     // 7KQ4-XR2P-DM9A ...
 */
[[nodiscard]] constexpr revealed_backup_code reveal(const backup_code& code) noexcept {
    return revealed_backup_code(code);
}

namespace detail {

/// The name and the type name of each enumeration the fmt integration prints by name.
template <class Enum>
struct fmt_enum_names;
template <>
struct fmt_enum_names<algorithm> {
    static constexpr std::string_view type = "algorithm";
    static constexpr std::string_view name(algorithm value) noexcept { return to_string(value); }
};
template <>
struct fmt_enum_names<otp_type> {
    static constexpr std::string_view type = "otp_type";
    static constexpr std::string_view name(otp_type value) noexcept { return to_string(value); }
};
template <>
struct fmt_enum_names<wizard_step> {
    static constexpr std::string_view type = "wizard_step";
    static constexpr std::string_view name(wizard_step value) noexcept { return to_string(value); }
};
template <>
struct fmt_enum_names<login_method> {
    static constexpr std::string_view type = "login_method";
    static constexpr std::string_view name(login_method value) noexcept { return to_string(value); }
};

/// A character buffer that is wiped when it goes out of scope, even by an exception from the
/// output iterator: it holds revealed secrets on their way into {fmt}'s buffer.
template <std::size_t N>
struct fmt_wiped_chars {
    std::array<char, N> chars{};
    fmt_wiped_chars() = default;
    fmt_wiped_chars(const fmt_wiped_chars&) = delete;
    fmt_wiped_chars& operator=(const fmt_wiped_chars&) = delete;
    ~fmt_wiped_chars() { secure_wipe(chars); }
};

/// Adapts {fmt}'s output iterator to the `put(char)` sinks of the QR renderers.
template <class OutputIt>
struct fmt_iterator_sink {
    OutputIt out;
    constexpr void put(char c) { *out++ = c; }
};

/// Writes `text` to `out`.
template <class OutputIt>
OutputIt fmt_write(OutputIt out, std::string_view text) {
    return std::copy(text.begin(), text.end(), out);
}

/// Parses an empty format specification (or one presentation letter of `accepted`, returned in
/// `presentation`; '\0' when there is none). Anything else is an error (fmt::format_error).
template <class ParseContext>
constexpr auto fmt_parse_presentation(ParseContext& ctx, std::string_view accepted, char& presentation)
    -> decltype(ctx.begin()) {
    auto it = ctx.begin();
    const auto end = ctx.end();
    presentation = '\0';
    if (it != end && *it != '}' && accepted.find(*it) != std::string_view::npos) presentation = *it++;
    if (it != end && *it != '}') {
        FMT_THROW(fmt::format_error("invalid format specification for a twofactor type"));
        // With exceptions off and {fmt}'s assertions compiled out, go on with the default form.
        presentation = '\0';
        while (it != end && *it != '}') ++it;
    }
    return it;
}

/// The base of formatters that take no format specification at all.
struct fmt_no_spec_formatter {
    template <class ParseContext>
    constexpr auto parse(ParseContext& ctx) -> decltype(ctx.begin()) {
        char none = '\0';
        return fmt_parse_presentation(ctx, {}, none);
    }
};

/// Enumerations print their name, with the standard string specification ("{:>12}"); a value
/// outside the enumeration prints as "<type>(<number>)".
template <class Enum>
struct fmt_enum_formatter : fmt::formatter<std::string_view> {
    template <class FormatContext>
    auto format(Enum value, FormatContext& ctx) const -> decltype(ctx.out()) {
        const std::string_view name = fmt_enum_names<Enum>::name(value);
        if (!name.empty()) return fmt::formatter<std::string_view>::format(name, ctx);
        std::array<char, 64> text{};
        const auto written = fmt::format_to_n(text.data(), text.size(), "{}({})", fmt_enum_names<Enum>::type,
                                              static_cast<long long>(value));
        return fmt::formatter<std::string_view>::format(
            std::string_view(text.data(), std::min(written.size, text.size())), ctx);
    }
};

}  // namespace detail

}  // namespace twofactor::inline v1

/**
 * A one-time code prints as its digits, leading zeros kept: "012345". Format specification:
 * none, or "g", which groups the digits for display as authenticator apps do:
 * 6 "012 345", 7 "012 3456", 8 "0123 4567", 9 "012 345 678".
 *
 *     fmt::print("{}\n", totp.generate(now));    // 012345
 *     fmt::print("{:g}\n", totp.generate(now));  // 012 345
 */
template <unsigned Digits>
struct fmt::formatter<twofactor::otp_code<Digits>> {
    bool grouped = false;

    template <class ParseContext>
    constexpr auto parse(ParseContext& ctx) -> decltype(ctx.begin()) {
        char presentation = '\0';
        const auto it = twofactor::detail::fmt_parse_presentation(ctx, "g", presentation);
        grouped = presentation == 'g';
        return it;
    }

    template <class FormatContext>
    auto format(const twofactor::otp_code<Digits>& code, FormatContext& ctx) const -> decltype(ctx.out()) {
        const std::string_view digits = code.view();
        if (!grouped) return twofactor::detail::fmt_write(ctx.out(), digits);
        // Where the groups start: thirds for 6 and 9 digits, 3 + 4 for 7, halves for 8.
        constexpr std::size_t first = Digits == 8 ? 4 : 3;
        constexpr std::size_t second = Digits == 9 ? 6 : Digits;
        auto out = twofactor::detail::fmt_write(ctx.out(), digits.substr(0, first));
        *out++ = ' ';
        out = twofactor::detail::fmt_write(out, digits.substr(first, second - first));
        if constexpr (second != Digits) {
            *out++ = ' ';
            out = twofactor::detail::fmt_write(out, digits.substr(second));
        }
        return out;
    }
};

/**
 * An error code prints as `twofactor::describe(code)`, with the standard string specification.
 *
 *     fmt::print("setup failed: {}\n", twofactor::errc::wrong_code);
 *     // setup failed: wrong code
 */
template <>
struct fmt::formatter<twofactor::errc> : fmt::formatter<std::string_view> {
    template <class FormatContext>
    auto format(twofactor::errc code, FormatContext& ctx) const -> decltype(ctx.out()) {
        return fmt::formatter<std::string_view>::format(twofactor::describe(code), ctx);
    }
};

/**
 * A record error prints its description and line: "invalid field value (line 3)"; the line is
 * left out when it is 0 (a problem of the whole record: "missing field"). Format
 * specification: none.
 */
template <>
struct fmt::formatter<twofactor::record_error> : twofactor::detail::fmt_no_spec_formatter {
    template <class FormatContext>
    auto format(const twofactor::record_error& error, FormatContext& ctx) const -> decltype(ctx.out()) {
        if (error.line == 0) return twofactor::detail::fmt_write(ctx.out(), twofactor::describe(error.code));
        return fmt::format_to(ctx.out(), "{} (line {})", twofactor::describe(error.code), error.line);
    }
};

/**
 * A base32 error prints its description and position in the text: "invalid base32 character
 * (position 8)". The position is left out for the errors that have none (errc::output_too_small,
 * and errc::empty_secret and errc::secret_too_long from `secret::from_base32`). Format
 * specification: none.
 */
template <>
struct fmt::formatter<twofactor::base32_error> : twofactor::detail::fmt_no_spec_formatter {
    template <class FormatContext>
    auto format(const twofactor::base32_error& error, FormatContext& ctx) const -> decltype(ctx.out()) {
        using twofactor::errc;
        if (error.code == errc::output_too_small || error.code == errc::empty_secret ||
            error.code == errc::secret_too_long)
            return twofactor::detail::fmt_write(ctx.out(), twofactor::describe(error.code));
        return fmt::format_to(ctx.out(), "{} (position {})", twofactor::describe(error.code), error.position);
    }
};

/**
 * A URI error prints its description and position in the URI: "missing secret (position 42)".
 * Format specification: none.
 */
template <>
struct fmt::formatter<twofactor::uri_error> : twofactor::detail::fmt_no_spec_formatter {
    template <class FormatContext>
    auto format(const twofactor::uri_error& error, FormatContext& ctx) const -> decltype(ctx.out()) {
        return fmt::format_to(ctx.out(), "{} (position {})", twofactor::describe(error.code), error.position);
    }
};

/**
 * A secret never prints its bytes: "[redacted secret, 20 bytes]" (see the top of this file for
 * why). To show the setup code, format `twofactor::reveal_setup_code(key)`. Format
 * specification: none.
 *
 *     fmt::print("imported {}\n", *key);   // imported [redacted secret, 10 bytes]
 */
template <>
struct fmt::formatter<twofactor::secret> : twofactor::detail::fmt_no_spec_formatter {
    template <class FormatContext>
    auto format(const twofactor::secret& key, FormatContext& ctx) const -> decltype(ctx.out()) {
        return fmt::format_to(ctx.out(), "[redacted secret, {} {}]", key.size(),
                              key.size() == 1 ? "byte" : "bytes");
    }
};

/// The setup code of a secret, grouped: "JBSW Y3DP EHPK 3PXP". See `reveal_setup_code`.
template <>
struct fmt::formatter<twofactor::revealed_setup_code> : twofactor::detail::fmt_no_spec_formatter {
    template <class FormatContext>
    auto format(const twofactor::revealed_setup_code& revealed, FormatContext& ctx) const
        -> decltype(ctx.out()) {
        twofactor::detail::fmt_wiped_chars<twofactor::secret::max_setup_code_size> text;
        // Cannot fail: max_setup_code_size holds the setup code of any secret.
        const std::size_t size = revealed.key().reveal_setup_code(text.chars).value_or(0);
        return twofactor::detail::fmt_write(ctx.out(), std::string_view(text.chars.data(), size));
    }
};

/// The base32 text of a secret: "JBSWY3DPEHPK3PXP". See `reveal_base32`.
template <>
struct fmt::formatter<twofactor::revealed_base32> : twofactor::detail::fmt_no_spec_formatter {
    template <class FormatContext>
    auto format(const twofactor::revealed_base32& revealed, FormatContext& ctx) const -> decltype(ctx.out()) {
        twofactor::detail::fmt_wiped_chars<twofactor::secret::max_base32_size> text;
        // Cannot fail: max_base32_size holds the base32 text of any secret.
        const std::size_t size = revealed.key().reveal_base32(text.chars).value_or(0);
        return twofactor::detail::fmt_write(ctx.out(), std::string_view(text.chars.data(), size));
    }
};

/**
 * A backup code never prints its characters: "[redacted backup code]" (see the top of this
 * file). To show it to its user, format `twofactor::reveal(code)`. Format specification: none.
 */
template <>
struct fmt::formatter<twofactor::backup_code> : twofactor::detail::fmt_no_spec_formatter {
    template <class FormatContext>
    auto format(const twofactor::backup_code&, FormatContext& ctx) const -> decltype(ctx.out()) {
        return twofactor::detail::fmt_write(ctx.out(), "[redacted backup code]");
    }
};

/// A backup code, grouped: "7KQ4-XR2P-DM9A". See `reveal`.
template <>
struct fmt::formatter<twofactor::revealed_backup_code> : twofactor::detail::fmt_no_spec_formatter {
    template <class FormatContext>
    auto format(const twofactor::revealed_backup_code& revealed, FormatContext& ctx) const
        -> decltype(ctx.out()) {
        // Straight from the code's own characters, so that no copy of them is left behind.
        const std::string_view normalised = revealed.code().reveal_normalised();
        auto out = ctx.out();
        for (std::size_t at = 0; at < normalised.size(); at += twofactor::backup_code_group_size) {
            if (at != 0) *out++ = '-';
            out = twofactor::detail::fmt_write(out, normalised.substr(at, twofactor::backup_code_group_size));
        }
        return out;
    }
};

/**
 * A QR code prints as `render_terminal` draws it: UTF-8 half blocks, two rows of modules per
 * line, with the quiet zone of 4 modules, each line ending in '\n'; the same text as
 * `to_terminal(code, options)`. Format specification, the palette (`qr_terminal_palette`):
 * none for the default, ANSI colours; "l" for light_blocks; "d" for dark_blocks (no escape
 * sequences: for text files and light-background terminals).
 *
 *     auto code = twofactor::qr_code::encode_text(uri.view());
 *     if (code) fmt::print("{}", *code);      // scan this with the authenticator app
 *     fmt::print(file, "{:d}", *code);        // plain text, dark modules as blocks
 *
 * An exception of the output while the code is drawn (an allocation failure of {fmt}'s
 * buffer, a file that cannot be written) reaches the caller, as with any other argument.
 */
template <int MaxVersion>
struct fmt::formatter<twofactor::basic_qr_code<MaxVersion>> {
    twofactor::qr_terminal_palette palette = twofactor::qr_terminal_palette::ansi;

    template <class ParseContext>
    constexpr auto parse(ParseContext& ctx) -> decltype(ctx.begin()) {
        char presentation = '\0';
        const auto it = twofactor::detail::fmt_parse_presentation(ctx, "ld", presentation);
        palette = presentation == 'l'   ? twofactor::qr_terminal_palette::light_blocks
                  : presentation == 'd' ? twofactor::qr_terminal_palette::dark_blocks
                                        : twofactor::qr_terminal_palette::ansi;
        return it;
    }

    template <class FormatContext>
    auto format(const twofactor::basic_qr_code<MaxVersion>& code, FormatContext& ctx) const
        -> decltype(ctx.out()) {
        twofactor::detail::fmt_iterator_sink<decltype(ctx.out())> sink{ctx.out()};
        twofactor::detail::write_terminal(sink, code, twofactor::qr_terminal_options{.palette = palette});
        return sink.out;
    }
};

/// An algorithm prints its Key URI name, "SHA1", "SHA256" or "SHA512", with the standard
/// string specification: `fmt::format("{:<8}|", twofactor::algorithm::sha1)` is "SHA1    |".
template <>
struct fmt::formatter<twofactor::algorithm> : twofactor::detail::fmt_enum_formatter<twofactor::algorithm> {};

/// An OTP type prints "totp" or "hotp", with the standard string specification.
template <>
struct fmt::formatter<twofactor::otp_type> : twofactor::detail::fmt_enum_formatter<twofactor::otp_type> {};

/// A wizard step prints its `to_string` name ("show-secret", "verify-setup", ...), with the
/// standard string specification.
template <>
struct fmt::formatter<twofactor::wizard_step>
    : twofactor::detail::fmt_enum_formatter<twofactor::wizard_step> {};

/// A login method prints "one-time-code", "backup-code" or "not-required", with the standard
/// string specification.
template <>
struct fmt::formatter<twofactor::login_method>
    : twofactor::detail::fmt_enum_formatter<twofactor::login_method> {};

#endif  // TWOFACTOR_FMT_HPP_INCLUDED
