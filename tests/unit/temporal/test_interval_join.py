"""Table.interval_join (and _inner/_left/_right/_outer): left `t` and right `s` match when
``t + lower <= s <= t + upper``.

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``).
"""

import datetime

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index

LEFT = """
  | a | t | __time__ | __diff__
1 | 1 | 3 | 2        | 1
2 | 1 | 7 | 2        | 1
3 | 2 | 4 | 4        | 1
1 | 1 | 3 | 6        | -1
"""

RIGHT = """
  | b | s  | __time__ | __diff__
5 | 1 | 2  | 2        | 1
6 | 1 | 5  | 4        | 1
7 | 2 | 20 | 4        | 1
"""


def joined(how):
    t1, t2 = T(LEFT), T(RIGHT)
    method = getattr(t1, f"interval_join_{how}")
    return method(t2, t1.t, t2.s, pw.temporal.interval(-2, 1), t1.a == t2.b).select(
        t1.a, t1.t, pw.right.s, pw.right.b)


def test_inner_stream():
    expected = T(
        """
        a | t | s | b | __time__ | __diff__
        1 | 3 | 2 | 1 | 2        | 1
        1 | 7 | 5 | 1 | 4        | 1
        1 | 3 | 2 | 1 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(joined("inner"), expected)


def test_left_stream_retracts_the_unmatched_row_when_a_match_arrives():
    expected = T(
        """
        a | t | s | b | __time__ | __diff__
        1 | 3 | 2 | 1 | 2        | 1
        1 | 7 |   |   | 2        | 1
        1 | 7 |   |   | 4        | -1
        1 | 7 | 5 | 1 | 4        | 1
        2 | 4 |   |   | 4        | 1
        1 | 3 | 2 | 1 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(joined("left"), expected)


def test_right_stream_gets_the_unmatched_row_back_when_its_match_is_deleted():
    expected = T(
        """
        a | t | s  | b | __time__ | __diff__
        1 | 3 | 2  | 1 | 2        | 1
          |   | 20 | 2 | 4        | 1
        1 | 7 | 5  | 1 | 4        | 1
        1 | 3 | 2  | 1 | 6        | -1
          |   | 2  | 1 | 6        | 1
        """
    )
    assert_stream_equality_wo_index(joined("right"), expected)


def test_outer_stream():
    expected = T(
        """
        a | t | s  | b | __time__ | __diff__
        1 | 3 | 2  | 1 | 2        | 1
        1 | 7 |    |   | 2        | 1
        1 | 7 |    |   | 4        | -1
          |   | 20 | 2 | 4        | 1
        1 | 7 | 5  | 1 | 4        | 1
        2 | 4 |    |   | 4        | 1
        1 | 3 | 2  | 1 | 6        | -1
          |   | 2  | 1 | 6        | 1
        """
    )
    assert_stream_equality_wo_index(joined("outer"), expected)


def test_how_argument_and_bounds_are_inclusive():
    t1, t2 = T(LEFT), T(RIGHT)
    # t=4 matches s=2 (4 - 2 = lower) and s=5; t=7 matches s=5 (7 - 2 = 5).
    result = t1.interval_join(t2, t1.t, t2.s, pw.temporal.interval(-2, 1),
                              how=pw.JoinMode.LEFT).select(*pw.left, *pw.right)
    expected = T(
        """
        a | t | b | s
        1 | 7 | 1 | 5
        2 | 4 | 1 | 2
        2 | 4 | 1 | 5
        """
    ).update_types(b=int | None, s=int | None)
    assert_table_equality_wo_index(result, expected)


def test_ids_of_the_sides_are_visible():
    t1, t2 = T(LEFT), T(RIGHT)
    result = t1.interval_join(t2, t1.t, t2.s, pw.temporal.interval(-2, 1)).select(
        pw.left.t, pw.right.s, same_l=pw.left.id == t1.pointer_from(2),
        same_r=pw.right.id == t2.pointer_from(6))
    expected = T(
        """
        t | s | same_l | same_r
        4 | 2 | False  | False
        4 | 5 | False  | True
        7 | 5 | True   | True
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_zero_width_interval_matches_equal_times():
    t1 = T("""
      | t
    1 | 3
    2 | 5
    """)
    t2 = T("""
      | s
    1 | 5
    2 | 6
    """)
    result = t1.interval_join(t2, t1.t, t2.s, pw.temporal.interval(0, 0)).select(
        pw.left.t, pw.right.s)
    assert_table_equality_wo_index(result, T("""
    t | s
    5 | 5
    """))


def test_float_times():
    t1 = T("""
      | t
    1 | 1.5
    2 | 3.0
    """)
    t2 = T("""
      | s
    1 | 2.0
    2 | 4.25
    """)
    result = t1.interval_join_outer(t2, t1.t, t2.s, pw.temporal.interval(0.5, 1.25)).select(
        pw.left.t, pw.right.s)
    expected = T("""
    t   | s
    1.5 | 2.0
    3.0 | 4.25
    """).update_types(t=float | None, s=float | None)
    assert_table_equality_wo_index(result, expected)


def test_datetime_times_with_duration_bounds():
    fmt = "%Y-%m-%dT%H:%M:%S"
    t1 = T("""
      | k | at
    1 | 1 | 2024-01-01T10:00:00
    2 | 2 | 2024-01-01T10:30:00
    """).with_columns(at=pw.this.at.dt.strptime(fmt))
    t2 = T("""
      | k | ra
    1 | 1 | 2024-01-01T10:04:00
    2 | 1 | 2024-01-01T10:06:00
    3 | 2 | 2024-01-01T10:25:00
    """).with_columns(ra=pw.this.ra.dt.strptime(fmt))
    result = t1.interval_join_left(
        t2, t1.at, t2.ra,
        pw.temporal.interval(datetime.timedelta(minutes=-5), datetime.timedelta(minutes=5)),
        t1.k == t2.k,
    ).select(t1.k, pw.right.ra)
    # 10:06 is 6 minutes after 10:00: outside [-5 min, +5 min].
    expected = T("""
    k | ra
    1 | 2024-01-01T10:04:00
    2 | 2024-01-01T10:25:00
    """).with_columns(ra=pw.this.ra.dt.strptime(fmt)).update_types(
        ra=pw.DateTimeNaive | None)
    assert_table_equality_wo_index(result, expected)


def test_mismatched_time_and_bound_types_are_type_errors():
    t1, t2 = T(LEFT), T(RIGHT)
    with pytest.raises(TypeError):
        t1.interval_join(t2, t1.t, t2.s,
                         pw.temporal.interval(datetime.timedelta(0), datetime.timedelta(1))
                         ).select(pw.left.a)
