// twofactor command-line tool: `twofactor import`, the accounts of an authenticator app's export
// (Google Authenticator's otpauth-migration:// QR codes) or of one otpauth:// URI, printed as
// the otpauth:// URIs `twofactor uri` writes: checked, normalised, one per line.
#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include <twofactor/detail/bytes.hpp>
#include <twofactor/otpauth_migration.hpp>
#include <twofactor/otpauth_uri.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "sensitive_text.hpp"
#include "user_input.hpp"

namespace twofactor::cli {

namespace {

constexpr std::array<option_spec, 0> import_options{};
constexpr std::string_view import_usage = "twofactor import TEXT\n       twofactor import -";
constexpr std::string_view import_description =
    "Reads the accounts of an authenticator app's export and prints each as an otpauth:// URI\n"
    "(the form 'twofactor uri' writes), one per line. TEXT is the text of a QR code:\n"
    "  otpauth-migration://offline?data=...  Google Authenticator's \"Transfer accounts\" export\n"
    "                                        (a large export spans several QR codes);\n"
    "  otpauth://totp/...                    one account (checked and printed in normal form).\n"
    "With '-' the texts are read from standard input, one per line (empty lines are skipped),\n"
    "which keeps the secrets they hold out of the process list, and takes every QR code of an\n"
    "export at once: zbarimg --raw -q export-*.png | twofactor import -\n"
    "Nothing is printed unless every text and every account in them is valid.\n"
    "Notes on stderr (exit status still 0): an issuer in the label that differs from the\n"
    "issuer field, a secret shorter than 128 bits, and QR codes of a split export not given.";

// The longest line accepted on standard input: an export QR code holds at most 2,953 bytes,
// and a pasted export at most max_migration_data_size bytes of base64, percent-encoded.
constexpr std::size_t max_input_size = 3 * (detail::max_migration_text_size + 64);
// The most lines read from standard input (an export of hundreds of accounts spans a few dozen
// QR codes).
constexpr std::size_t max_input_lines = 64;

// One text to import, checked.
struct checked_text {
    bool migration = false;
    migration_batch batch;  // of an export
};

// Checks `text` whole; an error names it by `where` ("TEXT", "standard input line 2").
cli_result<checked_text> check_text(std::string_view text, std::string_view where) {
    const std::string_view scheme = text.substr(0, text.find(':'));
    if (!detail::equals_ignoring_ascii_case(scheme, detail::migration_scheme)) {
        const auto uri = otpauth_uri::parse(text);
        if (!uri && uri.error().code == errc::invalid_uri_scheme)
            return cli_error(fmt::format("{}: not an otpauth:// or otpauth-migration:// URI", where));
        if (!uri) {
            return cli_error(fmt::format("{}: {} at position {}", where, describe(uri.error().code),
                                         uri.error().position));
        }
        return checked_text{};
    }
    const auto batch = parse_otpauth_migration(text, [](const otpauth_uri&) {});
    if (!batch) {
        const migration_error& e = batch.error();
        const std::string account = e.account == migration_error::no_account
                                        ? ""
                                        : fmt::format("account {} of the export: ", e.account + 1);
        const std::string_view what =
            e.code == errc::unsupported_algorithm && e.account != migration_error::no_account
                ? std::string_view("unsupported algorithm (SHA1, SHA256 and SHA512 are)")
                : describe(e.code);
        return cli_error(fmt::format("{}: {}{} at position {}", where, account, what, e.position));
    }
    if (batch->accounts == 0) return cli_error(fmt::format("{}: the export holds no accounts", where));
    return checked_text{true, *batch};
}

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
    auto text = sensitive_text::of_size(uri.uri_size());  // wiped also when printing throws
    if (uri.reveal_uri(std::span<char>(text.data(), text.size()))) print_secret_line(text.text());
}

// Prints the accounts of a checked text, numbered on from `number` (across all texts).
void print_accounts(std::string_view text, const checked_text& checked, std::size_t& number) {
    if (!checked.migration) {
        const auto uri = otpauth_uri::parse(text);  // checked
        if (uri) print_account(*uri, "");
        return;
    }
    (void)parse_otpauth_migration(text, [&](const otpauth_uri& uri) {
        ++number;
        print_account(uri, fmt::format("account {}: ", number));
    });
}

// For each export split over several QR codes, those of its QR codes that were not given.
void note_missing_batches(std::span<const checked_text> texts) {
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const migration_batch& b = texts[i].batch;
        if (!texts[i].migration || b.batch_size <= 1) continue;
        const auto same_export = [&](const checked_text& t) {
            return t.migration && t.batch.batch_id == b.batch_id && t.batch.batch_size == b.batch_size;
        };
        // Once per export: at its first text.
        if (std::any_of(texts.begin(), texts.begin() + static_cast<std::ptrdiff_t>(i), same_export)) continue;
        std::string missing;
        std::size_t missing_count = 0;
        for (std::int32_t index = 0; index < b.batch_size && missing_count < 10; ++index) {
            const bool given = std::any_of(texts.begin(), texts.end(), [&](const checked_text& t) {
                return same_export(t) && t.batch.batch_index == index;
            });
            if (given) continue;
            missing += fmt::format("{}{}", missing.empty() ? "" : ", ", static_cast<long long>(index) + 1);
            ++missing_count;
        }
        if (missing_count == 0) continue;
        report_note(
            fmt::format("note: the export is split over {} QR codes; {} {} {} not given: import {} too",
                        b.batch_size, missing_count == 1 ? "QR code" : "QR codes", missing,
                        missing_count == 1 ? "was" : "were", missing_count == 1 ? "it" : "them"));
    }
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

    // The texts: the argument, or the lines of standard input (sensitive_text: wiped when released,
    // also by the vector's moves), each with how errors name it.
    struct read_line_text {
        sensitive_text text;
        std::string name;
    };
    std::vector<read_line_text> lines;
    if (args->positionals().front() == "-") {
        for (std::size_t number = 1;; ++number) {
            auto read = read_line("", max_input_size);
            if (!read) return report_error(fmt::format("standard input line {}: {}", number, read.error()));
            if (!*read) break;
            sensitive_text line(std::move(**read));
            if (line.size() == 0) continue;
            if (lines.size() == max_input_lines)
                return report_error(fmt::format("standard input: more than {} texts", max_input_lines));
            lines.push_back({std::move(line), fmt::format("standard input line {}", number)});
        }
        if (lines.empty()) return report_error("standard input: no TEXT (empty input)");
    }
    std::vector<std::pair<std::string_view, std::string_view>> texts;  // text, and how errors name it
    if (lines.empty()) texts.emplace_back(args->positionals().front(), "TEXT");
    for (const auto& line : lines) texts.emplace_back(line.text.text(), line.name);

    // All checked before anything is printed.
    std::vector<checked_text> checked;
    for (const auto& [text, where] : texts) {
        auto one = check_text(text, where);
        if (!one) return report_error(one.error());
        checked.push_back(*one);
    }
    std::size_t number = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) print_accounts(texts[i].first, checked[i], number);
    note_missing_batches(checked);
    return exit_ok;
}

}  // namespace twofactor::cli
