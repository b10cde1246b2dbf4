"""pw.demo.generate_custom_stream, replay_csv and replay_csv_with_time: rows, types, pacing
(only lower bounds on time: a loaded machine may be slower, never faster)."""

import time

import pytest
import towpath as pw


class AB(pw.Schema):
    a: int
    b: str


def collect(table):
    rows = []
    pw.io.subscribe(table, on_change=lambda key, row, time, is_addition: rows.append(
        (dict(row), time, is_addition, __import__("time").monotonic())))
    return rows


def test_generate_custom_stream_rows_and_rate():
    t = pw.demo.generate_custom_stream(
        {"a": lambda i: i * 2, "b": lambda i: f"x{i}"}, schema=AB, nb_rows=6, input_rate=50,
        autocommit_duration_ms=5)
    rows = collect(t)
    start = time.monotonic()
    pw.run()
    assert sorted((r["a"], r["b"]) for r, _, add, _ in rows if add) == [(2 * i, f"x{i}") for i in range(6)]
    # Row 5 is due 100 ms after row 0: the run cannot end sooner.
    assert time.monotonic() - start >= 0.1
    assert len({t for _, t, _, _ in rows}) >= 2, "a rate-limited stream spans several commits"


def test_generate_custom_stream_needs_a_generator_per_column():
    with pytest.raises(ValueError, match="lacks a generator"):
        pw.demo.generate_custom_stream({"a": lambda i: i}, schema=AB, nb_rows=1)


def test_replay_csv_replays_every_row_with_its_types(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("a,b,extra\n1,x,9\n2,y,9\n3,z,9\n")
    rows = collect(pw.demo.replay_csv(path, schema=AB, input_rate=100))
    pw.run()
    assert [(r["a"], r["b"]) for r, _, _, _ in sorted(rows, key=lambda r: r[0]["a"])] == [(1, "x"), (2, "y"), (3, "z")]


def test_replay_csv_with_time_paces_by_the_time_column(tmp_path):
    class R(pw.Schema):
        a: int
        ts: float

    path = tmp_path / "timed.csv"
    path.write_text("a,ts\n1,10\n2,10.5\n3,12\n")
    rows = collect(pw.demo.replay_csv_with_time(str(path), schema=R, time_column="ts", unit="s",
                                                speedup=4, autocommit_ms=5))
    pw.run()
    arrival = {r["a"]: at for r, _, _, at in rows}
    assert sorted(arrival) == [1, 2, 3]
    # 2 s of data at speedup 4: row 3 arrives at least 0.5 s after row 1.
    assert arrival[3] - arrival[1] >= 0.45
    assert arrival[1] <= arrival[2] <= arrival[3]


def test_replay_csv_with_time_checks_its_arguments(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,x\n")
    with pytest.raises(ValueError, match="time_column"):
        pw.demo.replay_csv_with_time(str(path), schema=AB, time_column="nope")
    with pytest.raises(ValueError, match="unit"):
        pw.demo.replay_csv_with_time(str(path), schema=AB, time_column="a", unit="days")
