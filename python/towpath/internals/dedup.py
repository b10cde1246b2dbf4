"""``Table.deduplicate(value=, instance=, acceptor=)``: per instance, the latest row that the
acceptor let through, lowered onto a ``Deduplicate`` plan node (an engine operator).

The first row of an instance is accepted without calling the acceptor; each later row is kept
if ``acceptor(new_value, current_value)`` is true. Rows are taken in time order, and within one
time in order of value (observed in Pathway 0.33: the acceptor sees a time's values sorted);
deleting an input row changes nothing (the result only moves forward).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.context import TableContext
from towpath.internals.expression import wrap
from towpath.internals.trace import trace_str
from towpath.internals.universe import Universe

if TYPE_CHECKING:
    from towpath.internals.table import Table


def deduplicate(table: Table, *, value: Any, instance: Any = None,
                acceptor: Callable[[Any, Any], bool], name: str | None = None) -> Table:
    """One row per instance: the last accepted one (same columns as ``table``).

    >>> import towpath as pw
    >>> t = pw.debug.table_from_markdown('''
    ...   | v | __time__
    ... 1 | 3 | 2
    ... 2 | 1 | 4
    ... 3 | 7 | 6
    ... ''')
    >>> best = t.deduplicate(value=pw.this.v, acceptor=lambda new, old: new > old)
    >>> pw.debug.compute_and_print_update_stream(best, include_id=False)
    v | __time__ | __diff__
    3 | 2        | 1
    3 | 6        | -1
    7 | 6        | 1
    """
    from towpath.internals.table import Table
    from towpath.internals.udfs import batch_function

    del name  # Pathway names the operator's persisted state; towpath does not persist it yet
    if not callable(acceptor):
        raise TypeError(f"deduplicate(acceptor=...) has to be a callable, found {acceptor!r}.")
    ctx = TableContext(table)
    v = ctx.compile(wrap(value))
    inst = ctx.compile(wrap(instance)) if instance is not None else None

    def accepts(new: Any, old: Any) -> bool:
        return bool(acceptor(new, old))

    batch = batch_function(accepts, [None, None], dt.BOOL, trace_str())
    ref = plan.UdfRef(batch, getattr(acceptor, "__name__", "acceptor"))
    source = ctx.node  # read after compiling (hoisted columns)
    params = {"input": source, "value": v.expr, "instance": inst.expr if inst else None,
              "acceptor": plan.udf(ref, [plan.col(0), plan.col(1)], False)}
    node = plan.Node("Deduplicate", params, [source], source.columns)
    width = len(table._columns)
    if len(source.columns) != width:  # drop columns hoisted for the value or instance
        node = plan.select(node, [plan.col(i) for i in range(width)], list(table._columns))
    return Table._from_node(node, dict(table._columns), Universe())
