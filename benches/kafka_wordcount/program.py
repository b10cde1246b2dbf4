"""Kafka word count, the one program towpath and Pathway run.

    python program.py ENGINE BOOTSTRAP INPUT_TOPIC OUTPUT_TOPIC COMMIT_MS

Reads ``{"word": ..., "t": ...}`` messages of INPUT_TOPIC (from the beginning), counts words and
writes every updated count ``{"word", "count", "t" (newest emission time counted), "diff",
"time"}`` to OUTPUT_TOPIC, committing every COMMIT_MS ms. Runs until killed.
"""

from __future__ import annotations

import sys

ENGINE = sys.argv[1] if len(sys.argv) > 1 else "towpath"
if ENGINE == "pathway":
    import pathway as pw
else:
    import towpath as pw  # type: ignore[no-redef]


class Word(pw.Schema):
    word: str
    t: int


def main(bootstrap: str, input_topic: str, output_topic: str, commit_ms: int) -> None:
    settings = {"bootstrap.servers": bootstrap, "group.id": f"wordcount-{input_topic}",
                "auto.offset.reset": "earliest"}
    words = pw.io.kafka.read(settings, input_topic, schema=Word, format="json",
                             autocommit_duration_ms=commit_ms)
    counts = words.groupby(pw.this.word).reduce(
        pw.this.word, count=pw.reducers.count(), t=pw.reducers.max(pw.this.t)
    )
    pw.io.kafka.write(counts, {"bootstrap.servers": bootstrap}, output_topic, format="json")
    kwargs = {}
    if hasattr(pw, "MonitoringLevel"):  # Pathway's live dashboard off
        kwargs["monitoring_level"] = pw.MonitoringLevel.NONE
    print("wordcount: RUNNING", file=sys.stderr, flush=True)
    pw.run(**kwargs)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
