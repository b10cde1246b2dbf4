"""Random behaviour programs run by towpath and by the Pathway 0.33 oracle, compared per case.

Writes one program per engine (``windows``: windowby with tumbling/sliding windows and random
``common_behavior``/``exactly_once_behavior``; ``joins``: asof_join/interval_join with random
``common_behavior``), both over random update streams with deletions, runs them and prints the
cases whose update streams differ. Times are unique within a program's join sides (Pathway
orders ties by its own row ids).

    PYTHONPATH=python .venv/bin/python scripts/oracle_fuzz_behaviors.py windows --seeds 1-10
    TOWPATH_THREADS=4 ... scripts/oracle_fuzz_behaviors.py joins --seeds 1-10 --cases 30
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile

ORACLE = "/root/.cache/towpath/pw-venv/bin/python"


def _rows(rng: random.Random, used: set | None) -> list[tuple]:
    rows = []
    for i in range(1, rng.randint(3, 9) + 1):
        t = rng.randint(0, 40)
        if used is not None:
            while t in used:
                t = rng.randint(0, 60)
            used.add(t)
        commit, k = rng.choice([2, 4, 6, 8, 10, 12]), rng.choice("ab")
        rows.append((i, k, t, i, commit, 1))
        if rng.random() < 0.2:
            rows.append((i, k, t, i, commit + rng.choice([2, 4]), -1))
    return rows


def _md(rows: list[tuple], col: str) -> str:
    head = f"   | k | t | {col} | __time__ | __diff__\n"
    return head + "".join(f" {i} | {k} | {t} | {v} | {c} | {d}\n" for i, k, t, v, c, d in rows)


def _common(rng: random.Random) -> str:
    delay, cutoff = rng.choice([None, 0, 2, 5, 10]), rng.choice([None, 0, 3, 8])
    if delay is None and cutoff is None:
        cutoff = 3
    keep = rng.random() < 0.5 if cutoff is not None else True
    return f"pw.temporal.common_behavior(delay={delay}, cutoff={cutoff}, keep_results={keep})"


def windows_case(rng: random.Random) -> list[str]:
    if rng.random() < 0.3:
        behavior = f"pw.temporal.exactly_once_behavior(shift={rng.choice([None, 0, 3])})"
    else:
        behavior = _common(rng)
    if rng.random() < 0.5:
        window = f"pw.temporal.tumbling(duration={rng.choice([3, 5, 10])})"
    else:
        window = f"pw.temporal.sliding(hop={rng.choice([2, 5])}, duration={rng.choice([5, 10])})"
    instance = "pw.this.k" if rng.random() < 0.3 else "None"
    return [
        f"print('=== {behavior} {window} instance={instance}')",
        f"t = pw.debug.table_from_markdown('''{_md(_rows(rng, None), 'v')}''')",
        f"res = t.windowby(pw.this.t, window={window}, behavior={behavior}, instance={instance})"
        ".reduce(pw.this._pw_instance, pw.this._pw_window_start, n=pw.reducers.count(), "
        "s=pw.reducers.sum(pw.this.v))",
    ]


def joins_case(rng: random.Random) -> list[str]:
    used: set = set()
    left, right = _md(_rows(rng, used), "a"), _md(_rows(rng, used), "b")
    behavior, how = _common(rng), rng.choice(["INNER", "LEFT", "RIGHT", "OUTER"])
    lines = [f"l = pw.debug.table_from_markdown('''{left}''')",
             f"r = pw.debug.table_from_markdown('''{right}''')"]
    sel = ".select(lt=l.t, a=l.a, rt=r.t, b=r.b)"
    if rng.random() < 0.5:
        lo = rng.randint(-6, 2)
        hi = lo + rng.randint(0, 6)
        lines.insert(0, f"print('=== interval({lo}, {hi}) {behavior} {how}')")
        lines.append(f"res = l.interval_join(r, l.t, r.t, pw.temporal.interval({lo}, {hi}), "
                     f"behavior={behavior}, how=pw.JoinMode.{how}){sel}")
    else:
        how = "LEFT" if how == "INNER" else how  # Pathway's asof_join(how=INNER) raises
        direction = rng.choice(["BACKWARD", "FORWARD", "NEAREST"])
        lines.insert(0, f"print('=== asof {direction} {behavior} {how}')")
        lines.append(f"res = l.asof_join(r, l.t, r.t, behavior={behavior}, how=pw.JoinMode.{how}, "
                     f"direction=pw.temporal.Direction.{direction}){sel}")
    return lines


def program(kind: str, seed: int, cases: int, engine: str) -> str:
    rng = random.Random(seed)
    make = windows_case if kind == "windows" else joins_case
    out = [f"import {engine} as pw", "import sys"]
    for _ in range(cases):
        out += make(rng)
        out.append("pw.debug.compute_and_print_update_stream(res, include_id=False)")
        out.append("sys.stdout.flush()")
    return "\n".join(out) + "\n"


def run(python: str, source: str) -> list[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(source)
    try:
        out = subprocess.run([python, f.name], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    return ["=== " + c for c in out.split("=== ")[1:]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["windows", "joins"])
    parser.add_argument("--seeds", default="1-5", help="a range, e.g. 1-10")
    parser.add_argument("--cases", type=int, default=30, help="programs per seed")
    args = parser.parse_args()
    first, _, last = args.seeds.partition("-")
    differing = total = 0
    for seed in range(int(first), int(last or first) + 1):
        ours = run(sys.executable, program(args.kind, seed, args.cases, "towpath"))
        theirs = run(ORACLE, program(args.kind, seed, args.cases, "pathway"))
        for n, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            total += 1
            if a != b:
                differing += 1
                print(f"--- seed {seed} case {n}\ntowpath:\n{a}\npathway:\n{b}")
    print(f"{total} programs, {differing} differing")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
