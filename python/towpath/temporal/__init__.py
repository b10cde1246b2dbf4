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

Behaviours: ``behavior=pw.temporal.common_behavior(delay, cutoff, keep_results)`` or
``exactly_once_behavior(shift)``; rows a cutoff ignores are listed by ``late_rows(result)``.
Temporal joins: ``asof_join``, ``asof_now_join``, ``interval_join`` (with ``interval``),
``window_join``.
"""

from __future__ import annotations

from towpath.internals.behaviors import (
    CommonBehavior,
    ExactlyOnceBehavior,
    common_behavior,
    exactly_once_behavior,
    late_rows,
)
from towpath.internals.temporal_joins import Interval, interval
from towpath.internals.windows import SlidingWindow, TumblingWindow, Window, sliding, tumbling
from towpath.temporal._asof import AsofJoinResult, Direction
from towpath.temporal._intervals import IntervalsOverWindow, intervals_over
from towpath.temporal._session import SessionWindow, session

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
    "late_rows",
    "session",
    "sliding",
    "tumbling",
]
