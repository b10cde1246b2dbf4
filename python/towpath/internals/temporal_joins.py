"""Temporal joins: ``interval_join`` and ``window_join`` (and their ``_inner/_left/_right/_outer``
variants), lowered onto the ordinary plan nodes.

Both produce the layout of an ordinary join (left block, right block, left id, right id), so the
result is a ``JoinResult``: ``select``/``filter``/``groupby``/``reduce`` with ``pw.left``,
``pw.right`` and the joined tables' columns work as after ``join``.

- **interval_join**: a pair matches when ``other_time - self_time`` lies in
  ``[lower_bound, upper_bound]`` (and the ``on`` conditions hold). Times are cut into buckets of
  the interval's width: the right row goes to the bucket of ``other_time - lower_bound``, the
  left row to its own bucket and the next one (for floats, one more on each side, as rounding can
  move a time by a bucket), so every matching pair meets in exactly one bucket; the exact
  condition is then a filter. A left (right) row without any pair appears once, with Nones for
  the other side, in the left (right, outer) variants.
- **window_join**: rows are assigned to their windows (as ``windowby``); a pair matches when
  both rows are in one window (and the ``on`` conditions hold), once per shared window. A row
  without a partner in one of its windows appears once for that window, with Nones for the other
  side, in the left (right, outer) variants.
"""

from __future__ import annotations

import datetime
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.expression import Compiled, wrap
from towpath.internals.joins import (
    _KINDS,
    JoinContext,
    JoinMode,
    JoinResult,
    _remap,
    _TableSide,
    join_keys,
)
from towpath.internals.trace import user_errors
from towpath.internals.universe import Universe

_DATETIMES = (dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC)


class Interval:
    """``pw.temporal.interval(lower_bound, upper_bound)``: the accepted ``other_time -
    self_time`` of an ``interval_join``."""

    def __init__(self, lower_bound: Any, upper_bound: Any) -> None:
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def __repr__(self) -> str:
        return f"Interval(lower_bound={self.lower_bound!r}, upper_bound={self.upper_bound!r})"


def interval(lower_bound: Any, upper_bound: Any) -> Interval:
    """The interval ``[lower_bound, upper_bound]`` for ``Table.interval_join``."""
    return Interval(lower_bound, upper_bound)


def _node(kind: str, params: dict, inputs: list, columns: list[str]) -> plan.Node:
    return plan.Node(kind, params, inputs, columns)


def _cols(first: int, n: int) -> list[Any]:
    return [plan.col(first + i) for i in range(n)]


def _kind(how: Any) -> str:
    return _KINDS[how] if isinstance(how, JoinMode) else str(how).capitalize()


