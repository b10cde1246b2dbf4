"""Kafka formats against a real broker (``make test-kafka``): CSV and Debezium reads, several
topics, ``start_from_timestamp_ms``, DSV writes with keys and headers in Pathway 0.33's layout
(observed with the oracle), failed deliveries, and partitions spread over worker threads."""

import json
import os
import subprocess
import sys
import time

import pytest

from .test_kafka import (
    BOOTSTRAP,
    KAFKA_SH,
    PORT,
    ROOT,
    _kafka,
    _name,
    _produce,
    _rows,
    _start,
    _stop,
    _tool,
    _wait_for,
    broker,
)

TABLE_OUT = """
import sys
import towpath as pw

settings = {"bootstrap.servers": sys.argv[1], "group.id": sys.argv[2],
            "auto.offset.reset": "earliest"}
{read}
pw.io.csv.write(t, sys.argv[3])
pw.io.csv.write(pw.global_error_log(), sys.argv[4])
pw.run()
"""


def _table(path) -> dict[tuple, int]:
    """The table now, as {row values: multiplicity}, from a CSV update stream."""
    state: dict[tuple, int] = {}
    for row in _rows(path):
        key = tuple(v for k, v in row.items() if k not in ("time", "diff"))
        state[key] = state.get(key, 0) + int(row["diff"])
    return {k: d for k, d in state.items() if d}


def _run_until(program: str, group: str, out, errors, done, *extra: str, env=None) -> None:
    proc = _start(program, group, str(out), str(errors), *extra) if env is None else _start_env(
        program, env, group, str(out), str(errors), *extra)
    try:
        _wait_for(proc, done)
        time.sleep(0.5)
    finally:
        _stop(proc)


