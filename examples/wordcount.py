"""Word count: read words from a JSON Lines file, count them, write the counts as CSV.

    python examples/wordcount.py                                 # built-in sample text
    python examples/wordcount.py --input words.jsonl --output counts.csv --top 10
    python examples/wordcount.py --engine pathway                # same program on Pathway

Each input line is ``{"word": "..."}`` (``benches/wordcount/generate.py`` makes such
files). The program is plain Pathway API, so it runs under ``import towpath as pw`` and
``import pathway as pw`` alike; ``--engine`` (or the ``WORDCOUNT_ENGINE`` environment
variable) picks one. After the run, the output is checked against a count done in plain
Python, and the most frequent words are printed.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

SAMPLE = """
the quick brown fox jumps over the lazy dog the dog sleeps and the fox runs
a live table is a table that stays correct while its input changes
"""


def count_words(pw, src: Path, dst: Path) -> None:
    """The dataflow itself: JSON Lines in, one row per distinct word out, as CSV."""

    class WordSchema(pw.Schema):
        word: str

    words = pw.io.jsonlines.read(str(src), schema=WordSchema, mode="static")
    counts = words.groupby(pw.this.word).reduce(pw.this.word, count=pw.reducers.count())
    pw.io.csv.write(counts, str(dst))
    run_kwargs = {}
    if hasattr(pw, "MonitoringLevel"):  # Pathway draws a live dashboard unless told not to
        run_kwargs["monitoring_level"] = pw.MonitoringLevel.NONE
    pw.run(**run_kwargs)


def final_counts(csv_path: Path) -> Counter[str]:
    """The final table from the CSV change stream: each row's diffs summed."""
    rows: Counter[tuple[str, int]] = Counter()
    with open(csv_path, newline="") as f:
        for rec in csv.DictReader(f):
            rows[(rec["word"], int(rec["count"]))] += int(rec["diff"])
    result: Counter[str] = Counter()
    for (word, count), diff in rows.items():
        if diff not in (0, 1):
            raise SystemExit(f"row ({word!r}, {count}) has net diff {diff}")
        if diff == 1:
            if word in result:
                raise SystemExit(f"word {word!r} has two final counts")
            result[word] = count
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="towpath word count example")
    parser.add_argument("--input", type=Path, help="JSON Lines file of {'word': ...}")
    parser.add_argument("--output", type=Path, help="CSV file to write (default: temporary)")
    parser.add_argument(
        "--engine",
        choices=("towpath", "pathway"),
        default=os.environ.get("WORDCOUNT_ENGINE", "towpath"),
    )
    parser.add_argument("--top", type=int, default=10, help="how many top words to print")
    args = parser.parse_args(argv)
    pw = importlib.import_module(args.engine)

    with tempfile.TemporaryDirectory() as tmp:
        src = args.input
        if src is None:
            src = Path(tmp) / "words.jsonl"
            src.write_text("".join(json.dumps({"word": w}) + "\n" for w in SAMPLE.split()))
        dst = args.output or Path(tmp) / "counts.csv"
        dst.parent.mkdir(parents=True, exist_ok=True)
        count_words(pw, src, dst)
        got = final_counts(dst)
        with open(src) as f:
            expected = Counter(json.loads(line)["word"] for line in f)

    if got != expected:
        wrong = sorted(set(got.items()) ^ set(expected.items()))[:10]
        print(f"WRONG: {len(set(got.items()) ^ set(expected.items()))} rows differ, e.g. {wrong}")
        return 1
    print(f"{args.engine}: {sum(got.values())} words, {len(got)} distinct; top {args.top}:")
    for word, count in sorted(got.items(), key=lambda wc: (-wc[1], wc[0]))[: args.top]:
        print(f"  {word:12} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
