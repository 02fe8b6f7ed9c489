// twofactor: the configuration hooks, TWOFACTOR_ASSERT and TWOFACTOR_DECLASSIFY.
//
// Every other choice (hash, digits, clock, random source, crypto backend) is a type or an
// included header, never a macro.
#ifndef TWOFACTOR_CONFIG_HPP_INCLUDED
#define TWOFACTOR_CONFIG_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

#include "version.hpp"

/**
 * TWOFACTOR_ASSERT(condition, message): checks a precondition that the caller broke
 * (e.g. reading the value of a result that holds an error). Bad *input* never reaches it:
 * input errors are returned as `twofactor::errc`.
 *
 * Define it before including any twofactor header to route failures elsewhere (a firmware
 * fault handler, a logging hook). The default prints the message to stderr and calls
 * std::abort(); in constant evaluation a failed assertion is a compile error.
 */
#ifndef TWOFACTOR_ASSERT
#include <cstdio>
#include <cstdlib>

namespace twofactor::inline v1::detail {
// Not constexpr on purpose: reaching it during constant evaluation makes the expression
// non-constant, so a broken precondition in a static_assert fails to compile.
[[noreturn]] inline void assertion_failed(const char* file, int line, const char* message) noexcept {
    std::fprintf(stderr, "%s:%d: twofactor assertion failed: %s\n", file, line, message);
    std::abort();
}
}  // namespace twofactor::inline v1::detail

#define TWOFACTOR_ASSERT(condition, message) \
    ((condition) ? static_cast<void>(0)      \
                 : ::twofactor::detail::assertion_failed(__FILE__, __LINE__, (message)))
#endif

/**
 * TWOFACTOR_DECLASSIFY(address, size): optional, for checking constant time with a tool such as
 * valgrind memcheck. Where a value computed from secrets becomes public by design (whether a code
 * matched, which candidate or backup code), twofactor passes its address and size to this macro.
 * tests/constant_time/ defines it as VALGRIND_MAKE_MEM_DEFINED and marks secrets undefined, so
 * any other branch or memory index on a secret is reported. Undefined by default (no effect).
 */

#endif  // TWOFACTOR_CONFIG_HPP_INCLUDED