class _Sides:
    """Both sides compiled: time expressions, ``on`` keys, instances."""

    def __init__(self, left: Any, right: Any, left_time: Any, right_time: Any, on: tuple,
                 left_instance: Any, right_instance: Any, what: str) -> None:
        self.lctx, self.rctx = _TableSide(left, "left"), _TableSide(right, "right")
        self.lt = self.lctx.compile(wrap(left_time))
        self.rt = self.rctx.compile(wrap(right_time))
        if self.lt.dtype.strip_optional() != self.rt.dtype.strip_optional():
            raise TypeError(
                f"{what}: self_time and other_time have to be of one type, found "
                f"{self.lt.dtype!r} and {self.rt.dtype!r}."
            )
        self.time_type = self.lt.dtype.strip_optional()
        if self.time_type not in (dt.INT, dt.FLOAT, *_DATETIMES):
            raise TypeError(
                f"{what}: times have to be int, float, DateTimeNaive or DateTimeUtc, found "
                f"{self.lt.dtype!r}."
            )
        self.lkeys, self.rkeys, self.shared = join_keys(self.lctx, self.rctx, on)
        if (left_instance is None) != (right_instance is None):
            raise ValueError(f"{what}: give both left_instance and right_instance, or neither.")
        if left_instance is not None:
            li, ri = self.lctx.compile(wrap(left_instance)), self.rctx.compile(wrap(right_instance))
            self.lkeys.append(plan.make_tuple([li.expr]))
            self.rkeys.append(plan.make_tuple([ri.expr]))
        # Read after compiling: compiling can add columns to a side's block.
        self.lnode, self.rnode = self.lctx.node, self.rctx.node
        self.lw, self.rw = self.lctx.width, self.rctx.width
        for ctx in (self.lctx, self.rctx):
            ctx.frozen = True

    def result(self, pairs: plan.Node, lmiss: plan.Node | None, rmiss: plan.Node | None,
               kind: str) -> JoinResult:
        """``pairs`` (join layout, one row per match) plus the unmatched rows the kind keeps."""
        parts = [pairs]
        if kind in ("Left", "Outer") and lmiss is not None:
            parts.append(lmiss)
        if kind in ("Right", "Outer") and rmiss is not None:
            parts.append(rmiss)
        node = pairs if len(parts) == 1 else _node(
            "ConcatReindex", {"inputs": parts}, parts, pairs.columns)
        return JoinResult(self.lctx, self.rctx, node, kind, self.shared, Universe())

    def unmatched(self, joined: plan.Node, id_column: int, side_node: plan.Node,
                  block: int, width: int, left: bool, extra: tuple = ()) -> plan.Node:
        """Rows of ``side_node`` whose id never appears in ``joined``'s ``id_column``, in the join
        layout (the block at ``block..block+width`` of ``side_node``, the side's id in
        ``original_id``)."""
        hit = _node("GroupBy", {"input": joined, "keys": [plan.col(id_column)], "reducers": [],
                                "id": "FirstKey"}, [joined], ["_pw_id"])
        miss = _node("Difference", {"input": side_node, "other": hit}, [side_node, hit],
                     side_node.columns)
        none = plan.const(None)
        own = _cols(block, width)
        if left:
            exprs = [*own, *([none] * self.rw), plan.col(block + width), none]
        else:
            exprs = [*([none] * self.lw), *own, none, plan.col(block + width)]
        names = [*self.columns(), *(f"_pw_extra{i}" for i in range(len(extra)))]
        return _node("Select", {"input": miss, "exprs": [*exprs, *extra]}, [miss], names)

    def columns(self) -> list[str]:
        return [*self.lnode.columns[: self.lw], *self.rnode.columns[: self.rw],
                "_left_id", "_right_id"]


# --- interval_join ----------------------------------------------------------------------


def _bound_checks(sides: _Sides, iv: Interval) -> tuple[bool, Any]:
    """Whether the arithmetic is float, and the bucket width; errors for bad bounds."""
    types = [dt.dtype_of_value(b) for b in (iv.lower_bound, iv.upper_bound)]
    tt = sides.time_type
    if tt in (dt.INT, dt.FLOAT) and all(t in (dt.INT, dt.FLOAT) for t in types):
        is_float = dt.FLOAT in (tt, *types)
    elif tt in _DATETIMES and all(t == dt.DURATION for t in types):
        is_float = False
    else:
        raise TypeError(
            "interval_join: the interval's bounds have to be ints or floats for int or float "
            "times, Durations for datetimes; found "
            f"({tt!r}, {types[0]!r}, {types[1]!r})."
        )
    if iv.lower_bound > iv.upper_bound:
        raise ValueError(
            "lower_bound has to be less than or equal to the upper_bound in the Table.interval_join()."
        )
    if tt == dt.FLOAT and types[0] == dt.INT == types[1]:
        is_float = True
    width = iv.upper_bound - iv.lower_bound
    zero: Any = datetime.timedelta(0) if tt in _DATETIMES else 0
    if not width > zero:
        width = datetime.timedelta(microseconds=1) if tt in _DATETIMES else 1
    return is_float, float(width) if is_float else width


def _bucket(x: Any, width: Any, time_type: dt.DType, is_float: bool) -> Any:
    """``floor(x / width)``: an int (an integral float for float arithmetic)."""
    if is_float:
        return plan.binary("FloorDiv", plan.binary("TrueDiv", x, plan.const(width)),
                           plan.const(1.0))
    if time_type in _DATETIMES:
        tz = datetime.UTC if time_type == dt.DATE_TIME_UTC else None
        x = plan.binary("Sub", x, plan.const(datetime.datetime(1970, 1, 1, tzinfo=tz)))
    return plan.binary("FloorDiv", x, plan.const(width))


