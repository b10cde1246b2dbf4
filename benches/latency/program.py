"""Streaming word count with latency probes: the one program both engines run.

    python program.py NB_ROWS INPUT_RATE AUTOCOMMIT_MS OUTPUT.json

The engine is chosen by ``LATENCY_ENGINE``: ``towpath`` (default) or ``pathway``; worker
threads by ``PATHWAY_THREADS`` (towpath reads it too). ``pw.demo.range_stream`` (or, with
``LATENCY_SOURCE=subject``, a paced ``pw.io.python.ConnectorSubject``) produces the values
0, 1, 2, ... at ``INPUT_RATE`` rows/s, committing every ``AUTOCOMMIT_MS`` ms; each
value ``v`` becomes the 7-letter word ``str(1_000_000 + int(v) % 5000)`` (a 5,000-word
dictionary, no Python UDF), and the program counts words.

Two outputs go to ``pw.io.subscribe`` callbacks in this process:
- the word counts; ``on_time_end`` records the wall-clock time (epoch seconds) at which each
  commit's word-count update has been delivered, and the final counts are kept;
- a global ``count()``: rows are emitted in order, so a commit at time ``t`` holds exactly
  the values in [count at the previous time, count at ``t``). A bare count is the cheapest
  probe in both engines: a ``max`` or ``sum`` of the values would make an engine keep (and, in
  towpath, re-sort) every distinct row ever seen, which measures the probe, not the word count.
With ``LATENCY_COUNT_CSV=PATH`` the word counts go to the engine's CSV writer instead (with
``LATENCY_COUNT_NULL=1`` to ``pw.io.null.write``), and delivery is timed by ``on_time_end`` of
the count probe. At the end the raw samples are
written to OUTPUT.json for ``run.py`` to analyse.
"""

from __future__ import annotations

import json
import os
import sys
import time

if os.environ.get("LATENCY_ENGINE", "towpath") == "pathway":
    import pathway as pw
else:
    import towpath as pw  # type: ignore[no-redef]

DICTIONARY = 5000
WORD_BASE = 1_000_000  # makes every word 7 characters long, as in Pathway's published benchmark


# Wall time (epoch seconds) at which the subject's schedule started: row i is due at
# SOURCE_START[0] + i / rate. range_stream keeps its start to itself (run.py estimates it).
SOURCE_START: list[float] = []


def paced_subject_stream(nb_rows: int, rate: float, commit_ms: int):
    """The rows of ``range_stream`` from a ``ConnectorSubject``: Pathway's fastest producer of
    generated rows (its ``range_stream`` tops out near 5k rows/s here), and runnable by towpath
    too. Row ``i`` is due at start + i/rate; every due row is pushed at once, then the thread
    sleeps until the next one."""

    class ValueSchema(pw.Schema):
        value: float

    class Paced(pw.io.python.ConnectorSubject):
        def run(self) -> None:
            start, i = time.time(), 0
            SOURCE_START.append(start)
            while i < nb_rows:
                due = min(nb_rows, int((time.time() - start) * rate) + 1)
                while i < due:
                    self.next(value=float(i))
                    i += 1
                wait = start + i / rate - time.time()
                if wait > 0:
                    time.sleep(wait)

    return pw.io.python.read(Paced(), schema=ValueSchema, autocommit_duration_ms=commit_ms)


def main(nb_rows: int, rate: float, commit_ms: int, dst: str) -> None:
    if os.environ.get("LATENCY_SOURCE", "range_stream") == "subject":
        rows = paced_subject_stream(nb_rows, rate, commit_ms)
    else:
        rows = pw.demo.range_stream(nb_rows=nb_rows, input_rate=rate, autocommit_duration_ms=commit_ms)
    words = rows.select(word=(pw.cast(int, pw.this.value) % DICTIONARY + WORD_BASE).to_string())
    counts = words.groupby(pw.this.word).reduce(pw.this.word, count=pw.reducers.count())
    progress = rows.reduce(rows=pw.reducers.count())

    final: dict[str, int] = {}
    delivered: list[tuple[int, float]] = []  # (commit time, wall time its update was complete)
    first_update: list[tuple[int, float]] = []  # (commit time, wall time of its first update)
    marks: list[tuple[int, int]] = []  # (commit time, rows so far)
    current = [-1]

    # Callbacks do as little as possible: they run once per changed word in both engines.
    def on_count(key, row, time, is_addition):
        if time != current[0]:
            current[0] = time
            first_update.append((time, _now()))
        if is_addition:
            final[row["word"]] = row["count"]

    def on_count_time_end(time):
        delivered.append((time, _now()))

    def on_progress(key, row, time, is_addition):
        if is_addition:
            marks.append((time, row["rows"]))

    count_csv = os.environ.get("LATENCY_COUNT_CSV")
    if os.environ.get("LATENCY_COUNT_NULL"):
        # Word counts computed and dropped (long memory runs: no callback, no file to grow).
        pw.io.null.write(counts)
        pw.io.subscribe(progress, on_change=on_progress, on_time_end=on_count_time_end)
    elif count_csv:
        # Word counts through the engine's own CSV writer; delivery is then timed at the end of
        # each time on the progress output (see run.py --count-sink csv).
        pw.io.csv.write(counts, count_csv)
        pw.io.subscribe(progress, on_change=on_progress, on_time_end=on_count_time_end)
    else:
        pw.io.subscribe(counts, on_change=on_count, on_time_end=on_count_time_end)
        pw.io.subscribe(progress, on_change=on_progress)

    run_kwargs = {}
    # Pathway prints a live dashboard by default; the benchmark wants a quiet run.
    if hasattr(pw, "MonitoringLevel"):
        run_kwargs["monitoring_level"] = pw.MonitoringLevel.NONE
    started = _now()
    pw.run(**run_kwargs)
    ended = _now()
    samples = {
        "engine": pw.__name__,
        "nb_rows": nb_rows,
        "rate": rate,
        "commit_ms": commit_ms,
        "run_started": started,
        "run_ended": ended,
        "source_start": SOURCE_START[0] if SOURCE_START else None,
        "delivered": delivered,
        "first_update": first_update,
        "marks": marks,
        "final": final,
    }
    with open(dst, "w") as f:
        json.dump(samples, f)
    print(json.dumps({"engine": pw.__name__, "run_seconds": ended - started}))


_now = time.time


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
