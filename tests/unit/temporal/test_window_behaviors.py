"""Behaviours with ``session`` and ``intervals_over`` windows, and with instances.

Observed with Pathway 0.33 (run this file with ``--engine=pathway``): Pathway accepts a
behaviour with session windows (``common_behavior`` and ``exactly_once_behavior``) and with
``intervals_over`` (``common_behavior`` only) but does not apply it: every row is used and
windows are output at once. The watermark of a behaviour is global, not per instance.
"""

import datetime
import logging

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index

ON_PATHWAY = not hasattr(pw.temporal, "late_rows")
towpath_only = pytest.mark.skipif(ON_PATHWAY, reason="a towpath addition")

BEHAVIORS = [
    pw.temporal.common_behavior(cutoff=5),
    pw.temporal.common_behavior(cutoff=0, keep_results=False),
    pw.temporal.common_behavior(delay=1000),
    pw.temporal.exactly_once_behavior(),
    pw.temporal.exactly_once_behavior(shift=3),
]

STREAM = """
   | k | t  | v | __time__
 1 | a | 1  | 1 | 2
 2 | a | 2  | 2 | 2
 3 | a | 12 | 3 | 4
 4 | a | 3  | 4 | 6
 5 | a | 25 | 5 | 8
 6 | a | 4  | 6 | 10
 7 | a | 14 | 7 | 10
 8 | a | 35 | 8 | 12
 9 | a | 13 | 9 | 14
"""

SESSIONS = """
_pw_window_start | _pw_window_end | n | s  | __time__ | __diff__
1                | 2              | 2 | 3  | 2        | 1
12               | 12             | 1 | 3  | 4        | 1
1                | 2              | 2 | 3  | 6        | -1
1                | 3              | 3 | 7  | 6        | 1
25               | 25             | 1 | 5  | 8        | 1
1                | 3              | 3 | 7  | 10       | -1
12               | 12             | 1 | 3  | 10       | -1
1                | 4              | 4 | 13 | 10       | 1
12               | 14             | 2 | 10 | 10       | 1
35               | 35             | 1 | 8  | 12       | 1
12               | 14             | 2 | 10 | 14       | -1
12               | 14             | 3 | 19 | 14       | 1
"""


def sessions(window, behavior, instance=None):
    return T(STREAM).windowby(pw.this.t, window=window, behavior=behavior,
                              instance=instance).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, n=pw.reducers.count(),
        s=pw.reducers.sum(pw.this.v))


@pytest.mark.parametrize("behavior", BEHAVIORS, ids=repr)
def test_session_windows_do_not_apply_a_behavior(behavior):
    expected = T(SESSIONS)
    window = pw.temporal.session(max_gap=3)
    assert_stream_equality_wo_index(sessions(window, behavior), expected)
    window = pw.temporal.session(predicate=lambda a, b: b - a < 3)
    assert_stream_equality_wo_index(sessions(window, behavior, pw.this.k), expected)


@pytest.mark.parametrize("behavior", BEHAVIORS[:3], ids=repr)
def test_intervals_over_windows_do_not_apply_a_common_behavior(behavior):
    data = T("""
       | t   | v | __time__
     1 | 1   | 1 | 2
     2 | 100 | 2 | 4
     3 | 2   | 3 | 6
    """)
    at = T("""
       | t   | __time__
     1 | 1   | 2
     2 | 100 | 4
    """)
    window = pw.temporal.intervals_over(at=at.t, lower_bound=-2, upper_bound=2)
    result = data.windowby(pw.this.t, window=window, behavior=behavior).reduce(
        pw.this._pw_window_location, n=pw.reducers.count())
    assert_stream_equality_wo_index(result, T("""
    _pw_window_location | n | __time__ | __diff__
    1                   | 1 | 2        | 1
    100                 | 1 | 4        | 1
    1                   | 1 | 6        | -1
    1                   | 2 | 6        | 1
    """))


