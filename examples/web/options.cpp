// twofactor web example: the command line.
#include "options.hpp"

#include <charconv>
#include <string_view>

namespace web {

std::string usage_text() {
    return "Usage: twofactor-web [--host ADDRESS] [--port N] [--database FILE]\n"
           "\n"
           "The twofactor example web application: sign in, then Settings > Account Information\n"
           "and Setup > Authentication to turn two-factor authentication on and off.\n"
           "\n"
           "Options:\n"
           "  --host ADDRESS     address to listen on (default 127.0.0.1; this demo has no TLS,\n"
           "                     so keep it on the loopback interface)\n"
           "  --port N           TCP port, 1-65535, or 0 for any free port (default 8080);\n"
           "                     the chosen port is printed on start\n"
           "  --database FILE    SQLite database of users and sessions, created if missing\n"
           "                     (default twofactor-web.sqlite3)\n"
           "  --help             show this help\n"
           "\n"
           "On first start the database gets a demo user; its name and password are printed.\n";
}

std::variant<options, std::string> parse_options(int argc, char** argv) {
    options parsed;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            parsed.help = true;
            continue;
        }
        std::string_view name = arg;
        std::optional<std::string_view> value;
        if (const auto equals = arg.find('='); arg.starts_with("--") && equals != std::string_view::npos) {
            name = arg.substr(0, equals);
            value = arg.substr(equals + 1);
        }
        if (name != "--host" && name != "--port" && name != "--database")
            return "unknown option '" + std::string(arg) + "'";
        if (!value) {
            if (i + 1 >= argc) return "option " + std::string(name) + " needs a value";
            value = argv[++i];
        }
        if (value->empty()) return "option " + std::string(name) + " needs a non-empty value";
        if (name == "--host") {
            parsed.host = *value;
        } else if (name == "--database") {
            parsed.database = *value;
        } else {
            int port = -1;
            const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), port);
            if (error != std::errc{} || end != value->data() + value->size() || port < 0 || port > 65535)
                return "--port must be a number from 0 to 65535, not '" + std::string(*value) + "'";
            parsed.port = port;
        }
    }
    return parsed;
}

}  // namespace web
