#!/usr/bin/env bash
# Check the Kafka Streams WordCount against the project's broker: a few words in (JSON with an
# emission time, one bare word, one unparsable value), and the last output per word must carry
# the true count and the largest emission time of that word. Starts the broker if it was not
# running (and then stops it again).
# Usage: benches/kafka_wordcount/kstreams/verify.sh [COMMIT_INTERVAL_MS]   (default 100)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA="$HERE/../../../scripts/kafka.sh"
COMMIT_MS="${1:-100}"
RUNID="$$-$(date +%s)"
IN="kstreams-verify-in-$RUNID"
OUT="kstreams-verify-out-$RUNID"
WORK="$(mktemp -d)"
started=0
app=""

cleanup() {
    local status=$?
    if [[ -n "$app" ]]; then kill -TERM "$app" 2>/dev/null && wait "$app" 2>/dev/null || true; fi
    "$KAFKA" topic delete "$IN" >/dev/null 2>&1 || true
    "$KAFKA" topic delete "$OUT" >/dev/null 2>&1 || true
    if ((started)); then "$KAFKA" down || status=1; fi
    rm -rf "$WORK"
    if ((status == 0)); then
        echo "kstreams-verify: 1 passed, 0 failed"
    else
        echo "kstreams-verify: 0 passed, 1 failed"
    fi
    exit "$status"
}
trap cleanup EXIT

jar="$("$HERE/build.sh")"
"$KAFKA" status >/dev/null 2>&1 || started=1
bootstrap="$("$KAFKA" up)"
"$KAFKA" topic create "$IN" 2 >/dev/null
"$KAFKA" topic create "$OUT" 2 >/dev/null

t0=$SECONDS
java -jar "$jar" --bootstrap "$bootstrap" --input "$IN" --output "$OUT" \
    --commit-interval-ms "$COMMIT_MS" --state-dir "$WORK/state" 2>"$WORK/app.err" &
app=$!
until grep -q 'kstreams-wordcount: RUNNING' "$WORK/app.err"; do
    kill -0 "$app" 2>/dev/null || { cat "$WORK/app.err" >&2; echo "FAIL: the app exited" >&2; exit 1; }
    ((SECONDS - t0 < 60)) || { cat "$WORK/app.err" >&2; echo "FAIL: not RUNNING after 60 s" >&2; exit 1; }
    sleep 0.2
done
echo "app RUNNING after $((SECONDS - t0)) s"

# Input: the i-th JSON word is emitted at t = 1000 + i. "kiwi" also comes once as a bare word
# (t -1), and one value is not JSON at all: it must be skipped without stopping the app.
words=(apple pear apple kiwi apple pear fig apple)
for i in "${!words[@]}"; do
    printf '{"word": "%s", "t": %d}\n' "${words[$i]}" $((1000 + i))
done >"$WORK/input"
echo kiwi >>"$WORK/input"
echo '{"word": ' >>"$WORK/input"
"$KAFKA" produce "$IN" <"$WORK/input" 2>/dev/null

# Expected "word count max_t", from the input above.
printf '%s\n' "${words[@]}" kiwi | sort | uniq -c | while read -r n w; do
    t=-1
    for i in "${!words[@]}"; do [[ "${words[$i]}" == "$w" ]] && t=$((1000 + i)); done
    echo "$w $n $t"
done >"$WORK/expected"

# Output values are {"word":"w","count":n,"t":t}; the last one per word is its current count.
# Poll: the app emits at its commit interval.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    "$KAFKA" consume "$OUT" "" 3000 2>/dev/null >"$WORK/output" || true
    sed -E 's/.*"word":"([^"]*)","count":([0-9]+),"t":(-?[0-9]+).*/\1 \2 \3/' "$WORK/output" |
        awk '{last[$1] = $0} END {for (w in last) print last[w]}' | sort >"$WORK/got"
    if cmp -s "$WORK/expected" "$WORK/got"; then
        echo "OK: counts and emission times match after $((SECONDS - t0)) s" \
            "($(wc -l <"$WORK/output") output records)"
        grep -q 'skipped 1 unparsable' "$WORK/app.err" ||
            { echo "FAIL: the bad value was not reported" >&2; exit 1; }
        exit 0
    fi
done
echo "FAIL: expected (word count t):" >&2
cat "$WORK/expected" >&2
echo "got:" >&2
cat "$WORK/got" >&2
cat "$WORK/app.err" >&2
exit 1
