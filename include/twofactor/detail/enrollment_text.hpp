// twofactor: the enrollment (issuer, account name, secret) inside a stored record's text form
// (the account record, the enrollment wizard's state): writing its lines and reading them back
// into an otpauth_uri with the record's parameters.
#ifndef TWOFACTOR_DETAIL_ENROLLMENT_TEXT_HPP_INCLUDED
#define TWOFACTOR_DETAIL_ENROLLMENT_TEXT_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <string_view>

#include "../error.hpp"
#include "../otpauth_uri.hpp"
#include "../secret.hpp"
#include "bytes.hpp"
#include "record_text.hpp"

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
