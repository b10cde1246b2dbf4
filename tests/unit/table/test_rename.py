"""rename, rename_columns, rename_by_dict, with_prefix/with_suffix."""

import towpath as pw
from towpath.testing import T, assert_table_equality


def source():
    return T(
        """
          | a | b | c
        1 | 1 | x | True
        2 | 2 | y | False
        """
    )


def test_rename_columns_puts_renamed_columns_last():
    result = source().rename_columns(first=pw.this.a)
    assert list(result.column_names()) == ["b", "c", "first"]
    expected = T(
        """
          | b | c     | first
        1 | x | True  | 1
        2 | y | False | 2
        """
    )
    assert_table_equality(result, expected)


def test_rename_by_dict_with_strings():
    result = source().rename_by_dict({"b": "letter", "a": "number"})
    expected = T(
        """
          | c     | letter | number
        1 | True  | x      | 1
        2 | False | y      | 2
        """
    )
    assert_table_equality(result, expected)


def test_rename_accepts_kwargs_and_dict():
    by_kwargs = source().rename(z=pw.this.c)
    by_dict = source().rename({"c": "z"})
    expected = T(
        """
          | a | b | z
        1 | 1 | x | True
        2 | 2 | y | False
        """
    )
    assert_table_equality(by_kwargs, expected)
    assert_table_equality(by_dict, expected)


def test_swap_two_column_names():
    result = source().rename_columns(a=pw.this.b, b=pw.this.a)
    expected = T(
        """
          | c     | a | b
        1 | True  | x | 1
        2 | False | y | 2
        """
    )
    assert_table_equality(result, expected)


def test_with_prefix_and_with_suffix():
    t = source()
    assert list(t.with_prefix("p_").column_names()) == ["p_a", "p_b", "p_c"]
    assert list(t.with_suffix("_s").column_names()) == ["a_s", "b_s", "c_s"]
    expected = T(
        """
          | p_a | p_b | p_c
        1 | 1   | x   | True
        2 | 2   | y   | False
        """
    )
    assert_table_equality(t.with_prefix("p_"), expected)


def test_renamed_column_usable_downstream():
    result = source().rename_columns(n=pw.this.a).select(m=pw.this.n + 100)
    expected = T(
        """
          | m
        1 | 101
        2 | 102
        """
    )
    assert_table_equality(result, expected)
