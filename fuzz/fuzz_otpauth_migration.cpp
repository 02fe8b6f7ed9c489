// libFuzzer target: Google Authenticator export import (parse_otpauth_migration) of arbitrary
// text, and of arbitrary export data.
//
// Input, by its first byte:
//   - 0x00..0x1F: the rest is the export's data (the protobuf bytes), which this target writes
//     as otpauth-migration://offline?data=<base64, percent-encoded> with its own encoder, so
//     that the fuzzer works on the protobuf reader directly. The first byte's bits pick how:
//     bit 0 no padding, bit 1 '/' left raw, bit 2 '=' left raw, bit 3 '+' left raw, bit 4
//     lowercase hexadecimal in the escapes (all of which the parser accepts);
//   - anything else: the whole input is the URI text (so the seeds of that mode are plain URIs).
//
// Invariants:
//   - failure: no account was handed over; the position is within the text (or equal to its
//     length), at the culprit where the error names one (the scheme at 0, a '%', a '#', the
//     data's first character for problems inside the data); `account` is set for the errors
//     of one account, never for those of the URI or the base64; with data written by this
//     target, the URI itself is never at fault, data up to max_migration_data_size bytes is
//     never too long, and an account's error agrees with its values (the enumerations first,
//     then the counter, the names, the secret);
//   - success: as many accounts handed over as batch.accounts, each with a secret of 1..64
//     bytes, 6 or 8 digits, a period of 30, the counter 0 unless HOTP, names within the limits
//     of otpauth_uri::parse; its reveal_uri text parses back (otpauth_uri::parse) to an equal
//     otpauth_uri without an issuer mismatch (an issuer with a ':' included: the label writes it
//     as "%3A" before the literal ':'); make() agrees, except for an issuer containing a ':'
//     (which make refuses by design);
//   - the data against an independent reading written here (a protobuf walker and the
//     schema's rules, names aside): data it finds malformed is refused; for accepted data the
//     batch fields (last value wins, low 32 bits), the account count, and each account's
//     secret, algorithm, digits, type and counter agree, and its names come from the name and
//     issuer fields (issuer field, else the label's prefix; the account ends the name).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <twofactor/otpauth_migration.hpp>
#include <twofactor/otpauth_uri.hpp>

#include "fuzz_support.hpp"

namespace tf = twofactor;

namespace {

constexpr std::string_view uri_prefix = "otpauth-migration://offline?data=";
constexpr std::size_t host_position = 20;  // after "otpauth-migration://"

// ---- Writing data as an export URI ------------------------------------------------------------

// RFC 4648 §4 base64, standard alphabet, with or without padding; then percent-encoded as the
// flags say.
std::string export_uri(std::span<const std::uint8_t> data, unsigned flags) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string base64;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, data.size() - i);
        std::uint32_t group = 0;
        for (std::size_t k = 0; k < 3; ++k) group = (group << 8) | (k < n ? data[i + k] : 0u);
        for (std::size_t k = 0; k < 4; ++k) {
            if (k <= n)
                base64 += alphabet[(group >> (18 - 6 * k)) & 63];
            else if ((flags & 1u) == 0)
                base64 += '=';
        }
    }
    const char* hex = (flags & 16u) != 0 ? "0123456789abcdef" : "0123456789ABCDEF";
    std::string uri(uri_prefix);
    for (const char c : base64) {
        const bool raw = (c == '/' && (flags & 2u) != 0) || (c == '=' && (flags & 4u) != 0) ||
                         (c == '+' && (flags & 8u) != 0) || (c != '/' && c != '=' && c != '+');
        if (raw) {
            uri += c;
        } else {
            uri += '%';
            uri += hex[static_cast<unsigned char>(c) >> 4];
            uri += hex[static_cast<unsigned char>(c) & 15];
        }
    }
    return uri;
}

// ---- An independent reading of the data -------------------------------------------------------

struct wire_field {
    std::uint64_t number = 0;
    unsigned type = 0;
    std::uint64_t value = 0;              // varint, fixed64, fixed32
    std::span<const std::uint8_t> bytes;  // length-delimited
};

