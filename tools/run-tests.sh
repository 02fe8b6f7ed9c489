#!/usr/bin/env bash
# Builds twofactor and runs every test, the way CI does: g++ and clang++ release builds (the
# clang one against the single header; both with the valgrind constant-time check),
# AddressSanitizer + UBSan, and -fno-exceptions -fno-rtti; plus the single-header and format
# checks; with no arguments also the consumer projects, the firmware build, the ARMv8 SHA path
# under qemu-user, the web example's browser test and every fuzz target.
# Usage: tools/run-tests.sh [preset ...]   (default: the CI presets below; CMakePresets.json also
#        has gcc-sanitize, left out of CI for time: clang-sanitize runs ASan + UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then tools/install-deps.sh --embedded; else tools/install-deps.sh; fi
/usr/bin/python3 tools/amalgamate.py --check
tools/check-format.sh

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(gcc clang clang-sanitize gcc-no-exceptions)
jobs=$(nproc)
for preset in "${presets[@]}"; do
    echo "=== ${preset} ==="
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    ctest --preset "$preset" -j "$jobs"
done
# Only for the full CI run: the packaging and the firmware build.
if [ $# -eq 0 ]; then
    echo "=== consumers (find_package, add_subdirectory, FetchContent, pkg-config) ==="
    tools/test-consumers.sh
    echo "=== embedded (arm-none-eabi, Cortex-M4) ==="
    tools/build-embedded.sh
    echo "=== AArch64 SHA path under qemu-user ==="
    tools/test-aarch64.sh
    echo "=== example web application in headless Chromium (Playwright) ==="
    tools/test-web.sh
    echo "=== fuzzing (libFuzzer, 45 s per target, $jobs at a time) ==="
    tools/run-fuzzers.sh -j "$jobs" 45
fi
echo "twofactor: all tests passed (${presets[*]})"
