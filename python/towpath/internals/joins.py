"""Joins: ``t1.join(t2, t1.a == t2.b, ...)`` and what can follow (select, filter, groupby,
reduce, and another join).

The Join node's output layout is: left block, right block, left id, right id. A side is a table
(its block: its columns, plus columns of same-universe tables the join keys read, id-joined in
front of it) or an earlier join result (its block: that join's whole output). Each side has a
context resolving references over its own block; the join's context shifts those to the
combined layout.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.context import Context, TableContext, missing_column
from towpath.internals.expression import (
    AllColumns,
    BinaryExpression,
    ColumnExpression,
    ColumnReference,
    Compiled,
    ThisColumn,
    wrap,
)
from towpath.internals.trace import user_errors
from towpath.internals.universe import Universe


class JoinMode(enum.Enum):
    """``how=`` of ``Table.join``."""

    INNER = 0
    LEFT = 1
    RIGHT = 2
    OUTER = 3


_KINDS = {JoinMode.INNER: "Inner", JoinMode.LEFT: "Left", JoinMode.RIGHT: "Right",
          JoinMode.OUTER: "Outer"}


def _remap(expr: Any, offset: int, id_expr: Any) -> Any:
    """An expression over a side's block, moved into the join's layout."""
    if expr == plan.ID:
        return id_expr
    if isinstance(expr, dict):
        if set(expr) == {"Column"}:
            return plan.col(expr["Column"] + offset)
        if "Const" in expr:
            return expr
        return {k: _remap(v, offset, id_expr) for k, v in expr.items()}
    if isinstance(expr, list):
        return [_remap(v, offset, id_expr) for v in expr]
    return expr


class _TableSide(TableContext):
    """A table as a join side: ``pw.left``/``pw.right`` (and ``pw.this``) mean this table."""

    def __init__(self, table: Any, side: str) -> None:
        super().__init__(table)
        self.side = side
        self.frozen = False  # set once the Join node is built: the block cannot grow after

    def owns(self, table: Any) -> bool:
        return id(table) in self.offsets

    def names(self) -> list[str]:
        return list(self.table._columns)

    def this_ref(self, kind: str, name: str) -> Compiled:
        if kind not in (self.side, "this"):
            raise ValueError("The boolean condition is not properly ordered.")
        return super().this_ref("this", name)

    def ref(self, table: Any, name: str) -> Compiled:
        if table is not self.table and not table._universe.same(self.table._universe):
            raise ValueError("The boolean condition is not properly ordered.")
        if self.frozen and id(table) not in self.offsets:
            raise ValueError(
                f"You cannot use {table._label()}.{name} in this join result: only the joined "
                "tables (and tables used in the join conditions) can be read."
            )
        return super().ref(table, name)


class _JoinSide(Context):
    """An earlier join result as a join side."""

    def __init__(self, jr: JoinResult, side: str) -> None:
        self.inner = JoinContext(jr)
        self.side = side
        self.node = jr._node
        self.width = jr._lw + jr._rw + 2
        self.frozen = True

    def owns(self, table: Any) -> bool:
        return self.inner.owns(table)

    def names(self) -> list[str]:
        return list(self.inner.all_columns(AllColumns("this")))

    def ref(self, table: Any, name: str) -> Compiled:
        if not self.owns(table):
            raise ValueError("The boolean condition is not properly ordered.")
        return self.inner.ref(table, name)

    def this_ref(self, kind: str, name: str) -> Compiled:
        if kind not in (self.side, "this"):
            raise ValueError("The boolean condition is not properly ordered.")
        return self.inner.this_ref("this", name)


def _side(obj: Any, side: str) -> Any:
    return _JoinSide(obj, side) if isinstance(obj, JoinResult) else _TableSide(obj, side)


class JoinContext(Context):
    """Columns of both sides of a join (and the join's own id)."""

    def __init__(self, jr: JoinResult) -> None:
        self.jr = jr
        self.node = jr._node
        self.width = jr._lw + jr._rw + 2
        self.memoize = True

    def hoist(self, compiled: Compiled) -> Compiled:
        self.node = plan.with_column(self.node, self.width, compiled.expr)
        self.width += 1
        return Compiled(plan.col(self.width - 1), compiled.dtype)

    def owns(self, table: Any) -> bool:
        return self.jr._lctx.owns(table) or self.jr._rctx.owns(table)

    def _nullable(self, side: str) -> bool:
        kinds = ("Right", "Outer") if side == "left" else ("Left", "Outer")
        return self.jr._kind in kinds

    def _from_side(self, side: str, get: Callable[[Any], Compiled]) -> Compiled:
        jr = self.jr
        ctx = jr._lctx if side == "left" else jr._rctx
        offset = 0 if side == "left" else jr._lw
        id_expr = plan.col(jr._lw + jr._rw + (0 if side == "left" else 1))
        c = get(ctx)
        t = dt.Optional(c.dtype) if self._nullable(side) else c.dtype
        return Compiled(_remap(c.expr, offset, id_expr), t)

    def ref(self, table: Any, name: str) -> Compiled:
        for side, ctx in (("left", self.jr._lctx), ("right", self.jr._rctx)):
            if ctx.owns(table):
                return self._from_side(side, lambda c: c.ref(table, name))
        raise ValueError(
            f"You cannot use {table._label()}.{name} in this context: the table is not a side "
            "of this join."
        )

    def this_ref(self, kind: str, name: str) -> Compiled:
        jr = self.jr
        if kind in ("left", "right"):
            return self._from_side(kind, lambda c: c.this_ref("this", name))
        if name == "id":
            return Compiled(plan.ID, dt.POINTER)
        in_left, in_right = name in jr._lctx.names(), name in jr._rctx.names()
        if in_left and in_right:
            if name not in jr._shared:
                raise KeyError(f"Column {name} appears on both left and right inputs of join.")
            left = self.this_ref("left", name)
            right = self.this_ref("right", name)
            if jr._kind == "Right":
                return right
            if jr._kind == "Outer":
                t = dt.unify(left.dtype, right.dtype) or dt.ANY
                return Compiled(plan.coalesce([left.expr, right.expr]), t)
            return left
        if in_left:
            return self.this_ref("left", name)
        if in_right:
            return self.this_ref("right", name)
        raise missing_column(name, [*jr._lctx.names(), *jr._rctx.names()])

    def this_table(self, kind: str) -> Any:
        raise ValueError("pw.this.ix is not supported inside join results; ix the side tables.")

    def all_columns(self, arg: AllColumns) -> dict[str, ColumnExpression]:
        jr = self.jr
        out: dict[str, ColumnExpression] = {}
        sides = {"left": ["left"], "right": ["right"], "this": ["left", "right"]}
        for side in sides[arg.kind]:
            ctx = jr._lctx if side == "left" else jr._rctx
            for n in ctx.names():
                if n in arg.exclude or n in out:
                    continue
                both = n in jr._lctx.names() and n in jr._rctx.names()
                kind = "this" if arg.kind == "this" and (n in jr._shared or not both) else side
                out[n] = ThisColumn(kind, n)
        return out


class JoinResult:
    """A join, before ``select``: supports ``select``, ``filter``, ``groupby``, ``reduce`` and
    ``join``."""

    def __init__(self, lctx: Any, rctx: Any, node: plan.Node, kind: str, shared: set[str],
                 universe: Universe) -> None:
        self._lctx, self._rctx, self._node, self._kind = lctx, rctx, node, kind
        self._lw, self._rw = lctx.width, rctx.width
        self._shared, self._universe = shared, universe

    @user_errors
    def select(self, *args: Any, **kwargs: Any) -> Any:
        """The joined rows, one column per argument."""
        from towpath.internals.table import Table, named_expressions

        ctx = JoinContext(self)
        ctx.memoize = False  # the Select below remembers non-deterministic UDF results
        exprs = named_expressions(args, kwargs, ctx.all_columns)
        compiled = {n: ctx.compile(e) for n, e in exprs.items()}
        params = {"input": self._node, "exprs": [c.expr for c in compiled.values()]}
        node = plan.Node("Select", params, [self._node], list(compiled))
        return Table._from_node(node, {n: c.dtype for n, c in compiled.items()}, self._universe)

    @user_errors
    def filter(self, filter_expression: Any) -> JoinResult:
        """Joined rows where the expression is true."""
        ctx = JoinContext(self)
        pred = ctx.compile(wrap(filter_expression))
        if pred.dtype not in (dt.BOOL, dt.ANY):
            raise TypeError(
                f"Filter argument of JoinResult.filter() has to be bool, found {pred.dtype!r}."
            )
        node = plan.Node("Filter", {"input": ctx.node, "predicate": pred.expr}, [ctx.node],
                         ctx.node.columns)
        if ctx.node is not self._node:  # drop the memoized predicate column
            width = len(self._node.columns)
            node = plan.Node("Select", {"input": node, "exprs": [plan.col(i) for i in range(width)]},
                             [node], self._node.columns)
        return JoinResult(self._lctx, self._rctx, node, self._kind, self._shared,
                          Universe(subset_of=self._universe))

    @user_errors
    def groupby(self, *args: Any, id: Any = None, sort_by: Any = None, **kwargs: Any) -> Any:
        """Groups joined rows; follow with ``.reduce(...)``."""
        from towpath.internals.groupby import GroupedTable

        return GroupedTable(lambda: JoinContext(self), list(args), id, None, sort_by)

    @user_errors
    def reduce(self, *args: Any, **kwargs: Any) -> Any:
        """One row aggregating all joined rows."""
        return self.groupby().reduce(*args, **kwargs)

    def join(self, other: Any, *on: Any, id: Any = None, how: Any = None, **kwargs: Any) -> Any:
        """Joins this join's rows with another table (``pw.left`` is this join)."""
        return join(self, other, *on, id=id, how=how or JoinMode.INNER)

    def join_inner(self, other: Any, *on: Any, id: Any = None, **kwargs: Any) -> Any:
        return join(self, other, *on, id=id, how=JoinMode.INNER)

    def join_left(self, other: Any, *on: Any, id: Any = None, **kwargs: Any) -> Any:
        return join(self, other, *on, id=id, how=JoinMode.LEFT)

    def join_right(self, other: Any, *on: Any, id: Any = None, **kwargs: Any) -> Any:
        return join(self, other, *on, id=id, how=JoinMode.RIGHT)

    def join_outer(self, other: Any, *on: Any, id: Any = None, **kwargs: Any) -> Any:
        return join(self, other, *on, id=id, how=JoinMode.OUTER)


def join_inner(left: Any, right: Any, *on: Any, id: Any = None, **kwargs: Any) -> JoinResult:
    """``pw.join_inner(left, right, *conditions)``."""
    return join(left, right, *on, id=id, how=JoinMode.INNER)


def join_left(left: Any, right: Any, *on: Any, id: Any = None, **kwargs: Any) -> JoinResult:
    """``pw.join_left(left, right, *conditions)``."""
    return join(left, right, *on, id=id, how=JoinMode.LEFT)


def join_right(left: Any, right: Any, *on: Any, id: Any = None, **kwargs: Any) -> JoinResult:
    """``pw.join_right(left, right, *conditions)``."""
    return join(left, right, *on, id=id, how=JoinMode.RIGHT)


def join_outer(left: Any, right: Any, *on: Any, id: Any = None, **kwargs: Any) -> JoinResult:
    """``pw.join_outer(left, right, *conditions)``."""
    return join(left, right, *on, id=id, how=JoinMode.OUTER)


def _id_mode(id: Any, left: Any, right: Any) -> str:
    if id is None:
        return "Hash"
    if isinstance(id, ColumnReference) and id.name == "id":
        if id.table is left:
            return "Left"
        if id.table is right:
            return "Right"
    if isinstance(id, ThisColumn) and id.name == "id" and id.kind in ("left", "right"):
        return id.kind.capitalize()
    raise ValueError("join(id=...) has to be the id of the left or the right table.")


def _universe(id_mode: str, kind: str, left: Any, right: Any) -> Universe:
    if id_mode == "Left" and isinstance(left, JoinResult) is False:
        if kind == "Left":
            return left._universe
        if kind == "Inner":
            return Universe(subset_of=left._universe)
    if id_mode == "Right" and isinstance(right, JoinResult) is False:
        if kind == "Right":
            return right._universe
        if kind == "Inner":
            return Universe(subset_of=right._universe)
    return Universe()


def join_keys(lctx: Any, rctx: Any, on: tuple) -> tuple[list, list, set[str]]:
    """The key expressions of ``left.col == right.col`` conditions over each side's block, and
    the column names both sides share through a condition."""
    lkeys, rkeys, shared = [], [], set()
    for cond in on:
        refs = (ColumnReference, ThisColumn)
        if not (isinstance(cond, BinaryExpression) and cond.op == "eq"
                and isinstance(cond.left, refs) and isinstance(cond.right, refs)):
            raise ValueError(
                "join condition should be of form <left_table>.<column> == "
                f"<right_table>.<column>, found {cond!r}"
            )
        lk, rk = lctx.compile(cond.left), rctx.compile(cond.right)
        if not dt.comparable(lk.dtype, rk.dtype):
            raise TypeError(
                "Incompatible types in a join condition.\n"
                f"The types are: {lk.dtype!r} for {cond.left!r} and {rk.dtype!r} for {cond.right!r}."
            )
        if lk.dtype.is_optional() or rk.dtype.is_optional():
            # The engine never matches None keys; Pathway does. (None,) == (None,) matches.
            lkeys.append(plan.make_tuple([lk.expr]))
            rkeys.append(plan.make_tuple([rk.expr]))
        else:
            lkeys.append(lk.expr)
            rkeys.append(rk.expr)
        if cond.left.name == cond.right.name:
            shared.add(cond.left.name)
    return lkeys, rkeys, shared


@user_errors
def join(left: Any, right: Any, *on: Any, id: Any = None, how: Any = JoinMode.INNER,
         **kwargs: Any) -> JoinResult:
    """``left.join(right, *conditions)`` / ``pw.join(left, right, *conditions)``."""
    kind = _KINDS[how] if isinstance(how, JoinMode) else str(how).capitalize()
    lctx, rctx = _side(left, "left"), _side(right, "right")
    lkeys, rkeys, shared = join_keys(lctx, rctx, on)
    id_mode = _id_mode(id, left, right)
    lnode, rnode = lctx.node, rctx.node
    columns = lnode.columns + rnode.columns + ["_left_id", "_right_id"]
    params = {"left": lnode, "right": rnode, "left_keys": lkeys, "right_keys": rkeys,
              "kind": kind, "id": id_mode}
    node = plan.Node("Join", params, [lnode, rnode], columns)
    for ctx in (lctx, rctx):
        ctx.frozen = True
    return JoinResult(lctx, rctx, node, kind, shared, _universe(id_mode, kind, left, right))