// The fields of a message, or nothing when it is malformed: a varint of more than ten bytes or
// above 2^64 - 1, a tag above 2^32 - 1, field number 0 or above 2^29 - 1, wire type 3, 4, 6 or
// 7, a value past the end.
std::optional<std::vector<wire_field>> walk(std::span<const std::uint8_t> data) {
    std::size_t at = 0;
    const auto varint = [&](std::uint64_t& value) {
        value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (at == data.size()) return false;
            const std::uint8_t byte = data[at++];
            if (shift == 63 && byte > 1) return false;
            value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
            if ((byte & 0x80) == 0) return true;
        }
        return false;
    };
    std::vector<wire_field> fields;
    while (at < data.size()) {
        std::uint64_t tag = 0;
        if (!varint(tag) || tag > 0xFFFFFFFFu) return std::nullopt;
        wire_field f;
        f.number = tag >> 3;
        f.type = static_cast<unsigned>(tag & 7);
        if (f.number == 0 || f.number >= (1u << 29)) return std::nullopt;
        if (f.type == 0) {
            if (!varint(f.value)) return std::nullopt;
        } else if (f.type == 1 || f.type == 5) {
            const std::size_t size = f.type == 1 ? 8 : 4;
            if (data.size() - at < size) return std::nullopt;
            at += size;
        } else if (f.type == 2) {
            std::uint64_t length = 0;
            if (!varint(length) || length > data.size() - at) return std::nullopt;
            f.bytes = data.subspan(at, static_cast<std::size_t>(length));
            at += static_cast<std::size_t>(length);
        } else {
            return std::nullopt;
        }
        fields.push_back(f);
    }
    return fields;
}

// One account message as the schema reads it (last value wins), or nothing when malformed or a
// known field has the wrong wire type.
struct reference_account {
    std::span<const std::uint8_t> secret, name, issuer;
    std::uint64_t algorithm = 0, digits = 0, type = 0, counter = 0;
};

std::optional<reference_account> read_account(std::span<const std::uint8_t> message) {
    const auto fields = walk(message);
    if (!fields) return std::nullopt;
    reference_account a;
    for (const wire_field& f : *fields) {
        if (f.number >= 1 && f.number <= 3 && f.type != 2) return std::nullopt;
        if (f.number >= 4 && f.number <= 7 && f.type != 0) return std::nullopt;
        if (f.number == 1) a.secret = f.bytes;
        if (f.number == 2) a.name = f.bytes;
        if (f.number == 3) a.issuer = f.bytes;
        if (f.number == 4) a.algorithm = f.value;
        if (f.number == 5) a.digits = f.value;
        if (f.number == 6) a.type = f.value;
        if (f.number == 7) a.counter = f.value;
    }
    return a;
}

struct reference_export {
    tf::migration_batch batch;
    std::vector<std::optional<reference_account>> accounts;  // nothing: malformed
};

// The whole export, or nothing when it is malformed or a known field has the wrong wire type.
std::optional<reference_export> read_export(std::span<const std::uint8_t> data) {
    const auto fields = walk(data);
    if (!fields) return std::nullopt;
    reference_export e;
    for (const wire_field& f : *fields) {
        if (f.number == 1) {
            if (f.type != 2) return std::nullopt;
            e.accounts.push_back(read_account(f.bytes));
        } else if (f.number >= 2 && f.number <= 5) {
            if (f.type != 0) return std::nullopt;
            const auto value = static_cast<std::int32_t>(static_cast<std::uint32_t>(f.value));
            if (f.number == 2) e.batch.version = value;
            if (f.number == 3) e.batch.batch_size = value;
            if (f.number == 4) e.batch.batch_index = value;
            if (f.number == 5) e.batch.batch_id = value;
        }
    }
    e.batch.accounts = e.accounts.size();
    return e;
}

