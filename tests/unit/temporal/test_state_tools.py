"""``Table.forget``, ``buffer``, ``ignore_late``, ``filter_out_results_of_forgetting``,
``earliest``/``latest``, and towpath's late rows table and ``late_rows`` run statistic.

Update streams were observed with Pathway 0.33 (``--engine=pathway`` runs them there; the tests
of towpath's additions are skipped).
"""

import logging

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index

ON_PATHWAY = not hasattr(pw.temporal, "late_rows")
towpath_only = pytest.mark.skipif(ON_PATHWAY, reason="a towpath addition")

ROWS = """
   | t  | v | __time__
 1 | 1  | 1 | 2
 2 | 30 | 2 | 2
 3 | 22 | 3 | 4
 4 | 50 | 4 | 4
 5 | 3  | 5 | 6
 6 | 45 | 6 | 8
 7 | 44 | 7 | 10
 8 | 60 | 8 | 12
 9 | 61 | 9 | 14
"""


def test_forget_retracts_rows_once_the_watermark_passes_them():
    # At each time with new rows, rows with t + 10 <= the largest t seen before are removed;
    # t=3 comes already forgotten (inserted and removed at once: nothing).
    expected = T("""
    t  | v | __time__ | __diff__
    1  | 1 | 2        | 1
    30 | 2 | 2        | 1
    1  | 1 | 4        | -1
    22 | 3 | 4        | 1
    50 | 4 | 4        | 1
    22 | 3 | 6        | -1
    30 | 2 | 6        | -1
    45 | 6 | 8        | 1
    44 | 7 | 10       | 1
    60 | 8 | 12       | 1
    44 | 7 | 14       | -1
    45 | 6 | 14       | -1
    50 | 4 | 14       | -1
    61 | 9 | 14       | 1
    """)
    assert_stream_equality_wo_index(T(ROWS).forget(pw.this.t, 10), expected)


def printed_stream(table, capsys):
    pw.debug.compute_and_print_update_stream(table, include_id=False)
    return capsys.readouterr().out


def test_marked_forgetting_comes_one_time_later(capsys):
    # (Printed: Pathway's markdown doubles odd __time__ values, so no expected table here.)
    result = T(ROWS).forget(pw.this.t, 10, mark_forgetting_records=True)
    assert printed_stream(result, capsys) == (
        "t  | v | __time__ | __diff__\n"
        "1  | 1 | 2        | 1\n"
        "30 | 2 | 2        | 1\n"
        "22 | 3 | 4        | 1\n"
        "50 | 4 | 4        | 1\n"
        "1  | 1 | 5        | -1\n"
        "3  | 5 | 6        | 1\n"
        "3  | 5 | 7        | -1\n"
        "22 | 3 | 7        | -1\n"
        "30 | 2 | 7        | -1\n"
        "45 | 6 | 8        | 1\n"
        "44 | 7 | 10       | 1\n"
        "60 | 8 | 12       | 1\n"
        "61 | 9 | 14       | 1\n"
        "44 | 7 | 15       | -1\n"
        "45 | 6 | 15       | -1\n"
        "50 | 4 | 15       | -1\n"
    )


def test_filtering_out_results_of_forgetting_keeps_every_row():
    result = T(ROWS).forget(pw.this.t, 10, True).filter_out_results_of_forgetting()
    expected = T("""
    t  | v | __time__ | __diff__
    1  | 1 | 2        | 1
    30 | 2 | 2        | 1
    22 | 3 | 4        | 1
    50 | 4 | 4        | 1
    3  | 5 | 6        | 1
    45 | 6 | 8        | 1
    44 | 7 | 10       | 1
    60 | 8 | 12       | 1
    61 | 9 | 14       | 1
    """)
    assert_stream_equality_wo_index(result, expected)


def test_counts_after_forgetting_and_with_forgetting_filtered_out(capsys):
    forgot = T(ROWS).forget(pw.this.t, 10).reduce(n=pw.reducers.count())
    kept = T(ROWS).forget(pw.this.t, 10, True).reduce(n=pw.reducers.count())
    kept = kept.filter_out_results_of_forgetting()
    assert printed_stream(forgot, capsys) == (
        "n | __time__ | __diff__\n"
        "2 | 2        | 1\n"
        "2 | 4        | -1\n"
        "3 | 4        | 1\n"
        "3 | 6        | -1\n"
        "1 | 6        | 1\n"
        "1 | 8        | -1\n"
        "2 | 8        | 1\n"
        "2 | 10       | -1\n"
        "3 | 10       | 1\n"
        "3 | 12       | -1\n"
        "4 | 12       | 1\n"
        "4 | 14       | -1\n"
        "2 | 14       | 1\n"
    )
    # The retractions at odd times are dropped, not their effect on later counts.
    assert printed_stream(kept, capsys) == (
        "n | __time__ | __diff__\n"
        "2 | 2        | 1\n"
        "2 | 4        | -1\n"
        "4 | 4        | 1\n"
        "3 | 6        | -1\n"
        "4 | 6        | 1\n"
        "1 | 8        | -1\n"
        "2 | 8        | 1\n"
        "2 | 10       | -1\n"
        "3 | 10       | 1\n"
        "3 | 12       | -1\n"
        "4 | 12       | 1\n"
        "4 | 14       | -1\n"
        "5 | 14       | 1\n"
    )


