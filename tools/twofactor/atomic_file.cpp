// twofactor command-line tool: atomic file replacement (see atomic_file.hpp).
#include "atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/core.h>

#include <twofactor/detail/bytes.hpp>

namespace twofactor::cli {

std::string folder_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

namespace {

cli_result<void> failure(const std::string& path, std::string_view step, int error) {
    return cli_error(fmt::format("{}: {}: {}", quoted_path(path), step, std::strerror(error)));
}

// Closes the descriptor and removes the temporary file unless released.
class temporary_file {
public:
    temporary_file(int descriptor, std::string path) : descriptor_(descriptor), path_(std::move(path)) {}
    temporary_file(const temporary_file&) = delete;
    temporary_file& operator=(const temporary_file&) = delete;
    ~temporary_file() {
        if (descriptor_ >= 0) ::close(descriptor_);
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    [[nodiscard]] int descriptor() const noexcept { return descriptor_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    int close() noexcept {
        const int status = ::close(descriptor_);
        descriptor_ = -1;
        return status;
    }
    void release() noexcept { path_.clear(); }

private:
    int descriptor_;
    std::string path_;
};

}  // namespace

cli_result<std::string> replaceable_path(const std::string& path) {
    if (path.empty()) return cli_error("empty file name");
    const auto fail = [&](std::string_view step, int error) -> cli_result<std::string> {
        return cli_error(failure(path, step, error).error());
    };
    std::string target = path;
    struct stat status {};
    for (int links = 0;; ++links) {
        if (::lstat(target.c_str(), &status) != 0) {
            if (errno == ENOENT) return target;  // to be created
            return fail("cannot use it", errno);
        }
        if (!S_ISLNK(status.st_mode)) break;
        if (links == 40) return fail("cannot follow its symbolic links", ELOOP);
        std::array<char, 4096> link{};
        const ssize_t size = ::readlink(target.c_str(), link.data(), link.size());
        if (size < 0 || static_cast<std::size_t>(size) == link.size())
            return fail("cannot follow its symbolic link", size < 0 ? errno : ENAMETOOLONG);
        const std::string_view named(link.data(), static_cast<std::size_t>(size));
        target = named.starts_with('/') ? std::string(named) : folder_of(target) + "/" + std::string(named);
    }
    if (S_ISDIR(status.st_mode)) return fail("cannot write it", EISDIR);
    if (!S_ISREG(status.st_mode))
        return cli_error(fmt::format("{}: not a regular file (a device, FIFO or socket): it is not replaced",
                                     quoted_path(path)));
    return target;
}

signals_deferred::signals_deferred() noexcept {
    sigset_t deferred;
    ::sigemptyset(&deferred);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaddset(&deferred, signal);
    ::sigprocmask(SIG_BLOCK, &deferred, &previous_);
}

signals_deferred::~signals_deferred() { ::sigprocmask(SIG_SETMASK, &previous_, nullptr); }

cli_result<void> write_file_atomically(const std::string& given, std::string_view contents, mode_t mode) {
    const auto target = replaceable_path(given);
    if (!target) return cli_error(target.error());
    const std::string& path = *target;
    const signals_deferred deferred;
    std::string pattern = path + ".tmp-XXXXXX";
    const int descriptor = ::mkstemp(pattern.data());
    if (descriptor < 0) return failure(given, "cannot create a temporary file beside it", errno);
    temporary_file temporary(descriptor, pattern);

    if (::fchmod(temporary.descriptor(), mode) != 0) return failure(given, "cannot set permissions", errno);
    const char* data = contents.data();
    std::size_t left = contents.size();
    while (left > 0) {
        const ssize_t written = ::write(temporary.descriptor(), data, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            return failure(given, "cannot write", errno);
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::fsync(temporary.descriptor()) != 0) return failure(given, "cannot flush to disk", errno);
    if (temporary.close() != 0) return failure(given, "cannot close", errno);
    if (::rename(temporary.path().c_str(), path.c_str()) != 0) return failure(given, "cannot replace", errno);
    temporary.release();

    // The rename itself is durable only once the folder is flushed.
    const int folder = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
    return {};
}

cli_result<void> check_writable_location(const std::string& path) {
    const auto target = replaceable_path(path);
    if (!target) return cli_error(target.error());
    const std::string folder = folder_of(*target);
    struct stat status {};
    if (::stat(folder.c_str(), &status) != 0) return failure(path, "cannot use its folder", errno);
    if (!S_ISDIR(status.st_mode)) return failure(path, "cannot use its folder", ENOTDIR);
    if (::access(folder.c_str(), W_OK | X_OK) != 0) return failure(path, "cannot write in its folder", errno);
    return {};
}

cli_result<std::optional<std::string>> read_previous_file(const std::string& path) {
    constexpr std::size_t max_size = std::size_t{1} << 20;
    const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (descriptor < 0) {
        if (errno == ENOENT) return std::optional<std::string>();
        return failure(path, "cannot read it", errno).transform([] { return std::optional<std::string>(); });
    }
    // The file may hold backup codes: every buffer that held them is wiped before it is released
    // (the chunk, and the string's old buffer each time it grows).
    std::string contents;
    std::array<char, 4096> chunk{};
    struct wipe_chunk {
        std::array<char, 4096>& chunk;
        ~wipe_chunk() { twofactor::detail::secure_wipe(chunk); }
    } chunk_wiper{chunk};
    for (;;) {
        const ssize_t got = ::read(descriptor, chunk.data(), chunk.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 || contents.size() + static_cast<std::size_t>(got) > max_size) {
            const int error = got < 0 ? errno : EFBIG;
            ::close(descriptor);
            twofactor::detail::secure_wipe_bytes(contents.data(), contents.capacity());
            return failure(path, "cannot read it", error).transform([] {
                return std::optional<std::string>();
            });
        }
        if (got == 0) break;
        const std::size_t needed = contents.size() + static_cast<std::size_t>(got);
        if (needed > contents.capacity()) {
            std::string larger;
            larger.reserve(std::max(needed, 2 * contents.capacity()));
            larger.append(contents);
            twofactor::detail::secure_wipe_bytes(contents.data(), contents.capacity());
            contents.swap(larger);
        }
        contents.append(chunk.data(), static_cast<std::size_t>(got));
    }
    ::close(descriptor);
    return std::optional<std::string>(std::move(contents));
}

namespace {

// The absolute path of `path` with its folder resolved (the file itself need not exist).
std::string resolved(const std::string& path) {
    const std::string folder = folder_of(path);
    const std::string name =
        path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
    char* real = ::realpath(folder.c_str(), nullptr);
    if (real == nullptr) return path;
    std::string absolute = std::string(real) + "/" + name;
    std::free(real);
    return absolute;
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
    struct stat first {};
    struct stat second {};
    if (::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0)
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino;
    return resolved(a) == resolved(b);
}

cli_result<file_backup> file_backup::replace(const std::string& path, std::string_view contents,
                                             mode_t mode) {
    // The file a link names: restore() must remove that file, not the link, when it is new.
    const auto target = replaceable_path(path);
    if (!target) return cli_error(target.error());
    auto previous = read_previous_file(*target);
    if (!previous) return cli_error(previous.error());
    if (const auto written = write_file_atomically(*target, contents, mode); !written) {
        if (*previous) twofactor::detail::secure_wipe_bytes((*previous)->data(), (*previous)->size());
        return cli_error(written.error());
    }
    return file_backup(*target, std::move(*previous));
}

file_backup::~file_backup() {
    if (previous_) twofactor::detail::secure_wipe_bytes(previous_->data(), previous_->size());
}

cli_result<void> file_backup::restore() const {
    if (previous_) return write_file_atomically(path_, *previous_, 0600);
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) return failure(path_, "cannot remove it", errno);
    return {};
}

void remove_stale_temporaries(const std::string& path) {
    const std::string folder = folder_of(path);
    const auto slash = path.find_last_of('/');
    const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp-";
    DIR* listing = ::opendir(folder.c_str());
    if (listing == nullptr) return;
    while (const dirent* entry = ::readdir(listing)) {
        const std::string_view name = entry->d_name;
        // mkstemp's pattern: the prefix and six characters.
        if (name.size() == prefix.size() + 6 && name.substr(0, prefix.size()) == prefix)
            (void)::unlinkat(::dirfd(listing), entry->d_name, 0);
    }
    ::closedir(listing);
}

}  // namespace twofactor::cli
