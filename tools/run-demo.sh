#!/usr/bin/env bash
# Builds the twofactor command-line tool and runs its demo: the setup an authenticator app
# needs (otpauth:// URI and its QR code), then a code and its verification, as a user types them.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake --preset gcc >/dev/null
cmake --build --preset gcc --target twofactor_cli -j "$(nproc)" >/dev/null
cli=build/gcc/tools/twofactor/twofactor

secret=JBSWY3DPEHPK3PXP   # the Key-Uri-Format example secret
echo "\$ twofactor uri --secret $secret --issuer Example --account alice@example.com"
uri=$("$cli" uri --secret "$secret" --issuer Example --account alice@example.com)
echo "$uri"
echo "\$ twofactor qr \"\$uri\"      # scan this with an authenticator app"
"$cli" qr "$uri"
echo "\$ twofactor code --secret $secret"
code=$("$cli" code --secret "$secret")
echo "$code"
echo "\$ twofactor verify --secret $secret --code $code"
"$cli" verify --secret "$secret" --code "$code"
rfc=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ   # RFC 6238 Appendix B's SHA-1 key
echo "\$ twofactor code --secret $rfc --time 59 --digits 8"
"$cli" code --secret "$rfc" --time 59 --digits 8
echo "\$ twofactor verify --secret $rfc --code 00000000 --digits 8 --time 59   (a wrong code)"
"$cli" verify --secret "$rfc" --code 00000000 --digits 8 --time 59 || echo "(exit status $?)"
