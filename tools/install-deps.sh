#!/usr/bin/env bash
# Installs the Debian packages that building and testing twofactor needs, if any is missing.
# Usage: tools/install-deps.sh             (the tests, benchmarks and the tool)
#        tools/install-deps.sh --embedded  (also the Cortex-M cross compiler, about 2 GB)
set -euo pipefail

packages=(
    cmake ninja-build g++ clang libclang-rt-14-dev python3
    libboost-test-dev libssl-dev libfmt-dev libbenchmark-dev
    oathtool python3-pyotp liboath-dev
    zbar-tools libqrencode-dev pkg-config
)
if [ "${1:-}" = "--embedded" ]; then
    packages+=(gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib)
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
