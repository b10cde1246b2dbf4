"""The error log: row-level errors (failed casts, UDF exceptions, bad input lines) as a table."""

from __future__ import annotations

from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan

_GLOBAL: Any = None


def global_error_log() -> Any:
    """A table of every row-level error: ``operator_id`` (int), ``message``, ``trace`` (str).

    >>> import towpath as pw
    >>> log = pw.global_error_log()
    >>> log.column_names()
    ['operator_id', 'message', 'trace']
    """
    global _GLOBAL
    if _GLOBAL is None:
        from towpath.internals.table import Table

        columns = {"operator_id": dt.INT, "message": dt.STR, "trace": dt.STR}
        node = plan.Node("ErrorLog", None, [], list(columns))
        _GLOBAL = Table._from_node(node, columns)
    return _GLOBAL


def local_error_log() -> Any:
    """Not supported yet: use ``global_error_log``."""
    raise NotImplementedError("pw.local_error_log is not supported yet; use pw.global_error_log().")
