// Uses twofactor obtained with FetchContent (tests/cmake/fetch_content_consumer): prints the
// RFC 6238 Appendix B code for T = 59 s (SHA-1, 8 digits); exits with 0 only if it is 94287082.
#include <twofactor/twofactor.hpp>

#include <chrono>
#include <cstdio>
#include <span>
#include <string_view>

using namespace std::chrono_literals;

int main() {
    constexpr std::string_view secret = "12345678901234567890";
    const twofactor::totp<twofactor::sha1, 8, 30s> generator{std::as_bytes(std::span(secret))};
    const auto code = generator.code_at(std::chrono::sys_seconds{59s});
    if (!code) return 1;
    std::printf("%.*s\n", static_cast<int>(code->view().size()), code->view().data());
    return code->view() == "94287082" ? 0 : 1;
}
