// twofactor command-line tool: `twofactor import`, the accounts of an authenticator app's export
// (Google Authenticator's otpauth-migration:// QR codes) or of one otpauth:// URI, printed as
// the otpauth:// URIs `twofactor uri` writes: checked, normalised, one per line.
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include <twofactor/detail/bytes.hpp>
#include <twofactor/otpauth_migration.hpp>
#include <twofactor/otpauth_uri.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "user_input.hpp"

namespace twofactor::cli {

namespace {

constexpr std::array<option_spec, 0> import_options{};
constexpr std::string_view import_usage = "twofactor import TEXT\n       twofactor import -";
constexpr std::string_view import_description =
    "Reads the accounts of an authenticator app's export and prints each as an otpauth:// URI\n"
    "(the form 'twofactor uri' writes), one per line. TEXT is the text of a QR code:\n"
    "  otpauth-migration://offline?data=...  Google Authenticator's \"Transfer accounts\" export\n"
    "                                        (a large export spans several QR codes: import each);\n"
    "  otpauth://totp/...                    one account (checked and printed in normal form).\n"
    "With '-' the text is read from standard input (one line), which keeps the secrets it holds\n"
    "out of the process list. Nothing is printed unless every account is valid.\n"
    "Notes on stderr (exit status still 0): an issuer in the label that differs from the\n"
    "issuer field, a secret shorter than 128 bits, and which QR code of a split export this is.";

// The longest line accepted on standard input: an export QR code holds at most 2,953 bytes,
// and a pasted export at most max_migration_data_size bytes of base64, percent-encoded.
constexpr std::size_t max_input_size = 3 * (detail::max_migration_text_size + 64);

// Prints one account's URI, with the notes about it; the buffer holding the text is wiped.
void print_account(const otpauth_uri& uri, std::string_view which) {
    if (uri.issuer_mismatch()) {
        report_note(
            fmt::format("note: {}the label's issuer differs from the issuer field; the issuer field "
                        "was kept",
                        which));
    }
    if (check_compatibility(uri).weak_secret) {
        report_note(fmt::format("warning: {}the secret has {} bits, fewer than the 128 RFC 4226 requires",
                                which, 8 * uri.key().size()));
    }
    std::array<char, otpauth_uri::max_size> text{};
    const auto written = uri.reveal_uri(text);  // max_size always suffices
    if (written) print_secret_line(std::string_view(text.data(), *written));
    twofactor::detail::secure_wipe(text);
}

int import_migration(std::string_view text) {
    // parse_otpauth_migration checks the whole export before the first account reaches us, so
    // nothing is printed unless every account is valid.
    std::size_t index = 0;
    const auto batch = parse_otpauth_migration(text, [&](const otpauth_uri& uri) {
        ++index;
        print_account(uri, fmt::format("account {}: ", index));
    });
    if (!batch) {
        const migration_error& e = batch.error();
        const std::string account = e.account == migration_error::no_account
                                        ? ""
                                        : fmt::format("account {} of the export: ", e.account + 1);
        const std::string_view what =
            e.code == errc::unsupported_algorithm && e.account != migration_error::no_account
                ? std::string_view("unsupported algorithm (SHA1, SHA256 and SHA512 are)")
                : describe(e.code);
        return report_error(fmt::format("TEXT: {}{} at position {}", account, what, e.position));
    }
    if (batch->accounts == 0) return report_error("TEXT: the export holds no accounts");
    if (batch->batch_size > 1) {
        report_note(fmt::format("note: this is QR code {} of {} of the export: import the others too",
                                static_cast<long long>(batch->batch_index) + 1, batch->batch_size));
    }
    return exit_ok;
}

int import_uri(std::string_view text) {
    const auto uri = otpauth_uri::parse(text);
    if (!uri && uri.error().code == errc::invalid_uri_scheme) {
        return report_error("TEXT: not an otpauth:// or otpauth-migration:// URI");
    }
    if (!uri) {
        return report_error(
            fmt::format("TEXT: {} at position {}", describe(uri.error().code), uri.error().position));
    }
    print_account(*uri, "");
    return exit_ok;
}

}  // namespace

int run_import(std::span<const std::string_view> raw_args) {
    const auto args = parse_arguments(raw_args, import_options, 1, "import");
    if (!args) return report_error(args.error());
    if (args->help_requested()) {
        print_command_help(import_usage, import_description, import_options);
        return exit_ok;
    }
    if (args->positionals().empty())
        return report_error("missing TEXT to import (see 'twofactor import --help')");
    std::string_view text = args->positionals().front();
    std::optional<std::string> line;
    if (text == "-") {
        auto read = read_line("", max_input_size);
        if (!read) return report_error(fmt::format("standard input: {}", read.error()));
        if (!*read) return report_error("standard input: no TEXT (empty input)");
        line = std::move(**read);
        text = *line;
    }
    const std::string_view scheme = text.substr(0, text.find(':'));
    const int status = detail::equals_ignoring_ascii_case(scheme, detail::migration_scheme)
                           ? import_migration(text)
                           : import_uri(text);
    if (line) twofactor::detail::secure_wipe_bytes(line->data(), line->size());
    return status;
}

}  // namespace twofactor::cli
