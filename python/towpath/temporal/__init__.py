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

Behaviours: ``behavior=pw.temporal.common_behavior(delay, cutoff, keep_results)`` or
``exactly_once_behavior(shift)``; rows a cutoff ignores are listed by ``late_rows(result)``.

Not supported yet: ``session`` windows, temporal joins.
"""

from __future__ import annotations

from typing import Any

from towpath.internals.behaviors import (
    CommonBehavior,
    ExactlyOnceBehavior,
    common_behavior,
    exactly_once_behavior,
    late_rows,
)
from towpath.internals.windows import SlidingWindow, TumblingWindow, Window, sliding, tumbling
from towpath.temporal._intervals import IntervalsOverWindow, intervals_over


def session(*, predicate: Any = None, max_gap: Any = None) -> Window:
    """Session windows: not supported by towpath yet."""
    raise NotImplementedError("pw.temporal.session() windows are not supported by towpath yet.")


__all__ = [
    "CommonBehavior",
    "ExactlyOnceBehavior",
    "IntervalsOverWindow",
    "SlidingWindow",
    "TumblingWindow",
    "Window",
    "common_behavior",
    "exactly_once_behavior",
    "intervals_over",
    "late_rows",
    "session",
    "sliding",
    "tumbling",
]
