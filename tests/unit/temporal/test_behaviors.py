"""Window behaviours (``common_behavior``, ``exactly_once_behavior``), late rows, and the table
state tools (``forget``, ``buffer``, ``ignore_late``).

Update streams were observed with Pathway 0.33 (run this file with ``--engine=pathway``: the
tests of towpath's additions, ``late_rows`` and the run statistics, are skipped there).
"""

import datetime

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index

ON_PATHWAY = not hasattr(pw.temporal, "late_rows")
towpath_only = pytest.mark.skipif(ON_PATHWAY, reason="a towpath addition")

STREAM = """
   | t  | v | __time__
 1 | 1  | 1 | 2
 2 | 2  | 2 | 2
 3 | 12 | 3 | 4
 4 | 3  | 4 | 6
 5 | 25 | 5 | 8
 6 | 4  | 6 | 10
 7 | 14 | 7 | 10
 8 | 35 | 8 | 12
 9 | 13 | 9 | 14
"""


def tumbling(behavior, data=STREAM):
    return T(data).windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=10), behavior=behavior
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v))


def test_cutoff_ignores_rows_of_windows_past_it():
    # Row t=4 (window end 10, +5 = 15) and t=14 (end 20 + 5 = 25) come once 25 was seen.
    expected = T("""
    _pw_window_start | n | s | __time__ | __diff__
    0                | 2 | 3 | 2        | 1
    10               | 1 | 3 | 4        | 1
    0                | 2 | 3 | 6        | -1
    0                | 3 | 7 | 6        | 1
    20               | 1 | 5 | 8        | 1
    30               | 1 | 8 | 12       | 1
    """)
    assert_stream_equality_wo_index(tumbling(pw.temporal.common_behavior(cutoff=5)), expected)


def test_keep_results_false_removes_windows_past_their_cutoff():
    # Forgetting happens at the next time rows reach the window, with the watermark before it.
    expected = T("""
    _pw_window_start | n | s | __time__ | __diff__
    0                | 2 | 3 | 2        | 1
    10               | 1 | 3 | 4        | 1
    0                | 2 | 3 | 6        | -1
    0                | 3 | 7 | 6        | 1
    20               | 1 | 5 | 8        | 1
    0                | 3 | 7 | 12       | -1
    10               | 1 | 3 | 12       | -1
    30               | 1 | 8 | 12       | 1
    """)
    behavior = pw.temporal.common_behavior(cutoff=5, keep_results=False)
    assert_stream_equality_wo_index(tumbling(behavior), expected)


def test_delay_holds_windows_until_start_plus_delay_is_seen():
    expected = T("""
    _pw_window_start | n | s  | __time__ | __diff__
    0                | 2 | 3  | 4        | 1
    0                | 2 | 3  | 6        | -1
    0                | 3 | 7  | 6        | 1
    10               | 1 | 3  | 8        | 1
    20               | 1 | 5  | 8        | 1
    0                | 3 | 7  | 10       | -1
    10               | 1 | 3  | 10       | -1
    0                | 4 | 13 | 10       | 1
    10               | 2 | 10 | 10       | 1
    30               | 1 | 8  | 12       | 1
    10               | 2 | 10 | 14       | -1
    10               | 3 | 19 | 14       | 1
    """)
    assert_stream_equality_wo_index(tumbling(pw.temporal.common_behavior(delay=5)), expected)


def test_delay_and_cutoff_without_kept_results():
    expected = T("""
    _pw_window_start | n | s | __time__ | __diff__
    0                | 2 | 3 | 4        | 1
    0                | 2 | 3 | 6        | -1
    0                | 3 | 7 | 6        | 1
    10               | 1 | 3 | 8        | 1
    20               | 1 | 5 | 8        | 1
    0                | 3 | 7 | 12       | -1
    10               | 1 | 3 | 12       | -1
    30               | 1 | 8 | 12       | 1
    """)
    behavior = pw.temporal.common_behavior(delay=5, cutoff=5, keep_results=False)
    assert_stream_equality_wo_index(tumbling(behavior), expected)


def test_exactly_once_outputs_each_window_once_and_open_ones_at_the_end():
    expected = T("""
    _pw_window_start | n | s | __time__             | __diff__
    0                | 2 | 3 | 4                    | 1
    10               | 1 | 3 | 8                    | 1
    20               | 1 | 5 | 12                   | 1
    30               | 1 | 8 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(tumbling(pw.temporal.exactly_once_behavior()), expected)


def test_exactly_once_with_shift():
    expected = T("""
    _pw_window_start | n | s | __time__             | __diff__
    0                | 3 | 7 | 8                    | 1
    10               | 1 | 3 | 8                    | 1
    20               | 1 | 5 | 12                   | 1
    30               | 1 | 8 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(tumbling(pw.temporal.exactly_once_behavior(shift=3)), expected)


def test_rows_of_one_commit_are_not_late_for_each_other():
    # t=1 and t=30 arrive together: the cutoff compares with the times seen before.
    data = """
       | t  | v | __time__
     1 | 1  | 1 | 2
     2 | 30 | 2 | 2
     3 | 22 | 3 | 4
     4 | 50 | 4 | 4
     5 | 3  | 5 | 6
    """
    expected = T("""
    _pw_window_start | n | s | __time__ | __diff__
    0                | 1 | 1 | 2        | 1
    30               | 1 | 2 | 2        | 1
    0                | 1 | 1 | 4        | -1
    20               | 1 | 3 | 4        | 1
    50               | 1 | 4 | 4        | 1
    """)
    behavior = pw.temporal.common_behavior(cutoff=5, keep_results=False)
    assert_stream_equality_wo_index(tumbling(behavior, data), expected)


SLIDING = """
   | t  | v | __time__
 1 | 1  | 1 | 2
 2 | 6  | 2 | 2
 3 | 12 | 3 | 4
 4 | 3  | 4 | 6
 5 | 25 | 5 | 8
 6 | 9  | 6 | 10
 7 | 14 | 7 | 10
"""


def sliding(behavior):
    return T(SLIDING).windowby(
        pw.this.t, window=pw.temporal.sliding(hop=5, duration=10), behavior=behavior
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v))


