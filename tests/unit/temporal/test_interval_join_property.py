"""interval_join against a naive nested-loop evaluation, on random inputs committed over
several times with deletions: the update stream must be the difference of the naive results
between consecutive times."""

import random
from collections import Counter

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index

TIMES = (2, 4, 6, 8)


def random_side(rng: random.Random, key: str, time: str) -> list[tuple]:
    """Updates (label, key, time value, commit, diff): inserts and deletions of live rows."""
    updates, live, label = [], [], 0
    for commit in TIMES:
        for row in rng.sample(live, k=rng.randint(0, len(live) // 2)):
            live.remove(row)
            updates.append((*row, commit, -1))
        for _ in range(rng.randint(1, 4)):
            label += 1
            row = (label, rng.randint(0, 2), rng.randint(0, 12))
            live.append(row)
            updates.append((*row, commit, 1))
    return updates


def markdown(updates: list[tuple], key: str, time: str) -> str:
    lines = [f"  | {key} | {time} | __time__ | __diff__"]
    lines += [f"{lab} | {k} | {t} | {c} | {d}" for lab, k, t, c, d in updates]
    return "\n".join(lines)


def snapshot(updates: list[tuple], upto: int) -> list[tuple]:
    rows: Counter = Counter()
    for lab, k, t, c, d in updates:
        if c <= upto:
            rows[(lab, k, t)] += d
    return [r for r, n in rows.items() for _ in range(n)]


def naive(left: list, right: list, lo: int, hi: int, how: str) -> Counter:
    out: Counter = Counter()
    lhit, rhit = set(), set()
    for ll, a, t in left:
        for rl, b, s in right:
            if a == b and t + lo <= s <= t + hi:
                out[(a, t, b, s)] += 1
                lhit.add(ll)
                rhit.add(rl)
    if how in ("left", "outer"):
        for ll, a, t in left:
            if ll not in lhit:
                out[(a, t, None, None)] += 1
    if how in ("right", "outer"):
        for rl, b, s in right:
            if rl not in rhit:
                out[(None, None, b, s)] += 1
    return out


def cell(v: object) -> str:
    return "" if v is None else str(v)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_interval_join_matches_nested_loops(seed: int, how: str) -> None:
    rng = random.Random(seed * 7919 + len(how))
    lo = rng.randint(-4, 2)
    hi = lo + rng.randint(0, 5)
    lu, ru = random_side(rng, "a", "t"), random_side(rng, "b", "s")
    lines = ["a | t | b | s | __time__ | __diff__"]
    prev: Counter = Counter()
    for commit in TIMES:
        now = naive(snapshot(lu, commit), snapshot(ru, commit), lo, hi, how)
        delta = Counter(now)
        delta.subtract(prev)
        for row, n in sorted(delta.items(), key=repr):
            for _ in range(abs(n)):
                lines.append(" | ".join(cell(v) for v in row) + f" | {commit} | {1 if n > 0 else -1}")
        prev = now
    t1, t2 = T(markdown(lu, "a", "t")), T(markdown(ru, "b", "s"))
    result = getattr(t1, f"interval_join_{how}")(
        t2, t1.t, t2.s, pw.temporal.interval(lo, hi), t1.a == t2.b
    ).select(pw.left.a, pw.left.t, pw.right.b, pw.right.s)
    expected = T("\n".join(lines))
    if how in ("right", "outer"):
        expected = expected.update_types(a=int | None, t=int | None)
    if how in ("left", "outer"):
        expected = expected.update_types(b=int | None, s=int | None)
    assert_stream_equality_wo_index(result, expected)
