"""Kafka word count: towpath vs Pathway 0.33 vs Kafka Streams 4.4 on one local broker.

    python benches/kafka_wordcount/run.py                 # 10k,50k,100k,200k,500k msgs/s, 20 s each
    python benches/kafka_wordcount/run.py --quick         # 10k,50k msgs/s, 8 s each

For each rate and engine: fresh input/output topics, the engine started and given time to
connect, the Rust producer (crates/towpath-kafka/examples/bench_producer.rs) paces
``{"word","t"}`` messages, the Rust consumer (bench_consumer.rs) measures now - t per output
message. An engine that does not keep up at a rate is not run at higher rates. See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _common import BUILD_DIR, REPO, build_towpath_release, pathway_python, target_dir  # noqa: E402

KAFKA = REPO / "scripts" / "kafka.sh"
KSTREAMS = HERE / "kstreams" / "build.sh"
PORT = "9292"
RUN_DIR = Path.home() / ".cache" / "towpath" / "kafka" / "run-bench"


def kafka(*args: str) -> str:
    env = dict(os.environ, TOWPATH_KAFKA_PORT=PORT, TOWPATH_KAFKA_RUN=str(RUN_DIR))
    return subprocess.run([str(KAFKA), *args], env=env, check=True, capture_output=True, text=True).stdout.strip()


def parse_rate(text: str) -> float:
    scale = {"k": 1e3, "M": 1e6}.get(text[-1], 1.0)
    return float(text[:-1] if scale != 1.0 else text) * scale


def run_one(name: str, cmd: list[str], env: dict, ready: str, bootstrap: str, rate: float,
            args: argparse.Namespace, examples: Path) -> dict:
    tag = f"{name}-{int(rate)}-{int(time.time())}"
    tin, tout = f"in-{tag}", f"out-{tag}"
    kafka("topic", "create", tin, "1")
    kafka("topic", "create", tout, "1")
    logs = BUILD_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    err_path = logs / f"kafka-{name}-{int(rate)}.err"
    full = [c.format(bootstrap=bootstrap, input=tin, output=tout) for c in cmd]
    load = os.getloadavg()[0]
    with open(err_path, "w") as err:
        engine = subprocess.Popen(full, env=env, stdout=err, stderr=err, stdin=subprocess.DEVNULL,
                                  start_new_session=True)
    result: dict = {"engine": name, "rate": rate, "load1": load}
    try:
        t0 = time.monotonic()
        while ready not in err_path.read_text():
            if engine.poll() is not None or time.monotonic() - t0 > 90:
                result["verdict"] = f"FAILED to start (log {err_path})"
                return result
            time.sleep(0.2)
        # Connect, join the group, first fetch; Kafka Streams also creates its repartition and
        # changelog topics and rebalances after it reports RUNNING.
        time.sleep(args.warmup + (args.kstreams_extra_warmup if name == "kstreams" else 0))
        # Warm-up: 1 s of input at 1k/s, repeated until the engine's first outputs appear
        # (Kafka Streams rebalances for a while after RUNNING); those messages are left out.
        for _ in range(30):
            subprocess.run([str(examples / "bench_producer"), bootstrap, tin, "1000", "1"],
                           capture_output=True, check=True)
            seen = subprocess.run([str(examples / "bench_consumer"), bootstrap, tout, "2"],
                                  capture_output=True, text=True, check=True)
            if json.loads(seen.stdout)["messages"] > 0:
                break
        min_t = str(int(time.time() * 1000))
        consumer = subprocess.Popen([str(examples / "bench_consumer"), bootstrap, tout,
                                     str(args.duration + args.drain), min_t],
                                    stdout=subprocess.PIPE, text=True)
        prod = subprocess.run([str(examples / "bench_producer"), bootstrap, tin, str(rate), str(args.duration)],
                              capture_output=True, text=True, check=True)
        produced = json.loads(prod.stdout)
        measured = json.loads(consumer.communicate()[0])
        result.update(measured, sent=produced["sent"], produce_seconds=produced["seconds"])
        cpu = engine_cpu(engine.pid)
        result["cpu_s"] = cpu
        # Kept up: the newest emission reached the output, and latency did not keep growing.
        caught_up = measured["max_t"] >= produced["last_t"] - 1000
        result["kept_up"] = caught_up and measured["growth"] < 1000 and produced["seconds"] < args.duration * 1.1
        result["verdict"] = "ok" if result["kept_up"] else (
            "behind" if caught_up else f"behind ({(produced['last_t'] - measured['max_t']) / 1000:.1f} s at the end)")
        result["achieved"] = produced["sent"] / produced["seconds"] if result["kept_up"] else None
        return result
    finally:
        os.killpg(engine.pid, signal.SIGTERM)
        try:
            engine.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(engine.pid, signal.SIGKILL)
            engine.wait()
        for t in (tin, tout):
            try:
                kafka("topic", "delete", t)
            except subprocess.CalledProcessError:
                pass


def engine_cpu(pid: int) -> float:
    """User + system CPU seconds of the engine process so far (its threads included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError):
        return 0.0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rates", default="10k,50k,100k,200k,500k")
    p.add_argument("--duration", type=float, default=20.0, help="seconds of input per run")
    p.add_argument("--drain", type=float, default=8.0, help="seconds the consumer waits after the input")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds between an engine's start and the input")
    p.add_argument("--kstreams-extra-warmup", type=float, default=10.0)
    p.add_argument("--commit-ms", type=int, default=100, help="commit interval, equal for all engines")
    p.add_argument("--engines", default="towpath,pathway,kstreams")
    p.add_argument("--quick", action="store_true", help="10k,50k msgs/s, 8 s each")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--keep-broker", action="store_true", help="leave the broker running at the end")
    args = p.parse_args()
    if args.quick:
        args.rates, args.duration, args.drain = "10k,50k", 8.0, 6.0
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load1 {os.getloadavg()[0]:.2f}", flush=True)

    wanted = args.engines.split(",")
    engines: list[tuple[str, list[str], dict, str]] = []
    program = [str(HERE / "program.py")]
    tail = ["{bootstrap}", "{input}", "{output}", str(args.commit_ms)]
    if "towpath" in wanted:
        staged = build_towpath_release(skip=args.no_build)
        if staged is None:
            return 1
        engines.append(("towpath", [sys.executable, *program, "towpath", *tail],
                        dict(os.environ, PYTHONPATH=str(staged)), "wordcount: RUNNING"))
    if "pathway" in wanted:
        py = pathway_python()
        if py is None:
            return 1
        engines.append(("pathway", [py, *program, "pathway", *tail], dict(os.environ), "wordcount: RUNNING"))
    if "kstreams" in wanted:
        jar = subprocess.run([str(KSTREAMS)], capture_output=True, text=True, check=True).stdout.strip()
        engines.append(("kstreams", ["java", "-jar", jar, "--bootstrap", "{bootstrap}", "--input", "{input}",
                                     "--output", "{output}", "--commit-interval-ms", str(args.commit_ms)],
                        dict(os.environ), "kstreams-wordcount: RUNNING"))
    cargo_env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir()))
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-p", "towpath-kafka", "--examples"], cwd=REPO,
                       env=cargo_env, check=True)
    examples = target_dir() / "release" / "examples"

    bootstrap = kafka("up").splitlines()[-1]
    results: list[dict] = []
    try:
        for rate in map(parse_rate, args.rates.split(",")):
            for name, cmd, env, ready in engines:
                if any(r["engine"] == name and not r.get("kept_up") for r in results):
                    results.append({"engine": name, "rate": rate, "verdict": "skipped (fell behind at a lower rate)"})
                    continue
                r = run_one(name, cmd, env, ready, bootstrap, rate, args, examples)
                print(f"  {name:8} {rate:>9,.0f}/s: {r['verdict']} p95 {r.get('p95', '-')} ms", flush=True)
                results.append(r)
    finally:
        if not args.keep_broker:
            kafka("down")

    print(f"\nKafka word count, {args.duration:g} s of input per run, commit interval {args.commit_ms} ms for "
          "every engine, 1 partition, latency = output arrival - emission time of the newest word counted")
    header = (f"{'rate/s':>8} {'engine':8} {'load1':>5} {'sent':>9} {'outputs':>9} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'p99 ms':>7} {'max ms':>7} {'growth':>7} {'cpu s':>6}  verdict")
    print(header)
    print("-" * len(header))
    for r in results:
        if "p50" not in r:
            print(f"{r['rate']:>8,.0f} {r['engine']:8} {'':>5} {r['verdict']}")
            continue
        print(f"{r['rate']:>8,.0f} {r['engine']:8} {r['load1']:>5.2f} {r['sent']:>9,} {r['messages']:>9,} "
              f"{r['p50']:>7} {r['p95']:>7} {r['p99']:>7} {r['max']:>7} {r['growth']:>7} {r['cpu_s']:>6.1f}  {r['verdict']}")
    for name, *_ in engines:
        best = max((r["rate"] for r in results if r["engine"] == name and r.get("kept_up")), default=None)
        print(f"highest rate sustained, {name}: {f'{best:,.0f}/s' if best else 'none of those tried'}")
    return 1 if any(r["verdict"].startswith("FAILED") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
