#!/usr/bin/env python3
"""Generates single_include/twofactor/twofactor.hpp from include/twofactor/twofactor.hpp.

Each of our own headers (quoted includes, or <twofactor/...>) is expanded once, in the order
the umbrella header first reaches it; standard and third-party includes stay as they are.
The opt-in headers (openssl.hpp, and fmt.hpp when it exists) are not part of it: each gets a
copy next to it, single_include/twofactor/<name>, whose includes of our headers become one
#include "twofactor.hpp". The output is deterministic (no timestamp), so CI can regenerate it
and fail on any change.

    tools/amalgamate.py            write the single header and the opt-in copies
    tools/amalgamate.py --check    fail if a checked-in file is stale (or left over), or if the
                                   umbrella header misses a public header
"""
import argparse
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "include"
UMBRELLA = INCLUDE / "twofactor" / "twofactor.hpp"
OUTPUT_DIR = ROOT / "single_include" / "twofactor"
OUTPUT = OUTPUT_DIR / "twofactor.hpp"
# Opt-in integrations that pull in third-party headers: never part of the umbrella.
OPT_IN = ("openssl.hpp", "fmt.hpp")

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

OPT_IN_BANNER = """\
// twofactor: {name}, an opt-in header of the single-header edition. Include it after (or
// instead of) twofactor.hpp, which must be next to it.
//
// GENERATED FILE, DO NOT EDIT: produced by tools/amalgamate.py from include/twofactor/{name}.
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


def include_guard(relative: str) -> str:
    """The include guard a header must have: twofactor/detail/sha1.hpp has
    TWOFACTOR_DETAIL_SHA1_HPP_INCLUDED. Guards, not #pragma once: they stay in the single
    header's sections, so the single header and the headers under include/ can meet in one
    translation unit (a program vendoring one, a dependency using the other) and whichever
    comes second is skipped."""
    return re.sub(r"[^A-Za-z0-9]", "_", relative).upper() + "_INCLUDED"


def check_guard(path: pathlib.Path, text: str) -> None:
    guard = include_guard(path.relative_to(INCLUDE).as_posix())
    directives = [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]
    if directives[:2] != [f"#ifndef {guard}", f"#define {guard}"] or not directives[-1].startswith("#endif"):
        raise SystemExit(f"amalgamate: {path.relative_to(INCLUDE)} must be wrapped in the include guard "
                         f"#ifndef {guard} / #define {guard} ... #endif")


def expand(path: pathlib.Path, seen: set, out: list) -> None:
    if path in seen:
        return
    seen.add(path)
    relative = path.relative_to(INCLUDE).as_posix()
    text = path.read_text(encoding="utf-8")
    check_guard(path, text)
    out.append(f"\n// ---- begin {relative} ----\n")
    for line in text.splitlines():
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


def generate_opt_in(path: pathlib.Path, reached: set) -> str:
    """The single-header copy of the opt-in header `path`: its includes of our headers, all
    inside the single header (`reached`), become one #include "twofactor.hpp"; those of other
    opt-in headers name their copies."""
    out = [OPT_IN_BANNER.format(name=path.name)]
    single_header_included = False
    text = path.read_text(encoding="utf-8")
    check_guard(path, text)
    for line in text.splitlines():
        if PRAGMA_ONCE.match(line):
            continue
        match = INCLUDE_LINE.match(line)
        target = resolve(path, match.group(1), match.group(2)) if match else None
        if target is None:
            out.append(line + "\n")
        elif target.parent == INCLUDE / "twofactor" and target.name in OPT_IN:
            out.append(f'#include "{target.name}"\n')
        elif target not in reached:
            raise SystemExit(f"amalgamate: {path.name} includes {target.relative_to(INCLUDE)}, "
                             "which the umbrella header does not reach")
        elif not single_header_included:
            out.append('#include "twofactor.hpp"\n')
            single_header_included = True
    return "".join(out)


def outputs() -> tuple[dict, set]:
    """Every generated file (path: text), and the headers the single header holds."""
    text, reached = generate()
    files = {OUTPUT: text}
    for name in OPT_IN:
        source = INCLUDE / "twofactor" / name
        if source.is_file():
            files[OUTPUT_DIR / name] = generate_opt_in(source.resolve(), reached)
    return files, reached


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the single header is stale")
    args = parser.parse_args()

    files, reached = outputs()
    # Copies of opt-in headers that no longer exist: removed (reported stale by --check).
    left_over = [OUTPUT_DIR / name for name in OPT_IN if OUTPUT_DIR / name not in files]
    left_over = [path for path in left_over if path.exists()]
    public = {p.resolve() for p in (INCLUDE / "twofactor").glob("*.hpp") if p.name not in OPT_IN}
    missing = sorted(p.name for p in public - reached)
    if missing:
        print(f"amalgamate: the umbrella header does not include: {', '.join(missing)}", file=sys.stderr)
        return 1

    if args.check:
        stale = [path for path, text in files.items()
                 if (path.read_text(encoding="utf-8") if path.is_file() else "") != text]
        stale += left_over
        for path in stale:
            print(f"amalgamate: {path.relative_to(ROOT)} is stale; run tools/amalgamate.py", file=sys.stderr)
        if stale:
            return 1
        names = ", ".join(str(path.relative_to(ROOT)) for path in files)
        print(f"amalgamate: {names} up to date")
        return 0

    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in files.items():
        # Only a changed file is written, and atomically: a build compiling against it meanwhile
        # sees the old or the new text, never a partial one, and is not made stale for nothing.
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
            written.append(path)
    for path in left_over:
        path.unlink()
        print(f"amalgamate: removed {path.relative_to(ROOT)}")
    for path in written:
        detail = f" ({len(reached)} headers)" if path == OUTPUT else ""
        print(f"amalgamate: wrote {path.relative_to(ROOT)}{detail}")
    if not written:
        print("amalgamate: " + ", ".join(str(path.relative_to(ROOT)) for path in files) + " up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
