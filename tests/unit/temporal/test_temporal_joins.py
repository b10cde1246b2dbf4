"""Table.interval_join and Table.window_join with their _inner/_left/_right/_outer variants.

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``); the
random tests compare with a nested-loop evaluation written here.
"""

import datetime
import random

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index

LEFT = """
  | k | t  | a
1 | 1 | 3  | 10
2 | 1 | 10 | 11
3 | 2 | 4  | 12
4 | 3 | 5  | 13
"""

RIGHT = """
  | k | t | b
5 | 1 | 1 | 20
6 | 1 | 4 | 21
7 | 1 | 6 | 22
8 | 2 | 9 | 23
9 | 4 | 9 | 24
"""

PAIRS = """
a  | b  | lt | rt
10 | 20 | 3  | 1
10 | 21 | 3  | 4
"""

LEFT_ONLY = """
11 |    | 10 |
12 |    | 4  |
13 |    | 5  |
"""

RIGHT_ONLY = """
   | 22 |    | 6
   | 23 |    | 9
   | 24 |    | 9
"""


def joined(how, window=None):
    left, right = T(LEFT), T(RIGHT)
    if window is None:
        name = "interval_join" if how == "inner" else f"interval_join_{how}"
        res = getattr(left, name)(right, left.t, right.t, pw.temporal.interval(-2, 1),
                                  left.k == right.k)
    else:
        name = "window_join" if how == "inner" else f"window_join_{how}"
        res = getattr(left, name)(right, left.t, right.t, window, left.k == right.k)
    return res.select(left.a, right.b, lt=left.t, rt=right.t)


@pytest.mark.parametrize(
    "how,expected",
    [
        ("inner", PAIRS),
        ("left", PAIRS + LEFT_ONLY),
        ("right", PAIRS + RIGHT_ONLY),
        ("outer", PAIRS + LEFT_ONLY + RIGHT_ONLY),
    ],
)
def test_interval_join_variants_keep_pairs_in_the_closed_interval(how, expected):
    assert_table_equality_wo_index(joined(how), T(expected))


def test_interval_join_how_argument_and_no_condition():
    left, right = T(LEFT), T(RIGHT)
    res = left.interval_join(right, left.t, right.t, pw.temporal.interval(-2, 1),
                             how=pw.JoinMode.LEFT).select(left.a, b=pw.coalesce(right.b, -1))
    expected = T(
        """
        a  | b
        10 | 20
        10 | 21
        11 | 23
        11 | 24
        12 | 21
        13 | 21
        13 | 22
        """
    )
    assert_table_equality_wo_index(res, expected)


def test_interval_join_reads_pw_left_pw_right_and_instances():
    left, right = T(LEFT), T(RIGHT)
    res = left.interval_join_outer(
        right, left.t, right.t, pw.temporal.interval(0, 0), left_instance=left.k,
        right_instance=right.k,
    ).select(a=pw.left.a, b=pw.right.b, k=pw.left.k)
    expected = T(
        """
        a  | b  | k
        10 |    | 1
        11 |    | 1
        12 |    | 2
        13 |    | 3
           | 20 |
           | 21 |
           | 22 |
           | 23 |
           | 24 |
        """
    )
    assert_table_equality_wo_index(res, expected)


def test_interval_join_float_times():
    left = T(
        """
        t   | a
        0.1 | 1
        0.3 | 2
        1.0 | 3
        """
    )
    right = T(
        """
        t   | b
        0.4 | 5
        0.2 | 6
        1.0 | 7
        """
    )
    wide = left.interval_join(right, left.t, right.t, pw.temporal.interval(-0.15, 0.15)).select(
        left.a, right.b
    )
    assert_table_equality_wo_index(
        wide,
        T(
            """
            a | b
            1 | 6
            2 | 5
            2 | 6
            3 | 7
            """
        ),
    )


def test_interval_join_datetimes_with_durations():
    left = T(
        """
        t                   | a
        2024-01-01T10:00:00 | 1
        2024-01-01T12:00:00 | 2
        """
    ).select(pw.this.a, t=pw.this.t.dt.strptime("%Y-%m-%dT%H:%M:%S"))
    right = T(
        """
        t                   | b
        2024-01-01T10:30:00 | 5
        2024-01-01T11:59:00 | 6
        2024-01-01T13:01:00 | 7
        """
    ).select(pw.this.b, t=pw.this.t.dt.strptime("%Y-%m-%dT%H:%M:%S"))
    res = left.interval_join_left(
        right, left.t, right.t,
        pw.temporal.interval(datetime.timedelta(minutes=-5), datetime.timedelta(hours=1)),
    ).select(left.a, b=pw.coalesce(right.b, -1))
    expected = T(
        """
        a | b
        1 | 5
        2 | 6
        """
    )
    assert_table_equality_wo_index(res, expected)


