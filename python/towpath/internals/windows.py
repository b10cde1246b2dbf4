"""``Table.windowby(...).reduce(...)`` for tumbling and sliding windows, lowered onto existing
plan nodes (no window operator in the engine).

- Tumbling: each row's window index ``k = floor((t - origin) / duration)`` gives its window
  ``[k * duration + origin, (k + 1) * duration + origin)``; the GroupBy keys are
  ``(instance, start, end)``.
- Sliding: each row is copied into every window containing it. A Select computes the index
  ``k`` of the last window starting at or before ``t`` and a constant tuple of offsets; a Flatten
  makes one row per candidate ``k - offset``; a Filter keeps the windows whose float or integer
  bounds contain ``t`` (``start <= t < end``), then the GroupBy as above.

Bounds are computed the way Pathway 0.33 computes them (observed): for float times the end of a
tumbling window is ``(k + 1) * duration + origin`` and of a sliding one
``k * hop + duration + origin``, so float windows print the same values. With an ``origin``,
windows starting before it are dropped. Reducer arguments are evaluated on the input rows before
the windowing, so they can read any column the table's context can (same-universe tables too).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from towpath.internals import behaviors, plan
from towpath.internals import dtype as dt
from towpath.internals.context import GroupContext, TableContext
from towpath.internals.expression import Compiled, ThisColumn, wrap
from towpath.internals.trace import user_errors

_WINDOW_COLUMNS = ("_pw_window", "_pw_window_start", "_pw_window_end", "_pw_instance")


@dataclass(frozen=True)
class Window:
    """A window kind for ``Table.windowby`` (built by ``pw.temporal.tumbling``/``sliding``)."""


@dataclass(frozen=True)
class TumblingWindow(Window):
    """Consecutive windows of length ``duration`` aligned to ``origin``."""

    duration: Any
    origin: Any = None


@dataclass(frozen=True)
class SlidingWindow(Window):
    """Windows of length ``duration`` starting every ``hop`` from ``origin``."""

    hop: Any
    duration: Any
    origin: Any = None


def tumbling(duration: Any, origin: Any = None) -> TumblingWindow:
    """Tumbling windows ``[origin + k * duration, origin + (k + 1) * duration)``."""
    return TumblingWindow(duration, origin)


def sliding(hop: Any, duration: Any = None, ratio: int | None = None,
            origin: Any = None) -> SlidingWindow:
    """Sliding windows of length ``duration`` (or ``hop * ratio``) starting every ``hop``."""
    if duration is None and ratio is None:
        raise ValueError("At least one of the parameters [duration, ratio] should be provided.")
    if duration is not None and ratio is not None:
        raise ValueError("Cannot provide both [duration, ratio] at the same time.")
    if ratio is not None:
        if not isinstance(ratio, int) or isinstance(ratio, bool):
            raise TypeError(f"sliding() parameter ratio={ratio!r} has to be an int.")
        duration = hop * ratio
    return SlidingWindow(hop, duration, origin)


# --- parameter checks ---------------------------------------------------------------------


_DATETIMES = (dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC)


def _param_type(value: Any) -> dt.DType:
    if isinstance(value, bool):
        return dt.BOOL
    return dt.dtype_of_value(value)


def _checked_params(window: Window, time_type: dt.DType) -> dict[str, Any]:
    """The window's parameters as values of the time column's kind (ints become floats for a
    float column), or Pathway's TypeError listing the accepted type combinations."""
    names = ["time_expr", "window.hop"]
    values: list[Any] = []
    if isinstance(window, TumblingWindow):
        values.append(window.duration)
    else:
        names.append("window.duration")
        sliding: Any = window
        values.extend([sliding.hop, sliding.duration])
    origin = getattr(window, "origin", None)
    if origin is not None:
        names.append("window.origin")
        values.append(origin)
    types = [_param_type(v) for v in values]
    base = time_type
    ok = False
    if base == dt.INT:
        ok = all(t == dt.INT for t in types)
    elif base == dt.FLOAT:
        ok = all(t in (dt.INT, dt.FLOAT) for t in types)
        values = [float(v) for v in values]
    elif base in _DATETIMES:
        durations = types[: len(types) - (origin is not None)]
        ok = all(t == dt.DURATION for t in durations) and (origin is None or types[-1] == base)
    if not ok:
        n = len(names)
        width = n - (origin is not None)

        def combo(time: str, dur: str, orig: str) -> str:
            return "(" + ", ".join([time] + [dur] * (width - 1) + [orig] * (n - width)) + ")"

        accepted = " or ".join([
            combo("INT", "INT", "INT"), combo("FLOAT", "FLOAT", "FLOAT"),
            combo("DATE_TIME_NAIVE", "DURATION", "DATE_TIME_NAIVE"),
            combo("DATE_TIME_UTC", "DURATION", "DATE_TIME_UTC"),
        ])
        found = ", ".join(repr(t) for t in [time_type, *types])
        raise TypeError(
            f"Arguments ({', '.join(names)}) have to be of types {accepted} "
            f"but are of types ({found})."
        )
    if isinstance(window, TumblingWindow):
        params = {"hop": values[0], "duration": values[0]}
    else:
        params = {"hop": values[0], "duration": values[1]}
    for name in ("hop", "duration"):
        zero: Any = datetime.timedelta(0) if base in _DATETIMES else 0
        if not params[name] > zero:
            what = "duration" if isinstance(window, TumblingWindow) else name
            raise ValueError(f"The window's {what} has to be positive, found {params[name]!r}.")
    params["origin"] = values[-1] if origin is not None else None
    return params


