"""Table.windowby with pw.temporal.session: windows of neighbouring times (max_gap or predicate).

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``).
"""

import datetime
import re

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index

STREAM = """
  | k | t  | v | __time__ | __diff__
1 | a | 1  | 1 | 2        | 1
2 | a | 3  | 2 | 2        | 1
3 | a | 10 | 3 | 2        | 1
4 | b | 2  | 4 | 2        | 1
5 | a | 6  | 5 | 4        | 1
6 | a | 13 | 6 | 6        | 1
5 | a | 6  | 5 | 8        | -1
7 | a | 3  | 7 | 8        | 1
"""


def test_max_gap_sessions_grow_merge_and_split_per_instance():
    t = T(STREAM)
    result = t.windowby(pw.this.t, window=pw.temporal.session(max_gap=4), instance=pw.this.k).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, pw.this._pw_instance,
        s=pw.reducers.sum(pw.this.v), c=pw.reducers.count(),
    )
    # 6 joins [1, 3] (gap 3 < 4) but not 10 (a gap equal to max_gap splits); its deletion at 8
    # splits [1, 6] back.
    expected = T(
        """
        _pw_window_start | _pw_window_end | _pw_instance | s  | c | __time__ | __diff__
        1                | 3              | a            | 3  | 2 | 2        | 1
        10               | 10             | a            | 3  | 1 | 2        | 1
        2                | 2              | b            | 4  | 1 | 2        | 1
        1                | 3              | a            | 3  | 2 | 4        | -1
        1                | 6              | a            | 8  | 3 | 4        | 1
        10               | 10             | a            | 3  | 1 | 6        | -1
        10               | 13             | a            | 9  | 2 | 6        | 1
        1                | 6              | a            | 8  | 3 | 8        | -1
        1                | 3              | a            | 10 | 3 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_without_instance_all_rows_share_sessions_and_instance_is_none():
    t = T(STREAM)
    result = t.windowby(pw.this.t, window=pw.temporal.session(max_gap=4)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, pw.this._pw_instance,
        s=pw.reducers.sum(pw.this.v), n=pw.reducers.count(),
    )
    expected = T(
        """
        _pw_window_start | _pw_window_end | _pw_instance | s  | n
        1                | 3              |              | 14 | 4
        10               | 13             |              | 9  | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_window_column_is_a_pointer_naming_the_session():
    t = T(STREAM)
    result = t.windowby(pw.this.t, window=pw.temporal.session(max_gap=4), instance=pw.this.k).reduce(
        pw.this._pw_window, pw.this._pw_window_start, pw.this._pw_window_end,
    )
    assert result.schema.typehints()["_pw_window"] == pw.Pointer
    distinct = result.groupby(pw.this._pw_window).reduce(n=pw.reducers.count())
    assert_table_equality_wo_index(distinct, T("n\n1\n1\n1"))


def test_predicate_is_called_on_neighbouring_times_ties_included():
    calls = []

    def pred(a, b):
        calls.append((a, b))
        return b - a < 3 and a != 5

    t = T(
        """
          | t | v | __time__ | __diff__
        1 | 1 | 1 | 2        | 1
        2 | 3 | 2 | 2        | 1
        3 | 3 | 3 | 2        | 1
        4 | 5 | 4 | 2        | 1
        5 | 6 | 5 | 4        | 1
        6 | 5 | 6 | 4        | 1
        """
    )
    result = t.windowby(pw.this.t, window=pw.temporal.session(predicate=pred)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, s=pw.reducers.sum(pw.this.v),
        n=pw.reducers.count(),
    )
    # Both rows at 5 start a new session (the predicate is false from 5), so the stream
    # does not depend on how the tie between them is ordered.
    expected = T(
        """
        _pw_window_start | _pw_window_end | s  | n | __time__ | __diff__
        1                | 5              | 10 | 4 | 2        | 1
        5                | 5              | 6  | 1 | 4        | 1
        6                | 6              | 5  | 1 | 4        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)
    assert {(1, 3), (3, 3), (3, 5), (5, 5), (5, 6)} <= set(calls)


def test_datetime_sessions_with_a_duration_gap():
    t = T(
        """
          | t                   | v
        1 | 2024-01-01T10:00:00 | 1
        2 | 2024-01-01T10:04:00 | 2
        3 | 2024-01-01T10:10:00 | 3
        """
    ).with_columns(t=pw.this.t.dt.strptime("%Y-%m-%dT%H:%M:%S"))
    window = pw.temporal.session(max_gap=datetime.timedelta(minutes=5))
    result = t.windowby(pw.this.t, window=window).reduce(
        start=pw.this._pw_window_start.dt.strftime("%H:%M"),
        end=pw.this._pw_window_end.dt.strftime("%H:%M"),
        s=pw.reducers.sum(pw.this.v),
    )
    assert_table_equality_wo_index(result, T("start | end | s\n10:00 | 10:04 | 3\n10:10 | 10:10 | 3"))


def test_datetime_utc_sessions_and_predicate_on_datetimes():
    t = T(
        """
          | t                         | v
        1 | 2024-01-01T10:00:00+00:00 | 1
        2 | 2024-01-01T10:59:00+00:00 | 2
        3 | 2024-01-01T11:01:00+00:00 | 3
        """
    ).with_columns(t=pw.this.t.dt.strptime("%Y-%m-%dT%H:%M:%S%z"))

    def same_hour(a, b):
        return a.hour == b.hour

    result = t.windowby(pw.this.t, window=pw.temporal.session(predicate=same_hour)).reduce(
        end=pw.this._pw_window_end.dt.strftime("%H:%M"), s=pw.reducers.sum(pw.this.v)
    )
    assert_table_equality_wo_index(result, T("end | s\n10:59 | 3\n11:01 | 3"))


def test_float_times_and_int_gap_mix():
    t = T("  | t   | v\n1 | 1.5 | 1\n2 | 2.0 | 2\n3 | 4   | 3")
    result = t.windowby(pw.this.t, window=pw.temporal.session(max_gap=2)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, s=pw.reducers.sum(pw.this.v)
    )
    expected = T(
        """
        _pw_window_start | _pw_window_end | s
        1.5              | 2.0            | 3
        4.0              | 4.0            | 3
        """
    ).with_columns(_pw_window_end=pw.cast(float, pw.this._pw_window_end))  # "2.0" reads as int
    assert_table_equality_wo_index(result, expected)
    ints = T("  | t | v\n1 | 1 | 1\n2 | 2 | 2\n3 | 3 | 3")
    result = ints.windowby(pw.this.t, window=pw.temporal.session(max_gap=1.5)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, n=pw.reducers.count()
    )
    assert_table_equality_wo_index(
        result, T("_pw_window_start | _pw_window_end | n\n1 | 3 | 3"))


@pytest.mark.parametrize("gap", [0, -1])
def test_non_positive_gap_puts_every_row_alone(gap):
    t = T("  | t | v\n1 | 1 | 1\n2 | 2 | 2\n3 | 2 | 3")
    result = t.windowby(pw.this.t, window=pw.temporal.session(max_gap=gap)).reduce(
        pw.this._pw_window_start, n=pw.reducers.count()
    )
    assert_table_equality_wo_index(result, T("_pw_window_start | n\n1 | 1\n2 | 1\n2 | 1"))


def test_session_needs_exactly_one_of_predicate_and_max_gap():
    with pytest.raises(ValueError, match=re.escape(
        "At least one of the parameters [predicate, max_gap] should be provided."
    )):
        pw.temporal.session()
    with pytest.raises(ValueError, match=re.escape(
        "Cannot provide both [predicate, max_gap] at the same time."
    )):
        pw.temporal.session(max_gap=1, predicate=lambda a, b: True)


@pytest.mark.parametrize(("column", "gap", "types"), [
    ("t", datetime.timedelta(1), "(INT, DURATION)"),
    ("o", 3, "(Optional(INT), INT)"),
])
def test_mismatched_gap_types_are_a_type_error(column, gap, types):
    t = T("  | t | o\n1 | 1 | 1\n2 | 2 |")
    with pytest.raises(TypeError, match=re.escape(
        "Arguments (time_expr, window.max_gap) have to be of types (INT, INT) or (FLOAT, FLOAT) "
        f"or (DATE_TIME_NAIVE, DURATION) or (DATE_TIME_UTC, DURATION) but are of types {types}."
    )):
        t.windowby(t[column], window=pw.temporal.session(max_gap=gap)).reduce(
            n=pw.reducers.count())
