"""concat (disjoint universes) and concat_reindex."""

import towpath as pw
from towpath.testing import (
    T,
    assert_stream_equality,
    assert_table_equality,
    assert_table_equality_wo_index,
)


def first():
    return T(
        """
          | a | b
        1 | 1 | x
        2 | 2 | y
        """
    )


def second():
    return T(
        """
          | a | b
        3 | 3 | z
        """
    )


def test_concat_of_promised_disjoint_tables_keeps_ids():
    left, right = first(), second()
    result = left.promise_universes_are_disjoint(right).concat(right)
    expected = T(
        """
          | a | b
        1 | 1 | x
        2 | 2 | y
        3 | 3 | z
        """
    )
    assert_table_equality(result, expected)


def test_concat_matches_columns_by_name_not_position():
    left, right = first(), second()
    reordered = right.select(pw.this.b, pw.this.a)
    result = left.promise_universes_are_disjoint(reordered).concat(reordered)
    expected = T(
        """
          | a | b
        1 | 1 | x
        2 | 2 | y
        3 | 3 | z
        """
    )
    assert_table_equality(result, expected)


def test_concat_reindex_keeps_rows_with_clashing_ids():
    clashing = T(
        """
          | a | b
        1 | 9 | q
        """
    )
    result = first().concat_reindex(clashing)
    expected = T(
        """
        a | b
        1 | x
        2 | y
        9 | q
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_concat_reindex_of_three_tables():
    result = pw.Table.concat_reindex(first(), second(), first())
    expected = T(
        """
        a | b
        1 | x
        2 | y
        3 | z
        1 | x
        2 | y
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_concat_reindex_int_and_float_gives_float():
    floats = T(
        """
        a
        3.5
        """
    )
    result = first().select(pw.this.a).concat_reindex(floats)
    expected = T(
        """
        a
        1.0
        2.0
        3.5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_concat_with_optional_column_gives_optional():
    with_none = T(
        """
          | a | b
        3 | 3 | None
        """
    )
    left = first()
    result = left.promise_universes_are_disjoint(with_none).concat(with_none)
    expected = T(
        """
          | a | b
        1 | 1 | x
        2 | 2 | y
        3 | 3 | None
        """
    )
    assert_table_equality(result, expected)


def test_concat_streams_interleave_by_time():
    left = T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        1 | 1 | 6        | -1
        """
    )
    right = T(
        """
          | v | __time__
        2 | 5 | 4
        """
    )
    result = left.promise_universes_are_disjoint(right).concat(right)
    expected = T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 5 | 4        | 1
        1 | 1 | 6        | -1
        """
    )
    assert_stream_equality(result, expected)
