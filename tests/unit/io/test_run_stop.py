"""Stopping ``pw.run()`` with Ctrl-C (SIGINT) or SIGTERM: the run returns normally, the process
exits 0, and the outputs hold complete commits only."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[3] / "python"

PROGRAM = """
import sys
import towpath as pw

t = pw.demo.range_stream(nb_rows=None, input_rate=100, autocommit_duration_ms=20)
stats = t.reduce(c=pw.reducers.count(), s=pw.reducers.sum(pw.this.value))
pw.io.csv.write(stats, sys.argv[1])
pw.io.csv.write(t, sys.argv[2])
pw.run()
print("run returned", flush=True)
"""


def _inserted(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return [row for row in csv.DictReader(f) if row["diff"] == "1"]


def _run_and_stop(tmp_path: Path, signum: int) -> tuple[subprocess.CompletedProcess, Path, Path]:
    stats_csv, rows_csv = tmp_path / "stats.csv", tmp_path / "rows.csv"
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    proc = subprocess.Popen(
        [sys.executable, "-c", PROGRAM, str(stats_csv), str(rows_csv)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        # Wait for a few commits, so that the stop happens in the middle of the stream.
        while not (stats_csv.exists() and len(_inserted(stats_csv)) >= 3):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no output after 30 s"
            time.sleep(0.05)
        sent = time.monotonic()
        proc.send_signal(signum)
        # Generous limits: a hang detector, not a timing check (CI machines are noisy).
        out, err = proc.communicate(timeout=30)
        stop_took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert stop_took < 30, f"stopping took {stop_took:.1f} s"
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), stats_csv, rows_csv


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_signal_stops_the_run_cleanly_with_complete_commits(tmp_path, signum):
    done, stats_csv, rows_csv = _run_and_stop(tmp_path, signum)
    assert done.returncode == 0, done.stderr
    assert "run returned" in done.stdout
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr

    stats = _inserted(stats_csv)
    rows = _inserted(rows_csv)
    assert len(stats) >= 3
    times = [int(s["time"]) for s in stats]
    assert times == sorted(set(times))
    for s in stats:
        t, count = int(s["time"]), int(s["c"])
        # Each commit is a prefix of the stream: the sum matches the count...
        assert float(s["s"]) == float(sum(range(count))), s
        # ...and the row sink holds exactly that many rows up to the same time.
        assert sum(1 for r in rows if int(r["time"]) <= t) == count, s
    # The last commit, made on the stop, reached both sinks.
    assert int(stats[-1]["c"]) == len(rows)
    assert sorted(float(r["value"]) for r in rows) == [float(i) for i in range(len(rows))]
