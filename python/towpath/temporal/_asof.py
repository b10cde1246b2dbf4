"""``Table.asof_join`` (and ``asof_join_left/right/outer``): each row paired with the nearest
row of the other table by time, within equal ``on`` keys.

Lowered onto one ``AsofJoin`` plan node (an incremental engine operator) whose output has the
``Join`` layout (left block, right block, left id, right id), so ``select`` reuses the join
contexts (``pw.left``, ``pw.right``, ``pw.this``, table columns). ``defaults`` replace the
columns of the side that found no match.

Which rows are paired (observed with Pathway 0.33): with ``how=LEFT`` each left row takes the
last right row at or before its time (``BACKWARD``), the first at or after it (``FORWARD``) or
the closer of those two (``NEAREST``, the later one on a tie); ``RIGHT`` is the mirror image;
``OUTER`` gives both the left rows' and the right rows' pairs, and there at equal times the left
rows count as earlier than the right ones (so a left row's ``BACKWARD`` match, and a right
row's ``FORWARD`` match, is strictly earlier, resp. later).
"""

from __future__ import annotations

import enum
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.expression import (
    BinaryExpression,
    ColumnReference,
    Compiled,
    ThisColumn,
    wrap,
)
from towpath.internals.joins import JoinContext, JoinMode, JoinResult, _TableSide
from towpath.internals.trace import user_errors
from towpath.internals.universe import Universe


class Direction(enum.Enum):
    """``direction=`` of ``asof_join``: which other-side row a row takes."""

    BACKWARD = 0
    FORWARD = 1
    NEAREST = 2


_KINDS = {JoinMode.INNER: "Inner", JoinMode.LEFT: "Left", JoinMode.RIGHT: "Right",
          JoinMode.OUTER: "Outer"}
_DIRECTIONS = {Direction.BACKWARD: "Backward", Direction.FORWARD: "Forward",
               Direction.NEAREST: "Nearest"}


def _left_first(kind: str, direction: Direction) -> bool:
    """The engine's tie rule reproducing Pathway: LEFT/RIGHT match equal times in both
    directions, OUTER orders left rows before right rows at equal times."""
    if kind in ("Left", "Inner"):
        return direction != Direction.BACKWARD
    if kind == "Right":
        return direction != Direction.FORWARD
    return True


class _AsofContext(JoinContext):
    """Join columns, with ``defaults`` where the other side found no match."""

    def _defaulted(self, side: str, table: Any, name: str, c: Compiled) -> Compiled:
        jr: Any = self.jr
        if not self._nullable(side):
            return c
        default = jr._defaults.get((side, name))
        if default is None or (table is not None and default[0] is not table):
            return c
        value = default[1]
        id_col = plan.col(jr._lw + jr._rw + (0 if side == "left" else 1))
        inner = c.dtype.strip_optional() if c.dtype.is_optional() else c.dtype
        t = dt.unify(inner, dt.dtype_of_value(value)) or dt.ANY
        expr = plan.if_else(plan.unary("IsNone", id_col), plan.const(value), c.expr)
        return Compiled(expr, t)

    def ref(self, table: Any, name: str) -> Compiled:
        c = super().ref(table, name)
        side = "left" if self.jr._lctx.owns(table) else "right"
        return self._defaulted(side, table, name, c)

    def this_ref(self, kind: str, name: str) -> Compiled:
        c = super().this_ref(kind, name)
        if kind in ("left", "right"):
            return self._defaulted(kind, None, name, c)
        return c


class AsofJoinResult(JoinResult):
    """An asof join, before ``select`` (the only method, as in Pathway)."""

    _defaults: dict[tuple[str, str], tuple[Any, Any]]

    @user_errors
    def select(self, *args: Any, **kwargs: Any) -> Any:
        """The paired rows, one column per argument."""
        from towpath.internals.table import Table, named_expressions

        ctx = _AsofContext(self)
        ctx.memoize = False
        exprs = named_expressions(args, kwargs, ctx.all_columns)
        compiled = {n: ctx.compile(e) for n, e in exprs.items()}
        params = {"input": self._node, "exprs": [c.expr for c in compiled.values()]}
        node = plan.Node("Select", params, [self._node], list(compiled))
        return Table._from_node(node, {n: c.dtype for n, c in compiled.items()}, self._universe)

    def _unsupported(self, *args: Any, **kwargs: Any) -> Any:
        raise AttributeError("An asof join result only supports select(...), as in Pathway.")

    filter = groupby = reduce = join = join_inner = join_left = join_right = join_outer = (
        _unsupported)


