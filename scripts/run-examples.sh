#!/usr/bin/env bash
# Smoke-test the examples: run each examples/*.py (and examples/*/main.py) with no
# arguments, each within a time limit. An example must succeed on its own built-in sample
# data and should check its result (exit non-zero when it is wrong).
# Usage: scripts/run-examples.sh PYTHON [TIMEOUT_SECONDS]
set -uo pipefail
py="$1"
limit="${2:-300}"
passed=0
failed=0
logdir="$(mktemp -d)"
trap 'rm -rf "$logdir"' EXIT
shopt -s nullglob
for ex in examples/*.py examples/*/main.py; do
    log="$logdir/$(echo "$ex" | tr / _).log"
    start=$(date +%s%N)
    if timeout --kill-after=10 "$limit" "$py" "$ex" </dev/null >"$log" 2>&1; then
        rc=0
    else
        rc=$?
    fi
    tenths=$((($(date +%s%N) - start) / 100000000))
    secs="$((tenths / 10)).$((tenths % 10))"
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        echo "example $ex: ok (${secs} s)"
    else
        failed=$((failed + 1))
        [ "$rc" -eq 124 ] && why="timed out after ${limit} s" || why="exit $rc"
        echo "example $ex: FAILED, $why (${secs} s); last lines:"
        tail -n 30 "$log" | sed 's/^/    /'
    fi
done
echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
