"""Pathway's text layout for ``compute_and_print`` and ``compute_and_print_update_stream``."""

from __future__ import annotations

import datetime
from typing import Any

from towpath.internals.values import ERROR, Json, Pointer


def format_value(value: Any, short_pointers: bool = True) -> str:
    """A cell as Pathway prints it (None is an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, Pointer):
        text = str(value)
        return text[:8] + "..." if short_pointers else text
    if isinstance(value, (tuple, list)):
        return repr(tuple(value))
    return str(value)


def sort_key(value: Any) -> tuple:
    """A total order over cell values: None first, then by kind, then by value."""
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, (int, float)):
        return (2, value)
    if isinstance(value, Pointer):
        return (3, value.value)
    if isinstance(value, str):
        return (4, value)
    if isinstance(value, bytes):
        return (5, value)
    if isinstance(value, (tuple, list)):
        return (6, tuple(sort_key(v) for v in value))
    if isinstance(value, datetime.datetime):
        return (7, value.tzinfo is not None, value.timestamp() if value.tzinfo else str(value))
    if isinstance(value, datetime.timedelta):
        return (8, value)
    if isinstance(value, Json):
        return (9, Json.dumps(value.value))
    if value is ERROR:
        return (11,)
    return (10, repr(value))


def layout(header: list[str], rows: list[list[str]]) -> str:
    """Columns joined by `` | ``, left-justified to the widest cell, lines right-stripped."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = []
    for row in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(row[:-1], widths, strict=False)] + [row[-1]]
        # Pathway prints a line that would be empty (one None column) as "None".
        lines.append(" | ".join(cells).rstrip() or "None")
    return "\n".join(lines)


def table_text(
    columns: list[str], rows: list[tuple[Any, tuple]], *, include_id: bool = True,
    short_pointers: bool = True, n_rows: int | None = None,
) -> str:
    """A final-state table: ``rows`` are ``(id, values)``, sorted by values then id.

    A table without columns prints its ids under an ``id`` header, or nothing at all without
    ids (Pathway's layout)."""
    if not columns:
        if not include_id:
            return ""
        columns = ["id"]
        include_id = False
        rows = [(k, (k,)) for k, _ in rows]
    rows = sorted(rows, key=lambda r: (tuple(sort_key(v) for v in r[1]), sort_key(r[0])))
    if n_rows is not None:
        rows = rows[:n_rows]
    header = ([""] if include_id else []) + columns
    body = [
        ([format_value(k, short_pointers)] if include_id else [])
        + [format_value(v, short_pointers) for v in vals]
        for k, vals in rows
    ]
    return layout(header, body)


def stream_text(
    columns: list[str], updates: list[tuple[Any, tuple, int, int]], *, include_id: bool = True,
    short_pointers: bool = True, n_rows: int | None = None,
) -> str:
    """An update stream: ``(id, values, time, diff)`` sorted by time, diff, values, id."""
    updates = sorted(
        updates,
        key=lambda u: (u[2], u[3], tuple(sort_key(v) for v in u[1]), sort_key(u[0])),
    )
    if n_rows is not None:
        updates = updates[:n_rows]
    header = ([""] if include_id else []) + columns + ["__time__", "__diff__"]
    body = [
        ([format_value(k, short_pointers)] if include_id else [])
        + [format_value(v, short_pointers) for v in vals]
        + [str(time), str(diff)]
        for k, vals, time, diff in updates
    ]
    return layout(header, body)
