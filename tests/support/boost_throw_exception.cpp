// With -fno-exceptions Boost defines BOOST_NO_EXCEPTIONS and asks the program for
// boost::throw_exception. Nothing in our tests may reach it: if Boost.Test ever does, the test
// run stops loudly instead of continuing in an unknown state.
#include <boost/throw_exception.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace boost {

void throw_exception(const std::exception& error) {
    std::fprintf(stderr, "boost::throw_exception in a -fno-exceptions test: %s\n", error.what());
    std::abort();
}

void throw_exception(const std::exception& error, const boost::source_location&) { throw_exception(error); }

}  // namespace boost
