// twofactor web example: the command line (--host, --port, --database, --help).
#pragma once

#include <optional>
#include <string>
#include <variant>

namespace web {

struct options {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string database = "twofactor-web.sqlite3";
    bool help = false;
};

/// The text --help prints.
[[nodiscard]] std::string usage_text();

/// The options, or a one-line message naming what is wrong.
[[nodiscard]] std::variant<options, std::string> parse_options(int argc, char** argv);

}  // namespace web
