// twofactor command-line tool: a QR code drawn into text that is wiped when released (the image
// encodes its text, usually an otpauth URI with its secret). Used by `qr` and by `enroll`.
#pragma once

#include <twofactor/qr.hpp>

#include "command_line.hpp"
#include "sensitive_text.hpp"

namespace twofactor::cli {

enum class output_format { utf8, svg, png, pbm };

/// `code` rendered in `format` (the library's default options), into text sized first and
/// written in place, so that no copy of it is freed unwiped.
[[nodiscard]] cli_result<sensitive_text> render_qr(const qr_code& code, output_format format);

}  // namespace twofactor::cli
