#!/usr/bin/env bash
# Builds twofactor and runs every test, the way CI does: g++ and clang++ release builds,
# AddressSanitizer + UBSan, and -fno-exceptions -fno-rtti; plus the single-header check.
# Usage: tools/run-tests.sh [preset ...]   (default: all CI presets, see CMakePresets.json)
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
/usr/bin/python3 tools/amalgamate.py --check
tools/check-format.sh

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(gcc clang clang-sanitize gcc-sanitize gcc-no-exceptions)
jobs=$(nproc)
for preset in "${presets[@]}"; do
    echo "=== ${preset} ==="
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    ctest --preset "$preset" -j "$jobs"
done
echo "twofactor: all tests passed (${presets[*]})"
