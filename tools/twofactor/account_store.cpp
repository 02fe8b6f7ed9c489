// twofactor command-line tool: the account state file (see account_store.hpp).
#include "account_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/core.h>

#include <twofactor/detail/bytes.hpp>

#include "atomic_file.hpp"
#include "sensitive_text.hpp"
#include "state_file.hpp"
#include "user_input.hpp"

namespace twofactor::cli {

namespace {

constexpr mode_t state_file_mode = 0600;

cli_result<void> write_record(const std::string& path, const stored_account& record) {
    const sensitive_text text(record.serialize());
    return write_file_atomically(path, text.text(), state_file_mode);
}

// What a hand edit may have done that the line of the error does not show.
std::string_view edit_hint(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) return ": it starts with a UTF-8 byte-order mark";
    if (text.find("\r\n") != std::string_view::npos) return ": it has Windows (CRLF) line ends";
    return "";
}

std::string corrupt_message(const std::string& path, std::string_view text, record_error error) {
    if (error.line == 0)
        return fmt::format("state file {} is corrupt: {}{}", quoted_path(path), describe(error.code),
                           edit_hint(text));
    return fmt::format("state file {} is corrupt: {} (line {}){}", quoted_path(path), describe(error.code),
                       error.line, edit_hint(text));
}

}  // namespace

std::string state_path(const parsed_arguments& args) {
    const auto given = args.value(state_option.name);
    std::string path(given ? *given : default_state_file_name);
    struct stat status {};
    if (::lstat(path.c_str(), &status) == 0 && S_ISLNK(status.st_mode)) {
        if (char* target = ::realpath(path.c_str(), nullptr)) {
            path = target;
            std::free(target);
        }
    }
    return path;
}

cli_result<std::chrono::sys_seconds> login_time(const parsed_arguments& args) {
    const auto given = args.value(login_time_option.name);
    if (!given) return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto seconds = parse_int64(*given);
    if (!seconds) return cli_error(fmt::format("--time: not a whole number of seconds: {}", quoted(*given)));
    // Lockout times are printed as dates and subtracted from this: keep to the years 1970-9999.
    constexpr std::int64_t last_second_of_9999 = 253'402'300'799;
    if (*seconds < 0 || *seconds > last_second_of_9999)
        return cli_error(
            fmt::format("--time: out of range (0 to {}, the years 1970 to 9999)", last_second_of_9999));
    return std::chrono::sys_seconds{std::chrono::seconds{*seconds}};
}

std::chrono::sys_seconds code_time(const parsed_arguments& args) {
    if (const auto given = login_time(args)) return *given;
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

result<account_command_start, int> start_account_command(std::span<const std::string_view> args,
                                                         const account_command& command) {
    auto parsed = parse_arguments(args, command.options, 0, command.name);
    if (!parsed) return unexpected(report_error(parsed.error()));
    if (parsed->help_requested()) {
        print_command_help(command.usage, command.description, command.options);
        return unexpected(exit_ok);
    }
    // A bad --time is reported before anything is asked.
    if (const auto time = login_time(*parsed); !time) return unexpected(report_error(time.error()));
    std::string path = state_path(*parsed);
    return account_command_start{std::move(*parsed), std::move(path)};
}

cli_result<stored_account> load_account(const std::string& path) {
    auto contents = read_state_file(path);
    if (!contents) return cli_error(contents.error());
    const sensitive_text text(std::move(*contents));  // moved, not copied: the one copy is wiped
    auto record = stored_account::parse(text.text());
    if (!record) return cli_error(corrupt_message(path, text.text(), record.error()));
    return std::move(*record);
}

cli_result<state_lock> state_lock::acquire(const std::string& path) {
    const int folder = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0)
        return cli_error(fmt::format("{}: cannot open its folder to lock it: {}", quoted_path(path),
                                     std::strerror(errno)));
    while (::flock(folder, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        ::close(folder);
        return cli_error(
            fmt::format("{}: cannot lock its folder: {}", quoted_path(path), std::strerror(error)));
    }
    return state_lock(folder);
}

state_lock::~state_lock() {
    if (descriptor_ >= 0) ::close(descriptor_);  // closing releases the flock
}

cli_result<void> update_account(
    const std::string& path, const std::function<cli_result<account_update>(const stored_account&)>& decide) {
    const auto lock = state_lock::acquire(path);
    if (!lock) return cli_error(lock.error());
    remove_stale_temporaries(path);
    const auto current = load_account(path);
    if (!current) return cli_error(current.error());
    const auto update = decide(*current);
    if (!update) return cli_error(update.error());
    if (update->remove) return remove_state_file(path);
    if (update->store) return write_record(path, *update->store);
    return {};
}

cli_result<void> store_reconfiguration(
    const std::string& path, const std::function<result<stored_account>(const stored_account&)>& successor) {
    const auto lock = state_lock::acquire(path);
    if (!lock) return cli_error(lock.error());
    remove_stale_temporaries(path);
    const auto current = load_account(path);
    if (!current) return cli_error(current.error());
    const auto next = successor(*current);
    if (!next && next.error() == errc::record_replaced)
        return cli_error(fmt::format(
            "state file {} was set up again while this command ran; nothing was written", quoted_path(path)));
    if (!next) return cli_error(std::string(describe(next.error())));
    return write_record(path, *next);
}

cli_result<std::optional<stored_account>> load_account_if_present(const std::string& path) {
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0 && errno == ENOENT) return std::optional<stored_account>();
    auto loaded = load_account(path);
    if (!loaded) return cli_error(loaded.error());
    return std::optional<stored_account>(std::move(*loaded));
}

