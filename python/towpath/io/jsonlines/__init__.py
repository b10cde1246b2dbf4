"""JSON Lines files: ``pw.io.jsonlines.read`` and ``pw.io.jsonlines.write``."""

from __future__ import annotations

import os
from typing import Any

from towpath.internals.trace import user_errors
from towpath.io._utils import read_table, write_table


@user_errors
def read(
    path: str | os.PathLike, *, schema: Any = None, mode: str = "streaming",
    json_field_paths: dict[str, str] | None = None, object_pattern: str = "*",
    with_metadata: bool = False, autocommit_duration_ms: int | None = 1500,
    name: str | None = None, **kwargs: Any,
) -> Any:
    """Reads one JSON object per line; columns by name or by ``json_field_paths`` pointers.

    >>> import towpath as pw
    >>> class S(pw.Schema):
    ...     word: str
    >>> t = pw.io.jsonlines.read("words.jsonl", schema=S, mode="static")
    """
    paths = [[k, v] for k, v in (json_field_paths or {}).items()]
    return read_table(path, {"JsonLines": {"field_paths": paths}}, schema, mode,
                      with_metadata=with_metadata,
                      autocommit_duration_ms=autocommit_duration_ms, name=name)


@user_errors
def write(table: Any, filename: str | os.PathLike, *, name: str | None = None,
          sort_by: Any = None) -> None:
    """Writes the table's update stream as JSON Lines (columns, ``diff`` and ``time``)."""
    write_table(
        table, {"JsonLines": {"path": os.fspath(filename), "columns": list(table._columns)}}
    )


__all__ = ["read", "write"]
