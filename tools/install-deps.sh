#!/usr/bin/env bash
# Installs the Debian packages that building and testing twofactor needs, if any is missing.
# Usage: tools/install-deps.sh             (the tests, benchmarks and the tool)
#        tools/install-deps.sh --embedded  (also the Cortex-M cross compiler, about 2 GB, and
#                                           what --aarch64 installs)
#        tools/install-deps.sh --aarch64   (also the AArch64 cross compiler and qemu-user, for
#                                           tools/test-aarch64.sh)
#        tools/install-deps.sh --web       (also what examples/web and its browser test need:
#                                           cpp-httplib, SQLite, Chromium, Node.js and npm)
set -euo pipefail

packages=(
    cmake ninja-build g++ clang clang-format libclang-rt-14-dev libc++-14-dev libc++abi-14-dev python3
    libboost-test-dev libssl-dev libfmt-dev libbenchmark-dev
    oathtool python3-pyotp liboath-dev python3-protobuf protobuf-compiler python3-qrcodegen
    zbar-tools python3-pil librsvg2-bin libqrencode-dev pkg-config valgrind
)
if [ "${1:-}" = "--embedded" ]; then
    packages+=(gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib)
fi
if [ "${1:-}" = "--embedded" ] || [ "${1:-}" = "--aarch64" ]; then
    packages+=(g++-aarch64-linux-gnu qemu-user)
fi
if [ "${1:-}" = "--web" ]; then
    packages+=(libcpp-httplib-dev libsqlite3-dev chromium)
    # Node.js may come from elsewhere (NodeSource's nodejs bundles npm and conflicts with
    # Debian's npm package): only if node or npm is missing are Debian's packages installed.
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        packages+=(nodejs npm)
    fi
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "twofactor: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
