"""``pw.io.kafka.read`` against a real Kafka broker (``make kafka-up``).

Runs only with ``TOWPATH_KAFKA=1`` and a broker reachable at 127.0.0.1:$TOWPATH_KAFKA_PORT
(default 9092), as ``make test-kafka`` arranges. Each test uses topics and consumer groups of its
own, so reruns on the same broker do not see each other's messages.
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
KAFKA_SH = ROOT / "scripts" / "kafka.sh"
PORT = int(os.environ.get("TOWPATH_KAFKA_PORT", "9092"))
BOOTSTRAP = f"127.0.0.1:{PORT}"


def _broker_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=1):
            return True
    except OSError:
        return False


broker = pytest.mark.skipif(
    os.environ.get("TOWPATH_KAFKA") != "1" or not _broker_up(),
    reason="needs TOWPATH_KAFKA=1 and a Kafka broker (make test-kafka)",
)

WORDCOUNT = """
import sys
import towpath as pw
import towpath.io.kafka  # until towpath.io imports it

class S(pw.Schema):
    word: str

settings = {"bootstrap.servers": sys.argv[1], "group.id": sys.argv[2],
            "auto.offset.reset": "earliest"}
words = pw.io.kafka.read(settings, sys.argv[3], schema=S, format="json",
                         autocommit_duration_ms=50)
counts = words.groupby(pw.this.word).reduce(pw.this.word, n=pw.reducers.count())
pw.io.csv.write(counts, sys.argv[4])
pw.io.csv.write(pw.global_error_log(), sys.argv[5])
if len(sys.argv) > 6:
    pw.io.kafka.write(counts, {"bootstrap.servers": sys.argv[1]}, sys.argv[6])
pw.run()
"""

METADATA = """
import sys
import towpath as pw
import towpath.io.kafka  # until towpath.io imports it

settings = {"bootstrap.servers": sys.argv[1], "group.id": sys.argv[2],
            "auto.offset.reset": "earliest"}
t = pw.io.kafka.read(settings, sys.argv[3], format="plaintext", with_metadata=True,
                     autocommit_duration_ms=50)
