// twofactor command-line tool: reading what the user types (see user_input.hpp).
#include "user_input.hpp"

#include <poll.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include <fmt/core.h>
#include <twofactor/detail/bytes.hpp>

namespace twofactor::cli {

namespace {

// Waits until a non-blocking standard input has something to read; false on failure.
bool wait_for_input() noexcept {
    pollfd input{0, POLLIN, 0};
    while (::poll(&input, 1, -1) < 0) {
        if (errno != EINTR) return false;
    }
    return true;
}

void forget(std::string& line) noexcept {
    detail::secure_wipe_bytes(line.data(), line.size());
    line.clear();
}

}  // namespace

bool standard_input_is_terminal() noexcept { return ::isatty(0) == 1; }

constexpr std::string_view line_too_long = "input line too long";

cli_result<std::optional<std::string>> read_line(std::string_view prompt, std::size_t max_length) {
    const bool terminal = standard_input_is_terminal();
    if (terminal && !prompt.empty()) {
        fmt::print(stderr, "{}", prompt);
        std::fflush(stderr);
    }

    std::string line;
    line.reserve(max_length + 2);  // all at once: growing would free copies of the line unwiped
    bool read_any = false;
    bool newline = false;
    bool too_long = false;
    for (;;) {
        char byte = 0;
        const ssize_t count = ::read(0, &byte, 1);
        if (count < 0) {
            const int error = errno;
            if (error == EINTR) continue;
            if ((error == EAGAIN || error == EWOULDBLOCK) && wait_for_input()) continue;
            forget(line);
            // Whatever is printed next starts on its own line, not after the prompt.
            if (terminal) std::fputc('\n', stderr);
            return cli_error(fmt::format("cannot read standard input: {}", std::strerror(error)));
        }
        if (count == 0) break;
        read_any = true;
        if (byte == '\n') {
            newline = true;
            break;
        }
        if (too_long) continue;
        line += byte;
        // One byte over the limit may still be the '\r' of "\r\n".
        if (line.size() > max_length && (line.size() - max_length > 1 || byte != '\r')) {
            too_long = true;
            forget(line);
        }
    }
    if (terminal && !newline) std::fputc('\n', stderr);
    if (!read_any) return std::optional<std::string>();
    if (newline && !line.empty() && line.back() == '\r') line.pop_back();
    if (too_long || line.size() > max_length) {
        forget(line);
        return cli_error(fmt::format("{} (more than {} characters)", line_too_long, max_length));
    }
    return std::optional<std::string>(std::move(line));
}

bool is_line_too_long(std::string_view error) { return error.starts_with(line_too_long); }

}  // namespace twofactor::cli
