"""Plain text files: one row per line, in a ``data`` column."""

from __future__ import annotations

import os
from typing import Any

from towpath.internals.schema import schema_from_types
from towpath.internals.trace import user_errors
from towpath.io._utils import read_table


@user_errors
def read(
    path: str | os.PathLike, *, mode: str = "streaming", object_pattern: str = "*",
    with_metadata: bool = False, autocommit_duration_ms: int | None = 1500,
    name: str | None = None, **kwargs: Any,
) -> Any:
    """Reads text files line by line into a ``data`` column.

    >>> import towpath as pw
    >>> lines = pw.io.plaintext.read("notes.txt", mode="static")
    """
    return read_table(path, "Plaintext", schema_from_types(data=str), mode,
                      with_metadata=with_metadata,
                      autocommit_duration_ms=autocommit_duration_ms, name=name)


__all__ = ["read"]
