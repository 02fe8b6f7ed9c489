// twofactor command-line tool: atomic file replacement (see atomic_file.hpp).
#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/core.h>

namespace twofactor::cli {

std::string folder_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

namespace {

cli_result<void> failure(const std::string& path, std::string_view step, int error) {
    return cli_error(fmt::format("{}: {}: {}", quoted(path), step, std::strerror(error)));
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

cli_result<void> write_file_atomically(const std::string& path, std::string_view contents, mode_t mode) {
    if (path.empty()) return cli_error("empty file name");
    std::string pattern = path + ".tmp-XXXXXX";
    const int descriptor = ::mkstemp(pattern.data());
    if (descriptor < 0) return failure(path, "cannot create a temporary file beside it", errno);
    temporary_file temporary(descriptor, pattern);

    if (::fchmod(temporary.descriptor(), mode) != 0) return failure(path, "cannot set permissions", errno);
    const char* data = contents.data();
    std::size_t left = contents.size();
    while (left > 0) {
        const ssize_t written = ::write(temporary.descriptor(), data, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            return failure(path, "cannot write", errno);
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::fsync(temporary.descriptor()) != 0) return failure(path, "cannot flush to disk", errno);
    if (temporary.close() != 0) return failure(path, "cannot close", errno);
    if (::rename(temporary.path().c_str(), path.c_str()) != 0) return failure(path, "cannot replace", errno);
    temporary.release();

    // The rename itself is durable only once the folder is flushed.
    const int folder = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
    return {};
}

}  // namespace twofactor::cli
