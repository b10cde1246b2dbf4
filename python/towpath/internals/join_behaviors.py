"""Behaviours of the temporal joins (``asof_join`` and ``interval_join`` with
``behavior=pw.temporal.common_behavior(delay, cutoff, keep_results)``), and of the window kinds on
which Pathway 0.33 accepts a behaviour without applying it (``session``, ``intervals_over``).

Joins (as observed with Pathway 0.33): each side of the join is gated **on its own**, before
the join, with a watermark of its own (the largest time of that side; the other side's times do
not count, nor do ``on`` keys or instances split it):

- ``Buffer`` on ``time + delay``: a row is held until its side's watermark reaches it; rows
  still held at the end of input come at the end of input;
- ``Freeze`` on ``time + cutoff``, after the buffer (so its watermark is that of the rows the
  buffer has let through): a row arriving once that watermark has reached its threshold is late,
  dropped, counted (``late_rows`` statistic) and listed by ``pw.temporal.late_rows(result)``;
- ``Forget`` on ``time + cutoff``: rows past the cutoff leave the join (its arrangements free
  them); with ``keep_results=True`` the retractions come at odd times and a ``DropForgetting``
  node after the join drops what they cause, so the pairs already produced stay.

``exactly_once_behavior`` is rejected by joins (``ValueError``, as in Pathway).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.behaviors import (
    CommonBehavior,
    ExactlyOnceBehavior,
    _checked,
    _gate,
    drop_forgetting,
)

_DATETIMES = (dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC)
_log = logging.getLogger("towpath")


def check_join_behavior(behavior: Any) -> CommonBehavior | None:
    """The behaviour of a join, or Pathway's ValueError for anything but ``common_behavior``."""
    if behavior is None or isinstance(behavior, CommonBehavior):
        return behavior
    raise ValueError(
        "The behavior argument of join should be of type pw.temporal.CommonBehavior "
        f"(pw.temporal.common_behavior(...)), found {behavior!r}."
    )


def _param(value: Any, name: str, time_type: dt.DType) -> Any:
    base = time_type.strip_optional() if time_type.is_optional() else time_type
    if base == dt.DURATION:
        if not isinstance(value, datetime.timedelta):
            raise TypeError(f"The behaviour's {name}={value!r} does not fit a time column of "
                            f"type {time_type!r}: it has to be a Duration (datetime.timedelta).")
        return value
    return _checked(value, name, base)


class GatedSide:
    """One side of a join after its behaviour: ``node`` has the side's columns; ``late`` the
    rows its cutoff dropped (same columns), or None without a cutoff."""

    def __init__(self, node: plan.Node, late: plan.Node | None) -> None:
        self.node = node
        self.late = late


def gate_side(node: plan.Node, time: Any, time_type: dt.DType,
              behavior: CommonBehavior) -> GatedSide:
    """``node`` (a join side) gated by ``behavior``; ``time`` is its time expression."""
    plus = {}
    for name in ("delay", "cutoff"):
        value = getattr(behavior, name)
        if value is not None:
            plus[name] = plan.binary("Add", time, plan.const(_param(value, name, time_type)))
    if "delay" in plus:
        node = _gate(node, plus["delay"], time, "Buffer")
    late = None
    if "cutoff" in plus:
        late = _gate(node, plus["cutoff"], time, "Late")
        node = _gate(node, plus["cutoff"], time, "Freeze")
        node = _gate(node, plus["cutoff"], time, {"Forget": {"mark": behavior.keep_results}})
    return GatedSide(node, late)


def keeps_results(behavior: CommonBehavior | None) -> bool:
    """Whether the join's output needs a ``DropForgetting`` node (forgetting marked)."""
    return behavior is not None and behavior.cutoff is not None and behavior.keep_results


def finish(node: plan.Node, behavior: CommonBehavior | None) -> plan.Node:
    """The join's output node, without the consequences of marked forgetting."""
    return drop_forgetting(node) if keeps_results(behavior) else node


