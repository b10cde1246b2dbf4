"""Join behaviours against a naive model, on random update streams with deletions.

The model (plain Python, from the rules in docs/temporal.md): each side goes through a delay
buffer, a cutoff freeze and a cutoff forget, each with the watermark of its own input; then the
join is evaluated from scratch on both gated sides at every time, and the update stream is the
difference between consecutive times (updates at odd times — the consequences of forgetting —
are dropped when results are kept). Run with ``--threads 1``, ``2`` and ``4``. (The same random
programs were checked against Pathway 0.33 while writing the feature: identical streams.)
"""

import random
from collections import Counter

import pytest
import towpath as pw
from towpath.testing import T

END = 18446744073709551614
COMMITS = (2, 4, 6, 8, 10, 12)


def random_side(rng: random.Random, used: set) -> list[tuple]:
    """Updates ((label, t, value), commit, diff); times unique over both sides (no ties)."""
    updates = []
    for label in range(1, rng.randint(2, 7) + 1):
        t = rng.choice([x for x in range(41) if x not in used])
        used.add(t)
        row, commit = (label, t, label * 10), rng.choice(COMMITS)
        updates.append((row, commit, 1))
        if rng.random() < 0.25:
            updates.append((row, commit + rng.choice([2, 4, 6]), -1))
    return updates


def markdown(updates: list[tuple], col: str) -> str:
    lines = [f"  | t | {col} | __time__ | __diff__"]
    lines += [f"{lab} | {t} | {v} | {c} | {d}" for (lab, t, v), c, d in updates]
    return "\n".join(lines)


def by_time(updates: list[tuple]) -> dict[int, Counter]:
    """Consolidated updates per time (times whose updates cancel out have none)."""
    out: dict[int, Counter] = {}
    for row, time, diff in updates:
        out.setdefault(time, Counter())[row] += diff
    return {t: Counter({r: d for r, d in c.items() if d}) for t, c in sorted(out.items())
            if any(c.values())}


def buffer(updates: list[tuple], delay: int) -> list[tuple]:
    out, held, w = [], Counter(), None
    for time, rows in by_time(updates).items():
        held.update(rows)
        w = max([w, *(r[1] for r in rows)], key=lambda x: -1 if x is None else x)
        for row, d in list(held.items()):
            if d and row[1] + delay <= w:
                out.append((row, time, d))
                held[row] = 0
    out += [(row, END, d) for row, d in held.items() if d]
    return out


def freeze(updates: list[tuple], cutoff: int) -> list[tuple]:
    out, w = [], None
    for time, rows in by_time(updates).items():
        out += [(r, time, d) for r, d in rows.items() if w is None or r[1] + cutoff > w]
        w = max([w, *(r[1] for r in rows)], key=lambda x: -1 if x is None else x)
    return out


def forget(updates: list[tuple], cutoff: int, mark: bool) -> list[tuple]:
    out, present, w = [], Counter(), None
    for time, rows in by_time(updates).items():
        out += [(r, time, d) for r, d in rows.items()]
        present.update(rows)
        for row, d in list(present.items()):
            if d and w is not None and row[1] + cutoff <= w:
                out.append((row, time + 1 if mark else time, -d))
                present[row] = 0
        w = max([w, *(r[1] for r in rows)], key=lambda x: -1 if x is None else x)
    return out


def gated(updates: list[tuple], delay, cutoff, keep: bool) -> list[tuple]:
    if delay is not None:
        updates = buffer(updates, delay)
    if cutoff is not None:
        updates = forget(freeze(updates, cutoff), cutoff, keep)
    return updates


def snapshot(updates: list[tuple], upto: int) -> list[tuple]:
    rows: Counter = Counter()
    for row, time, diff in updates:
        if time <= upto:
            rows[row] += diff
    assert all(n in (0, 1) for n in rows.values())
    return [r for r, n in rows.items() if n]


def interval_join(left: list, right: list, lo: int, hi: int, how: str) -> Counter:
    out: Counter = Counter()
    lhit, rhit = set(), set()
    for ll, lt, a in left:
        for rl, rt, b in right:
            if lo <= rt - lt <= hi:
                out[(lt, a, rt, b)] += 1
                lhit.add(ll)
                rhit.add(rl)
    if how in ("left", "outer"):
        out.update((lt, a, None, None) for ll, lt, a in left if ll not in lhit)
    if how in ("right", "outer"):
        out.update((None, None, rt, b) for rl, rt, b in right if rl not in rhit)
    return out


def asof_left_backward(left: list, right: list) -> Counter:
    out: Counter = Counter()
    for _, lt, a in left:
        before = [(rt, b) for _, rt, b in right if rt <= lt]
        out[(lt, a, *(max(before) if before else (None, None)))] += 1
    return out


def model(lu: list, ru: list, behavior: tuple, join) -> Counter:
    delay, cutoff, keep = behavior
    lg, rg = gated(lu, delay, cutoff, keep), gated(ru, delay, cutoff, keep)
    times = sorted({t for _, t, _ in lg + rg})
    expected: Counter = Counter()
    prev: Counter = Counter()
    for time in times:
        now = join(snapshot(lg, time), snapshot(rg, time))
        if not (keep and cutoff is not None and time % 2 == 1):
            delta = Counter(now)
            delta.subtract(prev)
            for row, n in delta.items():
                if n:
                    expected[(row, time)] += n
        prev = now
    return Counter({k: v for k, v in expected.items() if v})


def observed(table) -> Counter:
    got: Counter = Counter()

    def on_change(key, row, time, is_addition):
        got[(tuple(row[c] for c in ("lt", "a", "rt", "b")), time)] += 1 if is_addition else -1

    pw.io.subscribe(table, on_change=on_change)
    pw.run()
    return Counter({k: v for k, v in got.items() if v})


def case(seed: int):
    rng = random.Random(seed)
    used: set = set()
    lu, ru = random_side(rng, used), random_side(rng, used)
    delay, cutoff = rng.choice([None, 0, 2, 5]), rng.choice([None, 0, 3, 8])
    keep = rng.random() < 0.5 if cutoff is not None else True
    return rng, lu, ru, (2 if delay is None and cutoff is None else delay, cutoff, keep)


@pytest.mark.parametrize("seed", range(24))
@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_interval_join_behaviors_match_the_model(seed: int, how: str) -> None:
    rng, lu, ru, behavior = case(seed * 31 + len(how))
    lo = rng.randint(-6, 2)
    hi = lo + rng.randint(0, 6)
    left, right = T(markdown(lu, "a")), T(markdown(ru, "b"))
    result = getattr(left, f"interval_join_{how}")(
        right, left.t, right.t, pw.temporal.interval(lo, hi),
        behavior=pw.temporal.common_behavior(*behavior),
    ).select(lt=left.t, a=left.a, rt=right.t, b=right.b)
    expected = model(lu, ru, behavior, lambda lft, rgt: interval_join(lft, rgt, lo, hi, how))
    assert observed(result) == expected


@pytest.mark.parametrize("seed", range(40))
def test_asof_join_behaviors_match_the_model(seed: int) -> None:
    _, lu, ru, behavior = case(seed * 17 + 3)
    left, right = T(markdown(lu, "a")), T(markdown(ru, "b"))
    result = left.asof_join_left(
        right, left.t, right.t, behavior=pw.temporal.common_behavior(*behavior),
    ).select(lt=left.t, a=left.a, rt=right.t, b=right.b)
    assert observed(result) == model(lu, ru, behavior, asof_left_backward)
