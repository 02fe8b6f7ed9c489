// expect: valid
// A time step must be a positive whole number of seconds.
#include <twofactor/totp.hpp>

#include <chrono>

using namespace std::chrono_literals;
#ifdef TWOFACTOR_COMPILE_FAIL_CONTROL
using checked = twofactor::totp<twofactor::sha1, 6, 30s>;
#else
using checked = twofactor::totp<twofactor::sha1, 6, 0s>;
#endif
checked::code_type code;
