// twofactor command-line tool: writing files so that a reader sees the old or the new
// contents, never a mixture, whatever happens to the process.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <optional>
#include <string>
#include <string_view>

#include "command_line.hpp"

namespace twofactor::cli {

/// The folder part of a path: "." for a bare file name, "/" for a file in the root.
[[nodiscard]] std::string folder_of(const std::string& path);

/**
 * The file that writing `path` replaces: `path` itself, or the file a symbolic link at `path`
 * names (followed to the end, even when that file does not exist yet), so that a link is kept
 * and its target replaced. Errors: an existing folder, device, FIFO or socket there (never
 * replaced by a regular file: `--out /dev/null` must not swap the device for a file), a loop
 * of links; the error names `path`.
 */
[[nodiscard]] cli_result<std::string> replaceable_path(const std::string& path);

/**
 * Replaces `path` (its replaceable_path) with `contents`: writes a temporary file in the same
 * folder (so the rename stays on one file system), fsyncs it, gives it `mode`, renames it over
 * the file and fsyncs the folder. On any failure the temporary file is removed and the file is
 * untouched; the error names the path and the failing step. Termination signals wait until it
 * is done (signals_deferred), so no temporary file is left behind by Ctrl-C.
 */
[[nodiscard]] cli_result<void> write_file_atomically(const std::string& path, std::string_view contents,
                                                     mode_t mode);

/// Whether a file could be written at `path` now: it is replaceable (replaceable_path), and the
/// folder it is in exists and is writable. Lets a command refuse a hopeless path before the user does any
/// work, rather than only when it writes. The error names the path and the problem.
[[nodiscard]] cli_result<void> check_writable_location(const std::string& path);

/// The contents of the file at `path`, or nullopt when there is none (to put it back later).
/// Errors: it exists but cannot be read, or it is larger than 1 MiB.
[[nodiscard]] cli_result<std::optional<std::string>> read_previous_file(const std::string& path);

/**
 * Replaces `path` atomically (as write_file_atomically) and remembers what was there before,
 * so that `restore()` can put it back when a later step of the same change fails.
 */
class file_backup {
public:
    [[nodiscard]] static cli_result<file_backup> replace(const std::string& path, std::string_view contents,
                                                         mode_t mode);
    file_backup(file_backup&&) noexcept = default;
    file_backup(const file_backup&) = delete;
    file_backup& operator=(const file_backup&) = delete;
    file_backup& operator=(file_backup&&) = delete;
    ~file_backup();
    /// Puts the previous contents back (mode 0600), or removes the file if there was none.
    cli_result<void> restore() const;

private:
    file_backup(std::string path, std::optional<std::string> previous) noexcept
        : path_(std::move(path)), previous_(std::move(previous)) {}
    std::string path_;
    std::optional<std::string> previous_;
};

/// Removes the temporary files (`path`.tmp-XXXXXX) that writers of `path` killed before their
/// rename left behind; they may hold a copy of a secret. Call it only while no writer can be
/// running (under the state lock).
void remove_stale_temporaries(const std::string& path);

/**
 * While it lives, SIGINT, SIGTERM, SIGHUP and SIGQUIT wait: a change made of several writes
 * (the download of backup codes, then the state that makes them valid) is made whole or not at
 * all, never cut between the two by Ctrl-C. A signal that arrives meanwhile takes effect when
 * the last one ends. Nests.
 */
class signals_deferred {
public:
    signals_deferred() noexcept;
    ~signals_deferred();
    signals_deferred(const signals_deferred&) = delete;
    signals_deferred& operator=(const signals_deferred&) = delete;

private:
    sigset_t previous_{};
};

/// Whether two paths name the same file: the same inode when both exist, else the same
/// absolute path once their folders are resolved.
[[nodiscard]] bool same_file(const std::string& a, const std::string& b);

}  // namespace twofactor::cli