@user_errors
def interval_join(left: Any, right: Any, self_time: Any, other_time: Any, iv: Any, *on: Any,
                  behavior: Any = None, how: Any = JoinMode.INNER, left_instance: Any = None,
                  right_instance: Any = None) -> JoinResult:
    """``left.interval_join(right, left.t, right.t, pw.temporal.interval(lo, hi), *on)``."""
    if not isinstance(iv, Interval):
        raise TypeError(f"interval_join: expected pw.temporal.interval(...), found {iv!r}.")
    from towpath.internals import join_behaviors as jb

    behavior = jb.check_join_behavior(behavior)
    kind = _kind(how)
    s = _Sides(left, right, self_time, other_time, on, left_instance, right_instance,
               "interval_join")
    late = None
    if behavior is not None:  # each side gated by its own watermark (join_behaviors)
        gl = jb.gate_side(s.lnode, s.lt.expr, s.lt.dtype, behavior)
        gr = jb.gate_side(s.rnode, s.rt.expr, s.rt.dtype, behavior)
        s.lnode, s.rnode = gl.node, gr.node
        late = jb.late_layout(gl, gr, s.lw, s.rw, s.columns())
    is_float, width = _bound_checks(s, iv)
    lo, hi = iv.lower_bound, iv.upper_bound
    if is_float:
        lo, hi = float(lo), float(hi)
    lw, rw = s.lw, s.rw
    # Left: block, its id, then one row per candidate bucket.
    b = _bucket(s.lt.expr, width, s.time_type, is_float)
    steps = (-1, 0, 1, 2) if is_float else (0, 1)
    cands = plan.make_tuple([plan.binary("Add", b, plan.const(
        float(k) if is_float else k)) if k else b for k in steps])
    lsel = _node("Select", {"input": s.lnode, "exprs": [*_cols(0, lw), plan.ID, cands]},
                 [s.lnode], [*s.lnode.columns[:lw], "_pw_id", "_pw_bucket"])
    lflat = _node("Flatten", {"input": lsel, "column": lw + 1}, [lsel], lsel.columns)
    shifted = plan.binary("Sub", s.rt.expr, plan.const(lo))
    rb = _bucket(shifted, width, s.time_type, is_float)
    rsel = _node("Select", {"input": s.rnode, "exprs": [*_cols(0, rw), rb]}, [s.rnode],
                 [*s.rnode.columns[:rw], "_pw_bucket"])
    roff = lw + 2
    lkeys = [plan.col(lw + 1), *s.lkeys]
    rkeys = [plan.col(rw), *s.rkeys]
    jcols = [*lsel.columns, *rsel.columns, "_pw_lid", "_pw_rid"]
    joined = _node("Join", {"left": lflat, "right": rsel, "left_keys": lkeys,
                            "right_keys": rkeys, "kind": "Inner", "id": "Hash"},
                   [lflat, rsel], jcols)
    lt = s.lt.expr
    rt = _remap(s.rt.expr, roff, None)
    diff = plan.binary("Sub", rt, lt)
    inside = plan.binary("And", plan.binary("Le", plan.const(lo), diff),
                         plan.binary("Le", diff, plan.const(hi)))
    kept = _node("Filter", {"input": joined, "predicate": inside}, [joined], jcols)
    pairs = _node("Select", {"input": kept, "exprs": [
        *_cols(0, lw), *_cols(roff, rw), plan.col(lw), plan.col(roff + rw + 2)]},
        [kept], s.columns())
    lmiss = rmiss = None
    if kind in ("Left", "Outer"):
        lid = _node("Select", {"input": s.lnode, "exprs": [*_cols(0, lw), plan.ID]},
                    [s.lnode], [*s.lnode.columns[:lw], "_pw_id"])
        lmiss = s.unmatched(pairs, lw + rw, lid, 0, lw, left=True)
    if kind in ("Right", "Outer"):
        rid = _node("Select", {"input": s.rnode, "exprs": [*_cols(0, rw), plan.ID]},
                    [s.rnode], [*s.rnode.columns[:rw], "_pw_id"])
        rmiss = s.unmatched(pairs, lw + rw + 1, rid, 0, rw, left=False)
    res = s.result(pairs, lmiss, rmiss, kind)
    if behavior is None:
        return res
    res._node = jb.finish(res._node, behavior)
    return jb.attach_late_rows(res, late)


