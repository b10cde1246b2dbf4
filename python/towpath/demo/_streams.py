"""Demo streams written as Python subjects: rows paced by the wall clock (``generate_custom_stream``,
``replay_csv``) or by a time column of the data (``replay_csv_with_time``)."""

from __future__ import annotations

import csv
import math
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals.schema import is_schema
from towpath.io.python import ConnectorSubject, read

_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}


class _Paced(ConnectorSubject):
    """Pushes ``(delay_s, row)`` pairs, each when ``delay_s`` seconds have passed since the
    start; with ``commit_each``, every batch of rows due together is its own commit."""

    def __init__(self, rows: Callable[[], Iterator[tuple[float, dict]]], commit_each: bool) -> None:
        super().__init__(datasource_name="demo")
        self._rows = rows
        self._commit_each = commit_each

    def run(self) -> None:
        start = time.monotonic()
        pushed = False
        for delay, row in self._rows():
            wait = start + delay - time.monotonic()
            if wait > 0:
                if pushed and self._commit_each:
                    self.commit()
                    pushed = False
                time.sleep(wait)
            self.next(**row)
            pushed = True


def _check_schema(schema: Any) -> None:
    if not is_schema(schema):
        raise TypeError(f"schema has to be a pw.Schema class, got {schema!r}")


def _check_rate(input_rate: float) -> float:
    rate = float(input_rate)
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"input_rate has to be a positive number, got {input_rate!r}")
    return rate


def generate_custom_stream(
    value_generators: dict[str, Any], *, schema: Any, nb_rows: int | None = None,
    autocommit_duration_ms: int = 1000, input_rate: float = 1.0, name: str | None = None,
) -> Any:
    """A live table whose row ``i`` has ``value_generators[column](i)`` in each column,
    produced at ``input_rate`` rows per second (``nb_rows=None``: forever).

    >>> import towpath as pw
    >>> class S(pw.Schema):
    ...     n: int
    >>> t = pw.demo.generate_custom_stream({"n": lambda i: i * i}, schema=S, nb_rows=4, input_rate=1000)
    >>> pw.debug.compute_and_print(t.reduce(total=pw.reducers.sum(pw.this.n)), include_id=False)
    total
    14
    """
    _check_schema(schema)
    rate = _check_rate(input_rate)
    missing = [c for c in schema.column_names() if c not in value_generators]
    if missing:
        raise ValueError(f"value_generators lacks a generator for column(s) {missing}")
    if nb_rows is not None and (not isinstance(nb_rows, int) or nb_rows < 0):
        raise ValueError(f"nb_rows has to be a non-negative int or None, got {nb_rows!r}")

    def rows() -> Iterator[tuple[float, dict]]:
        i = 0
        while nb_rows is None or i < nb_rows:
            yield i / rate, {c: value_generators[c](i) for c in schema.column_names()}
            i += 1

    return read(_Paced(rows, commit_each=False), schema=schema,
                autocommit_duration_ms=autocommit_duration_ms, name=name or "generate_custom_stream")


def _parse(text: str | None, t: dt.DType) -> Any:
    """A CSV field as a value of the column's type (left as text when it does not parse, so the
    row goes to the error log naming the value)."""
    if text is None or (text == "" and t.is_optional()):
        return None
    inner = t.strip_optional()
    try:
        if inner == dt.INT:
            return int(text)
        if inner == dt.FLOAT:
            return float(text)
        if inner == dt.BOOL:
            lowered = text.strip().lower()
            if lowered in ("true", "1", "yes", "on"):
                return True
            if lowered in ("false", "0", "no", "off"):
                return False
    except ValueError:
        pass
    return text


def _csv_rows(path: Any, schema: Any) -> Iterator[dict]:
    types = dict(schema._dtypes())
    with open(os.fspath(path), newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            yield {c: _parse(record.get(c), t) for c, t in types.items() if c in record}


def replay_csv(path: Any, *, schema: Any, input_rate: float = 1.0) -> Any:
    """A live table replaying the rows of a CSV file (with a header) at ``input_rate`` rows
    per second; each row is committed as it arrives."""
    _check_schema(schema)
    rate = _check_rate(input_rate)
    if not os.path.exists(os.fspath(path)):
        raise FileNotFoundError(f"replay_csv: no such file: {os.fspath(path)}")

    def rows() -> Iterator[tuple[float, dict]]:
        for i, row in enumerate(_csv_rows(path, schema)):
            yield i / rate, row

    return read(_Paced(rows, commit_each=True), schema=schema, autocommit_duration_ms=10, name="replay_csv")


def replay_csv_with_time(
    path: str, *, schema: Any, time_column: str, unit: str = "s", autocommit_ms: int = 100,
    speedup: float = 1,
) -> Any:
    """A live table replaying a CSV file by its ``time_column``: a row whose time is ``d``
    ``unit``s after the first row's arrives ``d / speedup`` seconds after the start. The file
    is expected in time order."""
    _check_schema(schema)
    if time_column not in schema.column_names():
        raise ValueError(f"time_column {time_column!r} is not a column of the schema")
    if unit not in _UNITS:
        raise ValueError(f"unit has to be one of {sorted(_UNITS)}, got {unit!r}")
    if not (isinstance(speedup, (int, float)) and speedup > 0):
        raise ValueError(f"speedup has to be a positive number, got {speedup!r}")
    if not os.path.exists(path):
        raise FileNotFoundError(f"replay_csv_with_time: no such file: {path}")
    scale = _UNITS[unit] / speedup

    def rows() -> Iterator[tuple[float, dict]]:
        first = None
        for row in _csv_rows(path, schema):
            at = float(row[time_column])
            first = at if first is None else first
            yield max(0.0, (at - first) * scale), row

    return read(_Paced(rows, commit_each=True), schema=schema, autocommit_duration_ms=autocommit_ms,
                name="replay_csv_with_time")
