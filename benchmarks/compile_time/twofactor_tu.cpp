// The twofactor side of benchmarks/compile_time.sh: what a typical application translation unit
// instantiates from the single header: totp<sha1, 6, 30s> (generate and verify) and the whole
// enrollment wizard (start, next, submit_code, finish). Compiled, never run.
#include <twofactor/twofactor.hpp>

#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>

using namespace std::chrono_literals;
using app_totp = twofactor::totp<twofactor::sha1, 6, 30s>;
using app_wizard = twofactor::enrollment_wizard<app_totp>;

bool check_code(std::span<const std::byte> key, std::string_view typed) {
    const app_totp generator{key};
    const auto code = generator.code_now();
    const auto match = generator.verify_now(typed);
    return code.has_value() && match.has_value();
}

int enroll(std::string_view typed) {
    auto wizard = app_wizard::start("ACME Co", "alice@example.com");
    if (!wizard) return 1;
    if (!wizard->next()) return 2;
    if (!wizard->submit_code(typed, std::chrono::system_clock::now())) return 3;
    const auto record = wizard->finish();
    return record ? 0 : 4;
}
