"""``pw.temporal.intervals_over(at=, lower_bound=, upper_bound=, is_outer=)``: one window
``[at + lower_bound, at + upper_bound]`` (closed) per row of the ``at`` table.

Lowered onto existing plan nodes as a bucketed join: times are cut into buckets of the window's
length, each ``at`` row is flattened into the (at most two) buckets its window touches, an
equi-join on the bucket pairs it with the data rows there, and a Filter keeps the rows inside the
window. With ``is_outer`` (the default), an ``at`` row whose window holds no data row still gives
a group, of one row whose data columns are all None (so ``count()`` is 1 there), as in Pathway
0.33; the data columns are then Optional in ``reduce``. Windows of ``at`` rows at the same place
are one group (holding each data row once per such ``at`` row).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.context import TableContext
from towpath.internals.expression import ColumnReference, Compiled, ThisColumn, wrap
from towpath.internals.windows import Window, _reducer_columns, _WindowGroupContext

_DATETIMES = (dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC)
_COLUMNS = ("_pw_window_location", "_pw_window_start", "_pw_window_end", "_pw_instance")


@dataclass(frozen=True)
class IntervalsOverWindow(Window):
    """Windows around the values of the ``at`` column (see ``intervals_over``)."""

    at: Any
    lower_bound: Any
    upper_bound: Any
    is_outer: bool = True

    def _reduce(self, table: Any, time_expr: Any, instance: Any, args: tuple,
                kwargs: dict) -> Any:
        return _reduce(self, table, time_expr, instance, args, kwargs)


def intervals_over(*, at: Any, lower_bound: Any, upper_bound: Any,
                   is_outer: bool = True) -> IntervalsOverWindow:
    """A window ``[t + lower_bound, t + upper_bound]`` for each value ``t`` of column ``at``."""
    if not isinstance(at, ColumnReference):
        raise TypeError("intervals_over(at=...) has to be a column of a table (table.column).")
    return IntervalsOverWindow(at, lower_bound, upper_bound, is_outer)


class _OptionalContext(TableContext):
    """The data table's columns, typed Optional while ``optional`` is set (outer windows give
    groups whose data columns are None)."""

    optional = False

    def ref(self, table: Any, name: str) -> Compiled:
        c = super().ref(table, name)
        return Compiled(c.expr, dt.Optional(c.dtype)) if self.optional else c


def _bound_types(time_type: dt.DType, window: IntervalsOverWindow) -> bool:
    """True for float arithmetic; TypeError for bounds not matching the time type."""
    types = [dt.dtype_of_value(b) for b in (window.lower_bound, window.upper_bound)]
    if time_type in (dt.INT, dt.FLOAT) and all(t in (dt.INT, dt.FLOAT) for t in types):
        return dt.FLOAT in (time_type, *types)
    if time_type in _DATETIMES and all(t == dt.DURATION for t in types):
        return False
    raise TypeError(
        "intervals_over(): lower_bound and upper_bound have to be ints or floats for an int or "
        "float time column, Durations for a datetime one; found "
        f"({time_type!r}, {types[0]!r}, {types[1]!r})."
    )


def _bucket(x: Any, width: Any, time_type: dt.DType, is_float: bool) -> Any:
    if is_float:
        return plan.binary("FloorDiv", plan.binary("TrueDiv", x, plan.const(width)),
                           plan.const(1.0))
    if time_type in _DATETIMES:
        tz = datetime.UTC if time_type == dt.DATE_TIME_UTC else None
        x = plan.binary("Sub", x, plan.const(datetime.datetime(1970, 1, 1, tzinfo=tz)))
    return plan.binary("FloorDiv", x, plan.const(width))


def _node(kind: str, params: dict, inputs: list, columns: list[str]) -> plan.Node:
    return plan.Node(kind, params, inputs, columns)


def _reduce(window: IntervalsOverWindow, table: Any, time_expr: Any, instance: Any,
            args: tuple, kwargs: dict) -> Any:
    from towpath.internals.table import Table, named_expressions

    lb, ub = window.lower_bound, window.upper_bound
    inner = _OptionalContext(table)
    time_c = inner.compile(wrap(time_expr))
    is_float = _bound_types(time_c.dtype, window)
    if lb > ub:
        raise ValueError(
            "lower_bound has to be less than or equal to the upper_bound in "
            "pw.temporal.intervals_over()."
        )
    actx = TableContext(window.at.table)
    loc = actx.compile(window.at)
    if loc.dtype != time_c.dtype:
        raise TypeError(
            f"intervals_over(at=...) has type {loc.dtype!r}, the time column {time_c.dtype!r}."
        )
    inner.optional = window.is_outer
    inst = inner.compile(wrap(instance)) if instance is not None else Compiled(
        plan.const(None), dt.NONE)
    bound_type = dt.FLOAT if is_float else time_c.dtype
    keys: list[tuple[Any, str | None]] = [("this", n) for n in _COLUMNS]
    gctx = _WindowGroupContext(inner, keys, [loc.dtype, bound_type, bound_type, inst.dtype], "")

    def all_columns(arg: Any) -> dict:
        cols = [*table._columns, *_COLUMNS]
        return {n: ThisColumn("this", n) for n in cols if n not in arg.exclude}

    exprs = named_expressions(args, kwargs, all_columns)
    compiled = {n: gctx.compile(e) for n, e in exprs.items()}
    reducers, arg_exprs = _reducer_columns(gctx, 4)
    n = len(arg_exprs)
    argn = [f"_pw_arg{j}" for j in range(n)]

    zero: Any = datetime.timedelta(0) if time_c.dtype in _DATETIMES else 0
    unit: Any = datetime.timedelta(microseconds=1) if time_c.dtype in _DATETIMES else 1
    width = ub - lb if ub - lb > zero else unit
    if is_float:
        width = float(width)
        offsets: tuple = (-1, 0, 1, 2)  # rounding can move a bound across a bucket edge
    else:
        offsets = (0, 1)
    # The `at` side: (location, start, end, bucket, at row id), one row per touched bucket.
    col = plan.col
    start = plan.binary("Add", col(0), plan.const(lb))
    end = plan.binary("Add", col(0), plan.const(ub))
    a1 = plan.select(actx.node, [loc.expr], ["_pw_loc"])
    a2 = _node("Select", {"input": a1, "exprs": [col(0), start, end, plan.ID]}, [a1],
               ["_pw_loc", "_pw_start", "_pw_end", "_pw_at"])
    a3 = _node("Select", {"input": a2, "exprs": [col(0), col(1), col(2),
                                                 _bucket(col(1), width, time_c.dtype, is_float),
                                                 plan.const(offsets), col(3)]}, [a2],
               ["_pw_loc", "_pw_start", "_pw_end", "_pw_b", "_pw_off", "_pw_at"])
    a4 = _node("Flatten", {"input": a3, "column": 4}, [a3], a3.columns)
    a5 = _node("Select", {"input": a4, "exprs": [col(0), col(1), col(2),
                                                 plan.binary("Add", col(3), col(4)), col(5)]},
               [a4], ["_pw_loc", "_pw_start", "_pw_end", "_pw_b", "_pw_at"])
    # The data side: (time, instance, bucket, reducer arguments...).
    d1 = plan.select(inner.node, [time_c.expr, inst.expr, *arg_exprs],
                     ["_pw_time", "_pw_instance", *argn])
    d2 = _node("Select", {"input": d1, "exprs": [
        col(0), col(1), _bucket(col(0), width, time_c.dtype, is_float),
        *(col(2 + j) for j in range(n))]}, [d1], ["_pw_time", "_pw_instance", "_pw_b", *argn])
    jcols = [*a5.columns, *d2.columns, "_left_id", "_right_id"]
    joined = _node("Join", {"left": a5, "right": d2, "left_keys": [col(3)],
                            "right_keys": [col(2)], "kind": "Inner", "id": "Hash"},
                   [a5, d2], jcols)
    inside = plan.binary("And", plan.binary("Le", col(1), col(5)),
                         plan.binary("Le", col(5), col(2)))
    kept = _node("Filter", {"input": joined, "predicate": inside}, [joined], jcols)
    names = [*_COLUMNS, *argn, "_pw_at"]
    matched = _node("Select", {"input": kept, "exprs": [
        col(0), col(1), col(2), col(6), *(col(8 + j) for j in range(n)), col(4)]},
                    [kept], names)
    rows = matched
    if window.is_outer:
        hit = _node("GroupBy", {"input": matched, "keys": [col(4 + n)], "reducers": [],
                                "id": "FirstKey"}, [matched], ["_pw_at"])
        missed = _node("Difference", {"input": a2, "other": hit}, [a2, hit], a2.columns)
        empty = _node("Select", {"input": missed, "exprs": [
            col(0), col(1), col(2), plan.const(None), *(plan.const(None) for _ in range(n)),
            col(3)]}, [missed], names)
        rows = _node("ConcatReindex", {"inputs": [matched, empty]}, [matched, empty], names)
    gnode = _node("GroupBy", {"input": rows, "keys": [col(i) for i in range(4)],
                              "reducers": reducers, "id": "Hash"},
                  [rows], [*_COLUMNS, *(f"_reducer{i}" for i in range(len(reducers)))])
    node = _node("Select", {"input": gnode, "exprs": [c.expr for c in compiled.values()]},
                 [gnode], list(compiled))
    return Table._from_node(node, {k: c.dtype for k, c in compiled.items()})
