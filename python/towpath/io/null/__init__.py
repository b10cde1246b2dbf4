"""A sink that discards updates (the computation still runs)."""

from __future__ import annotations

from typing import Any

from towpath.io._utils import write_table


def write(table: Any, *, name: str | None = None, sort_by: Any = None) -> None:
    """Computes ``table`` on ``pw.run()`` and drops the results.

    >>> import towpath as pw
    >>> pw.io.null.write(pw.debug.table_from_markdown("a\\n1"))
    """
    write_table(table, "Null")


__all__ = ["write"]
