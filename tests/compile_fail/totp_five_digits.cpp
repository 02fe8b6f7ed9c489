// expect: otp_digit_count
// Codes have 6..9 digits (RFC 4226 §5.3, erratum 5792): 5 fails naming the constraint.
#include <twofactor/totp.hpp>

#include <chrono>

using namespace std::chrono_literals;
#ifdef TWOFACTOR_COMPILE_FAIL_CONTROL
using checked = twofactor::totp<twofactor::sha1, 6, 30s>;
#else
using checked = twofactor::totp<twofactor::sha1, 5, 30s>;
#endif
checked::code_type code;