cli_result<void> store_new_account(const std::string& path, const stored_account& record) {
    const auto lock = state_lock::acquire(path);
    if (!lock) return cli_error(lock.error());
    remove_stale_temporaries(path);
    struct stat status {};
    if (::lstat(path.c_str(), &status) == 0 || errno != ENOENT)
        return cli_error(fmt::format("state file {} appeared while this command ran; nothing was written",
                                     quoted_path(path)));
    return write_record(path, record);
}

cli_result<std::string> read_typed_code(std::string_view prompt) {
    auto line = read_line(prompt);
    if (!line) return cli_error(line.error());
    if (!*line) return cli_error("no code given (end of input); nothing was changed");
    return std::move(**line);
}

std::chrono::year_month_day utc_date(std::chrono::sys_seconds time) {
    return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(time)};
}

std::string format_utc(std::chrono::sys_seconds time) {
    const auto day = std::chrono::floor<std::chrono::days>(time);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss clock{time - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

int report_login_failure(const login_outcome<10, sha256>& outcome, std::chrono::sys_seconds now) {
    const errc error = outcome.match.error();
    const std::uint32_t failures = outcome.record.consecutive_failures();
    const std::string attempts = failures == 1 ? std::string("1 failed attempt")
                                               : fmt::format("{} failed attempts in a row", failures);
    switch (error) {
        case errc::locked_out:
        case errc::wrong_code:
        case errc::replayed_code:
        case errc::backup_code_used: {
            std::string message = error == errc::locked_out
                                      ? std::string("rejected: too many failed attempts")
                                      : fmt::format("rejected: {} ({})", describe(error), attempts);
            if (outcome.locked_until && *outcome.locked_until > now)
                message +=
                    fmt::format("; locked out until {} ({} s from now): no code is checked before then",
                                format_utc(*outcome.locked_until), (*outcome.locked_until - now).count());
            report_note(message);
            return exit_rejected;
        }
        case errc::malformed_login_input:
            return report_error("not a code: type the digits your authenticator app shows, or a backup code");
        case errc::malformed_code:
            return report_error(fmt::format("not a code: the account's codes have {} digits",
                                            outcome.record.enrollment().digits()));
        case errc::time_before_epoch: return report_error("the time is before the account's T0");
        default: return report_error(describe(error));
    }
}

std::string describe_match(const login_match& match) {
    if (match.method == login_method::backup_code)
        return fmt::format("backup code accepted; {} of {} left", match.backup_codes_remaining,
                           stored_account::backup_codes_type::count);
    return fmt::format("code accepted (time step {}, offset {})", match.step, match.offset);
}

wiped_on_exit::~wiped_on_exit() { detail::secure_wipe_bytes(text.data(), text.size()); }

result<std::string, int> read_code_for(const std::string& path, std::string_view prompt) {
    if (const auto loaded = load_account(path); !loaded) return unexpected(report_error(loaded.error()));
    auto typed = read_typed_code(prompt);
    if (!typed) return unexpected(report_error(typed.error()));
    return std::move(*typed);
}

result<login_outcome<10, sha256>, int> login_and_store(const std::string& path, std::chrono::sys_seconds now,
                                                       const std::string& typed, bool remove_on_success) {
    std::optional<login_outcome<10, sha256>> outcome;
    const auto updated =
        update_account(path, [&](const stored_account& current) -> cli_result<account_update> {
            outcome.emplace(login(current, typed, now));
            account_update update;
            if (outcome->match && remove_on_success)
                update.remove = true;
            else if (outcome->record_changed)
                update.store = outcome->record;
            return update;
        });
    if (!updated) return unexpected(report_error(updated.error()));
    if (!outcome->match) return unexpected(report_login_failure(*outcome, now));
    return std::move(*outcome);
}

}  // namespace twofactor::cli
