// twofactor: importing Google Authenticator's "Transfer accounts" export, the
// otpauth-migration://offline?data=... URI its QR codes hold: each account it carries, as an
// otpauth_uri.
#ifndef TWOFACTOR_OTPAUTH_MIGRATION_HPP_INCLUDED
#define TWOFACTOR_OTPAUTH_MIGRATION_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "detail/base64.hpp"
#include "detail/bytes.hpp"
#include "detail/percent_encoding.hpp"
#include "detail/protobuf.hpp"
#include "error.hpp"
#include "otp_parameters.hpp"
#include "otpauth_uri.hpp"
#include "secret.hpp"

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