def test_intervals_over_rejects_exactly_once_at_the_windowby_line():
    data = T("""
    t
    1
    """)
    window = pw.temporal.intervals_over(at=data.t, lower_bound=-2, upper_bound=2)
    with pytest.raises(TypeError):
        data.windowby(pw.this.t, window=window, behavior=pw.temporal.exactly_once_behavior())


@towpath_only
def test_an_ignored_behavior_is_logged_and_has_no_late_rows(caplog):
    with caplog.at_level(logging.WARNING, logger="towpath"):
        result = sessions(pw.temporal.session(max_gap=3), pw.temporal.common_behavior(cutoff=0))
    assert "no effect on SessionWindow" in caplog.text
    late = pw.temporal.late_rows(result)
    assert list(late.schema.column_names()) == [
        "k", "t", "v", "_pw_instance", "_pw_window_start", "_pw_window_end"]
    rows = []
    pw.io.subscribe(late, on_change=lambda **kwargs: rows.append(kwargs))
    pw.run()
    assert rows == []


INSTANCES = """
   | k | t    | v | __time__
 1 | A | 1    | 1 | 2
 2 | B | 5    | 2 | 2
 3 | A | 1000 | 3 | 4
 4 | B | 6    | 4 | 6
 5 | A | 2    | 5 | 8
"""


def test_one_instance_makes_rows_of_another_late():
    # A's 1000 is the watermark for every instance: B's t=6 (window end 10 + 5) is late.
    result = T(INSTANCES).windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=10), instance=pw.this.k,
        behavior=pw.temporal.common_behavior(cutoff=5),
    ).reduce(pw.this._pw_instance, pw.this._pw_window_start, n=pw.reducers.count())
    assert_stream_equality_wo_index(result, T("""
    _pw_instance | _pw_window_start | n | __time__ | __diff__
    A            | 0                | 1 | 2        | 1
    B            | 0                | 1 | 2        | 1
    A            | 1000             | 1 | 4        | 1
    """))


def test_exactly_once_windows_close_on_the_global_watermark():
    result = T(INSTANCES).windowby(
        pw.this.t, window=pw.temporal.sliding(hop=5, duration=10), instance=pw.this.k,
        behavior=pw.temporal.exactly_once_behavior(),
    ).reduce(pw.this._pw_instance, pw.this._pw_window_start, n=pw.reducers.count())
    assert_stream_equality_wo_index(result, T("""
    _pw_instance | _pw_window_start | n | __time__             | __diff__
    A            | -5               | 1 | 2                    | 1
    A            | 0                | 1 | 4                    | 1
    B            | 0                | 1 | 4                    | 1
    B            | 5                | 1 | 4                    | 1
    A            | 995              | 1 | 18446744073709551614 | 1
    A            | 1000             | 1 | 18446744073709551614 | 1
    """))


def test_forgetting_after_a_delay_watches_the_release_thresholds():
    # Windows are forgotten once max(time, start + delay) of the rows let through reaches
    # end + cutoff. Window 10 (row t=17, released at time 8 as 10 + 5 <= 22) is forgotten at
    # the end of input, when window 30 is let through: max(30, 35) reaches 20 + 3.
    data = T("""
       | t  | v | __time__
     1 | 30 | 1 | 10
     2 | 17 | 2 | 8
     3 | 22 | 3 | 6
    """)
    result = data.windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=10),
        behavior=pw.temporal.common_behavior(delay=5, cutoff=3, keep_results=False),
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v))
    assert_stream_equality_wo_index(result, T("""
    _pw_window_start | n | s | __time__             | __diff__
    10               | 1 | 2 | 8                    | 1
    20               | 1 | 3 | 10                   | 1
    10               | 1 | 2 | 18446744073709551614 | -1
    30               | 1 | 1 | 18446744073709551614 | 1
    """))