def test_sliding_windows_with_a_cutoff_and_forgotten_results():
    expected = T("""
    _pw_window_start | n | s | __time__ | __diff__
    -5               | 1 | 1 | 2        | 1
    0                | 2 | 3 | 2        | 1
    5                | 1 | 2 | 2        | 1
    5                | 1 | 2 | 4        | -1
    5                | 2 | 5 | 4        | 1
    10               | 1 | 3 | 4        | 1
    -5               | 1 | 1 | 8        | -1
    0                | 2 | 3 | 8        | -1
    20               | 1 | 5 | 8        | 1
    25               | 1 | 5 | 8        | 1
    """)
    behavior = pw.temporal.common_behavior(cutoff=2, keep_results=False)
    assert_stream_equality_wo_index(sliding(behavior), expected)


def test_sliding_windows_exactly_once():
    expected = T("""
    _pw_window_start | n | s | __time__             | __diff__
    -5               | 1 | 1 | 2                    | 1
    0                | 2 | 3 | 4                    | 1
    5                | 2 | 5 | 8                    | 1
    10               | 1 | 3 | 8                    | 1
    20               | 1 | 5 | 18446744073709551614 | 1
    25               | 1 | 5 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(sliding(pw.temporal.exactly_once_behavior()), expected)


def test_sliding_windows_with_delay_and_cutoff():
    expected = T("""
    _pw_window_start | n | s | __time__             | __diff__
    -5               | 1 | 1 | 2                    | 1
    0                | 2 | 3 | 2                    | 1
    5                | 2 | 5 | 4                    | 1
    10               | 1 | 3 | 8                    | 1
    20               | 1 | 5 | 8                    | 1
    25               | 1 | 5 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(sliding(pw.temporal.common_behavior(delay=4, cutoff=2)), expected)


def test_datetime_windows_take_a_duration_cutoff(capsys):
    t = T("""
       | at                  | v | __time__
     1 | 2024-01-01T10:00:00 | 1 | 2
     2 | 2024-01-01T10:20:00 | 2 | 4
     3 | 2024-01-01T10:05:00 | 3 | 6
     4 | 2024-01-01T10:17:00 | 4 | 8
    """).with_columns(at=pw.this.at.dt.strptime("%Y-%m-%dT%H:%M:%S"))
    result = t.windowby(
        pw.this.at, window=pw.temporal.tumbling(duration=datetime.timedelta(minutes=10)),
        behavior=pw.temporal.common_behavior(cutoff=datetime.timedelta(minutes=2)),
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count())
    pw.debug.compute_and_print_update_stream(result, include_id=False)
    assert capsys.readouterr().out == (
        "_pw_window_start    | n | __time__ | __diff__\n"
        "2024-01-01 10:00:00 | 1 | 2        | 1\n"
        "2024-01-01 10:20:00 | 1 | 4        | 1\n"
        "2024-01-01 10:10:00 | 1 | 8        | 1\n"
    )


def test_the_watermark_is_shared_by_all_instances():
    data = """
       | k | t  | v | __time__
     1 | a | 1  | 1 | 2
     2 | b | 30 | 2 | 4
     3 | a | 2  | 3 | 6
     4 | b | 3  | 4 | 8
    """
    result = T(data).windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=10), instance=pw.this.k,
        behavior=pw.temporal.common_behavior(delay=5),
    ).reduce(pw.this._pw_instance, pw.this._pw_window_start, n=pw.reducers.count())
    expected = T("""
    _pw_instance | _pw_window_start | n | __time__             | __diff__
    a            | 0                | 1 | 4                    | 1
    a            | 0                | 1 | 6                    | -1
    a            | 0                | 2 | 6                    | 1
    b            | 0                | 1 | 8                    | 1
    b            | 30               | 1 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(result, expected)


@towpath_only  # Pathway accepts a Duration cutoff on an int time column
def test_behaviour_parameters_must_fit_the_time_column():
    with pytest.raises(TypeError):
        tumbling(pw.temporal.common_behavior(cutoff=datetime.timedelta(seconds=1)))
    with pytest.raises((ValueError, AssertionError)):
        pw.temporal.common_behavior(delay=1, keep_results=False)


def test_odd_debug_times_are_doubled_so_kept_results_survive_forgetting():
    data = """
       | t  | v | __time__
     1 | 1  | 1 | 1
     2 | 30 | 2 | 2
     3 | 3  | 3 | 3
    """
    with pytest.warns(UserWarning, match="doubled"):
        t = T(data)
    result = t.windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=10),
        behavior=pw.temporal.common_behavior(cutoff=5),
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count())
    expected = T("""
    _pw_window_start | n | __time__ | __diff__
    0                | 1 | 2        | 1
    30               | 1 | 4        | 1
    """)
    assert_stream_equality_wo_index(result, expected)
