"""Table.windowby with pw.temporal.tumbling / sliding, then reduce.

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``).
"""

import datetime

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index

INTS = """
  | t  | v
1 | 0  | 1
2 | 1  | 2
3 | 4  | 3
4 | 5  | 4
5 | -1 | 5
6 | 10 | 6
"""


def window_rows(table, window, **kwargs):
    """start, end, number of rows and sorted times of each window."""
    return table.windowby(pw.this.t, window=window, **kwargs).reduce(
        start=pw.this._pw_window_start,
        end=pw.this._pw_window_end,
        n=pw.reducers.count(),
        ts=pw.reducers.sorted_tuple(pw.this.t),
    )


def bounds(table):
    """Sorted (start, end) pairs, read exactly (markdown float cells are not needed)."""
    frame = pw.debug.table_to_pandas(table, include_id=False)
    return sorted(zip(frame["start"].tolist(), frame["end"].tolist(), strict=True))


def printed(table, capsys):
    pw.debug.compute_and_print(table, include_id=False)
    return capsys.readouterr().out


def test_tumbling_windows_are_half_open_and_cover_negative_times():
    t = T(INTS)
    result = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=5)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end,
        n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v),
    )
    expected = T(
        """
        _pw_window_start | _pw_window_end | n | s
        -5               | 0              | 1 | 5
        0                | 5              | 3 | 6
        5                | 10             | 1 | 4
        10               | 15             | 1 | 6
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_window_tuple_and_instance_columns(capsys):
    t = T(INTS)
    result = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=5)).reduce(
        pw.this._pw_window, pw.this._pw_instance, n=pw.reducers.count()
    )
    assert printed(result, capsys) == (
        "_pw_window     | _pw_instance | n\n"
        "(None, -5, 0)  |              | 1\n"
        "(None, 0, 5)   |              | 3\n"
        "(None, 5, 10)  |              | 1\n"
        "(None, 10, 15) |              | 1\n"
    )


def test_instance_splits_windows_and_is_first_in_the_window_tuple(capsys):
    t = T(
        """
          | t    | v | k
        1 | 0.5  | 1 | a
        2 | 1.25 | 2 | b
        3 | 4.0  | 3 | a
        4 | 5.5  | 4 | a
        5 | -1.5 | 5 | b
        """
    )
    result = t.windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=2.5), instance=pw.this.k
    ).reduce(pw.this._pw_window, pw.this._pw_instance, s=pw.reducers.sum(pw.this.v))
    assert printed(result, capsys) == (
        "_pw_window       | _pw_instance | s\n"
        "('a', 0.0, 2.5)  | a            | 1\n"
        "('a', 2.5, 5.0)  | a            | 3\n"
        "('a', 5.0, 7.5)  | a            | 4\n"
        "('b', -2.5, 0.0) | b            | 5\n"
        "('b', 0.0, 2.5)  | b            | 2\n"
    )


def test_sliding_windows_start_below_zero():
    t = T(INTS)
    result = t.windowby(pw.this.t, window=pw.temporal.sliding(hop=2, duration=5)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, n=pw.reducers.count(),
        lo=pw.reducers.min(pw.this.t), hi=pw.reducers.max(pw.this.t),
    )
    expected = T(
        """
        _pw_window_start | _pw_window_end | n | lo | hi
        -4               | 1              | 2 | -1 | 0
        -2               | 3              | 3 | -1 | 1
        0                | 5              | 3 | 0  | 4
        2                | 7              | 2 | 4  | 5
        4                | 9              | 2 | 4  | 5
        6                | 11             | 1 | 10 | 10
        8                | 13             | 1 | 10 | 10
        10               | 15             | 1 | 10 | 10
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_sliding_with_ratio_and_positional_arguments():
    t = T(INTS)
    by_ratio = window_rows(t, pw.temporal.sliding(2, ratio=3)).select(
        pw.this.start, pw.this.end, pw.this.n
    )
    expected = T(
        """
        start | end | n
        -6    | 0   | 1
        -4    | 2   | 3
        -2    | 4   | 3
        0     | 6   | 4
        2     | 8   | 2
        4     | 10  | 2
        6     | 12  | 1
        8     | 14  | 1
        10    | 16  | 1
        """
    )
    assert_table_equality_wo_index(by_ratio, expected)


def test_sliding_hop_longer_than_duration_leaves_gaps():
    result = window_rows(T(INTS), pw.temporal.sliding(hop=3, duration=1)).select(
        pw.this.start, pw.this.end, pw.this.n
    )
    expected = T(
        """
        start | end | n
        0     | 1   | 1
        -3    | -2  | 0
        """
    ).filter(pw.this.n > 0)
    assert_table_equality_wo_index(result, expected)


def test_origin_drops_windows_starting_before_it():
    t = T(INTS)
    tumbling = window_rows(t, pw.temporal.tumbling(duration=5, origin=2)).select(
        pw.this.start, pw.this.end, pw.this.n
    )
    sliding = window_rows(t, pw.temporal.sliding(hop=2, duration=5, origin=1)).select(
        pw.this.start, pw.this.end, pw.this.n
    )
    assert_table_equality_wo_index(tumbling, T("start | end | n\n2 | 7 | 2\n7 | 12 | 1"))
    expected = T(
        """
        start | end | n
        1     | 6   | 3
        3     | 8   | 2
        5     | 10  | 1
        7     | 12  | 1
        9     | 14  | 1
        """
    )
    assert_table_equality_wo_index(sliding, expected)


def test_float_times_take_int_durations_and_origins():
    t = T(
        """
          | t
        1 | 0.5
        2 | 1.5
        """
    )
    result = window_rows(t, pw.temporal.tumbling(duration=1, origin=1))
    assert bounds(result) == [(1.0, 2.0)]


def test_float_window_bounds_are_rounded_as_pathway_does():
    t = T(
        """
          | t
        1 | 1.0
        2 | 0.6
        3 | 0.7
        4 | -0.3
        """
    ).select(t=pw.cast(float, pw.this.t))
    result = window_rows(t, pw.temporal.tumbling(duration=0.1))
    # floor(1.0 / 0.1) == 10 but 1.0 // 0.1 == 9.0; 0.6 / 0.1 == 5.999999999999999.
    assert bounds(result) == [
        (-0.30000000000000004, -0.2),
        (0.5, 0.6000000000000001),
        (0.6000000000000001, 0.7000000000000001),
        (1.0, 1.1),
    ]


def test_float_tumbling_with_origin_keeps_each_time_inside_its_float_bounds():
    t = T(
        """
          | t
        1 | -0.3
        2 | 1.0
        """
    ).select(t=pw.cast(float, pw.this.t))
    result = window_rows(t, pw.temporal.tumbling(duration=0.1, origin=-3.3))
    # (-0.3 + 3.3) / 0.1 == 30.0, but window 30 starts at -0.2999999999999998 > -0.3.
    assert bounds(result) == [(-0.39999999999999947, -0.2999999999999998), (1.0, 1.1000000000000005)]


def test_float_sliding_rounding_can_put_a_time_in_one_more_window():
    t = T("  | t\n1 | 3").select(t=pw.cast(float, pw.this.t))
    result = window_rows(t, pw.temporal.sliding(hop=0.1, duration=0.2))
    assert bounds(result) == [
        (2.8000000000000003, 3.0000000000000004),
        (2.9000000000000004, 3.1000000000000005),
        (3.0, 3.2),
    ]


def naive_times(*values):
    rows = "\n".join(f"{i + 1} | {v}" for i, v in enumerate(values))
    t = T("  | ts\n" + rows)
    return t.select(ts=pw.this.ts.dt.strptime("%Y-%m-%dT%H:%M:%S"))


def datetime_windows(table, window):
    return table.windowby(pw.this.ts, window=window).reduce(
        start=pw.this._pw_window_start.dt.strftime("%Y-%m-%dT%H:%M:%S"),
        end=pw.this._pw_window_end.dt.strftime("%Y-%m-%dT%H:%M:%S"),
        n=pw.reducers.count(),
    )


def test_datetime_naive_tumbling_and_sliding_with_origin():
    t = naive_times("2024-01-01T10:07:00", "2024-01-01T10:14:59", "2024-01-01T10:15:00",
                    "2023-12-31T23:59:00")
    quarter = datetime.timedelta(minutes=15)
    tumbling = datetime_windows(t, pw.temporal.tumbling(duration=quarter))
    expected = T(
        """
        start               | end                 | n
        2023-12-31T23:45:00 | 2024-01-01T00:00:00 | 1
        2024-01-01T10:00:00 | 2024-01-01T10:15:00 | 2
        2024-01-01T10:15:00 | 2024-01-01T10:30:00 | 1
        """
    )
    assert_table_equality_wo_index(tumbling, expected)
    sliding = datetime_windows(t, pw.temporal.sliding(
        hop=pw.Duration(minutes=10), duration=quarter,
        origin=pw.DateTimeNaive("2024-01-01T10:03:00"),
    ))
    expected = T(
        """
        start               | end                 | n
        2024-01-01T10:03:00 | 2024-01-01T10:18:00 | 3
        2024-01-01T10:13:00 | 2024-01-01T10:28:00 | 2
        """
    )
    assert_table_equality_wo_index(sliding, expected)


def test_datetime_windows_without_origin_align_to_1973():
    t = naive_times("2024-01-01T10:07:00", "1970-01-01T10:00:00", "1969-12-31T10:00:00")
    result = datetime_windows(t, pw.temporal.tumbling(duration=datetime.timedelta(hours=7)))
    expected = T(
        """
        start               | end                 | n
        2024-01-01T07:00:00 | 2024-01-01T14:00:00 | 1
        1970-01-01T05:00:00 | 1970-01-01T12:00:00 | 1
        1969-12-31T08:00:00 | 1969-12-31T15:00:00 | 1
        """
    )
    assert_table_equality_wo_index(result, expected)
    weeks = datetime_windows(t, pw.temporal.tumbling(duration=datetime.timedelta(days=7)))
    starts = weeks.select(pw.this.start)
    assert_table_equality_wo_index(
        starts, T("start\n2024-01-01T00:00:00\n1969-12-29T00:00:00")
    )


def test_datetime_utc_windows_with_origin():
    t = naive_times("2024-01-01T10:07:00", "2024-01-01T14:00:00").select(
        ts=pw.this.ts.dt.to_utc("Europe/Warsaw")
    )
    window = pw.temporal.tumbling(
        duration=datetime.timedelta(hours=7),
        origin=datetime.datetime(2024, 1, 1, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
    )
    result = t.windowby(pw.this.ts, window=window).reduce(
        start=pw.this._pw_window_start.dt.strftime("%Y-%m-%dT%H:%M:%S%z"), n=pw.reducers.count()
    )
    assert_table_equality_wo_index(result, T("start | n\n2024-01-01T09:00:00+0000 | 2"))


STREAM = """
  | t  | v | __time__ | __diff__
1 | 1  | 1 | 2        | 1
2 | 3  | 2 | 2        | 1
3 | 6  | 3 | 4        | 1
1 | 1  | 1 | 6        | -1
2 | 3  | 2 | 8        | -1
2 | 7  | 5 | 8        | 1
"""


def test_update_stream_tumbling_rows_leave_their_windows():
    result = T(STREAM).windowby(pw.this.t, window=pw.temporal.tumbling(duration=5)).reduce(
        pw.this._pw_window_start, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v)
    )
    expected = T(
        """
        _pw_window_start | n | s | __time__ | __diff__
        0                | 2 | 3 | 2        | 1
        5                | 1 | 3 | 4        | 1
        0                | 2 | 3 | 6        | -1
        0                | 1 | 2 | 6        | 1
        0                | 1 | 2 | 8        | -1
        5                | 1 | 3 | 8        | -1
        5                | 2 | 8 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_update_stream_sliding_empty_windows_disappear():
    window = pw.temporal.sliding(hop=2, duration=4)
    result = T(STREAM).windowby(pw.this.t, window=window).reduce(
        pw.this._pw_window_start, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v)
    )
    expected = T(
        """
        _pw_window_start | n | s | __time__ | __diff__
        -2               | 1 | 1 | 2        | 1
        0                | 2 | 3 | 2        | 1
        2                | 1 | 2 | 2        | 1
        4                | 1 | 3 | 4        | 1
        6                | 1 | 3 | 4        | 1
        -2               | 1 | 1 | 6        | -1
        0                | 2 | 3 | 6        | -1
        0                | 1 | 2 | 6        | 1
        0                | 1 | 2 | 8        | -1
        2                | 1 | 2 | 8        | -1
        4                | 1 | 3 | 8        | -1
        6                | 1 | 3 | 8        | -1
        4                | 2 | 8 | 8        | 1
        6                | 2 | 8 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_reduce_computes_over_window_columns_and_time_expressions():
    t = T(
        """
          | t | k
        1 | 0 | a
        2 | 1 | b
        """
    )
    result = t.windowby(
        pw.this.t + 1, window=pw.temporal.tumbling(duration=2), instance=pw.this.k
    ).reduce(
        pw.this._pw_instance,
        mid=(pw.this._pw_window_start + pw.this._pw_window_end) / 2,
        n=pw.reducers.count() + 1,
    )
    expected = T(
        """
        _pw_instance | mid | n
        a            | 1   | 2
        b            | 3   | 2
        """
    ).with_columns(mid=pw.cast(float, pw.this.mid))
    assert_table_equality_wo_index(result, expected)


# --- errors --------------------------------------------------------------------------------


def test_a_column_outside_a_reducer_is_an_error():
    t = T(INTS)
    with pytest.raises(ValueError, match=r"You cannot use <table\d+>\.v in this reduce statement"):
        t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=2)).reduce(pw.this.v)


