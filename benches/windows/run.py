"""Sliding windows with a cutoff over a long stream: throughput and memory, towpath against
Pathway 0.33.

    python benches/windows/run.py [--rows N] [--pathway-rows M] [--threads T]
                                  [--no-build] [--skip-pathway]

Runs ``program.py`` (README.md describes it) under towpath with ``--rows`` rows (default 50M),
then, side by side, both engines with ``--pathway-rows`` rows (default 1M: Pathway's Python
source and windowing are far slower). For each run it prints the throughput and the resident
memory (RSS) after 10% and after 100% of the rows, and their ratio: with the cutoff and
``keep_results=False``, state is freed as windows expire, so the memory should stay flat.
The towpath extension is built in release mode (``benches/.build/towpath-release``); Pathway is
installed on demand into ``benches/.pathway-venv`` (see ``benches/_common.py``).
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

from _common import BUILD_DIR, build_towpath_release, pathway_python  # noqa: E402

PROGRAM = HERE / "program.py"


def run(engine: str, python: str, rows: int, threads: int, pythonpath: str | None,
        rate: float = 1e5) -> dict | None:
    out = BUILD_DIR / "windows" / f"{engine}-{rows}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    env = dict(os.environ, WINDOWS_ENGINE=engine, PATHWAY_THREADS=str(threads),
               TOWPATH_THREADS=str(threads), WINDOWS_RATE=str(rate))
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    print(f"running {engine} on {rows:,} rows ...", flush=True)
    done = subprocess.run([python, str(PROGRAM), str(rows), str(out)], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0 or not out.exists():
        print(f"{engine}: failed (exit {done.returncode})\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(out.read_text())


def line(r: dict) -> str:
    m10, m100 = r["marks"].get("10%"), r["marks"].get("100%")
    if not m10 or not m100:
        return f"{r['engine']:8} {r['nb_rows']:>12,}  (incomplete: {r['marks']})"
    rate10 = m10["rows"] / m10["seconds"]
    rate = m100["rows"] / m100["seconds"]
    overall = r["nb_rows"] / r["end"]["seconds"]  # until the last window update is delivered
    late = r["late_rows"] if r["late_rows"] is not None else "-"
    return (f"{r['engine']:8} {r['nb_rows']:>12,} {rate10 / 1e3:>9.1f} {rate / 1e3:>9.1f} "
            f"{overall / 1e3:>9.1f} {m10['rss_mb']:>8.0f} {m100['rss_mb']:>8.0f} "
            f"{m100['rss_mb'] / m10['rss_mb']:>7.2f} {late:>9} {r['windows_left']:>7}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--pathway-rows", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rate", type=float, default=1e5,
                        help="towpath's source rate, rows/s (WINDOWS_RATE)")
    parser.add_argument("--no-build", action="store_true", help="reuse the staged release build")
    parser.add_argument("--skip-pathway", action="store_true")
    args = parser.parse_args()
    stage = build_towpath_release(skip=args.no_build)
    if stage is None:
        return 1
    results = [run("towpath", sys.executable, args.rows, args.threads, str(stage), args.rate)]
    if not args.skip_pathway:
        results.append(run("towpath", sys.executable, args.pathway_rows, args.threads, str(stage),
                           args.rate))
        python = pathway_python()
        if python is not None:
            results.append(run("pathway", python, args.pathway_rows, args.threads, None))
    print()
    print(f"sliding windows (hop 1000, duration 5000), cutoff 2000, keep_results=False, "
          f"count per window; {args.threads} thread(s); towpath source at most {args.rate:,.0f} rows/s")
    print(f"{'engine':8} {'rows':>12} {'k rows/s':>9} {'k rows/s':>9} {'k rows/s':>9} "
          f"{'RSS MB':>8} {'RSS MB':>8} {'RSS':>7} {'late':>9} {'windows':>7}")
    print(f"{'':8} {'':>12} {'at 10%':>9} {'at 100%':>9} {'to end':>9} {'at 10%':>8} "
          f"{'at 100%':>8} {'100/10':>7} {'rows':>9} {'left':>7}")
    for r in results:
        if r is not None:
            print(line(r))
    print(f"(1-minute load average at the end: {os.getloadavg()[0]:.1f})")
    return 0 if all(r is not None for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
