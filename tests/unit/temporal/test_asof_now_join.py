"""Table.asof_now_join / asof_now_join_inner / asof_now_join_left: each left row meets the right
table as it is when the row arrives, and its result is never revised.

Insertions match Pathway 0.33 (observed with the oracle). Deletions differ on purpose: Pathway
joins a deleted left row with the *current* right table and retracts that (which can leave
negative rows); towpath retracts exactly what the row's insertion produced.
"""

import random

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index

QUERIES = """
   | k | a  | __time__ | __diff__
1  | 1 | 10 | 2        | 1
2  | 2 | 11 | 4        | 1
3  | 1 | 12 | 6        | 1
1  | 1 | 10 | 8        | -1
4  | 3 | 13 | 8        | 1
"""

DATA = """
   | k | b  | __time__ | __diff__
5  | 1 | 20 | 2        | 1
6  | 2 | 21 | 2        | 1
5  | 1 | 20 | 4        | -1
7  | 1 | 22 | 4        | 1
6  | 2 | 21 | 6        | -1
"""


def test_inner_results_are_not_revised_and_a_deletion_retracts_its_own_result():
    q, d = T(QUERIES), T(DATA)
    res = q.asof_now_join(d, q.k == d.k).select(q.a, d.b)
    expected = T(
        """
        a  | b  | __time__ | __diff__
        10 | 20 | 2        | 1
        11 | 21 | 4        | 1
        12 | 22 | 6        | 1
        10 | 20 | 8        | -1
        """
    )
    assert_stream_equality_wo_index(res, expected)


def test_left_variant_keeps_unmatched_rows_with_nones():
    q, d = T(QUERIES), T(DATA)
    res = q.asof_now_join_left(d, q.k == d.k).select(q.a, b=pw.right.b)
    expected = T(
        """
        a  | b  | __time__ | __diff__
        10 | 20 | 2        | 1
        11 | 21 | 4        | 1
        12 | 22 | 6        | 1
        10 | 20 | 8        | -1
        13 |    | 8        | 1
        """
    )
    assert_stream_equality_wo_index(res, expected)


def test_id_of_the_left_table_and_how_argument():
    q, d = T(QUERIES), T(DATA)
    res = q.asof_now_join(d, q.k == d.k, how=pw.JoinMode.LEFT, id=q.id).select(q.a, d.b)
    got = pw.debug.table_to_pandas(res)
    assert sorted(got["a"]) == [11, 12, 13]
    queries = pw.debug.table_to_pandas(q)
    assert set(got.index) <= set(queries.index)


def test_right_and_outer_are_rejected():
    q, d = T(QUERIES), T(DATA)
    with pytest.raises(ValueError, match=r"INNER and JoinMode\.LEFT"):
        q.asof_now_join(d, q.k == d.k, how=pw.JoinMode.OUTER)


def _random_lines(rng, name, times):
    rows, alive, lines = {}, set(), []
    for time in times:
        for _ in range(rng.randint(0, 3)):
            if alive and rng.random() < 0.3:
                rid = rng.choice(sorted(alive))
                alive.discard(rid)
                lines.append((rid, *rows[rid], time, -1))
            else:
                rid = len(rows) + 1 + (0 if name == "a" else 1000)
                rows[rid] = (rng.randint(0, 2), rng.randint(0, 99))
                alive.add(rid)
                lines.append((rid, *rows[rid], time, 1))
    text = f"  | k | {name} | __time__ | __diff__\n" + "\n".join(
        " | ".join(str(x) for x in line) for line in lines
    )
    return lines, text


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("how", ["inner", "left"])
def test_matches_a_replay_at_every_time(seed, how):
    rng = random.Random(seed)
    times = list(range(2, 16, 2))
    llines, ltext = _random_lines(rng, "a", times)
    rlines, rtext = _random_lines(rng, "b", times)
    q, d = T(ltext), T(rtext)
    name = "asof_now_join_inner" if how == "inner" else "asof_now_join_left"
    res = getattr(q, name)(d, q.k == d.k).select(q.a, d.b)
    bag, states = {}, {}

    def on_change(key, row, time, is_addition):
        item = (row["a"], row["b"])
        bag[item] = bag.get(item, 0) + (1 if is_addition else -1)

    def on_time_end(time):
        states[time] = sorted([k for k, c in bag.items() for _ in range(c)], key=repr)

    pw.io.subscribe(res, on_change=on_change, on_time_end=on_time_end)
    pw.run()
    # Replay: right table per time; each left insertion takes the right rows of its time.
    right: dict = {}
    produced: dict = {}
    last: list = []
    for time in times:
        for rid, _k, _b, at, diff in rlines:
            if at == time:
                right[rid] = right.get(rid, 0) + diff
        for rid, k, a, at, diff in llines:
            if at != time:
                continue
            if diff < 0:
                produced.pop(rid, None)
                continue
            rows = {r[0]: r for r in rlines}
            out = [(a, rows[r][2]) for r, c in right.items() for _ in range(c) if rows[r][1] == k]
            produced[rid] = out or ([(a, None)] if how == "left" else [])
        expected = sorted([p for out in produced.values() for p in out], key=repr)
        last = states.get(time, last)
        assert last == expected, f"time {time}"
