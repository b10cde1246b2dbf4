"""Behaviours of the temporal joins (``asof_join``, ``interval_join`` with
``behavior=pw.temporal.common_behavior(...)``).

Update streams were observed with Pathway 0.33 (run this file with ``--engine=pathway``; the
tests of towpath's additions, ``late_rows`` and the run statistics, are skipped there). Each side
of the join is gated by its own watermark (its own largest time): ``delay`` holds a row until
its side's watermark reaches ``time + delay``, ``cutoff`` drops a row arriving once it has
reached ``time + cutoff``, ``keep_results=False`` removes the pairs of rows past it.
"""

import datetime
import logging

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index

ON_PATHWAY = not hasattr(pw.temporal, "late_rows")
towpath_only = pytest.mark.skipif(ON_PATHWAY, reason="a towpath addition")
B = pw.temporal.common_behavior
J = pw.JoinMode

LEFT = """
   | k | t  | a | __time__
 1 | x | 1  | 1 | 2
 2 | x | 10 | 2 | 4
 3 | x | 3  | 3 | 6
 4 | x | 30 | 4 | 8
 5 | x | 12 | 5 | 10
"""
RIGHT = """
   | k | t  | b | __time__
 1 | x | 2  | 1 | 2
 2 | x | 11 | 2 | 4
 3 | x | 4  | 3 | 8
 4 | x | 29 | 4 | 8
 5 | x | 13 | 5 | 12
 6 | x | 2  | 6 | 12
"""


def opt(md, *columns):
    """A markdown table whose ``columns`` are Optional (an unmatched side's are)."""
    return T(md).update_types(**{c: int | None for c in columns})


def interval(behavior, how=J.INNER, left=LEFT, right=RIGHT, lb=-2, ub=2):
    lhs, r = T(left), T(right)
    return lhs.interval_join(r, lhs.t, r.t, pw.temporal.interval(lb, ub), lhs.k == r.k,
                           behavior=behavior, how=how).select(lt=lhs.t, a=lhs.a, rt=r.t, b=r.b)


def asof(behavior, how=J.LEFT, left=LEFT, right=RIGHT):
    lhs, r = T(left), T(right)
    return lhs.asof_join(r, lhs.t, r.t, lhs.k == r.k, how=how, behavior=behavior).select(
        lt=lhs.t, a=lhs.a, rt=r.t, b=r.b)


# --- interval_join ------------------------------------------------------------------------


def test_interval_join_cutoff_drops_late_rows_of_each_side():
    # Left t=3 at time 6: 3 + 3 <= 10 (the left side's largest time so far): late.
    # Right t=4 at time 8: 4 + 3 <= 11 (the right side's): late. Later rows all late too.
    md = """
    lt | a | rt | b | __time__ | __diff__
    1  | 1 | 2  | 1 | 2        | 1
    10 | 2 | 11 | 2 | 4        | 1
    30 | 4 | 29 | 4 | 8        | 1
    """
    for how, optional in ((J.INNER, ()), (J.LEFT, ("rt", "b")), (J.OUTER, ("lt", "a", "rt", "b"))):
        assert_stream_equality_wo_index(interval(B(cutoff=3), how), opt(md, *optional))


def test_interval_join_without_kept_results_removes_pairs_of_forgotten_rows():
    expected = T("""
    lt | a | rt | b | __time__ | __diff__
    1  | 1 | 2  | 1 | 2        | 1
    10 | 2 | 11 | 2 | 4        | 1
    1  | 1 | 2  | 1 | 8        | -1
    30 | 4 | 29 | 4 | 8        | 1
    """)
    assert_stream_equality_wo_index(interval(B(cutoff=3, keep_results=False)), expected)


