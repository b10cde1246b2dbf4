"""Joins: ``t1.join(t2, t1.a == t2.b, ...)`` and what can follow (select, filter, groupby,
reduce).

The Join node's output layout is: left block, right block, left id, right id. A side's block
is its table's columns, plus columns of same-universe tables the join keys read (id-joined in
front of that side).
"""

from __future__ import annotations

import enum
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


class _SideContext(TableContext):
    """One side of a join condition: ``pw.left``/``pw.right`` mean this side's table."""

    def __init__(self, table: Any, side: str) -> None:
        super().__init__(table)
        self.side = side

    def this_ref(self, kind: str, name: str) -> Compiled:
        if kind not in (self.side, "this"):
            raise ValueError("The boolean condition is not properly ordered.")
        return super().this_ref("this", name)

    def ref(self, table: Any, name: str) -> Compiled:
        if table is not self.table and not table._universe.same(self.table._universe):
            raise ValueError("The boolean condition is not properly ordered.")
        return super().ref(table, name)


class JoinContext(Context):
    """Columns of both sides of a join (and the join's own id)."""

    def __init__(self, jr: JoinResult) -> None:
        self.jr = jr
        self.node = jr._node

    def _side(self, table: Any, name: str, side: str) -> Compiled:
        jr = self.jr
        nullable = jr._kind in (("Right", "Outer") if side == "left" else ("Left", "Outer"))
        if name == "id":
            pos = jr._lw + jr._rw + (0 if side == "left" else 1)
            return Compiled(plan.col(pos), dt.Optional(dt.POINTER) if nullable else dt.POINTER)
        if name not in table._columns:
            raise missing_column(name, table._columns)
        pos = table._position(name) + (0 if side == "left" else jr._lw)
        t = table._columns[name]
        return Compiled(plan.col(pos), dt.Optional(t) if nullable else t)

    def ref(self, table: Any, name: str) -> Compiled:
        if table is self.jr._left:
            return self._side(table, name, "left")
        if table is self.jr._right:
            return self._side(table, name, "right")
        raise ValueError(
            f"You cannot use {table._label()}.{name} in this context: the join is between "
            f"{self.jr._left._label()} and {self.jr._right._label()}."
        )

    def this_ref(self, kind: str, name: str) -> Compiled:
        jr = self.jr
        if kind == "left":
            return self._side(jr._left, name, "left")
        if kind == "right":
            return self._side(jr._right, name, "right")
        if name == "id":
            return Compiled(plan.ID, dt.POINTER)
        in_left, in_right = name in jr._left._columns, name in jr._right._columns
        if in_left and in_right:
            if name not in jr._shared:
                raise KeyError(
                    f"Column {name} appears on both left and right inputs of join. "
                    f"Use pw.left.{name} or pw.right.{name}."
                )
            left = self._side(jr._left, name, "left")
            right = self._side(jr._right, name, "right")
            if jr._kind == "Right":
                return right
            if jr._kind == "Outer":
                t = dt.unify(left.dtype, right.dtype) or dt.ANY
                return Compiled(plan.coalesce([left.expr, right.expr]), t)
            return left
        if in_left:
            return self._side(jr._left, name, "left")
        if in_right:
            return self._side(jr._right, name, "right")
        raise missing_column(name, [*jr._left._columns, *jr._right._columns])

    def this_table(self, kind: str) -> Any:
        raise ValueError("pw.this.ix is not supported inside join results; ix the side tables.")

    def all_columns(self, arg: AllColumns) -> dict[str, ColumnExpression]:
        jr = self.jr
        out: dict[str, ColumnExpression] = {}
        sides = {"left": [jr._left], "right": [jr._right], "this": [jr._left, jr._right]}
        for table in sides[arg.kind]:
            for n in table._columns:
                if n in arg.exclude or n in out:
                    continue
                kind = arg.kind if arg.kind != "this" else (
                    "this" if n in jr._shared or not _both(jr, n) else
                    ("left" if table is jr._left else "right")
                )
                out[n] = ThisColumn(kind, n)
        return out


