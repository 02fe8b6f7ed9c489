// A fresh temporary folder for one test, removed with everything in it when the test ends; and
// the listing of a folder.
#pragma once

#include <boost/test/unit_test.hpp>

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace twofactor_test {

/// A new, empty folder `twofactor-<purpose>-XXXXXX` in the system's temporary directory; the test
/// stops (BOOST_REQUIRE) when it cannot be made. Removed with its contents on destruction.
class temp_folder {
public:
    explicit temp_folder(std::string_view purpose) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / ("twofactor-" + std::string(purpose) + "-XXXXXX"))
                .string();
        BOOST_REQUIRE_MESSAGE(::mkdtemp(pattern.data()) != nullptr,
                              "cannot create a temporary folder " << pattern);
        path_ = pattern;
    }
    temp_folder(const temp_folder&) = delete;
    temp_folder& operator=(const temp_folder&) = delete;
    ~temp_folder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    /// The path of the entry `name` in the folder, as a string (for command lines).
    [[nodiscard]] std::string file(std::string_view name) const { return (path_ / name).string(); }
    /// Writes `content` to the file `name` in the folder (replacing it); returns its path.
    std::string write(std::string_view name, std::string_view content) const {
        const std::string path = file(name);
        std::ofstream out(path, std::ios::binary);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.close();
        BOOST_REQUIRE_MESSAGE(out.good(), "cannot write " << path);
        return path;
    }

private:
    std::filesystem::path path_;
};

/// The names of the entries of `folder`, sorted.
inline std::vector<std::string> folder_listing(const std::filesystem::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace twofactor_test