def test_interval_join_rejects_mismatched_bounds():
    left, right = T(LEFT), T(RIGHT)
    with pytest.raises(ValueError, match="lower_bound"):
        left.interval_join(right, left.t, right.t, pw.temporal.interval(2, 1))
    with pytest.raises(TypeError):
        left.interval_join(right, left.t, right.t,
                           pw.temporal.interval(datetime.timedelta(0), datetime.timedelta(1)))


def test_interval_join_left_updates_as_partners_come_and_go():
    left = T(
        """
          | t | a | __time__ | __diff__
        1 | 5 | 1 | 2        | 1
        """
    )
    right = T(
        """
          | t | b | __time__ | __diff__
        7 | 6 | 7 | 4        | 1
        7 | 6 | 7 | 6        | -1
        """
    )
    res = left.interval_join_left(right, left.t, right.t, pw.temporal.interval(0, 2)).select(
        left.a, right.b
    )
    expected = T(
        """
        a | b | __time__ | __diff__
        1 |   | 2        | 1
        1 |   | 4        | -1
        1 | 7 | 4        | 1
        1 | 7 | 6        | -1
        1 |   | 6        | 1
        """
    )
    assert_stream_equality_wo_index(res, expected)


SLIDING_PAIRS = """
a  | b  | lt | rt
10 | 20 | 3  | 1
10 | 21 | 3  | 4
"""

SLIDING_LEFT = """
11 |    | 10 |
11 |    | 10 |
12 |    | 4  |
12 |    | 4  |
13 |    | 5  |
13 |    | 5  |
"""

SLIDING_RIGHT = """
   | 20 |    | 1
   | 21 |    | 4
   | 22 |    | 6
   | 22 |    | 6
   | 23 |    | 9
   | 23 |    | 9
   | 24 |    | 9
   | 24 |    | 9
"""


@pytest.mark.parametrize(
    "how,expected",
    [
        ("inner", SLIDING_PAIRS),
        ("left", SLIDING_PAIRS + SLIDING_LEFT),
        ("right", SLIDING_PAIRS + SLIDING_RIGHT),
        ("outer", SLIDING_PAIRS + SLIDING_LEFT + SLIDING_RIGHT),
    ],
)
def test_window_join_sliding_counts_unmatched_rows_once_per_window(how, expected):
    window = pw.temporal.sliding(hop=2, duration=4)
    assert_table_equality_wo_index(joined(how, window), T(expected))


@pytest.mark.parametrize(
    "how,expected",
    [
        ("inner", "a | b | lt | rt\n10 | 20 | 3 | 1\n"),
        ("left", "a | b | lt | rt\n10 | 20 | 3 | 1\n" + LEFT_ONLY),
        ("right", "a | b | lt | rt\n10 | 20 | 3 | 1\n | 21 | | 4\n" + RIGHT_ONLY),
    ],
)
def test_window_join_tumbling(how, expected):
    assert_table_equality_wo_index(joined(how, pw.temporal.tumbling(4)), T(expected))


SESSION_PAIR = "a | b | lt | rt\n10 | 21 | 3 | 4\n"
SESSION_RIGHT = """
   | 20 |    | 1
   | 22 |    | 6
   | 23 |    | 9
   | 24 |    | 9
"""


@pytest.mark.parametrize(
    "how,expected",
    [
        ("inner", SESSION_PAIR),
        ("left", SESSION_PAIR + LEFT_ONLY),
        ("right", SESSION_PAIR + SESSION_RIGHT),
        ("outer", SESSION_PAIR + LEFT_ONLY + SESSION_RIGHT),
    ],
)
def test_window_join_session_windows_span_both_sides_per_key(how, expected):
    # Key 1 has times 1 (right), 3 (left), 4 (right), 6 (right), 10 (left): with max_gap=2
    # the sessions are {1}, {3, 4}, {6}, {10} (a gap of exactly 2 splits).
    assert_table_equality_wo_index(joined(how, pw.temporal.session(max_gap=2)), T(expected))


def test_window_join_session_predicate_and_tables_sharing_ids():
    t = T(
        """
          | t | v
        1 | 1 | 1
        2 | 2 | 2
        3 | 9 | 3
        """
    )
    u = t.select(t.t, w=t.v * 10)  # same ids as t
    res = t.window_join(
        u, t.t, u.t, pw.temporal.session(predicate=lambda a, b: b - a <= 1)
    ).select(t.v, u.w)
    expected = T(
        """
        v | w
        1 | 10
        1 | 20
        2 | 10
        2 | 20
        3 | 30
        """
    )
    assert_table_equality_wo_index(res, expected)


# --- random inputs against a nested-loop evaluation, at every time ------------------------


def _random_stream(rng, n, name):
    rows, alive, lines = {}, set(), []
    for time in range(2, 2 + 2 * 6, 2):
        for _ in range(rng.randint(0, n)):
            if alive and rng.random() < 0.3:
                rid = rng.choice(sorted(alive))
                alive.discard(rid)
                lines.append((rid, *rows[rid], time, -1))
            else:
                rid = len(rows) + 1
                rows[rid] = (rng.randint(0, 2), rng.randint(0, 12), rng.randint(0, 99))
                alive.add(rid)
                lines.append((rid, *rows[rid], time, 1))
    text = f"  | k | t | {name} | __time__ | __diff__\n" + "\n".join(
        " | ".join(str(x) for x in line) for line in lines
    )
    return lines, text


