"""Streaming word count: watch a directory of JSON Lines files, print each commit's changes.

    python examples/streaming_wordcount.py                       # own feeder, stops after 4 s
    python examples/streaming_wordcount.py --input DIR --duration 10   # DIR fed by another process

Each input line is ``{"word": "..."}`` (``examples/feed_words.py`` writes such files). The
directory is read with ``mode="streaming"``: every new file adds its words, and every commit
(about every 200 ms) prints one line such as ``t=1764170000200 +dauupzt 61 -dauupzt 60``.
The run stops on Ctrl-C / SIGTERM, or by itself after ``--duration`` seconds (a timer sends
SIGINT to this process, which towpath treats as a clean stop). Then the final counts are
checked against a count of the words in the directory's files done in plain Python.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feed_words import feed

# After the feeder stops, the reader needs a commit or two to pick up its last file.
SETTLE_SECONDS = 1.0


def count_live(pw, src: Path, autocommit_ms: int, top: int) -> dict[str, int]:
    """Build and run the dataflow until stopped; returns the final counts seen by subscribe."""

    class WordSchema(pw.Schema):
        word: str

    words = pw.io.jsonlines.read(str(src), schema=WordSchema, mode="streaming",
                                 autocommit_duration_ms=autocommit_ms)
    counts = words.groupby(pw.this.word).reduce(pw.this.word, count=pw.reducers.count())
    state: dict[str, int] = {}
    pending: list[tuple[str, int, bool]] = []

    def on_change(key, row, time, is_addition):
        pending.append((row["word"], row["count"], is_addition))
        if is_addition:
            state[row["word"]] = row["count"]
        elif state.get(row["word"]) == row["count"]:
            del state[row["word"]]

    def on_time_end(time):
        # Additions first, then retractions of the same word: "+w 61 -w 60" reads as an update.
        parts = [f"{'+' if add else '-'}{w} {c}"
                 for w, c, add in sorted(pending, key=lambda p: (p[0], not p[2]))]
        pending.clear()
        total = sum(state.values())
        leaders = ", ".join(f"{w} {c}" for w, c in
                            sorted(state.items(), key=lambda wc: (-wc[1], wc[0]))[:top])
        print(f"t={time} ({total} words) {' '.join(parts)}\n    top: {leaders}", flush=True)

    pw.io.subscribe(counts, on_change=on_change, on_time_end=on_time_end)
    pw.run()
    return state


def words_in(directory: Path) -> Counter[str]:
    """Every word in the directory's ``*.jsonl`` files, counted in plain Python."""
    result: Counter[str] = Counter()
    for f in directory.glob("*.jsonl"):
        result.update(json.loads(line)["word"] for line in f.read_text().splitlines() if line)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path,
                        help="directory to watch (default: a temporary one fed by a thread)")
    parser.add_argument("--duration", type=float,
                        default=float(os.environ.get("STREAMING_DURATION", "4")),
                        help="stop after this many seconds; 0 runs until Ctrl-C")
    parser.add_argument("--autocommit-ms", type=int, default=200)
    parser.add_argument("--top", type=int, default=5, help="how many leaders to print")
    parser.add_argument("--engine", choices=("towpath", "pathway"), default="towpath")
    args = parser.parse_args(argv)
    pw = importlib.import_module(args.engine)

    with tempfile.TemporaryDirectory() as tmp:
        src = args.input
        stop_feeder = threading.Event()
        feeder = None
        if src is None:  # feed our own directory from a thread
            src = Path(tmp) / "words"
            src.mkdir()
            feeder = threading.Thread(target=feed, args=(src, stop_feeder), daemon=True)
            feeder.start()
        src.mkdir(parents=True, exist_ok=True)

        def stop_later():
            time.sleep(max(args.duration - SETTLE_SECONDS, 0))
            stop_feeder.set()
            if feeder is not None:
                feeder.join()
            time.sleep(SETTLE_SECONDS)
            os.kill(os.getpid(), signal.SIGINT)  # towpath: a clean stop, pw.run returns

        if args.duration > 0:
            threading.Thread(target=stop_later, daemon=True).start()
        got = count_live(pw, src, args.autocommit_ms, args.top)
        expected = words_in(src)

    if got != dict(expected):
        diff = sorted(set(got.items()) ^ set(expected.items()))[:10]
        print(f"WRONG: {len(set(got.items()) ^ set(expected.items()))} (word, count) rows "
              f"differ from the files, e.g. {diff}")
        return 1
    if not expected:
        print("WRONG: no words arrived")
        return 1
    print(f"final: {sum(got.values())} words, {len(got)} distinct; matches the files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
