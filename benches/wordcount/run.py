"""Word-count benchmark: towpath against Pathway 0.33 on the same program and input.

    python benches/wordcount/run.py [N] [--repeat R] [--no-build] [--skip-pathway]

Steps: generate (or reuse) N words as JSON Lines; build towpath's extension in release
mode and stage it apart from the debug build that tests use; make sure a Pathway 0.33
interpreter exists (installing it into ``benches/.pathway-venv`` on first use); run
``program.py`` under towpath (1 and 2 threads) and Pathway (1 and 2 threads); print a
table; check that every run's consolidated output equals the true word counts.

Exit status: 0 when every required run succeeded with correct counts, 1 otherwise.
A Pathway run with 2 threads is optional (reported, never fatal).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _common import (  # noqa: E402
    BUILD_DIR,
    ProcessResult,
    build_towpath_release,
    consolidated_csv,
    pathway_python,
    run_process,
)
from wordcount.generate import cached_words  # noqa: E402

PROGRAM = HERE / "program.py"


def true_counts(path: Path) -> Counter[tuple[str, int]]:
    """The expected final table, computed in plain Python from the input file."""
    words: Counter[str] = Counter()
    with open(path, encoding="ascii") as f:
        for line in f:
            words[json.loads(line)["word"]] += 1
    return Counter({(w, c): 1 for w, c in words.items()})


def run_engine(
    engine: str, python: str, threads: int, data: Path, env_extra: dict[str, str]
) -> tuple[ProcessResult, Path]:
    """One run of the program; returns the process result and the CSV it wrote."""
    out = BUILD_DIR / "out" / f"{engine}-{threads}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    env = dict(os.environ, **env_extra)
    env.update(WORDCOUNT_ENGINE=engine, PATHWAY_THREADS=str(threads), TOWPATH_THREADS=str(threads))
    res = run_process([python, str(PROGRAM), str(data), str(out)], env, f"{engine}-{threads}")
    return res, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="towpath vs Pathway word count")
    parser.add_argument(
        "n", nargs="?", type=int, default=10_000_000, help="number of words (default 10M)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per configuration; the fastest is kept"
    )
    parser.add_argument(
        "--no-build", action="store_true", help="use the staged release build as it is"
    )
    parser.add_argument("--skip-pathway", action="store_true", help="run towpath only")
    parser.add_argument("--skip-towpath", action="store_true", help="run Pathway only")
    args = parser.parse_args(argv)

    t = time.perf_counter()
    data = cached_words(args.n)
    print(f"input: {data} ({args.n:,} words, ready in {time.perf_counter() - t:.1f} s)", flush=True)
    expected = true_counts(data)

    configs: list[
        tuple[str, str, int, dict[str, str], bool]
    ] = []  # engine, python, threads, env, required
    ok = True
    if not args.skip_towpath:
        staged = build_towpath_release(skip=args.no_build)
        if staged is None:
            ok = False
        else:
            env = {"PYTHONPATH": str(staged)}
            configs += [("towpath", sys.executable, t, env, True) for t in (1, 2)]
    if not args.skip_pathway:
        py = pathway_python()
        if py is None:
            ok = False
        else:
            configs += [("pathway", py, 1, {}, True), ("pathway", py, 2, {}, False)]

    results = []
    for engine, python, threads, env, required in configs:
        best: ProcessResult | None = None
        verdict = ""
        for _ in range(max(1, args.repeat)):
            res, out = run_engine(engine, python, threads, data, env)
            if not res.ok:
                verdict = f"FAILED (exit {res.returncode}; log {res.log})"
                break
            rows = consolidated_csv(out, ("word", "count"))
            got = Counter({(w, int(c)): d for (w, c), d in rows.items()})
            if got != expected:
                verdict = (
                    f"WRONG COUNTS ({len(set(got) ^ set(expected))} rows differ; output {out})"
                )
                break
            verdict = "ok"
            if best is None or res.run_seconds < best.run_seconds:
                best = res
        if verdict != "ok":
            best = None
            if required:
                ok = False
        print(f"  {engine:8} threads={threads}: {verdict}", flush=True)
        results.append((engine, threads, best, verdict))

    print_table(results, args.n)
    return 0 if ok else 1


def print_table(rows: list[tuple[str, int, ProcessResult | None, str]], n: int) -> None:
    base = next((r for e, t, r, _ in rows if e == "pathway" and t == 1 and r is not None), None)
    header = f"{'engine':8} {'threads':>7} {'run s':>8} {'total s':>8} {'words/s':>12} {'peak MB':>8} {'vs Pathway-1':>12}"
    print()
    print(f"word count, {n:,} words (run s = pw.run() only; total s = whole process)")
    print(header)
    print("-" * len(header))
    for engine, threads, r, verdict in rows:
        if r is None:
            print(f"{engine:8} {threads:>7} {verdict}")
            continue
        ratio = f"{base.run_seconds / r.run_seconds:.2f}x" if base else "n/a"
        print(
            f"{engine:8} {threads:>7} {r.run_seconds:>8.2f} {r.wall_seconds:>8.2f} "
            f"{n / r.run_seconds:>12,.0f} {r.peak_rss_mb:>8.0f} {ratio:>12}"
        )


if __name__ == "__main__":
    sys.exit(main())