# --- window_join ------------------------------------------------------------------------


@user_errors
def window_join(left: Any, right: Any, self_time: Any, other_time: Any, window: Any, *on: Any,
                how: Any = JoinMode.INNER, left_instance: Any = None,
                right_instance: Any = None) -> JoinResult:
    """``left.window_join(right, left.t, right.t, window, *on)``: pairs sharing a window."""
    from towpath.internals.windows import (
        SlidingWindow,
        TumblingWindow,
        _checked_params,
        _windowed,
    )
    from towpath.temporal._session import SessionWindow

    if not isinstance(window, (TumblingWindow, SlidingWindow, SessionWindow)):
        raise TypeError(
            f"Table.window_join(window={window!r}): expected pw.temporal.tumbling(...), "
            "sliding(...) or session(...)."
        )
    kind = _kind(how)
    s = _Sides(left, right, self_time, other_time, on, left_instance, right_instance,
               "window_join")
    lw, rw = s.lw, s.rw
    if isinstance(window, SessionWindow):
        wl, wr = _session_windowed(s, window)
    else:
        params = _checked_params(window, s.time_type)

        def windowed(node: plan.Node, time: Any, width: int) -> plan.Node:
            # (time, instance, block..., id) → (instance, start, end, block..., id) per window.
            pre = _node("Select", {"input": node, "exprs": [
                time, plan.const(None), *_cols(0, width), plan.ID]}, [node],
                ["_pw_time", "_pw_instance", *node.columns[:width], "_pw_id"])
            w = _windowed(pre, window, params, s.time_type, width + 1)
            # The window's start again after the id: the session layout has it there too.
            return _node("Select", {"input": w, "exprs": [*_cols(0, width + 4), plan.col(1)]},
                         [w], [*w.columns, "_pw_start"])

        wl, wr = windowed(s.lnode, s.lt.expr, lw), windowed(s.rnode, s.rt.expr, rw)
    lkeys = [plan.col(1), *(_remap(k, 3, None) for k in s.lkeys)]
    rkeys = [plan.col(1), *(_remap(k, 3, None) for k in s.rkeys)]
    # Each windowed side: instance, window key, end, block, id, start.
    roff = lw + 5
    jcols = [*wl.columns, *wr.columns, "_pw_lid", "_pw_rid"]
    joined = _node("Join", {"left": wl, "right": wr, "left_keys": lkeys, "right_keys": rkeys,
                            "kind": "Inner", "id": "Hash"}, [wl, wr], jcols)
    bounds = [plan.col(lw + 4), plan.col(2)]
    pairs = _node("Select", {"input": joined, "exprs": [
        *_cols(3, lw), *_cols(roff + 3, rw), plan.col(3 + lw), plan.col(roff + 3 + rw),
        *bounds]}, [joined], [*s.columns(), "_pw_window_start", "_pw_window_end"])
    # A row without a partner counts once per window it is in: the windowed rows' own ids.
    lmiss = rmiss = None
    if kind in ("Left", "Outer"):
        extra = (plan.col(lw + 4), plan.col(2))
        lmiss = s.unmatched(joined, roff + rw + 5, wl, 3, lw, left=True, extra=extra)
    if kind in ("Right", "Outer"):
        extra = (plan.col(rw + 4), plan.col(2))
        rmiss = s.unmatched(joined, roff + rw + 6, wr, 3, rw, left=False, extra=extra)
    res = s.result(pairs, lmiss, rmiss, kind)
    bound_type = s.time_type if kind == "Inner" else dt.Optional(s.time_type)
    result = WindowJoinResult(res._lctx, res._rctx, res._node, kind, res._shared, Universe(),
                              bound_type)
    result._session = isinstance(window, SessionWindow)
    return result


