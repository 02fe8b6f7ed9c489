// twofactor command-line tool: the OTP options shared by code, verify (and later uri):
// --secret, --algorithm, --digits, --period, --t0, --time, --counter, --window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <twofactor/otp_parameters.hpp>

#include "command_line.hpp"

namespace twofactor::cli {

inline constexpr option_spec secret_option{
    "--secret", "B32", "shared secret in base32 (required; case, spaces, hyphens ignored)"};
inline constexpr option_spec algorithm_option{"--algorithm", "SHA1|SHA256|SHA512",
                                              "HMAC hash function (default SHA1)"};
inline constexpr option_spec digits_option{"--digits", "N", "code length, 6..9 (default 6)"};
inline constexpr option_spec period_option{"--period", "S", "TOTP time step in seconds, > 0 (default 30)"};
inline constexpr option_spec t0_option{"--t0", "S", "Unix time at which TOTP step 0 starts (default 0)"};
inline constexpr option_spec time_option{"--time", "UNIX",
                                         "TOTP at this Unix time in seconds (default: now)"};
inline constexpr option_spec counter_option{"--counter", "C",
                                            "HOTP with this counter instead of TOTP (not with --time)"};
inline constexpr option_spec window_option{
    "--window", "W", "accept W steps before/after (TOTP) or W counters after C (HOTP); default 1"};

/// The parameters of one code computation, validated.
struct otp_settings {
    algorithm hash = algorithm::sha1;
    unsigned digits = 6;
    std::int64_t period = 30;              ///< > 0; ignored for HOTP
    std::int64_t t0 = 0;                   ///< ignored for HOTP
    std::optional<std::int64_t> time;      ///< --time; now when absent
    std::optional<std::uint64_t> counter;  ///< --counter: HOTP instead of TOTP
    [[nodiscard]] bool is_hotp() const noexcept { return counter.has_value(); }
};

/// A decoded secret; its bytes are wiped when it is destroyed. Move-only.
class secret_key {
public:
    explicit secret_key(std::size_t capacity) : bytes_(capacity) {}
    secret_key(secret_key&& other) noexcept = default;
    secret_key& operator=(secret_key&&) = delete;
    secret_key(const secret_key&) = delete;
    secret_key& operator=(const secret_key&) = delete;
    ~secret_key();

    [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return std::span(bytes_).first(size_); }

private:
    friend cli_result<secret_key> read_secret(const parsed_arguments& args);
    std::vector<std::byte> bytes_;
    std::size_t size_ = 0;
};

/// --secret, decoded with lenient base32. Errors: missing, invalid base32 (with the
/// position), empty. The secret itself never appears in a message.
[[nodiscard]] cli_result<secret_key> read_secret(const parsed_arguments& args);

/// --algorithm, --digits, --period, --t0, --time, --counter (all optional).
[[nodiscard]] cli_result<otp_settings> read_otp_settings(const parsed_arguments& args);

/// --window (default 1), bounded so that one verification compares at most
/// twofactor::max_verify_candidates codes (TOTP: 2W + 1, HOTP: W + 1).
[[nodiscard]] cli_result<std::uint32_t> read_window(const parsed_arguments& args, bool hotp);

/// The message for a time before T0 (the time was --time, or the clock when it is absent).
[[nodiscard]] std::string time_before_t0_message(const otp_settings& settings);

}  // namespace twofactor::cli