pw.io.jsonlines.write(t, sys.argv[4])
pw.run()
"""


def _name(what: str) -> str:
    return f"towpath-test-{what}-{uuid.uuid4().hex[:10]}"


# `make test-kafka` passes the path of a small Rust client (crates/towpath-kafka/examples/
# kafka_tool.rs) that creates topics and produces in milliseconds; the broker's Java tools, the
# fallback, take 2-3 s to start each time.
TOOL = os.environ.get("TOWPATH_KAFKA_TOOL", "")


def _tool(*args: str, stdin: str | None = None) -> bool:
    """Runs the quick client if there is one; false when there is not."""
    if not TOOL or not os.access(TOOL, os.X_OK):
        return False
    subprocess.run([TOOL, BOOTSTRAP, *args], input=stdin, text=True, check=True,
                   stdout=subprocess.DEVNULL, timeout=120)
    return True


def _kafka(*args: str, stdin: str | None = None) -> None:
    if args[:2] == ("topic", "create") and _tool("create", *args[2:]):
        return
    env = dict(os.environ, TOWPATH_KAFKA_PORT=str(PORT))
    subprocess.run([str(KAFKA_SH), *args], input=stdin, text=True, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def _produce(topic: str, messages: list[str]) -> None:
    lines = "".join(m + "\n" for m in messages)
    if not _tool("produce", topic, stdin=lines):
        _kafka("produce", topic, stdin=lines)


def _start(program: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    return subprocess.Popen([sys.executable, "-c", program, BOOTSTRAP, *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, (out, err)


def _wait_for(proc: subprocess.Popen, what, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if proc.poll() is not None:
            raise AssertionError(proc.communicate())
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def _counts(path: Path) -> dict[str, int]:
    """The word-count table now: word -> n, from the update stream."""
    state: dict[tuple[str, str], int] = {}
    for row in _rows(path):
        key = (row["word"], row["n"])
        state[key] = state.get(key, 0) + int(row["diff"])
    return {w: int(n) for (w, n), d in state.items() if d}


@broker
def test_json_wordcount_follows_the_topic_and_logs_bad_messages(tmp_path):
    topic, group = _name("words"), _name("group")
    _kafka("topic", "create", topic, "2")
    out, errors = tmp_path / "counts.csv", tmp_path / "errors.csv"
    _produce(topic, [json.dumps({"word": w}) for w in ["a", "b", "a"]] + ["{not json"])
    proc = _start(WORDCOUNT, group, topic, str(out), str(errors))
    try:
        _wait_for(proc, lambda: _counts(out) == {"a": 2, "b": 1})
        _wait_for(proc, lambda: len(_rows(errors)) == 1)
        message = _rows(errors)[0]["message"]
        assert "malformed JSON" in message and topic in message, message
        _produce(topic, [json.dumps({"word": w}) for w in ["b", "c"]])
        _wait_for(proc, lambda: _counts(out) == {"a": 2, "b": 2, "c": 1})
    finally:
        _stop(proc)
    # Every count was reached through whole commits: no count ever went backwards.
    increments = [int(r["diff"]) for r in _rows(out)]
    assert sum(increments) == 3


@broker
def test_offsets_are_committed_so_a_restart_reads_only_new_messages(tmp_path):
    topic, group = _name("restart"), _name("group")
    _kafka("topic", "create", topic, "1")
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    _produce(topic, [json.dumps({"word": w}) for w in ["x", "y"]])
    proc = _start(WORDCOUNT, group, topic, str(first), str(tmp_path / "e1.csv"))
    try:
        _wait_for(proc, lambda: _counts(first) == {"x": 1, "y": 1})
        # Offsets go to Kafka once the outputs passed the commit: give the loop a few turns.
        time.sleep(1.5)
    finally:
        _stop(proc)
    _produce(topic, [json.dumps({"word": "z"})])
    proc = _start(WORDCOUNT, group, topic, str(second), str(tmp_path / "e2.csv"))
    try:
        _wait_for(proc, lambda: _counts(second) == {"z": 1})
        time.sleep(1)
        assert _counts(second) == {"z": 1}
    finally:
        _stop(proc)


@broker
def test_plaintext_with_metadata(tmp_path):
    topic, group = _name("text"), _name("group")
    _kafka("topic", "create", topic, "1")
    out = tmp_path / "out.jsonl"
    _produce(topic, ["hello", "world"])
    proc = _start(METADATA, group, topic, str(out))

    def rows() -> list[dict]:
        return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []

    try:
        _wait_for(proc, lambda: len(rows()) == 2)
    finally:
        _stop(proc)
    got = sorted(rows(), key=lambda r: r["_metadata"]["offset"])
    assert [r["data"] for r in got] == ["hello", "world"]
    assert [r["key"] for r in got] == [None, None]
    assert [r["_metadata"]["offset"] for r in got] == [0, 1]
    assert {r["_metadata"]["topic"] for r in got} == {topic}
    assert {r["_metadata"]["partition"] for r in got} == {0}
    assert all(r["diff"] == 1 for r in got)


def _consume(topic: str, n: int) -> list[str]:
    env = dict(os.environ, TOWPATH_KAFKA_PORT=str(PORT))
    done = subprocess.run([str(KAFKA_SH), "consume", topic, str(n), "20000"], text=True,
                          capture_output=True, env=env, timeout=120, check=True)
    return [line for line in done.stdout.splitlines() if line.startswith("{")]


@broker
def test_read_groupby_write_sends_pathway_json_per_update(tmp_path):
    src, dst, group = _name("in"), _name("out"), _name("group")
    _kafka("topic", "create", src, "1")
    _kafka("topic", "create", dst, "1")
    out = tmp_path / "counts.csv"
    _produce(src, [json.dumps({"word": w}) for w in ["a", "b"]])
    proc = _start(WORDCOUNT, group, src, str(out), str(tmp_path / "e.csv"), dst)
    try:
        _wait_for(proc, lambda: _counts(out) == {"a": 1, "b": 1})
        _produce(src, [json.dumps({"word": "a"})])
        _wait_for(proc, lambda: _counts(out) == {"a": 2, "b": 1})
    finally:
        _stop(proc)
    expected = [(r["word"], int(r["n"]), int(r["diff"]), int(r["time"])) for r in _rows(out)]
    messages = [json.loads(m) for m in _consume(dst, len(expected))]
    assert all(list(m) == ["word", "n", "diff", "time"] for m in messages), messages
    got = [(m["word"], m["n"], m["diff"], m["time"]) for m in messages]
    assert sorted(got) == sorted(expected)


def test_undelivered_messages_fail_the_run():
    import towpath as pw
    import towpath.io.kafka

    t = pw.debug.table_from_markdown("word | n\n a | 1")
    # Nothing listens on port 1: the message times out, and the run must say so.
    settings = {"bootstrap.servers": "127.0.0.1:1", "message.timeout.ms": 500}
    pw.io.kafka.write(t, settings, "nowhere")
    with pytest.raises(Exception, match="not delivered"):
        pw.run()
