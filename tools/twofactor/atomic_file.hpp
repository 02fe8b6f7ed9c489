// twofactor command-line tool: writing files so that a reader sees the old or the new
// contents, never a mixture, whatever happens to the process.
#pragma once

#include <sys/types.h>
#include <string>
#include <string_view>

#include "command_line.hpp"

namespace twofactor::cli {

/// The folder part of a path: "." for a bare file name, "/" for a file in the root.
[[nodiscard]] std::string folder_of(const std::string& path);

/**
 * Replaces `path` with `contents`: writes a temporary file in the same folder (so the rename
 * stays on one file system), fsyncs it, gives it `mode`, renames it over `path` and fsyncs
 * the folder. On any failure the temporary file is removed and `path` is untouched; the error
 * names the path and the failing step.
 */
[[nodiscard]] cli_result<void> write_file_atomically(const std::string& path, std::string_view contents,
                                                     mode_t mode);

}  // namespace twofactor::cli