def test_interval_join_delay_holds_rows_until_their_side_reaches_time_plus_delay():
    expected = T("""
    lt | a | rt | b | __time__             | __diff__
    1  | 1 | 2  | 1 | 4                    | 1
    3  | 3 | 2  | 1 | 6                    | 1
    3  | 3 | 4  | 3 | 8                    | 1
    10 | 2 | 11 | 2 | 8                    | 1
    12 | 5 | 11 | 2 | 10                   | 1
    1  | 1 | 2  | 6 | 12                   | 1
    3  | 3 | 2  | 6 | 12                   | 1
    12 | 5 | 13 | 5 | 12                   | 1
    30 | 4 | 29 | 4 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(interval(B(delay=3)), expected)


def test_interval_join_outer_with_delay_and_forgetting():
    # The cutoff is checked on the rows the delay lets through (left t=12 is not late); once a
    # left row is forgotten, its right partners are unmatched until they are forgotten too.
    expected = T("""
    lt | a | rt | b | __time__             | __diff__
    1  | 1 | 2  | 1 | 4                    | 1
    3  | 3 | 2  | 1 | 6                    | 1
    3  | 3 | 4  | 3 | 8                    | 1
    10 | 2 | 11 | 2 | 8                    | 1
    1  | 1 | 2  | 1 | 10                   | -1
    3  | 3 | 2  | 1 | 10                   | -1
    3  | 3 | 4  | 3 | 10                   | -1
       |   | 2  | 1 | 10                   | 1
       |   | 4  | 3 | 10                   | 1
    12 | 5 | 11 | 2 | 10                   | 1
       |   | 2  | 1 | 12                   | -1
       |   | 4  | 3 | 12                   | -1
    12 | 5 | 13 | 5 | 12                   | 1
    30 | 4 | 29 | 4 | 18446744073709551614 | 1
    """).update_types(rt=int | None, b=int | None)
    behavior = B(delay=3, cutoff=3, keep_results=False)
    assert_stream_equality_wo_index(interval(behavior, J.OUTER), expected)


def test_each_side_has_its_own_watermark():
    # The right side's 100 does not make the left row t=2 late, nor the left's 100 the right's 3.
    left = """
      | k | t | a | __time__
    1 | x | 1 | 1 | 2
    2 | x | 2 | 2 | 6
    """
    right = """
      | k | t   | b | __time__
    1 | x | 2   | 1 | 2
    2 | x | 100 | 2 | 4
    """
    expected = T("""
    lt | a | rt | b | __time__ | __diff__
    1  | 1 | 2  | 1 | 2        | 1
    2  | 2 | 2  | 1 | 6        | 1
    """)
    assert_stream_equality_wo_index(interval(B(cutoff=3), left=left, right=right), expected)
    expected = T("""
    lt | a | rt | b | __time__ | __diff__
    2  | 1 | 1  | 1 | 2        | 1
    2  | 1 | 3  | 2 | 6        | 1
    """)
    swapped = """
      | k | t | b | __time__
    1 | x | 1 | 1 | 2
    2 | x | 3 | 2 | 6
    """
    left2 = """
      | k | t   | a | __time__
    1 | x | 2   | 1 | 2
    2 | x | 100 | 2 | 4
    """
    assert_stream_equality_wo_index(interval(B(cutoff=3), left=left2, right=swapped), expected)


def test_the_cutoff_is_measured_from_the_row_time_not_the_interval():
    # interval(5, 10), cutoff 0: left t=17 arrives after 20 and is late (17 + 0 <= 20), though
    # it could still pair with right rows up to 27.
    left = """
      | k | t  | a | __time__
    1 | x | 0  | 1 | 2
    2 | x | 20 | 2 | 4
    3 | x | 17 | 3 | 6
    """
    right = """
      | k | t  | b | __time__
    1 | x | 25 | 1 | 2
    """
    expected = T("""
    lt | a | rt | b | __time__ | __diff__
    20 | 2 | 25 | 1 | 4        | 1
    """)
    result = interval(B(cutoff=0), left=left, right=right, lb=5, ub=10)
    assert_stream_equality_wo_index(result, expected)


def test_keys_and_instances_share_the_watermark():
    left = """
      | k | t    | a | __time__
    1 | A | 1    | 1 | 2
    2 | B | 5    | 2 | 2
    3 | A | 1000 | 3 | 4
    4 | B | 6    | 4 | 6
    """
    right = left.replace("| a |", "| b |")
    expected = T("""
    lt   | a | rt   | b | __time__ | __diff__
    1    | 1 | 1    | 1 | 2        | 1
    5    | 2 | 5    | 2 | 2        | 1
    1000 | 3 | 1000 | 3 | 4        | 1
    """)
    assert_stream_equality_wo_index(interval(B(cutoff=5), left=left, right=right), expected)
    assert_stream_equality_wo_index(asof(B(cutoff=5), left=left, right=right),
                                    expected.update_types(rt=int | None, b=int | None))
    lhs, r = T(left), T(right)
    with_instances = lhs.interval_join(
        r, lhs.t, r.t, pw.temporal.interval(-2, 2), left_instance=lhs.k, right_instance=r.k,
        behavior=B(cutoff=5)).select(lt=lhs.t, a=lhs.a, rt=r.t, b=r.b)
    assert_stream_equality_wo_index(with_instances, expected)


DELETIONS_L = """
   | t  | a | __time__ | __diff__
 1 | 1  | 1 | 2        | 1
 2 | 10 | 2 | 4        | 1
 1 | 1  | 1 | 6        | -1
 3 | 11 | 3 | 6        | 1
 2 | 10 | 2 | 8        | -1
 4 | 20 | 4 | 8        | 1
"""
DELETIONS_R = """
   | t  | b | __time__ | __diff__
 1 | 2  | 1 | 2        | 1
 2 | 9  | 2 | 4        | 1
 3 | 12 | 3 | 6        | 1
 1 | 2  | 1 | 8        | -1
"""


def deletions(join, behavior):
    lhs, r = T(DELETIONS_L), T(DELETIONS_R)
    if join == "interval":
        res = lhs.interval_join_outer(r, lhs.t, r.t, pw.temporal.interval(-2, 2), behavior=behavior)
    else:
        res = lhs.asof_join_left(r, lhs.t, r.t, behavior=behavior)
    return res.select(lt=lhs.t, rt=r.t)


def test_late_deletions_are_ignored_and_the_others_retract():
    # Deleting left t=1 at time 6 is late (1 + 5 <= 10): the pair stays; t=10's deletion is not.
    expected = T("""
    lt | rt | __time__ | __diff__
    1  | 2  | 2        | 1
    10 | 9  | 4        | 1
    10 | 12 | 6        | 1
    11 | 9  | 6        | 1
    11 | 12 | 6        | 1
    10 | 9  | 8        | -1
    10 | 12 | 8        | -1
    20 |    | 8        | 1
    """).update_types(lt=int | None)
    assert_stream_equality_wo_index(deletions("interval", B(cutoff=5)), expected)
    expected = T("""
    lt | rt | __time__ | __diff__
    1  |    | 2        | 1
    10 | 9  | 4        | 1
    11 | 9  | 6        | 1
    10 | 9  | 8        | -1
    20 | 12 | 8        | 1
    """)
    assert_stream_equality_wo_index(deletions("asof", B(cutoff=5)), expected)


def test_deletions_of_held_rows_with_a_delay():
    expected = T("""
    lt | rt | __time__             | __diff__
    1  | 2  | 4                    | 1
    1  | 2  | 6                    | -1
       | 2  | 6                    | 1
       | 9  | 6                    | 1
       | 2  | 8                    | -1
       | 9  | 8                    | -1
    11 | 9  | 8                    | 1
    11 | 12 | 18446744073709551614 | 1
    20 |    | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(deletions("interval", B(delay=2)), expected)
    expected = T("""
    lt | rt | __time__             | __diff__
    1  |    | 4                    | 1
    1  |    | 6                    | -1
    11 | 9  | 8                    | 1
    20 | 12 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(deletions("asof", B(delay=2)), expected)


def test_datetime_joins_take_duration_parameters(capsys):
    left = T("""
       | at                  | a | __time__
     1 | 2024-01-01T10:00:00 | 1 | 2
     2 | 2024-01-01T10:20:00 | 2 | 4
     3 | 2024-01-01T10:05:00 | 3 | 6
     4 | 2024-01-01T10:19:00 | 4 | 8
    """).with_columns(at=pw.this.at.dt.strptime("%Y-%m-%dT%H:%M:%S"))
    right = T("""
       | at                  | b | __time__
     1 | 2024-01-01T10:01:00 | 1 | 2
     2 | 2024-01-01T10:21:00 | 2 | 4
     3 | 2024-01-01T10:04:00 | 3 | 8
    """).with_columns(at=pw.this.at.dt.strptime("%Y-%m-%dT%H:%M:%S"))
    minutes = datetime.timedelta(minutes=1)
    behavior = B(cutoff=5 * minutes)
    res = left.interval_join(right, left.at, right.at, pw.temporal.interval(-2 * minutes,
                             2 * minutes), behavior=behavior).select(a=left.a, b=right.b)
    pw.debug.compute_and_print_update_stream(res, include_id=False)
    res = left.asof_join(right, left.at, right.at, how=J.LEFT, behavior=behavior).select(
        a=left.a, b=right.b)
    pw.debug.compute_and_print_update_stream(res, include_id=False)
    assert capsys.readouterr().out == (
        "a | b | __time__ | __diff__\n"
        "1 | 1 | 2        | 1\n"
        "2 | 2 | 4        | 1\n"
        "4 | 2 | 8        | 1\n"
        "a | b | __time__ | __diff__\n"
        "1 |   | 2        | 1\n"
        "2 | 1 | 4        | 1\n"
        "4 | 1 | 8        | 1\n"
    )


# --- asof_join ----------------------------------------------------------------------------


def test_asof_join_cutoff():
    expected = T("""
    lt | a | rt | b | __time__ | __diff__
    1  | 1 |    |   | 2        | 1
    10 | 2 | 2  | 1 | 4        | 1
    30 | 4 | 29 | 4 | 8        | 1
    """)
    assert_stream_equality_wo_index(asof(B(cutoff=3)), expected)


def test_asof_join_forgetting_a_match_unmatches_the_row():
    expected = T("""
    lt | a | rt | b | __time__ | __diff__
    1  | 1 |    |   | 2        | 1
    10 | 2 | 2  | 1 | 4        | 1
    1  | 1 |    |   | 8        | -1
    10 | 2 | 2  | 1 | 8        | -1
    10 | 2 |    |   | 8        | 1
    30 | 4 | 29 | 4 | 8        | 1
    """)
    assert_stream_equality_wo_index(asof(B(cutoff=3, keep_results=False)), expected)


def test_asof_join_delay():
    expected = T("""
    lt | a | rt | b | __time__             | __diff__
    1  | 1 |    |   | 4                    | 1
    3  | 3 | 2  | 1 | 6                    | 1
    10 | 2 | 4  | 3 | 8                    | 1
    12 | 5 | 11 | 2 | 10                   | 1
    3  | 3 | 2  | 1 | 12                   | -1
    3  | 3 | 2  | 6 | 12                   | 1
    30 | 4 | 29 | 4 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(asof(B(delay=3)), expected)


def test_asof_join_delay_cutoff_and_forgetting():
    expected = T("""
    lt | a | rt | b | __time__             | __diff__
    1  | 1 |    |   | 4                    | 1
    3  | 3 | 2  | 1 | 6                    | 1
    10 | 2 | 4  | 3 | 8                    | 1
    1  | 1 |    |   | 10                   | -1
    3  | 3 | 2  | 1 | 10                   | -1
    12 | 5 | 11 | 2 | 10                   | 1
    10 | 2 | 4  | 3 | 12                   | -1
    10 | 2 |    |   | 12                   | 1
    30 | 4 | 29 | 4 | 18446744073709551614 | 1
    """)
    assert_stream_equality_wo_index(asof(B(delay=3, cutoff=3, keep_results=False)), expected)


def test_asof_join_variants_take_a_behavior():
    lhs, r = T(LEFT), T(RIGHT)
    res = lhs.asof_join_right(r, lhs.t, r.t, lhs.k == r.k, behavior=B(cutoff=3)).select(
        lt=lhs.t, rt=r.t)
    expected = T("""
    lt | rt | __time__ | __diff__
    1  | 2  | 2        | 1
    10 | 11 | 4        | 1
    10 | 29 | 8        | 1
    """).update_types(lt=int | None)
    assert_stream_equality_wo_index(res, expected)


def test_joins_reject_exactly_once_and_window_join_has_no_behavior():
    lhs, r = T(LEFT), T(RIGHT)
    with pytest.raises(ValueError, match="behavior argument of join"):
        lhs.asof_join(r, lhs.t, r.t, how=J.LEFT, behavior=pw.temporal.exactly_once_behavior())
    with pytest.raises(ValueError, match="behavior argument of join"):
        lhs.interval_join(r, lhs.t, r.t, pw.temporal.interval(0, 1),
                        behavior=pw.temporal.exactly_once_behavior())
    with pytest.raises(TypeError):
        lhs.window_join(r, lhs.t, r.t, pw.temporal.tumbling(2), behavior=B(cutoff=1))


# --- late rows (towpath) --------------------------------------------------------------------


@towpath_only
def test_late_rows_of_a_join_list_both_sides():
    lhs, r = T(LEFT), T(RIGHT)
    res = lhs.interval_join(r, lhs.t, r.t, pw.temporal.interval(-2, 2), lhs.k == r.k,
                          behavior=B(cutoff=3))
    table = res.select(lt=lhs.t, rt=r.t)
    expected = T("""
    lt | rt | __time__ | __diff__
    3  |    | 6        | 1
       | 4  | 8        | 1
    12 |    | 10       | 1
       | 13 | 12       | 1
       | 2  | 12       | 1
    """)
    assert_stream_equality_wo_index(pw.temporal.late_rows(table), expected)
    late = pw.temporal.late_rows(res).select(a=lhs.a, b=r.b)
    assert_stream_equality_wo_index(late, T("""
    a | b | __time__ | __diff__
    3 |   | 6        | 1
      | 3 | 8        | 1
    5 |   | 10       | 1
      | 5 | 12       | 1
      | 6 | 12       | 1
    """))


@towpath_only
def test_late_rows_of_an_asof_join_and_the_run_statistic(caplog):
    result = asof(B(cutoff=3))
    late = pw.temporal.late_rows(result)
    assert_stream_equality_wo_index(late.select(pw.this.lt, pw.this.rt), T("""
    lt | rt | __time__ | __diff__
    3  |    | 6        | 1
       | 4  | 8        | 1
    12 |    | 10       | 1
       | 13 | 12       | 1
       | 2  | 12       | 1
    """))
    pw.io.subscribe(asof(B(cutoff=3)), on_change=lambda **kwargs: None)
    with caplog.at_level(logging.WARNING, logger="towpath"):
        stats = pw.run()
    assert stats["late_rows"] == 5


@towpath_only
def test_joins_without_a_cutoff_have_no_late_rows():
    with pytest.raises(ValueError, match="late_rows"):
        pw.temporal.late_rows(asof(B(delay=3)))
