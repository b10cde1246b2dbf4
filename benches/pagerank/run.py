"""Integer PageRank (5 unrolled steps), towpath vs Pathway 0.33, batch and streaming.

    python benches/pagerank/run.py            # 1M edges; streaming: 10 commits of 1,000
    python benches/pagerank/run.py --quick    # 100k edges; streaming: 5 commits of 1,000

Both engines run ``program.py`` (the same text); final ranks are checked against a plain
Python reference (batch: every rank; streaming: the in-dataflow digest). See README.md.
Exit status 1 if a run failed or gave other ranks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import (  # noqa: E402
    BUILD_DIR,
    build_towpath_release,
    consolidated_csv,
    pathway_python,
    run_process,
)
from graph import digest, graph_file, read_edges, reference  # noqa: E402

PROGRAM = HERE / "program.py"


def check(mode: str, out: dict, expected: dict[int, int]) -> str:
    if mode == "batch":
        final = consolidated_csv(Path(out["ranks_csv"]), ("v", "rank"))
        got = {int(v): int(r) for (v, r), d in final.items() if d > 0}
        return "ok" if got == expected else f"WRONG ({len(set(got.items()) ^ set(expected.items()))} ranks differ)"
    return "ok" if tuple(out["digest"]) == digest(expected) else f"WRONG digest {out['digest']}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--edges", type=int, default=1_000_000)
    p.add_argument("--stream-edges", type=int, default=10_000)
    p.add_argument("--commit-edges", type=int, default=1000)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1, help="worker threads for both engines")
    p.add_argument("--modes", default="batch,streaming")
    p.add_argument("--quick", action="store_true", help="100k edges, 5 streamed commits")
    p.add_argument("--no-build", action="store_true", help="use the staged release build as it is")
    p.add_argument("--skip-pathway", action="store_true")
    args = p.parse_args()
    if args.quick:
        args.edges, args.stream_edges = 100_000, 5_000
    uptime = os.getloadavg()[0]
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load1 {uptime:.2f}", flush=True)

    work = BUILD_DIR / "pagerank"
    graph = graph_file(args.edges, args.seed, work)
    t = time.perf_counter()
    expected = reference(read_edges(graph), args.steps)
    print(f"graph {graph.name}: {args.edges:,} edges, {len(expected):,} vertices; "
          f"Python reference in {time.perf_counter() - t:.1f} s", flush=True)

    engines: list[tuple[str, str, dict[str, str]]] = []
    staged = build_towpath_release(skip=args.no_build)
    if staged is None:
        return 1
    threads = {"PATHWAY_THREADS": str(args.threads), "TOWPATH_THREADS": str(args.threads)}
    engines.append(("towpath", sys.executable, dict(os.environ, PYTHONPATH=str(staged), **threads)))
    if not args.skip_pathway:
        py = pathway_python()
        if py is None:
            return 1
        engines.append(("pathway", py, dict(os.environ, **threads)))

    rows, bad = [], False
    for mode in args.modes.split(","):
        for name, python, env in engines:
            out_path = work / f"{name}-{mode}.json"
            out_path.unlink(missing_ok=True)
            cmd = [python, str(PROGRAM), name, mode, str(graph), str(out_path), "--steps", str(args.steps),
                   "--commit-edges", str(args.commit_edges), "--stream-edges", str(args.stream_edges)]
            load = os.getloadavg()[0]
            res = run_process(cmd, env, f"pagerank-{name}-{mode}")
            if not res.ok or not out_path.exists():
                print(f"  {name} {mode}: FAILED (exit {res.returncode}; log {res.log})", flush=True)
                rows.append((mode, name, load, None, None, res.peak_rss_mb, "FAILED"))
                bad = True
                continue
            out = json.loads(out_path.read_text())
            verdict = check(mode, out, expected)
            bad |= verdict != "ok"
            if mode == "batch":
                seconds, work_items = out["run_seconds"], args.edges
            else:
                seconds, work_items = out["stream_seconds"], min(args.stream_edges, args.edges)
            extra = f" (base graph {out['base_seconds']:.1f} s, {out['commits']} commits)" if mode == "streaming" else ""
            print(f"  {name} {mode}: {seconds:.2f} s{extra} {verdict}", flush=True)
            rows.append((mode, name, load, seconds, work_items / seconds, res.peak_rss_mb, verdict, out))

    print(f"\nPageRank, integer, {args.steps} steps, {args.edges:,} edges ({len(expected):,} vertices), "
          f"{args.threads} thread(s); batch = pw.run() of a static CSV read; streaming = "
          f"{args.stream_edges:,} edges in commits of {args.commit_edges:,} after a base graph, each "
          "commit waited for (seconds and edges/s over the streamed commits only)")
    header = f"{'mode':9} {'engine':8} {'load1':>5} {'seconds':>8} {'edges/s':>10} {'base s':>7} {'RSS MB':>6} {'towpath x':>9}  check"
    print(header)
    print("-" * len(header))
    for mode, name, load, seconds, rate, rss, verdict, *rest in rows:
        if seconds is None:
            print(f"{mode:9} {name:8} {load:>5.2f} {verdict}")
            continue
        out = rest[0]
        base = f"{out['base_seconds']:>7.1f}" if mode == "streaming" else f"{'':>7}"
        ref = [r for r in rows if r[0] == mode and r[1] == "pathway" and r[3]]
        ratio = f"{ref[0][3] / seconds:>9.2f}" if name == "towpath" and ref else f"{'':>9}"
        print(f"{mode:9} {name:8} {load:>5.2f} {seconds:>8.2f} {rate:>10,.0f} {base} {rss:>6.0f} {ratio}  {verdict}")
    print("(towpath x = Pathway's seconds / towpath's: the speed-up; target >= 3)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
