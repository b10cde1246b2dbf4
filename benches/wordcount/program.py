"""Word count over a JSON Lines file: the one program both engines run in the benchmark.

    python program.py INPUT.jsonl OUTPUT.csv

The engine is chosen by the ``WORDCOUNT_ENGINE`` environment variable: ``towpath``
(default) or ``pathway``. Worker threads come from ``PATHWAY_THREADS`` (towpath reads
the same variable, and ``TOWPATH_THREADS``). On success the program prints one JSON
line ``{"engine": ..., "run_seconds": ...}``: the wall time of ``pw.run()`` alone,
without interpreter start-up and imports.
"""

from __future__ import annotations

import json
import os
import sys
import time

if os.environ.get("WORDCOUNT_ENGINE", "towpath") == "pathway":
    import pathway as pw
else:
    import towpath as pw  # type: ignore[no-redef]


class WordSchema(pw.Schema):
    word: str


def main(src: str, dst: str) -> None:
    words = pw.io.jsonlines.read(src, schema=WordSchema, mode="static")
    counts = words.groupby(pw.this.word).reduce(pw.this.word, count=pw.reducers.count())
    pw.io.csv.write(counts, dst)
    run_kwargs = {}
    # Pathway prints a live dashboard by default; the benchmark wants a quiet run.
    if hasattr(pw, "MonitoringLevel"):
        run_kwargs["monitoring_level"] = pw.MonitoringLevel.NONE
    start = time.perf_counter()
    pw.run(**run_kwargs)
    elapsed = time.perf_counter() - start
    print(json.dumps({"engine": pw.__name__, "run_seconds": elapsed}))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
