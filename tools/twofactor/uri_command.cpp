// twofactor command-line tool: `twofactor uri`, the otpauth:// Key URI (Google Authenticator
// Key Uri Format) that an authenticator app scans, built by twofactor::otpauth_uri.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include <twofactor/detail/bytes.hpp>
#include <twofactor/otpauth_uri.hpp>
#include <twofactor/secret.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "otp_options.hpp"
#include "sensitive_text.hpp"

namespace twofactor::cli {

namespace {

constexpr option_spec issuer_option{"--issuer", "I",
                                    "service name the app shows, e.g. \"ACME Co\" (required; no ':')"};
constexpr option_spec account_option{"--account", "A",
                                     "account name, e.g. the user's e-mail address (required; no ':')"};
constexpr option_spec uri_period_option{"--period", "S", "TOTP time step in seconds, 1..86400 (default 30)"};
constexpr option_spec uri_counter_option{"--counter", "C",
                                         "an HOTP URI with this initial counter (default: TOTP)"};
// code's and verify's other options are taken too (DESIGN.md: "[same options]"), so that one
// command line serves all three: --t0 only as 0 (the URI format has no T0), --time ignored.
constexpr option_spec uri_t0_option{"--t0", "S", "only 0: an otpauth URI has no T0 (apps count from 0)"};
constexpr option_spec uri_time_option{"--time", "UNIX",
                                      "accepted as for 'code'; a URI does not depend on it"};
constexpr std::array uri_options{secret_option,    issuer_option,   account_option,
                                 algorithm_option, digits_option,   uri_period_option,
                                 uri_t0_option,    uri_time_option, uri_counter_option};
constexpr std::string_view uri_usage =
    "twofactor uri --secret B32 --issuer I --account A [--algorithm SHA1|SHA256|SHA512]\n"
    "                     [--digits N] [--period S] [--t0 0] [--time UNIX | --counter C]";
constexpr std::string_view uri_description =
    "Prints the otpauth:// URI of a secret (Google Authenticator Key Uri Format), the text of\n"
    "the QR code an authenticator app scans: otpauth://totp/I:A?secret=...&issuer=I&algorithm=...\n"
    "&digits=...&period=... (or otpauth://hotp/...&counter=C). Names are percent-encoded.\n"
    "Warnings on stderr (exit status still 0): a secret shorter than 128 bits, and parameters\n"
    "other than SHA1, 6 digits and 30 s, which some authenticator apps ignore.";

// The problem with an issuer or account name, for a one-line message.
std::string name_problem(std::string_view option, errc error, bool issuer) {
    switch (error) {
        case errc::invalid_label:
            return fmt::format("{}: a colon{} is not allowed", option,
                               issuer ? " or control character" : ", control character or leading space");
        case errc::invalid_utf8: return fmt::format("{}: not valid UTF-8", option);
        case errc::label_too_long:
            return fmt::format("{}: longer than {} bytes", option, max_label_part_size);
        case errc::missing_account_name: return fmt::format("{}: empty", option);
        default: return fmt::format("{}: {}", option, describe(error));
    }
}

cli_result<secret> read_uri_secret(const parsed_arguments& args) {
    const auto text = args.value(secret_option.name);
    if (!text) return cli_error("missing required option --secret");
    auto key = secret::from_base32(*text, base32_mode::lenient);
    if (!key) {
        const base32_error error = key.error();
        switch (error.code) {
            case errc::empty_secret: return cli_error("--secret: empty secret");
            case errc::secret_too_long:
                return cli_error(
                    fmt::format("--secret: secret too long (at most {} bytes, {} base32 characters)",
                                secret::max_size, secret::max_base32_size));
            default:
                return cli_error(
                    fmt::format("--secret: {} at position {}", describe(error.code), error.position));
        }
    }
    return std::move(*key);
}

cli_result<std::string_view> read_name(const parsed_arguments& args, const option_spec& option, bool issuer) {
    const auto text = args.value(option.name);
    if (!text) return cli_error(fmt::format("missing required option {}", option.name));
    if (text->empty()) return cli_error(fmt::format("{}: empty", option.name));
    const auto checked = issuer ? check_issuer(*text) : check_account_name(*text);
    if (!checked) return cli_error(name_problem(option.name, checked.error(), issuer));
    return *text;
}

// "SHA256", "8 digits" and "a 60 s period", joined for one line.
std::string unusual_parameters(const otpauth_parameters& p, const compatibility_report& report) {
    std::vector<std::string> parts;
    if (report.algorithm_ignored) parts.push_back(fmt::format("algorithm {}", to_string(p.hash)));
    if (report.digits_ignored) parts.push_back(fmt::format("{} digits", p.digits));
    if (report.period_ignored) parts.push_back(fmt::format("period {} s", p.period));
    std::string text;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i != 0) text += i + 1 == parts.size() ? " and " : ", ";
        text += parts[i];
    }
    return text;
}

}  // namespace

int run_uri(std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, uri_options, 0, "uri");
    if (!parsed) return report_error(parsed.error());
    if (parsed->help_requested()) {
        print_command_help(uri_usage, uri_description, uri_options);
        return exit_ok;
    }

    const auto settings = read_otp_settings(*parsed);
    if (!settings) return report_error(settings.error());
    if (settings->is_hotp() && parsed->has(uri_period_option.name)) {
        return report_error("--period does not apply to HOTP (--counter): give one or the other");
    }
    if (settings->t0 != 0) {
        return report_error(
            "--t0: an otpauth URI cannot carry a T0 (authenticator apps count time steps from 0); "
            "only --t0 0 can be given");
    }
    if (settings->period > static_cast<std::int64_t>(max_uri_period)) {
        return report_error(fmt::format("--period: invalid period {} (expected 1..{} seconds)",
                                        quoted(*parsed->value(uri_period_option.name)), max_uri_period));
    }
    const auto issuer = read_name(*parsed, issuer_option, true);
    if (!issuer) return report_error(issuer.error());
    const auto account = read_name(*parsed, account_option, false);
    if (!account) return report_error(account.error());
    const auto key = read_uri_secret(*parsed);
    if (!key) return report_error(key.error());

    otpauth_parameters parameters;
    parameters.type = settings->is_hotp() ? otp_type::hotp : otp_type::totp;
    parameters.hash = settings->hash;
    parameters.digits = settings->digits;
    parameters.period = static_cast<std::uint32_t>(settings->period);
    parameters.counter = settings->counter.value_or(0);
    const auto uri = otpauth_uri::make(*issuer, *account, *key, parameters);
    if (!uri) return report_error(fmt::format("cannot build the URI: {}", describe(uri.error())));

    const compatibility_report report = check_compatibility(*uri);
    if (report.weak_secret) {
        report_note(
            fmt::format("warning: the secret has {} bits, fewer than the 128 RFC 4226 requires (160 "
                        "recommended)",
                        8 * uri->key().size()));
    }
    if (report.algorithm_ignored || report.digits_ignored || report.period_ignored) {
        report_note(
            fmt::format("warning: {} may be ignored by authenticator apps (Google Authenticator on some "
                        "platforms, Microsoft Authenticator, Authy), which then show codes that are "
                        "not accepted; SHA1, 6 digits and 30 s work everywhere",
                        unusual_parameters(parameters, report)));
    }

    auto text = sensitive_text::of_size(uri->uri_size());  // wiped also when printing throws
    const auto written = uri->reveal_uri(std::span<char>(text.data(), text.size()));
    if (!written) return report_error(fmt::format("cannot write the URI: {}", describe(written.error())));
    print_secret_line(text.text());
    return exit_ok;
}

}  // namespace twofactor::cli
