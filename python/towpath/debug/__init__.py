"""Debugging helpers: inline tables (markdown, pandas, rows) and printing of results.

>>> import towpath as pw
>>> t = pw.debug.table_from_markdown('''
...   | a | b
... 1 | 1 | x
... 2 | 2 | y
... ''')
>>> pw.debug.compute_and_print(t.select(c=pw.this.a * 10), include_id=False)
c
10
20
"""

from __future__ import annotations

from typing import Any

from towpath.debug._markdown import rows_from_markdown
from towpath.debug._printing import stream_text, table_text
from towpath.internals import pandas_conv
from towpath.internals.run import capture, squash
from towpath.internals.static import StaticRow, coerce, static_table
from towpath.internals.trace import user_errors

__all__ = [
    "compute_and_print",
    "compute_and_print_update_stream",
    "explain",
    "table_from_markdown",
    "table_from_pandas",
    "table_from_rows",
    "table_to_dicts",
    "table_to_pandas",
]


@user_errors
def table_from_markdown(
    table_def: str,
    id_from: list[str] | None = None,
    unsafe_trusted_ids: bool = False,
    schema: Any = None,
    *,
    split_on_whitespace: bool = True,
    **kwargs: Any,
) -> Any:
    """A table from Pathway's markdown format (see ``towpath.debug._markdown``)."""
    types, rows = rows_from_markdown(
        table_def, schema=schema, id_from=id_from, split_on_whitespace=split_on_whitespace
    )
    table = static_table(types, rows)
    if schema is not None:
        table._pk = schema.primary_key_columns()
    return table


@user_errors
def table_from_pandas(
    df: Any,
    id_from: list[str] | None = None,
    unsafe_trusted_ids: bool = False,
    schema: Any = None,
    **kwargs: Any,
) -> Any:
    """A table from a pandas DataFrame (ids from ``id_from`` columns, else the index)."""
    return pandas_conv.table_from_pandas(df, id_from, unsafe_trusted_ids, schema)


@user_errors
def table_from_rows(
    schema: Any, rows: list[tuple], unsafe_trusted_ids: bool = False, is_stream: bool = False
) -> Any:
    """A table from tuples; with ``is_stream`` each tuple ends with ``time, diff``."""
    types = schema._dtypes()
    pk = schema.primary_key_columns() or []
    names = list(types)
    out = []
    for index, row in enumerate(rows):
        values = list(row[: len(names)])
        time, diff = (row[len(names)], row[len(names) + 1]) if is_stream else (0, 1)
        values = [coerce(v, types[n]) for v, n in zip(values, names, strict=False)]
        key = tuple(values[names.index(k)] for k in pk) if pk else (index,)
        out.append(StaticRow(key, values, time, diff))
    table = static_table(types, out)
    table._pk = pk or None
    return table


def _capture_tables(tables: tuple, kwargs: dict) -> list:
    return capture(list(tables), kwargs.get("threads"))


@user_errors
def compute_and_print(
    *tables: Any, include_id: bool = True, short_pointers: bool = True,
    n_rows: int | None = None, **kwargs: Any,
) -> None:
    """Runs what the tables need and prints their final contents (rows sorted by values)."""
    for table, cap in zip(tables, _capture_tables(tables, kwargs), strict=False):
        state = squash(cap)
        text = table_text(list(table._columns), list(state.items()), include_id=include_id,
                          short_pointers=short_pointers, n_rows=n_rows)
        if text:
            print(text)


@user_errors
def compute_and_print_update_stream(
    *tables: Any, include_id: bool = True, short_pointers: bool = True,
    n_rows: int | None = None, **kwargs: Any,
) -> None:
    """Runs what the tables need and prints every update (with ``__time__`` and ``__diff__``)."""
    for table, cap in zip(tables, _capture_tables(tables, kwargs), strict=False):
        print(stream_text(list(table._columns), cap.updates, include_id=include_id,
                          short_pointers=short_pointers, n_rows=n_rows))


@user_errors
def table_to_pandas(table: Any, *, include_id: bool = True) -> Any:
    """The table's final contents as a DataFrame (indexed by id unless ``include_id=False``)."""
    (cap,) = capture([table])
    return pandas_conv.table_to_pandas(list(table._columns), squash(cap), include_id)


def explain(*tables: Any) -> str:
    """The plan computing ``tables``, one node per line (towpath only, not in Pathway)."""
    from towpath.internals.run import explain as _explain

    return _explain([t._node for t in tables])


@user_errors
def table_to_dicts(table: Any, **kwargs: Any) -> tuple[list, dict[str, dict]]:
    """``(ids, {column: {id: value}})`` of the table's final contents."""
    (cap,) = capture([table])
    state = squash(cap)
    keys = list(state)
    columns = {
        name: {k: state[k][i] for k in keys} for i, name in enumerate(table._columns)
    }
    return keys, columns
