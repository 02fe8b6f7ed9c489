// Driving an interactive program from a test, as a user would: the child's standard input,
// output and error are either three pipes (a script feeding it) or one pseudo-terminal (a user
// at a terminal: isatty() is true in the child, the terminal is its controlling terminal, so
// Ctrl-C and Ctrl-D act as they would). The test sends lines, waits until the output matches a
// regular expression or a timeout expires (everything read is kept), and collects the exit
// status. The destructor kills and reaps a child that is still running.
//
// Only POSIX and Linux calls that glibc has in libc (posix_openpt, not openpty: no -lutil).
#pragma once

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace twofactor_test {

/// How the child's standard streams are connected.
enum class console {
    pipes,     ///< stdin, stdout and stderr are three pipes
    terminal,  ///< all three are one pseudo-terminal, the child's controlling terminal
};

/// Which output an expectation reads. With console::terminal both are the one screen.
enum class output_stream { out, err };

/// What `expect` found: the text between the end of the previous match (on that stream) and
/// this one, the match itself, and its sub-matches (groups[0] is the whole match).
struct expect_match {
    std::string before;
    std::vector<std::string> groups;
};

class interactive_process {
public:
    using milliseconds = std::chrono::milliseconds;
    /// Generous: a step of the program under a sanitizer may take seconds.
    static constexpr milliseconds default_timeout{60'000};

    /// Starts `program` (a path; no PATH search) with `args`, connected as `how` says.
    interactive_process(const std::string& program, const std::vector<std::string>& args, console how)
        : terminal_(how == console::terminal) {
        std::vector<std::string> storage{program};
        storage.insert(storage.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& s : storage) argv.push_back(s.data());
        argv.push_back(nullptr);

        int child_in = -1;
        int child_out = -1;
        int child_err = -1;
        if (terminal_) {
            out_fd_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
            BOOST_REQUIRE_MESSAGE(out_fd_ >= 0, "posix_openpt: " << std::strerror(errno));
            char name[128];
            BOOST_REQUIRE_MESSAGE(::grantpt(out_fd_) == 0 && ::unlockpt(out_fd_) == 0 &&
                                      ::ptsname_r(out_fd_, name, sizeof name) == 0,
                                  "cannot set up the pseudo-terminal: " << std::strerror(errno));
            // Opened here, before the child exists: the terminal has a reader from the start.
            child_in = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
            BOOST_REQUIRE_MESSAGE(child_in >= 0, "cannot open " << name << ": " << std::strerror(errno));
            const winsize size{24, 80, 0, 0};
            (void)::ioctl(child_in, TIOCSWINSZ, &size);
            termios modes{};
            if (::tcgetattr(child_in, &modes) == 0) {
                eof_char_ = static_cast<char>(modes.c_cc[VEOF]);
                interrupt_char_ = static_cast<char>(modes.c_cc[VINTR]);
            }
            child_out = child_in;
            child_err = child_in;
            in_fd_ = out_fd_;
        } else {
            int in_pipe[2];
            int out_pipe[2];
            int err_pipe[2];
            BOOST_REQUIRE(::pipe2(in_pipe, O_CLOEXEC) == 0);
            BOOST_REQUIRE(::pipe2(out_pipe, O_CLOEXEC) == 0);
            BOOST_REQUIRE(::pipe2(err_pipe, O_CLOEXEC) == 0);
            child_in = in_pipe[0];
            in_fd_ = in_pipe[1];
            out_fd_ = out_pipe[0];
            child_out = out_pipe[1];
            err_fd_ = err_pipe[0];
            child_err = err_pipe[1];
        }

        pid_ = ::fork();
        if (pid_ == 0) {
            // The child: only async-signal-safe calls until exec.
            if (terminal_) {
                (void)::setsid();
                (void)::ioctl(child_in, TIOCSCTTY, 0);
            }
            ::dup2(child_in, 0);  // dup2 clears close-on-exec on the copies
            ::dup2(child_out, 1);
            ::dup2(child_err, 2);
            sigset_t none;
            ::sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            ::signal(SIGPIPE, SIG_DFL);
            ::signal(SIGINT, SIG_DFL);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        const int fork_error = errno;
        ::close(child_in);
        if (!terminal_) {
            ::close(child_out);
            ::close(child_err);
        }
        BOOST_REQUIRE_MESSAGE(pid_ > 0, "fork: " << std::strerror(fork_error));
    }

    interactive_process(const interactive_process&) = delete;
    interactive_process& operator=(const interactive_process&) = delete;

    ~interactive_process() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
        }
        close_fd(err_fd_);
        if (in_fd_ != out_fd_) close_fd(in_fd_);
        close_fd(out_fd_);
    }

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }
    [[nodiscard]] bool is_terminal() const noexcept { return terminal_; }

    /// Writes `bytes` to the child's input; false when it no longer reads (it has exited).
    bool send(std::string_view bytes) {
        if (in_fd_ < 0) return false;
        // A pipe whose reader is gone raises SIGPIPE: blocked here and taken back if it came.
        sigset_t pipe_signal;
        sigset_t previous;
        ::sigemptyset(&pipe_signal);
        ::sigaddset(&pipe_signal, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
        bool written = true;
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(in_fd_, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                written = false;
                break;
            }
            done += static_cast<std::size_t>(n);
        }
        if (!written && errno == EPIPE) {
            const timespec no_wait{0, 0};
            while (::sigtimedwait(&pipe_signal, nullptr, &no_wait) < 0 && errno == EINTR) {
            }
        }
        ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        return written;
    }

    /// send() of `line` and a newline (what Enter sends).
    bool send_line(std::string_view line) { return send(std::string(line) + '\n'); }

    /// End of input: closes the pipe, or types Ctrl-D (VEOF) on the terminal, which ends input
    /// at the start of a line.
    void close_input() {
        if (terminal_) {
            (void)send(std::string_view(&eof_char_, 1));
        } else {
            close_fd(in_fd_);
        }
    }

    /// Ctrl-C: on the terminal, the interrupt character (the line discipline signals the
    /// child's foreground process group); with pipes, SIGINT to the child.
    void interrupt() {
        if (terminal_) {
            (void)send(std::string_view(&interrupt_char_, 1));
        } else if (!reaped_) {
            ::kill(pid_, SIGINT);
        }
    }

    /**
     * Reads output until `pattern` matches the text of `stream` after the previous match on
     * it, or until `timeout` expires or the output ends. On a match the consumed position
     * moves to the end of the match.
     */
    std::optional<expect_match> expect(const std::regex& pattern, output_stream stream = output_stream::out,
                                       milliseconds timeout = default_timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const std::string& text = buffer(stream);
            std::size_t& from = position(stream);
            std::smatch found;
            if (std::regex_search(text.cbegin() + static_cast<std::ptrdiff_t>(from), text.cend(), found,
                                  pattern)) {
                expect_match result;
                result.before = text.substr(from, static_cast<std::size_t>(found.position(0)));
                for (const auto& group : found) result.groups.push_back(group.str());
                from += static_cast<std::size_t>(found.position(0) + found.length(0));
                return result;
            }
            if (all_output_ended()) return std::nullopt;
            const auto left = deadline - std::chrono::steady_clock::now();
            if (left <= milliseconds::zero()) return std::nullopt;
            pump(std::chrono::duration_cast<milliseconds>(left) + milliseconds{1});
        }
    }

    std::optional<expect_match> expect(const std::string& pattern, output_stream stream = output_stream::out,
                                       milliseconds timeout = default_timeout) {
        return expect(std::regex(pattern), stream, timeout);
    }

    /// `expect`, or the test stops (BOOST_REQUIRE) saying why nothing matched, with the transcript.
    expect_match require(const std::string& pattern, output_stream stream = output_stream::out) {
        auto found = expect(pattern, stream);
        BOOST_REQUIRE_MESSAGE(found.has_value(),
                              "no output matching /"
                                  << pattern << "/ "
                                  << (output_ended()
                                          ? std::string("before the output ended")
                                          : "within " + std::to_string(default_timeout.count()) + " ms")
                                  << transcript());
        return std::move(*found);
    }

    /**
     * Waits until the child has exited and its output ended (reading it all): the exit status,
     * 128 + the signal number when a signal ended it, or -1 when `timeout` expired (the child
     * is then killed).
     */
    int wait_exit(milliseconds timeout = default_timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!all_output_ended()) {
            const auto left = deadline - std::chrono::steady_clock::now();
            if (left <= milliseconds::zero()) break;
            pump(std::chrono::duration_cast<milliseconds>(left) + milliseconds{1});
        }
        while (!reaped_) {
            int status = 0;
            const pid_t done = ::waitpid(pid_, &status, WNOHANG);
            if (done == pid_) {
                reaped_ = true;
                status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                break;
            }
            if (done < 0 && errno != EINTR) break;
            if (std::chrono::steady_clock::now() >= deadline) {
                ::kill(pid_, SIGKILL);
                while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
                }
                reaped_ = true;
                status_ = -1;
                break;
            }
            const timespec pause{0, 5'000'000};
            ::nanosleep(&pause, nullptr);
        }
        // What a killed child left in the buffers.
        pump(milliseconds::zero());
        return status_;
    }

    /// Whether all output has ended (the child exited, or closed its output).
    [[nodiscard]] bool output_ended() const noexcept { return all_output_ended(); }

    /// Everything read so far from standard output (the whole screen with console::terminal).
    [[nodiscard]] const std::string& out() const noexcept { return out_; }
    /// Everything read so far from standard error (empty with console::terminal).
    [[nodiscard]] const std::string& err() const noexcept { return err_; }

    /// For failure messages: the end of what was read, stdout then stderr.
    [[nodiscard]] std::string transcript(std::size_t last = 3000) const {
        const auto tail = [last](const std::string& s) {
            return s.size() <= last ? s : "..." + s.substr(s.size() - last);
        };
        std::string text = "\n--- output ---\n" + tail(out_);
        if (!terminal_) text += "\n--- stderr ---\n" + tail(err_);
        return text + "\n--- end ---";
    }

