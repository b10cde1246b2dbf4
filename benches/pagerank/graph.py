"""The benchmark's graph and a plain-Python reference of its integer PageRank.

    python graph.py EDGES [--seed S] [--out PATH]     writes the CSV, prints its path

The graph grows by preferential attachment: node ``n`` joins with a heavy-tailed number of
out-edges (Pareto, mean ~10, capped at 1,000), each to an earlier node picked either uniformly
(20%) or as the target of a random earlier edge (80%, so in-degrees follow a power law). Edges
are listed in the order they were created, which is also the order the streaming mode sends
them in. Same ``EDGES`` and seed, same file.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

# The integer PageRank both engines compute (program.py) and `reference` recomputes:
# rank_0 = SCALE; rank_{k+1}(v) = BASE + DAMPING_NUM * sum_{u->v} rank_k(u) // outdeg(u)
#                                        // DAMPING_DEN
SCALE = 10_000
BASE = 1_500
DAMPING_NUM, DAMPING_DEN = 85, 100
SEEDS = 5  # initial fully connected nodes


def generate(nb_edges: int, seed: int = 1) -> list[tuple[int, int]]:
    """``nb_edges`` directed edges ``(u, v)``, no self-loops, no duplicates."""
    rng = random.Random(seed)
    edges: list[tuple[int, int]] = [(u, v) for u in range(SEEDS) for v in range(SEEDS) if u != v]
    targets = [v for _, v in edges]
    node = SEEDS
    while len(edges) < nb_edges:
        k = min(1000, node, int(rng.paretovariate(1.6) * 4))
        chosen: set[int] = set()
        while len(chosen) < k:
            chosen.add(rng.randrange(node) if rng.random() < 0.2 else targets[rng.randrange(len(targets))])
        for v in sorted(chosen):
            edges.append((node, v))
            targets.append(v)
        node += 1
    return edges[:nb_edges]


def graph_file(nb_edges: int, seed: int, directory: Path) -> Path:
    """The CSV (``u,v`` header) of ``generate(nb_edges, seed)``, written once and cached."""
    path = directory / f"graph-{nb_edges}-seed{seed}.csv"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w") as f:
            f.write("u,v\n")
            f.writelines(f"{u},{v}\n" for u, v in generate(nb_edges, seed))
        tmp.rename(path)
    return path


def read_edges(path: Path) -> list[tuple[int, int]]:
    with open(path) as f:
        next(f)
        return [(int(u), int(v)) for u, v in (line.split(",") for line in f)]


def reference(edges: list[tuple[int, int]], steps: int) -> dict[int, int]:
    """The final ranks, computed naively (Python's ``//`` as both engines use)."""
    degree = Counter(u for u, _ in edges)
    vertices = {u for u, _ in edges} | {v for _, v in edges}
    incoming: dict[int, list[int]] = defaultdict(list)
    for u, v in edges:
        incoming[v].append(u)
    rank = dict.fromkeys(vertices, SCALE)
    for _ in range(steps):
        share = {u: rank[u] // d for u, d in degree.items()}
        rank = {v: BASE + DAMPING_NUM * sum(share[u] for u in incoming.get(v, ())) // DAMPING_DEN
                for v in vertices}
    return rank


def digest(ranks: dict[int, int]) -> tuple[int, int, int]:
    """(vertices, sum of ranks, sum of rank * (v % 9973 + 1)): what program.py's streaming
    mode computes in the dataflow, to compare final states without writing every update."""
    return (len(ranks), sum(ranks.values()), sum(r * (v % 9973 + 1) for v, r in ranks.items()))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("edges", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / ".build" / "pagerank")
    args = p.parse_args()
    path = graph_file(args.edges, args.seed, args.out)
    edges = read_edges(path)
    indeg = Counter(v for _, v in edges)
    outdeg = Counter(u for u, _ in edges)
    print(f"{path}: {len(edges)} edges, {len(set(indeg) | set(outdeg))} vertices, "
          f"max in-degree {max(indeg.values())}, max out-degree {max(outdeg.values())}", file=sys.stderr)
    print(path)


if __name__ == "__main__":
    main()