def test_forgetting_sliding_windows_after_a_long_delay():
    data = T("""
       | t  | v | __time__ | __diff__
     1 | 39 | 1 | 12       | 1
     2 | 38 | 2 | 8        | 1
     3 | 5  | 3 | 8        | 1
     4 | 26 | 4 | 12       | 1
     5 | 36 | 5 | 10       | 1
     5 | 36 | 5 | 14       | -1
     6 | 9  | 6 | 4        | 1
    """)
    result = data.windowby(
        pw.this.t, window=pw.temporal.sliding(hop=2, duration=10),
        behavior=pw.temporal.common_behavior(delay=10, cutoff=8, keep_results=False),
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v))
    # Windows -4..0 go at time 10 (max(9, 8 + 10) = 18 >= 10 + 8), 2..8 at 12 (window 28,
    # let through at 10, moves the watermark to 38).
    assert_stream_equality_wo_index(result, T("""
    _pw_window_start | n | s | __time__             | __diff__
    -4               | 1 | 3 | 8                    | 1
    -2               | 1 | 3 | 8                    | 1
    0                | 2 | 9 | 8                    | 1
    2                | 2 | 9 | 8                    | 1
    4                | 2 | 9 | 8                    | 1
    6                | 1 | 6 | 8                    | 1
    8                | 1 | 6 | 8                    | 1
    -4               | 1 | 3 | 10                   | -1
    -2               | 1 | 3 | 10                   | -1
    0                | 2 | 9 | 10                   | -1
    28               | 1 | 5 | 10                   | 1
    2                | 2 | 9 | 12                   | -1
    4                | 2 | 9 | 12                   | -1
    6                | 1 | 6 | 12                   | -1
    8                | 1 | 6 | 12                   | -1
    22               | 1 | 4 | 12                   | 1
    24               | 1 | 4 | 12                   | 1
    26               | 1 | 4 | 12                   | 1
    28               | 1 | 5 | 14                   | -1
    30               | 2 | 3 | 18446744073709551614 | 1
    32               | 2 | 3 | 18446744073709551614 | 1
    34               | 2 | 3 | 18446744073709551614 | 1
    36               | 2 | 3 | 18446744073709551614 | 1
    38               | 2 | 3 | 18446744073709551614 | 1
    """))


def test_datetime_windows_with_delay_and_forgetting(capsys):
    t = T("""
       | at                  | v | __time__
     1 | 2024-01-01T10:00:00 | 1 | 2
     2 | 2024-01-01T10:20:00 | 2 | 4
     3 | 2024-01-01T10:05:00 | 3 | 6
     4 | 2024-01-01T10:17:00 | 4 | 8
     5 | 2024-01-01T10:41:00 | 5 | 10
     6 | 2024-01-01T10:13:00 | 6 | 12
    """).with_columns(at=pw.this.at.dt.strptime("%Y-%m-%dT%H:%M:%S"))
    minutes = datetime.timedelta(minutes=1)
    behavior = pw.temporal.common_behavior(delay=15 * minutes, cutoff=2 * minutes,
                                           keep_results=False)
    result = t.windowby(pw.this.at, window=pw.temporal.tumbling(duration=10 * minutes),
                        behavior=behavior).reduce(pw.this._pw_window_start, n=pw.reducers.count())
    pw.debug.compute_and_print_update_stream(result, include_id=False)
    assert capsys.readouterr().out == (
        "_pw_window_start    | n | __time__             | __diff__\n"
        "2024-01-01 10:00:00 | 1 | 4                    | 1\n"
        "2024-01-01 10:00:00 | 1 | 10                   | -1\n"
        "2024-01-01 10:10:00 | 1 | 10                   | 1\n"
        "2024-01-01 10:20:00 | 1 | 10                   | 1\n"
        "2024-01-01 10:10:00 | 1 | 18446744073709551614 | -1\n"
        "2024-01-01 10:20:00 | 1 | 18446744073709551614 | -1\n"
        "2024-01-01 10:40:00 | 1 | 18446744073709551614 | 1\n"
    )