def _both(jr: JoinResult, name: str) -> bool:
    return name in jr._left._columns and name in jr._right._columns


class JoinResult:
    """A join, before ``select``: supports ``select``, ``filter``, ``groupby``, ``reduce``."""

    def __init__(self, left: Any, right: Any, node: plan.Node, kind: str, lw: int, rw: int,
                 shared: set[str], universe: Universe) -> None:
        self._left, self._right, self._node, self._kind = left, right, node, kind
        self._lw, self._rw, self._shared, self._universe = lw, rw, shared, universe

    @user_errors
    def select(self, *args: Any, **kwargs: Any) -> Any:
        """The joined rows, one column per argument."""
        from towpath.internals.table import Table, named_expressions

        ctx = JoinContext(self)
        exprs = named_expressions(args, kwargs, ctx.all_columns)
        compiled = {n: ctx.compile(e) for n, e in exprs.items()}
        params = {"input": self._node, "exprs": [c.expr for c in compiled.values()]}
        node = plan.Node("Select", params, [self._node], list(compiled))
        return Table._from_node(node, {n: c.dtype for n, c in compiled.items()}, self._universe)

    @user_errors
    def filter(self, filter_expression: Any) -> JoinResult:
        """Joined rows where the expression is true."""
        pred = JoinContext(self).compile(wrap(filter_expression))
        if pred.dtype not in (dt.BOOL, dt.ANY):
            raise TypeError(
                f"Filter argument of JoinResult.filter() has to be bool, found {pred.dtype!r}."
            )
        node = plan.Node("Filter", {"input": self._node, "predicate": pred.expr}, [self._node],
                         self._node.columns)
        return JoinResult(self._left, self._right, node, self._kind, self._lw, self._rw,
                          self._shared, Universe(subset_of=self._universe))

    @user_errors
    def groupby(self, *args: Any, id: Any = None, **kwargs: Any) -> Any:
        """Groups joined rows; follow with ``.reduce(...)``."""
        from towpath.internals.groupby import GroupedTable

        return GroupedTable(lambda: JoinContext(self), list(args), id, None)  # type: ignore

    @user_errors
    def reduce(self, *args: Any, **kwargs: Any) -> Any:
        """One row aggregating all joined rows."""
        return self.groupby().reduce(*args, **kwargs)


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


@user_errors
def join(left: Any, right: Any, *on: Any, id: Any = None, how: Any = JoinMode.INNER,
         **kwargs: Any) -> JoinResult:
    """``left.join(right, *conditions)`` / ``pw.join(left, right, *conditions)``."""
    kind = _KINDS[how] if isinstance(how, JoinMode) else str(how).capitalize()
    lctx, rctx = _SideContext(left, "left"), _SideContext(right, "right")
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
        ln, rn = getattr(cond.left, "name", None), getattr(cond.right, "name", None)
        if ln is not None and ln == rn:
            shared.add(ln)
    id_mode = _id_mode(id, left, right)
    lnode, rnode = lctx.node, rctx.node
    columns = lnode.columns + rnode.columns + ["_left_id", "_right_id"]
    params = {"left": lnode, "right": rnode, "left_keys": lkeys, "right_keys": rkeys,
              "kind": kind, "id": id_mode}
    node = plan.Node("Join", params, [lnode, rnode], columns)
    universe = Universe()
    if id_mode == "Left":
        if kind in ("Left", "Outer"):
            universe = left._universe if kind == "Left" else universe
        else:
            universe = Universe(subset_of=left._universe)
    elif id_mode == "Right":
        if kind == "Right":
            universe = right._universe
        elif kind == "Inner":
            universe = Universe(subset_of=right._universe)
    return JoinResult(left, right, node, kind, lctx.width, rctx.width, shared, universe)
