// twofactor command-line tool: `twofactor login`, `twofactor backup-codes` and
// `twofactor disable`, which act on the account state file that `twofactor enroll` writes,
// through twofactor::login (replay guard, throttling) and backup_code_set.
#include <array>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include <twofactor/account.hpp>
#include <twofactor/account_operations.hpp>
#include <twofactor/backup_codes.hpp>
#include <twofactor/detail/bytes.hpp>

#include "account_store.hpp"
#include "atomic_file.hpp"
#include "command_line.hpp"
#include "commands.hpp"

namespace twofactor::cli {

namespace {

constexpr option_spec regenerate_option{"--regenerate", "", "replace all backup codes with 10 new ones"};
constexpr option_spec backup_codes_file_option{
    "--backup-codes", "FILE", "also write the new codes, ready to print or save, to FILE (mode 0600)"};

constexpr std::array login_options{state_option, login_time_option};
constexpr std::array backup_codes_options{regenerate_option, backup_codes_file_option, state_option,
                                          login_time_option};
constexpr std::array disable_options{state_option, login_time_option};

constexpr std::string_view login_usage = "twofactor login [--state FILE] [--time UNIX]";
constexpr std::string_view login_description =
    "Signs in with the second factor: reads a code from your authenticator app, or one of your\n"
    "backup codes, from standard input (asking for it when that is a terminal) and checks it\n"
    "against the account state file. A code is accepted once: the same code again is refused\n"
    "(RFC 6238 §5.2). 5 failed attempts in a row are free; each further one locks the account,\n"
    "30 s at first, doubling with each failure up to a day; during a lockout no code is checked.\n"
    "Exit status: 0 accepted, 1 rejected (wrong, already used, locked out), 2 bad input or an\n"
    "unreadable, corrupt or too widely readable state file (nothing is changed).";

constexpr std::string_view backup_codes_usage =
    "twofactor backup-codes [--regenerate] [--state FILE] [--backup-codes FILE] [--time UNIX]";
constexpr std::string_view backup_codes_description =
    "Without --regenerate: tells how many backup codes are left. With --regenerate: asks for a\n"
    "code from your authenticator app (a backup code is not enough), then replaces all backup\n"
    "codes with 10 new ones: the old ones stop working. The new codes are shown once; keep them\n"
    "as safe as a password.";

constexpr std::string_view disable_usage = "twofactor disable [--state FILE] [--time UNIX]";
constexpr std::string_view disable_description =
    "Turns two-factor authentication off: asks for a code from your authenticator app or a\n"
    "backup code and, if it is accepted, removes the state file. Turning it on again means\n"
    "running the whole setup again (twofactor enroll).";

constexpr account_command login_command{"login", login_usage, login_description, login_options};
constexpr account_command backup_codes_command{"backup-codes", backup_codes_usage, backup_codes_description,
                                               backup_codes_options};
constexpr account_command disable_command{"disable", disable_usage, disable_description, disable_options};

constexpr std::string_view app_code_prompt = "Code from your authenticator app: ";

void warn_if_few_backup_codes(std::size_t remaining) {
    if (remaining <= 3)
        report_note(fmt::format("only {} backup code{} left: run 'twofactor backup-codes --regenerate'",
                                remaining, remaining == 1 ? "" : "s"));
}

int regenerate_backup_codes(const parsed_arguments& args, const std::string& path) {
    const auto file = args.value(backup_codes_file_option.name);
    if (file && same_file(path, std::string(*file)))
        return report_error("--backup-codes: that is the state file; choose another file for the codes");
    auto typed = read_code_for(path, app_code_prompt);
    if (!typed) return typed.error();
    const wiped_on_exit wipe{*typed};
    const auto now = code_time(args);

    // Under the lock: confirm, then the codes file and stdout, then the state; a state that
    // cannot be stored puts the codes file back, so a failure changes nothing. The codes are
    // shown before they replace the old ones: codes nobody saw would lock the user out.
    std::optional<backup_code_regeneration<10, sha256>> regeneration;
    std::optional<file_backup> previous_codes_file;
    std::string text;
    const wiped_on_exit wipe_text{text};
    bool shown = false;
    const signals_deferred regenerating;  // Ctrl-C cannot part the codes file from the state
    const auto updated =
        update_account(path, [&](const stored_account& current) -> cli_result<account_update> {
            os_random rng;
            regeneration.emplace(regenerate_backup_codes(current, *typed, now, rng));
            account_update update;
            if (regeneration->outcome.record_changed) update.store = regeneration->outcome.record;
            if (!regeneration->outcome.match) return update;
            const otpauth_uri& enrollment = current.enrollment();
            const backup_codes_text_info info{enrollment.issuer(), enrollment.account(), utc_date(now)};
            text.assign(backup_codes_text_size(info, regeneration->codes), '\0');
            (void)write_backup_codes_text(text, info, regeneration->codes);
            if (file) {
                auto replaced = file_backup::replace(std::string(*file), text, 0600);
                if (!replaced) return cli_error(replaced.error());
                previous_codes_file.emplace(std::move(*replaced));
            }
            (void)std::fwrite(text.data(), 1, text.size(), stdout);  // fmt::print could throw here
            if (const auto flushed = flush_standard_output(); !flushed)
                return cli_error(flushed.error() + "; the backup codes were not replaced");
            shown = true;
            return update;
        });
    if (!updated) {
        if (previous_codes_file) (void)previous_codes_file->restore();
        if (shown)  // the state could not be written after all
            return report_error(updated.error() +
                                "; the codes shown above are not valid, the old ones still are");
        return report_error(updated.error());
    }
    const auto& outcome = regeneration->outcome;
    if (!outcome.match) {
        if (outcome.match.error() == errc::backup_code_not_accepted)
            return report_error(
                "a backup code cannot regenerate codes: type the code your authenticator app shows");
        if (outcome.match.error() == errc::malformed_login_input)
            return report_error(
                "not a code from your authenticator app (a backup code cannot regenerate codes)");
        return report_login_failure(outcome, now);
    }
    return exit_ok;
}

}  // namespace

int run_login(std::span<const std::string_view> args) {
    const auto start = start_account_command(args, login_command);
    if (!start) return start.error();
    const auto& [parsed, path] = *start;
    auto typed = read_code_for(path, code_or_backup_prompt);
    if (!typed) return typed.error();
    const wiped_on_exit wipe{*typed};
    const auto outcome = login_and_store(path, code_time(parsed), *typed, false);
    if (!outcome) return outcome.error();
    const login_match& match = *outcome->match;
    fmt::print("{}\n", describe_match(match));
    if (match.method == login_method::backup_code) warn_if_few_backup_codes(match.backup_codes_remaining);
    return exit_ok;
}

int run_backup_codes(std::span<const std::string_view> args) {
    const auto start = start_account_command(args, backup_codes_command);
    if (!start) return start.error();
    const auto& [parsed, path] = *start;
    if (parsed.has(regenerate_option.name)) return regenerate_backup_codes(parsed, path);
    if (parsed.has(backup_codes_file_option.name))
        return report_error("--backup-codes: only with --regenerate (stored codes cannot be shown again)");
    const auto loaded = load_account(path);
    if (!loaded) return report_error(loaded.error());
    const std::size_t remaining = loaded->backup_codes().remaining();
    fmt::print("{} of {} backup codes left\n", remaining, stored_account::backup_codes_type::count);
    warn_if_few_backup_codes(remaining);
    return exit_ok;
}

int run_disable(std::span<const std::string_view> args) {
    const auto start = start_account_command(args, disable_command);
    if (!start) return start.error();
    const auto& [parsed, path] = *start;
    auto typed = read_code_for(path, code_or_backup_prompt);
    if (!typed) return typed.error();
    const wiped_on_exit wipe{*typed};
    if (const auto outcome = login_and_store(path, code_time(parsed), *typed, true); !outcome)
        return outcome.error();
    fmt::print(
        "two-factor authentication is off: {} removed; turning it on again runs the whole setup "
        "(twofactor enroll)\n",
        quoted_path(path));
    return exit_ok;
}

}  // namespace twofactor::cli
