// twofactor command-line tool: reading what the user types on standard input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "command_line.hpp"

namespace twofactor::cli {

/// Whether standard input (descriptor 0) is a terminal, i.e. someone types the answers.
[[nodiscard]] bool standard_input_is_terminal() noexcept;

/**
 * One line from standard input, without its "\n" or "\r\n".
 *
 * When standard input is a terminal, `prompt` is printed first on standard error (as is, no
 * newline added); otherwise nothing is printed. The line is read byte by byte from
 * descriptor 0, never through a buffer, so that the next call (or a child process) sees
 * exactly the bytes after it.
 *
 * - nullopt: end of input before any byte (the caller treats it as "cancelled"); a last line
 *   without a newline is returned like any other.
 * - Error "input line too long": more than `max_length` bytes before the newline; the rest of
 *   that line is consumed first, so that the next call reads the next line.
 * - Error on a read failure (interrupted reads are retried).
 * The line itself never appears in an error. The string's capacity is `max_length` + 2 from
 * the start, so that reading never moves the line and leaves a copy behind: the caller can wipe
 * the one copy.
 */
[[nodiscard]] cli_result<std::optional<std::string>> read_line(std::string_view prompt,
                                                               std::size_t max_length = 256);

/// Whether an error of read_line is "input line too long" (the caller may ask again).
[[nodiscard]] bool is_line_too_long(std::string_view error);

}  // namespace twofactor::cli
