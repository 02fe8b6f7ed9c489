// expect: otp_digit_count
// Ten digits would be meaningless (a 31-bit value): rejected at compile time.
#include <twofactor/hotp.hpp>

#ifdef TWOFACTOR_COMPILE_FAIL_CONTROL
using checked = twofactor::hotp<twofactor::sha1, 9>;
#else
using checked = twofactor::hotp<twofactor::sha1, 10>;
#endif
checked::code_type code;
