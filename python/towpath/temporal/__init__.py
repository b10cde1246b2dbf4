"""Windows over time (``pw.temporal``): ``Table.windowby`` with ``tumbling``, ``sliding``,
``session`` or ``intervals_over``.

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

Not supported yet: ``behavior=`` (``common_behavior``, ``exactly_once_behavior``), interval and
window joins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from towpath.internals.temporal_joins import Interval, interval
from towpath.internals.windows import SlidingWindow, TumblingWindow, Window, sliding, tumbling
from towpath.temporal._asof import AsofJoinResult, Direction
from towpath.temporal._intervals import IntervalsOverWindow, intervals_over
from towpath.temporal._session import SessionWindow, session


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


__all__ = [
    "AsofJoinResult",
    "CommonBehavior",
    "Direction",
    "ExactlyOnceBehavior",
    "Interval",
    "IntervalsOverWindow",
    "SessionWindow",
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
