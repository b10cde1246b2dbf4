"""pw.io.subscribe callbacks and pw.io.null.write."""

import towpath as pw
from towpath.testing import T


def updates():
    return T(
        """
          | name | n  | __time__ | __diff__
        1 | ann  | 1  | 2        | 1
        2 | bob  | 2  | 2        | 1
        1 | ann  | 1  | 4        | -1
        1 | ann  | 10 | 4        | 1
        """
    )


def test_on_change_gets_rows_times_and_additions():
    changes = []

    def on_change(key, row, time, is_addition):
        changes.append((row, time, is_addition))

    pw.io.subscribe(updates(), on_change=on_change)
    pw.run()
    by_time = {}
    for row, time, is_addition in changes:
        by_time.setdefault(time, []).append((row["name"], row["n"], is_addition))
    times = [time for _, time, _ in changes]
    assert times == sorted(times)
    assert {time: sorted(items) for time, items in by_time.items()} == {
        2: [("ann", 1, True), ("bob", 2, True)],
        4: [("ann", 1, False), ("ann", 10, True)],
    }


def test_keys_are_pointers_and_stable_across_an_update():
    keys = {}

    def on_change(key, row, time, is_addition):
        assert isinstance(key, pw.Pointer)
        keys.setdefault(row["name"], set()).add(key)

    pw.io.subscribe(updates(), on_change=on_change)
    pw.run()
    assert len(keys["ann"]) == 1
    assert keys["ann"] != keys["bob"]


def test_on_time_end_after_each_time_and_on_end_once():
    events = []
    pw.io.subscribe(
        updates(),
        on_change=lambda key, row, time, is_addition: events.append(("change", time)),
        on_time_end=lambda time: events.append(("time_end", time)),
        on_end=lambda: events.append(("end",)),
    )
    pw.run()
    assert events == [
        ("change", 2),
        ("change", 2),
        ("time_end", 2),
        ("change", 4),
        ("change", 4),
        ("time_end", 4),
        ("end",),
    ]


def test_subscribe_to_a_reduced_table():
    t = T(
        """
        v | __time__
        1 | 2
        2 | 4
        """
    )
    totals = []
    pw.io.subscribe(
        t.reduce(s=pw.reducers.sum(pw.this.v)),
        on_change=lambda key, row, time, is_addition: totals.append((time, row["s"], is_addition)),
    )
    pw.run()
    assert sorted(totals) == [(2, 1, True), (4, 1, False), (4, 3, True)]


def test_subscribe_to_two_tables():
    seen = {"a": [], "b": []}
    t = T(
        """
        v
        1
        """
    )
    pw.io.subscribe(t, on_change=lambda key, row, time, is_addition: seen["a"].append(row))
    pw.io.subscribe(
        t.select(w=pw.this.v * 5),
        on_change=lambda key, row, time, is_addition: seen["b"].append(row),
    )
    pw.run()
    assert seen == {"a": [{"v": 1}], "b": [{"w": 5}]}


def test_null_write_runs_the_computation_without_output():
    calls = []

    @pw.udf
    def record(v: int) -> int:
        calls.append(v)
        return v

    t = T(
        """
        v
        3
        4
        """
    )
    pw.io.null.write(t.select(r=record(pw.this.v)))
    pw.run()
    assert sorted(calls) == [3, 4]


def test_exception_in_a_callback_stops_the_run():
    def on_change(key, row, time, is_addition):
        raise RuntimeError("callback refused the row")

    pw.io.subscribe(updates(), on_change=on_change)
    try:
        pw.run()
    except Exception as error:  # Pathway may wrap it; the message must survive
        assert "callback refused the row" in str(error) or "callback refused the row" in repr(
            error.__cause__
        )
    else:
        raise AssertionError("the callback's exception was swallowed")
