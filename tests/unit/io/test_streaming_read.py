"""Streaming file reads (``mode="streaming"``): files appearing in a watched directory reach the
output while the program runs; the run ends on SIGINT with exit code 0."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[3] / "python"

PROGRAM = """
import sys
import towpath as pw

class S(pw.Schema):
    word: str
    n: int

t = pw.io.jsonlines.read(sys.argv[1], schema=S, mode="streaming", autocommit_duration_ms=20)
pw.io.csv.write(t, sys.argv[2])
pw.run()
"""


def _state(path: Path) -> dict[tuple[str, int], int]:
    """The output table: each (word, n) with its multiplicity."""
    state: dict[tuple[str, int], int] = {}
    if not path.exists():
        return state
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            key = (row["word"], int(row["n"]))
            state[key] = state.get(key, 0) + int(row["diff"])
    return {k: v for k, v in state.items() if v}


def _wait_for(proc: subprocess.Popen, what, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _write(path: Path, rows: list[dict]) -> None:
    # Written aside and renamed, so the reader never sees half a file.
    tmp = path.parent.parent / (path.name + ".tmp")
    tmp.write_text("".join(json.dumps(r) + "\n" for r in rows))
    tmp.replace(path)


def test_streaming_jsonlines_read_follows_new_and_deleted_files(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    out = tmp_path / "out.csv"
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    proc = subprocess.Popen(
        [sys.executable, "-c", PROGRAM, str(src), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _write(src / "a.jsonl", [{"word": "x", "n": 1}, {"word": "y", "n": 2}])
        _wait_for(proc, lambda: _state(out) == {("x", 1): 1, ("y", 2): 1})
        _write(src / "b.jsonl", [{"word": "z", "n": 3}])
        _wait_for(proc, lambda: _state(out) == {("x", 1): 1, ("y", 2): 1, ("z", 3): 1})
        (src / "a.jsonl").unlink()
        _wait_for(proc, lambda: _state(out) == {("z", 3): 1})
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert _state(out) == {("z", 3): 1}
