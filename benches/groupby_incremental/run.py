"""Groupby cost per change: the incremental count/sum/avg path against the generic reduce.

    python benches/groupby_incremental/run.py [--size N] [--changes C] [--generic-changes G]
                                              [--repeat R] [--no-build]

Builds towpath in release mode (staged apart from the debug build the tests use), then runs
``program.py`` — one group of N rows (distinct int values), then single-row changes, each at
its own time — for each variant, once with no changes and once with C (G for the generic path,
which is slow), and prints the time per change: (run with changes - run without) / changes, each
the best of R repeats. The generic path is forced with ``TOWPATH_GROUPBY=generic``; a
count/sum/avg/max groupby (always generic) is shown too, and a count alone, whose cost per
change is everything but the reducers (the floor). Checks that every run's final row equals the
true count, sum and avg.

Exit status: 0 when every run succeeded with correct results, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _common import build_towpath_release  # noqa: E402

PROGRAM = HERE / "program.py"

# (label, reducers argument of program.py, TOWPATH_GROUPBY, slow)
VARIANTS = [
    ("floor:       count alone", "count", "", False),
    ("incremental: count, sum, avg", "sum", "", False),
    ("generic:     count, sum, avg (TOWPATH_GROUPBY=generic)", "sum", "generic", True),
    ("generic:     count, sum, avg, max", "sum+max", "", True),
]


def expected(size: int, changes: int, deletes: bool) -> dict:
    """The final row: the first `size` rows plus the last inserted one, or every inserted one
    without deletes (see program.py)."""
    added = range(size + changes - 1 if deletes and changes else size, size + changes)
    values = [7 * i for i in range(size)] + [7 * i for i in added]
    return {"n": len(values), "s": sum(values), "a": sum(values) / len(values)}


def run_once(stage: Path, size: int, changes: int, reducers: str, path: str) -> tuple[float, dict]:
    env = dict(os.environ, PYTHONPATH=str(stage), TOWPATH_GROUPBY=path)
    cmd = [sys.executable, str(PROGRAM), str(size), str(changes), reducers]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return out["seconds"], out["final"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=20_000)
    parser.add_argument("--generic-changes", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="reuse the staged release build")
    args = parser.parse_args()
    stage = build_towpath_release(skip=args.no_build)
    if stage is None:
        return 1
    ok = True
    print(f"one group of {args.size:,} rows, single-row changes, best of {args.repeat}")
    print(f"{'path':<58} {'load s':>8} {'changes':>8} {'per change':>12}")
    for label, reducers, path, slow in VARIANTS:
        best = {}
        count = args.generic_changes if slow else args.changes
        for changes in (0, count):
            runs = [run_once(stage, args.size, changes, reducers, path) for _ in range(args.repeat)]
            best[changes] = min(s for s, _ in runs)
            want = expected(args.size, changes, reducers != "count")
            checked = ("n",) if reducers == "count" else ("n", "s", "a")
            for _, final in runs:
                if any(
                    final[k] is None or abs(final[k] - want[k]) > 1e-9 * want[k] for k in checked
                ):
                    print(f"  wrong result for {label}, {changes} changes: {final} != {want}")
                    ok = False
        per_change = (best[count] - best[0]) / count
        print(f"{label:<58} {best[0]:>8.3f} {count:>8,} {per_change * 1e6:>9.1f} µs", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
