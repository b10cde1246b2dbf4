"""Table.windowby with pw.temporal.intervals_over: a closed window around each `at` value.

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``).
"""

import datetime

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index

DATA = """
  | t | v | k
1 | 0 | 1 | a
2 | 1 | 2 | b
3 | 4 | 3 | a
4 | 7 | 4 | a
5 | 8 | 5 | b
"""

AT = """
  | t
1 | 2
2 | 7
3 | 20
4 | 7
"""


def over(data, at, **window):
    return data.windowby(data.t, window=pw.temporal.intervals_over(at=at.t, **window))


def test_outer_windows_are_closed_and_empty_ones_hold_one_none_row():
    t, at = T(DATA), T(AT)
    result = over(t, at, lower_bound=-2, upper_bound=1).reduce(
        pw.this._pw_window_location, pw.this._pw_window_start, pw.this._pw_window_end,
        n=pw.reducers.count(), hi=pw.reducers.max(pw.this.v),
    )
    # Location 7 appears twice in `at`: its window holds each data row twice.
    expected = T(
        """
        _pw_window_location | _pw_window_start | _pw_window_end | n | hi
        2                   | 0                | 3              | 2 | 2
        7                   | 5                | 8              | 4 | 5
        20                  | 18               | 21             | 1 |
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_inner_windows_drop_empty_ones():
    t, at = T(DATA), T(AT)
    result = over(t, at, lower_bound=-2, upper_bound=1, is_outer=False).reduce(
        pw.this._pw_window_location, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v)
    )
    expected = T(
        """
        _pw_window_location | n | s
        2                   | 2 | 3
        7                   | 4 | 18
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_outer_windows_make_data_columns_optional():
    t, at = T(DATA), T(AT)
    with pytest.raises(TypeError, match="reducer sum on column of type Optional"):
        over(t, at, lower_bound=-2, upper_bound=1).reduce(s=pw.reducers.sum(pw.this.v))


def test_instance_splits_windows_and_empty_windows_have_no_instance():
    t, at = T(DATA), T("  | t\n1 | 2\n2 | 7\n3 | 20")
    result = t.windowby(
        t.t, window=pw.temporal.intervals_over(at=at.t, lower_bound=-2, upper_bound=1),
        instance=t.k,
    ).reduce(pw.this._pw_window_location, pw.this._pw_instance, n=pw.reducers.count())
    expected = T(
        """
        _pw_window_location | _pw_instance | n
        2                   | a            | 1
        2                   | b            | 1
        7                   | a            | 1
        7                   | b            | 1
        20                  |              | 1
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_float_bounds_on_int_times_give_float_starts():
    t, at = T(DATA), T("  | t\n1 | 2")
    result = over(t, at, lower_bound=-2.5, upper_bound=1).reduce(
        pw.this._pw_window_start, n=pw.reducers.count()
    )
    assert_table_equality_wo_index(result, T("_pw_window_start | n\n-0.5 | 2"))


def test_datetime_times_with_duration_bounds():
    data = T(
        """
          | ts                  | v
        1 | 2024-01-01T10:07:00 | 1
        2 | 2024-01-01T10:14:59 | 2
        3 | 2024-01-01T10:15:00 | 3
        """
    ).select(pw.this.v, ts=pw.this.ts.dt.strptime("%Y-%m-%dT%H:%M:%S"))
    at = T("  | ts\n1 | 2024-01-01T10:15:00\n2 | 2024-01-01T09:00:00").select(
        ts=pw.this.ts.dt.strptime("%Y-%m-%dT%H:%M:%S")
    )
    window = pw.temporal.intervals_over(
        at=at.ts, lower_bound=datetime.timedelta(minutes=-8), upper_bound=datetime.timedelta(0)
    )
    result = data.windowby(data.ts, window=window).reduce(
        start=pw.this._pw_window_start.dt.strftime("%H:%M"), n=pw.reducers.count(),
        total=pw.reducers.count(pw.this.v),
    )
    assert_table_equality_wo_index(
        result, T("start | n | total\n08:52 | 1 | 1\n10:07 | 3 | 3")
    )


def test_update_streams_on_both_sides():
    t = T(
        """
          | t | v | __time__ | __diff__
        1 | 1 | 1 | 2        | 1
        2 | 5 | 2 | 4        | 1
        1 | 1 | 1 | 6        | -1
        """
    )
    at = T(
        """
          | t | __time__ | __diff__
        1 | 2 | 2        | 1
        2 | 5 | 4        | 1
        1 | 2 | 8        | -1
        """
    )
    result = over(t, at, lower_bound=-1, upper_bound=1).reduce(
        pw.this._pw_window_location, n=pw.reducers.count(), lo=pw.reducers.min(pw.this.v)
    )
    expected = T(
        """
        _pw_window_location | n | lo | __time__ | __diff__
        2                   | 1 | 1  | 2        | 1
        5                   | 1 | 2  | 4        | 1
        2                   | 1 | 1  | 6        | -1
        2                   | 1 |    | 6        | 1
        2                   | 1 |    | 8        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_lower_bound_above_upper_bound_is_a_value_error():
    t, at = T(DATA), T(AT)
    with pytest.raises(ValueError, match="lower_bound has to be less than or equal to the "
                                         "upper_bound"):
        over(t, at, lower_bound=2, upper_bound=1).reduce(n=pw.reducers.count())