def test_buffer_holds_rows_until_the_watermark_reaches_them():
    expected = T("""
    t  | v | __time__             | __diff__
    1  | 1 | 2                    | 1
    22 | 3 | 4                    | 1
    30 | 2 | 4                    | 1
    3  | 5 | 6                    | 1
    44 | 7 | 12                   | 1
    45 | 6 | 12                   | 1
    50 | 4 | 12                   | 1
    60 | 8 | 18446744073709551614 | 1
    61 | 9 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(T(ROWS).buffer(pw.this.t, 10), expected)


def test_ignore_late_drops_rows_behind_the_watermark():
    expected = T("""
    t  | v | __time__ | __diff__
    1  | 1 | 2        | 1
    30 | 2 | 2        | 1
    22 | 3 | 4        | 1
    50 | 4 | 4        | 1
    45 | 6 | 8        | 1
    44 | 7 | 10       | 1
    60 | 8 | 12       | 1
    61 | 9 | 14       | 1
    """)
    assert_stream_equality_wo_index(T(ROWS).ignore_late(pw.this.t, 10), expected)


def test_deleted_rows_still_count_for_the_watermark_and_late_deletions_are_ignored():
    t = T("""
       | t  | v | __time__ | __diff__
     1 | 1  | 1 | 2        | 1
     2 | 30 | 2 | 4        | 1
     1 | 1  | 1 | 6        | -1
     2 | 30 | 2 | 6        | -1
     3 | 2  | 3 | 8        | 1
    """)
    expected = T("""
    t  | v | __time__ | __diff__
    1  | 1 | 2        | 1
    30 | 2 | 4        | 1
    30 | 2 | 6        | -1
    """)
    assert_stream_equality_wo_index(t.ignore_late(pw.this.t, 5), expected)


def test_earliest_and_latest_follow_processing_order():
    t = T("""
       | k | v | __time__
     1 | a | 1 | 2
     2 | a | 2 | 4
     3 | b | 3 | 4
     4 | a | 0 | 6
    """)
    result = t.groupby(pw.this.k).reduce(
        pw.this.k, e=pw.reducers.earliest(pw.this.v), l=pw.reducers.latest(pw.this.v))
    expected = T("""
    k | e | l | __time__ | __diff__
    a | 1 | 1 | 2        | 1
    a | 1 | 1 | 4        | -1
    a | 1 | 2 | 4        | 1
    b | 3 | 3 | 4        | 1
    a | 1 | 2 | 6        | -1
    a | 1 | 0 | 6        | 1
    """)
    assert_stream_equality_wo_index(result, expected)


# --- towpath's additions: late rows are never silently lost ---------------------------------

WINDOWED = """
   | t  | v | __time__
 1 | 1  | 1 | 2
 2 | 12 | 2 | 4
 3 | 25 | 3 | 6
 4 | 4  | 4 | 8
 5 | 14 | 5 | 8
 6 | 21 | 6 | 8
"""


@towpath_only
def test_late_rows_of_a_window_cutoff():
    result = T(WINDOWED).windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=10),
        behavior=pw.temporal.common_behavior(cutoff=5),
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count())
    late = pw.temporal.late_rows(result)
    # t=4 (window 0-10, 10 + 5 <= 25) and t=14 (10-20, 20 + 5 <= 25) came too late; t=21 not.
    expected = T("""
    t  | v | _pw_instance | _pw_window_start | _pw_window_end | __time__ | __diff__
    4  | 4 |              | 0                | 10             | 8        | 1
    14 | 5 |              | 10               | 20             | 8        | 1
    """)
    assert_stream_equality_wo_index(late, expected)


@towpath_only
def test_late_rows_of_sliding_windows_name_each_window():
    result = T(WINDOWED).windowby(
        pw.this.t, window=pw.temporal.sliding(hop=5, duration=10),
        behavior=pw.temporal.exactly_once_behavior(),
    ).reduce(pw.this._pw_window_start, n=pw.reducers.count())
    late = pw.temporal.late_rows(result).select(pw.this.t, pw.this._pw_window_start)
    # Watermark 25 before time 8: windows ending at or before 25 take no more rows.
    expected = T("""
    t  | _pw_window_start | __time__ | __diff__
    4  | -5               | 8        | 1
    4  | 0                | 8        | 1
    14 | 5                | 8        | 1
    14 | 10               | 8        | 1
    21 | 15               | 8        | 1
    """)
    assert_stream_equality_wo_index(late, expected)


@towpath_only
def test_late_rows_of_ignore_late():
    late = pw.temporal.late_rows(T(ROWS).ignore_late(pw.this.t, 10))
    assert_stream_equality_wo_index(late, T("""
    t | v | __time__ | __diff__
    3 | 5 | 6        | 1
    """))


@towpath_only
def test_late_rows_needs_a_table_with_a_cutoff():
    with pytest.raises(ValueError, match="late_rows"):
        pw.temporal.late_rows(T(ROWS))


@towpath_only
def test_run_statistics_count_late_rows_and_log_them(caplog):
    result = T(WINDOWED).windowby(
        pw.this.t, window=pw.temporal.sliding(hop=5, duration=10),
        behavior=pw.temporal.exactly_once_behavior(),
    ).reduce(n=pw.reducers.count())
    pw.io.subscribe(result, on_change=lambda **kwargs: None)
    with caplog.at_level(logging.WARNING, logger="towpath"):
        stats = pw.run()
    assert stats["late_rows"] == 5
    assert "5 late row(s)" in caplog.text