class _WindowJoinContext(JoinContext):
    """A window join's columns, plus ``pw.this._pw_window_start``, ``_pw_window_end`` and
    ``_pw_window`` (``(None, start, end)``): the shared window, or the unmatched row's."""

    def __init__(self, jr: Any) -> None:
        super().__init__(jr)
        self.width = jr._lw + jr._rw + 4  # the window's bounds follow the ids

    def this_ref(self, kind: str, name: str) -> Compiled:
        jr: Any = self.jr
        base = jr._lw + jr._rw + 2
        if kind == "this" and name in ("_pw_window_start", "_pw_window_end"):
            return Compiled(plan.col(base + (name == "_pw_window_end")), jr._bound_type)
        if kind == "this" and name == "_pw_window":
            parts = [plan.const(None), plan.col(base), plan.col(base + 1)]
            inner = jr._bound_type.strip_optional()
            t: dt.DType = dt.Tuple(dt.NONE, inner, inner)
            expr = plan.make_tuple(parts)
            if jr._session:  # a session is named by a Pointer, as in windowby
                expr, t = plan.pointer_from(parts), dt.POINTER
            return Compiled(expr, dt.Optional(t) if jr._kind != "Inner" else t)
        return super().this_ref(kind, name)


class WindowJoinResult(JoinResult):
    """The result of ``window_join``: ``select`` also reads the window's columns."""

    def __init__(self, lctx: Any, rctx: Any, node: plan.Node, kind: str, shared: set[str],
                 universe: Universe, bound_type: dt.DType) -> None:
        super().__init__(lctx, rctx, node, kind, shared, universe)
        self._bound_type = bound_type
        self._session = False

    @user_errors
    def select(self, *args: Any, **kwargs: Any) -> Any:
        """The joined rows, one column per argument."""
        from towpath.internals.table import Table, named_expressions

        ctx = _WindowJoinContext(self)
        ctx.memoize = False  # the Select below remembers non-deterministic UDF results
        exprs = named_expressions(args, kwargs, ctx.all_columns)
        compiled = {n: ctx.compile(e) for n, e in exprs.items()}
        params = {"input": ctx.node, "exprs": [c.expr for c in compiled.values()]}
        node = plan.Node("Select", params, [ctx.node], list(compiled))
        return Table._from_node(node, {n: c.dtype for n, c in compiled.items()}, self._universe)


def _session_windowed(s: _Sides, window: Any) -> tuple[plan.Node, plan.Node]:
    """Both sides as (instance, session, end, block..., id, start), one row per input row.

    Sessions are formed over both sides' times together, per value of the ``on`` keys (as in
    Pathway); column 1 is the session's identity (its first row), which the join matches on."""
    from towpath.temporal._session import session_bounds, together_expr

    together = together_expr(window, s.time_type)

    def marked(node: plan.Node, time: Any, keys: list, side: int) -> plan.Node:
        # The instance is the on-keys' values; the mark is the row's id and side, so rows of
        # the two sides with one id stay apart.
        mark = plan.pointer_from([plan.ID, plan.const(side)])
        return _node("Select", {"input": node, "exprs": [time, plan.make_tuple(keys), mark]},
                     [node], ["_pw_time", "_pw_instance", "_pw_mark"])

    ml = marked(s.lnode, s.lt.expr, s.lkeys, 0)
    mr = marked(s.rnode, s.rt.expr, s.rkeys, 1)
    both = _node("ConcatReindex", {"inputs": [ml, mr]}, [ml, mr], ml.columns)
    bounds = session_bounds(both, True, together)
    by_mark = _node("Reindex", {"input": bounds, "id": plan.col(2)}, [bounds], bounds.columns)

    def attach(node: plan.Node, width: int, side: int) -> plan.Node:
        mark = plan.pointer_from([plan.ID, plan.const(side)])
        cols = [*node.columns[:width], *by_mark.columns, "_pw_lid", "_pw_rid"]
        joined = _node("Join", {"left": node, "right": by_mark, "left_keys": [mark],
                                "right_keys": [plan.ID], "kind": "Inner", "id": "Left"},
                       [node, by_mark], cols)
        b = width  # by_mark's columns: time, instance, mark, start, end, first row id
        return _node("Select", {"input": joined, "exprs": [
            plan.col(b + 1), plan.col(b + 5), plan.col(b + 4), *_cols(0, width),
            plan.col(b + 6), plan.col(b + 3)]}, [joined],
            ["_pw_instance", "_pw_session", "_pw_window_end", *node.columns[:width], "_pw_id",
             "_pw_start"])

    return attach(s.lnode, s.lw, 0), attach(s.rnode, s.rw, 1)


