// expect: hash_function
// A type that is not a hash policy is rejected by the hash_function concept.
#include <twofactor/totp.hpp>

#include <chrono>

using namespace std::chrono_literals;
#ifdef TWOFACTOR_COMPILE_FAIL_CONTROL
using checked = twofactor::totp<twofactor::sha1, 6, 30s>;
#else
using checked = twofactor::totp<int, 6, 30s>;
#endif
checked::code_type code;
