"""Join modes by argument, chains of joins, deletions on the left, id= on left joins."""

import towpath as pw
from towpath.testing import T, assert_stream_equality, assert_stream_equality_wo_index


def orders():
    # row 1 is deleted at time 4
    return T(
        """
          | k | a | __time__ | __diff__
        1 | 1 | p | 2        | 1
        2 | 2 | q | 2        | 1
        1 | 1 | p | 4        | -1
        """
    )


def customers():
    return T(
        """
        k | b
        1 | x
        3 | z
        """
    )


def cities():
    return T(
        """
        b | c
        x | 100
        z | 300
        """
    )


LEFT_STREAM = """
a | b    | __time__ | __diff__
p | x    | 2        | 1
q | None | 2        | 1
p | x    | 4        | -1
"""


def test_join_with_how_left_equals_join_left():
    o, c = orders(), customers()
    result = o.join(c, o.k == c.k, how=pw.JoinMode.LEFT).select(o.a, c.b)
    assert_stream_equality_wo_index(result, T(LEFT_STREAM))


def test_right_join_with_sides_swapped_equals_left_join():
    o, c = orders(), customers()
    result = c.join_right(o, c.k == o.k).select(o.a, c.b)
    assert_stream_equality_wo_index(result, T(LEFT_STREAM))


def test_left_join_with_left_ids():
    o, c = orders(), customers()
    result = o.join_left(c, o.k == c.k, id=o.id).select(o.a, c.b)
    expected = T(
        """
          | a | b    | __time__ | __diff__
        1 | p | x    | 2        | 1
        2 | q | None | 2        | 1
        1 | p | x    | 4        | -1
        """
    )
    assert_stream_equality(result, expected)


def test_outer_join_when_the_left_row_is_deleted():
    o, c = orders(), customers()
    result = o.join_outer(c, o.k == c.k).select(o.a, c.b)
    expected = T(
        """
        a    | b    | __time__ | __diff__
        None | x    | 0        | 1
        None | z    | 0        | 1
        None | x    | 2        | -1
        p    | x    | 2        | 1
        q    | None | 2        | 1
        p    | x    | 4        | -1
        None | x    | 4        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_chain_of_two_joins():
    o, c, ci = orders(), customers(), cities()
    result = o.join(c, o.k == c.k).join(ci, pw.left.b == ci.b).select(pw.left.a, ci.c)
    expected = T(
        """
        a | c   | __time__ | __diff__
        p | 100 | 2        | 1
        p | 100 | 4        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_join_of_a_join_result_selected_first():
    o, c, ci = orders(), customers(), cities()
    located = c.join(ci, c.b == ci.b).select(c.k, ci.c)
    result = located.join(o, located.k == o.k).select(located.c, o.a)
    expected = T(
        """
        c   | a | __time__ | __diff__
        100 | p | 2        | 1
        100 | p | 4        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_coalesce_on_left_join_result():
    o, c = orders(), customers()
    result = o.join_left(c, o.k == c.k).select(o.a, x=pw.coalesce(c.b, "none"))
    expected = T(
        """
        a | x    | __time__ | __diff__
        p | x    | 2        | 1
        q | none | 2        | 1
        p | x    | 4        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_reduce_of_an_emptied_join_retracts_the_count():
    o, c = orders(), customers()
    result = o.join(c, o.k == c.k).reduce(n=pw.reducers.count())
    expected = T(
        """
        n | __time__ | __diff__
        1 | 2        | 1
        1 | 4        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_groupby_on_the_optional_side_of_a_left_join():
    o, c = orders(), customers()
    result = (
        o.join_left(c, o.k == c.k).groupby(pw.right.b).reduce(b=pw.right.b, n=pw.reducers.count())
    )
    expected = T(
        """
        b    | n | __time__ | __diff__
        None | 1 | 2        | 1
        x    | 1 | 2        | 1
        x    | 1 | 4        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)
