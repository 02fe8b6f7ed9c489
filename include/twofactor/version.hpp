// twofactor: version numbers of this header set.
#ifndef TWOFACTOR_VERSION_HPP_INCLUDED
#define TWOFACTOR_VERSION_HPP_INCLUDED

// Every header includes this one first: one clear message instead of hundreds of errors.
#if (defined(_MSVC_LANG) ? _MSVC_LANG : __cplusplus) < 202002L
#error "twofactor requires C++20 (-std=c++20, /std:c++20)"
#endif

#define TWOFACTOR_VERSION_MAJOR 0
#define TWOFACTOR_VERSION_MINOR 1
#define TWOFACTOR_VERSION_PATCH 0

namespace twofactor::inline v1 {

/// The library version as one comparable number: major * 10000 + minor * 100 + patch.
inline constexpr int version =
    TWOFACTOR_VERSION_MAJOR * 10000 + TWOFACTOR_VERSION_MINOR * 100 + TWOFACTOR_VERSION_PATCH;

}  // namespace twofactor::inline v1

#endif  // TWOFACTOR_VERSION_HPP_INCLUDED
