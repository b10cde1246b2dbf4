"""Table.filter: keeps ids, follows updates, composes with select."""

import towpath as pw
from towpath.testing import T, assert_stream_equality, assert_table_equality


def numbers():
    return T(
        """
          | n  | tag
        1 | 1  | a
        2 | 2  | b
        3 | 3  | a
        4 | 4  | b
        5 | 10 | a
        """
    )


def test_filter_keeps_matching_rows_and_their_ids():
    result = numbers().filter(pw.this.n > 2)
    expected = T(
        """
          | n  | tag
        3 | 3  | a
        4 | 4  | b
        5 | 10 | a
        """
    )
    assert_table_equality(result, expected)


def test_filter_on_string_equality():
    result = numbers().filter(pw.this.tag == "b")
    expected = T(
        """
          | n | tag
        2 | 2 | b
        4 | 4 | b
        """
    )
    assert_table_equality(result, expected)


def test_filter_with_combined_condition():
    t = numbers()
    result = t.filter((t.n % 2 == 0) | (t.n == 1)).filter(pw.this.n != 10)
    expected = T(
        """
          | n | tag
        1 | 1 | a
        2 | 2 | b
        4 | 4 | b
        """
    )
    assert_table_equality(result, expected)


def test_filter_by_boolean_column():
    t = T(
        """
          | v | keep
        1 | 1 | True
        2 | 2 | False
        3 | 3 | True
        """
    )
    result = t.filter(pw.this.keep).select(pw.this.v)
    expected = T(
        """
          | v
        1 | 1
        3 | 3
        """
    )
    assert_table_equality(result, expected)


def test_filter_nothing_matches():
    result = numbers().filter(pw.this.n > 100)
    assert len(pw.debug.table_to_pandas(result)) == 0


def test_filter_row_leaves_and_enters_on_update():
    t = T(
        """
          | v  | __time__ | __diff__
        1 | 5  | 2        | 1
        2 | 50 | 2        | 1
        1 | 5  | 4        | -1
        1 | 60 | 4        | 1
        2 | 50 | 6        | -1
        2 | 3  | 6        | 1
        """
    )
    result = t.filter(pw.this.v > 10)
    expected = T(
        """
          | v  | __time__ | __diff__
        2 | 50 | 2        | 1
        1 | 60 | 4        | 1
        2 | 50 | 6        | -1
        """
    )
    assert_stream_equality(result, expected)


def test_filter_then_select_uses_filtered_columns():
    t = numbers()
    filtered = t.filter(t.tag == "a")
    result = filtered.select(double=filtered.n * 2)
    expected = T(
        """
          | double
        1 | 2
        3 | 6
        5 | 20
        """
    )
    assert_table_equality(result, expected)
