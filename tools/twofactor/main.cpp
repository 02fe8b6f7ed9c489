// twofactor command-line tool: entry point. The interface is specified in DESIGN.md
// ("Command-line tool"); commands.cpp lists the subcommands.
#include <signal.h>

#include <string_view>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
    // A closed pipe on standard output is an error the commands report (exit 2) after putting
    // back what they changed, not a signal that ends the process between two file writes.
    ::signal(SIGPIPE, SIG_IGN);
    const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    return twofactor::cli::run_tool(args);
}
