#!/usr/bin/env bash
# Builds the example web application (examples/web) and starts it on http://127.0.0.1:8080/
# with its database in build/web/twofactor-web.sqlite3. Sign in as the demo user it prints,
# then Settings > Account Information and Setup > Authentication. Stop it with Ctrl-C.
# Usage: tools/run-web-example.sh [--port N] [--host ADDRESS] [--database FILE]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/include/httplib.h ] || [ ! -f /usr/include/sqlite3.h ] || ! command -v cmake >/dev/null ||
   ! command -v ninja >/dev/null; then
    tools/install-deps.sh --web
fi
cmake -S examples/web -B build/web -G Ninja >/dev/null
cmake --build build/web -j "$(nproc)"
exec build/web/twofactor-web --database build/web/twofactor-web.sqlite3 "$@"
