"""pw.io.python.read: a ConnectorSubject pushing rows, upserts and deletions, commits, formats,
bad records and a failing subject. Expectations observed from Pathway 0.33, except where noted
(deletions and upserts by primary key: Pathway retracts the values given, towpath the row held)."""

import threading

import pytest
import towpath as pw


class KV(pw.Schema):
    k: int = pw.column_definition(primary_key=True)
    v: float


class KVNoKey(pw.Schema):
    k: int
    v: float


class Scripted(pw.io.python.ConnectorSubject):
    """Runs a list of (method, kwargs) steps."""

    def __init__(self, steps):
        super().__init__()
        self.steps = steps
        self.stopped = 0

    def run(self):
        for name, arg in self.steps:
            method = getattr(self, name)
            if name in ("commit", "close"):
                method()
            elif isinstance(arg, dict) and name in ("next", "delete"):
                method(**arg)
            else:
                method(arg)

    def on_stop(self):
        self.stopped += 1


def commits(table):
    """The table's rows (values) after each time, and the number of times."""
    states, acc = [], {}

    def on_change(key, row, time, is_addition):
        item = tuple(sorted(row.items()))
        acc[item] = acc.get(item, 0) + (1 if is_addition else -1)
        if acc[item] == 0:
            del acc[item]

    def on_time_end(time):
        states.append(sorted(acc.items()))

    pw.io.subscribe(table, on_change=on_change, on_time_end=on_time_end)
    return states


def row(k, v):
    return (("k", k), ("v", float(v)))


def test_rows_upserts_and_deletions_by_primary_key():
    subject = Scripted([
        ("next", {"k": 1, "v": 1}), ("next", {"k": 2, "v": 5}), ("commit", None),
        ("next", {"k": 1, "v": 2}), ("commit", None),
        ("delete", {"k": 1, "v": 2}), ("commit", None),
    ])
    states = commits(pw.io.python.read(subject, schema=KV, autocommit_duration_ms=None))
    pw.run()
    assert states == [
        [(row(1, 1), 1), (row(2, 5), 1)],
        [(row(1, 2), 1), (row(2, 5), 1)],
        [(row(2, 5), 1)],
    ]
    assert subject.stopped == 1


def test_without_primary_key_rows_are_copies_and_delete_removes_one():
    subject = Scripted([
        ("next", {"k": 1, "v": 1}), ("next", {"k": 1, "v": 1}), ("commit", None),
        ("delete", {"k": 1, "v": 1}), ("commit", None),
    ])
    states = commits(pw.io.python.read(subject, schema=KVNoKey, autocommit_duration_ms=None))
    pw.run()
    assert states == [[(row(1, 1), 2)], [(row(1, 1), 1)]]


def test_next_json_str_bytes_and_defaults():
    class WithDefault(pw.Schema):
        k: int
        v: float = 0.5

    subject = Scripted([
        ("next_json", {"k": 1, "v": 2}), ("next_str", '{"k": 2}'), ("next_bytes", b'{"k": 3, "v": 4}'),
        ("next", {"k": 4, "v": 1, "extra": "ignored"}),
    ])
    t = pw.io.python.read(subject, schema=WithDefault)
    rows = pw.debug.table_to_pandas(t).sort_values("k")
    assert rows[["k", "v"]].values.tolist() == [[1, 2.0], [2, 0.5], [3, 4.0], [4, 1.0]]


@pytest.mark.parametrize("fmt, expected", [("raw", ["bytes!", "hello"]), ("binary", [b"bytes!", b"hello"])])
def test_raw_and_binary_formats_have_a_data_column(fmt, expected):
    subject = Scripted([("next_str", "hello"), ("next_bytes", b"bytes!")])
    t = pw.io.python.read(subject, format=fmt)
    assert list(t.schema.column_names()) == ["data"]
    assert sorted(pw.debug.table_to_pandas(t)["data"].tolist()) == expected


def test_bad_records_go_to_the_error_log_and_the_stream_goes_on():
    subject = Scripted([
        ("next", {"k": 1}), ("next", {"k": "a", "v": 1}), ("next", {"k": 1.5, "v": 1}),
        ("next", {"k": 2, "v": "x"}), ("next", {"k": 3, "v": 3}),
    ])
    t = pw.io.python.read(subject, schema=KVNoKey)
    rows, messages = [], []
    pw.io.subscribe(t, on_change=lambda key, row, time, is_addition: rows.append((row["k"], row["v"])))
    pw.io.subscribe(pw.global_error_log(),
                    on_change=lambda key, row, time, is_addition: messages.append(row["message"]))
    pw.run()
    assert rows == [(3, 3.0)]
    assert len(messages) == 4, messages
    assert any('no value for "v" field' in m for m in messages)
    assert any('"k" with type int from value a' in m for m in messages)
    assert any('"k" with type int from value 1.5' in m for m in messages)
    assert any('"v" with type float from value x' in m for m in messages)


def test_an_exception_in_run_is_raised_by_pw_run_after_the_committed_rows():
    class Failing(pw.io.python.ConnectorSubject):
        def run(self):
            self.next(k=1, v=1)
            self.commit()
            self.next(k=2, v=2)
            raise ValueError("boom in subject")

    states = commits(pw.io.python.read(Failing(), schema=KVNoKey, autocommit_duration_ms=None))
    with pytest.raises(ValueError, match="boom in subject"):
        pw.run()
    assert states == [[(row(1, 1), 1)]]


def test_commits_group_rows_pushed_from_a_live_thread():
    # The subject waits for the previous commit to be seen before pushing the next one, so
    # each commit is its own time: the program is live, not a batch read at the end.
    seen = threading.Event()

    class Stepper(pw.io.python.ConnectorSubject):
        def run(self):
            for i in range(3):
                seen.clear()
                self.next(k=i, v=i)
                self.next(k=i + 10, v=i)
                self.commit()
                assert seen.wait(30), "the commit was not delivered"

    times = []

    def on_change(key, row, time, is_addition):
        times.append((time, row["k"]))

    t = pw.io.python.read(Stepper(), schema=KVNoKey, autocommit_duration_ms=None)
    pw.io.subscribe(t, on_change=on_change, on_time_end=lambda time: seen.set())
    pw.run()
    by_time = {}
    for time, k in times:
        by_time.setdefault(time, set()).add(k)
    assert sorted(by_time.values(), key=min) == [{0, 10}, {1, 11}, {2, 12}]
    assert all(time % 2 == 0 for time in by_time)


def test_pushing_outside_run_is_an_error():
    subject = Scripted([])
    with pytest.raises(RuntimeError, match="not running"):
        subject.next(k=1, v=1)


def test_a_subject_is_read_once_and_json_needs_a_schema():
    subject = Scripted([])
    pw.io.python.read(subject, schema=KV)
    with pytest.raises(ValueError, match="already read"):
        pw.io.python.read(subject, schema=KV)
    with pytest.raises(ValueError, match="Schema must be specified"):
        pw.io.python.read(Scripted([]))
