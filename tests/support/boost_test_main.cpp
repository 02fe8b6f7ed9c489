// The Boost.Test runner (header-only variant), compiled once, with exceptions, and linked into
// every test executable. The test files themselves include only <boost/test/unit_test.hpp>,
// so they also build with -fno-exceptions -fno-rtti (Boost.Test's runner cannot).
#define BOOST_TEST_MODULE twofactor
#include <boost/test/included/unit_test.hpp>
