"""Reducers on None, strings, floats, dates and tuples; groups keyed by None; sort_by."""

import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index


def rows():
    return T(
        """
        k | v  | s    | f
        1 | 4  | x    | 0.5
        2 | 7  | None | 1.25
        3 | 10 | x    | 2.0
        4 | 1  | y    | None
        """
    )


def printed(table, capsys):
    pw.debug.compute_and_print(table, include_id=False)
    return capsys.readouterr().out


def test_count_distinct_counts_none_as_a_value():
    result = rows().reduce(d=pw.reducers.count_distinct(pw.this.s))
    expected = T(
        """
        d
        3
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_min_max_of_optional_strings_put_none_first():
    result = rows().reduce(lo=pw.reducers.min(pw.this.s), hi=pw.reducers.max(pw.this.s))
    expected = T(
        """
        lo   | hi
        None | y
        """,
        schema=pw.schema_from_types(lo=str | None, hi=str | None),
    )
    assert_table_equality_wo_index(result, expected)


def test_sorted_tuple_with_and_without_nones(capsys):
    result = rows().reduce(
        all=pw.reducers.sorted_tuple(pw.this.s),
        some=pw.reducers.sorted_tuple(pw.this.s, skip_nones=True),
    )
    assert printed(result, capsys) == (
        "all                   | some\n(None, 'x', 'x', 'y') | ('x', 'x', 'y')\n"
    )


def test_tuple_skip_nones_drops_none_values():
    result = rows().reduce(t=pw.reducers.tuple(pw.this.s, skip_nones=True))
    frame = pw.debug.table_to_pandas(result, include_id=False)
    assert sorted(frame["t"][0]) == ["x", "x", "y"]


def test_groupby_sort_by_orders_the_tuple(capsys):
    result = (
        rows()
        .groupby(pw.this.s, sort_by=pw.this.v)
        .reduce(pw.this.s, t=pw.reducers.tuple(pw.this.v))
    )
    assert printed(result, capsys) == "s | t\n  | (7,)\nx | (4, 10)\ny | (1,)\n"


def test_none_is_a_group_of_its_own():
    result = rows().groupby(pw.this.s).reduce(pw.this.s, n=pw.reducers.count())
    expected = T(
        """
        s    | n
        None | 1
        x    | 2
        y    | 1
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_avg_and_sum_of_floats():
    present = rows().filter(pw.this.f.is_not_none())
    result = present.reduce(
        a=pw.reducers.avg(pw.unwrap(pw.this.f)), s=pw.reducers.sum(pw.unwrap(pw.this.f))
    )
    expected = T(
        """
        a    | s
        1.25 | 3.75
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_sum_of_floats_with_a_deletion():
    t = T(
        """
          | f    | __time__ | __diff__
        1 | 0.5  | 2        | 1
        2 | 0.25 | 2        | 1
        1 | 0.5  | 4        | -1
        """
    )
    result = t.reduce(s=pw.reducers.sum(pw.this.f))
    expected = T(
        """
        s    | __time__ | __diff__
        0.75 | 2        | 1
        0.75 | 4        | -1
        0.25 | 4        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_min_max_of_datetimes_and_durations(capsys):
    t = rows().select(d=pw.this.v.dt.from_timestamp("s"), du=pw.this.v.dt.to_duration("s"))
    result = t.reduce(first=pw.reducers.min(pw.this.d), longest=pw.reducers.max(pw.this.du))
    assert printed(result, capsys) == (
        "first               | longest\n1970-01-01 00:00:01 | 0 days 00:00:10\n"
    )


def test_min_of_tuples_compares_element_by_element():
    t = rows().select(p=pw.make_tuple(pw.this.v % 3, pw.this.k))
    result = t.reduce(m=pw.reducers.min(pw.this.p)).select(a=pw.this.m[0], b=pw.this.m[1])
    expected = T(
        """
        a | b
        1 | 1
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_max_of_booleans():
    result = rows().reduce(
        any_big=pw.reducers.max(pw.this.v > 5), all_big=pw.reducers.min(pw.this.v > 5)
    )
    expected = T(
        """
        any_big | all_big
        True    | False
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_group_by_a_computed_column():
    parity = rows().select(pw.this.v, p=pw.this.k % 2)
    result = parity.groupby(pw.this.p).reduce(
        pw.this.p, d=pw.reducers.count_distinct(pw.this.v), s=pw.reducers.sum(pw.this.v)
    )
    expected = T(
        """
        p | d | s
        0 | 2 | 8
        1 | 2 | 14
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_several_changes_to_one_group_at_one_time_give_one_update():
    t = T(
        """
          | k | v | __time__ | __diff__
        1 | a | 1 | 2        | 1
        2 | a | 2 | 4        | 1
        3 | a | 3 | 4        | 1
        1 | a | 1 | 4        | -1
        """
    )
    result = t.groupby(pw.this.k).reduce(pw.this.k, s=pw.reducers.sum(pw.this.v))
    expected = T(
        """
        k | s | __time__ | __diff__
        a | 1 | 2        | 1
        a | 1 | 4        | -1
        a | 5 | 4        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_changes_that_cancel_within_a_time_give_no_update():
    t = T(
        """
          | k | v | __time__ | __diff__
        1 | a | 1 | 2        | 1
        2 | a | 5 | 4        | 1
        2 | a | 5 | 4        | -1
        """
    )
    result = t.groupby(pw.this.k).reduce(pw.this.k, s=pw.reducers.sum(pw.this.v))
    expected = T(
        """
        k | s | __time__ | __diff__
        a | 1 | 2        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)
