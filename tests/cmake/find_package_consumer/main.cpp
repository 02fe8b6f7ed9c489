// Uses an installed twofactor through find_package (tests/cmake/find_package_consumer): the RFC 6238
// Appendix B code for T = 59 s (SHA-1, 8 digits), computed by the built-in SHA-1 and by the
// OpenSSL backend, and formatted by {fmt} when the fmt component was found. Prints the code;
// exits with 0 only if every result is 94287082.
#include <twofactor/openssl.hpp>
#include <twofactor/twofactor.hpp>
#ifdef CONSUMER_HAVE_FMT
#include <fmt/format.h>

#include <twofactor/fmt.hpp>
#endif

#include <chrono>
#include <cstdio>
#include <span>
#include <string_view>

using namespace std::chrono_literals;

int main() {
    constexpr std::string_view secret = "12345678901234567890";
    const auto key = std::as_bytes(std::span(secret));
    const auto at = std::chrono::sys_seconds{59s};
    const auto code = twofactor::totp<twofactor::sha1, 8, 30s>{key}.code_at(at);
    const auto with_openssl = twofactor::totp<twofactor::openssl::sha1, 8, 30s>{key}.code_at(at);
    if (!code || !with_openssl || with_openssl->view() != code->view()) return 1;
#ifdef CONSUMER_HAVE_FMT
    if (fmt::format("{}", *code) != code->view()) return 1;
#endif
    std::printf("%.*s\n", static_cast<int>(code->view().size()), code->view().data());
    return code->view() == "94287082" ? 0 : 1;
}
