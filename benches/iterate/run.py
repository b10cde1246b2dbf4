"""pw.iterate: connected components of a random graph, the initial fixpoint and single-edge
changes afterwards (incremental) against recomputing the fixpoint from scratch.

    python benches/iterate/run.py [--edges E] [--vertices V] [--threads T] [--build]

The live run pushes the E random edges (over V vertices) through a ``ConnectorSubject`` as one
commit and waits for the components; then, one commit each, inserts an edge that joins a small
component to the largest one, deletes it again, and deletes an edge of the original graph,
timing each commit until its result is out. Each scratch run computes the components of the
graph after one of those changes in a fresh process. Every result is checked against a
union-find. With ``--build``, towpath is built in release mode first (staged apart from the
debug build the tests use); otherwise the ``towpath`` on ``PYTHONPATH`` is measured.

Exit status: 0 when every result was right, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def graph(edges: int, vertices: int, seed: int = 7) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(rng.randrange(vertices), rng.randrange(vertices)) for _ in range(edges)]


def union_find(n: int, edges: list[tuple[int, int]]) -> dict[int, int]:
    """Smallest vertex of each vertex's component, for the vertices that have an edge."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in edges:
        a, b = find(u), find(v)
        if a != b:
            parent[max(a, b)] = min(a, b)
    present = {x for e in edges for x in e}
    return {x: find(x) for x in present}


def changes(edges: list[tuple[int, int]], vertices: int) -> list[tuple[str, tuple[int, int]]]:
    """An edge from a vertex outside the largest component to vertex 0 (inside it), its
    deletion, and the deletion of an original edge."""
    labels = union_find(vertices, edges)
    outside = next(x for x in sorted(labels) if labels[x] != 0)
    return [("insert", (outside, 0)), ("delete", (outside, 0)), ("delete", edges[len(edges) // 2])]


def components(pw, edges):
    from_ = edges.select(v=pw.this.u)
    to = edges.select(v=pw.this.v)
    vertices = pw.Table.concat_reindex(from_, to).groupby(pw.this.v).reduce(pw.this.v)
    labels = vertices.select(v=pw.this.v, label=pw.this.v).with_id_from(pw.this.v)
    both = pw.Table.concat_reindex(
        edges.select(a=pw.this.u, b=pw.this.v), edges.select(a=pw.this.v, b=pw.this.u)
    )

    def step(labels, both):
        heard = both.join(labels, both.a == labels.v).select(v=both.b, label=labels.label)
        return (
            pw.Table.concat_reindex(labels, heard)
            .groupby(pw.this.v)
            .reduce(pw.this.v, label=pw.reducers.min(pw.this.label))
            .with_id_from(pw.this.v)
        )

    return pw.iterate(step, labels=pw.iterate_universe(labels), both=both)


def child(mode: str, n_edges: int, n_vertices: int, step: int) -> None:
    """Runs one measurement and prints its JSON on the last line."""
    import towpath as pw

    edges = graph(n_edges, n_vertices)
    plan = changes(edges, n_vertices)
    if mode == "scratch":
        for kind, edge in plan[: step + 1]:
            if kind == "insert":
                edges.append(edge)
            else:
                edges.remove(edge)
        batches = [[("insert", e) for e in edges]]
    else:
        batches = [[("insert", e) for e in edges]] + [[c] for c in plan]
    labels: dict[int, int] = {}
    ended = threading.Semaphore(0)
    seconds: list[float] = []
    checks: list[bool] = []
    state = list(edges) if mode == "scratch" else []

    class Edges(pw.io.python.ConnectorSubject):
        def run(self) -> None:
            try:
                self.push_all()
            except BaseException as exc:
                print(f"subject failed: {exc!r}", file=sys.stderr, flush=True)
                raise

        def push_all(self) -> None:
            for k, batch in enumerate(batches):
                # A new isolated vertex per commit, so that every commit changes the output:
                # a time with no output update is not announced to the sink until a later one
                # (seen on main too, without pw.iterate).
                batch = [*batch, ("insert", (n_vertices + k, n_vertices + k))]
                start = time.perf_counter()
                for kind, (u, v) in batch:
                    (self.next if kind == "insert" else self.delete)(u=u, v=v)
                    if mode == "live" or (u, v) == (n_vertices + k, n_vertices + k):
                        state.append((u, v)) if kind == "insert" else state.remove((u, v))
                self.commit()
                if not ended.acquire(timeout=600):
                    print("no result for a commit", file=sys.stderr, flush=True)
                seconds.append(time.perf_counter() - start)
                print(f"commit {len(seconds)}: {seconds[-1]:.3f} s", file=sys.stderr, flush=True)
                checks.append(labels == union_find(n_vertices + len(batches), state))

    class Schema(pw.Schema):
        u: int
        v: int

    table = pw.io.python.read(Edges(), schema=Schema, autocommit_duration_ms=None)
    result = components(pw, table)

    def on_change(key, row, time, is_addition):
        if is_addition:
            labels[row["v"]] = row["label"]
        elif labels.get(row["v"]) == row["label"]:
            del labels[row["v"]]

    pw.io.subscribe(result, on_change=on_change, on_time_end=lambda t: ended.release())
    pw.run()
    print(json.dumps({"seconds": seconds, "ok": all(checks) and len(checks) == len(batches)}))


def measure(env: dict, *args: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=100_000)
    parser.add_argument("--vertices", type=int, default=50_000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--build", action="store_true", help="build and measure a release build")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, step = args.child
        child(mode, args.edges, args.vertices, int(step))
        return 0
    env = dict(os.environ, TOWPATH_THREADS=str(args.threads))
    if args.build:
        sys.path.insert(0, str(HERE.parent))
        from _common import build_towpath_release

        stage = build_towpath_release()
        if stage is None:
            return 1
        env["PYTHONPATH"] = str(stage)
    sizes = ["--edges", str(args.edges), "--vertices", str(args.vertices)]
    live = measure(env, *sizes, "--child", "live", "0")
    labels = ["initial fixpoint", *(f"{k} edge {e}" for k, e in changes(
        graph(args.edges, args.vertices), args.vertices))]
    print(f"connected components, {args.edges:,} edges over {args.vertices:,} vertices, "
          f"{args.threads} thread(s)")
    print(f"{'':<34} {'incremental s':>14} {'from scratch s':>15}")
    ok = live["ok"]
    print(f"{labels[0]:<34} {live['seconds'][0]:>14.3f} {live['seconds'][0]:>15.3f}", flush=True)
    for step, label in enumerate(labels[1:]):
        scratch = measure(env, *sizes, "--child", "scratch", str(step))
        ok = ok and scratch["ok"]
        print(f"{label:<34} {live['seconds'][step + 1]:>14.4f} {scratch['seconds'][0]:>15.3f}",
              flush=True)
    print("results checked against a union-find:", "ok" if ok else "WRONG")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
