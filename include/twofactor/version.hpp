// twofactor: version numbers of this header set.
#pragma once

#define TWOFACTOR_VERSION_MAJOR 0
#define TWOFACTOR_VERSION_MINOR 1
#define TWOFACTOR_VERSION_PATCH 0

namespace twofactor::inline v1 {

/// The library version as one comparable number: major * 10000 + minor * 100 + patch.
inline constexpr int version =
    TWOFACTOR_VERSION_MAJOR * 10000 + TWOFACTOR_VERSION_MINOR * 100 + TWOFACTOR_VERSION_PATCH;

}  // namespace twofactor::inline v1
