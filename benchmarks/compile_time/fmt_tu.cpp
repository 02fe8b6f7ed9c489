// The baseline of benchmarks/compile_time.sh: a translation unit that includes <fmt/format.h>
// and formats something, the cost a project using {fmt} already accepts. Compiled, never run.
#include <fmt/format.h>

#include <string>
#include <string_view>

std::string describe(std::string_view account, int remaining, double seconds) {
    return fmt::format("{}: {} backup codes left, next code in {:.1f} s", account, remaining, seconds);
}
