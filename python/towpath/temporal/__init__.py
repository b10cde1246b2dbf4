"""Windows over time (``pw.temporal``): ``Table.windowby`` with ``tumbling`` or ``sliding``.

>>> import towpath as pw
>>> t = pw.debug.table_from_markdown('''
...   | t | v
... 1 | 1 | 10
... 2 | 4 | 20
... 3 | 6 | 30
... ''')
>>> w = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=5)).reduce(
...     pw.this._pw_window_start, pw.this._pw_window_end, total=pw.reducers.sum(pw.this.v))
>>> pw.debug.compute_and_print(w, include_id=False)
_pw_window_start | _pw_window_end | total
0                | 5              | 30
5                | 10             | 30

Not supported yet: ``behavior=`` (``common_behavior``, ``exactly_once_behavior``), ``session``
windows, temporal joins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from towpath.internals.temporal_joins import Interval, interval
from towpath.internals.windows import SlidingWindow, TumblingWindow, Window, sliding, tumbling
from towpath.temporal._intervals import IntervalsOverWindow, intervals_over


@dataclass(frozen=True)
class CommonBehavior:
    """``common_behavior(delay, cutoff, keep_results)``: accepted, but ``windowby`` rejects it
    (not supported yet)."""

    delay: Any = None
    cutoff: Any = None
    keep_results: bool = True


@dataclass(frozen=True)
class ExactlyOnceBehavior:
    """``exactly_once_behavior(shift)``: accepted, but ``windowby`` rejects it (not supported
    yet)."""

    shift: Any = None


def common_behavior(delay: Any = None, cutoff: Any = None,
                    keep_results: bool = True) -> CommonBehavior:
    """A window behaviour (not supported by ``windowby`` yet: it raises NotImplementedError)."""
    return CommonBehavior(delay, cutoff, keep_results)


def exactly_once_behavior(shift: Any = None) -> ExactlyOnceBehavior:
    """A window behaviour (not supported by ``windowby`` yet: it raises NotImplementedError)."""
    return ExactlyOnceBehavior(shift)


def session(*, predicate: Any = None, max_gap: Any = None) -> Window:
    """Session windows: not supported by towpath yet."""
    raise NotImplementedError("pw.temporal.session() windows are not supported by towpath yet.")


__all__ = [
    "CommonBehavior",
    "ExactlyOnceBehavior",
    "Interval",
    "IntervalsOverWindow",
    "SlidingWindow",
    "TumblingWindow",
    "Window",
    "common_behavior",
    "exactly_once_behavior",
    "interval",
    "intervals_over",
    "session",
    "sliding",
    "tumbling",
]
