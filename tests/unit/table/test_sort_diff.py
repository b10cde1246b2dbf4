"""Table.sort (prev/next pointers in key order, per instance) and Table.diff (value minus the
previous row's value), final tables and update streams. Pointers are shown as the neighbour's
key (through ``ix``), so the expectations do not depend on how ids are made."""

import pytest
import towpath as pw
from towpath.testing import (
    T,
    assert_stream_equality,
    assert_table_equality,
    assert_table_equality_wo_index,
)


def neighbours(t, s, column="k"):
    """``t`` with the neighbours' ``column`` values in place of the ``prev``/``next`` pointers."""
    return t.select(
        pw.this[column],
        before=t.ix(s.prev, optional=True)[column],
        after=t.ix(s.next, optional=True)[column],
    )


def test_sort_links_rows_in_key_order_with_none_first():
    t = T(
        """
          | k
        1 | 3
        2 | 1
        3 |
        4 | 2
        """
    )
    s = t.sort(key=t.k)
    assert list(s.column_names()) == ["prev", "next"]
    expected = T(
        """
          | k | before | after
        1 | 3 | 2      |
        2 | 1 |        | 2
        3 |   |        | 1
        4 | 2 | 1      | 3
        """
    )
    assert_table_equality(neighbours(t, s), expected)


def test_sort_ties_form_a_single_chain():
    t = T(
        """
          | k
        1 | 1
        2 | 1
        3 | 1
        4 | 2
        """
    )
    # Whatever order the tied rows take, one of them starts the chain and one leads to k=2.
    expected = T(
        """
        k | before | after
        1 |        | 1
        1 | 1      | 1
        1 | 1      | 2
        2 | 1      |
        """
    )
    assert_table_equality_wo_index(neighbours(t, t.sort(t.k)), expected)


def test_sort_within_instances():
    t = T(
        """
          | k  | g
        1 | 10 | a
        2 | 30 | a
        3 | 20 | b
        4 | 5  | b
        5 | 25 | a
        """
    )
    expected = T(
        """
          | k  | before | after
        1 | 10 |        | 25
        2 | 30 | 25     |
        3 | 20 | 5      |
        4 | 5  |        | 20
        5 | 25 | 10     | 30
        """
    )
    assert_table_equality(neighbours(t, t.sort(key=t.k, instance=t.g)), expected)


def test_sort_by_an_expression_over_this():
    t = T(
        """
          | k
        1 | 1
        2 | 3
        3 | 2
        """
    )
    expected = T(
        """
          | k | before | after
        1 | 1 | 2      |
        2 | 3 |        | 2
        3 | 2 | 3      | 1
        """
    )
    assert_table_equality(neighbours(t, t.sort(-pw.this.k)), expected)


def test_sort_stream_relinks_neighbours_when_rows_come_and_go():
    t = T(
        """
          | k  | g | __time__ | __diff__
        1 | 10 | 1 | 2        | 1
        2 | 30 | 1 | 2        | 1
        3 | 20 | 1 | 4        | 1
        4 | 5  | 2 | 4        | 1
        5 | 40 | 2 | 6        | 1
        2 | 30 | 1 | 8        | -1
        6 | 15 | 2 | 8        | 1
        """
    )
    expected = T(
        """
          | k  | before | after | __time__ | __diff__
        1 | 10 |        | 30    | 2        | 1
        2 | 30 | 10     |       | 2        | 1
        1 | 10 |        | 30    | 4        | -1
        2 | 30 | 10     |       | 4        | -1
        4 | 5  |        |       | 4        | 1
        1 | 10 |        | 20    | 4        | 1
        3 | 20 | 10     | 30    | 4        | 1
        2 | 30 | 20     |       | 4        | 1
        4 | 5  |        |       | 6        | -1
        4 | 5  |        | 40    | 6        | 1
        5 | 40 | 5      |       | 6        | 1
        4 | 5  |        | 40    | 8        | -1
        3 | 20 | 10     | 30    | 8        | -1
        2 | 30 | 20     |       | 8        | -1
        5 | 40 | 5      |       | 8        | -1
        4 | 5  |        | 15    | 8        | 1
        6 | 15 | 5      | 40    | 8        | 1
        3 | 20 | 10     |       | 8        | 1
        5 | 40 | 15     |       | 8        | 1
        """
    )
    assert_stream_equality(neighbours(t, t.sort(key=t.k, instance=t.g)), expected)


def test_diff_subtracts_the_previous_row_in_timestamp_order():
    t = T(
        """
          | t | v  | w
        1 | 1 | 10 | 1.5
        2 | 3 | 30 | 2.0
        3 | 2 | 15 | 4.0
        4 | 4 | 50 | 0.5
        """
    )
    result = t.diff(t.t, t.v, t.w)
    assert list(result.column_names()) == ["diff_v", "diff_w"]
    expected = T(
        """
          | diff_v | diff_w
        1 |        |
        2 | 15     | -2.0
        3 | 5      | 2.5
        4 | 20     | -1.5
        """
    )
    assert_table_equality(result, expected)


def test_diff_within_instances_with_this_columns():
    t = T(
        """
          | t | v  | g
        1 | 1 | 10 | 1
        2 | 3 | 30 | 1
        3 | 2 | 15 | 2
        4 | 4 | 50 | 2
        5 | 5 | 55 | 1
        """
    )
    expected = T(
        """
          | diff_v
        1 |
        2 | 20
        3 |
        4 | 35
        5 | 25
        """
    )
    assert_table_equality(t.diff(pw.this.t, pw.this.v, instance=pw.this.g), expected)


def test_diff_of_a_missing_value_is_none():
    t = T(
        """
          | t | o
        1 | 1 | 1
        2 | 2 | 3
        3 | 3 |
        """
    )
    expected = T(
        """
          | diff_o
        1 |
        2 | 2
        3 |
        """
    )
    assert_table_equality(t.diff(t.t, t.o), expected)


def test_diff_stream_updates_the_successor_of_an_inserted_row():
    t = T(
        """
          | t | v  | __time__ | __diff__
        1 | 1 | 10 | 2        | 1
        2 | 5 | 50 | 2        | 1
        3 | 3 | 20 | 4        | 1
        1 | 1 | 10 | 6        | -1
        """
    )
    expected = T(
        """
          | diff_v | __time__ | __diff__
        1 |        | 2        | 1
        2 | 40     | 2        | 1
        2 | 40     | 4        | -1
        2 | 30     | 4        | 1
        3 | 10     | 4        | 1
        1 |        | 6        | -1
        3 | 10     | 6        | -1
        3 |        | 6        | 1
        """
    )
    assert_stream_equality(t.diff(t.t, t.v), expected)


def test_diff_takes_only_column_references():
    t = T(
        """
        t | v
        1 | 10
        """
    )
    with pytest.raises(TypeError):
        t.diff(t.t, t.v * 2)


def test_sort_none_instance_is_an_instance_of_its_own():
    t = T(
        """
          | k | g
        1 | 1 |
        2 | 2 |
        3 | 3 | 1
        4 | 4 | 0
        5 | 5 | 0
        """
    )
    expected = T(
        """
          | k | before | after
        1 | 1 |        | 2
        2 | 2 | 1      |
        3 | 3 |        |
        4 | 4 |        | 5
        5 | 5 | 4      |
        """
    )
    assert_table_equality(neighbours(t, t.sort(t.k, instance=t.g)), expected)
