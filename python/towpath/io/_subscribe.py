"""``pw.io.subscribe``: Python callbacks on a table's updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from towpath.internals import plan
from towpath.internals.run import output_node, register_output
from towpath.internals.trace import user_errors
from towpath.internals.values import ERROR


class _Subscriber:
    """Adapts the engine's callback protocol to Pathway's ``on_change``/``on_time_end``/``on_end``."""

    def __init__(self, columns: list[str], on_change: Callable | None,
                 on_time_end: Callable | None, on_end: Callable | None) -> None:
        self.columns = columns
        self.on_change = on_change
        self.on_time_end_cb = on_time_end
        self.on_end_cb = on_end

    def on_updates(self, time: int, updates: list) -> None:
        if self.on_change is None:
            return
        # The engine delivers retractions first, so an update reads as "old out, new in".
        for key, row, diff in updates:
            if any(v is ERROR for v in row):
                continue  # as Pathway: rows with errors reach the error log, not the outputs
            values = dict(zip(self.columns, row, strict=False))
            for _ in range(abs(diff)):
                self.on_change(key=key, row=values, time=time, is_addition=diff > 0)

    def on_time_end(self, time: int) -> None:
        if self.on_time_end_cb is not None:
            self.on_time_end_cb(time)

    def on_end(self) -> None:
        if self.on_end_cb is not None:
            self.on_end_cb()


@user_errors
def subscribe(table: Any, on_change: Callable | None = None, on_end: Callable | None = None,
              on_time_end: Callable | None = None, *, name: str | None = None,
              sort_by: Any = None) -> None:
    """Calls ``on_change(key, row, time, is_addition)`` for every update of ``table`` during
    ``pw.run()``, ``on_time_end(time)`` when a time is complete and ``on_end()`` at the end.
    As in Pathway, ``on_time_end`` is called only for times at which the table had updates: a
    commit whose rows never reach ``table`` (all filtered out, say) gets none.

    >>> import towpath as pw
    >>> t = pw.debug.table_from_markdown("a\\n1")
    >>> pw.io.subscribe(t, lambda key, row, time, is_addition: print(row, is_addition))
    """
    sub = _Subscriber(list(table._columns), on_change, on_time_end, on_end)
    register_output(output_node(table, {"Callback": {"index": plan.CallbackRef(sub)}}))
