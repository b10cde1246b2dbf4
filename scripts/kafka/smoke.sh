#!/usr/bin/env bash
# Smoke test of the project's Kafka broker: up, a 2-partition topic, 1000 keyed messages in,
# the same 1000 out (any order: two partitions), both partitions used, down.
# A broker that was already running is left running (only the test topic is deleted).
# Usage: scripts/kafka/smoke.sh [N]      (N messages, default 1000)
set -euo pipefail

KAFKA="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/kafka.sh"
N="${1:-1000}"
TOPIC="towpath-smoke-$$-$(date +%s)"
WORK="$(mktemp -d)"
started=0

cleanup() {
    local status=$?
    "$KAFKA" topic delete "$TOPIC" >/dev/null 2>&1 || true
    if ((started)); then "$KAFKA" down || status=1; fi
    rm -rf "$WORK"
    if ((status == 0)); then echo "kafka-smoke: 1 passed, 0 failed"; else echo "kafka-smoke: 0 passed, 1 failed"; fi
    exit "$status"
}
trap cleanup EXIT

t0=$SECONDS
"$KAFKA" status >/dev/null 2>&1 || started=1
bootstrap="$("$KAFKA" up)"
echo "broker at $bootstrap (up in $((SECONDS - t0)) s)"

"$KAFKA" topic create "$TOPIC" 2 >/dev/null

# key<TAB>value lines; distinct keys spread the records over both partitions.
for ((i = 0; i < N; i++)); do printf 'k%d\tmessage-%06d\n' "$i" "$i"; done >"$WORK/sent.tsv"
cut -f2 "$WORK/sent.tsv" | sort >"$WORK/sent"
"$KAFKA" tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$bootstrap" \
    --topic "$TOPIC" --reader-property parse.key=true --reader-property key.separator=$'\t' \
    --command-property acks=all <"$WORK/sent.tsv"

"$KAFKA" consume "$TOPIC" "$N" 30000 2>"$WORK/consume.err" | sort >"$WORK/received"
if ! cmp -s "$WORK/sent" "$WORK/received"; then
    echo "FAIL: sent $N messages, received $(wc -l <"$WORK/received"); first differences:" >&2
    diff "$WORK/sent" "$WORK/received" | head -10 >&2
    cat "$WORK/consume.err" >&2
    exit 1
fi

# End offsets per partition ("topic:partition:offset"): both must hold records, summing to N.
"$KAFKA" tool org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$bootstrap" \
    --topic "$TOPIC" >"$WORK/offsets"
used=$(awk -F: '$3 > 0' "$WORK/offsets" | wc -l)
total=$(awk -F: '{s += $3} END {print s + 0}' "$WORK/offsets")
if [[ "$used" != 2 || "$total" != "$N" ]]; then
    echo "FAIL: expected $N records over 2 partitions, offsets were:" >&2
    cat "$WORK/offsets" >&2
    exit 1
fi
echo "OK: $N messages through 2 partitions ($(tr '\n' ' ' <"$WORK/offsets")) in $((SECONDS - t0)) s"
