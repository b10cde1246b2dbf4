"""``pw.temporal.session(max_gap=)`` / ``session(predicate=)``: session windows for
``Table.windowby``.

Within an instance, rows ordered by time form one session while neighbours are close: their
gap is strictly below ``max_gap`` (a gap equal to it splits, as in Pathway 0.33), or
``predicate(earlier, later)`` is true. A session's window is ``[first time, last time]``.

Lowering: a Select computes (time, instance, reducer arguments...) per row, a ``Session`` plan
node (an incremental ordered operator in the engine) appends each row's session start and end,
and the id of its first row, and a GroupBy on (instance, start, end, first id) reduces (two
sessions can have the same bounds when a gap of 0 or a predicate splits equal times; Pathway
keeps them apart too). ``_pw_window`` is a Pointer hashed from those four, as Pathway's
``_pw_window`` of a session is a Pointer.

For window behaviours (delay/cutoff, applied per row before grouping):
``together_expr(window, time_type)`` is the neighbour test and ``session_bounds(pre, ...)`` the
per-row assignment: ``pre``'s columns followed by the session's start, end and first row id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.context import TableContext
from towpath.internals.expression import Compiled, ThisColumn, wrap
from towpath.internals.trace import trace_str
from towpath.internals.windows import Window, _reducer_columns, _WindowGroupContext

_DATETIMES = (dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC)
_COLUMNS = ("_pw_window", "_pw_window_start", "_pw_window_end", "_pw_instance")


@dataclass(frozen=True)
class SessionWindow(Window):
    """Session windows (see ``session``)."""

    predicate: Callable[[Any, Any], bool] | None = None
    max_gap: Any = None

    def _reduce(self, table: Any, time_expr: Any, instance: Any, args: tuple,
                kwargs: dict) -> Any:
        return _reduce(self, table, time_expr, instance, args, kwargs)


def session(*, predicate: Callable[[Any, Any], bool] | None = None,
            max_gap: Any = None) -> SessionWindow:
    """Session windows: neighbouring times (within an instance) closer than ``max_gap``, or
    for which ``predicate(earlier, later)`` is true, are in one window.

    >>> import towpath as pw
    >>> t = pw.debug.table_from_markdown('''
    ...   | t  | v
    ... 1 | 1  | 10
    ... 2 | 3  | 20
    ... 3 | 9  | 30
    ... ''')
    >>> w = t.windowby(pw.this.t, window=pw.temporal.session(max_gap=4)).reduce(
    ...     pw.this._pw_window_start, pw.this._pw_window_end, total=pw.reducers.sum(pw.this.v))
    >>> pw.debug.compute_and_print(w, include_id=False)
    _pw_window_start | _pw_window_end | total
    1                | 3              | 30
    9                | 9              | 30
    """
    if predicate is None and max_gap is None:
        raise ValueError("At least one of the parameters [predicate, max_gap] should be provided.")
    if predicate is not None and max_gap is not None:
        raise ValueError("Cannot provide both [predicate, max_gap] at the same time.")
    return SessionWindow(predicate, max_gap)


def _check_gap(time_type: dt.DType, gap: Any) -> None:
    """Pathway's TypeError for a gap not matching the time column (int and float mix)."""
    gap_type = dt.BOOL if isinstance(gap, bool) else dt.dtype_of_value(gap)
    numeric = (dt.INT, dt.FLOAT)
    if time_type in numeric and gap_type in numeric:
        return
    if time_type in _DATETIMES and gap_type == dt.DURATION:
        return
    raise TypeError(
        "Arguments (time_expr, window.max_gap) have to be of types (INT, INT) or (FLOAT, FLOAT) "
        "or (DATE_TIME_NAIVE, DURATION) or (DATE_TIME_UTC, DURATION) but are of types "
        f"({time_type!r}, {gap_type!r})."
    )


def _check_time(time_type: dt.DType) -> None:
    if time_type not in (dt.INT, dt.FLOAT, *_DATETIMES):
        raise TypeError(
            "Arguments (time_expr,) of a session window have to be of types (INT,) or (FLOAT,) "
            f"or (DATE_TIME_NAIVE,) or (DATE_TIME_UTC,) but are of types ({time_type!r},)."
        )


