"""split, intersect, difference, restrict and with_universe_of."""

import towpath as pw
from towpath.testing import T, assert_stream_equality, assert_table_equality


def numbers():
    return T(
        """
          | n
        1 | 5
        2 | 12
        3 | 7
        4 | 20
        """
    )


def keys(*labels):
    lines = "\n".join(f"{label} | {label}" for label in labels)
    return T(
        f"""
          | tag
        {lines}
        """
    )


def test_split_gives_matching_and_other_rows():
    big, small = numbers().split(pw.this.n > 10)
    assert_table_equality(
        big,
        T(
            """
              | n
            2 | 12
            4 | 20
            """
        ),
    )
    assert_table_equality(
        small,
        T(
            """
              | n
            1 | 5
            3 | 7
            """
        ),
    )


def test_intersect_keeps_rows_whose_ids_are_in_all_tables():
    result = numbers().intersect(keys(1, 2, 3), keys(2, 3, 9))
    expected = T(
        """
          | n
        2 | 12
        3 | 7
        """
    )
    assert_table_equality(result, expected)


def test_difference_drops_rows_whose_ids_are_in_the_other_table():
    result = numbers().difference(keys(2, 4, 8))
    expected = T(
        """
          | n
        1 | 5
        3 | 7
        """
    )
    assert_table_equality(result, expected)


def test_restrict_to_a_subset_universe():
    t = numbers()
    subset = t.filter(pw.this.n < 10)
    result = t.restrict(subset)
    expected = T(
        """
          | n
        1 | 5
        3 | 7
        """
    )
    assert_table_equality(result, expected)


def test_restricted_columns_can_be_combined_with_the_subset():
    t = numbers()
    subset = t.filter(pw.this.n < 10).select(half=pw.this.n / 2)
    result = t.restrict(subset).select(pw.this.n, subset.half)
    expected = T(
        """
          | n | half
        1 | 5 | 2.5
        3 | 7 | 3.5
        """
    )
    assert_table_equality(result, expected)


def test_difference_on_streams_follows_the_other_table():
    t = T(
        """
          | n | __time__
        1 | 1 | 2
        2 | 2 | 2
        """
    )
    other = T(
        """
          | tag | __time__ | __diff__
        1 | 1   | 4        | 1
        1 | 1   | 6        | -1
        """
    )
    result = t.difference(other)
    expected = T(
        """
          | n | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 2 | 2        | 1
        1 | 1 | 4        | -1
        1 | 1 | 6        | 1
        """
    )
    assert_stream_equality(result, expected)


def test_intersect_on_streams():
    t = T(
        """
          | n | __time__
        1 | 1 | 2
        2 | 2 | 2
        """
    )
    other = T(
        """
          | tag | __time__
        2 | 2   | 4
        """
    )
    result = t.intersect(other)
    expected = T(
        """
          | n | __time__ | __diff__
        2 | 2 | 4        | 1
        """
    )
    assert_stream_equality(result, expected)
