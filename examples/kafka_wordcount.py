"""Word count from one Kafka topic to another, checked against a count done in plain Python.

    make kafka-up                        # a local broker on 127.0.0.1:9092
    python examples/kafka_wordcount.py   # skips (exit 0, saying why) when no broker answers

Sends 1,000 words (``{"word": "..."}``) to a fresh topic with ``scripts/kafka.sh produce``,
counts them with towpath (``pw.io.kafka.read`` → ``groupby().reduce()`` →
``pw.io.kafka.write`` to a second topic), and stops once the live counts match the words sent.
``TOWPATH_KAFKA_PORT`` picks another port.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections import Counter
from pathlib import Path

import towpath as pw

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("TOWPATH_KAFKA_PORT", "9092"))
BOOTSTRAP = f"127.0.0.1:{PORT}"


def broker_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=1):
            return True
    except OSError:
        return False


def kafka_sh(*args: str, stdin: str | None = None) -> None:
    subprocess.run([str(ROOT / "scripts" / "kafka.sh"), *args], input=stdin, text=True, check=True,
                   stdout=subprocess.DEVNULL, timeout=120)


class Word(pw.Schema):
    word: str


def main() -> int:
    if not broker_up():
        print(f"skipped: no Kafka broker at {BOOTSTRAP} (start one with `make kafka-up`)")
        return 0
    run_id = uuid.uuid4().hex[:8]
    words_topic, counts_topic = f"example-words-{run_id}", f"example-counts-{run_id}"
    kafka_sh("topic", "create", words_topic, "2")
    kafka_sh("topic", "create", counts_topic, "1")
    rng = random.Random(7)
    sent = [rng.choice(["apple", "banana", "cherry", "damson", "elder"]) for _ in range(1000)]
    kafka_sh("produce", words_topic, stdin="".join(json.dumps({"word": w}) + "\n" for w in sent))
    expected = Counter(sent)

    settings = {"bootstrap.servers": BOOTSTRAP, "group.id": f"example-{run_id}",
                "auto.offset.reset": "earliest"}
    words = pw.io.kafka.read(settings, words_topic, schema=Word, format="json",
                             autocommit_duration_ms=100)
    counts = words.groupby(pw.this.word).reduce(pw.this.word, n=pw.reducers.count())
    pw.io.kafka.write(counts, {"bootstrap.servers": BOOTSTRAP}, counts_topic, format="json")

    live: dict[str, int] = {}

    def on_change(key, row, time, is_addition):
        if is_addition:
            live[row["word"]] = row["n"]
        if live == dict(expected):
            os.kill(os.getpid(), signal.SIGINT)  # towpath stops cleanly on SIGINT

    pw.io.subscribe(counts, on_change)
    timer = threading.Timer(60, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        pw.run()
    finally:
        timer.cancel()
    for word, n in sorted(live.items()):
        print(f"{word}: {n}")
    if live != dict(expected):
        print(f"WRONG: expected {dict(expected)}", file=sys.stderr)
        return 1
    print(f"ok: {len(sent)} words counted; the counts' updates are in topic {counts_topic}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