def together_expr(window: SessionWindow, time_type: dt.DType) -> Any:
    """The plan expression over ``[earlier, later]`` that says they are in one session."""
    if window.predicate is None:
        _check_gap(time_type, window.max_gap)
        gap = plan.binary("Sub", plan.col(1), plan.col(0))
        return plan.binary("Lt", gap, plan.const(window.max_gap))
    _check_time(time_type)
    from towpath.internals.udfs import batch_function

    fn = window.predicate

    def together(earlier: Any, later: Any) -> bool:
        return bool(fn(earlier, later))

    batch = batch_function(together, [None, None], dt.BOOL, trace_str())
    ref = plan.UdfRef(batch, getattr(fn, "__name__", "predicate"))
    return plan.udf(ref, [plan.col(0), plan.col(1)], False)


class _SessionGroupContext(_WindowGroupContext):
    """``_pw_window`` of a session is a Pointer of (instance, start, end, first row id)."""

    def this_ref(self, kind: str, name: str) -> Compiled:
        if kind == "this" and name == "_pw_window":
            cols = [plan.col(i) for i in range(4)]
            return Compiled(plan.pointer_from(cols), dt.POINTER)
        return super().this_ref(kind, name)


def session_bounds(pre: plan.Node, instance: bool, together: Any) -> plan.Node:
    """``pre`` = (time, instance, ...) with the session's ``_pw_window_start``,
    ``_pw_window_end`` and the id of its first row appended to each row (the per-row
    assignment, before any grouping)."""
    params = {"input": pre, "time": plan.col(0),
              "instance": plan.col(1) if instance else None, "together": together}
    return plan.Node("Session", params, [pre],
                     [*pre.columns, "_pw_window_start", "_pw_window_end", "_pw_session"])


def _reduce(window: SessionWindow, table: Any, time_expr: Any, instance: Any, args: tuple,
            kwargs: dict) -> Any:
    from towpath.internals.table import Table, named_expressions

    inner = TableContext(table)
    time_c = inner.compile(wrap(time_expr))
    together = together_expr(window, time_c.dtype)
    if instance is not None:
        inst_c = inner.compile(wrap(instance))
    else:
        inst_c = Compiled(plan.const(None), dt.NONE)
    keys: list[tuple[Any, str | None]] = [
        ("this", "_pw_instance"), ("this", "_pw_window_start"), ("this", "_pw_window_end"),
        ("this", "_pw_session")]
    key_types = [inst_c.dtype, time_c.dtype, time_c.dtype, dt.POINTER]
    gctx = _SessionGroupContext(inner, keys, key_types, "")

    def all_columns(arg: Any) -> dict:
        cols = [*table._columns, *_COLUMNS]
        return {n: ThisColumn("this", n) for n in cols if n not in arg.exclude}

    exprs = named_expressions(args, kwargs, all_columns)
    compiled = {n: gctx.compile(e) for n, e in exprs.items()}
    reducers, arg_exprs = _reducer_columns(gctx, 2)  # reducer arguments follow (time, instance)
    n = len(arg_exprs)
    source = inner.node  # read after compiling (lazy joins, hoisted UDF columns)
    pre = plan.select(source, [time_c.expr, inst_c.expr, *arg_exprs],
                      ["_pw_time", "_pw_instance", *(f"_pw_arg{j}" for j in range(n))])
    bounds = session_bounds(pre, instance is not None, together)
    gkeys = [plan.col(1), plan.col(2 + n), plan.col(3 + n), plan.col(4 + n)]
    gnode = plan.Node("GroupBy", {"input": bounds, "keys": gkeys, "reducers": reducers,
                                  "id": "Hash"}, [bounds],
                      ["_pw_instance", "_pw_window_start", "_pw_window_end", "_pw_session",
                       *(f"_reducer{i}" for i in range(len(reducers)))])
    node = plan.Node("Select", {"input": gnode, "exprs": [c.expr for c in compiled.values()]},
                     [gnode], list(compiled))
    return Table._from_node(node, {k: c.dtype for k, c in compiled.items()})