def _alive_at(lines, time):
    state = {}
    for rid, k, t, v, at, diff in lines:
        if at <= time:
            state[rid] = state.get(rid, 0) + diff
            state.setdefault(("row", rid), (k, t, v))
    return [state[("row", rid)] for rid, c in state.items() if not isinstance(rid, tuple) and c > 0]


def _expected_interval(left, right, lo, hi, how):
    out = []
    lhit, rhit = [False] * len(left), [False] * len(right)
    for i, (lk, lt, a) in enumerate(left):
        for j, (rk, rt, b) in enumerate(right):
            if lk == rk and lo <= rt - lt <= hi:
                out.append((a, b))
                lhit[i] = rhit[j] = True
    if how in ("left", "outer"):
        out += [(a, None) for (_, _, a), h in zip(left, lhit, strict=True) if not h]
    if how in ("right", "outer"):
        out += [(None, b) for (_, _, b), h in zip(right, rhit, strict=True) if not h]
    return sorted(out, key=repr)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_interval_join_matches_nested_loops_at_every_time(seed, how):
    rng = random.Random(seed * 10 + len(how))
    llines, ltext = _random_stream(rng, 5, "a")
    rlines, rtext = _random_stream(rng, 5, "b")
    lo, hi = rng.randint(-4, 1), rng.randint(1, 4)
    left, right = T(ltext), T(rtext)
    name = "interval_join" if how == "inner" else f"interval_join_{how}"
    res = getattr(left, name)(right, left.t, right.t, pw.temporal.interval(lo, hi),
                              left.k == right.k).select(left.a, right.b)
    states, current = {}, {}

    def on_change(key, row, time, is_addition):
        current[key] = current.get(key, 0)
        item = (row["a"], row["b"])
        bag = states.setdefault("bag", {})
        bag[item] = bag.get(item, 0) + (1 if is_addition else -1)

    def on_time_end(time):
        bag = states.get("bag", {})
        states[time] = sorted([k for k, c in bag.items() for _ in range(c)], key=repr)

    pw.io.subscribe(res, on_change=on_change, on_time_end=on_time_end)
    pw.run()
    times = sorted({line[4] for line in llines + rlines})
    assert times, "the random streams are empty"
    for time in times:
        expected = _expected_interval(_alive_at(llines, time), _alive_at(rlines, time), lo, hi,
                                      how)
        got = states.get(time)
        if got is None:  # no output change at this time: the previous state holds
            earlier = [t for t in states if isinstance(t, int) and t < time]
            got = states[max(earlier)] if earlier else []
        assert got == expected, f"time {time}"


def _windows(t, hop, duration):
    first = (t - duration) // hop + 1
    return [m * hop for m in range(first, t // hop + 1) if m * hop <= t < m * hop + duration]


def _expected_window(left, right, hop, duration, how):
    out = []
    starts = {s for _, t, _ in left + right for s in _windows(t, hop, duration)}
    for start in starts:
        ls = [r for r in left if start in _windows(r[1], hop, duration)]
        rs = [r for r in right if start in _windows(r[1], hop, duration)]
        out += [(a, b) for lk, _, a in ls for rk, _, b in rs if lk == rk]
        if how in ("left", "outer"):
            out += [(a, None) for lk, _, a in ls if all(rk != lk for rk, _, _ in rs)]
        if how in ("right", "outer"):
            out += [(None, b) for rk, _, b in rs if all(lk != rk for lk, _, _ in ls)]
    return sorted(out, key=repr)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("hop,duration", [(4, 4), (2, 5)])
def test_window_join_matches_nested_loops_at_every_time(seed, how, hop, duration):
    rng = random.Random(seed * 100 + hop * 10 + len(how))
    llines, ltext = _random_stream(rng, 5, "a")
    rlines, rtext = _random_stream(rng, 5, "b")
    left, right = T(ltext), T(rtext)
    name = "window_join" if how == "inner" else f"window_join_{how}"
    res = getattr(left, name)(right, left.t, right.t, pw.temporal.sliding(hop, duration),
                              left.k == right.k).select(left.a, right.b)
    bag, states = {}, {}

    def on_change(key, row, time, is_addition):
        item = (row["a"], row["b"])
        bag[item] = bag.get(item, 0) + (1 if is_addition else -1)

    def on_time_end(time):
        states[time] = sorted([k for k, c in bag.items() for _ in range(c)], key=repr)

    pw.io.subscribe(res, on_change=on_change, on_time_end=on_time_end)
    pw.run()
    last: list = []
    for time in sorted({line[4] for line in llines + rlines}):
        expected = _expected_window(_alive_at(llines, time), _alive_at(rlines, time), hop,
                                    duration, how)
        last = states.get(time, last)
        assert last == expected, f"time {time}"
