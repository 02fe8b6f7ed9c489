// Tests of the twofactor tool's state file and input functions (tools/twofactor/state_file.cpp,
// user_input.cpp), called directly: tests/CMakeLists.txt compiles them into this test.
// read_line is fed by putting a pipe (or a pseudo-terminal) on this process's descriptor 0.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "atomic_file.hpp"
#include "state_file.hpp"
#include "user_input.hpp"

#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using twofactor::cli::cli_result;
using twofactor::cli::max_state_file_size;
using twofactor::cli::read_line;
using twofactor::cli::read_state_file;
using twofactor::cli::remove_state_file;

namespace {

// A secret-looking text that no message may ever contain.
const std::string secret_text = "JBSWY3DPEHPK3PXP";

void write_all(int descriptor, std::string_view data) {
    while (!data.empty()) {
        const ssize_t written = ::write(descriptor, data.data(), data.size());
        BOOST_REQUIRE(written > 0);
        data.remove_prefix(static_cast<std::size_t>(written));
    }
}

// Writes `contents` to `path` and gives it exactly `mode` (whatever the umask).
void write_file(const std::string& path, std::string_view contents, mode_t mode) {
    const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    BOOST_REQUIRE(descriptor >= 0);
    write_all(descriptor, contents);
    BOOST_REQUIRE(::fchmod(descriptor, mode) == 0);
    BOOST_REQUIRE(::close(descriptor) == 0);
}

template <class T>
std::string error_of(const cli_result<T>& result) {
    return result.has_value() ? std::string("<no error>") : result.error();
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// Checks an error message: one line, mentions each of `parts`, never the secret.
template <class T>
void check_error(const cli_result<T>& result, std::initializer_list<std::string_view> parts) {
    BOOST_REQUIRE_MESSAGE(!result.has_value(), "an error was expected");
    const std::string& message = result.error();
    BOOST_TEST(!contains(message, "\n"), message);
    BOOST_TEST(!contains(message, secret_text), message);
    for (const std::string_view part : parts) {
        BOOST_TEST(contains(message, part), "\"" << message << "\" should contain \"" << part << '"');
    }
}

// Reads the state file and requires success.
std::string read_ok(const std::string& path) {
    const auto contents = read_state_file(path);
    BOOST_REQUIRE_MESSAGE(contents.has_value(), "unexpected error: " << error_of(contents));
    return *contents;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(state_file)

BOOST_AUTO_TEST_CASE(reads_exact_contents) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string path = folder.file("twofactor-account.txt");
    // An embedded NUL, a newline in the middle, none at the end: nothing is changed.
    const std::string contents = std::string("secret=", 7) + std::string(1, '\0') + secret_text + "\nlast";
    write_file(path, contents, 0600);
    BOOST_TEST(read_ok(path) == contents);

    write_file(path, "", 0600);
    BOOST_TEST(read_ok(path).empty());

    const std::string with_newline = secret_text + "\r\n\n";
    write_file(path, with_newline, 0600);
    BOOST_TEST(read_ok(path) == with_newline);
}

BOOST_AUTO_TEST_CASE(owner_only_modes_are_accepted) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string path = folder.file("state");
    for (const mode_t mode : {0600, 0400, 0700, 0500}) {
        write_file(path, secret_text, mode);
        BOOST_TEST(read_ok(path) == secret_text, "mode " << std::oct << mode);
    }
}

BOOST_AUTO_TEST_CASE(group_or_other_permissions_are_refused) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string path = folder.file("state");
    const std::pair<mode_t, std::string_view> cases[] = {
        {0644, "0644"}, {0640, "0640"}, {0604, "0604"}, {0660, "0660"},
        {0601, "0601"}, {0610, "0610"}, {0666, "0666"}, {0777, "0777"},
    };
    for (const auto& [mode, text] : cases) {
        BOOST_TEST_CONTEXT("mode " << text) {
            write_file(path, secret_text, mode);
            const std::string shown_mode = "has mode " + std::string(text);
            check_error(read_state_file(path), {shown_mode, "secret", "'chmod 600 " + path + "'"});
        }
    }
}