def test_mismatched_time_and_duration_types_are_a_type_error():
    t = naive_times("2024-01-01T10:07:00")
    with pytest.raises(TypeError, match=re_escape(
        "Arguments (time_expr, window.hop) have to be of types (INT, INT) or (FLOAT, FLOAT) or "
        "(DATE_TIME_NAIVE, DURATION) or (DATE_TIME_UTC, DURATION) but are of types "
        "(DATE_TIME_NAIVE, INT)."
    )):
        t.windowby(pw.this.ts, window=pw.temporal.tumbling(duration=5)).reduce(
            n=pw.reducers.count()
        )


def test_mismatched_origin_type_is_a_type_error():
    t = naive_times("2024-01-01T10:07:00").select(ts=pw.this.ts.dt.to_utc("UTC"))
    window = pw.temporal.tumbling(duration=datetime.timedelta(hours=1),
                                  origin=datetime.datetime(2024, 1, 1))
    with pytest.raises(TypeError, match=re_escape(
        "Arguments (time_expr, window.hop, window.origin) have to be of types (INT, INT, INT) "
        "or (FLOAT, FLOAT, FLOAT) or (DATE_TIME_NAIVE, DURATION, DATE_TIME_NAIVE) or "
        "(DATE_TIME_UTC, DURATION, DATE_TIME_UTC) but are of types "
        "(DATE_TIME_UTC, DURATION, DATE_TIME_NAIVE)."
    )):
        t.windowby(pw.this.ts, window=window).reduce(n=pw.reducers.count())


