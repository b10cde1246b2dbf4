"""Streaming file reads (``mode="streaming"``) of growing files: appended lines only add rows,
an incomplete last line is read once it stops changing and replaced when completed (as Pathway
0.33, which reads it at once), and a missing path fails at the call that declared the source."""

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import towpath as pw

PYTHON_DIR = Path(__file__).resolve().parents[2] / "python"

PROGRAM = """
import sys
import towpath as pw

t = pw.io.plaintext.read(sys.argv[1], mode="streaming", autocommit_duration_ms=20)
pw.io.csv.write(t, sys.argv[2])
pw.run()
"""


def _updates(path: Path) -> list[tuple[str, int]]:
    """The output's (line, diff) updates, in order."""
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return [(row["data"], int(row["diff"])) for row in csv.DictReader(f)]


def _state(path: Path) -> dict[str, int]:
    state: dict[str, int] = {}
    for line, diff in _updates(path):
        state[line] = state.get(line, 0) + diff
    return {k: v for k, v in state.items() if v}


def _wait_for(proc: subprocess.Popen, what, timeout: float = 30) -> None:
    # Generous: a loaded machine may take many commits to show a change.
    deadline = time.monotonic() + timeout
    while not what():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _append(path: Path, text: str) -> None:
    with path.open("a") as f:
        f.write(text)


class _Run:
    """The program watching ``src`` while the test changes files; stopped with SIGINT."""

    def __init__(self, src: Path, out: Path):
        env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PROGRAM, str(src), str(out)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def __enter__(self) -> subprocess.Popen:
        return self.proc

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                _, err = self.proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.communicate()
                raise
            if exc[0] is None:
                assert self.proc.returncode == 0, err


def test_appended_lines_are_inserted_without_retracting_the_old_ones(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    out = tmp_path / "out.csv"
    log = src / "log.txt"
    log.write_text("x1\nx2\n")
    with _Run(src, out) as proc:
        _wait_for(proc, lambda: _state(out) == {"x1": 1, "x2": 1})
        _append(log, "x3\n")
        _wait_for(proc, lambda: _state(out) == {"x1": 1, "x2": 1, "x3": 1})
        _append(log, "x4\nx1\n")
        _wait_for(proc, lambda: _state(out) == {"x1": 2, "x2": 1, "x3": 1, "x4": 1})
    # Pathway retracts and reinserts the whole file, which consolidates to the same inserts.
    assert all(diff == 1 for _, diff in _updates(out)), _updates(out)
    assert len(_updates(out)) == 5


def test_an_incomplete_last_line_is_read_then_replaced_when_completed(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    out = tmp_path / "out.csv"
    f = src / "a.txt"
    f.write_text("p1\np2")
    with _Run(src, out) as proc:
        # The fragment is read once the file stays unchanged for a commit.
        _wait_for(proc, lambda: _state(out) == {"p1": 1, "p2": 1})
        _append(f, "x\np3\n")
        _wait_for(proc, lambda: _state(out) == {"p1": 1, "p2x": 1, "p3": 1})
    updates = _updates(out)
    assert ("p2", -1) in updates and ("p1", -1) not in updates, updates


def test_a_rewritten_file_replaces_its_rows(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    out = tmp_path / "out.csv"
    f = src / "a.txt"
    f.write_text("r1\nr2\n")
    with _Run(src, out) as proc:
        _wait_for(proc, lambda: _state(out) == {"r1": 1, "r2": 1})
        tmp = tmp_path / "next.txt"
        tmp.write_text("q1\nr2\nr3\n")
        tmp.replace(f)
        _wait_for(proc, lambda: _state(out) == {"q1": 1, "r2": 1, "r3": 1})
    # Retract-and-reinsert, consolidated: the unchanged line at the same offset has no update.
    assert sorted(_updates(out)[2:]) == [("q1", 1), ("r1", -1), ("r3", 1)], _updates(out)


class _Schema(pw.Schema):
    data: str


@pytest.mark.parametrize("reader", ["csv", "jsonlines", "plaintext", "fs"])
def test_a_missing_streaming_path_fails_at_the_users_line(tmp_path, reader):
    missing = tmp_path / "nowhere"
    calls = {
        "csv": lambda: pw.io.csv.read(missing, schema=_Schema, mode="streaming"),
        "jsonlines": lambda: pw.io.jsonlines.read(missing, schema=_Schema, mode="streaming"),
        "plaintext": lambda: pw.io.plaintext.read(missing, mode="streaming"),
        "fs": lambda: pw.io.fs.read(missing, format="plaintext", mode="streaming"),
    }
    with pytest.raises(FileNotFoundError, match="nowhere") as info:
        calls[reader]()
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert f"pw.io.{reader}.read(missing" in notes, notes
    assert os.path.basename(__file__) in notes, notes


def test_a_missing_static_path_is_not_checked_when_declared(tmp_path):
    # Static reads fail when run, as before: only streaming sources are checked early.
    pw.io.plaintext.read(tmp_path / "nowhere", mode="static")


def test_a_deleted_directory_fails_the_run_after_the_committed_rows(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    out = tmp_path / "out.csv"
    (src / "a.txt").write_text("d1\nd2\n")
    with _Run(src, out) as proc:
        _wait_for(proc, lambda: _state(out) == {"d1": 1, "d2": 1})
        shutil.rmtree(src)
        # The listing is retried for a grace period (2 s here), then the source fails.
        _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "EngineError" in err and str(src) in err and "plaintext" in err, err
    # Pathway would retract the rows; towpath keeps them (a listing failure is no deletion).
    assert _state(out) == {"d1": 1, "d2": 1}