private:
    static void close_fd(int& fd) noexcept {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }

    [[nodiscard]] std::string& buffer(output_stream stream) noexcept {
        return terminal_ || stream == output_stream::out ? out_ : err_;
    }
    [[nodiscard]] std::size_t& position(output_stream stream) noexcept {
        return terminal_ || stream == output_stream::out ? out_position_ : err_position_;
    }
    [[nodiscard]] bool all_output_ended() const noexcept {
        return out_fd_closed_ && (terminal_ || err_fd_ < 0);
    }

    // Waits up to `timeout` for output and reads what is there. A terminal's master side
    // reports EIO once no process has the terminal open: the end of its output.
    void pump(milliseconds timeout) {
        pollfd fds[2];
        std::string* sinks[2];
        nfds_t count = 0;
        if (!out_fd_closed_) {
            fds[count] = {out_fd_, POLLIN, 0};
            sinks[count++] = &out_;
        }
        if (err_fd_ >= 0) {
            fds[count] = {err_fd_, POLLIN, 0};
            sinks[count++] = &err_;
        }
        if (count == 0) return;
        const auto wait = std::min<milliseconds::rep>(timeout.count(), 1'000'000);
        if (::poll(fds, count, static_cast<int>(wait)) <= 0) return;  // timeout, or EINTR
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0) continue;
            char chunk[4096];
            const ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
            if (n > 0) {
                sinks[i]->append(chunk, static_cast<std::size_t>(n));
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                if (fds[i].fd == err_fd_) {
                    close_fd(err_fd_);
                } else {
                    out_fd_closed_ = true;  // the terminal's master still takes input: kept open
                    if (!terminal_) close_fd(out_fd_);
                }
            }
        }
    }

    bool terminal_;
    pid_t pid_ = -1;
    bool reaped_ = false;
    int status_ = -1;
    int in_fd_ = -1;
    int out_fd_ = -1;  // with console::terminal, also in_fd_: the master side
    bool out_fd_closed_ = false;
    int err_fd_ = -1;
    char eof_char_ = '\x04';
    char interrupt_char_ = '\x03';
    std::string out_;
    std::string err_;
    std::size_t out_position_ = 0;
    std::size_t err_position_ = 0;
};

}  // namespace twofactor_test
