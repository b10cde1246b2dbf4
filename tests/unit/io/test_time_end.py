"""When ``on_time_end`` and the streaming file writers hear of a live commit.

A ConnectorSubject pushes one commit at a time and, before the next one, waits (with a timeout,
so a regression fails instead of hanging) until the sink has seen the previous commit: every
commit's output must arrive while the source is still running, not when it closes.

Observed from Pathway 0.33 (1, 2 and 4 threads): ``on_time_end(t)`` is called only for times at
which the sink received updates. A commit whose rows are all dropped upstream (by a filter) gets
no ``on_time_end`` at all, neither at once nor at the end of the run, and does not hold back the
next commit's. The CSV / JSON Lines writers likewise write nothing for such a time. A commit
whose updates reach the sink but cancel out (a row inserted and deleted in one commit) does get
its ``on_time_end``.
"""

import json
import threading
import time

import pytest
import towpath as pw

WAIT = 10  # seconds a subject waits for the sink before the test fails


class KV(pw.Schema):
    k: int
    v: int


def subject(steps, seen, failures):
    """A subject running ``steps``: ``("push", [(k, v), ...])`` pushes rows and commits;
    ``("cancelled", (k, v))`` inserts and deletes a row in one commit; ``("wait", n)`` waits
    until ``seen() >= n``, else records ``n`` in ``failures`` and stops."""

    class Subject(pw.io.python.ConnectorSubject):
        def run(self):
            for kind, arg in steps:
                if kind == "push":
                    for k, v in arg:
                        self.next(k=k, v=v)
                    self.commit()
                elif kind == "cancelled":
                    self.next(k=arg[0], v=arg[1])
                    self.delete(k=arg[0], v=arg[1])
                    self.commit()
                else:
                    deadline = time.monotonic() + WAIT
                    while seen() < arg and time.monotonic() < deadline:
                        time.sleep(0.005)
                    if seen() < arg:
                        failures.append(arg)
                        return

    return Subject()


class Recorder:
    """Subscribes to a table and records every callback, in order."""

    def __init__(self, table):
        self.events = []
        self.lock = threading.Lock()
        pw.io.subscribe(table, on_change=self.on_change, on_time_end=self.on_time_end)

    def on_change(self, key, row, time, is_addition):
        with self.lock:
            self.events.append(("change", time, row["k"], is_addition))

    def on_time_end(self, time):
        with self.lock:
            self.events.append(("end", time))

    def time_ends(self):
        with self.lock:
            return sum(1 for e in self.events if e[0] == "end")

    def ends(self):
        return [e[1] for e in self.events if e[0] == "end"]

    def changes_by_end(self):
        """``[(end time, {k: is_addition})]``, checking that each time's changes come before
        its ``on_time_end`` and are at that time."""
        out, current = [], {}
        for e in self.events:
            if e[0] == "change":
                current.setdefault(e[1], {})[e[2]] = e[3]
            else:
                assert set(current) <= {e[1]}, f"changes at {set(current)} before the end of {e[1]}"
                out.append((e[1], current.pop(e[1], {})))
        assert current == {}, "changes after the last on_time_end"
        return out


def test_each_commit_time_ends_while_the_subject_is_still_running():
    failures, rec = [], None
    steps = []
    for i in range(5):
        steps += [("push", [(i, i), (i + 10, i)]), ("wait", i + 1)]
    src = subject(steps, lambda: rec.time_ends(), failures)
    rec = Recorder(pw.io.python.read(src, schema=KV, autocommit_duration_ms=None))
    pw.run()
    assert failures == [], f"on_time_end #{failures} did not come within {WAIT} s"
    ends = rec.ends()
    assert ends == sorted(set(ends)) and all(t % 2 == 0 for t in ends)
    assert [c for _, c in rec.changes_by_end()] == [{i: True, i + 10: True} for i in range(5)]


def test_a_commit_that_changes_nothing_gets_no_time_end_and_holds_nothing_back():
    # Commits 1 and 3 are dropped by the filter: the subject can wait only for the others.
    failures, rec = [], None
    steps = [
        ("push", [(0, 0)]), ("wait", 1),
        ("push", [(1, 1)]),
        ("push", [(2, 2)]), ("wait", 2),
        ("push", [(3, 3)]),
        ("push", [(4, 4), (5, 5)]), ("wait", 3),
    ]
    src = subject(steps, lambda: rec.time_ends(), failures)
    table = pw.io.python.read(src, schema=KV, autocommit_duration_ms=None)
    rec = Recorder(table.filter(pw.this.k % 2 == 0))
    pw.run()
    assert failures == [], f"on_time_end #{failures} did not come within {WAIT} s"
    # Exactly one on_time_end per commit that changed the table, none for the others (not
    # even at the end of the run).
    assert [c for _, c in rec.changes_by_end()] == [{0: True}, {2: True}, {4: True}]


def test_a_commit_whose_updates_cancel_out_still_ends():
    failures, rec = [], None
    steps = [
        ("push", [(0, 0)]), ("wait", 1),
        ("cancelled", (1, 1)), ("wait", 2),
        ("push", [(2, 2)]), ("wait", 3),
    ]
    src = subject(steps, lambda: rec.time_ends(), failures)
    rec = Recorder(pw.io.python.read(src, schema=KV, autocommit_duration_ms=None))
    pw.run()
    assert failures == [], f"on_time_end #{failures} did not come within {WAIT} s"
    changes = [c for _, c in rec.changes_by_end()]
    assert changes[0] == {0: True} and changes[2] == {2: True}
    # towpath consolidates the cancelled row away (no on_change); Pathway passes on its
    # insertion and its deletion. Either way the time ends.
    assert set(changes[1]) <= {1}


@pytest.mark.parametrize("fmt", ["csv", "jsonlines"])
def test_streaming_writers_write_each_commit_while_the_subject_is_still_running(fmt, tmp_path):
    out = tmp_path / f"out.{fmt}"

    def rows_written():
        try:
            text = out.read_text()
        except FileNotFoundError:
            return 0
        lines = [line for line in text.splitlines() if line]
        return len(lines) - 1 if fmt == "csv" and lines else len(lines)

    failures = []
    steps = [
        ("push", [(0, 0)]), ("wait", 1),
        ("push", [(1, 1)]),  # filtered out: writes nothing, holds nothing back
        ("push", [(2, 2), (4, 4)]), ("wait", 3),
        ("push", [(3, 3)]),
        ("push", [(6, 6)]), ("wait", 4),
    ]
    src = subject(steps, rows_written, failures)
    table = pw.io.python.read(src, schema=KV, autocommit_duration_ms=None).filter(pw.this.k % 2 == 0)
    (pw.io.csv.write if fmt == "csv" else pw.io.jsonlines.write)(table, str(out))
    pw.run()
    assert failures == [], f"row #{failures} was not written within {WAIT} s"
    lines = [line for line in out.read_text().splitlines() if line]
    if fmt == "csv":
        assert lines[0] == '"k","v","time","diff"'
        records = [[cell.strip('"') for cell in line.split(",")] for line in lines[1:]]
        ks, times = [int(r[0]) for r in records], [int(r[2]) for r in records]
    else:
        records = [json.loads(line) for line in lines]
        ks, times = [r["k"] for r in records], [r["time"] for r in records]
    assert sorted(ks) == [0, 2, 4, 6]
    by_k = dict(zip(ks, times, strict=True))
    # One time per changing commit, in commit order.
    assert by_k[0] < by_k[2] == by_k[4] < by_k[6]
