// twofactor command-line tool: subcommand table and top-level dispatch.
#include "commands.hpp"

#include <algorithm>
#include <array>
#include <system_error>

#include <fmt/core.h>

#include <twofactor/version.hpp>

#include "command_line.hpp"

namespace twofactor::cli {

namespace {

constexpr std::array commands{
    command{"code", "print the one-time code for a secret (TOTP, or HOTP with --counter)", run_code},
    command{"verify", "check a one-time code against a secret (exit 0 accepted, 1 rejected)", run_verify},
    command{"uri", "print the otpauth:// URI for an authenticator app (the QR code's text)", run_uri},
    command{"import", "print the otpauth:// URIs of an authenticator app's export (otpauth-migration://)",
            run_import},
    command{"qr", "print a QR code of a text (the otpauth:// URI) for the terminal, or as SVG/PNG/PBM",
            run_qr},
    command{"enroll", "turn two-factor authentication on: the setup wizard (QR code, verify, backup codes)",
            run_enroll},
    command{"login", "sign in with a code or a backup code against the account state file", run_login},
    command{"backup-codes", "count the backup codes left, or --regenerate them", run_backup_codes},
    command{"disable", "turn two-factor authentication off (asks for a code)", run_disable},
};

void print_tool_help() {
    fmt::print(
        "usage: twofactor <command> [options]\n"
        "       twofactor <command> --help\n"
        "\n"
        "One-time codes for two-factor authentication: TOTP (RFC 6238) and HOTP (RFC 4226).\n"
        "\n"
        "commands:\n");
    std::size_t width = 0;
    for (const auto& c : commands) width = std::max(width, c.name.size());
    for (const auto& c : commands) fmt::print("  {:<{}}  {}\n", c.name, width, c.summary);
    fmt::print(
        "\n"
        "Exit status: 0 success, 1 code rejected (verify, login), 2 bad input (one line on stderr).\n");
}

}  // namespace

std::span<const command> all_commands() noexcept { return commands; }

namespace {

int dispatch(std::span<const std::string_view> args) {
    if (args.empty()) return report_error("missing command (see 'twofactor --help')");
    const std::string_view first = args.front();
    if (first == "--help" || first == "-h") {
        print_tool_help();
        return exit_ok;
    }
    if (first == "--version") {
        fmt::print("twofactor {}.{}.{}\n", TWOFACTOR_VERSION_MAJOR, TWOFACTOR_VERSION_MINOR,
                   TWOFACTOR_VERSION_PATCH);
        return exit_ok;
    }
    const auto found =
        std::find_if(commands.begin(), commands.end(), [&](const command& c) { return c.name == first; });
    if (found == commands.end()) {
        if (first.starts_with("-")) {
            return report_error(fmt::format("unknown option {} before the command (see 'twofactor --help')",
                                            quoted(first.substr(0, first.find('=')))));
        }
        // The word is echoed only when it looks like a command name: a misplaced secret never is.
        const bool looks_like_name =
            first.size() <= 15 && std::all_of(first.begin(), first.end(),
                                              [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
        if (!looks_like_name) return report_error("unknown command (see 'twofactor --help')");
        return report_error(fmt::format("unknown command {} (see 'twofactor --help')", quoted(first)));
    }
    return found->run(args.subspan(1));
}

}  // namespace

int run_tool(std::span<const std::string_view> args) {
    int status = exit_bad_input;
    try {
        status = dispatch(args);
    } catch (const std::system_error&) {
        // fmt::print throws when stdout refuses a write. Output a change depends on (new backup
        // codes) is flushed before the change is stored (see flush_standard_output).
        return report_error("cannot write to standard output");
    }
    // Buffered output is only known to be lost at the flush: an exit status of 0 must mean the
    // code, URI or help really reached stdout. (A command that failed has said why already.)
    const auto flushed = flush_standard_output();
    if (!flushed && status != exit_bad_input) return report_error(flushed.error());
    return status;
}

}  // namespace twofactor::cli
