// Running a program as a child process in a test: arguments without a shell, stdin from
// /dev/null (or from given text), stdout and stderr collected separately.
#pragma once

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace twofactor_test {

struct process_output {
    int status = -1;  ///< exit status, or 128 + the signal number when killed by a signal
    std::string out;
    std::string err;
};

/// For failure messages: the status and standard error (standard output may be binary).
inline std::ostream& operator<<(std::ostream& out, const process_output& r) {
    return out << "status " << r.status << ", stderr \"" << r.err << '"';
}

/// The twofactor tool's path, from the environment variable TWOFACTOR_CLI (ctest sets it).
inline std::string cli_path() {
    const char* path = std::getenv("TWOFACTOR_CLI");
    BOOST_REQUIRE_MESSAGE(path != nullptr && *path != '\0',
                          "TWOFACTOR_CLI is not set: it must name the twofactor executable "
                          "(ctest sets it; by hand: TWOFACTOR_CLI=build/gcc/tools/twofactor/twofactor)");
    BOOST_REQUIRE_MESSAGE(::access(path, X_OK) == 0,
                          "TWOFACTOR_CLI=" << path << " is not an executable file");
    return path;
}

/// Waits for a child: its exit status, or 128 + the signal number when a signal killed it.
inline int wait_process(pid_t pid) {
    int wait_status = 0;
    while (::waitpid(pid, &wait_status, 0) < 0) {
        if (errno != EINTR) BOOST_FAIL("waitpid: " << std::strerror(errno));
    }
    return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

/// A pipe's read end that already holds all of `input`, its write end closed: a child that
/// reads it gets `input` and then end of input, and the parent never blocks on it (nor gets
/// SIGPIPE when the child exits without reading). `input` must fit in the pipe (64 KiB).
inline int prefilled_input_pipe(std::string_view input) {
    int fds[2];
    BOOST_REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    const int capacity = ::fcntl(fds[1], F_GETPIPE_SZ);
    BOOST_REQUIRE_MESSAGE(capacity < 0 || input.size() <= static_cast<std::size_t>(capacity),
                          "prefilled_input_pipe: " << input.size() << " bytes do not fit in a pipe");
    std::size_t done = 0;
    while (done < input.size()) {
        const ssize_t n = ::write(fds[1], input.data() + done, input.size() - done);
        if (n < 0) {
            ::close(fds[0]);
            ::close(fds[1]);
            BOOST_FAIL("prefilled_input_pipe: cannot write: " << std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
    return fds[0];
}

namespace process_detail {

/// Starts `program` with `args` (no shell) under `actions`, which it destroys; the process id,
/// or -1 when it cannot be started.
inline pid_t spawn(const std::string& program, const std::vector<std::string>& args,
                   posix_spawn_file_actions_t& actions) {
    std::vector<std::string> storage{program};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    return spawned == 0 ? pid : -1;
}

/// Runs `program` with standard input from `in` (closed here) or /dev/null when `in` is -1,
/// collects standard output and error, and waits for it.
inline process_output run(const std::string& program, const std::vector<std::string>& args, int in) {
    int out_pipe[2];
    int err_pipe[2];
    BOOST_REQUIRE(::pipe2(out_pipe, O_CLOEXEC) == 0);
    BOOST_REQUIRE(::pipe2(err_pipe, O_CLOEXEC) == 0);

    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    if (in >= 0)
        ::posix_spawn_file_actions_adddup2(&actions, in, 0);
    else
        ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    ::posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    const pid_t pid = spawn(program, args, actions);
    if (in >= 0) ::close(in);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    if (pid < 0) {
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        BOOST_FAIL("cannot start " << program);
    }

    process_output result;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_count = 2;
    while (open_count > 0) {
        if (::poll(fds, 2, -1) < 0) continue;  // EINTR
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buffer[4096];
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            } else {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_count;
            }
        }
    }
    result.status = wait_process(pid);
    return result;
}

}  // namespace process_detail

/// Runs `program` with `args` (standard input /dev/null) and waits for it.
inline process_output run_process(const std::string& program, const std::vector<std::string>& args) {
    return process_detail::run(program, args, -1);
}

/// run_process with `input` on the child's standard input (then end of input) instead of
/// /dev/null.
inline process_output run_process_with_input(const std::string& program, const std::vector<std::string>& args,
                                             std::string_view input) {
    return process_detail::run(program, args, prefilled_input_pipe(input));
}

/// Runs `command` through /bin/sh and collects its standard output (standard error passes
/// through). Only for commands built from fixed words and test data that needs no quoting.
inline process_output run_shell(const std::string& command) {
    process_output result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

/// The Python the interop tests run: Debian's, for the python3-* packages they need.
inline constexpr const char* python = "/usr/bin/python3";

/// Stops the test unless `python` runs `import_statement` (e.g. "import pyotp"); the message names
/// the Debian/Ubuntu package that provides it.
inline void require_python_module(std::string_view import_statement, std::string_view debian_package) {
    BOOST_REQUIRE_MESSAGE(::access(python, X_OK) == 0,
                          python << " is missing: install the Debian/Ubuntu packages "
                                    "'python3' and '"
                                 << debian_package << "'");
    const auto probe = run_shell(std::string(python) + " -c '" + std::string(import_statement) +
                                 "; print(\"ok\")' 2>/dev/null");
    BOOST_REQUIRE_MESSAGE(probe.status == 0 && probe.out == "ok\n",
                          "'" << import_statement << "' fails in " << python
                              << ": install the Debian/Ubuntu package '" << debian_package
                              << "' (apt-get install " << debian_package << ")");
}

/// Starts `program` with `args`, `input` on its standard input (then end of input) and its
/// standard output and error discarded; returns its process id without waiting (see
/// wait_process). For tests that signal a running child.
inline pid_t start_process(const std::string& program, const std::vector<std::string>& args,
                           std::string_view input) {
    const int in = prefilled_input_pipe(input);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, in, 0);
    ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const pid_t pid = process_detail::spawn(program, args, actions);
    ::close(in);
    if (pid < 0) BOOST_FAIL("cannot start " << program);
    return pid;
}

}  // namespace twofactor_test
