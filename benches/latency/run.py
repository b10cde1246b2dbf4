"""Streaming word-count latency: towpath against Pathway 0.33, side by side, in one run.

    python benches/latency/run.py [--rates 100k,500k,1M,2M] [--duration S] [--commit-ms C]
                                  [--search] [--memory-minutes M] [--no-build]
                                  [--skip-pathway] [--skip-towpath]

For each rate, ``program.py`` runs under each engine for ``--duration`` seconds of input
(``rate * duration`` rows); the table gives per-row latency percentiles, the sustained rate,
whether the engine kept up, peak RSS and the 1-minute load when the run started, and every
run's final counts are checked against the true ones. ``--search`` then looks for the highest
rate each engine sustains. ``--memory-minutes M`` instead runs towpath alone at
``--memory-rate`` for M minutes and prints its RSS over time. README.md explains the method.

Exit status: 0 when every run that finished produced correct counts, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import BUILD_DIR, build_towpath_release, consolidated_csv, pathway_python  # noqa: E402
from analysis import Figures, analyse, expected_counts  # noqa: E402

PROGRAM = HERE / "program.py"


@dataclass
class Engine:
    """How to start ``program.py`` under one engine."""

    name: str
    python: str
    env: dict[str, str]


@dataclass
class Run:
    """One run of the program at one rate."""

    engine: str
    rate: float
    load: float
    verdict: str = ""
    figures: Figures | None = None
    peak_rss_mb: float = 0.0
    cpu_s: float = 0.0  # user + system CPU of the program process
    sys_s: float = 0.0
    rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MB)

    @property
    def kept_up(self) -> bool:
        return self.verdict.startswith("ok") and self.figures is not None and self.figures.kept_up


def parse_rate(text: str) -> float:
    """``500k``, ``1M``, ``2.5M`` or a plain number of rows per second."""
    scale = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6}.get(text[-1], 1.0)
    return float(text[:-1] if scale != 1.0 else text) * scale


def fmt_rate(rate: float) -> str:
    return f"{rate / 1e6:.3g}M" if rate >= 1e6 else f"{rate / 1e3:.3g}k"


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_once(engine: Engine, rate: float, seconds: float, args: argparse.Namespace,
             rss_every: float = 1.0, report_rss: bool = False) -> Run:
    """Runs the program once and analyses its samples; a run that takes far longer than its
    input (an engine well behind its source) is stopped and reported as such."""
    run = Run(engine.name, rate, os.getloadavg()[0])
    tag = f"{engine.name}-{fmt_rate(rate)}"
    out_dir, log_dir = BUILD_DIR / "latency", BUILD_DIR / "logs"
    out_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    samples_path, csv_path = out_dir / f"{tag}.json", out_dir / f"{tag}-counts.csv"
    samples_path.unlink(missing_ok=True)
    csv_path.unlink(missing_ok=True)
    nb_rows = int(rate * seconds)
    env = dict(os.environ, **engine.env, LATENCY_ENGINE=engine.name,
               PATHWAY_THREADS=str(args.threads), TOWPATH_THREADS=str(args.threads))
    if args.count_sink == "csv":
        env["LATENCY_COUNT_CSV"] = str(csv_path)
    elif args.count_sink == "null":
        env["LATENCY_COUNT_NULL"] = "1"
    cmd = [engine.python, str(PROGRAM), str(nb_rows), str(rate), str(args.commit_ms), str(samples_path)]
    limit = seconds * args.timeout_factor + 30
    with open(log_dir / f"latency-{tag}.out", "w") as out, open(log_dir / f"latency-{tag}.err", "w") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        next_sample, next_check, status, usage = start + rss_every, start + 1.0, None, None
        while status is None:
            pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status, usage = st, ru
                break
            now = time.monotonic()
            if now >= next_check:
                mb = _rss_mb(proc.pid) or 0.0
                next_check += 1.0
                if now >= next_sample:
                    run.rss.append((now - start, mb))
                    if report_rss:
                        print(f"  t={now - start:6.0f} s  RSS {mb:7.1f} MB", flush=True)
                    next_sample += rss_every
                if mb > args.rss_limit_mb:
                    # An engine far behind its source buffers without bound (a 10-minute run
                    # reached 20 GB); stop before the machine's other users run out of memory.
                    os.killpg(proc.pid, signal.SIGKILL)
                    _, status, usage = os.wait4(proc.pid, 0)
                    run.verdict = f"stopped at {now - start:.0f} s: RSS {mb:.0f} MB over --rss-limit-mb"
                    break
            if now - start > limit:
                os.killpg(proc.pid, signal.SIGKILL)  # our own child's session only
                _, status, usage = os.wait4(proc.pid, 0)
                run.verdict = f"stopped after {limit:.0f} s (far behind its source)"
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    run.peak_rss_mb = usage.ru_maxrss / 1024
    run.cpu_s, run.sys_s = usage.ru_utime + usage.ru_stime, usage.ru_stime
    if run.verdict:
        return run
    if proc.returncode != 0:
        run.verdict = f"FAILED (exit {proc.returncode}; log {log_dir / f'latency-{tag}.err'})"
        return run
    samples = json.loads(samples_path.read_text())
    expected = expected_counts(nb_rows)
    if args.count_sink == "csv":
        final = {w: int(c) for (w, c), d in consolidated_csv(csv_path, ("word", "count")).items() if d > 0}
    elif args.count_sink == "null":
        final = expected  # not observable; only the probe's row count is checked
    else:
        final = {w: int(c) for w, c in samples["final"].items()}
    run.figures = analyse(samples, rate)
    if final != expected or run.figures.rows != nb_rows:
        wrong = len(set(final.items()) ^ set(expected.items()))
        run.verdict = f"WRONG COUNTS ({wrong} word counts differ; {run.figures.rows} rows counted)"
    else:
        run.verdict = "ok (row count only)" if args.count_sink == "null" else "ok"
    return run


def print_table(runs: list[Run], args: argparse.Namespace) -> None:
    header = (f"{'rate':>5} {'engine':8} {'load1':>5} {'achieved/s':>11} {'kept up':>7} {'p50 ms':>7} "
              f"{'p95 ms':>7} {'p99 ms':>7} {'ip p95':>7} {'ip p99':>7} {'ub p95':>7} {'ub p99':>7} "
              f"{'growth':>7} {'commits':>7} {'cb ms':>6} {'cpu us/row':>10} {'sys %':>5} {'RSS MB':>6}  counts")
    print()
    print(f"streaming word count, {args.duration:g} s of input per run, autocommit {args.commit_ms} ms, "
          f"{args.threads} thread(s), word counts via {args.count_sink}, sources: towpath {args.towpath_source}, "
          f"Pathway {args.pathway_source}"
          f"{', towpath env ' + ' '.join(args.towpath_env) if args.towpath_env else ''}; latency = delivery - emission "
          "(p50..p99 against the source's schedule; ip = interpolated between commit stamps; ub = previous "
          "stamp as emission; growth = late minus early schedule latency; cb = Python callback span per commit; "
          "cpu = process CPU per row, start-up included; sys % = its kernel share)")
    print(header)
    print("-" * len(header))
    for r in sorted(runs, key=lambda r: (r.rate, r.engine != "towpath")):
        f = r.figures
        if f is None:
            print(f"{fmt_rate(r.rate):>5} {r.engine:8} {r.load:>5.2f} {r.verdict}")
            continue
        print(f"{fmt_rate(r.rate):>5} {r.engine:8} {r.load:>5.2f} {f.achieved:>11,.0f} "
              f"{'yes' if f.kept_up else 'NO':>7} {f.p50:>7.1f} {f.p95:>7.1f} {f.p99:>7.1f} "
              f"{f.interp_p95:>7.1f} {f.interp_p99:>7.1f} {f.upper_p95:>7.1f} {f.upper_p99:>7.1f} {f.growth_ms:>7.0f} "
              f"{f.commits:>7} {f.callback_ms:>6.1f} {r.cpu_s / f.rows * 1e6:>10.2f} {100 * r.sys_s / max(r.cpu_s, 1e-9):>5.0f} "
              f"{r.peak_rss_mb:>6.0f}  {r.verdict}")


def sweep(engines: list[Engine], rates: list[float], args: argparse.Namespace) -> list[Run]:
    """Every engine at every rate; rates above one an engine could not finish are skipped."""
    runs = []
    for rate in rates:
        for engine in engines:
            failed = [r for r in runs if r.engine == engine.name and r.figures is None]
            if failed:
                why = f"{fmt_rate(failed[0].rate)}/s did not finish"
                runs.append(Run(engine.name, rate, os.getloadavg()[0], verdict=f"skipped ({why})"))
                continue
            run = run_once(engine, rate, args.duration, args)
            f = run.figures
            extra = f" achieved {f.achieved:,.0f}/s p95 {f.p95:.1f} ms" if f else ""
            print(f"  {engine.name:8} {fmt_rate(rate):>5}: {run.verdict}{extra}", flush=True)
            runs.append(run)
    return runs


def search(engine: Engine, runs: list[Run], args: argparse.Namespace) -> float | None:
    """The highest rate the engine kept up with: doubling from the best sustained rate, then
    bisecting (geometrically) between the last success and the first failure."""
    mine = [r for r in runs if r.engine == engine.name and r.figures is not None]
    ok = max((r.rate for r in mine if r.kept_up), default=None)
    bad = min((r.rate for r in mine if not r.kept_up and (ok is None or r.rate > ok)), default=None)
    lo = ok if ok is not None else args.search_floor
    for _ in range(args.search_steps):
        rate = lo * 2 if bad is None else (lo * bad) ** 0.5
        if bad is not None and bad / lo < 1.15:
            break
        run = run_once(engine, rate, args.duration, args)
        runs.append(run)
        f = run.figures
        extra = f" achieved {f.achieved:,.0f}/s p95 {f.p95:.1f} ms" if f else ""
        print(f"  search {engine.name:8} {fmt_rate(rate):>6}: {'kept up' if run.kept_up else 'behind'} "
              f"({run.verdict}{extra})", flush=True)
        if run.kept_up:
            lo, ok = rate, rate
        else:
            bad = rate
    return ok


def memory_mode(engine: Engine, args: argparse.Namespace) -> int:
    """towpath at ``--memory-rate`` for M minutes; RSS every ~10 s, then 10% against 100%."""
    seconds = args.memory_minutes * 60
    print(f"memory: towpath at {fmt_rate(args.memory_rate)}/s for {args.memory_minutes:g} min "
          f"(load {os.getloadavg()[0]:.2f})", flush=True)
    args.duration = seconds
    run = run_once(engine, args.memory_rate, seconds, args, rss_every=10.0, report_rss=True)
    print_table([run], args)
    if len(run.rss) >= 2:
        end = run.rss[-1]
        early = min(run.rss, key=lambda s: abs(s[0] - end[0] * 0.1))
        print(f"RSS at {early[0]:.0f} s (~10%): {early[1]:.1f} MB; at {end[0]:.0f} s (~100%): {end[1]:.1f} MB; "
              f"growth {end[1] - early[1]:+.1f} MB ({(end[1] / early[1] - 1) * 100:+.0f}%); peak {run.peak_rss_mb:.0f} MB")
    return 0 if run.verdict.startswith("ok") else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="towpath vs Pathway streaming word-count latency")
    p.add_argument("--rates", default="100k,500k,1M,2M", help="comma-separated target rates (rows/s)")
    p.add_argument("--duration", type=float, default=15.0, help="seconds of input per run (default 15)")
    p.add_argument("--commit-ms", type=int, default=10, help="autocommit_duration_ms for both engines")
    p.add_argument("--threads", type=int, default=1, help="worker threads for both engines")
    p.add_argument("--search", action="store_true", help="then search each engine's highest sustained rate")
    p.add_argument("--search-steps", type=int, default=5, help="runs per engine in the search")
    p.add_argument("--search-floor", type=parse_rate, default=parse_rate("10k"),
                   help="where the search starts when no listed rate was sustained")
    p.add_argument("--memory-minutes", type=float, help="memory mode: towpath only, for M minutes")
    p.add_argument("--memory-rate", type=parse_rate, default=parse_rate("1M"))
    p.add_argument("--count-sink", choices=("subscribe", "csv", "null"), default="subscribe",
                   help="word counts to a pw.io.subscribe callback (default), the engine's CSV writer, "
                   "or pw.io.null.write (then only the row count is checked)")
    p.add_argument("--pathway-source", choices=("subject", "range_stream"), default="subject",
                   help="Pathway's row source: a paced ConnectorSubject (its fastest) or pw.demo.range_stream")
    p.add_argument("--towpath-source", choices=("subject", "range_stream"), default="range_stream",
                   help="towpath's row source: pw.demo.range_stream (native, its fastest) or the same subject")
    p.add_argument("--towpath-env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment for towpath runs (experiments, e.g. MIMALLOC_PURGE_DELAY=-1)")
    p.add_argument("--timeout-factor", type=float, default=3.0, help="a run is stopped after factor*duration+30 s")
    p.add_argument("--rss-limit-mb", type=float, default=4096, help="a run over this RSS is stopped")
    p.add_argument("--no-build", action="store_true", help="use the staged release build as it is")
    p.add_argument("--skip-pathway", action="store_true")
    p.add_argument("--skip-towpath", action="store_true")
    args = p.parse_args(argv)

    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    engines: list[Engine] = []
    if not args.skip_towpath:
        staged = build_towpath_release(skip=args.no_build)
        if staged is None:
            return 1
        extra = dict(kv.split("=", 1) for kv in args.towpath_env)
        engines.append(Engine("towpath", sys.executable,
                              {"PYTHONPATH": str(staged), "LATENCY_SOURCE": args.towpath_source, **extra}))
    if args.memory_minutes:
        return memory_mode(engines[0], args) if engines else 1
    if not args.skip_pathway:
        py = pathway_python()
        if py is None:
            return 1
        engines.append(Engine("pathway", py, {"LATENCY_SOURCE": args.pathway_source}))

    runs = sweep(engines, [parse_rate(r) for r in args.rates.split(",")], args)
    best = {e.name: search(e, runs, args) for e in engines} if args.search else {}
    measured = {(r.engine, r.rate) for r in runs if r.figures is not None}
    runs = [r for r in runs if r.figures is not None or (r.engine, r.rate) not in measured]
    print_table(runs, args)
    for name, rate in best.items():
        print(f"highest sustained rate, {name}: {fmt_rate(rate) + '/s' if rate else 'none found'}")
    print(f"finished {time.strftime('%H:%M:%S')}; uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    bad = [r for r in runs if r.verdict.startswith(("WRONG", "FAILED"))]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