std::string_view text_of(std::span<const std::uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// An account handed over agrees with the reference reading of its message.
void check_against_reference(const tf::otpauth_uri& uri, const reference_account& a) {
    const auto key = uri.key().reveal_bytes();
    FUZZ_CHECK(key.size() == a.secret.size());
    FUZZ_CHECK(std::equal(key.begin(), key.end(), a.secret.begin(),
                          [](std::byte x, std::uint8_t y) { return std::to_integer<std::uint8_t>(x) == y; }));
    const tf::algorithm hash = a.algorithm == 2   ? tf::algorithm::sha256
                               : a.algorithm == 3 ? tf::algorithm::sha512
                                                  : tf::algorithm::sha1;
    FUZZ_CHECK(a.algorithm <= 3 && uri.hash() == hash);
    FUZZ_CHECK(a.digits <= 2 && uri.digits() == (a.digits == 2 ? 8u : 6u));
    FUZZ_CHECK(a.type <= 2 && uri.type() == (a.type == 1 ? tf::otp_type::hotp : tf::otp_type::totp));
    if (uri.type() == tf::otp_type::hotp) FUZZ_CHECK(uri.counter() == a.counter && a.counter < (1ull << 63));

    // Names: the account ends the name, after the label's issuer, a ':' and spaces (or is all of
    // it); the issuer is the issuer field when not empty, else the label's issuer.
    const std::string_view name = text_of(a.name);
    const std::string_view issuer_field = text_of(a.issuer);
    FUZZ_CHECK(name.ends_with(uri.account()));
    std::string_view label = name.substr(0, name.size() - uri.account().size());
    while (!label.empty() && label.back() == ' ') label.remove_suffix(1);
    std::string_view label_issuer;  // empty when the name has no ':' (spaces before the account)
    if (!label.empty()) {
        FUZZ_CHECK(label.back() == ':');
        label_issuer = label.substr(0, label.size() - 1);
    }
    if (issuer_field.empty()) {
        FUZZ_CHECK(uri.issuer() == label_issuer);
        FUZZ_CHECK(label_issuer.find(':') == std::string_view::npos);
        FUZZ_CHECK(!uri.issuer_mismatch());
    } else {
        FUZZ_CHECK(uri.issuer() == issuer_field);
        // Split at the issuer field when it prefixes the name with a ':', else at the first ':'.
        FUZZ_CHECK(label_issuer == issuer_field || label_issuer.find(':') == std::string_view::npos);
        FUZZ_CHECK(uri.issuer_mismatch() == (!label_issuer.empty() && label_issuer != issuer_field));
    }
}

// The error of an account agrees with its values: the enumerations are checked first
// (algorithm, digits, type), then the HOTP counter, then the names, then the secret.
void check_error_reason(tf::errc code, const reference_account& a) {
    const bool algorithm_ok = a.algorithm <= 3;
    const bool digits_ok = a.digits <= 2;
    const bool type_ok = a.type <= 2;
    const bool counter_ok = a.type != 1 || a.counter < (1ull << 63);
    const bool parameters_ok = algorithm_ok && digits_ok && type_ok && counter_ok;
    switch (code) {
        case tf::errc::unsupported_algorithm: FUZZ_CHECK(!algorithm_ok); break;
        case tf::errc::invalid_digits: FUZZ_CHECK(algorithm_ok && !digits_ok); break;
        case tf::errc::unsupported_otp_type: FUZZ_CHECK(algorithm_ok && digits_ok && !type_ok); break;
        case tf::errc::invalid_counter:
            FUZZ_CHECK(algorithm_ok && digits_ok && type_ok && !counter_ok);
            break;
        case tf::errc::label_too_long:
            FUZZ_CHECK(parameters_ok && (a.name.size() > tf::max_label_part_size ||
                                         a.issuer.size() > tf::max_label_part_size));
            break;
        case tf::errc::invalid_utf8:
        case tf::errc::invalid_label:
            FUZZ_CHECK(parameters_ok && !(a.name.empty() && a.issuer.empty()));
            break;
        case tf::errc::missing_account_name: FUZZ_CHECK(parameters_ok); break;
        case tf::errc::empty_secret: FUZZ_CHECK(parameters_ok && a.secret.empty()); break;
        case tf::errc::secret_too_long:
            FUZZ_CHECK(parameters_ok && a.secret.size() > tf::secret::max_size);
            break;
        default: FUZZ_CHECK(false);
    }
}

// ---- Each account handed over ----------------------------------------------------------------

void check_account(const tf::otpauth_uri& uri) {
    fuzz_support::check_uri_values(uri);
    FUZZ_CHECK(uri.digits() == 6 || uri.digits() == 8);
    FUZZ_CHECK(uri.period() == 30);
    FUZZ_CHECK(!uri.issuer_mismatch() || !uri.issuer().empty());
    fuzz_support::check_uri_round_trip(uri);  // the Key URI it writes parses back to the same account
}

// The errors of one account (`account` set), and those of the URI or the data as a whole.
bool is_account_error(tf::errc code) {
    switch (code) {
        case tf::errc::unsupported_algorithm:
        case tf::errc::invalid_digits:
        case tf::errc::unsupported_otp_type:
        case tf::errc::invalid_counter:
        case tf::errc::label_too_long:
        case tf::errc::invalid_utf8:
        case tf::errc::invalid_label:
        case tf::errc::missing_account_name:
        case tf::errc::empty_secret:
        case tf::errc::secret_too_long: return true;
        default: return false;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool data_mode = data[0] < 0x20;
    const std::span<const std::uint8_t> payload(data + 1, size - 1);
    const std::string text =
        data_mode ? export_uri(payload, data[0]) : std::string(reinterpret_cast<const char*>(data), size);

    std::vector<tf::otpauth_uri> accounts;
    const auto batch =
        tf::parse_otpauth_migration(text, [&](const tf::otpauth_uri& uri) { accounts.push_back(uri); });

    if (!batch) {
        const tf::migration_error e = batch.error();
        FUZZ_CHECK(accounts.empty());
        FUZZ_CHECK(e.position <= text.size());
        if (is_account_error(e.code)) {
            FUZZ_CHECK(e.account != tf::migration_error::no_account);
        } else if (e.code != tf::errc::invalid_migration_data) {
            FUZZ_CHECK(e.account == tf::migration_error::no_account);
        }
        switch (e.code) {
            case tf::errc::invalid_uri_scheme: FUZZ_CHECK(e.position == 0); break;
            case tf::errc::invalid_uri_syntax:
                FUZZ_CHECK(e.position == host_position || text[e.position] == '#' || text[e.position] == '/');
                break;
            case tf::errc::invalid_percent_encoding: FUZZ_CHECK(text[e.position] == '%'); break;
            case tf::errc::duplicate_parameter:
                FUZZ_CHECK(text[e.position - 1] == '&' || text[e.position - 1] == '?');
                break;
            case tf::errc::invalid_base64:  // at the end for missing padding or a cut-off group
                FUZZ_CHECK(e.position >= uri_prefix.size());
                break;
            case tf::errc::migration_data_too_long:
                FUZZ_CHECK(e.position >= uri_prefix.size() && e.position < text.size());
                break;
            case tf::errc::invalid_migration_data:
                FUZZ_CHECK(e.position == text.size() || text[e.position - 1] == '=');
                break;
            default:  // the data's start
                FUZZ_CHECK(is_account_error(e.code));
                FUZZ_CHECK(e.position >= uri_prefix.size() && text[e.position - 1] == '=');
                break;
        }
        if (data_mode) {
            // The URI is well-formed and the data fits: only the data itself can be at fault.
            FUZZ_CHECK(e.code == tf::errc::invalid_migration_data || is_account_error(e.code));
            FUZZ_CHECK(e.position == uri_prefix.size());
            const auto reference = read_export(payload);
            if (reference && e.account != tf::migration_error::no_account) {
                FUZZ_CHECK(e.account < reference->accounts.size());
                // Every account before it is well-formed; its own values explain the error.
                for (std::size_t i = 0; i < e.account; ++i) FUZZ_CHECK(reference->accounts[i].has_value());
                if (is_account_error(e.code)) {
                    FUZZ_CHECK(reference->accounts[e.account].has_value());
                    check_error_reason(e.code, *reference->accounts[e.account]);
                }
            }
            if (reference && e.code == tf::errc::invalid_migration_data) {
                // Only a malformed account can be at fault in well-formed data.
                FUZZ_CHECK(e.account != tf::migration_error::no_account);
                FUZZ_CHECK(!reference->accounts[e.account].has_value());
            }
        }
        return 0;
    }

    FUZZ_CHECK(accounts.size() == batch->accounts);
    for (const tf::otpauth_uri& uri : accounts) check_account(uri);
    if (data_mode) {
        const auto reference = read_export(payload);
        FUZZ_CHECK(reference.has_value());
        FUZZ_CHECK(reference->batch == *batch);
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            FUZZ_CHECK(reference->accounts[i].has_value());
            check_against_reference(accounts[i], *reference->accounts[i]);
        }
    }
    return 0;
}
