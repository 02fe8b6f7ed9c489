// twofactor command-line tool: the table of subcommands.
//
// To add a subcommand: write `int run_<name>(std::span<const std::string_view> args)` in its
// own .cpp (parse with `parse_arguments`, answer --help with `print_command_help`), declare
// it below and add one row to the table in commands.cpp.
#pragma once

#include <span>
#include <string_view>

namespace twofactor::cli {

/// One subcommand: `twofactor <name> ...`.
struct command {
    std::string_view name;     ///< as typed after "twofactor"
    std::string_view summary;  ///< one line for `twofactor --help`
    /// Runs the subcommand with the arguments after its name; returns the exit status.
    int (*run)(std::span<const std::string_view> args);
};

/// Every subcommand, in the order `twofactor --help` lists them.
[[nodiscard]] std::span<const command> all_commands() noexcept;

/// Runs the whole tool on argv[1..]: dispatches to a subcommand, or answers --help.
[[nodiscard]] int run_tool(std::span<const std::string_view> args);

int run_code(std::span<const std::string_view> args);          // otp_commands.cpp
int run_verify(std::span<const std::string_view> args);        // otp_commands.cpp
int run_uri(std::span<const std::string_view> args);           // uri_command.cpp
int run_import(std::span<const std::string_view> args);        // import_command.cpp
int run_qr(std::span<const std::string_view> args);            // qr_command.cpp
int run_enroll(std::span<const std::string_view> args);        // enroll_command.cpp
int run_login(std::span<const std::string_view> args);         // account_commands.cpp
int run_backup_codes(std::span<const std::string_view> args);  // account_commands.cpp
int run_disable(std::span<const std::string_view> args);       // account_commands.cpp

}  // namespace twofactor::cli