def _default_origin(time_type: dt.DType) -> Any:
    if time_type == dt.INT:
        return 0
    if time_type == dt.FLOAT:
        return 0.0
    # Pathway 0.33 aligns datetime windows to 1973-01-01 (a Monday), not to the epoch:
    # observed with durations of 5 ns to 7 days.
    tz = datetime.UTC if time_type == dt.DATE_TIME_UTC else None
    return datetime.datetime(1973, 1, 1, tzinfo=tz)


# --- lowering ---------------------------------------------------------------------------


def _bin(op: str, a: Any, b: Any) -> Any:
    return plan.binary(op, a, b)


def _floor_index(t: Any, origin: Any, step: Any, is_float: bool) -> Any:
    """``floor((t - origin) / step)`` (an int, or an integral float for float times)."""
    shifted = _bin("Sub", t, plan.const(origin))
    if is_float:
        # x // 1.0 is floor(x) for finite floats (Python's float divmod, as the engine's).
        return _bin("FloorDiv", _bin("TrueDiv", shifted, plan.const(step)), plan.const(1.0))
    return _bin("FloorDiv", shifted, plan.const(step))


def _select(node: plan.Node, exprs: list[Any], names: list[str]) -> plan.Node:
    return plan.Node("Select", {"input": node, "exprs": exprs}, [node], names)


def _filter(node: plan.Node, predicate: Any) -> plan.Node:
    return plan.Node("Filter", {"input": node, "predicate": predicate}, [node], node.columns)