// Needs the right to give a file away (root, as in CI); skipped otherwise.
BOOST_AUTO_TEST_CASE(another_users_file_is_refused) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string path = folder.file("state");
    write_file(path, secret_text, 0600);
    const uid_t other = ::geteuid() == 65534 ? 65533 : 65534;
    if (::chown(path.c_str(), other, static_cast<gid_t>(-1)) != 0) {
        BOOST_TEST_MESSAGE("cannot give a file to another user here (not root): skipped");
        return;
    }
    check_error(read_state_file(path), {"belongs to another user", "uid " + std::to_string(other)});
    BOOST_REQUIRE(::chown(path.c_str(), ::geteuid(), static_cast<gid_t>(-1)) == 0);
    BOOST_TEST(read_ok(path) == secret_text);
}

BOOST_AUTO_TEST_CASE(chmod_hint_quotes_unusual_names) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string path = folder.file("it's mine");
    write_file(path, secret_text, 0644);
    // The shell word of "<folder>/it's mine" is '<folder>/it'\''s mine'.
    check_error(read_state_file(path),
                {"has mode 0644", "chmod 600 '" + folder.path().string() + "/it'\\''s mine''"});

    const std::string control = folder.file("line\nbreak");
    write_file(control, secret_text, 0640);
    check_error(read_state_file(control), {"has mode 0640", "line\\x0Abreak", "chmod 600 <file>"});
}

BOOST_AUTO_TEST_CASE(missing_file) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string path = folder.file("twofactor-account.txt");
    check_error(read_state_file(path), {"not found", "twofactor enroll", "twofactor-account.txt"});
    check_error(read_state_file(folder.file("no-such-folder/state")), {"not found"});
    check_error(read_state_file(""), {"empty"});
}

BOOST_AUTO_TEST_CASE(special_files_are_refused) {
    twofactor_test::temp_folder folder{"state-file"};
    check_error(read_state_file(folder.path().string()), {"a folder", "not a regular file"});
    BOOST_REQUIRE(::chmod(folder.path().c_str(), 0755) == 0);  // the type is checked first
    check_error(read_state_file(folder.path().string()), {"not a regular file"});

    // Opening a FIFO must not wait for a writer.
    const std::string fifo = folder.file("fifo");
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    check_error(read_state_file(fifo), {"special file", "not a regular file"});

    check_error(read_state_file("/dev/null"), {"not a regular file"});
}

BOOST_AUTO_TEST_CASE(size_limit) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string path = folder.file("state");
    std::string biggest(max_state_file_size, 'A');
    biggest.back() = 'Z';
    write_file(path, biggest, 0600);
    const std::string read = read_ok(path);
    BOOST_TEST(read.size() == max_state_file_size);
    BOOST_TEST((read == biggest));

    write_file(path, biggest + "B", 0600);
    check_error(read_state_file(path), {"too large to be a state file", "state"});

    // A sparse file of 1 GiB is refused without being read.
    const int descriptor = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    BOOST_REQUIRE(descriptor >= 0);
    BOOST_REQUIRE(::ftruncate(descriptor, off_t{1} << 30) == 0);
    ::close(descriptor);
    check_error(read_state_file(path), {"too large"});
}

BOOST_AUTO_TEST_CASE(symbolic_links_are_followed) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string target = folder.file("target");
    const std::string link = folder.file("link");
    write_file(target, secret_text, 0600);
    BOOST_REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
    BOOST_TEST(read_ok(link) == secret_text);

    // The checks apply to the file itself, not to the link (whose own mode is 0777).
    BOOST_REQUIRE(::chmod(target.c_str(), 0644) == 0);
    check_error(read_state_file(link), {"has mode 0644"});

    const std::string dangling = folder.file("dangling");
    BOOST_REQUIRE(::symlink(folder.file("nothing").c_str(), dangling.c_str()) == 0);
    check_error(read_state_file(dangling), {"symbolic link to a file that does not exist"});
}

