#!/usr/bin/env python3
"""Generates single_include/twofactor/twofactor.hpp from include/twofactor/twofactor.hpp.

Each of our own headers (quoted includes, or <twofactor/...>) is expanded once, in the order
the umbrella header first reaches it; standard and third-party includes stay as they are.
The output is deterministic (no timestamp), so CI can regenerate it and fail on any change.

    tools/amalgamate.py            write the single header
    tools/amalgamate.py --check    fail if the checked-in single header is stale, or if the
                                   umbrella header misses a public header
"""
import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "include"
UMBRELLA = INCLUDE / "twofactor" / "twofactor.hpp"
OUTPUT = ROOT / "single_include" / "twofactor" / "twofactor.hpp"
# Opt-in integrations that pull in third-party headers: never part of the umbrella.
OPT_IN = {"openssl.hpp", "fmt.hpp"}

INCLUDE_LINE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
PRAGMA_ONCE = re.compile(r"^\s*#\s*pragma\s+once\b")

BANNER = """\
// twofactor: header-only C++20 two-factor authentication (TOTP/HOTP, setup codes, QR codes,
// backup codes, enrollment). Single-header edition.
//
// GENERATED FILE, DO NOT EDIT: produced by tools/amalgamate.py from include/twofactor/.
// Edit the headers under include/ and run the script again.
#pragma once
"""


def resolve(including: pathlib.Path, delimiter: str, name: str):
    """The path of one of our headers that an include line names, or None for other headers."""
    if delimiter == '"':
        candidate = (including.parent / name).resolve()
    elif name.startswith("twofactor/"):
        candidate = (INCLUDE / name).resolve()
    else:
        return None
    return candidate if candidate.is_file() else None


def expand(path: pathlib.Path, seen: set, out: list) -> None:
    if path in seen:
        return
    seen.add(path)
    relative = path.relative_to(INCLUDE).as_posix()
    out.append(f"\n// ---- begin {relative} ----\n")
    for line in path.read_text(encoding="utf-8").splitlines():
        if PRAGMA_ONCE.match(line):
            continue
        match = INCLUDE_LINE.match(line)
        if match:
            target = resolve(path, match.group(1), match.group(2))
            if target is not None:
                expand(target, seen, out)
                continue
        out.append(line + "\n")
    out.append(f"// ---- end {relative} ----\n")


def generate() -> tuple[str, set]:
    seen: set = set()
    out = [BANNER]
    expand(UMBRELLA, seen, out)
    return "".join(out), seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the single header is stale")
    args = parser.parse_args()

    text, reached = generate()
    public = {p.resolve() for p in (INCLUDE / "twofactor").glob("*.hpp") if p.name not in OPT_IN}
    missing = sorted(p.name for p in public - reached)
    if missing:
        print(f"amalgamate: the umbrella header does not include: {', '.join(missing)}", file=sys.stderr)
        return 1

    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
        if current != text:
            print(f"amalgamate: {OUTPUT.relative_to(ROOT)} is stale; run tools/amalgamate.py", file=sys.stderr)
            return 1
        print(f"amalgamate: {OUTPUT.relative_to(ROOT)} is up to date")
        return 0

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"amalgamate: wrote {OUTPUT.relative_to(ROOT)} ({len(reached)} headers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