def _windowed(pre: plan.Node, window: Window, params: dict, time_type: dt.DType,
              nargs: int) -> plan.Node:
    """``pre`` = (time, instance, args...) → (instance, start, end, args...), one row per
    (input row, window containing it)."""
    is_float = time_type == dt.FLOAT
    origin = params["origin"] if params["origin"] is not None else _default_origin(time_type)
    hop, duration = params["hop"], params["duration"]
    o, h, d = plan.const(origin), plan.const(hop), plan.const(duration)
    args = [f"_pw_arg{j}" for j in range(nargs)]
    if isinstance(window, TumblingWindow):
        k = _floor_index(plan.col(0), origin, hop, is_float)
        if is_float:
            # Rounding can make k one off: take the window whose float bounds hold t.
            kf = _select(pre, [plan.col(0), plan.col(1), k,
                               *(plan.col(2 + j) for j in range(nargs))],
                         ["_pw_time", "_pw_instance", "_pw_k", *args])
            t, kl = plan.col(0), plan.col(2)
            s0 = _bin("Add", _bin("Mul", kl, h), o)
            s1 = _bin("Add", _bin("Mul", _bin("Add", kl, plan.const(1.0)), h), o)
            k = plan.if_else(_bin("Lt", t, s0), _bin("Sub", kl, plan.const(1.0)),
                             plan.if_else(_bin("Ge", t, s1), _bin("Add", kl, plan.const(1.0)),
                                          kl))
            kd = _select(kf, [plan.col(1), k, *(plan.col(3 + j) for j in range(nargs))],
                         ["_pw_instance", "_pw_k", *args])
        else:
            kd = _select(pre, [plan.col(1), k, *(plan.col(2 + j) for j in range(nargs))],
                         ["_pw_instance", "_pw_k", *args])
        start = _bin("Add", _bin("Mul", plan.col(1), h), o)
        if is_float:
            end = _bin("Add", _bin("Mul", _bin("Add", plan.col(1), plan.const(1.0)), h), o)
        else:
            end = _bin("Add", start, d)
        rest = [plan.col(2 + j) for j in range(nargs)]
        node = _select(kd, [plan.col(0), start, end, *rest],
                       ["_pw_instance", "_pw_window_start", "_pw_window_end", *args])
    else:
        if is_float:
            # Rounding can put t in one window more on either side than exact arithmetic.
            offsets = tuple(range(-1, math.ceil(duration / hop) + 1))
        else:
            offsets = tuple(range(-(-duration // hop)))  # ceil(duration / hop), exact
        k = _floor_index(plan.col(0), origin, hop, is_float)
        rest = [plan.col(2 + j) for j in range(nargs)]
        cand = _select(pre, [plan.col(0), plan.col(1), k, plan.const(offsets), *rest],
                       ["_pw_time", "_pw_instance", "_pw_k", "_pw_offset", *args])
        flat = plan.Node("Flatten", {"input": cand, "column": 3}, [cand], cand.columns)
        kk = _bin("Sub", plan.col(2), plan.col(3))
        start = _bin("Add", _bin("Mul", kk, h), o)
        if is_float:
            end = _bin("Add", _bin("Add", _bin("Mul", kk, h), d), o)
        else:
            end = _bin("Add", start, d)
        rest = [plan.col(4 + j) for j in range(nargs)]
        bounds = _select(flat, [plan.col(0), plan.col(1), start, end, *rest],
                         ["_pw_time", "_pw_instance", "_pw_window_start", "_pw_window_end", *args])
        inside = _bin("And", _bin("Le", plan.col(2), plan.col(0)),
                      _bin("Lt", plan.col(0), plan.col(3)))
        kept = _filter(bounds, inside)
        node = _select(kept, [plan.col(1), plan.col(2), plan.col(3),
                              *(plan.col(4 + j) for j in range(nargs))],
                       ["_pw_instance", "_pw_window_start", "_pw_window_end", *args])
    if params["origin"] is not None:
        node = _filter(node, _bin("Ge", plan.col(1), o))
    return node


def _reducer_columns(gctx: GroupContext, first: int) -> tuple[list[dict], list[Any]]:
    """The reducers of a window ``reduce`` reading their arguments from columns ``first``,
    ``first + 1``, ... of the rows grouped, and the argument expressions those columns hold."""
    arg_exprs: list[Any] = []
    reducers = []
    for red in gctx.reducers:
        cols = []
        for a in red["args"]:
            cols.append(plan.col(first + len(arg_exprs)))
            arg_exprs.append(a)
        reducers.append({"kind": red["kind"], "args": cols})
    return reducers, arg_exprs


class _WindowGroupContext(GroupContext):
    """A reduce over windows: ``_pw_instance``, ``_pw_window_start``, ``_pw_window_end`` are the
    GroupBy keys and ``_pw_window`` is the tuple of the three."""

    def this_ref(self, kind: str, name: str) -> Compiled:
        if kind == "this" and name == "_pw_window":
            cols = [plan.col(i) for i in range(3)]
            return Compiled(plan.make_tuple(cols), dt.Tuple(*self.key_types))
        return super().this_ref(kind, name)


class WindowedTable:
    """The result of ``Table.windowby``; call ``reduce``."""

    def __init__(self, table: Any, time_expr: Any, window: Window, instance: Any,
                 behavior: Any = None) -> None:
        self._table = table
        self._time = wrap(time_expr)
        self._window = window
        self._instance = None if instance is None else wrap(instance)
        self._behavior = behavior

    @user_errors
    def reduce(self, *args: Any, **kwargs: Any) -> Any:
        """One row per (instance, window): window columns and reducers over its rows."""
        from towpath.internals.table import Table, named_expressions

        custom = getattr(self._window, "_reduce", None)
        if custom is not None:  # session, intervals_over: their own lowering
            result = custom(self._table, self._time, self._instance, args, kwargs)
            if self._behavior is not None and _has_cutoff(self._behavior):
                from towpath.internals.join_behaviors import empty_late_rows

                table, time, instance = self._table, self._time, self._instance
                result._late_rows = lambda: empty_late_rows(table, time, instance)
            return result
        inner = TableContext(self._table)
        time_c = inner.compile(self._time)
        params = _checked_params(self._window, time_c.dtype)
        if self._instance is not None:
            inst_c = inner.compile(self._instance)
        else:
            inst_c = Compiled(plan.const(None), dt.NONE)
        keys: list[tuple[Any, str | None]] = [
            ("this", "_pw_instance"), ("this", "_pw_window_start"), ("this", "_pw_window_end")]
        gctx = _WindowGroupContext(inner, keys, [inst_c.dtype, time_c.dtype, time_c.dtype], "")

        def all_columns(arg: Any) -> dict:
            cols = [*self._table._columns, *_WINDOW_COLUMNS]
            return {n: ThisColumn("this", n) for n in cols if n not in arg.exclude}

        exprs = named_expressions(args, kwargs, all_columns)
        compiled = {n: gctx.compile(e) for n, e in exprs.items()}
        # Reducer arguments are columns of the pre-window Select, read after the keys.
        reducers, arg_exprs = _reducer_columns(gctx, 3)
        # A behaviour reads each row's time: it goes last.
        extra = [time_c.expr] if self._behavior is not None else []
        own = [inner.compile(ThisColumn("this", n)) for n in self._table._columns]
        source = inner.node  # read after compiling (lazy joins, hoisted UDF columns)

        def window(values: list[Any]) -> plan.Node:
            pre = plan.select(source, [time_c.expr, inst_c.expr, *values],
                              ["_pw_time", "_pw_instance", *(f"_pw_arg{j}" for j in range(len(values)))])
            return _windowed(pre, self._window, params, time_c.dtype, len(values))

        windowed = window([*arg_exprs, *extra])
        gated = None
        if self._behavior is not None:
            gated = behaviors.gate_windows(windowed, self._behavior, time_c.dtype,
                                           3 + len(arg_exprs))
            windowed = gated.node
        gparams = {"input": windowed, "keys": [plan.col(i) for i in range(3)],
                   "reducers": reducers, "id": "Hash"}
        gcols = ["_pw_instance", "_pw_window_start", "_pw_window_end"] + [
            f"_reducer{i}" for i in range(len(reducers))
        ]
        gnode = plan.Node("GroupBy", gparams, [windowed], gcols)
        if gated is not None and gated.drop_forgetting:
            gnode = behaviors.drop_forgetting(gnode)
        node = plan.Node(
            "Select", {"input": gnode, "exprs": [c.expr for c in compiled.values()]},
            [gnode], list(compiled),
        )
        result = Table._from_node(node, {n: c.dtype for n, c in compiled.items()})
        if gated is not None and gated.late is not None:
            make_late = gated.late
            columns = dict(self._table._columns)
            columns.update({"_pw_instance": inst_c.dtype, "_pw_window_start": time_c.dtype,
                            "_pw_window_end": time_c.dtype})

            def late_rows() -> Any:
                # The input's columns, windowed the same way (so the same rows are late).
                late = make_late(window([c.expr for c in own] + [time_c.expr]))
                n = len(own)
                exprs = [plan.col(3 + j) for j in range(n)] + [plan.col(i) for i in range(3)]
                out = plan.Node("Select", {"input": late, "exprs": exprs}, [late], list(columns))
                return Table._from_node(out, columns)

            result._late_rows = late_rows
        return result


def _has_cutoff(behavior: Any) -> bool:
    """Whether ``late_rows`` applies (a cutoff; exactly-once windows have one)."""
    return isinstance(behavior, behaviors.ExactlyOnceBehavior) or getattr(
        behavior, "cutoff", None) is not None


def windowby(table: Any, time_expr: Any, *, window: Any, behavior: Any = None,
             instance: Any = None) -> WindowedTable:
    """``table.windowby(...)``: checks the arguments; ``reduce`` does the lowering."""
    if behavior is not None and not isinstance(
            behavior, (behaviors.CommonBehavior, behaviors.ExactlyOnceBehavior)):
        raise TypeError(f"windowby(behavior={behavior!r}): use pw.temporal.common_behavior(...) "
                        "or pw.temporal.exactly_once_behavior(...).")
    if behavior is not None and getattr(window, "_reduce", None) is not None:
        from towpath.internals.join_behaviors import ignored_window_behavior

        ignored_window_behavior(window, behavior)  # session, intervals_over: as in Pathway
    if not isinstance(window, Window):
        raise NotImplementedError(
            f"Table.windowby(window={window!r}) is not supported by towpath yet: "
            "use pw.temporal.tumbling(...) or pw.temporal.sliding(...)."
        )
    return WindowedTable(table, time_expr, window, instance, behavior)
