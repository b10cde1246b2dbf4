"""Window behaviours (``pw.temporal.common_behavior``, ``exactly_once_behavior``), the state
tools of tables (``forget``, ``buffer``, ``ignore_late``, ``filter_out_results_of_forgetting``)
and the late rows table (``pw.temporal.late_rows``).

All of them lower onto ``Gate`` nodes (``towpath_plan::gate``): a watermark (the largest time
seen so far, over all workers) and a threshold per row. For a window behaviour, the rows of the
windowed table (one per row and window containing it: columns ``instance, start, end, ...``,
the time last) pass through, in this order:

- ``Freeze`` on ``end + cutoff``: rows arriving once the watermark (of earlier times) has
  reached it are late: dropped, counted in ``pw.run()``'s ``late_rows`` statistic, and listed by
  ``pw.temporal.late_rows(result)`` (a ``Late`` gate, the complement).
- ``Buffer`` on ``start + delay``: rows held until the watermark reaches it.
- ``Forget`` on ``end + cutoff``, its watermark over ``max(time, start + delay)``: rows of
  windows past their cutoff are retracted, so the groupby after it frees them. With
  ``keep_results=True`` the retractions come at odd times and a ``DropForgetting`` node after
  the groupby drops what they cause: the results stay.

``exactly_once_behavior(shift)`` is ``Freeze`` and ``Buffer`` on ``end + shift`` (and the same
forgetting, results kept). Any window kind whose rows carry ``start`` and ``end`` in columns 1
and 2 can use ``gate_windows`` (tumbling and sliding do; Pathway 0.33 does not apply behaviours
to session and intervals_over windows, nor does towpath). Join behaviours:
``towpath.internals.join_behaviors``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan

_DATETIMES = (dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC)


@dataclass(frozen=True)
class CommonBehavior:
    """``common_behavior(delay, cutoff, keep_results)``: when windows are output, until when
    they accept rows, and whether they stay once past their cutoff."""

    delay: Any = None
    cutoff: Any = None
    keep_results: bool = True


@dataclass(frozen=True)
class ExactlyOnceBehavior:
    """``exactly_once_behavior(shift)``: each window output once, ``shift`` after its end."""

    shift: Any = None


def common_behavior(delay: Any = None, cutoff: Any = None,
                    keep_results: bool = True) -> CommonBehavior:
    """Windows are output once the largest time seen reaches ``start + delay``; rows arriving
    once it has reached ``end + cutoff`` are late (ignored, see ``pw.temporal.late_rows``);
    with ``keep_results=False`` windows past their cutoff are also removed from the result."""
    if cutoff is None and not keep_results:
        raise ValueError("common_behavior(keep_results=False) needs a cutoff: windows are "
                         "removed from the result once past it.")
    return CommonBehavior(delay, cutoff, keep_results)


def exactly_once_behavior(shift: Any = None) -> ExactlyOnceBehavior:
    """Each window is output once, when the largest time seen reaches ``end + shift``; later
    rows for it are late."""
    return ExactlyOnceBehavior(shift)


def _checked(value: Any, name: str, time_type: dt.DType) -> Any:
    """A behaviour parameter as a value that can be added to the time column."""
    if time_type in _DATETIMES:
        if isinstance(value, datetime.timedelta):
            return value
        ok = False
    elif time_type == dt.INT:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif time_type == dt.FLOAT:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    else:
        ok = False
    if not ok:
        want = "a Duration (datetime.timedelta)" if time_type in _DATETIMES else "a number"
        raise TypeError(f"The behaviour's {name}={value!r} does not fit a time column of type "
                        f"{time_type!r}: it has to be {want}.")
    return value


def _gate(node: plan.Node, threshold: Any, time: Any, mode: Any) -> plan.Node:
    params = {"input": node, "threshold": threshold, "time": time, "mode": mode}
    return plan.Node("Gate", params, [node], node.columns)


def _plus(column: int, amount: Any) -> Any:
    return plan.binary("Add", plan.col(column), plan.const(amount))


@dataclass
class Gated:
    """A windowed node after its behaviour: ``drop_forgetting`` says whether the groupby over it
    needs a ``DropForgetting`` node; ``late`` makes the late-rows gate for a node of the same
    shape (or is None: nothing can be late)."""

    node: plan.Node
    drop_forgetting: bool
    late: Any


def gate_windows(node: plan.Node, behavior: Any, time_type: dt.DType, time: int) -> Gated:
    """Applies ``behavior`` to windowed rows ``[instance, start, end, ...]`` whose column
    ``time`` holds the row's time."""
    zero: Any = datetime.timedelta(0) if time_type in _DATETIMES else 0
    if isinstance(behavior, ExactlyOnceBehavior):
        shift = _checked(behavior.shift if behavior.shift is not None else zero, "shift", time_type)
        delay_thr, cutoff_thr, keep = _plus(2, shift), _plus(2, shift), True
    elif isinstance(behavior, CommonBehavior):
        delay_thr = cutoff_thr = None
        if behavior.delay is not None:
            delay_thr = _plus(1, _checked(behavior.delay, "delay", time_type))
        if behavior.cutoff is not None:
            cutoff_thr = _plus(2, _checked(behavior.cutoff, "cutoff", time_type))
        keep = behavior.keep_results
    else:
        raise TypeError(f"windowby(behavior={behavior!r}): use pw.temporal.common_behavior(...) "
                        "or pw.temporal.exactly_once_behavior(...).")
    t = plan.col(time)
    if cutoff_thr is not None:
        node = _gate(node, cutoff_thr, t, "Freeze")
    if delay_thr is not None:
        node = _gate(node, delay_thr, t, "Buffer")
    late = None
    if cutoff_thr is not None:
        # Forgetting watches max(time, start + delay) of the rows the delay let through (as
        # Pathway 0.33 does, checked on random streams): with a delay, a window released late
        # moves the forgetting watermark to its release threshold.
        forget_time = t if delay_thr is None else plan.if_else(
            plan.binary("Ge", t, delay_thr), t, delay_thr)
        node = _gate(node, cutoff_thr, forget_time, {"Forget": {"mark": keep}})
        threshold = cutoff_thr

        def late(other: plan.Node) -> plan.Node:
            return _gate(other, threshold, plan.col(len(other.columns) - 1), "Late")

    return Gated(node, keep and cutoff_thr is not None, late)


