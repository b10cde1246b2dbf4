"""An endless-style stream through a sliding window with a cutoff and forgotten results: the
one program both engines run.

    python program.py NB_ROWS OUTPUT.json

The engine is chosen by ``WINDOWS_ENGINE``: ``towpath`` (default) or ``pathway``. Rows are the
values 0, 1, 2, ... from ``pw.demo.range_stream`` (towpath: a native generator, at most
``WINDOWS_RATE`` rows/s, default 100k: a source far ahead of the dataflow only fills
queues, which hides the operators' own memory) or, for Pathway (whose ``range_stream`` tops out near
5k rows/s), a ``ConnectorSubject`` pushing them as fast as it can. Each value ``v`` gets the
event time ``t = v - lag`` where ``lag`` is ``(v * 7919) % 10007`` for one value in a hundred
(late rows) and ``(v * 31) % 500`` otherwise (a little disorder). Windows: sliding, hop 1000,
duration 5000 (each row is in 5 windows), ``common_behavior(cutoff=2000, keep_results=False)``,
count per window, written to ``pw.io.null`` (towpath) / ``pw.io.subscribe`` (Pathway).

A global count of the rows is the progress probe: when it passes 10% of NB_ROWS and at the end,
the elapsed time and the process's resident memory are recorded. OUTPUT.json gets them.
"""

from __future__ import annotations

import json
import os
import sys
import time

ENGINE = os.environ.get("WINDOWS_ENGINE", "towpath")
if ENGINE == "pathway":
    import pathway as pw
else:
    import towpath as pw  # type: ignore[no-redef]

HOP, DURATION, CUTOFF = 1000, 5000, 2000


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def subject_stream(nb_rows: int):
    class ValueSchema(pw.Schema):
        value: float

    class Values(pw.io.python.ConnectorSubject):
        def run(self) -> None:
            for i in range(nb_rows):
                self.next(value=float(i))

    return pw.io.python.read(Values(), schema=ValueSchema, autocommit_duration_ms=10)


def main(nb_rows: int, dst: str) -> None:
    if ENGINE == "pathway":
        rows = subject_stream(nb_rows)
    else:
        rate = float(os.environ.get("WINDOWS_RATE", "1e5"))
        rows = pw.demo.range_stream(nb_rows=nb_rows, input_rate=rate, autocommit_duration_ms=10)
    v = pw.cast(int, pw.this.value)
    lag = pw.if_else(v % 100 == 0, (v * 7919) % 10007, (v * 31) % 500)
    events = rows.select(t=v - lag)
    windows = events.windowby(
        pw.this.t,
        window=pw.temporal.sliding(hop=HOP, duration=DURATION),
        behavior=pw.temporal.common_behavior(cutoff=CUTOFF, keep_results=False),
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count())
    progress = rows.reduce(rows=pw.reducers.count())

    start = time.monotonic()
    marks: dict[str, dict] = {}
    live_windows = [0]

    def on_progress(key, row, time, is_addition):
        if not is_addition:
            return
        seen = row["rows"]
        if "10%" not in marks and seen >= nb_rows // 10:
            marks["10%"] = {"rows": seen, "seconds": monotonic() - start, "rss_mb": rss_mb()}
        if seen >= nb_rows:
            marks["100%"] = {"rows": seen, "seconds": monotonic() - start, "rss_mb": rss_mb()}

    def on_window(key, row, time, is_addition):
        live_windows[0] += 1 if is_addition else -1

    monotonic = time.monotonic
    pw.io.subscribe(progress, on_change=on_progress)
    pw.io.subscribe(windows, on_change=on_window)
    stats = pw.run() or {}
    end = {"seconds": time.monotonic() - start, "rss_mb": rss_mb()}
    result = {"engine": ENGINE, "nb_rows": nb_rows, "marks": marks, "end": end,
              "windows_left": live_windows[0], "late_rows": stats.get("late_rows")}
    with open(dst, "w") as f:
        json.dump(result, f)
    print(json.dumps(result))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