def _keys(lctx: Any, rctx: Any, on: tuple) -> tuple[list, list, set[str]]:
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
        # Wrapped in a tuple, a None key matches None (as Pathway's joins do).
        wrap_none = lk.dtype.is_optional() or rk.dtype.is_optional()
        lkeys.append(plan.make_tuple([lk.expr]) if wrap_none else lk.expr)
        rkeys.append(plan.make_tuple([rk.expr]) if wrap_none else rk.expr)
        if cond.left.name == cond.right.name:
            shared.add(cond.left.name)
    return lkeys, rkeys, shared


def _time(ctx: Any, expr: Any, what: str) -> Compiled:
    c = ctx.compile(wrap(expr))
    base = c.dtype.strip_optional() if c.dtype.is_optional() else c.dtype
    if base not in (dt.INT, dt.FLOAT, dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC, dt.DURATION):
        raise TypeError(f"asof_join(): {what} has to be an int, float, datetime or duration "
                        f"column, found {c.dtype!r}.")
    return c


def _defaults(left: Any, right: Any, defaults: dict) -> dict[tuple[str, str], tuple[Any, Any]]:
    out = {}
    for ref, value in (defaults or {}).items():
        if not isinstance(ref, ColumnReference) or ref.table not in (left, right):
            raise ValueError(
                f"asof_join(defaults=...) keys have to be columns of the joined tables, found {ref!r}."
            )
        side = "left" if ref.table is left else "right"
        out[(side, ref.name)] = (ref.table, value)
    return out


@user_errors
def asof_join(left: Any, right: Any, self_time: Any, other_time: Any, *on: Any, how: Any,
              behavior: Any = None, defaults: dict | None = None,
              direction: Direction = Direction.BACKWARD, left_instance: Any = None,
              right_instance: Any = None) -> AsofJoinResult:
    """``left.asof_join(right, left.t, right.t, *on, how=..., direction=..., defaults=...)``."""
    from towpath.internals import join_behaviors as jb

    behavior = jb.check_join_behavior(behavior)
    if not isinstance(how, JoinMode):
        raise TypeError(f"asof_join(how=...) has to be a pw.JoinMode, found {how!r}.")
    if not isinstance(direction, Direction):
        raise TypeError(
            f"asof_join(direction=...) has to be a pw.temporal.Direction, found {direction!r}.")
    if (left_instance is None) != (right_instance is None):
        raise ValueError("asof_join(): give both left_instance and right_instance, or neither.")
    if left_instance is not None:
        on = (*on, left_instance == right_instance)
    kind = _KINDS[how]
    lctx, rctx = _TableSide(left, "left"), _TableSide(right, "right")
    lt, rt = _time(lctx, self_time, "self_time"), _time(rctx, other_time, "other_time")
    lbase = lt.dtype.strip_optional() if lt.dtype.is_optional() else lt.dtype
    rbase = rt.dtype.strip_optional() if rt.dtype.is_optional() else rt.dtype
    ltime, rtime = lt.expr, rt.expr
    if {lbase, rbase} == {dt.INT, dt.FLOAT}:  # compare ints and floats as floats
        ltime = plan.cast(ltime, dt.FLOAT.to_plan()) if lbase == dt.INT else ltime
        rtime = plan.cast(rtime, dt.FLOAT.to_plan()) if rbase == dt.INT else rtime
    elif lbase != rbase:
        raise TypeError(
            f"asof_join(): self_time is {lt.dtype!r} but other_time is {rt.dtype!r}.")
    lkeys, rkeys, shared = _keys(lctx, rctx, on)
    lnode, rnode = lctx.node, rctx.node  # read after compiling (hoisted columns)
    late = None
    if behavior is not None:  # each side gated by its own watermark (join_behaviors)
        gl = jb.gate_side(lnode, lt.expr, lt.dtype, behavior)
        gr = jb.gate_side(rnode, rt.expr, rt.dtype, behavior)
        lnode, rnode = gl.node, gr.node
        late = jb.late_layout(gl, gr, lctx.width, rctx.width,
                              lnode.columns + rnode.columns + ["_left_id", "_right_id"])
    params = {"left": lnode, "right": rnode, "left_time": ltime, "right_time": rtime,
              "left_keys": lkeys, "right_keys": rkeys, "kind": kind,
              "direction": _DIRECTIONS[direction], "left_first": _left_first(kind, direction)}
    columns = lnode.columns + rnode.columns + ["_left_id", "_right_id"]
    node = jb.finish(plan.Node("AsofJoin", params, [lnode, rnode], columns), behavior)
    for ctx in (lctx, rctx):
        ctx.frozen = True
    result = AsofJoinResult(lctx, rctx, node, kind, shared, Universe())
    result._defaults = _defaults(left, right, defaults or {})
    return jb.attach_late_rows(result, late)
