"""``pw.io.python``: Python code as a live source (``ConnectorSubject`` + ``read``) and as an
observer of a table's updates (``ConnectorObserver`` + ``write``).

A subject's ``run()`` executes on its own thread during ``pw.run()`` and pushes rows into an
engine queue; the engine commits them every ``autocommit_duration_ms`` and at each
``commit()``. With a primary key in the schema, a row replaces the row with the same key and
``delete`` removes it; without, every row is new and ``delete`` removes one equal row.
"""

from __future__ import annotations

import json
import threading
import time
from abc import ABC, abstractmethod
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.schema import is_schema, schema_from_dtypes
from towpath.internals.static import coerce
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


class _Column:
    __slots__ = ("default", "dtype", "name")

    def __init__(self, name: str, dtype: dt.DType, default: Any) -> None:
        self.name, self.dtype, self.default = name, dtype, default


_MISSING = object()


class ConnectorSubject(ABC):
    """A live source written in Python: subclass it, push rows from ``run()`` with ``next``
    (or ``next_json``, ``next_str``, ``next_bytes``), remove them with ``delete``, group them
    with ``commit``, and pass an instance to ``pw.io.python.read``.

    ``run()`` executes on its own thread while the program runs; when it returns, the source is
    finished. An exception raised in ``run()`` stops the run once the committed rows are
    processed, and ``pw.run()`` raises that exception.
    """

    def __init__(self, datasource_name: str = "python", *, session_type: str = "native") -> None:
        # Rows with a primary key are upserted whatever the session type (Pathway's 'upsert');
        # the argument is accepted for compatibility.
        if session_type not in ("native", "upsert"):
            raise ValueError(f"session_type has to be 'native' or 'upsert', got {session_type!r}")
        self._datasource_name = datasource_name
        self._session_type = session_type
        self._queue: Any = None
        self._columns: list[_Column] = []
        self._format = "json"
        self._exception: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._read = False
        self._max_backlog: int | None = None

    @abstractmethod
    def run(self) -> None:
        """Produces the rows (runs on the subject's own thread)."""

    def on_stop(self) -> None:
        """Called once when the run that read this subject ends."""
        return None

    # --- pushing rows -------------------------------------------------------------------------

    def next(self, **kwargs: Any) -> None:
        """Adds a row given by column name (an upsert when the schema has a primary key)."""
        self._push(kwargs, delete=False)

    def delete(self, **kwargs: Any) -> None:
        """Removes a row given by column name (with a primary key, the row with that key)."""
        self._push(kwargs, delete=True)

    def next_json(self, message: dict) -> None:
        """Adds a row given as a dict of column values."""
        self._push(message, delete=False)

    def next_str(self, message: str) -> None:
        """Adds a row given as text: the ``data`` column for ``format='raw'`` or ``'binary'``,
        else a JSON object of column values."""
        self._push_text(message if isinstance(message, bytes) else str(message).encode("utf-8"))

    def next_bytes(self, message: bytes) -> None:
        """Adds a row given as bytes (see ``next_str``)."""
        self._push_text(bytes(message))

    def commit(self) -> None:
        """Makes the rows pushed so far visible together, as one commit."""
        self._active().commit()

    def close(self) -> None:
        """Ends the source (also done when ``run()`` returns)."""
        if not self._closed:
            self._closed = True
            self._active().close()

    @property
    def _deletions_enabled(self) -> bool:
        return True

    @property
    def _with_metadata(self) -> bool:
        return False

    # --- internals ----------------------------------------------------------------------------

    def _active(self) -> Any:
        if self._queue is None:
            raise RuntimeError(
                f"{type(self).__name__} is not running: rows can be pushed only from run(), "
                "during pw.run()"
            )
        return self._queue

    def _push_text(self, raw: bytes) -> None:
        if self._format == "raw":
            self._push({"data": raw.decode("utf-8")}, delete=False)
        elif self._format == "binary":
            self._push({"data": raw}, delete=False)
        else:
            self._push(json.loads(raw.decode("utf-8")), delete=False)

    def _push(self, values: dict, *, delete: bool) -> None:
        queue = self._active()
        if self._closed:
            raise RuntimeError(f"{type(self).__name__} is closed: no more rows can be pushed")
        row = []
        for column in self._columns:
            value = values.get(column.name, _MISSING)
            if value is _MISSING:
                if column.default is _MISSING:
                    queue.invalid(f'no value for "{column.name}" field and no default specified')
                    return
                value = column.default
            checked = _check(value, column)
            if isinstance(checked, str):
                queue.invalid(checked)
                return
            row.append(checked[0])
        if self._max_backlog is not None:
            # Backpressure: wait for the engine rather than buffer without bound.
            while len(queue) >= self._max_backlog:
                time.sleep(0.001)
        (queue.delete if delete else queue.upsert)(tuple(row))

    def _configure(self, columns: list[_Column], fmt: str, max_backlog: int | None) -> None:
        if self._read:
            raise ValueError(f"{type(self).__name__} instance is already read by pw.io.python.read")
        self._read = True
        self._columns = columns
        self._format = fmt
        self._max_backlog = max_backlog

    def _start(self, queue: Any) -> Any:
        """Called by ``pw.run``: runs ``run()`` on a new thread pushing into ``queue``."""
        self._queue, self._exception, self._closed = queue, None, False
        self._thread = threading.Thread(target=self._main, name=f"towpath-{self._datasource_name}", daemon=True)
        self._thread.start()
        return queue

    def _main(self) -> None:
        try:
            self.run()
        except BaseException as exc:  # passed on to pw.run's caller
            self._exception = exc
            self._closed = True
            self._queue.fail(f"{type(exc).__name__}: {exc}")
        else:
            self.close()

    def _stopped(self) -> None:
        self.on_stop()


