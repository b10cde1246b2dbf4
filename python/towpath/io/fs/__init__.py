"""Files in any supported format: ``pw.io.fs.read(path, format=...)`` and ``pw.io.fs.write``."""

from __future__ import annotations

import os
from typing import Any

from towpath.internals.schema import schema_from_types
from towpath.internals.trace import user_errors
from towpath.io import csv as _csv
from towpath.io import jsonlines as _jsonlines
from towpath.io._utils import read_table


@user_errors
def read(
    path: str | os.PathLike, format: str, *, schema: Any = None,
    mode: str = "streaming", csv_settings: Any = None,
    json_field_paths: dict[str, str] | None = None, object_pattern: str = "*",
    with_metadata: bool = False, name: str | None = None,
    autocommit_duration_ms: int | None = 1500, **kwargs: Any,
) -> Any:
    """Reads files as ``csv``, ``json`` (lines), ``plaintext``, ``plaintext_by_file`` or
    ``binary``.

    >>> import towpath as pw
    >>> t = pw.io.fs.read("notes/", format="plaintext_by_file", mode="static")
    """
    if format == "csv":
        return _csv.read(path, schema=schema, csv_settings=csv_settings, mode=mode,
                         with_metadata=with_metadata,
                         autocommit_duration_ms=autocommit_duration_ms, name=name)
    if format == "json":
        return _jsonlines.read(path, schema=schema, mode=mode, json_field_paths=json_field_paths,
                               with_metadata=with_metadata,
                               autocommit_duration_ms=autocommit_duration_ms, name=name)
    simple = {
        "plaintext": ("Plaintext", str),
        "plaintext_by_file": ("PlaintextByFile", str),
        "binary": ("Binary", bytes),
    }
    if format not in simple:
        raise ValueError(f"fs.read: unsupported format {format!r}")
    fmt, kind = simple[format]
    return read_table(path, fmt, schema_from_types(data=kind), mode, with_metadata=with_metadata,
                      autocommit_duration_ms=autocommit_duration_ms, name=name)


@user_errors
def write(table: Any, filename: str | os.PathLike, format: str, *,
          name: str | None = None, sort_by: Any = None) -> None:
    """Writes the table's update stream as ``csv`` or ``json`` (lines)."""
    if format == "csv":
        return _csv.write(table, filename, name=name)
    if format == "json":
        return _jsonlines.write(table, filename, name=name)
    raise ValueError(f"fs.write: unsupported format {format!r}")


__all__ = ["read", "write"]
