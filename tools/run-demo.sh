#!/usr/bin/env bash
# Builds the twofactor command-line tool and runs its demo: codes for the RFC 6238 test secret,
# then the verification of a fresh code, exactly as a user would type them.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake --preset gcc >/dev/null
cmake --build --preset gcc --target twofactor_cli -j "$(nproc)" >/dev/null
cli=build/gcc/tools/twofactor/twofactor

secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ   # RFC 6238 Appendix B's SHA-1 key, "12345678901234567890"
echo "\$ twofactor code --secret $secret --time 59 --digits 8"
"$cli" code --secret "$secret" --time 59 --digits 8
echo "\$ twofactor code --secret $secret"
code=$("$cli" code --secret "$secret")
echo "$code"
echo "\$ twofactor verify --secret $secret --code $code"
"$cli" verify --secret "$secret" --code "$code"
echo "\$ twofactor verify --secret $secret --code 000000 --time 59   (a wrong code)"
"$cli" verify --secret "$secret" --code 000000 --time 59 || echo "(exit status $?)"
