// twofactor command-line tool: entry point. The interface is specified in DESIGN.md
// ("Command-line tool"); commands.cpp lists the subcommands.
#include <string_view>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    return twofactor::cli::run_tool(args);
}
