// expect: valid
// 1500 ms is not a whole number of seconds: rejected instead of silently truncated to 1 s.
#include <twofactor/totp.hpp>

#include <chrono>

using namespace std::chrono_literals;
#ifdef TWOFACTOR_COMPILE_FAIL_CONTROL
using checked = twofactor::totp<twofactor::sha1, 6, 1000ms>;
#else
using checked = twofactor::totp<twofactor::sha1, 6, 1500ms>;
#endif
checked::code_type code;
