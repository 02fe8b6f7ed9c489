#!/usr/bin/env python3
"""Mutation testing of twofactor's headers: do the tests notice a small wrong change?

Each mutant changes one operator on one line of a header (<= to <, == to !=, && to ||, + 1 to
+ 0, ++ to --, return true to return false, a dropped break or '!'), rebuilds the tests named for
that header in an existing build tree and runs them with ctest. The mutant is killed when the
build fails (a static_assert of an RFC vector, say) or a test fails, and survives when every test
passes. A survivor is a place to read, not a verdict: many compute the same thing as the original
(an equivalent mutant), but others have shown real gaps in the tests (git log --grep=mutation).

usage: tools/mutation-test.py --build DIR [--out FILE] [--limit N] [--covered JSON]
                              HEADER:TEST[,TEST...] ...
  HEADER     a header under include/twofactor/, e.g. totp.hpp or detail/protobuf.hpp
  TEST       a ctest name; its target is test_<name> (tests/<name>.test.cpp)
  --build    a configured build tree of this checkout (e.g. cmake --preset gcc: build/gcc)
  --out      one JSON line per mutant (default mutants.jsonl): a stopped run resumes there
  --limit    at most N mutants per header, drawn at random with a fixed seed (default: all)
  --covered  gcovr --json output: only lines the tests execute are mutated (a mutant on a line
             no test runs survives, which line coverage already tells)
Run it in a checkout of its own: it edits the header in place (and puts it back after each
mutant, also when stopped). Example, about 10 s a mutant:
  cmake --preset gcc && tools/mutation-test.py --build build/gcc totp.hpp:totp hotp.hpp:hotp,totp
"""
import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys

# (pattern, replacement); patterns are applied to the code part of a line, one match at a time.
OPERATORS = [
    (r'<=', '<'), (r'>=', '>'), (r'(?<![<>=!-])<(?![<=])', '<='), (r'(?<![<>=!-])>(?![>=])', '>='),
    (r'==', '!='), (r'!=', '=='), (r'&&', '||'), (r'\|\|', '&&'),
    (r'\+ 1\b', '+ 0'), (r'- 1\b', '- 0'), (r'\+\+', '--'),
    (r'\breturn true;', 'return false;'), (r'\breturn false;', 'return true;'),
    (r'\bbreak;', ';'), (r'\bcontinue;', ';'), (r'(?<=[^\w])!(?=[\w(])', ''),
]
# Lines left alone: preprocessor, static_assert (a mutant there only breaks the build), text
# (string and character literals), and declarations where '<' and '>' are brackets.
SKIP_LINE = re.compile(r'^\s*(#|//|\*|/\*)|static_assert|template|requires|concept|["\']')
ANGLE_BRACKETS = re.compile(r'\w<|<\w+>|>\(|::')


def mutants_of(lines):
    """(line index, mutated line) for every operator match on every code line."""
    in_comment = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if in_comment:
            in_comment = '*/' not in stripped
            continue
        if stripped.startswith('/*') and '*/' not in stripped:
            in_comment = True
            continue
        code = line.split('//', 1)[0]
        if not code.strip() or SKIP_LINE.search(code):
            continue
        for pattern, replacement in OPERATORS:
            if pattern.startswith('(?<![<>=!-])') and ANGLE_BRACKETS.search(code):
                continue  # a comparison and a template bracket cannot be told apart here
            for match in re.finditer(pattern, code):
                yield index, line[:match.start()] + replacement + line[match.end():]


def run(command, timeout):
    try:
        return subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout).returncode == 0
    except subprocess.TimeoutExpired:
        return False  # a mutant that hangs a test is caught (by the timeout)


def main():
    parser = argparse.ArgumentParser(usage='%(prog)s --build DIR [options] HEADER:TEST[,TEST...] ...',
                                     description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--build', required=True)
    parser.add_argument('--out', default='mutants.jsonl')
    parser.add_argument('--limit', type=int, default=0)
    parser.add_argument('--covered')
    parser.add_argument('specs', nargs='+', metavar='HEADER:TEST[,TEST...]')
    args = parser.parse_args()
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    covered = None
    if args.covered:
        with open(args.covered) as report:
            covered = {f['file']: {line['line_number'] for line in f['lines'] if line['count'] > 0}
                       for f in json.load(report)['files']}
    done = set()
    if os.path.exists(args.out):
        with open(args.out) as previous:
            done = {(r['file'], r['line'], r['after']) for r in map(json.loads, previous)}
    # A stop (Ctrl-C, kill) unwinds through the finally below, which restores the header.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    survivors = []
    all_targets = set()
    with open(args.out, 'a') as out:
        for spec in args.specs:
            header, _, tests = spec.partition(':')
            if not tests:
                parser.error(f'{spec}: name the tests that cover it, as HEADER:TEST[,TEST...]')
            relative = os.path.join('include', 'twofactor', header)
            path = os.path.join(top, relative)
            with open(path) as source:
                original = source.read()
            lines = original.split('\n')
            candidates = [m for m in mutants_of(lines)
                          if covered is None or m[0] + 1 in covered.get(relative, set())]
            random.Random(2026).shuffle(candidates)
            if args.limit:
                candidates = candidates[:args.limit]
            targets = ' '.join('test_' + t for t in tests.split(','))
            all_targets.update(targets.split())
            build = f'cmake --build {args.build} --target {targets} -j 1'
            test = f'ctest --test-dir {args.build} -R "^({tests.replace(",", "|")})$" --timeout 300'
            counts = {'killed by the build': 0, 'killed by a test': 0, 'survived': 0}
            try:
                for index, mutated in candidates:
                    key = (relative, index + 1, mutated.strip())
                    if key in done:
                        continue
                    with open(path, 'w') as source:
                        source.write('\n'.join(lines[:index] + [mutated] + lines[index + 1:]))
                    if not run(build, 900):
                        status = 'killed by the build'
                    elif not run(test, 1800):
                        status = 'killed by a test'
                    else:
                        status = 'survived'
                        survivors.append(f'{relative}:{index + 1}: {mutated.strip()}')
                    counts[status] += 1
                    out.write(json.dumps({'file': relative, 'line': index + 1, 'before': lines[index].strip(),
                                          'after': mutated.strip(), 'status': status}) + '\n')
                    out.flush()
            finally:
                with open(path, 'w') as source:
                    source.write(original)
            print(f'{relative}: ' + ', '.join(f'{n} {status}' for status, n in counts.items()), flush=True)
    # The tests built from the original headers again.
    run(f'cmake --build {args.build} --target {" ".join(sorted(all_targets))} -j 1', 900)
    print('\n'.join(['survivors (read each: equivalent, or a test missing?):'] + survivors) if survivors
          else 'no survivors')


if __name__ == '__main__':
    main()
