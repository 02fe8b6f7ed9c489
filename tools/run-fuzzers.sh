#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang++ (no CMake needed) and fuzzes each for a
# while, one after the other (or `-j N` at a time). Fails (exit 1) on any finding: a crash, a broken invariant, a
# sanitizer report, a timeout or running out of memory.
#
# Usage: tools/run-fuzzers.sh [-j jobs] [seconds-per-target] [target ...]
#        (default: 1 job, 60 seconds, every fuzz/fuzz_*.cpp; e.g. tools/run-fuzzers.sh 600 fuzz_qr_encode;
#        CI: tools/run-fuzzers.sh -j "$(nproc)" 45, builds and fuzzes that many targets at a time)
# Environment: CXX (default clang++-14, else clang++).
#
# Per target it uses, under build/fuzz/:
#   <target>              the binary (rebuilt when its source or a header is newer);
#   corpus/<target>/      the working corpus: a copy of fuzz/corpus/<target>/, kept between runs
#                         and grown by them (the repository's corpus is never written);
#   artifacts/<target>/   crash-*, timeout-*, oom-* inputs of findings;
#   <target>.log          libFuzzer's output of the last run.
# fuzz/regressions/<target>/, when present, is read as seeds too (and never written).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=1
if [ "${1:-}" = "-j" ]; then jobs=${2:-}; shift 2 || true; fi
seconds=${1:-60}
[ $# -gt 0 ] && shift
if ! [[ "$jobs" =~ ^[0-9]+$ ]] || [ "$jobs" -lt 1 ]; then
    echo "usage: tools/run-fuzzers.sh [-j jobs] [seconds-per-target] [target ...]" >&2
    exit 2
fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: tools/run-fuzzers.sh [-j jobs] [seconds-per-target] [target ...]" >&2
    exit 2
fi

if [ -z "${CXX:-}" ]; then
    if command -v clang++-14 >/dev/null; then CXX=clang++-14; else CXX=clang++; fi
fi
command -v "$CXX" >/dev/null || { echo "run-fuzzers: $CXX not found (apt-get install clang-14)" >&2; exit 2; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for source in fuzz/fuzz_*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi

# The longest input each target is given (libFuzzer's -max_len).
max_len() {
    case "$1" in
        fuzz_base32) echo 512 ;;
        fuzz_typed_codes) echo 64 ;;
        *) echo 4096 ;;
    esac
}

out=build/fuzz
mkdir -p "$out"

build_target() {
    local target=$1 source=fuzz/$1.cpp binary=$out/$1
    if [ ! -x "$binary" ] || [ -n "$(find "$source" fuzz/fuzz_support.hpp include -newer "$binary" -print -quit)" ]; then
        echo "=== build $target"
        "$CXX" -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
            -Iinclude "$source" -o "$binary"
    fi
}

# Fuzzes one target; writes its summary line to $out/<target>.result; returns 1 on a finding.
fuzz_target() {
    local target=$1 binary=$out/$1 corpus=$out/corpus/$1 artifacts=$out/artifacts/$1 log=$out/$1.log
    mkdir -p "$corpus" "$artifacts"
    cp -n fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
    local seeds=("$corpus")
    [ -d fuzz/regressions/"$target" ] && seeds+=(fuzz/regressions/"$target")

    echo "=== fuzz $target for ${seconds}s (log: $log)"
    local rc=0
    "$binary" -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=60 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "${seeds[@]}" >"$log" 2>&1 || rc=$?

    # "Done N runs in S second(s)" is libFuzzer's last line after a run without findings.
    local runs=- rate=- done_line taken finding
    if done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1); then
        runs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\1/' <<<"$done_line")
        taken=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\2/' <<<"$done_line")
        rate=$((runs / (taken > 0 ? taken : 1)))
    fi
    if [ $rc -ne 0 ] || [ "$runs" = - ]; then
        finding=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
        echo "!!! $target: FINDING (exit $rc)${finding:+: $finding}"
        grep -E 'ERROR: |invariant failed|assertion failed|runtime error' "$log" | head -5 | sed 's/^/    /'
        printf '%-22s %12s %10s   FAILED %s\n' "$target" "$runs" "$rate" "${finding:-see $log}" >"$out/$target.result"
        return 1
    fi
    printf '%-22s %12s %10s   ok\n' "$target" "$runs" "$rate" >"$out/$target.result"
}

for target in "${targets[@]}"; do
    [ -f fuzz/"$target".cpp ] || { echo "run-fuzzers: no fuzz/$target.cpp" >&2; exit 2; }
    rm -f "$out/$target.result"
done
# Runs `$1 target` for every target, up to $jobs at a time; returns 1 if any of them failed.
for_each_target() {
    local step=$1 running=0 failed=0 target
    for target in "${targets[@]}"; do
        if [ "$running" -ge "$jobs" ]; then wait -n || failed=1; running=$((running - 1)); fi
        "$step" "$target" &
        running=$((running + 1))
    done
    while [ "$running" -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
    return $failed
}

# Build, then fuzz (each fuzzer uses one core).
for_each_target build_target || { echo "run-fuzzers: a build failed" >&2; exit 2; }
status=0
for_each_target fuzz_target || status=1

echo
printf '%-22s %12s %10s   %s\n' target executions exec/s result
for target in "${targets[@]}"; do cat "$out/$target.result" 2>/dev/null || printf '%-22s   no result\n' "$target"; done
exit $status