def _start_env(program: str, env: dict, *args: str) -> subprocess.Popen:
    full = dict(os.environ, PYTHONPATH=str(ROOT / "python"), **env)
    return subprocess.Popen([sys.executable, "-c", program, BOOTSTRAP, *args], env=full,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


CSV_READ = """
class S(pw.Schema):
    w: str
    n: int
t = pw.io.kafka.read(settings, sys.argv[5].split(","), schema=S, format="csv",
                     autocommit_duration_ms=50)
"""


@broker
def test_csv_messages_from_two_topics_with_bad_ones_logged(tmp_path):
    one, two, group = _name("csv1"), _name("csv2"), _name("group")
    _kafka("topic", "create", one, "1")
    _kafka("topic", "create", two, "1")
    _produce(one, ["a,1", '"x,y",2', "only-one-field", "b,notint"])
    _produce(two, ["c,3"])
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    program = TABLE_OUT.replace("{read}", CSV_READ)
    _run_until(program, group, out, errors, lambda: len(_rows(errors)) == 2 and len(_table(out)) == 3,
               f"{one},{two}")
    assert _table(out) == {("a", "1"): 1, ("x,y", "2"): 1, ("c", "3"): 1}
    messages = sorted(r["message"] for r in _rows(errors))
    assert "expected 2 CSV fields" in messages[0] and f"{one}/0@2" in messages[0], messages
    assert '"n"' in messages[1] and f"{one}/0@3" in messages[1], messages


@broker
def test_start_from_timestamp_skips_older_messages(tmp_path):
    topic, group = _name("ts"), _name("group")
    _kafka("topic", "create", topic, "2")
    _produce(topic, ["old,1", "old,2"])
    time.sleep(1.0)
    start = int(time.time() * 1000)
    time.sleep(0.2)
    _produce(topic, ["new,3", "new,4"])
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    read = CSV_READ.replace("autocommit_duration_ms=50", f"autocommit_duration_ms=50, start_from_timestamp_ms={start}")
    _run_until(TABLE_OUT.replace("{read}", read), group, out, errors, lambda: len(_table(out)) >= 2, topic)
    assert _table(out) == {("new", "3"): 1, ("new", "4"): 1}


DEBEZIUM_READ = """
class S(pw.Schema):
    id: int = pw.column_definition(primary_key=True)
    name: str
    v: int
t = pw.io.debezium.read(settings, sys.argv[5], schema=S, autocommit_duration_ms=50)
"""


def _envelope(payload: dict) -> str:
    # What Debezium's JSON converter writes with schemas enabled (schema abridged).
    schema = {"type": "struct", "name": "pg.public.users.Envelope", "optional": False, "fields": []}
    return json.dumps({"schema": schema, "payload": payload})


def _event(op: str, before, after, wrapped: bool = True) -> str:
    payload = {"before": before, "after": after, "op": op, "ts_ms": 1700000000000,
               "source": {"connector": "postgresql", "db": "shop", "schema": "public", "table": "users",
                          "lsn": 12345}, "transaction": None}
    return _envelope(payload) if wrapped else json.dumps(payload)


def _produce_keyed(topic: str, messages: list[tuple[str, str | None]]) -> None:
    """Messages with keys; a None value is a tombstone."""
    lines = "".join(f"{k}\t{'NULL' if v is None else v}\n" for k, v in messages)
    if _tool("produce-keyed", topic, stdin=lines):
        return
    env = dict(os.environ, TOWPATH_KAFKA_PORT=str(PORT))
    subprocess.run([str(KAFKA_SH), "tool", "org.apache.kafka.tools.ConsoleProducer", "--bootstrap-server",
                    BOOTSTRAP, "--topic", topic, "--reader-property", "parse.key=true",
                    "--reader-property", "key.separator=\t", "--reader-property", "null.marker=NULL"],
                   input=lines, text=True, check=True, env=env, capture_output=True, timeout=120)


@broker
def test_debezium_change_events_insert_update_delete(tmp_path):
    topic, group = _name("dbz"), _name("group")
    _kafka("topic", "create", topic, "1")
    row = lambda i, name, v: {"id": i, "name": name, "v": v}  # noqa: E731
    key = lambda i: _envelope({"id": i})  # noqa: E731
    _produce_keyed(topic, [
        (key(1), _event("r", None, row(1, "ann", 10))),
        (key(2), _event("c", None, row(2, "bob", 20), wrapped=False)),
        (key(3), _event("c", None, row(3, "cid", 30))),
        (key(1), _event("u", row(1, "ann", 10), row(1, "ann", 11))),
        # PostgreSQL's default replica identity: an update without `before`.
        (key(3), _event("u", None, row(3, "cy", 31))),
        (key(2), _event("d", row(2, "bob", 20), None)),
        (key(2), None),
        (key(4), "not json"),
        (key(5), _event("x", None, row(5, "eve", 50))),
    ])
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    program = TABLE_OUT.replace("{read}", DEBEZIUM_READ)
    want = {("1", "ann", "11"): 1, ("3", "cy", "31"): 1}
    _run_until(program, group, out, errors, lambda: _table(out) == want and len(_rows(errors)) == 2, topic)
    messages = sorted(r["message"] for r in _rows(errors))
    assert "not JSON" in messages[0] and f"{topic}/0@7" in messages[0], messages
    assert "unknown Debezium operation" in messages[1] and f"{topic}/0@8" in messages[1], messages
    # Every update of a row is a retraction and an insertion at one time: row 3 never has two
    # versions at once, whatever the commits.
    by_time: dict[str, int] = {}
    for r in _rows(out):
        if r["id"] == "3":
            by_time[r["time"]] = by_time.get(r["time"], 0) + int(r["diff"])
    assert all(d in (0, 1) for d in by_time.values()), by_time


WRITE = """
import sys
import towpath as pw

t = pw.debug.table_from_markdown('''
w  | n | f   | b     | __time__ | __diff__
a  | 1 | 1.5 | True  | 2        | 1
xy | 2 | 2.0 | False | 4        | 1
a  | 1 | 1.5 | True  | 4        | -1
''')
t = t.with_columns(s=pw.this.w + ';,"q', o=pw.if_else(pw.this.n == 1, None, pw.this.n))
pw.io.kafka.write(t, {"bootstrap.servers": sys.argv[1]}, sys.argv[2], format="dsv", delimiter=";",
                  key=t.w, headers=[t.n, t.o, t.b])
pw.run()
"""


def _consume_full(topic: str, n: int) -> list[tuple[dict, str, str]]:
    """(headers, key, payload) of the first `n` messages."""
    env = dict(os.environ, TOWPATH_KAFKA_PORT=str(PORT))
    args = ["print.key=true", "print.headers=true", "key.separator= ||| ", "headers.separator= ## ",
            "print.partition=false"]
    cmd = [str(KAFKA_SH), "tool", "org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server",
           BOOTSTRAP, "--topic", topic, "--from-beginning", "--max-messages", str(n), "--timeout-ms", "20000",
           "--command-property", "group.protocol=consumer"]
    for a in args:
        cmd += ["--formatter-property", a]
    done = subprocess.run(cmd, text=True, capture_output=True, env=env, timeout=120, check=True)
    got = []
    for line in done.stdout.splitlines():
        headers, key, payload = line.split(" ||| ", 2)
        pairs = [h.split(":", 1) for h in headers.split(" ## ")]
        got.append(({k: v for k, v in pairs}, key, payload))
    return got


@broker
def test_dsv_write_with_key_and_headers_as_pathway_lays_them_out(tmp_path):
    topic = _name("dsv")
    _kafka("topic", "create", topic, "1")
    done = subprocess.run([sys.executable, "-c", WRITE, BOOTSTRAP, topic], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "python")), timeout=120)
    assert done.returncode == 0, done.stderr
    messages = _consume_full(topic, 4)
    header, rows = messages[0], messages[1:]
    # Key column, then header columns, then the others, then time and diff.
    assert header[2] == '"w";"n";"o";"b";"f";"s";"time";"diff"'
    got = sorted((h["pathway_time"], h["pathway_diff"], h["n"], h["o"], h["b"], k, p) for h, k, p in rows)
    assert got == [
        ("2", "1", "1", "null", "True", "a", '"a";"1";"None";"True";"1.5";"a;,""q";"2";"1"'),
        ("4", "-1", "1", "null", "True", "a", '"a";"1";"None";"True";"1.5";"a;,""q";"4";"-1"'),
        ("4", "1", "2", "2", "False", "xy", '"xy";"2";"2";"False";"2.0";"xy;,""q";"4";"1"'),
    ]
    assert [list(h)[:2] for h, _, _ in rows] == [["pathway_time", "pathway_diff"]] * 3


