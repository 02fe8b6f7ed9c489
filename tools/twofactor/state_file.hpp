// twofactor command-line tool: reading and removing the account state file, a small text
// file that holds a 2FA secret (written with write_file_atomically, mode 0600).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "command_line.hpp"

namespace twofactor::cli {

/// The state file's name when no other is given.
inline constexpr std::string_view default_state_file_name = "twofactor-account.txt";

/// The largest state file read_state_file accepts (1 MiB); anything bigger is not one.
inline constexpr std::size_t max_state_file_size = std::size_t{1} << 20;

/**
 * The whole contents of the state file at `path`, byte for byte (nothing stripped).
 *
 * Symbolic links are followed; every check applies to the file actually opened (fstat on the
 * descriptor, so nothing can be swapped in between). Refused, with a one-line error that names
 * the path but never shows the contents:
 * - a missing file ("... not found; run 'twofactor enroll' first"), or one that cannot be opened;
 * - anything but a regular file (a folder, a FIFO: opening never blocks);
 * - permissions wider than 0600 (any group or other bit, as google-authenticator-libpam does):
 *   the file holds a secret, the message says which chmod fixes it;
 * - more than max_state_file_size bytes, or a read error.
 * Buffers that held part of the contents are wiped before they are freed; the returned string
 * is the caller's to wipe.
 */
[[nodiscard]] cli_result<std::string> read_state_file(const std::string& path);

/**
 * Removes the state file at `path` (like rm: a symbolic link itself is removed, not its target)
 * and flushes the containing folder to disk so that the removal survives a crash. The error
 * names the path and the failing step.
 */
[[nodiscard]] cli_result<void> remove_state_file(const std::string& path);

}  // namespace twofactor::cli
