"""A Kafka broker that goes away in the middle of a run, and a towpath program restarted with
the same consumer group (``make test-kafka``): every message reaches the output exactly once."""

import json
import time

from .test_kafka import _kafka, _name, _produce, _rows, _start, _stop, _wait_for, broker
from .test_kafka_formats import _produce_keyed, _start_env

PROGRAM = """
import sys
import towpath as pw

class S(pw.Schema):
    n: int

settings = {"bootstrap.servers": sys.argv[1], "group.id": sys.argv[2],
            "auto.offset.reset": "earliest", "reconnect.backoff.max.ms": 500}
t = pw.io.kafka.read(settings, sys.argv[3], schema=S, format="json", autocommit_duration_ms=50)
pw.io.csv.write(t, sys.argv[4])
pw.run()
"""


def _ns(path) -> dict[int, int]:
    """n -> multiplicity in the table now."""
    state: dict[int, int] = {}
    for row in _rows(path):
        state[int(row["n"])] = state.get(int(row["n"]), 0) + int(row["diff"])
    return {n: d for n, d in state.items() if d}


def _messages(ns) -> list[tuple[str, str]]:
    return [(f"k{n}", json.dumps({"n": n})) for n in ns]


@broker
def test_broker_outage_and_program_restart_lose_and_repeat_nothing(tmp_path):
    topic, group = _name("outage"), _name("group")
    _kafka("topic", "create", topic, "2")
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    _produce_keyed(topic, _messages(range(0, 40)))
    # Two threads: each consumer has one partition, and both reconnect.
    proc = _start_env(PROGRAM, {"TOWPATH_THREADS": "2"}, group, topic, str(first))
    try:
        _wait_for(proc, lambda: len(_ns(first)) == 40)
        # The broker goes away (its data stays); the program keeps running meanwhile.
        _kafka("down")
        time.sleep(2)
        assert proc.poll() is None, proc.communicate()
        _kafka("up")
        _produce_keyed(topic, _messages(range(40, 80)))
        _wait_for(proc, lambda: len(_ns(first)) == 80, timeout=90)
        time.sleep(1)
    finally:
        _stop(proc)
    assert _ns(first) == {n: 1 for n in range(80)}
    assert all(r["diff"] == "1" for r in _rows(first)), "no message read twice"
    # A restart with the same group resumes after the committed offsets: only new messages.
    _produce(topic, [json.dumps({"n": n}) for n in range(80, 90)])
    proc = _start(PROGRAM, group, topic, str(second))
    try:
        _wait_for(proc, lambda: len(_ns(second)) >= 10)
        time.sleep(1)
    finally:
        _stop(proc)
    assert _ns(second) == {n: 1 for n in range(80, 90)}
