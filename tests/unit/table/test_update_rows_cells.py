"""update_rows, update_cells and the `<<` operator."""

from towpath.testing import T, assert_stream_equality, assert_table_equality


def base():
    return T(
        """
          | a | b
        1 | 1 | x
        2 | 2 | y
        """
    )


def test_update_rows_replaces_existing_and_adds_new_rows():
    updates = T(
        """
          | a | b
        2 | 20 | yy
        3 | 30 | zz
        """
    )
    result = base().update_rows(updates)
    expected = T(
        """
          | a  | b
        1 | 1  | x
        2 | 20 | yy
        3 | 30 | zz
        """
    )
    assert_table_equality(result, expected)


def test_update_rows_with_none_values_makes_column_optional():
    updates = T(
        """
          | a | b
        1 | 5 | None
        """
    )
    result = base().update_rows(updates)
    expected = T(
        """
          | a | b
        1 | 5 | None
        2 | 2 | y
        """
    )
    assert_table_equality(result, expected)


def test_update_rows_stream_prefers_the_update_while_it_exists():
    original = T(
        """
          | a | __time__ | __diff__
        1 | 1 | 2        | 1
        """
    )
    updates = T(
        """
          | a  | __time__ | __diff__
        1 | 10 | 4        | 1
        2 | 20 | 4        | 1
        1 | 10 | 6        | -1
        """
    )
    result = original.update_rows(updates)
    expected = T(
        """
          | a  | __time__ | __diff__
        1 | 1  | 2        | 1
        1 | 1  | 4        | -1
        1 | 10 | 4        | 1
        2 | 20 | 4        | 1
        1 | 10 | 6        | -1
        1 | 1  | 6        | 1
        """
    )
    assert_stream_equality(result, expected)


def test_update_cells_changes_only_given_columns():
    patch = T(
        """
          | b
        2 | w
        """
    ).promise_universe_is_subset_of(base())
    result = base().update_cells(patch)
    expected = T(
        """
          | a | b
        1 | 1 | x
        2 | 2 | w
        """
    )
    assert_table_equality(result, expected)


def test_shift_operator_is_update_cells():
    t = base()
    patch = T(
        """
          | a
        1 | 100
        """
    ).promise_universe_is_subset_of(t)
    result = t << patch
    expected = T(
        """
          | a   | b
        1 | 100 | x
        2 | 2   | y
        """
    )
    assert_table_equality(result, expected)


def test_update_cells_stream_reverts_when_the_patch_row_goes_away():
    t = T(
        """
          | a | b
        1 | 1 | x
        """
    )
    patch = T(
        """
          | b | __time__ | __diff__
        1 | p | 2        | 1
        1 | p | 4        | -1
        """
    ).promise_universe_is_subset_of(t)
    result = t.update_cells(patch)
    expected = T(
        """
          | a | b | __time__ | __diff__
        1 | 1 | x | 0        | 1
        1 | 1 | x | 2        | -1
        1 | 1 | p | 2        | 1
        1 | 1 | p | 4        | -1
        1 | 1 | x | 4        | 1
        """
    )
    assert_stream_equality(result, expected)


def test_with_columns_from_another_table_of_the_same_universe():
    t = base()
    other = T(
        """
          | c
        1 | True
        2 | False
        """
    ).with_universe_of(t)
    result = t.with_columns(other.c)
    expected = T(
        """
          | a | b | c
        1 | 1 | x | True
        2 | 2 | y | False
        """
    )
    assert_table_equality(result, expected)
