// twofactor web example: the pages, in the seed's words (Settings > Account Information and
// Setup > Authentication, the 2FA wizard's pages) and the two steps of signing in. Each
// function returns a whole document; every variable text is escaped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "html.hpp"

namespace web {

using message = std::optional<std::string>;

[[nodiscard]] std::string sign_in_page(const frame_info& frame, std::string_view name, const message& error,
                                       const message& notice);
[[nodiscard]] std::string second_step_page(const frame_info& frame, std::string_view name,
                                           const message& error);

/// What the Authentication tab shows.
struct authentication_status {
    bool enabled = false;
    std::size_t backup_codes_remaining = 0;
    bool setup_in_progress = false;
};
[[nodiscard]] std::string authentication_tab(const frame_info& frame, const authentication_status& status,
                                             const message& error, const message& notice);
[[nodiscard]] std::string profile_tab(const frame_info& frame);

// The wizard's pages.
[[nodiscard]] std::string setup_qr_page(const frame_info& frame, std::string_view svg,
                                        const std::optional<std::string>& setup_code);
[[nodiscard]] std::string setup_verify_page(const frame_info& frame, unsigned attempts_left,
                                            const message& error);
[[nodiscard]] std::string setup_backup_codes_page(const frame_info& frame,
                                                  const std::vector<std::string>& codes,
                                                  const message& error);

/// The codes of "Regenerate backup codes", shown once.
[[nodiscard]] std::string new_backup_codes_page(const frame_info& frame,
                                                const std::vector<std::string>& codes);

/// Turning 2FA off: confirmed with a code.
[[nodiscard]] std::string disable_page(const frame_info& frame, const message& error);

/// A refusal or failure (403, 404, 409, 500...).
[[nodiscard]] std::string problem_page(const frame_info& frame, std::string_view title,
                                       std::string_view text);

}  // namespace web
