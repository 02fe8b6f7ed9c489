// twofactor command-line tool: generic argument parsing, help text and error reporting.
//
// Nothing here knows about OTPs. A subcommand declares its options as a table of
// `option_spec`s; `parse_arguments` turns argv into `parsed_arguments` or a one-line error.
// The interface of the tool is specified in DESIGN.md ("Command-line tool").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <twofactor/error.hpp>

namespace twofactor::cli {

/// Process exit statuses, part of the tool's stable interface.
enum exit_status : int {
    exit_ok = 0,         ///< success (a code printed, a code accepted, help shown)
    exit_rejected = 1,   ///< a well-formed code that was not accepted
    exit_bad_input = 2,  ///< anything malformed or missing on the command line
};

/// A result whose error is the text of a one-line message (without the "twofactor: error: "
/// prefix, which `report_error` adds).
template <class T>
using cli_result = twofactor::result<T, std::string>;

/// Makes the error half of a cli_result.
inline twofactor::unexpected<std::string> cli_error(std::string message) {
    return twofactor::unexpected<std::string>(std::move(message));
}

/// One option a subcommand accepts.
struct option_spec {
    std::string_view name;        ///< with its dashes: "--secret"
    std::string_view value_name;  ///< placeholder in the help ("B32"); empty for a flag
    std::string_view help;        ///< one line for the option list
};

/// The options and positional arguments of one subcommand invocation. The string_views
/// point into argv and stay valid for the life of the process.
class parsed_arguments {
public:
    /// The value of an option given once, or nullopt when it was not given.
    [[nodiscard]] std::optional<std::string_view> value(std::string_view name) const;
    /// Whether an option (or flag) was given.
    [[nodiscard]] bool has(std::string_view name) const;
    [[nodiscard]] std::span<const std::string_view> positionals() const noexcept { return positionals_; }
    /// Whether --help (or -h) was given: the caller prints help and does nothing else.
    [[nodiscard]] bool help_requested() const noexcept { return help_; }

private:
    friend cli_result<parsed_arguments> parse_arguments(std::span<const std::string_view>,
                                                        std::span<const option_spec>, std::size_t,
                                                        std::string_view);
    std::vector<std::pair<std::string_view, std::string_view>> options_;
    std::vector<std::string_view> positionals_;
    bool help_ = false;
};

/**
 * Parses the arguments after the subcommand name.
 *
 * - `--name value` and `--name=value`; a flag takes no value. A value that starts with "--"
 *   must use the `=` form (`--secret --digits 8` is "--secret: missing value").
 * - `--help` / `-h` anywhere (before a "--") requests help; nothing else is checked.
 * - Each option at most once; unknown options, missing values and more than
 *   `max_positionals` positional arguments are errors. "--" ends the options.
 * - Error messages never repeat a positional argument or a value (either could be a
 *   secret), only option names. `command` names the subcommand in the hint.
 */
[[nodiscard]] cli_result<parsed_arguments> parse_arguments(std::span<const std::string_view> args,
                                                           std::span<const option_spec> specs,
                                                           std::size_t max_positionals,
                                                           std::string_view command);

/// The longest value an error message repeats (the shortest secret in use, 80 bits, is 16
/// base32 characters).
inline constexpr std::size_t max_quoted_size = 12;

/// Text quoted for an error message, printable ASCII kept and every other byte as \xNN, so that
/// a message stays on one line; text longer than max_quoted_size characters is not repeated
/// ("[32 characters, not shown]"): it could be a secret given to the wrong option.
[[nodiscard]] std::string quoted(std::string_view text);

/// A file path quoted like `quoted`, but whole: the end of a path is what tells files apart.
[[nodiscard]] std::string quoted_path(std::string_view path);

/// Strict decimal parsing: optional '-' only for the signed form, then digits, nothing else
/// (no '+', no spaces, no trailing junk); nullopt on any problem, including overflow.
[[nodiscard]] std::optional<std::int64_t> parse_int64(std::string_view text) noexcept;
[[nodiscard]] std::optional<std::uint64_t> parse_uint64(std::string_view text) noexcept;

/// Prints "twofactor: error: <message>" as one line on stderr and returns exit_bad_input.
/// Never throws: when stderr itself cannot be written the message is lost, not the status.
int report_error(std::string_view message);

/// Prints "twofactor: <message>" as one line on stderr (a non-error outcome such as a
/// rejected code). Never throws.
void report_note(std::string_view message);

/// Writes `text` to stdout as it is, for text that holds a secret (an otpauth URI, a setup
/// code, a backup code, a QR code of a URI): fmt::print would first copy it into a formatting
/// buffer (on the stack, or on the heap beyond 500 bytes) that nobody wipes. Like fmt::print,
/// throws std::system_error when stdout refuses the write (run_tool reports it).
void write_secret(std::string_view text);

/// write_secret of `text`, then a newline.
void print_secret_line(std::string_view text);

/// Flushes stdout; "cannot write to standard output" when anything printed so far was lost
/// (a closed pipe, a full disk). Commands call it before a change that only makes sense once
/// the user has seen its output (new backup codes), and `run_tool` after every command.
[[nodiscard]] cli_result<void> flush_standard_output();

/// Prints a subcommand's help on stdout: usage, description and the option table.
void print_command_help(std::string_view usage, std::string_view description,
                        std::span<const option_spec> specs);

}  // namespace twofactor::cli
