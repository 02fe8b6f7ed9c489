// twofactor command-line tool: `twofactor enroll`, the setup wizard of the seed in a terminal
// (twofactor::enrollment_wizard): the QR code and, on request, the setup code; a code from
// the app to verify the setup; the 10 backup codes; Finish writes the account state file.
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include <twofactor/detail/bytes.hpp>
#include <twofactor/enrollment_wizard.hpp>
#include <twofactor/qr_render.hpp>

#include "account_store.hpp"
#include "atomic_file.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "qr_output.hpp"
#include "sensitive_text.hpp"
#include "user_input.hpp"

namespace twofactor::cli {

namespace {

using namespace std::chrono_literals;
using app_totp = totp<sha1, 6, 30s>;
using wizard = enrollment_wizard<app_totp, stored_account::backup_codes_type>;

constexpr option_spec enroll_issuer_option{"--issuer", "I", "service name the app shows, e.g. \"ACME Co\""};
constexpr option_spec enroll_account_option{"--account", "A", "account name, e.g. the user's e-mail address"};
constexpr option_spec enroll_backup_codes_option{
    "--backup-codes", "FILE", "save the backup codes (the \"Download\") to FILE, mode 0600"};
constexpr std::array enroll_options{enroll_issuer_option, enroll_account_option, state_option,
                                    enroll_backup_codes_option, login_time_option};

constexpr std::string_view enroll_usage =
    "twofactor enroll --issuer I --account A [--state FILE] [--backup-codes FILE] [--time UNIX]";
constexpr std::string_view enroll_description =
    "Turns on two-factor authentication, step by step: scan the QR code with a TOTP\n"
    "authenticator app (or type \"s\" for the setup code to enter by hand), Next, verify the setup\n"
    "with a six-digit code from the app (or \"b\" to go back to the QR code), Next, save the 10\n"
    "backup codes, Finish. Only Finish writes the state file; end of input or Ctrl-C at any\n"
    "step leaves everything as it was.\n"
    "When the state file exists, this reconfigures: a new secret and new backup codes, and the\n"
    "current ones keep working until Finish; it first asks for a code from the app or a\n"
    "backup code, as a login does. Answers are read from standard input, so the wizard can\n"
    "also be driven through a pipe. Exit status: 0 finished, 1 cancelled, too many wrong codes\n"
    "or the current code refused, 2 bad input.";

// Ends the wizard without writing anything. `note`: what stays of the confirming login.
int cancelled(std::string_view why, std::string_view note) {
    report_note(fmt::format("{}: setup cancelled, nothing was changed{}", why, note));
    return exit_rejected;
}

// Prints what is shown so far before waiting for input (stdout may be a pipe). A line too long
// for any answer (a mistaken paste) is answered and asked again: the user may already have
// added the secret to their app, and must not have to start over.
cli_result<std::optional<std::string>> ask(std::string_view prompt) {
    for (;;) {
        std::fflush(stdout);
        auto answer = read_line(prompt);
        if (answer || !is_line_too_long(answer.error())) return answer;
        fmt::print("That line is too long for an answer. Try again.\n");
    }
}

bool is_cancel(std::string_view answer) { return answer == "cancel" || answer == "q" || answer == "quit"; }

// Prints the QR code of the pending secret's URI, drawn into text that is wiped afterwards.
void print_pending_qr(const wizard& w) {
    const auto code = w.qr();
    if (!code) {
        fmt::print("(no QR code: {})\n", describe(code.error()));
        return;
    }
    const auto drawn = render_qr(*code, output_format::utf8);
    if (!drawn) {
        fmt::print("({})\n", drawn.error());
        return;
    }
    write_secret(drawn->text());
}

// Page 1: the QR code; "s" shows the setup code; Enter is Next. False when cancelled.
cli_result<bool> show_secret_page(wizard& w) {
    fmt::print(
        "Step 1 of 3: scan this QR code with the TOTP authenticator app on your desktop or\n"
        "mobile device.\n\n");
    print_pending_qr(w);
    fmt::print("\n");
    fmt::print(
        "Can't scan it? Type \"s\" and press Enter for the setup code to enter in the app instead.\n"
        "Press Enter for Next (or type \"cancel\").\n");
    for (;;) {
        auto answer = ask("> ");
        if (!answer) return cli_error(answer.error());
        if (!*answer || is_cancel(**answer)) return false;
        if (**answer == "s" || **answer == "setup code") {
            auto code = sensitive_text::of_size(secret::max_setup_code_size);  // wiped also on a throw
            const auto size = w.reveal_setup_code(std::span<char>(code.data(), code.size()));
            if (!size) return cli_error(fmt::format("setup code: {}", describe(size.error())));
            fmt::print("Setup code: ");
            print_secret_line(std::string_view(code.text().data(), *size));
            fmt::print("(time-based, SHA1, 6 digits, 30 seconds: the defaults of every app)\n");
            continue;
        }
        if (!(*answer)->empty()) {
            fmt::print("Type \"s\" for the setup code, or press Enter for Next.\n");
            continue;
        }
        if (const auto moved = w.next(); !moved) return cli_error(std::string(describe(moved.error())));
        return true;
    }
}

enum class page_outcome { done, back, cancelled, aborted };

// Page 2: "Verify Authentication Setup".
cli_result<page_outcome> verify_setup_page(wizard& w, const parsed_arguments& args) {
    fmt::print(
        "\nStep 2 of 3: Verify Authentication Setup\n"
        "(Type \"b\" to go back to the QR code, or \"cancel\".)\n");
    for (;;) {
        auto answer = ask("Enter the six-digit code generated by your authenticator app: ");
        if (!answer) return cli_error(answer.error());
        if (!*answer || is_cancel(**answer)) return page_outcome::cancelled;
        if (**answer == "b" || **answer == "back") {
            // Back to page 1; the wrong codes typed so far still count.
            if (const auto moved = w.back(); !moved) return cli_error(std::string(describe(moved.error())));
            return page_outcome::back;
        }
        const auto now = login_time(args);
        if (!now) return cli_error(now.error());
        const auto submitted = w.submit_code(**answer, *now);
        detail::secure_wipe_bytes((*answer)->data(), (*answer)->size());
        if (submitted) return page_outcome::done;
        switch (submitted.error()) {
            case errc::wrong_code:
                fmt::print(
                    "That code is not right ({} attempt{} left). Check the app shows \"{}\" and try the "
                    "next code.\n",
                    w.attempts_left(), w.attempts_left() == 1 ? "" : "s",
                    w.enrollment() ? w.enrollment()->issuer() : "");
                continue;
            case errc::malformed_code: fmt::print("Type the 6 digits the app shows.\n"); continue;
            case errc::setup_aborted: return page_outcome::aborted;
            default: return cli_error(std::string(describe(submitted.error())));
        }
    }
}

// Page 3: the backup codes and their "Download". False when cancelled.
cli_result<bool> backup_codes_page(const wizard& w, const parsed_arguments& args) {
    const auto codes = w.backup_codes();
    if (!codes) return cli_error(std::string(describe(codes.error())));
    fmt::print(
        "\nStep 3 of 3: your 10 backup codes. Each signs you in once when you cannot use the app.\n\n");
    for (std::size_t i = 0; i < codes->size(); ++i) {
        auto grouped = (*codes)[i].reveal_grouped();
        fmt::print("{:>4}. ", i + 1);
        print_secret_line(std::string_view(grouped.data(), grouped.size()));
        detail::secure_wipe(grouped);
    }
    if (const auto file = args.value(enroll_backup_codes_option.name)) {
        fmt::print("\nWhen you Finish, they are saved to {} (mode 0600), your download.\n",
                   quoted_path(*file));
    } else {
        fmt::print("\nSave them now (or run again with --backup-codes FILE to download them).\n");
    }
    fmt::print(
        "Note: it is best practice to save your new backup codes immediately to avoid getting\n"
        "locked out of your account. Treat them with the same level of security as a password.\n"
        "Press Enter to Finish (or type \"cancel\").\n");
    for (;;) {
        auto answer = ask("> ");
        if (!answer) return cli_error(answer.error());
        if (!*answer || is_cancel(**answer)) return false;
        if ((*answer)->empty()) return true;
        fmt::print("Press Enter to Finish (or type \"cancel\").\n");
    }
}

// Reconfiguring: a login with the current secret or a backup code, stored like any login (the
// code is used up, even if the wizard is then cancelled: `cancel_note` says so for a backup
// code). The record as it is now, or the exit status (already reported).
result<stored_account, int> confirm_current_factor(const std::string& path, const parsed_arguments& args,
                                                   std::string& cancel_note) {
    if (const auto flushed = flush_standard_output(); !flushed)
        return unexpected(report_error(flushed.error()));
    auto typed = read_code_for(path, code_or_backup_prompt);
    if (!typed) return unexpected(typed.error());
    const wiped_on_exit wipe{*typed};
    const auto accepted = login_and_store(path, code_time(args), *typed, false);
    if (!accepted) return unexpected(accepted.error());
    const login_match& match = *accepted->match;
    fmt::print("Confirmed: {}.\n", describe_match(match));
    if (match.method == login_method::backup_code)
        cancel_note = fmt::format(" (the backup code you confirmed with stays used: {} of {} left)",
                                  match.backup_codes_remaining, stored_account::backup_codes_type::count);
    auto current = load_account(path);
    if (!current) return unexpected(report_error(current.error()));
    return std::move(*current);
}

// Writes the download text to `path` (mode 0600), keeping what was there to put it back.
cli_result<file_backup> save_download(const wizard& w, const std::string& path,
                                      std::chrono::year_month_day date) {
    const auto size = w.download_text_size(date);
    if (!size) return cli_error(std::string(describe(size.error())));
    std::string text(*size, '\0');
    (void)w.download_text(text, date);
    auto replaced = file_backup::replace(path, text, 0600);
    detail::secure_wipe_bytes(text.data(), text.size());
    return replaced;
}

}  // namespace

int run_enroll(std::span<const std::string_view> args) {
    const auto start =
        start_account_command(args, {"enroll", enroll_usage, enroll_description, enroll_options});
    if (!start) return start.error();
    const parsed_arguments& parsed = start->arguments;
    const std::string& path = start->path;
    const auto issuer = parsed.value(enroll_issuer_option.name);
    const auto account = parsed.value(enroll_account_option.name);

    if (issuer && issuer->empty()) return report_error("--issuer: empty");
    // An existing state file means reconfiguring; a damaged one is never overwritten.
    const auto download = parsed.value(enroll_backup_codes_option.name);
    if (download && same_file(path, std::string(*download)))
        return report_error("--backup-codes: that is the state file; choose another file for the download");
    const auto current = load_account_if_present(path);
    if (!current) return report_error(current.error());
    // Finish writes these: a hopeless path is refused now, before the user adds a secret to an
    // authenticator app for an account that would never be enrolled.
    if (const auto writable = check_writable_location(path); !writable)
        return report_error(fmt::format("--state: {}", writable.error()));
    if (download) {
        if (const auto writable = check_writable_location(std::string(*download)); !writable)
            return report_error(fmt::format("--backup-codes: {}", writable.error()));
    }

    result<wizard> started = unexpected(errc::empty_secret);
    std::string cancel_note;
    if (*current) {
        const otpauth_uri& enrolled = (*current)->enrollment();
        if ((issuer && *issuer != enrolled.issuer()) || (account && *account != enrolled.account()))
            return report_error(
                fmt::format("{} is enrolled for {} at {}: --issuer/--account must match (or be "
                            "left out) to reconfigure it",
                            quoted_path(path), quoted(enrolled.account()), quoted(enrolled.issuer())));
        fmt::print(
            "Two-factor Authentication is on for {} ({}): this sets it up again with a new secret and new\n"
            "backup codes; the current ones keep working until you Finish.\n"
            "First confirm it is you with a code from your authenticator app or a backup code.\n",
            enrolled.account(), enrolled.issuer());
        // Changing the second factor takes the second factor, as a login: a wrong code counts
        // towards the lockout, and during a lockout nothing is checked.
        const auto confirmed = confirm_current_factor(path, parsed, cancel_note);
        if (!confirmed) return confirmed.error();
        started = wizard::reconfigure(*confirmed);
        fmt::print("\n");
    } else {
        if (!issuer) return report_error("missing required option --issuer");
        if (!account) return report_error("missing required option --account");
        started = wizard::start(*issuer, *account);
        if (started) fmt::print("Two-factor Authentication for {} ({})\n\n", *account, *issuer);
    }
    if (!started) {
        switch (started.error()) {
            case errc::invalid_label:
            case errc::invalid_utf8:
            case errc::label_too_long:
            case errc::missing_account_name:
                return report_error(fmt::format("--issuer/--account: {}", describe(started.error())));
            default: return report_error(describe(started.error()));
        }
    }
    wizard& w = *started;

    cli_result<page_outcome> verified = page_outcome::back;
    while (verified && *verified == page_outcome::back) {
        const auto shown = show_secret_page(w);
        if (!shown) return report_error(shown.error());
        if (!*shown) return cancelled("cancelled", cancel_note);
        verified = verify_setup_page(w, parsed);
    }
    if (!verified) return report_error(verified.error());
    if (*verified == page_outcome::cancelled) return cancelled("cancelled", cancel_note);
    if (*verified == page_outcome::aborted) {
        report_note("too many wrong codes: setup abandoned, nothing was changed; run it again");
        return exit_rejected;
    }
    const auto saved = backup_codes_page(w, parsed);
    if (!saved) return report_error(saved.error());
    if (!*saved) return cancelled("cancelled", cancel_note);

    // Finish: the download first, then the state; if the state cannot be stored, the download
    // is put back as it was, so a failed Finish changes nothing either. Backup codes that never
    // reached the screen (stdout failed) must not become the only ones. Ctrl-C waits until
    // both files are written (or put back).
    const signals_deferred finishing;
    if (const auto shown = flush_standard_output(); !shown)
        return report_error(shown.error() + ": the backup codes were not shown; nothing was changed");
    const auto now = login_time(parsed);
    if (!now) return report_error(now.error());
    std::optional<file_backup> previous_download;
    if (download) {
        auto saved_download = save_download(w, std::string(*download), utc_date(*now));
        if (!saved_download) return report_error(saved_download.error());
        previous_download.emplace(std::move(*saved_download));
    }
    const auto record = w.finish();
    if (!record) return report_error(std::string(describe(record.error())));
    const auto stored =
        *current
            ? store_reconfiguration(path, [&](const stored_account& now) { return w.record_replacing(now); })
            : store_new_account(path, *record);
    if (!stored) {
        if (previous_download) (void)previous_download->restore();
        return report_error(stored.error());
    }
    if (download) fmt::print("\nDownloaded to {} (mode 0600).\n", quoted_path(*download));
    fmt::print(
        "\nYou have successfully configured two-factor authentication: state saved to {}.\n"
        "Sign in with 'twofactor login'; reconfigure with 'twofactor enroll', new backup codes with\n"
        "'twofactor backup-codes --regenerate', turn it off with 'twofactor disable'.\n",
        quoted_path(path));
    return exit_ok;
}

}  // namespace twofactor::cli