TOO_LARGE = """
import sys
import towpath as pw

t = pw.debug.table_from_markdown("n\\n1").select(s=pw.apply(lambda n: "x" * 3_000_000, pw.this.n))
# The producer may send up to 10 MB; the broker takes 1 MB: its delivery report fails.
settings = {"bootstrap.servers": sys.argv[1], "message.max.bytes": 10_000_000, "message.timeout.ms": 10000}
pw.io.kafka.write(t, settings, sys.argv[2], format="plaintext")
pw.run()
"""


BAD_TOPIC = """
import sys
import towpath as pw

t = pw.debug.table_from_markdown("w | n\\n a | 1")
settings = {"bootstrap.servers": sys.argv[1], "message.timeout.ms": 10000}
pw.io.kafka.write(t, settings, "not a topic name!")
pw.run()
"""


@broker
@pytest.mark.parametrize(("program", "reason"), [(TOO_LARGE, "too large"), (BAD_TOPIC, "invalid topic")])
def test_a_message_the_broker_refuses_fails_the_run(program, reason):
    topic = _name("big")
    _kafka("topic", "create", topic, "1")
    done = subprocess.run([sys.executable, "-c", program, BOOTSTRAP, topic], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "python")), timeout=120)
    assert done.returncode != 0
    assert "not delivered" in done.stderr and reason in done.stderr.lower(), done.stderr[-2000:]


SPREAD = """
class S(pw.Schema):
    n: int
t = pw.io.kafka.read(settings, sys.argv[5], schema=S, format="json", autocommit_duration_ms=50)
"""


@broker
@pytest.mark.parametrize("threads", [2, 4])
def test_partitions_spread_over_threads_read_every_message_once(tmp_path, threads):
    topic, group = _name("spread"), _name("group")
    _kafka("topic", "create", topic, "4")
    # The console producer spreads unkeyed messages over the partitions in batches; keys make
    # every partition get some.
    _produce_keyed(topic, [(f"k{i}", json.dumps({"n": i})) for i in range(200)])
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    program = TABLE_OUT.replace("{read}", SPREAD)
    _run_until(program, group, out, errors, lambda: len(_table(out)) == 200, topic,
               env={"TOWPATH_THREADS": str(threads)})
    assert _table(out) == {(str(i),): 1 for i in range(200)}
    assert all(r["diff"] == "1" for r in _rows(out)), "no retraction: nothing read twice"


def test_argument_errors_name_the_argument():
    import towpath as pw

    class S(pw.Schema):
        n: int

    settings = {"bootstrap.servers": "127.0.0.1:1"}
    with pytest.raises(ValueError, match="format='csv' needs a schema"):
        pw.io.kafka.read(settings, "t", format="csv")
    with pytest.raises(TypeError, match="csv_settings"):
        pw.io.kafka.read(settings, "t", schema=S, format="csv", csv_settings={"delimiter": ";"})
    with pytest.raises(TypeError, match="start_from_timestamp_ms"):
        pw.io.kafka.read(settings, "t", schema=S, format="json", start_from_timestamp_ms="yesterday")
    with pytest.raises(TypeError, match="schema"):
        pw.io.debezium.read(settings, "t", schema=None)
    t = pw.debug.table_from_markdown("w | n\n a | 1")
    with pytest.raises(ValueError, match="key column 'n' has type"):
        pw.io.kafka.write(t, settings, "t", key=t.n)
    with pytest.raises(ValueError, match="delimiter"):
        pw.io.kafka.write(t, settings, "t", format="dsv", delimiter=";;")
    with pytest.raises(ValueError, match="format has to be"):
        pw.io.kafka.write(t, settings, "t", format="avro")
