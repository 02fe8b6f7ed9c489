#!/usr/bin/env bash
# Tests the ARMv8 SHA-1/SHA-256 path (include/twofactor/detail/sha_armv8.hpp) for real: builds
# tests/aarch64/sha_armv8_check.cpp for AArch64 Linux with aarch64-linux-gnu-g++ and with
# clang++ --target=aarch64-linux-gnu (warnings as errors), and runs it under qemu-user:
#   - on `-cpu max` and `-cpu cortex-a53` (both have the SHA instructions): cpu_has_armv8_sha() must
#     be true, and the armv8, portable and automatic paths must agree with each other and with the
#     FIPS 180-4, RFC 2202/4231/4226/6238 vectors;
#   - on a CPU without them: cpu_has_armv8_sha() must be false and the automatic path still right.
#     Every AArch64 model of qemu-user 7.2 (`qemu-aarch64 -cpu help`) has SHA1 and SHA2, and none
#     has a property to turn them off, so this run hides HWCAP_SHA1/HWCAP_SHA2 from getauxval() with
#     an LD_PRELOAD shim (tests/aarch64/mask_sha_hwcap.cpp) in a dynamically linked build;
#   - built with -march=armv8-a+crypto (the compile-time detection, no target attributes).
# Emulation says nothing about speed; see benchmarks/ on real hardware for that.
# Installs g++-aarch64-linux-gnu and qemu-user if missing (tools/install-deps.sh --aarch64).
# Usage: tools/test-aarch64.sh   (output in build/aarch64/)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

tools/install-deps.sh --aarch64
for tool in aarch64-linux-gnu-g++ clang++ qemu-aarch64; do
    command -v "$tool" >/dev/null || { echo "test-aarch64: $tool not found" >&2; exit 1; }
done

out=build/aarch64
mkdir -p "$out"
source=tests/aarch64/sha_armv8_check.cpp
flags=(-std=c++20 -O2 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wsign-conversion -Iinclude)
gcc=(aarch64-linux-gnu-g++)
clang=(clang++ --target=aarch64-linux-gnu)
sysroot=/usr/aarch64-linux-gnu  # the cross C library, for the dynamically linked build

# The four compilations run two at a time (about 6 s of CPU each).
"${gcc[@]}" "${flags[@]}" -c "$source" -o "$out/gcc.o" &
gcc_job=$!
"${clang[@]}" "${flags[@]}" -c "$source" -o "$out/clang.o" &
clang_job=$!
wait "$gcc_job"
wait "$clang_job"
"${gcc[@]}" "${flags[@]}" -march=armv8-a+crypto -c "$source" -o "$out/gcc-crypto.o" &
gcc_job=$!
"${clang[@]}" "${flags[@]}" -march=armv8-a+crypto -c "$source" -o "$out/clang-crypto.o" &
clang_job=$!
wait "$gcc_job"
wait "$clang_job"
"${gcc[@]}" -static "$out/gcc.o" -o "$out/check-gcc"
"${gcc[@]}" "$out/gcc.o" -o "$out/check-gcc-dynamic"
"${gcc[@]}" "${flags[@]}" -shared -fPIC tests/aarch64/mask_sha_hwcap.cpp -o "$out/mask_sha_hwcap.so"
"${clang[@]}" -static "$out/clang.o" -o "$out/check-clang"
"${gcc[@]}" -static "$out/gcc-crypto.o" -o "$out/check-gcc-crypto"
"${clang[@]}" -static "$out/clang-crypto.o" -o "$out/check-clang-crypto"

run() {
    local title=$1
    shift
    echo "--- $title"
    "$@"
}
run "g++, qemu -cpu max" qemu-aarch64 -cpu max "$out/check-gcc" --expect-armv8-sha=yes
run "g++, qemu -cpu cortex-a53" qemu-aarch64 -cpu cortex-a53 "$out/check-gcc" --expect-armv8-sha=yes
run "g++, qemu -cpu max with HWCAP_SHA1/HWCAP_SHA2 hidden" \
    qemu-aarch64 -cpu max -L "$sysroot" -E LD_PRELOAD="$(pwd)/$out/mask_sha_hwcap.so" \
    "$out/check-gcc-dynamic" --expect-armv8-sha=no
run "clang++, qemu -cpu max" qemu-aarch64 -cpu max "$out/check-clang" --expect-armv8-sha=yes
run "g++ -march=armv8-a+crypto, qemu -cpu max" \
    qemu-aarch64 -cpu max "$out/check-gcc-crypto" --expect-armv8-sha=yes
run "clang++ -march=armv8-a+crypto, qemu -cpu max" \
    qemu-aarch64 -cpu max "$out/check-clang-crypto" --expect-armv8-sha=yes
echo "test-aarch64: all runs passed in $(($(date +%s) - start)) s"