def drop_forgetting(node: plan.Node) -> plan.Node:
    """The node without the updates forgetting caused (those at odd times)."""
    return plan.Node("DropForgetting", {"input": node}, [node], node.columns)


# --- pw.temporal.late_rows ------------------------------------------------------------------


def late_rows(table: Any) -> Any:
    """The rows a cutoff ignored, as a table: for ``windowby(...).reduce(...)`` with a cutoff
    (``common_behavior(cutoff=...)``, ``exactly_once_behavior``), one row per input row and
    window it came too late for — the input's columns, then ``_pw_instance``,
    ``_pw_window_start`` and ``_pw_window_end``; for ``ignore_late``, the input rows it dropped;
    for a join, both sides' late rows as an outer join's unmatched rows (``join_behaviors``).
    Rows appear at the time they arrived (and leave when a late deletion arrives)."""
    factory = getattr(table, "_late_rows", None)
    if factory is None:
        raise ValueError(
            "pw.temporal.late_rows() takes the result of windowby(..., behavior=...).reduce(...), "
            "of asof_join/interval_join(..., behavior=...) (or its select(...)) with a cutoff, "
            "or of Table.ignore_late(...)."
        )
    return factory()


# --- Table.forget / buffer / ignore_late ------------------------------------------------------


def table_gate(table: Any, threshold_column: Any, time_column: Any, mode: Any,
                instance_column: Any = None) -> Any:
    from towpath.internals.context import TableContext
    from towpath.internals.expression import wrap
    from towpath.internals.table import Table
    from towpath.internals.universe import Universe

    if instance_column is not None:
        raise NotImplementedError("towpath's forget/buffer/freeze have one watermark per table: "
                                  "instance_column is not supported yet.")
    ctx = TableContext(table)
    thr = ctx.compile(wrap(threshold_column))
    tim = ctx.compile(wrap(time_column))
    node = _gate(ctx.node, thr.expr, tim.expr, mode)
    result = Table._from_node(ctx.project_back(node), table._columns,
                              Universe(subset_of=table._universe))
    if mode == "Freeze":
        late = ctx.project_back(_gate(ctx.node, thr.expr, tim.expr, "Late"))

        def late_table() -> Any:
            return Table._from_node(late, table._columns, Universe(subset_of=table._universe))

        result._late_rows = late_table
    return result


def forget(table: Any, time_column: Any, threshold: Any, mark_forgetting_records: bool = False,
           instance_column: Any = None) -> Any:
    """``Table.forget``: rows are removed once the largest ``time_column`` seen (before the
    current time) reaches ``time_column + threshold``."""
    return table_gate(table, time_column + threshold, time_column,
                       {"Forget": {"mark": bool(mark_forgetting_records)}}, instance_column)


def buffer(table: Any, time_column: Any, threshold: Any, instance_column: Any = None) -> Any:
    """``Table.buffer``: rows are held until the largest ``time_column`` seen reaches
    ``time_column + threshold`` (everything still held is output at the end of input)."""
    return table_gate(table, time_column + threshold, time_column, "Buffer", instance_column)


def ignore_late(table: Any, time_column: Any, threshold: Any, instance_column: Any = None) -> Any:
    """``Table.ignore_late``: rows arriving once the largest ``time_column`` seen before them
    reaches their ``time_column + threshold`` are dropped (see ``pw.temporal.late_rows``)."""
    return table_gate(table, time_column + threshold, time_column, "Freeze", instance_column)


def filter_out_results_of_forgetting(table: Any) -> Any:
    """``Table.filter_out_results_of_forgetting``: drops what ``forget(...,
    mark_forgetting_records=True)`` upstream caused, so earlier results stay."""
    from towpath.internals.table import Table
    from towpath.internals.universe import Universe

    node = drop_forgetting(table._node)
    return Table._from_node(node, table._columns, Universe(subset_of=table._universe))
