"""Feed a directory with small JSON Lines files of random words, one file every ~0.5 s.

    python examples/feed_words.py DIR                  # until stopped (Ctrl-C / SIGTERM)
    python examples/feed_words.py DIR --duration 10 --words 20

Words come from the word-count benchmark dictionary (``benches/wordcount/generate.py``).
Each file is written in a sibling ``DIR.staging`` directory and then renamed into DIR, so a directory reader
never sees a partial file. With no arguments it feeds a temporary directory for 2 s and
checks that the files it wrote hold the words it reported (the examples smoke test).
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benches" / "wordcount"))
from generate import dictionary


def feed(directory: Path, stop: threading.Event, *, interval: float = 0.5,
         words_per_file: int = 20, seed: int = 7, vocabulary: int = 50) -> Counter[str]:
    """Write one file of ``words_per_file`` words every ``interval`` s until ``stop`` is set.

    Words are drawn from the first ``vocabulary`` dictionary words (few distinct words make
    counts grow visibly). Returns how often each word was written.
    """
    rng = random.Random(seed)
    words = dictionary(random.Random(1))[:vocabulary]
    written: Counter[str] = Counter()
    directory.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(directory.name + ".staging")
    staging.mkdir(exist_ok=True)
    n = 0
    while not stop.is_set():
        batch = rng.choices(words, k=words_per_file)
        tmp = staging / f"words-{n:06d}.jsonl"
        tmp.write_text("".join(json.dumps({"word": w}) + "\n" for w in batch))
        # Written outside the watched directory, then renamed in (same file system): the
        # reader sees the whole file at once or not at all.
        tmp.replace(directory / tmp.name)
        written.update(batch)
        n += 1
        stop.wait(interval)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, nargs="?", help="where to write (default: temp)")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--words", type=int, default=20, help="words per file")
    args = parser.parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if args.directory is None:  # self-test: feed a temporary directory briefly and check it
        with tempfile.TemporaryDirectory() as root:
            tmp = Path(root) / "words"
            threading.Timer(args.duration or 2.0, stop.set).start()
            written = feed(tmp, stop, interval=args.interval, words_per_file=args.words)
            on_disk: Counter[str] = Counter()
            for f in Path(tmp).glob("*.jsonl"):
                on_disk.update(json.loads(line)["word"] for line in f.read_text().splitlines())
            leftovers = [f.name for f in Path(tmp).iterdir() if f.suffix != ".jsonl"]
        if on_disk != written or leftovers or not written:
            print(f"WRONG: files hold {sum(on_disk.values())} words, reported "
                  f"{sum(written.values())}; leftover temporary files: {leftovers}")
            return 1
        print(f"feeder: {sum(written.values())} words written and read back")
        return 0
    if args.duration is not None:
        threading.Timer(args.duration, stop.set).start()
    written = feed(args.directory, stop, interval=args.interval, words_per_file=args.words)
    print(f"feeder: wrote {sum(written.values())} words, {len(written)} distinct",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
