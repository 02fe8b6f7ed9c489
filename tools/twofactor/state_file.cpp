// twofactor command-line tool: the account state file (see state_file.hpp).
#include "state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include <fmt/core.h>
#include <twofactor/detail/bytes.hpp>

#include "atomic_file.hpp"

namespace twofactor::cli {

namespace {

twofactor::unexpected<std::string> failure(const std::string& path, std::string_view step, int error) {
    return cli_error(fmt::format("state file {}: {}: {}", quoted_path(path), step, std::strerror(error)));
}

twofactor::unexpected<std::string> too_large(const std::string& path) {
    return cli_error(fmt::format("{} is too large to be a state file (more than {} bytes)", quoted_path(path),
                                 max_state_file_size));
}

// `path` as one word the user can paste into a shell, or nullopt when it holds bytes that
// would not fit on one line of an error message.
std::optional<std::string> shell_word(const std::string& path) {
    bool plain = !path.empty();
    for (const char c : path) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7F) return std::nullopt;
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          std::string_view("/._-+,:@%=").find(c) != std::string_view::npos;
        plain = plain && safe;
    }
    // A leading '-' would be read by chmod as an option.
    const std::string word = path.starts_with('-') ? "./" + path : path;
    if (plain) return word;
    std::string out = "'";
    for (const char c : word) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    out += '\'';
    return out;
}

// Closes a descriptor when it goes out of scope.
class descriptor_guard {
public:
    explicit descriptor_guard(int descriptor) noexcept : descriptor_(descriptor) {}
    descriptor_guard(const descriptor_guard&) = delete;
    descriptor_guard& operator=(const descriptor_guard&) = delete;
    ~descriptor_guard() {
        if (descriptor_ >= 0) ::close(descriptor_);
    }
    [[nodiscard]] int get() const noexcept { return descriptor_; }

private:
    int descriptor_;
};

// A buffer of file contents that is wiped whenever it is freed or outgrown.
class wiped_buffer {
public:
    explicit wiped_buffer(std::size_t capacity) : bytes_(std::max<std::size_t>(capacity, 1), '\0') {}
    wiped_buffer(const wiped_buffer&) = delete;
    wiped_buffer& operator=(const wiped_buffer&) = delete;
    ~wiped_buffer() { detail::secure_wipe_bytes(bytes_.data(), bytes_.size()); }

    [[nodiscard]] char* free_space() noexcept { return bytes_.data() + used_; }
    [[nodiscard]] std::size_t free_size() const noexcept { return bytes_.size() - used_; }
    [[nodiscard]] std::size_t used() const noexcept { return used_; }
    void commit(std::size_t count) noexcept { used_ += count; }
    void grow(std::size_t capacity) {
        std::string bigger(capacity, '\0');
        std::memcpy(bigger.data(), bytes_.data(), used_);
        detail::secure_wipe_bytes(bytes_.data(), bytes_.size());
        bytes_.swap(bigger);
    }
    // The contents, in a string of exactly their size.
    [[nodiscard]] std::string take() const { return bytes_.substr(0, used_); }

private:
    std::string bytes_;
    std::size_t used_ = 0;
};

}  // namespace

cli_result<std::string> read_state_file(const std::string& path) {
    if (path.empty()) return cli_error("empty state file name");
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    const int opened = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (opened < 0) {
        if (errno == ENOENT) {
            struct stat link {};
            if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
                return cli_error(fmt::format("state file {} is a symbolic link to a file that does not exist",
                                             quoted_path(path)));
            return cli_error(
                fmt::format("state file {} not found; run 'twofactor enroll' first", quoted_path(path)));
        }
        return cli_error(
            fmt::format("state file {}: cannot open: {}", quoted_path(path), std::strerror(errno)));
    }
    const descriptor_guard file(opened);

    struct stat status {};
    if (::fstat(file.get(), &status) != 0) return failure(path, "cannot examine", errno);
    if (!S_ISREG(status.st_mode)) {
        return cli_error(fmt::format("state file {} is {}, not a regular file", quoted_path(path),
                                     S_ISDIR(status.st_mode) ? "a folder" : "a special file"));
    }
    // Another user's file could hold a secret that user knows (and can change): refused, as
    // ssh refuses another user's keys.
    if (status.st_uid != ::geteuid()) {
        return cli_error(fmt::format("state file {} belongs to another user (uid {}); it must be yours",
                                     quoted_path(path), static_cast<unsigned long>(status.st_uid)));
    }
    const unsigned mode = static_cast<unsigned>(status.st_mode) & 07777U;
    if ((mode & 077U) != 0) {
        const auto word = shell_word(path);
        return cli_error(fmt::format("state file {} has mode {:04o}; it holds a secret: run 'chmod 600 {}'",
                                     quoted_path(path), mode, word ? *word : std::string("<file>")));
    }
    if (status.st_size < 0 || static_cast<std::uintmax_t>(status.st_size) > max_state_file_size) {
        return too_large(path);
    }
    // Regular files ignore O_NONBLOCK, but read them the ordinary way all the same.
    const int flags = ::fcntl(file.get(), F_GETFL);
    if (flags >= 0) ::fcntl(file.get(), F_SETFL, flags & ~O_NONBLOCK);

    // One byte more than the size, to see the end of the file in the first read; the file may
    // still grow while it is read, up to the limit.
    wiped_buffer buffer(static_cast<std::size_t>(status.st_size) + 1);
    for (;;) {
        if (buffer.free_size() == 0) {
            if (buffer.used() > max_state_file_size) return too_large(path);
            buffer.grow(std::min(buffer.used() * 2, max_state_file_size + 1));
        }
        const ssize_t count = ::read(file.get(), buffer.free_space(), buffer.free_size());
        if (count < 0) {
            if (errno == EINTR) continue;
            return failure(path, "cannot read", errno);
        }
        if (count == 0) break;
        buffer.commit(static_cast<std::size_t>(count));
    }
    if (buffer.used() > max_state_file_size) return too_large(path);
    return buffer.take();
}

cli_result<void> remove_state_file(const std::string& path) {
    if (path.empty()) return cli_error("empty state file name");
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return cli_error(fmt::format("state file {} not found", quoted_path(path)));
        return failure(path, "cannot remove", errno);
    }
    // The removal is durable only once the folder is flushed. A folder that cannot be opened
    // for reading cannot be flushed; file systems that cannot flush folders say EINVAL.
    const int folder = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) return {};
    const descriptor_guard guard(folder);
    if (::fsync(folder) != 0 && errno != EINVAL && errno != EROFS) {
        return failure(path, "removed, but cannot flush its folder to disk", errno);
    }
    return {};
}

}  // namespace twofactor::cli
