#!/usr/bin/env bash
# Tests twofactor's packaging the ways projects consume it (tests/cmake/): installs the library
# into a temporary prefix, then configures, builds and runs one project each using it through
# find_package (and the package's components), pkg-config, add_subdirectory and FetchContent
# (from an archive of this source tree given as a file:// URL: no network). Each project
# prints the RFC 6238 code for T = 59 s, and must print 94287082 and exit with 0. Also: the
# single header with LLVM's libc++ instead of libstdc++, and with C++17 (one clear error).
# Usage: tools/test-consumers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
expected=94287082

work=$(mktemp -d "${TMPDIR:-/tmp}/twofactor-consumers.XXXXXX")
trap 'rm -rf "$work"' EXIT
cxx=$(command -v g++)
# Absolute tool paths: one configuration below switches off the system search paths.
cmake_args=(-G Ninja -DCMAKE_MAKE_PROGRAM="$(command -v ninja)" -DCMAKE_CXX_COMPILER="$cxx"
            -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
log="$work/log"

fail() {
    echo "test-consumers: $*" >&2
    [ -s "$log" ] && tail -n 40 "$log" >&2
    exit 1
}

# Runs `cmd...` with its output in $log; on failure, shows the log and stops.
quietly() {
    "$@" >"$log" 2>&1 || fail "failed: $*"
}

# Runs the consumer program $2 and checks its output: one line "consumer $1: ok (code ...)".
check_consumer() {
    local name=$1 program=$2 code
    : >"$log"
    code=$("$program" 2>"$log") || fail "$name: $program exited with $?"
    [ "$code" = "$expected" ] || fail "$name: printed '$code', expected $expected"
    echo "consumer $name: ok (code $code)"
}

# The library, installed: nothing to build but the package files.
quietly cmake -S . -B "$work/build" "${cmake_args[@]}" -DTWOFACTOR_BUILD_TESTS=OFF \
    -DTWOFACTOR_BUILD_BENCHMARKS=OFF -DTWOFACTOR_BUILD_TOOLS=OFF -DTWOFACTOR_INSTALL=ON
quietly cmake --build "$work/build"
quietly cmake --install "$work/build" --prefix "$work/prefix"

# find_package, with the openssl and (if fmt is installed) fmt components.
consumer="$work/find_package"
quietly cmake -S tests/cmake/find_package_consumer -B "$consumer" "${cmake_args[@]}" \
    -DCMAKE_PREFIX_PATH="$work/prefix"
grep -q "^twofactor_DIR:PATH=$work/prefix/" "$consumer/CMakeCache.txt" ||
    fail "find_package: twofactor was not found in $work/prefix"
quietly cmake --build "$consumer"
check_consumer find_package "$consumer/consumer"

# find_package(twofactor COMPONENTS fmt) where fmt cannot be found (no system search paths):
# not found, and an error when REQUIRED.
if cmake -S tests/cmake/find_package_consumer -B "$work/no_fmt" "${cmake_args[@]}" \
    -DCMAKE_PREFIX_PATH="$work/prefix" -DEXPECT_NO_FMT=ON -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF \
    -DCMAKE_FIND_USE_SYSTEM_ENVIRONMENT_PATH=OFF -DCMAKE_FIND_USE_CMAKE_ENVIRONMENT_PATH=OFF \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$log" 2>&1; then
    fail "find_package(twofactor REQUIRED COMPONENTS fmt) succeeded without fmt"
fi
if ! grep -q "without fmt, not found as expected" "$log" ||
    ! grep -q 'Could not find a package configuration file provided by "fmt"' "$log"; then
    fail "find_package COMPONENTS fmt without fmt: failed, but not as expected"
fi
echo "consumer find_package (COMPONENTS fmt, fmt missing): fails as expected"

# pkg-config: the flags of the installed twofactor.pc compile the add_subdirectory consumer's
# program (the language standard is the user's choice, not in Cflags).
cflags=$(PKG_CONFIG_PATH="$work/prefix/share/pkgconfig" pkg-config --cflags twofactor)
[ "$(PKG_CONFIG_PATH="$work/prefix/share/pkgconfig" pkg-config --modversion twofactor)" = \
    "$(sed -n 's/^project(twofactor VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ] ||
    fail "pkg-config: twofactor.pc has the wrong version"
# shellcheck disable=SC2086  # the flags are words
quietly "$cxx" -std=c++20 $cflags tests/cmake/add_subdirectory_consumer/main.cpp -o "$work/pkg_config" -MD \
    -MF "$work/pkg_config.d"
grep -q "$work/prefix/share/pkgconfig/../../include/twofactor/totp.hpp" "$work/pkg_config.d" ||
    fail "pkg-config: the program did not use the installed headers ($cflags)"
check_consumer pkg-config "$work/pkg_config"

# add_subdirectory: a subproject builds only the library, and its headers are SYSTEM.
consumer="$work/add_subdirectory"
quietly cmake -S tests/cmake/add_subdirectory_consumer -B "$consumer" "${cmake_args[@]}" \
    -DTWOFACTOR_SOURCE_DIR="$repo"
grep -q -- "-isystem $repo/include" "$consumer/compile_commands.json" ||
    fail "add_subdirectory: twofactor's include directory is not SYSTEM"
quietly cmake --build "$consumer"
check_consumer add_subdirectory "$consumer/consumer"

# FetchContent, from an archive of the source tree (as it is now, build directories left out).
tar -cf "$work/twofactor.tar" --exclude-vcs --exclude=./build --exclude='./build-*' --exclude=./out \
    --exclude=__pycache__ -C "$repo" .
consumer="$work/fetch_content"
quietly cmake -S tests/cmake/fetch_content_consumer -B "$consumer" "${cmake_args[@]}" \
    -DTWOFACTOR_URL="file://$work/twofactor.tar"
grep -q -- "-isystem $consumer/_deps/twofactor-src/include" "$consumer/compile_commands.json" ||
    fail "FetchContent: twofactor's include directory is not SYSTEM"
quietly cmake --build "$consumer"
check_consumer FetchContent "$consumer/consumer"

# The other standard library: clang++ with libc++ (libc++-14-dev), the single header, our
# warnings as errors; the consumer program, and the wizard's translation unit of the
# compile-time benchmark (which instantiates most of the library).
flags=(-stdlib=libc++ -std=c++20 -Wall -Wextra -Wpedantic -Werror -Isingle_include)
quietly clang++ "${flags[@]}" tests/cmake/add_subdirectory_consumer/main.cpp -o "$work/libcxx"
quietly clang++ "${flags[@]}" -c benchmarks/compile_time/twofactor_tu.cpp -o "$work/libcxx_wizard.o"
check_consumer "libc++ (clang++ -stdlib=libc++)" "$work/libcxx"

# C++17: the first diagnostic says that C++20 is needed.
if "$cxx" -std=c++17 -fsyntax-only -Isingle_include tests/cmake/add_subdirectory_consumer/main.cpp >"$log" 2>&1; then
    fail "C++17: the single header compiled"
fi
grep -m1 'error' "$log" | grep -q 'twofactor requires C++20' || fail "C++17: the first error is not that C++20 is required"
echo "consumer C++17: refused with 'twofactor requires C++20' first"
