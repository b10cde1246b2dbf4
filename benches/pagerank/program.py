"""Integer PageRank, 5 unrolled steps of joins and groupbys: the one program both engines run.

    python program.py ENGINE MODE EDGES.csv OUT.json [--steps 5] [--commit-edges 1000]

ENGINE is ``towpath`` (``import towpath as pw``) or ``pathway`` (``import pathway as pw``);
worker threads come from ``PATHWAY_THREADS`` (towpath reads it too). MODE:

- ``batch``: the edges are read from the CSV file (``pw.io.csv.read``, static); the final
  ranks go to ``pw.io.csv.write`` (OUT.json's ``ranks_csv``, next to OUT.json).
- ``streaming``: a ``pw.io.python.ConnectorSubject`` pushes all but the last
  ``--stream-edges`` edges in one commit (the base graph), then the rest in commits of
  ``--commit-edges``. It sends the next commit only once the previous one has gone through
  all five steps (a probe downstream of the last step reports the edges processed), so every
  engine runs exactly stream-edges / commit-edges incremental updates, whatever its speed. The final ranks are checked through a digest computed in the dataflow (a single
  row: vertices, sum of ranks, a weighted sum), not written out update by update.

OUT.json gets ``run_seconds`` (around ``pw.run()``), the number of commits the probe saw,
and the digest (streaming). The program prints ``{"run_seconds": ...}`` last.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from graph import BASE, DAMPING_DEN, DAMPING_NUM, SCALE  # noqa: E402

ENGINE = sys.argv[1] if len(sys.argv) > 1 else "towpath"
if ENGINE == "pathway":
    import pathway as pw
else:
    import towpath as pw  # type: ignore[no-redef]


class Edge(pw.Schema):
    u: int
    v: int


def pagerank(edges: pw.Table, steps: int) -> pw.Table:
    """``(v, rank)`` per vertex after ``steps`` steps: integer shares ``rank // outdeg`` along
    every edge, summed per target, damped. A vertex without in-edges gets ``BASE`` (its zero
    row in ``zeros`` keeps it in the sum)."""
    degrees = edges.groupby(pw.this.u).reduce(pw.this.u, deg=pw.reducers.count())
    out_edges = edges.join(degrees, pw.left.u == pw.right.u).select(pw.left.u, pw.left.v, pw.right.deg)
    ends = pw.Table.concat_reindex(edges.select(v=pw.this.u), edges.select(v=pw.this.v))
    vertices = ends.groupby(pw.this.v).reduce(pw.this.v)
    zeros = vertices.select(pw.this.v, share=0)
    ranks = vertices.select(pw.this.v, rank=SCALE)
    for _ in range(steps):
        shares = out_edges.join(ranks, pw.left.u == pw.right.v).select(
            v=pw.left.v, share=pw.right.rank // pw.left.deg
        )
        sums = pw.Table.concat_reindex(shares, zeros).groupby(pw.this.v).reduce(
            pw.this.v, total=pw.reducers.sum(pw.this.share)
        )
        ranks = sums.select(pw.this.v, rank=BASE + pw.this.total * DAMPING_NUM // DAMPING_DEN)
    return ranks


def digest(ranks: pw.Table) -> pw.Table:
    """One row: vertices, sum of ranks, sum of rank * (v % 9973 + 1) (graph.digest)."""
    weighted = ranks.select(r=pw.this.rank, w=pw.this.rank * (pw.this.v % 9973 + 1))
    return weighted.reduce(
        n=pw.reducers.count(), total=pw.reducers.sum(pw.this.r), weighted=pw.reducers.sum(pw.this.w)
    )


def streaming_source(path: str, stream_edges: int, commit_edges: int, processed: list[int],
                     ready: threading.Condition, marks: dict[str, float]) -> pw.Table:
    """The edges of ``path``: all but the last ``stream_edges`` in a first commit (the base
    graph), then the rest ``commit_edges`` at a time, each commit waiting for the previous one
    to be processed (``processed[0]`` edges, advanced by the probe). ``marks`` gets the wall
    times at which the base graph and the last commit were processed. (A static read of the
    base graph next to the subject deadlocks: its time cannot close before the subject's.)"""
    with open(path) as f:
        next(f)
        edges = [(int(u), int(v)) for u, v in (line.split(",") for line in f)]
    base = max(0, len(edges) - stream_edges)
    bounds = sorted({base, *range(base + commit_edges, len(edges), commit_edges), len(edges)} - {0})

    class Edges(pw.io.python.ConnectorSubject):
        def run(self) -> None:
            sent = 0
            for end in bounds:
                for u, v in edges[sent:end]:
                    self.next(u=u, v=v)
                self.commit()
                sent = end
                with ready:
                    while processed[0] < sent:
                        if not ready.wait(timeout=900):
                            raise RuntimeError(f"no progress after {sent} edges")
                if sent == base:
                    marks["base_done"] = time.perf_counter()
            marks["stream_done"] = time.perf_counter()

    # Commits come from commit() only (no timer), so each holds exactly commit_edges edges.
    return pw.io.python.read(Edges(), schema=Edge, autocommit_duration_ms=None)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("engine", choices=("towpath", "pathway"))
    p.add_argument("mode", choices=("batch", "streaming"))
    p.add_argument("edges")
    p.add_argument("out")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--commit-edges", type=int, default=1000)
    p.add_argument("--stream-edges", type=int, default=20_000,
                   help="streaming: edges sent in commits of --commit-edges after a first commit of the rest")
    args = p.parse_args()
    out = Path(args.out)
    result: dict = {"engine": args.engine, "mode": args.mode}

    if args.mode == "batch":
        edges = pw.io.csv.read(args.edges, schema=Edge, mode="static")
        ranks = pagerank(edges, args.steps)
        ranks_csv = out.with_suffix(".ranks.csv")
        pw.io.csv.write(ranks, str(ranks_csv))
        result["ranks_csv"] = str(ranks_csv)
    else:
        processed, ready, marks = [0], threading.Condition(), {}
        edges = streaming_source(args.edges, args.stream_edges, args.commit_edges, processed, ready, marks)
        summary = digest(pagerank(edges, args.steps)).select(pw.this.n, pw.this.total, pw.this.weighted, k=0)
        progress = edges.reduce(m=pw.reducers.count()).select(pw.this.m, k=0)
        # Downstream of both the edge count and the last step: once a time ends here, the
        # whole PageRank has processed it.
        probe = summary.join(progress, pw.left.k == pw.right.k).select(
            pw.left.n, pw.left.total, pw.left.weighted, pw.right.m
        )
        latest: dict = {}
        commits: list[int] = []

        def on_change(key, row, time, is_addition):
            if is_addition:
                latest.update(row)

        def on_time_end(time):
            commits.append(time)
            with ready:
                processed[0] = latest.get("m", 0)
                ready.notify_all()

        pw.io.subscribe(probe, on_change=on_change, on_time_end=on_time_end)
        result["latest"] = latest
        result["commits"] = commits

    kwargs = {}
    if hasattr(pw, "MonitoringLevel"):  # Pathway's live dashboard off
        kwargs["monitoring_level"] = pw.MonitoringLevel.NONE
    started = time.perf_counter()
    pw.run(**kwargs)
    result["run_seconds"] = time.perf_counter() - started
    if args.mode == "streaming":
        result["digest"] = [latest.get("n"), latest.get("total"), latest.get("weighted")]
        result["commits"] = len(commits)
        result["base_seconds"] = marks.get("base_done", started) - started
        result["stream_seconds"] = marks["stream_done"] - marks.get("base_done", started)
        del result["latest"]
    out.write_text(json.dumps(result))
    print(json.dumps({"engine": args.engine, "run_seconds": result["run_seconds"]}))


if __name__ == "__main__":
    os.environ.setdefault("PATHWAY_THREADS", "1")
    main()
