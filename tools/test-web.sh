#!/usr/bin/env bash
# The example web application's end-to-end test (examples/web/e2e): installs what it needs
# (tools/install-deps.sh --web: cpp-httplib, SQLite, Chromium, oathtool, Node.js), installs
# playwright-core from the lock file (no browser download: the test drives /usr/bin/chromium),
# builds the server into build/web and runs the test in headless Chromium. Screenshots of the
# wizard's pages and the downloaded backup-code files land in build/web/artifacts.
# Usage: tools/test-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh --web
(cd examples/web/e2e && npm ci --no-audit --no-fund --loglevel=error)
cmake -S examples/web -B build/web -G Ninja >/dev/null
cmake --build build/web -j "$(nproc)"
node examples/web/e2e/e2e.mjs