BOOST_AUTO_TEST_CASE(remove) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string path = folder.file("twofactor-account.txt");
    write_file(path, secret_text, 0600);
    const auto removed = remove_state_file(path);
    BOOST_REQUIRE_MESSAGE(removed.has_value(), "unexpected error: " << error_of(removed));
    BOOST_TEST(!fs::exists(fs::symlink_status(path)));
    check_error(read_state_file(path), {"not found"});

    check_error(remove_state_file(path), {"not found", "twofactor-account.txt"});
    check_error(remove_state_file(folder.path().string()), {"cannot remove"});
    check_error(remove_state_file(""), {"empty"});
}

BOOST_AUTO_TEST_CASE(remove_takes_a_link_not_its_target) {
    twofactor_test::temp_folder folder{"state-file"};
    const std::string target = folder.file("target");
    const std::string link = folder.file("link");
    write_file(target, secret_text, 0600);
    BOOST_REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
    const auto removed = remove_state_file(link);
    BOOST_REQUIRE_MESSAGE(removed.has_value(), "unexpected error: " << error_of(removed));
    BOOST_TEST(!fs::exists(fs::symlink_status(link)));
    BOOST_TEST(read_ok(target) == secret_text);
}

BOOST_AUTO_TEST_CASE(relative_path_in_the_current_folder) {
    twofactor_test::temp_folder folder{"state-file"};
    std::error_code error;
    const fs::path previous = fs::current_path(error);
    BOOST_REQUIRE(!error);
    BOOST_REQUIRE(::chdir(folder.path().c_str()) == 0);
    write_file("twofactor-account.txt", secret_text, 0600);
    const std::string contents = read_state_file("twofactor-account.txt").value_or("<error>");
    const auto removed = remove_state_file("twofactor-account.txt");
    write_file("-state", secret_text, 0640);
    const auto refused = read_state_file("-state");
    BOOST_REQUIRE(::chdir(previous.c_str()) == 0);

    BOOST_TEST(contents == secret_text);
    BOOST_TEST(removed.has_value(), error_of(removed));
    BOOST_TEST(!fs::exists(folder.path() / "twofactor-account.txt"));
    // A name that starts with '-' is not taken for an option of chmod.
    check_error(refused, {"chmod 600 ./-state"});
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// Puts the read end of a pipe holding `data` (then end of file) on descriptor 0, and puts the
// original standard input back when destroyed.
class stdin_from_pipe {
public:
    explicit stdin_from_pipe(std::string_view data) {
        int ends[2];
        BOOST_REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
        write_all(ends[1], data);  // small: fits in the pipe's buffer
        ::close(ends[1]);
        saved_ = ::fcntl(0, F_DUPFD_CLOEXEC, 3);
        BOOST_REQUIRE(saved_ >= 0);
        BOOST_REQUIRE(::dup2(ends[0], 0) == 0);
        ::close(ends[0]);
    }
    stdin_from_pipe(const stdin_from_pipe&) = delete;
    stdin_from_pipe& operator=(const stdin_from_pipe&) = delete;
    ~stdin_from_pipe() {
        ::dup2(saved_, 0);
        ::close(saved_);
    }

private:
    int saved_ = -1;
};

// What is written on descriptor 2 (standard error) while `run` runs.
template <class F>
std::string capture_stderr(F&& run) {
    int ends[2];
    BOOST_REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
    std::fflush(stderr);
    const int saved = ::fcntl(2, F_DUPFD_CLOEXEC, 3);
    BOOST_REQUIRE(saved >= 0);
    ::dup2(ends[1], 2);
    ::close(ends[1]);
    std::forward<F>(run)();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::string text;
    char buffer[256];
    for (ssize_t n; (n = ::read(ends[0], buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    ::close(ends[0]);
    return text;
}

// Reads a line and requires a line (not an error, not the end of input).
std::string line_ok(std::size_t max_length = 256) {
    const auto line = read_line("code: ", max_length);
    BOOST_REQUIRE_MESSAGE(line.has_value(), "unexpected error: " << error_of(line));
    BOOST_REQUIRE_MESSAGE(line->has_value(), "unexpected end of input");
    return **line;
}

// Reads and requires the end of input.
void require_end() {
    const auto line = read_line("code: ");
    BOOST_REQUIRE_MESSAGE(line.has_value(), "unexpected error: " << error_of(line));
    BOOST_TEST(!line->has_value(), "expected the end of input, got \"" << line->value_or("") << '"');
}

}  // namespace

BOOST_AUTO_TEST_SUITE(user_input)

BOOST_AUTO_TEST_CASE(one_line) {
    stdin_from_pipe input("123456\n");
    BOOST_TEST(!twofactor::cli::standard_input_is_terminal());
    BOOST_TEST(line_ok() == "123456");
    require_end();
}

BOOST_AUTO_TEST_CASE(carriage_return_before_the_newline_is_stripped) {
    stdin_from_pipe input("abc\r\n\r\n");
    BOOST_TEST(line_ok() == "abc");
    BOOST_TEST(line_ok() == "");
    require_end();
}

BOOST_AUTO_TEST_CASE(successive_lines) {
    stdin_from_pipe input("first\n\nthird line\n");
    BOOST_TEST(line_ok() == "first");
    BOOST_TEST(line_ok() == "");
    BOOST_TEST(line_ok() == "third line");
    require_end();
    require_end();
}

BOOST_AUTO_TEST_CASE(empty_input_is_the_end) {
    stdin_from_pipe input("");
    require_end();
}

BOOST_AUTO_TEST_CASE(last_line_without_newline) {
    stdin_from_pipe input("123\nlast");
    BOOST_TEST(line_ok() == "123");
    BOOST_TEST(line_ok() == "last");
    require_end();
}

BOOST_AUTO_TEST_CASE(nothing_after_the_line_is_consumed) {
    stdin_from_pipe input("first\nfor the next reader\n");
    BOOST_TEST(line_ok() == "first");
    char buffer[64];
    const ssize_t n = ::read(0, buffer, sizeof buffer);
    BOOST_REQUIRE(n >= 0);
    BOOST_TEST(std::string(buffer, static_cast<std::size_t>(n)) == "for the next reader\n");
}

BOOST_AUTO_TEST_CASE(overlong_line_is_an_error_and_skipped) {
    stdin_from_pipe input(std::string(300, '9') + secret_text + "\nnext\n" + std::string(257, 'x'));
    const auto line = read_line("code: ");
    check_error(line, {"input line too long", "256"});
    BOOST_TEST(line_ok() == "next");
    check_error(read_line("code: "), {"input line too long"});
    require_end();
}

BOOST_AUTO_TEST_CASE(length_limit_is_exact) {
    stdin_from_pipe input("abcd\nabcd\r\nabcde\nabcde\r\nabc\r\r\nabcd\r\r\nok\n");
    BOOST_TEST(line_ok(4) == "abcd");
    BOOST_TEST(line_ok(4) == "abcd");  // the '\r' of "\r\n" does not count
    check_error(read_line("", 4), {"input line too long (more than 4 characters)"});
    check_error(read_line("", 4), {"input line too long"});
    BOOST_TEST(line_ok(4) == "abc\r");  // only the '\r' just before the newline is stripped
    check_error(read_line("", 4), {"input line too long"});
    BOOST_TEST(line_ok(4) == "ok");
    require_end();
}

BOOST_AUTO_TEST_CASE(no_prompt_when_input_is_not_a_terminal) {
    stdin_from_pipe input("42\n");
    cli_result<std::optional<std::string>> line = std::optional<std::string>();
    const std::string shown = capture_stderr([&] { line = read_line("Enter the code: "); });
    BOOST_TEST(shown.empty(), shown);
    BOOST_REQUIRE(line.has_value());
    BOOST_TEST(line->value_or("<end>") == "42");
}

BOOST_AUTO_TEST_CASE(read_error) {
    // A descriptor open only for writing cannot be read.
    stdin_from_pipe input("");
    const int write_only = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    BOOST_REQUIRE(write_only >= 0);
    BOOST_REQUIRE(::dup2(write_only, 0) == 0);
    ::close(write_only);
    check_error(read_line("code: "), {"cannot read standard input", "Bad file descriptor"});
}

namespace {

// A pseudo-terminal whose user side is descriptor 0 while it lives; the test types on the
// other side. Not available everywhere (no /dev/ptmx in some containers).
class stdin_from_terminal {
public:
    stdin_from_terminal() {
        controller_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (controller_ < 0 || ::grantpt(controller_) != 0 || ::unlockpt(controller_) != 0) return;
        const char* name = ::ptsname(controller_);
        if (name == nullptr) return;
        const int user = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (user < 0) return;
        saved_ = ::fcntl(0, F_DUPFD_CLOEXEC, 3);
        BOOST_REQUIRE(saved_ >= 0);
        BOOST_REQUIRE(::dup2(user, 0) == 0);
        ::close(user);
    }
    stdin_from_terminal(const stdin_from_terminal&) = delete;
    stdin_from_terminal& operator=(const stdin_from_terminal&) = delete;
    ~stdin_from_terminal() {
        if (saved_ >= 0) {
            ::dup2(saved_, 0);
            ::close(saved_);
        }
        if (controller_ >= 0) ::close(controller_);
    }
    [[nodiscard]] bool available() const noexcept { return saved_ >= 0; }
    void type(std::string_view keys) const { write_all(controller_, keys); }

private:
    int controller_ = -1;
    int saved_ = -1;
};

}  // namespace

BOOST_AUTO_TEST_CASE(prompt_on_a_terminal) {
    stdin_from_terminal terminal;
    if (!terminal.available()) {
        BOOST_TEST_MESSAGE("no pseudo-terminal available: prompt test skipped");
        return;
    }
    BOOST_TEST(twofactor::cli::standard_input_is_terminal());

    terminal.type("654321\n");
    cli_result<std::optional<std::string>> line = std::optional<std::string>();
    std::string shown = capture_stderr([&] { line = read_line("Enter the code: "); });
    BOOST_TEST(shown == "Enter the code: ");
    BOOST_REQUIRE_MESSAGE(line.has_value(), error_of(line));
    BOOST_TEST(line->value_or("<end>") == "654321");

    // Ctrl-D at the start of a line: the end of input, and the next message on a new line.
    terminal.type("\x04");
    shown = capture_stderr([&] { line = read_line("Enter the code: "); });
    BOOST_TEST(shown == "Enter the code: \n");
    BOOST_REQUIRE_MESSAGE(line.has_value(), error_of(line));
    BOOST_TEST(!line->has_value());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- signals_deferred (atomic_file.hpp) ----------------------------------------------------

namespace {
volatile sig_atomic_t signals_seen = 0;
extern "C" void count_signal(int) { signals_seen = signals_seen + 1; }
}  // namespace

// A termination signal raised inside waits until the outermost deferral ends, then arrives
// once; the signal mask is as it was afterwards.
BOOST_AUTO_TEST_CASE(signals_wait_for_the_end_of_a_deferral) {
    for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
        BOOST_TEST_CONTEXT("signal " << signal) {
            struct sigaction counting {};
            counting.sa_handler = count_signal;
            struct sigaction previous {};
            BOOST_TEST_REQUIRE(::sigaction(signal, &counting, &previous) == 0);
            sigset_t mask_before;
            ::sigprocmask(SIG_SETMASK, nullptr, &mask_before);
            signals_seen = 0;
            {
                const twofactor::cli::signals_deferred outer;
                {
                    const twofactor::cli::signals_deferred inner;
                    BOOST_TEST(::raise(signal) == 0);
                }
                BOOST_TEST(signals_seen == 0);  // the inner end is not the end
            }
            BOOST_TEST(signals_seen == 1);
            sigset_t mask_after;
            ::sigprocmask(SIG_SETMASK, nullptr, &mask_after);
            BOOST_TEST(::sigismember(&mask_after, signal) == ::sigismember(&mask_before, signal));
            ::sigaction(signal, &previous, nullptr);
        }
    }
}