def late_layout(left: GatedSide, right: GatedSide, lw: int, rw: int,
                columns: list[str]) -> plan.Node | None:
    """The late rows of both sides in the join layout (left block, right block, left id, right
    id): a late left row has Nones for the right block and right id, and vice versa."""
    parts = []
    none = plan.const(None)
    if left.late is not None:
        exprs = [*(plan.col(i) for i in range(lw)), *(none for _ in range(rw)), plan.ID, none]
        parts.append(plan.Node("Select", {"input": left.late, "exprs": exprs}, [left.late],
                               columns))
    if right.late is not None:
        exprs = [*(none for _ in range(lw)), *(plan.col(i) for i in range(rw)), none, plan.ID]
        parts.append(plan.Node("Select", {"input": right.late, "exprs": exprs}, [right.late],
                               columns))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return plan.Node("ConcatReindex", {"inputs": parts}, parts, columns)


def attach_late_rows(result: Any, late: plan.Node | None) -> Any:
    """Makes ``pw.temporal.late_rows`` work on ``result`` (a join result) and on the tables its
    ``select`` gives: the late rows as an outer join result (the side a row did not come from
    is None), selected with the same arguments."""
    if late is None:
        return result
    from towpath.internals.joins import JoinResult
    from towpath.internals.universe import Universe

    def late_result() -> Any:
        return JoinResult(result._lctx, result._rctx, late, "Outer", result._shared, Universe())

    result._late_rows = late_result
    plain_select = result.select

    def select(*args: Any, **kwargs: Any) -> Any:
        table = plain_select(*args, **kwargs)
        table._late_rows = lambda: late_result().select(*args, **kwargs)
        return table

    result.select = select
    return result


# --- windows on which Pathway ignores a behaviour -----------------------------------------


def ignored_window_behavior(window: Any, behavior: Any) -> None:
    """Pathway 0.33 accepts ``behavior=`` with ``session`` windows (both kinds) and with
    ``intervals_over`` (``common_behavior`` only: anything else is a TypeError at the
    ``windowby`` line) but does not apply it; towpath does the same and says so in the log."""
    from towpath.temporal._intervals import IntervalsOverWindow

    kind = type(window).__name__
    if isinstance(window, IntervalsOverWindow) and not isinstance(behavior, CommonBehavior):
        raise TypeError(
            f"windowby(window=pw.temporal.intervals_over(...), behavior={behavior!r}): "
            "intervals_over windows take behavior=pw.temporal.common_behavior(...) or None."
        )
    if isinstance(behavior, (CommonBehavior, ExactlyOnceBehavior)):
        _log.warning("windowby(behavior=%r) has no effect on %s windows (as in Pathway 0.33): "
                     "every row is used and windows are output at once.", behavior, kind)


def empty_late_rows(table: Any, time_expr: Any, instance: Any) -> Any:
    """The late rows table of a window result whose behaviour is not applied: empty, with the
    columns of ``late_rows`` for windows (the input's, then ``_pw_instance``,
    ``_pw_window_start``, ``_pw_window_end``)."""
    from towpath.internals.context import TableContext
    from towpath.internals.expression import ThisColumn, wrap
    from towpath.internals.table import Table

    ctx = TableContext(table)
    own = [ctx.compile(ThisColumn("this", n)) for n in table._columns]
    time_c = ctx.compile(wrap(time_expr))
    inst_c = ctx.compile(wrap(instance)) if instance is not None else None
    inst_expr = inst_c.expr if inst_c is not None else plan.const(None)
    columns = dict(table._columns)
    columns.update({"_pw_instance": inst_c.dtype if inst_c is not None else dt.NONE,
                    "_pw_window_start": time_c.dtype, "_pw_window_end": time_c.dtype})
    node = ctx.node
    exprs = [*(c.expr for c in own), inst_expr, time_c.expr, time_c.expr]
    sel = plan.Node("Select", {"input": node, "exprs": exprs}, [node], list(columns))
    empty = plan.Node("Filter", {"input": sel, "predicate": plan.const(False)}, [sel],
                      list(columns))
    return Table._from_node(empty, columns)
