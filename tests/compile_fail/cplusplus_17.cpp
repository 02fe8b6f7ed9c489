// expect: twofactor requires C\+\+20
// misuse flags: -std=c++17
// Before C++20 the diagnostics say so in our words (tools/test-consumers.sh checks that this
// is the first error), not only in hundreds of errors from inside the headers.
#include <twofactor/twofactor.hpp>