# --- asof_now_join ---------------------------------------------------------------------


@user_errors
def asof_now_join(left: Any, right: Any, *on: Any, how: Any = JoinMode.INNER, id: Any = None,
                  left_instance: Any = None, right_instance: Any = None) -> JoinResult:
    """``left.asof_now_join(right, *on)``: each left row joined with ``right`` as it is when the
    row arrives; the result is never revised when ``right`` changes later."""
    from towpath.internals.joins import _id_mode

    kind = _kind(how)
    if kind not in ("Inner", "Left"):
        raise ValueError(
            f"asof_now_join supports how=JoinMode.INNER and JoinMode.LEFT, found {how!r}."
        )
    lctx, rctx = _TableSide(left, "left"), _TableSide(right, "right")
    lkeys, rkeys, shared = join_keys(lctx, rctx, on)
    if (left_instance is None) != (right_instance is None):
        raise ValueError("asof_now_join: give both left_instance and right_instance, or neither.")
    if left_instance is not None:
        lkeys.append(plan.make_tuple([lctx.compile(wrap(left_instance)).expr]))
        rkeys.append(plan.make_tuple([rctx.compile(wrap(right_instance)).expr]))
    id_mode = _id_mode(id, left, right)
    if id_mode == "Right":
        raise ValueError("asof_now_join(id=...) has to be the id of the left table.")
    lnode, rnode = lctx.node, rctx.node
    for ctx in (lctx, rctx):
        ctx.frozen = True
    columns = [*lnode.columns, *rnode.columns, "_left_id", "_right_id"]
    params = {"left": lnode, "right": rnode, "left_keys": lkeys, "right_keys": rkeys,
              "kind": kind, "id": id_mode}
    node = _node("AsofNowJoin", params, [lnode, rnode], columns)
    universe = Universe(subset_of=left._universe) if id_mode == "Left" else Universe()
    return JoinResult(lctx, rctx, node, kind, shared, universe)


