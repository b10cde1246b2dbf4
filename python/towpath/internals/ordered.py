"""Ordered operators: ``Table.sort`` (a ``Sort`` plan node) and ``Table.diff`` (built on it).

``sort`` links each row to its neighbours in key order within its instance; ties in the key are
ordered by row id, None keys come first and error keys last. ``diff`` subtracts, for each row,
the values of the row before it in that order (found with ``ix`` on the ``prev`` pointer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.context import TableContext
from towpath.internals.expression import ColumnReference, ThisColumn, wrap
from towpath.internals.expressions import require, unwrap

if TYPE_CHECKING:
    from towpath.internals.table import Table


def sort(table: Table, key: Any, instance: Any = None) -> Table:
    """Columns ``prev`` and ``next``: the ids of each row's neighbours in ``key`` order.

    >>> import towpath as pw
    >>> t = pw.debug.table_from_markdown("k | v\\n3 | c\\n1 | a\\n2 | b")
    >>> s = t.sort(key=pw.this.k)
    >>> pw.debug.compute_and_print(
    ...     t.select(pw.this.v, before=t.ix(s.prev, optional=True).v), include_id=False)
    v | before
    a |
    b | a
    c | b
    """
    from towpath.internals.table import Table

    ctx = TableContext(table)
    k = ctx.compile(wrap(key))
    inst = ctx.compile(wrap(instance)) if instance is not None else None
    params = {"input": ctx.node, "key": k.expr, "instance": inst.expr if inst else None}
    node = plan.Node("Sort", params, [ctx.node], ["prev", "next"])
    pointer = dt.Optional(dt.POINTER)
    return Table._from_node(node, {"prev": pointer, "next": pointer}, table._universe)


def diff(table: Table, timestamp: Any, *values: Any, instance: Any = None) -> Table:
    """Columns ``diff_<name>``: each row's value minus the previous row's (by ``timestamp``,
    within ``instance``); None for the first row of an instance and where the row's value is
    None; an error where the previous row's value is None.

    >>> import towpath as pw
    >>> t = pw.debug.table_from_markdown("t | v\\n1 | 10\\n2 | 13\\n3 | 11")
    >>> pw.debug.compute_and_print(t.diff(pw.this.t, pw.this.v), include_id=False)
    diff_v
    None
    -2
    3
    """
    targets: dict[str, ColumnReference] = {}
    for value in values:
        if isinstance(value, ThisColumn):
            value = table[value.name]
        if not isinstance(value, ColumnReference) or value.name == "id":
            raise TypeError(
                f"Table.diff() takes column references as values, found {value!r}."
            )
        targets[value.name] = value
    order = sort(table, timestamp, instance)
    exprs = {}
    for name, value in targets.items():
        before = value.table.ix(order.prev, optional=True)[name]
        # Lazy: the subtraction runs only where there is a previous row and a current value.
        exprs[f"diff_{name}"] = require(unwrap(value) - unwrap(before), order.prev, value)
    return table.select(**exprs)
