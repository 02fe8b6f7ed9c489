#!/usr/bin/env bash
# Builds examples/embedded/firmware.cpp for a Cortex-M4 with arm-none-eabi-g++ (bare metal,
# newlib-nano, -Os, -fno-exceptions -fno-rtti, warnings as errors), reports the image sizes, and
# runs the same translation unit on the host, where it checks itself against RFC 6238.
#
# Usage: tools/build-embedded.sh [include-dir]
#   include-dir: where <twofactor/twofactor.hpp> is found, default include (single_include
#   checks the single header instead). Output goes to build/embedded/.
#   CXX (default g++) is the host compiler.
#
# How "verify path .text" is measured: three images are linked from firmware.cpp with the same
# flags and start-up code (see FIRMWARE_IMAGE in the source):
#   baseline     main reads the RTC, the stored key and the keypad, and uses no twofactor;
#   verify_only  main calls verify_code(): TOTP verification (SHA-1 HMAC, ±1 step, replay guard)
#                of the typed code against the key, at the RTC's time;
#   full         enrolment (secret from the TRNG, otpauth URI, basic_qr_code<10>) and verify.
# The verify path is text(verify_only) - text(baseline): every byte of code and constants the
# linker (--gc-sections) keeps because verification is used, including the library functions it
# calls (SHA-1, HMAC, 64-bit division from libgcc) and nothing of the C library start-up they
# share. "text" is the Berkeley text column of arm-none-eabi-size: code plus read-only data,
# i.e. what the function costs in flash apart from initialised data.
set -euo pipefail
cd "$(dirname "$0")/.."

include_dir=${1:-include}
out=build/embedded
host_cxx=${CXX:-g++}

for tool in arm-none-eabi-g++ arm-none-eabi-size arm-none-eabi-nm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build-embedded: $tool not found; install the ARM bare-metal toolchain" >&2
        echo "build-embedded: (Debian/Ubuntu: apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib," >&2
        echo "build-embedded:  or run tools/install-deps.sh)" >&2
        exit 1
    fi
done
if [ ! -f "$include_dir/twofactor/twofactor.hpp" ]; then
    echo "build-embedded: $include_dir/twofactor/twofactor.hpp not found" >&2
    exit 1
fi

mkdir -p "$out"
source=examples/embedded/firmware.cpp
target_flags=(-std=c++20 -mcpu=cortex-m4 -mthumb -Os -fno-exceptions -fno-rtti
              -Wall -Wextra -Wpedantic -Werror -ffunction-sections -fdata-sections -I"$include_dir")
# shellcheck disable=SC2054  # -Wl,--gc-sections is one argument
link_flags=(-Wl,--gc-sections --specs=nano.specs --specs=nosys.specs)

build_image() {  # name, extra flags...
    local name=$1
    shift
    arm-none-eabi-g++ "${target_flags[@]}" "$@" "$source" "${link_flags[@]}" \
        -Wl,-Map="$out/firmware-$name.map" -o "$out/firmware-$name.elf"
}

# Two compilations at a time at most (the machine is shared).
build_image full &
full_pid=$!
build_image verify_only -DFIRMWARE_IMAGE_VERIFY_ONLY
wait "$full_pid"
build_image baseline -DFIRMWARE_IMAGE_BASELINE &
baseline_pid=$!
# The same translation unit on the host, run: it verifies the RFC 6238 vector, refuses replays,
# wrong and late codes, and checks enrolment end to end. A non-zero exit fails the script.
"$host_cxx" -std=c++20 -O2 -fno-exceptions -fno-rtti -Wall -Wextra -Wpedantic -Werror \
    -DFIRMWARE_HOST_BUILD -I"$include_dir" "$source" -o "$out/firmware-host"
wait "$baseline_pid"

"$out/firmware-host"

text_of() { arm-none-eabi-size "$out/firmware-$1.elf" | awk 'NR == 2 { print $1 }'; }

echo
echo "embedded: full image (enrolment + verify), arm-none-eabi-size:"
arm-none-eabi-size "$out/firmware-full.elf"
full_text=$(text_of full)
verify_text=$(text_of verify_only)
baseline_text=$(text_of baseline)
verify_path=$((verify_text - baseline_text))

echo
echo "embedded: largest symbols of the verify path (in verify_only, not in baseline):"
symbols() {  # "size name" per symbol of an image, sizes in decimal, aliases (same address) once
    arm-none-eabi-nm -C --size-sort -S -t d "$out/firmware-$1.elf" |
        awk '!seen[$1]++ { size = $2 + 0; $1 = $2 = $3 = ""; sub(/^ +/, ""); print size "\t" $0 }'
}
symbols baseline >"$out/baseline.symbols"
symbols verify_only >"$out/verify_only.symbols"
awk -F '\t' 'NR == FNR { seen[$2] = 1; next } !($2 in seen) { printf "  %6d  %s\n", $1, $2 }' \
    "$out/baseline.symbols" "$out/verify_only.symbols" | sort -rn | head -12 | cut -c1-150

echo
echo "embedded: text of full image = $full_text, verify_only = $verify_text, baseline = $baseline_text bytes"
echo "embedded: verify path .text = $verify_path bytes (cortex-m4, -Os)"