class TemporalJoins:
    """``Table`` methods for the temporal joins (mixed into ``Table``)."""

    def interval_join(self, other: Any, self_time: Any, other_time: Any, interval: Any,
                      *on: Any, behavior: Any = None, how: Any = JoinMode.INNER,
                      left_instance: Any = None, right_instance: Any = None) -> JoinResult:
        """Pairs with ``other_time - self_time`` in the interval (see the module doc)."""
        return interval_join(self, other, self_time, other_time, interval, *on,
                             behavior=behavior, how=how, left_instance=left_instance,
                             right_instance=right_instance)

    def interval_join_inner(self, other: Any, self_time: Any, other_time: Any, interval: Any,
                            *on: Any, behavior: Any = None, left_instance: Any = None,
                            right_instance: Any = None) -> JoinResult:
        """``interval_join(..., how=JoinMode.INNER)``."""
        return interval_join(self, other, self_time, other_time, interval, *on,
                             behavior=behavior, how=JoinMode.INNER,
                             left_instance=left_instance, right_instance=right_instance)

    def interval_join_left(self, other: Any, self_time: Any, other_time: Any, interval: Any,
                           *on: Any, behavior: Any = None, left_instance: Any = None,
                           right_instance: Any = None) -> JoinResult:
        """``interval_join(..., how=JoinMode.LEFT)``: unmatched left rows too."""
        return interval_join(self, other, self_time, other_time, interval, *on,
                             behavior=behavior, how=JoinMode.LEFT,
                             left_instance=left_instance, right_instance=right_instance)

    def interval_join_right(self, other: Any, self_time: Any, other_time: Any, interval: Any,
                            *on: Any, behavior: Any = None, left_instance: Any = None,
                            right_instance: Any = None) -> JoinResult:
        """``interval_join(..., how=JoinMode.RIGHT)``: unmatched right rows too."""
        return interval_join(self, other, self_time, other_time, interval, *on,
                             behavior=behavior, how=JoinMode.RIGHT,
                             left_instance=left_instance, right_instance=right_instance)

    def interval_join_outer(self, other: Any, self_time: Any, other_time: Any, interval: Any,
                            *on: Any, behavior: Any = None, left_instance: Any = None,
                            right_instance: Any = None) -> JoinResult:
        """``interval_join(..., how=JoinMode.OUTER)``: unmatched rows of both sides too."""
        return interval_join(self, other, self_time, other_time, interval, *on,
                             behavior=behavior, how=JoinMode.OUTER,
                             left_instance=left_instance, right_instance=right_instance)

    def window_join(self, other: Any, self_time: Any, other_time: Any, window: Any, *on: Any,
                    how: Any = JoinMode.INNER, left_instance: Any = None,
                    right_instance: Any = None) -> JoinResult:
        """Pairs of rows sharing a window (see the module doc)."""
        return window_join(self, other, self_time, other_time, window, *on, how=how,
                           left_instance=left_instance, right_instance=right_instance)

    def window_join_inner(self, other: Any, self_time: Any, other_time: Any, window: Any,
                          *on: Any, left_instance: Any = None,
                          right_instance: Any = None) -> JoinResult:
        """``window_join(..., how=JoinMode.INNER)``."""
        return window_join(self, other, self_time, other_time, window, *on, how=JoinMode.INNER,
                           left_instance=left_instance, right_instance=right_instance)

    def window_join_left(self, other: Any, self_time: Any, other_time: Any, window: Any,
                         *on: Any, left_instance: Any = None,
                         right_instance: Any = None) -> JoinResult:
        """``window_join(..., how=JoinMode.LEFT)``: unmatched left rows per window too."""
        return window_join(self, other, self_time, other_time, window, *on, how=JoinMode.LEFT,
                           left_instance=left_instance, right_instance=right_instance)

    def window_join_right(self, other: Any, self_time: Any, other_time: Any, window: Any,
                          *on: Any, left_instance: Any = None,
                          right_instance: Any = None) -> JoinResult:
        """``window_join(..., how=JoinMode.RIGHT)``: unmatched right rows per window too."""
        return window_join(self, other, self_time, other_time, window, *on, how=JoinMode.RIGHT,
                           left_instance=left_instance, right_instance=right_instance)

    def window_join_outer(self, other: Any, self_time: Any, other_time: Any, window: Any,
                          *on: Any, left_instance: Any = None,
                          right_instance: Any = None) -> JoinResult:
        """``window_join(..., how=JoinMode.OUTER)``: unmatched rows of both sides too."""
        return window_join(self, other, self_time, other_time, window, *on, how=JoinMode.OUTER,
                           left_instance=left_instance, right_instance=right_instance)

    def asof_now_join(self, other: Any, *on: Any, how: Any = JoinMode.INNER, id: Any = None,
                      left_instance: Any = None, right_instance: Any = None) -> JoinResult:
        """Each row joined with ``other`` as it is when the row arrives (never revised)."""
        return asof_now_join(self, other, *on, how=how, id=id, left_instance=left_instance,
                             right_instance=right_instance)

    def asof_now_join_inner(self, other: Any, *on: Any, id: Any = None,
                            left_instance: Any = None, right_instance: Any = None) -> JoinResult:
        """``asof_now_join(..., how=JoinMode.INNER)``."""
        return asof_now_join(self, other, *on, how=JoinMode.INNER, id=id,
                             left_instance=left_instance, right_instance=right_instance)

    def asof_now_join_left(self, other: Any, *on: Any, id: Any = None,
                           left_instance: Any = None, right_instance: Any = None) -> JoinResult:
        """``asof_now_join(..., how=JoinMode.LEFT)``: a row without a match gets Nones."""
        return asof_now_join(self, other, *on, how=JoinMode.LEFT, id=id,
                             left_instance=left_instance, right_instance=right_instance)
