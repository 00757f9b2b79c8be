#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build (make fuzz) for SECONDS each, one after the other on
# one core, and prints the executions of each and the total.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]   (targets: the names of tests/fuzz/*.cpp)
# Each target starts from its seeds (tests/fuzz/corpus/<target>) and from what earlier runs found
# (BUILD_DIR/corpus/<target>, where new inputs go). With FUZZ_MINIMIZE=1 the inputs found are
# merged into the seed corpus in the repo instead (only those that add coverage).
# A crash, leak or sanitizer report leaves its input in BUILD_DIR/artifacts/<target>/ and the
# log in BUILD_DIR/logs/<target>.log; the script then exits 1 after the other targets have run.
set -euo pipefail
build=${1:?usage: tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
root="$(cd "$(dirname "$0")" && pwd)"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for source in "$root"/*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi

total=0
failed=()
printf '%-16s %14s %10s %s\n' target executions exec/s result
for target in "${targets[@]}"; do
    fuzzer="$build/tests/fuzz/fuzz_$target"
    seeds="$root/corpus/$target"
    work="$build/corpus/$target"
    log="$build/logs/$target.log"
    [ -x "$fuzzer" ] || { echo "run.sh: no fuzzer $fuzzer (build the fuzz_targets target)" >&2; exit 2; }
    mkdir -p "$work" "$build/artifacts/$target" "$build/logs"
    result=ok
    # -rss_limit_mb: a leak or a runaway allocation fails; -timeout: so does an input that hangs.
    if ! "$fuzzer" "$work" "$seeds" -max_total_time="$seconds" -print_final_stats=1 \
        -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$build/artifacts/$target/" \
        >"$log" 2>&1; then
        result="FAILED (see $log)"
        failed+=("$target")
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    runs=${runs:-0}
    total=$((total + runs))
    printf '%-16s %14d %10d %s\n' "$target" "$runs" $((runs / seconds)) "$result"
    if [ "${FUZZ_MINIMIZE:-0}" = 1 ]; then
        "$fuzzer" -merge=1 "$seeds" "$work" >>"$log" 2>&1
    fi
done
printf '%-16s %14d\n' total "$total"
if [ ${#failed[@]} -gt 0 ]; then
    echo "run.sh: findings in: ${failed[*]} (inputs in $build/artifacts/)" >&2
    exit 1
fi
