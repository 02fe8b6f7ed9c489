// twofactor command-line tool: reading and validating the shared OTP options.
#include "otp_options.hpp"

#include <limits>
#include <string>

#include <fmt/core.h>

#include <twofactor/base32.hpp>
#include <twofactor/detail/bytes.hpp>
#include <twofactor/hotp.hpp>

namespace twofactor::cli {

secret_key::~secret_key() {
    if (!bytes_.empty()) twofactor::detail::secure_wipe_bytes(bytes_.data(), bytes_.size());
}

cli_result<secret_key> read_secret(const parsed_arguments& args) {
    const auto text = args.value(secret_option.name);
    if (!text) return cli_error("missing required option --secret");
    secret_key key(base32_decoded_max_size(text->size()));
    const auto decoded = base32_decode(*text, key.bytes_, base32_mode::lenient);
    if (!decoded) {
        return cli_error(fmt::format("--secret: {} at position {}", describe(decoded.error().code),
                                     decoded.error().position));
    }
    if (*decoded == 0) return cli_error("--secret: empty secret");
    key.size_ = *decoded;
    return key;
}

cli_result<otp_settings> read_otp_settings(const parsed_arguments& args) {
    otp_settings settings;

    if (args.has(time_option.name) && args.has(counter_option.name)) {
        return cli_error("--time and --counter cannot be combined (TOTP or HOTP, not both)");
    }
    if (const auto text = args.value(algorithm_option.name)) {
        const auto parsed = parse_algorithm(*text);
        if (!parsed) {
            return cli_error(fmt::format(
                "--algorithm: unsupported algorithm {} (expected SHA1, SHA256 or SHA512)", quoted(*text)));
        }
        settings.hash = *parsed;
    }
    if (const auto text = args.value(digits_option.name)) {
        const auto parsed = parse_digits(*text);
        if (!parsed) {
            return cli_error(
                fmt::format("--digits: invalid number of digits {} (expected 6..9)", quoted(*text)));
        }
        settings.digits = *parsed;
    }
    if (const auto text = args.value(period_option.name)) {
        const auto parsed = parse_int64(*text);
        if (!parsed || *parsed <= 0) {
            return cli_error(fmt::format(
                "--period: invalid period {} (expected a positive number of seconds)", quoted(*text)));
        }
        settings.period = *parsed;
    }
    if (const auto text = args.value(t0_option.name)) {
        const auto parsed = parse_int64(*text);
        if (!parsed) {
            return cli_error(fmt::format("--t0: invalid number {} (expected a Unix time in whole seconds)",
                                         quoted(*text)));
        }
        settings.t0 = *parsed;
    }
    if (const auto text = args.value(time_option.name)) {
        const auto parsed = parse_int64(*text);
        if (!parsed) {
            return cli_error(fmt::format("--time: invalid number {} (expected a Unix time in whole seconds)",
                                         quoted(*text)));
        }
        settings.time = *parsed;
        if (*settings.time < settings.t0) return cli_error(time_before_t0_message(settings));
    }
    if (const auto text = args.value(counter_option.name)) {
        const auto parsed = parse_uint64(*text);
        if (!parsed) {
            return cli_error(fmt::format("--counter: invalid number {} (expected 0..{})", quoted(*text),
                                         std::numeric_limits<std::uint64_t>::max()));
        }
        settings.counter = *parsed;
    }
    return settings;
}

cli_result<std::uint32_t> read_window(const parsed_arguments& args, bool hotp) {
    const auto text = args.value(window_option.name);
    if (!text) return std::uint32_t{1};
    // TOTP compares 2W + 1 steps, HOTP W + 1 counters; both at most max_verify_candidates.
    const std::uint64_t max = hotp ? max_verify_candidates - 1 : (max_verify_candidates - 1) / 2;
    const auto parsed = parse_uint64(*text);
    if (!parsed || *parsed > max) {
        return cli_error(fmt::format("--window: invalid verification window {} (expected 0..{} {})",
                                     quoted(*text), max, hotp ? "counters" : "steps"));
    }
    return static_cast<std::uint32_t>(*parsed);
}

std::string time_before_t0_message(const otp_settings& settings) {
    if (settings.time) {
        return fmt::format("--time: time before T0 ({} is earlier than --t0 {})", *settings.time,
                           settings.t0);
    }
    return fmt::format("--t0: time before T0 (the current time is earlier than --t0 {})", settings.t0);
}

}  // namespace twofactor::cli
