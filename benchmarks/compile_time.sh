#!/usr/bin/env bash
# Compile time of the single header against {fmt}, measured in the same run.
#
#   benchmarks/compile_time/twofactor_tu.cpp  includes single_include/twofactor/twofactor.hpp and
#       instantiates totp<sha1, 6, 30s> (generate, verify) and enrollment_wizard<that totp>
#       (start, next, submit_code, finish);
#   benchmarks/compile_time/fmt_tu.cpp        includes <fmt/format.h> and formats a line: the
#       baseline, what a project that uses {fmt} already pays per translation unit.
# For context three more are timed: the single header included and nothing instantiated
# (parsing and constant evaluation only: "include"); the C++ standard headers the single header
# includes, alone ("std": the floor under any translation unit that uses twofactor, since its
# API is made of them: std::error_code, std::chrono, std::string, std::span...); <chrono> alone
# ("chrono": a translation unit that writes `30s` includes it whatever library it uses; in C++20
# mode libstdc++ 12's <chrono> brings <sstream> with it); and fmt_tu.cpp with -DFMT_HEADER_ONLY
# ("fmt-ho"), the cost of {fmt} used header-only like twofactor.
#
# Each is compiled to an object file (-std=c++20 -c, no linking) RUNS times per optimisation
# level, alternating them so that a burst of load on a shared machine hits all alike. The figure is
# the least CPU time (user + sys) of the compiler over the runs: load on a shared machine only
# ever adds time (we have seen whole minutes run 1.5x slower), so the minimum is the steadiest
# estimate, and CPU time steadier than wall time (printed too). Target: twofactor/fmt <= 1.
#
# Usage: benchmarks/compile_time.sh [--runs N] [--compiler CXX]... [--opt LEVEL]...
#   defaults: 3 runs, $CXX or g++, -O0 and -O2. Example: --compiler g++ --compiler clang++
# Exit status: 0 when every measurement was made (the ratio is reported, not enforced).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
compilers=()
levels=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --compiler) compilers+=("$2"); shift 2 ;;
        --opt) levels+=("$2"); shift 2 ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compile_time: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#compilers[@]} -gt 0 ] || compilers=("${CXX:-g++}")
[ ${#levels[@]} -gt 0 ] || levels=(-O0 -O2)
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "compile_time: --runs needs a positive number" >&2; exit 2; }

header=single_include/twofactor/twofactor.hpp
[ -f "$header" ] || { echo "compile_time: $header not found (run tools/amalgamate.py)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One compilation; prints "cpu_seconds wall_seconds".
measure() {  # compiler, level, source, include flags...
    local compiler=$1 level=$2 source=$3
    shift 3
    local TIMEFORMAT='%3U %3S %3R' timing
    timing=$({ time "$compiler" -std=c++20 "$level" "$@" -c "$source" -o "$work/out.o" >/dev/null 2>"$work/errors"; } 2>&1) || {
        echo "compile_time: $compiler $level failed on $source:" >&2
        cat "$work/errors" >&2
        exit 1
    }
    awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' <<<"$timing"
}

least() { sort -n | head -1; }

fmt_version=$(printf '#include <fmt/core.h>\nFMT_VERSION\n' | "${compilers[0]}" -E -P -x c++ - 2>/dev/null | tail -1 || true)
echo "compile_time: single header $(wc -l <"$header") lines; fmt ${fmt_version:-?}; least of $runs runs;" \
    "CPU seconds (user + sys) per translation unit"
printf '%-10s %-5s %10s %8s %6s %7s %6s %7s %7s %10s   %s\n' compiler level "twofactor" include std chrono fmt \
    fmt-ho "tf/fmt" "tf/fmt-ho" "(wall s: twofactor / fmt)"
printf '#include <twofactor/twofactor.hpp>\n' >"$work/include_only.cpp"
printf '#include <chrono>\n' >"$work/chrono_only.cpp"
# <name> only: the standard library's headers, not <cpuid.h>, <sys/random.h> or Windows headers.
grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*<[a-z_]+>' "$header" | sed -E 's/^[^<]*(<[a-z_]+>).*/#include \1/' |
    sort -u >"$work/std_only.cpp"
worst=""
for compiler in "${compilers[@]}"; do
    command -v "$compiler" >/dev/null || { echo "compile_time: $compiler not found" >&2; exit 1; }
    for level in "${levels[@]}"; do
        : >"$work/tf" && : >"$work/include" && : >"$work/std" && : >"$work/chrono" && : >"$work/fmt" && : >"$work/fmt_ho"
        measure "$compiler" "$level" benchmarks/compile_time/twofactor_tu.cpp -Isingle_include >/dev/null  # warm the caches
        for ((i = 0; i < runs; ++i)); do
            measure "$compiler" "$level" benchmarks/compile_time/twofactor_tu.cpp -Isingle_include >>"$work/tf"
            measure "$compiler" "$level" benchmarks/compile_time/fmt_tu.cpp >>"$work/fmt"
            measure "$compiler" "$level" "$work/include_only.cpp" -Isingle_include >>"$work/include"
            measure "$compiler" "$level" "$work/std_only.cpp" >>"$work/std"
            measure "$compiler" "$level" "$work/chrono_only.cpp" >>"$work/chrono"
            measure "$compiler" "$level" benchmarks/compile_time/fmt_tu.cpp -DFMT_HEADER_ONLY >>"$work/fmt_ho"
        done
        tf_cpu=$(cut -d' ' -f1 "$work/tf" | least)
        fmt_cpu=$(cut -d' ' -f1 "$work/fmt" | least)
        include_cpu=$(cut -d' ' -f1 "$work/include" | least)
        std_cpu=$(cut -d' ' -f1 "$work/std" | least)
        chrono_cpu=$(cut -d' ' -f1 "$work/chrono" | least)
        fmt_ho_cpu=$(cut -d' ' -f1 "$work/fmt_ho" | least)
        tf_wall=$(cut -d' ' -f2 "$work/tf" | least)
        fmt_wall=$(cut -d' ' -f2 "$work/fmt" | least)
        ratio=$(awk -v a="$tf_cpu" -v b="$fmt_cpu" 'BEGIN { printf "%.2f", a / b }')
        ratio_ho=$(awk -v a="$tf_cpu" -v b="$fmt_ho_cpu" 'BEGIN { printf "%.2f", a / b }')
        printf '%-10s %-5s %10.2f %8.2f %6.2f %7.2f %6.2f %7.2f %7s %10s   (%.2f / %.2f)\n' "$(basename "$compiler")" \
            "$level" "$tf_cpu" "$include_cpu" "$std_cpu" "$chrono_cpu" "$fmt_cpu" "$fmt_ho_cpu" "$ratio" "$ratio_ho" \
            "$tf_wall" "$fmt_wall"
        worst=$(awk -v w="${worst:-0}" -v r="$ratio" 'BEGIN { print (r > w) ? r : w }')
    done
done
verdict=$(awk -v w="$worst" 'BEGIN { print (w <= 1.0) ? "within target" : "ABOVE target" }')
echo "compile_time: largest twofactor/fmt ratio = $worst (target <= 1.00: $verdict)"
