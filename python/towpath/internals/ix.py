"""``table.ix(pointer_expr)`` / ``table.ix_ref(*values)``: rows of a table looked up by id.

With a key over a concrete table, ``ix`` returns a table at once (an ``Ix`` node over the key's
table, sharing its universe). With a key over ``pw.this``, it returns a proxy whose columns are
resolved against the table of the context they are used in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from towpath.internals import dtype as dt
from towpath.internals.expression import (
    ColumnExpression,
    ColumnReference,
    Compiled,
    ThisColumn,
    iter_subexpressions,
    wrap,
)

if TYPE_CHECKING:
    from towpath.internals.context import Context
    from towpath.internals.table import Table


def ix_table(target: Table, key: ColumnExpression, source: Table, optional: bool) -> Table:
    """The rows of ``target`` at ids ``key`` (evaluated on ``source``), with ``source``'s ids."""
    from towpath.internals.context import TableContext
    from towpath.internals.plan import Node
    from towpath.internals.table import Table

    ctx = TableContext(source)
    k = ctx.compile(key)
    if k.dtype.strip_optional() not in (dt.POINTER, dt.ANY):
        raise TypeError(f"ix() needs a Pointer key, found {k.dtype!r} in {key!r}.")
    optional = optional or (k.dtype.is_optional() and k.dtype != dt.ANY)
    params = {"input": ctx.node, "key": k.expr, "target": target._node, "optional": optional}
    node = Node("Ix", params, [ctx.node, target._node], list(target._columns))
    columns = {
        n: (dt.Optional(t) if optional else t) for n, t in target._columns.items()
    }
    return Table._from_node(node, columns, source._universe)


def key_source(key: ColumnExpression) -> Table | None:
    """The table a key expression is evaluated on (None if it uses ``pw.this``)."""
    tables = []
    for e in iter_subexpressions(key):
        if isinstance(e, ThisColumn):
            return None
        if isinstance(e, ColumnReference):
            tables.append(e.table)
    return tables[0] if tables else None


class IxProxy:
    """``target.ix(key)`` with a key over ``pw.this``: columns resolved where they are used."""

    def __init__(self, target: Table, key: ColumnExpression, optional: bool) -> None:
        self._target = target
        self._key = key
        self._optional = optional
        self._resolved: dict[int, Table] = {}

    def _resolve(self, source: Table) -> Table:
        if id(source) not in self._resolved:
            self._resolved[id(source)] = ix_table(self._target, self._key, source, self._optional)
        return self._resolved[id(source)]

    def __getattr__(self, name: str) -> ColumnExpression:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> ColumnExpression:
        if name != "id" and name not in self._target._columns:
            from towpath.internals.context import missing_column

            raise missing_column(name, self._target._columns, AttributeError)
        return IxColumn(self, name)


class IxColumn(ColumnExpression):
    """A column of a deferred ``ix``."""

    __slots__ = ("name", "proxy")

    def __init__(self, proxy: IxProxy, name: str) -> None:
        self.proxy = proxy
        self.name = name

    def resolve(self, ctx: Context) -> Table:
        return self.proxy._resolve(ctx.this_table("this"))

    def _compile(self, ctx: Context) -> Compiled:
        return ctx.ref(self.resolve(ctx), self.name)

    def __repr__(self) -> str:
        return f"{self.proxy._target._label()}.ix({self.proxy._key!r}).{self.name}"


def make_ix(target: Table, key: Any, optional: bool) -> Any:
    """``target.ix(key)``: a table when the key's table is known, else a proxy."""
    key = wrap(key)
    source = key_source(key)
    if source is None:
        return IxProxy(target, key, optional)
    return ix_table(target, key, source, optional)
