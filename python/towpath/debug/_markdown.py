"""Parsing of Pathway's markdown table format (``pw.debug.table_from_markdown``).

A header line names the columns; if it starts with ``|`` the first column of every row is a row
label (its id is ``pointer_from(label)``). ``__time__`` and ``__diff__`` columns give each row's
time and diff. Cells are type-guessed per column unless a schema is given.
"""

from __future__ import annotations

import re
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals.static import StaticRow, coerce

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|infinity)", re.IGNORECASE)
_NONE = {"None", "", "nan", "NaN"}
_SEPARATOR = re.compile(r"^[\s|:\-+]*-[\s|:\-+]*$")


def _split(line: str, split_on_whitespace: bool) -> list[str]:
    if split_on_whitespace:
        return [c for c in re.split(r"\s*\|\s*|\s+", line)]
    return [c.strip() for c in line.split("|")]


def parse(text: str, split_on_whitespace: bool = True) -> tuple[list[str], bool, list[list[str]]]:
    """(column names, whether rows have labels, rows of cell strings)."""
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not _SEPARATOR.match(ln)]
    if not lines:
        raise ValueError("table_from_markdown: the table has no header")
    header = _split(lines[0], split_on_whitespace)
    labelled = header[0] == ""
    if labelled:
        header = header[1:]
    if header and header[-1] == "" and lines[0].endswith("|"):
        header = header[:-1]
    width = len(header) + (1 if labelled else 0)
    rows = []
    for ln in lines[1:]:
        cells = _split(ln, split_on_whitespace)
        if len(cells) == width + 1 and cells[-1] == "" and ln.endswith("|"):
            cells = cells[:-1]
        if labelled and len(cells) == width + 1 and cells[0] == "" and ln.startswith("|"):
            cells = cells[1:]
        if len(cells) == width - 1 and not split_on_whitespace:
            cells.append("")
        if len(cells) != width:
            raise ValueError(
                f"table_from_markdown: expected {width} cells, found {len(cells)} in line {ln!r}"
            )
        rows.append(cells)
    return header, labelled, rows


def guess_type(cells: list[str]) -> dt.DType:
    """Pathway's guess for a column: int, float, bool, else str (Optional if any None)."""
    values = [c for c in cells if c not in _NONE]
    optional = len(values) < len(cells)
    if not values:
        return dt.NONE
    # Pathway's guess goes through pandas: floats that are all integral become ints.
    if all(_INT.fullmatch(v) for v in values) or all(
        _FLOAT.fullmatch(v) and float(v).is_integer() for v in values
    ):
        t = dt.INT
    elif all(_INT.fullmatch(v) or _FLOAT.fullmatch(v) for v in values):
        t = dt.FLOAT
    elif all(v in ("True", "False") for v in values):
        t = dt.BOOL
    else:
        t = dt.STR
    return dt.Optional(t) if optional else t


def parse_cell(cell: str, t: dt.DType) -> Any:
    """A cell's value for column type ``t``."""
    inner = t.strip_optional()
    if cell in ("", "None") or (cell in ("nan", "NaN") and inner in (dt.INT, dt.FLOAT)):
        return None
    if inner == dt.INT:
        return int(cell) if _INT.fullmatch(cell) else int(float(cell))
    if inner == dt.FLOAT:
        return float(cell)
    if inner == dt.BOOL:
        if cell in ("True", "False"):
            return cell == "True"
        return cell.lower() in ("true", "1", "yes", "on")
    if inner == dt.JSON:
        import json

        from towpath.internals.values import Json

        return Json(json.loads(cell))
    if inner == dt.ANY:
        return guess_value(cell)
    if inner == dt.STR:
        return cell
    if inner == dt.POINTER:
        from towpath.internals.values import Pointer

        return Pointer.parse(cell)
    return coerce(cell, t)


def guess_value(cell: str) -> Any:
    """A single cell's value by its look (labels, Any columns)."""
    if cell in _NONE:
        return None
    if _INT.fullmatch(cell):
        return int(cell)
    if _FLOAT.fullmatch(cell):
        return float(cell)
    if cell in ("True", "False"):
        return cell == "True"
    return cell


def rows_from_markdown(
    text: str, *, schema: Any = None, id_from: list[str] | None = None,
    split_on_whitespace: bool = True,
) -> tuple[dict[str, dt.DType], list[StaticRow]]:
    """Column types and rows (with id keys, times, diffs) of a markdown table."""
    header, labelled, cells = parse(text, split_on_whitespace)
    specials = {"__time__", "__diff__", "__shard__"}
    data_cols = [h for h in header if h not in specials]
    if schema is not None:
        types = schema._dtypes()
        defaults = schema.default_values()
        for name in data_cols:
            if name not in types:
                raise ValueError(f"table_from_markdown: column {name!r} is not in the schema")
        pk = schema.primary_key_columns() or []
    else:
        types = {
            h: guess_type([row[i + labelled] for row in cells])
            for i, h in enumerate(header) if h not in specials
        }
        defaults = {}
        pk = []
    key_cols = list(id_from or pk)
    rows = []
    for index, row in enumerate(cells):
        label, row = (row[0], row[1:]) if labelled else (None, row)
        raw = dict(zip(header, row, strict=False))
        values = {}
        for name, t in types.items():
            if name in raw:
                values[name] = parse_cell(raw[name], t)
            elif name in defaults:
                values[name] = defaults[name]
            else:
                raise ValueError(f"table_from_markdown: no value for column {name!r}")
        if key_cols:
            key: tuple = tuple(values[k] for k in key_cols)
        elif label is not None:
            key = (guess_value(label),)
        else:
            key = (index,)
        time = int(raw.get("__time__", 0) or 0)
        diff = int(raw.get("__diff__", 1) or 1)
        rows.append(StaticRow(key, [values[n] for n in types], time, diff))
    return types, _even_times(rows)


def _even_times(rows: list[StaticRow]) -> list[StaticRow]:
    """Rows with every time doubled if one is odd, as Pathway does: commit times are even, so
    that ``t + 1`` is free (forgetting uses it, see docs/temporal.md)."""
    if all(r.time % 2 == 0 for r in rows):
        return rows
    import warnings

    warnings.warn("timestamps are required to be even; all timestamps will be doubled",
                  stacklevel=4)
    return [StaticRow(r.key, r.values, 2 * r.time, r.diff) for r in rows]
