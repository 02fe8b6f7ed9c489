// twofactor command-line tool: generic argument parsing, help text and error reporting.
#include "command_line.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <system_error>

#include <fmt/core.h>

namespace twofactor::cli {

std::optional<std::string_view> parsed_arguments::value(std::string_view name) const {
    for (const auto& [option, value] : options_) {
        if (option == name) return value;
    }
    return std::nullopt;
}

bool parsed_arguments::has(std::string_view name) const { return value(name).has_value(); }

namespace {

bool is_help(std::string_view arg) { return arg == "--help" || arg == "-h"; }

// An argument that looks like an option: "--x", or "-x" that is not a negative number.
bool looks_like_option(std::string_view arg) {
    if (arg.size() < 2 || arg[0] != '-') return false;
    if (arg[1] == '-') return true;
    return !(arg[1] >= '0' && arg[1] <= '9');
}

}  // namespace

cli_result<parsed_arguments> parse_arguments(std::span<const std::string_view> args,
                                             std::span<const option_spec> specs, std::size_t max_positionals,
                                             std::string_view command) {
    parsed_arguments parsed;
    for (const std::string_view arg : args) {
        if (arg == "--") break;
        if (is_help(arg)) {
            parsed.help_ = true;
            return parsed;
        }
    }

    const auto hint = [&] { return fmt::format(" (see 'twofactor {} --help')", command); };
    bool options_ended = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (options_ended || !looks_like_option(arg)) {
            if (!options_ended && arg == "--") {
                options_ended = true;
                continue;
            }
            if (parsed.positionals_.size() >= max_positionals) {
                // The argument itself is not repeated: it may be a misplaced secret.
                return cli_error(fmt::format("unexpected argument #{} after '{}'{}", i + 1, command, hint()));
            }
            parsed.positionals_.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_ended = true;
            continue;
        }

        const std::size_t equals = arg.find('=');
        const std::string_view name = arg.substr(0, equals);
        const auto spec =
            std::find_if(specs.begin(), specs.end(), [&](const option_spec& s) { return s.name == name; });
        if (spec == specs.end()) {
            return cli_error(fmt::format("unknown option {}{}", quoted(name), hint()));
        }
        if (parsed.has(name)) {
            return cli_error(fmt::format("{} given more than once", name));
        }

        std::string_view value;
        if (spec->value_name.empty()) {
            if (equals != std::string_view::npos) {
                return cli_error(fmt::format("{} takes no value", name));
            }
        } else if (equals != std::string_view::npos) {
            value = arg.substr(equals + 1);
        } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
            value = args[++i];
        } else {
            return cli_error(fmt::format("{}: missing value ({} {})", name, name, spec->value_name));
        }
        parsed.options_.emplace_back(spec->name, value);
    }
    return parsed;
}

namespace {

// Quotes text for a one-line message: printable ASCII kept, '"' and '\\' escaped, every other
// byte as \xNN; at most `limit` characters of it, then "...".
std::string quote(std::string_view text, std::size_t limit) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else {
            out += fmt::format("\\x{:02X}", c);
        }
    }
    if (text.size() > limit) out += "...";
    out += '"';
    return out;
}

}  // namespace

std::string quoted(std::string_view text) {
    // A longer value could be a secret given to the wrong option: said by its length only.
    if (text.size() > max_quoted_size) return fmt::format("[{} characters, not shown]", text.size());
    return quote(text, max_quoted_size);
}

std::string quoted_path(std::string_view path) { return quote(path, path.size()); }

std::optional<std::int64_t> parse_int64(std::string_view text) noexcept {
    std::int64_t value = 0;
    const char* const end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value, 10);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

std::optional<std::uint64_t> parse_uint64(std::string_view text) noexcept {
    std::uint64_t value = 0;
    const char* const end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value, 10);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

namespace {

// fmt::print would throw when stderr cannot be written (a closed or full stream); with no one
// left to tell, the message is dropped and the exit status still says what happened.
void write_to_stderr(std::string_view prefix, std::string_view message) noexcept {
    (void)std::fwrite(prefix.data(), 1, prefix.size(), stderr);
    (void)std::fwrite(message.data(), 1, message.size(), stderr);
    (void)std::fputc('\n', stderr);
    (void)std::fflush(stderr);
}

}  // namespace

int report_error(std::string_view message) {
    write_to_stderr("twofactor: error: ", message);
    return exit_bad_input;
}

void write_secret(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
        throw std::system_error(errno, std::generic_category(), "cannot write to standard output");
}

void print_secret_line(std::string_view text) {
    write_secret(text);
    write_secret("\n");
}

void report_note(std::string_view message) { write_to_stderr("twofactor: ", message); }

cli_result<void> flush_standard_output() {
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0)
        return cli_error("cannot write to standard output");
    return {};
}

void print_command_help(std::string_view usage, std::string_view description,
                        std::span<const option_spec> specs) {
    fmt::print("usage: {}\n\n{}\n\noptions:\n", usage, description);
    std::size_t width = 0;
    for (const auto& spec : specs) {
        width = std::max(width, spec.name.size() + 1 + spec.value_name.size());
    }
    for (const auto& spec : specs) {
        const std::string left = spec.value_name.empty() ? std::string(spec.name)
                                                         : fmt::format("{} {}", spec.name, spec.value_name);
        fmt::print("  {:<{}}  {}\n", left, width, spec.help);
    }
    fmt::print("  {:<{}}  {}\n", "--help", width, "show this help and exit");
}

}  // namespace twofactor::cli
