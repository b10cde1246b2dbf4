"""Table.window_join (and _inner/_left/_right/_outer): rows sharing a tumbling or sliding window.

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``).
"""

import datetime

import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index

LEFT = """
  | a | t | __time__ | __diff__
1 | 1 | 1 | 2        | 1
2 | 1 | 4 | 2        | 1
3 | 2 | 7 | 4        | 1
1 | 1 | 1 | 6        | -1
"""

RIGHT = """
  | b | s  | __time__ | __diff__
5 | 1 | 2  | 2        | 1
6 | 1 | 5  | 4        | 1
7 | 2 | 20 | 4        | 1
"""


def joined(how, window):
    t1, t2 = T(LEFT), T(RIGHT)
    method = getattr(t1, f"window_join_{how}")
    return method(t2, t1.t, t2.s, window).select(t1.a, t1.t, pw.right.s, pw.right.b)


def test_tumbling_left_stream():
    expected = T(
        """
        a | t | s | b | __time__ | __diff__
        1 | 1 | 2 | 1 | 2        | 1
        1 | 4 |   |   | 2        | 1
        1 | 4 |   |   | 4        | -1
        1 | 4 | 5 | 1 | 4        | 1
        2 | 7 |   |   | 4        | 1
        1 | 1 | 2 | 1 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(joined("left", pw.temporal.tumbling(3)), expected)


def test_tumbling_outer_stream():
    expected = T(
        """
        a | t | s  | b | __time__ | __diff__
        1 | 1 | 2  | 1 | 2        | 1
        1 | 4 |    |   | 2        | 1
        1 | 4 |    |   | 4        | -1
          |   | 20 | 2 | 4        | 1
        1 | 4 | 5  | 1 | 4        | 1
        2 | 7 |    |   | 4        | 1
        1 | 1 | 2  | 1 | 6        | -1
          |   | 2  | 1 | 6        | 1
        """
    )
    assert_stream_equality_wo_index(joined("outer", pw.temporal.tumbling(3)), expected)


def test_sliding_inner_stream_pairs_once_per_shared_window():
    # t=4 and s=5 share the windows [2, 6) and [4, 8): two rows.
    expected = T(
        """
        a | t | s | b | __time__ | __diff__
        1 | 1 | 2 | 1 | 2        | 1
        1 | 4 | 2 | 1 | 2        | 1
        1 | 4 | 5 | 1 | 4        | 1
        1 | 4 | 5 | 1 | 4        | 1
        2 | 7 | 5 | 1 | 4        | 1
        1 | 1 | 2 | 1 | 6        | -1
        """
    )
    window = pw.temporal.sliding(hop=2, duration=4)
    assert_stream_equality_wo_index(joined("inner", window), expected)


def test_sliding_right_stream_has_one_unmatched_row_per_window():
    expected = T(
        """
        a | t | s  | b | __time__ | __diff__
        1 | 1 | 2  | 1 | 2        | 1
        1 | 4 | 2  | 1 | 2        | 1
          |   | 20 | 2 | 4        | 1
          |   | 20 | 2 | 4        | 1
        1 | 4 | 5  | 1 | 4        | 1
        1 | 4 | 5  | 1 | 4        | 1
        2 | 7 | 5  | 1 | 4        | 1
        1 | 1 | 2  | 1 | 6        | -1
          |   | 2  | 1 | 6        | 1
        """
    )
    window = pw.temporal.sliding(hop=2, duration=4)
    assert_stream_equality_wo_index(joined("right", window), expected)


def test_sliding_left_stream():
    expected = T(
        """
        a | t | s | b | __time__ | __diff__
        1 | 1 |   |   | 2        | 1
        1 | 1 | 2 | 1 | 2        | 1
        1 | 4 |   |   | 2        | 1
        1 | 4 | 2 | 1 | 2        | 1
        1 | 4 |   |   | 4        | -1
        1 | 4 | 5 | 1 | 4        | 1
        1 | 4 | 5 | 1 | 4        | 1
        2 | 7 |   |   | 4        | 1
        2 | 7 | 5 | 1 | 4        | 1
        1 | 1 |   |   | 6        | -1
        1 | 1 | 2 | 1 | 6        | -1
        """
    )
    window = pw.temporal.sliding(hop=2, duration=4)
    assert_stream_equality_wo_index(joined("left", window), expected)


def test_on_condition_and_window_start():
    t1, t2 = T(LEFT), T(RIGHT)
    result = t1.window_join(t2, t1.t, t2.s, pw.temporal.tumbling(3), t1.a == t2.b).select(
        pw.left.t, pw.right.s, w=pw.this._pw_window_start, e=pw.this._pw_window_end)
    expected = T(
        """
        t | s | w | e
        4 | 5 | 3 | 6
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_how_argument():
    t1, t2 = T(LEFT), T(RIGHT)
    result = t1.window_join(t2, t1.t, t2.s, pw.temporal.tumbling(3),
                            how=pw.JoinMode.INNER).select(pw.left.t, pw.right.s)
    expected = T(
        """
        t | s
        4 | 5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_datetime_tumbling_windows():
    fmt = "%Y-%m-%dT%H:%M:%S"
    t1 = T("""
      | at
    1 | 2024-01-01T10:07:00
    2 | 2024-01-01T10:16:00
    """).with_columns(at=pw.this.at.dt.strptime(fmt))
    t2 = T("""
      | ra
    1 | 2024-01-01T10:14:00
    2 | 2024-01-01T10:31:00
    """).with_columns(ra=pw.this.ra.dt.strptime(fmt))
    result = t1.window_join_inner(
        t2, t1.at, t2.ra, pw.temporal.tumbling(datetime.timedelta(minutes=15))
    ).select(lm=pw.left.at.dt.minute(), rm=pw.right.ra.dt.minute())
    expected = T("""
    lm | rm
    7  | 14
    """)
    assert_table_equality_wo_index(result, expected)