def _check(value: Any, column: _Column) -> tuple[Any] | str:
    """``(value,)`` adjusted to the column's type, or the message of a value that does not fit."""
    t = column.dtype
    inner = t.strip_optional()
    ok = True
    if value is None:
        ok = t.is_optional() or inner == dt.ANY
    elif inner == dt.INT:
        ok = isinstance(value, int)
        value = int(value) if ok else value
    elif inner == dt.FLOAT:
        ok = isinstance(value, (int, float))
    elif inner == dt.BOOL:
        ok = isinstance(value, bool)
    elif inner == dt.STR:
        ok = isinstance(value, str)
    elif inner == dt.BYTES:
        ok = isinstance(value, (bytes, bytearray))
    if not ok:
        return f'cannot create a field "{column.name}" with type {_type_name(inner)} from value {value}'
    try:
        return (coerce(value, t),)
    except (TypeError, ValueError) as exc:
        return f'cannot create a field "{column.name}" with type {_type_name(inner)} from value {value}: {exc}'


def _type_name(t: dt.DType) -> str:
    return getattr(t.typehint, "__name__", repr(t))


@user_errors
def read(
    subject: ConnectorSubject, *, schema: Any = None, format: str | None = None,
    autocommit_duration_ms: int | None = 1500, debug_data: Any = None, name: str | None = None,
    max_backlog_size: int | None = None, **kwargs: Any,
) -> Any:
    """A live table of the rows ``subject`` pushes while the program runs.

    ``format`` is ``'json'`` (the default: rows by column name, needs ``schema``), ``'raw'``
    (one ``data: str`` column) or ``'binary'`` (one ``data: bytes`` column). Rows are committed
    every ``autocommit_duration_ms`` milliseconds (``None``: only at ``subject.commit()`` and at
    the end) and at every ``commit()``.

    >>> import towpath as pw
    >>> class Numbers(pw.io.python.ConnectorSubject):
    ...     def run(self):
    ...         for i in range(3):
    ...             self.next(n=i)
    >>> class S(pw.Schema):
    ...     n: int
    >>> t = pw.io.python.read(Numbers(), schema=S)
    >>> pw.debug.compute_and_print(t.reduce(total=pw.reducers.sum(pw.this.n)), include_id=False)
    total
    3
    """
    from towpath.internals.table import Table

    if not isinstance(subject, ConnectorSubject):
        raise TypeError(f"subject has to be a pw.io.python.ConnectorSubject, got {subject!r}")
    fmt = "json" if format is None else format
    if fmt not in ("json", "raw", "binary"):
        raise ValueError(f"format has to be 'json', 'raw' or 'binary', got {format!r}")
    if schema is None:
        if fmt == "json":
            raise ValueError("Schema must be specified.")
        schema = schema_from_dtypes({"data": dt.STR if fmt == "raw" else dt.BYTES})
    if not is_schema(schema):
        raise TypeError(f"schema has to be a pw.Schema class, got {schema!r}")
    if autocommit_duration_ms is not None and (
        isinstance(autocommit_duration_ms, bool) or not isinstance(autocommit_duration_ms, int)
        or autocommit_duration_ms < 1
    ):
        raise ValueError(f"autocommit_duration_ms has to be a positive int or None, got {autocommit_duration_ms!r}")
    columns = [
        _Column(c.name, c.dtype, c.default_value if c.has_default_value() else _MISSING)
        for c in schema.columns().values()
    ]
    if max_backlog_size is not None and (not isinstance(max_backlog_size, int) or max_backlog_size < 1):
        raise ValueError(f"max_backlog_size has to be a positive int or None, got {max_backlog_size!r}")
    subject._configure(columns, fmt, max_backlog_size)
    spec = {
        "source": plan.SourceRef(subject),
        "schema": schema.to_plan(),
        "autocommit_duration_ms": autocommit_duration_ms,
        "name": name or type(subject).__name__,
    }
    dtypes = dict(schema._dtypes())
    node = plan.Node("Push", spec, [], list(dtypes))
    table = Table._from_node(node, dtypes)
    table._pk = schema.primary_key_columns()
    return table


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


__all__ = ["ConnectorObserver", "ConnectorSubject", "read", "write"]