def test_optional_time_column_is_a_type_error():
    t = T("  | t\n1 | 1\n2 |")
    with pytest.raises(TypeError, match=re_escape("but are of types (Optional(INT), INT, INT)")):
        t.windowby(pw.this.t, window=pw.temporal.sliding(hop=2, duration=5)).reduce(
            n=pw.reducers.count()
        )


def test_sliding_needs_exactly_one_of_duration_and_ratio():
    with pytest.raises(ValueError, match=re_escape(
        "At least one of the parameters [duration, ratio] should be provided."
    )):
        pw.temporal.sliding(hop=2)
    with pytest.raises(ValueError, match=re_escape(
        "Cannot provide both [duration, ratio] at the same time."
    )):
        pw.temporal.sliding(hop=2, duration=3, ratio=2)


@pytest.mark.pathway_defect("an int time with a float duration fails at run time")
def test_int_time_with_float_duration_is_a_build_time_type_error():
    t = T(INTS)
    with pytest.raises(TypeError, match=re_escape("but are of types (INT, FLOAT)")):
        t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=1.5)).reduce(
            n=pw.reducers.count()
        )


@pytest.mark.pathway_defect("a zero duration panics the engine, a negative one gives no rows")
@pytest.mark.parametrize("window", [
    pw.temporal.tumbling(duration=0),
    pw.temporal.tumbling(duration=-2),
    pw.temporal.sliding(hop=0, duration=3),
    pw.temporal.sliding(hop=1, duration=0),
])
def test_non_positive_durations_are_a_value_error(window):
    t = T(INTS)
    with pytest.raises(ValueError, match="has to be positive"):
        t.windowby(pw.this.t, window=window).reduce(n=pw.reducers.count())


@pytest.mark.skipif(pw.__name__ == "pathway", reason="Pathway supports behaviors")
def test_a_wrong_behavior_is_an_error_naming_the_line():
    t = T(INTS)
    with pytest.raises(TypeError, match="behavior") as info:
        t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=2), behavior="late")
    assert "test_windows.py" in "\n".join(getattr(info.value, "__notes__", []))


def re_escape(text):
    import re

    return re.escape(text)
