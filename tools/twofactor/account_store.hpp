// twofactor command-line tool: the account state file as the commands that share it see it
// (enroll, login, backup-codes, disable): loading and parsing it, storing a new record with
// compare-and-set, reading a typed code, and the messages for a login's outcome.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <twofactor/account.hpp>
#include <twofactor/account_operations.hpp>

#include "command_line.hpp"

namespace twofactor::cli {

/// The record the tool stores: 10 backup codes (the seed's number), PBKDF2-HMAC-SHA256.
using stored_account = account_record<10>;

inline constexpr option_spec state_option{"--state", "FILE",
                                          "account state file (default twofactor-account.txt; mode 0600)"};
inline constexpr option_spec login_time_option{"--time", "UNIX",
                                               "check codes at this Unix time instead of now (for testing)"};

/// --state, or the default file name; a symbolic link is resolved, so that replacing the file
/// replaces its target rather than the link.
[[nodiscard]] std::string state_path(const parsed_arguments& args);

/// --time as a time point, or the current time.
[[nodiscard]] cli_result<std::chrono::sys_seconds> login_time(const parsed_arguments& args);

/// The time to check a typed code at: --time, or the clock once the code has been read, not
/// when the command started (a person may take longer than a time step to type it). --time
/// must have been checked already (start_account_command does).
[[nodiscard]] std::chrono::sys_seconds code_time(const parsed_arguments& args);

/// An account command (login, backup-codes, disable, enroll): its name, help and options.
struct account_command {
    std::string_view name;         ///< as typed after "twofactor"
    std::string_view usage;        ///< first line of --help
    std::string_view description;  ///< the rest of --help
    std::span<const option_spec> options;
};

/// What an account command starts from: its arguments (--time checked: see code_time) and the
/// state file (--state or the default, links resolved).
struct account_command_start {
    parsed_arguments arguments;
    std::string path;
};

/// Parses an account command's arguments and answers --help. The start, or the exit status to
/// return at once: exit_ok after printing --help, exit_bad_input after reporting bad arguments.
[[nodiscard]] result<account_command_start, int> start_account_command(std::span<const std::string_view> args,
                                                                       const account_command& command);

/// Reads and parses the state file: the read_state_file errors (missing, permissions wider than
/// 0600, not a regular file) and "state file 'F' is corrupt: <problem> (line N)".
[[nodiscard]] cli_result<stored_account> load_account(const std::string& path);

/// An exclusive lock on the folder of a state file (flock), held while one command reads,
/// checks and replaces the file, so two commands cannot both act on the same record.
class state_lock {
public:
    [[nodiscard]] static cli_result<state_lock> acquire(const std::string& path);
    state_lock(state_lock&& other) noexcept : descriptor_(other.descriptor_) { other.descriptor_ = -1; }
    state_lock(const state_lock&) = delete;
    state_lock& operator=(const state_lock&) = delete;
    state_lock& operator=(state_lock&&) = delete;
    ~state_lock();

private:
    explicit state_lock(int descriptor) noexcept : descriptor_(descriptor) {}
    int descriptor_;
};

/// What a command decided, under the lock, after looking at the record it loaded.
struct account_update {
    std::optional<stored_account> store;  ///< a new record to write (atomically, mode 0600)
    bool remove = false;                  ///< remove the state file (disable)
};

/**
 * One read-decide-write change of the state file, under the folder lock, so that concurrent
 * commands are serialised and none can act on a record another is replacing (two logins with
 * one code: the second sees the first's record and is refused as a replay). Temporary files
 * that killed writers left behind are removed under the same lock.
 */
[[nodiscard]] cli_result<void> update_account(
    const std::string& path, const std::function<cli_result<account_update>(const stored_account&)>& decide);

/**
 * Stores the record a reconfiguration finished with: under the lock the file is re-read and
 * `successor(current)` (the wizard's record_replacing) gives the record to write. Logins
 * meanwhile (which only change its bookkeeping) are fine and the new record follows their
 * revision; a file disabled or reconfigured meanwhile (errc::record_replaced) is not replaced.
 */
[[nodiscard]] cli_result<void> store_reconfiguration(
    const std::string& path, const std::function<result<stored_account>(const stored_account&)>& successor);

/// load_account, or nullopt when there is no file at `path` (enroll: a first enrollment).
[[nodiscard]] cli_result<std::optional<stored_account>> load_account_if_present(const std::string& path);

/// Writes `record` as a new state file (a first enrollment), atomically, mode 0600, unless a
/// state file appeared meanwhile (then nothing is written).
[[nodiscard]] cli_result<void> store_new_account(const std::string& path, const stored_account& record);

/// One line typed by the user (a code); an error at end of input ("no code given").
[[nodiscard]] cli_result<std::string> read_typed_code(std::string_view prompt);

/// "2026-11-28T05:30:00Z"
[[nodiscard]] std::string format_utc(std::chrono::sys_seconds time);

/// Today's date (UTC) of a time point, for the backup-codes download text.
[[nodiscard]] std::chrono::year_month_day utc_date(std::chrono::sys_seconds time);

/// Prints the one-line message of a rejected login on stderr and returns exit_rejected, or
/// exit_bad_input for input that was not a code at all.
int report_login_failure(const login_outcome<10, sha256>& outcome, std::chrono::sys_seconds now);

/// "code accepted (time step S, offset O)" or "backup code accepted; N of 10 left".
[[nodiscard]] std::string describe_match(const login_match& match);

/// The prompt of the commands that take either kind of second factor.
inline constexpr std::string_view code_or_backup_prompt =
    "Code from your authenticator app, or a backup code: ";

/// Wipes a typed code when the command is done with it.
struct wiped_on_exit {
    std::string& text;
    ~wiped_on_exit();
};

/// Checks the state file before asking for a code (a missing, unreadable or corrupt file is
/// reported first), then reads the code. The error is the exit status, already reported.
[[nodiscard]] result<std::string, int> read_code_for(const std::string& path, std::string_view prompt);

/**
 * One login attempt under the state lock (twofactor::login: replay guard, throttling). The
 * outcome is stored, so a failure counts towards the lockout and an accepted code or backup
 * code is used up; with `remove_on_success` an accepted login removes the state file (disable).
 * The accepted outcome, or the exit status of an error or a rejection, already reported.
 */
[[nodiscard]] result<login_outcome<10, sha256>, int> login_and_store(const std::string& path,
                                                                     std::chrono::sys_seconds now,
                                                                     const std::string& typed,
                                                                     bool remove_on_success);

}  // namespace twofactor::cli
