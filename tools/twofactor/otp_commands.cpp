// twofactor command-line tool: `twofactor code` and `twofactor verify`, TOTP (RFC 6238) and
// HOTP (RFC 4226) through the library's hotp and dynamic_totp.
#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

#include <fmt/core.h>

#include <twofactor/hotp.hpp>
#include <twofactor/otp_parameters.hpp>
#include <twofactor/totp.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "otp_options.hpp"

namespace twofactor::cli {

namespace {

constexpr std::array code_options{secret_option, algorithm_option, digits_option, period_option,
                                  t0_option,     time_option,      counter_option};
constexpr std::string_view code_usage =
    "twofactor code --secret B32 [--algorithm SHA1|SHA256|SHA512] [--digits N] [--period S]\n"
    "                      [--t0 S] [--time UNIX | --counter C]";
constexpr std::string_view code_description =
    "Prints the one-time code for a secret: the TOTP code (RFC 6238) at --time or now, or\n"
    "with --counter the HOTP code (RFC 4226) for that counter (--period and --t0 are then\n"
    "not used).";

constexpr option_spec code_to_check_option{"--code", "C",
                                           "the code to check, exactly --digits digits (required)"};
constexpr std::array verify_options{secret_option, code_to_check_option, algorithm_option,
                                    digits_option, period_option,        t0_option,
                                    time_option,   counter_option,       window_option};
constexpr std::string_view verify_usage =
    "twofactor verify --secret B32 --code C [--algorithm SHA1|SHA256|SHA512] [--digits N]\n"
    "                        [--period S] [--t0 S] [--time UNIX | --counter C] [--window W]";
constexpr std::string_view verify_description =
    "Checks a one-time code. Accepted: prints the matched offset (TOTP: the matched step\n"
    "minus the current one, -W..W; HOTP: the matched counter minus C, 0..W) and exits 0.\n"
    "Rejected: exits 1. Bad input: exits 2.";

using unix_seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

// Everything a subcommand needs once its arguments are valid.
struct otp_request {
    secret_key key;
    otp_settings settings;
};

// Validates the options shared by code and verify and decodes the secret.
cli_result<otp_request> read_request(const parsed_arguments& args) {
    auto settings = read_otp_settings(args);
    if (!settings) return cli_error(settings.error());
    auto key = read_secret(args);
    if (!key) return cli_error(key.error());
    return otp_request{std::move(*key), *settings};
}

template <class Hash, unsigned Digits>
int print_code(const otp_request& request) {
    const otp_settings& s = request.settings;
    if (s.is_hotp()) {
        const hotp<Hash, Digits> generator{request.key.bytes()};
        fmt::print("{}\n", generator.generate(*s.counter).view());
        return exit_ok;
    }
    const dynamic_totp<Hash, Digits> generator{request.key.bytes(), time_step{std::chrono::seconds{s.period}},
                                               s.t0};
    const auto code = s.time ? generator.code_at(unix_seconds{std::chrono::seconds{*s.time}})
                             : generator.code_at(std::chrono::system_clock::now());
    if (!code) {
        if (code.error() == errc::time_before_epoch) return report_error(time_before_t0_message(s));
        return report_error(fmt::format("cannot compute the code: {}", describe(code.error())));
    }
    fmt::print("{}\n", code->view());
    return exit_ok;
}

// The exit status for a verification that did not accept the code.
int verification_failure(errc error, const otp_settings& settings, unsigned digits) {
    switch (error) {
        case errc::wrong_code: report_note("code rejected"); return exit_rejected;
        case errc::malformed_code:
            return report_error(
                fmt::format("--code: malformed code (expected exactly {} digits 0-9)", digits));
        case errc::time_before_epoch: return report_error(time_before_t0_message(settings));
        default: return report_error(fmt::format("cannot verify the code: {}", describe(error)));
    }
}

template <class Hash, unsigned Digits>
int check_code(const otp_request& request, std::string_view code, std::uint32_t window) {
    const otp_settings& s = request.settings;
    if (s.is_hotp()) {
        const hotp<Hash, Digits> generator{request.key.bytes()};
        const auto matched = generator.verify(code, *s.counter, window);
        if (!matched) return verification_failure(matched.error(), s, Digits);
        fmt::print("{}\n", *matched - *s.counter);
        return exit_ok;
    }
    const dynamic_totp<Hash, Digits> generator{request.key.bytes(), time_step{std::chrono::seconds{s.period}},
                                               s.t0};
    const verify_window steps{window, window};
    const auto matched = s.time ? generator.verify(code, unix_seconds{std::chrono::seconds{*s.time}}, steps)
                                : generator.verify(code, std::chrono::system_clock::now(), steps);
    if (!matched) return verification_failure(matched.error(), s, Digits);
    fmt::print("{}\n", matched->offset);
    return exit_ok;
}

// Calls f.template operator()<Hash, Digits>() for the run-time algorithm and digits.
template <class F>
int with_otp_types(const otp_settings& settings, F&& f) {
    return visit_algorithm(settings.hash, [&](auto hash) {
        return visit_digits(settings.digits, [&](auto digits) {
            return f.template operator()<typename decltype(hash)::type, decltype(digits)::value>();
        });
    });
}

}  // namespace

int run_code(std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, code_options, 0, "code");
    if (!parsed) return report_error(parsed.error());
    if (parsed->help_requested()) {
        print_command_help(code_usage, code_description, code_options);
        return exit_ok;
    }
    const auto request = read_request(*parsed);
    if (!request) return report_error(request.error());
    return with_otp_types(request->settings,
                          [&]<class Hash, unsigned Digits>() { return print_code<Hash, Digits>(*request); });
}

int run_verify(std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, verify_options, 0, "verify");
    if (!parsed) return report_error(parsed.error());
    if (parsed->help_requested()) {
        print_command_help(verify_usage, verify_description, verify_options);
        return exit_ok;
    }
    const auto request = read_request(*parsed);
    if (!request) return report_error(request.error());
    const auto window = read_window(*parsed, request->settings.is_hotp());
    if (!window) return report_error(window.error());
    const auto code = parsed->value(code_to_check_option.name);
    if (!code) return report_error("missing required option --code");
    return with_otp_types(request->settings, [&]<class Hash, unsigned Digits>() {
        return check_code<Hash, Digits>(*request, *code, *window);
    });
}

}  // namespace twofactor::cli
