#!/usr/bin/env bash
# Fails when a C++ file in the repository differs from clang-format's output (.clang-format).
# (Compares the formatted text, because clang-format 14's --dry-run misreports
# "}  // namespace twofactor::inline v1".)
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r file; do
    if ! clang-format --style=file "$file" | cmp -s - "$file"; then
        echo "check-format: $file is not clang-formatted (run: clang-format -i $file)" >&2
        status=1
    fi
done < <(git ls-files '*.hpp' '*.cpp' | grep -v '^single_include/')
exit $status
