"""One group of ``SIZE`` rows, then ``CHANGES`` single-row changes, each at its own time.

    python program.py SIZE CHANGES REDUCERS

``REDUCERS`` is ``sum`` (count, sum and avg of an int column: the incremental path unless
``TOWPATH_GROUPBY=generic``), ``sum+max`` (the same plus a max, which needs the generic path) or
``count`` (a count alone: the generic reduce sees one distinct row per group, so this measures
the cost of a change outside the reducers — source, commit, output, callbacks).
Each change inserts a new row into the group and deletes the row inserted before, so the group
keeps its size; for ``count`` a change only inserts (a count unchanged by an insert and a delete
would output nothing, and the floor would leave out the output's cost). Prints one JSON line: the wall-clock seconds of ``pw.run`` and the final
row (checked by ``run.py`` against the expected values).
"""

from __future__ import annotations

import json
import sys
import time

import towpath as pw


class Row(pw.Schema):
    id: int = pw.column_definition(primary_key=True)
    g: int
    v: int


def rows(size: int, changes: int, deletes: bool) -> list[tuple]:
    """Distinct values, so the group's input has ``size`` distinct rows."""
    out = [(i, 0, i * 7, 0, 1) for i in range(size)]
    for c in range(changes):
        new = size + c
        out.append((new, 0, new * 7, 2 + 2 * c, 1))
        if c > 0 and deletes:
            out.append((new - 1, 0, (new - 1) * 7, 2 + 2 * c, -1))
    return out


def main(size: int, changes: int, reducers: str) -> None:
    t = pw.debug.table_from_rows(Row, rows(size, changes, reducers != "count"), is_stream=True)
    columns = {"n": pw.reducers.count()}
    if reducers != "count":
        columns.update(s=pw.reducers.sum(pw.this.v), a=pw.reducers.avg(pw.this.v))
    if reducers == "sum+max":
        columns.update(m=pw.reducers.max(pw.this.v))
    r = t.groupby(pw.this.g).reduce(pw.this.g, **columns)
    final: dict = {}

    def on_change(key, row, time, is_addition):
        if is_addition:
            final.update(row)

    pw.io.subscribe(r, on_change=on_change)
    start = time.perf_counter()
    pw.run()
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "final": {k: final.get(k) for k in ("n", "s", "a")}}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
