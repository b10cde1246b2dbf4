"""Helpers shared by the benchmarks: builds, interpreters, timed runs, output checks."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
import venv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD_DIR = REPO / "benches" / ".build"
PATHWAY_VERSION = "0.33.0"
PATHWAY_VENV = REPO / "benches" / ".pathway-venv"
# A Pathway venv some machines already have; used only to save the install, never required.
PATHWAY_VENV_CACHED = Path.home() / ".cache" / "towpath" / "pw-venv"


def target_dir() -> Path:
    """Cargo's target directory, as the Makefile chooses it."""
    default = Path.home() / ".cache" / "towpath" / "target"
    return Path(os.environ.get("CARGO_TARGET_DIR", default))


def build_towpath_release(skip: bool = False) -> Path | None:
    """Build the extension in release mode and stage a towpath package using it.

    The package goes to ``benches/.build/towpath-release/towpath`` so the debug build in
    ``python/towpath`` (used by the tests) is left alone. Returns the directory to put on
    ``PYTHONPATH``, or None (with a message) if the build or the import fails.
    """
    stage = BUILD_DIR / "towpath-release"
    if not skip:
        t = time.perf_counter()
        env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir()))
        cmd = ["cargo", "build", "--release", "-p", "towpath-py"]
        print("building towpath (release):", " ".join(cmd), flush=True)
        if subprocess.run(cmd, cwd=REPO, env=env).returncode != 0:
            print("towpath: release build failed", file=sys.stderr)
            return None
        print(f"built in {time.perf_counter() - t:.0f} s", flush=True)
        lib = target_dir() / "release" / "libtowpath_py.so"
        if not lib.exists():
            print(f"towpath: {lib} not found", file=sys.stderr)
            return None
        pkg = stage / "towpath"
        shutil.rmtree(pkg, ignore_errors=True)
        shutil.copytree(
            REPO / "python" / "towpath", pkg, ignore=shutil.ignore_patterns("__pycache__", "*.so")
        )
        shutil.copy2(lib, pkg / "_engine.abi3.so")
    check = subprocess.run(
        [sys.executable, "-c", "import towpath, towpath._engine"],
        env=dict(os.environ, PYTHONPATH=str(stage)),
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        print(f"towpath: the staged package does not import:\n{check.stderr}", file=sys.stderr)
        return None
    return stage


def _has_pathway(python: Path) -> bool:
    if not python.exists():
        return False
    probe = f"import pathway, sys; sys.exit(pathway.__version__ != {PATHWAY_VERSION!r})"
    return subprocess.run([str(python), "-c", probe], capture_output=True).returncode == 0


def pathway_python() -> str | None:
    """An interpreter with Pathway 0.33, installing it into ``benches/.pathway-venv`` if needed.

    ``PATHWAY_PYTHON`` overrides the choice. Returns None (with a message) on failure.
    """
    if "PATHWAY_PYTHON" in os.environ:
        return os.environ["PATHWAY_PYTHON"]
    for python in (PATHWAY_VENV / "bin" / "python", PATHWAY_VENV_CACHED / "bin" / "python"):
        if _has_pathway(python):
            return str(python)
    print(f"installing pathway=={PATHWAY_VERSION} into {PATHWAY_VENV} (a few minutes)", flush=True)
    venv.create(PATHWAY_VENV, with_pip=True, clear=True)
    python = PATHWAY_VENV / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", f"pathway=={PATHWAY_VERSION}"]
    if subprocess.run(pip).returncode != 0 or not _has_pathway(python):
        print("pathway: install failed", file=sys.stderr)
        return None
    return str(python)


@dataclass
class ProcessResult:
    """Outcome of one timed benchmark process."""

    returncode: int
    wall_seconds: float  # the whole process, interpreter start-up included
    run_seconds: float  # what the program reported (its pw.run()), else wall_seconds
    peak_rss_mb: float
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_process(cmd: list[str], env: dict[str, str], name: str) -> ProcessResult:
    """Run ``cmd``, timing it and recording its peak memory; output goes to log files.

    The program may print a JSON line with ``run_seconds``; the last such line counts.
    """
    logs = BUILD_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / f"{name}.out", logs / f"{name}.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    run_seconds = wall
    for line in out_path.read_text().splitlines():
        if line.startswith("{") and "run_seconds" in line:
            run_seconds = float(json.loads(line)["run_seconds"])
    # ru_maxrss is in KiB on Linux.
    return ProcessResult(proc.returncode, wall, run_seconds, usage.ru_maxrss / 1024, err_path)


def consolidated_csv(path: Path, columns: tuple[str, ...]) -> Counter[tuple[str, ...]]:
    """The final state of a CSV change stream: diffs summed per row of ``columns``.

    Time columns are ignored (engines stamp different times); rows whose diffs cancel
    are dropped.
    """
    total: Counter[tuple[str, ...]] = Counter()
    with open(path, newline="") as f:
        for rec in csv.DictReader(f):
            total[tuple(rec[c] for c in columns)] += int(rec["diff"])
    return Counter({k: d for k, d in total.items() if d != 0})
