"""Generate the word-count benchmark input: N words as JSON Lines.

Each line is ``{"word": "xxxxxxx"}``. Words are drawn uniformly from a dictionary of
5,000 random 7-letter lowercase words; both the dictionary and the draws come from
``random.Random(1)``, so a given N always yields the same file (the same figures as
Pathway's published WordCount benchmark use: 5,000 words of 7 letters).

Usage::

    python benches/wordcount/generate.py 2000000            # prints the cached file's path
    python benches/wordcount/generate.py 2000000 -o words.jsonl

Files are cached under ``benches/wordcount/data/`` (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
from pathlib import Path

DICTIONARY_SIZE = 5_000
WORD_LENGTH = 7
SEED = 1
DATA_DIR = Path(__file__).resolve().parent / "data"
# Lines are written in chunks: one write() per chunk keeps 10M words to a few seconds.
CHUNK = 100_000


def dictionary(rng: random.Random) -> list[str]:
    """The 5,000 distinct words drawn first from ``rng``."""
    words: list[str] = []
    seen: set[str] = set()
    letters = string.ascii_lowercase
    while len(words) < DICTIONARY_SIZE:
        word = "".join(rng.choices(letters, k=WORD_LENGTH))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def write_words(n: int, path: Path) -> None:
    """Write ``n`` JSON Lines words to ``path`` atomically (via a temporary file)."""
    rng = random.Random(SEED)
    lines = [f'{{"word": "{w}"}}\n' for w in dictionary(rng)]
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="ascii", buffering=1 << 20) as out:
        left = n
        while left > 0:
            k = min(CHUNK, left)
            out.write("".join(rng.choices(lines, k=k)))
            left -= k
    tmp.replace(path)


def cached_words(n: int) -> Path:
    """Path of the cached file with ``n`` words, generating it if missing."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"words-{n}.jsonl"
    if not path.exists():
        write_words(n, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of words")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of the cache")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must be >= 0")
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        write_words(args.n, args.output)
        print(args.output)
    else:
        print(cached_words(args.n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
