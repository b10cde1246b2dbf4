"""``pw.io.python``: Python observers of a table's updates (``write``).

Reading from a Python ``ConnectorSubject`` (``pw.io.python.read``) needs a push source in the
engine and is not supported yet: ``read`` raises ``NotImplementedError``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from towpath.internals.trace import user_errors
from towpath.io._subscribe import subscribe


class ConnectorObserver(ABC):
    """Receives a table's updates during ``pw.run()``: subclass it and pass it to ``write``."""

    @abstractmethod
    def on_change(self, key: Any, row: dict[str, Any], time: int, is_addition: bool) -> None:
        """Called for every row added (``is_addition``) to or removed from the table."""

    def on_time_end(self, time: int) -> None:
        """Called when every update of ``time`` has been passed to ``on_change``."""
        return None

    def on_end(self) -> None:
        """Called once, when the table will not change any more."""
        return None


class ConnectorSubject(ABC):
    """A Python data source (``run()`` pushing rows); not supported by towpath yet."""

    @abstractmethod
    def run(self) -> None:
        """Produces the rows."""


@user_errors
def write(table: Any, observer: ConnectorObserver, *, name: str | None = None,
          sort_by: Any = None) -> None:
    """Passes ``table``'s updates to ``observer`` during ``pw.run()``: ``on_change`` for each
    update, ``on_time_end`` when a time is complete and ``on_end`` at the end.

    >>> import towpath as pw
    >>> class Printer(pw.io.python.ConnectorObserver):
    ...     def on_change(self, key, row, time, is_addition):
    ...         print(row, is_addition)
    >>> pw.io.python.write(pw.debug.table_from_markdown("a\\n1"), Printer())
    """
    if not isinstance(observer, ConnectorObserver):
        raise TypeError(f"observer has to be a pw.io.python.ConnectorObserver, got {observer!r}")
    subscribe(table, on_change=observer.on_change, on_time_end=observer.on_time_end,
              on_end=observer.on_end, name=name, sort_by=sort_by)


@user_errors
def read(subject: Any, *, schema: Any = None, **kwargs: Any) -> Any:
    """Not supported yet: reading from a Python ``ConnectorSubject`` needs an engine push source."""
    raise NotImplementedError("pw.io.python.read is not supported by towpath yet.")


__all__ = ["ConnectorObserver", "ConnectorSubject", "read", "write"]
