"""Non-deterministic UDFs (the default of ``pw.udf``, ``pw.apply``, ``pw.apply_with_type``): each
row's result is computed once and remembered, so deleting the row retracts exactly what its
insertion produced, even though calling the function again would give something else.

The UDFs here count their calls per argument, so a recomputation would be visible whatever
order the engine calls them in.
"""

import collections

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index


def counter(start: int = 1):
    """``f(a) = 10 * a + (number of calls with a so far, from start)``, and its call counts."""
    calls: collections.Counter = collections.Counter()

    def f(a: int) -> int:
        calls[a] += 1
        return 10 * a + calls[a] + start - 1

    return f, calls


def rows():
    """a=1, 2, 3 inserted at 2; a=1 deleted at 4; a=2 and a=3 deleted at 6."""
    return T(
        """
          | a | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 2 | 2        | 1
        3 | 3 | 2        | 1
        1 | 1 | 4        | -1
        2 | 2 | 6        | -1
        3 | 3 | 6        | -1
        """
    )


def test_udf_in_select_retracts_the_inserted_value():
    f, calls = counter()
    result = rows().select(pw.this.a, v=pw.udf(f)(pw.this.a))
    expected = T(
        """
        a | v  | __time__ | __diff__
        1 | 11 | 2        | 1
        2 | 21 | 2        | 1
        3 | 31 | 2        | 1
        1 | 11 | 4        | -1
        2 | 21 | 6        | -1
        3 | 31 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)
    assert calls == {1: 1, 2: 1, 3: 1}


def test_apply_and_apply_with_type_are_remembered_too():
    f, _ = counter()
    g, _ = counter(start=5)
    result = rows().with_columns(
        v=pw.apply(f, pw.this.a), w=pw.apply_with_type(g, int, pw.this.a)
    )
    expected = T(
        """
        a | v  | w  | __time__ | __diff__
        1 | 11 | 15 | 2        | 1
        2 | 21 | 25 | 2        | 1
        3 | 31 | 35 | 2        | 1
        1 | 11 | 15 | 4        | -1
        2 | 21 | 25 | 6        | -1
        3 | 31 | 35 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_udf_in_filter_deletes_the_rows_it_let_through():
    f, _ = counter()
    # The first call for each a gives an odd number; a recomputation would give an even one.
    result = rows().filter(pw.udf(f)(pw.this.a) % 2 == 1)
    expected = T(
        """
        a | __time__ | __diff__
        1 | 2        | 1
        2 | 2        | 1
        3 | 2        | 1
        1 | 4        | -1
        2 | 6        | -1
        3 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_udf_in_a_reducer_argument():
    f, _ = counter()
    result = rows().reduce(s=pw.reducers.sum(pw.udf(f)(pw.this.a)))
    expected = T(
        """
        s  | __time__ | __diff__
        63 | 2        | 1
        63 | 4        | -1
        52 | 4        | 1
        52 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


@pytest.mark.skipif(pw.__name__ == "pathway", reason="Pathway groups by column references only")
def test_udf_as_a_groupby_key():
    seen: set = set()

    @pw.udf
    def first_time(a: int) -> str:
        # "first" on a's first call, "again" on any later one.
        if a in seen:
            return "again"
        seen.add(a)
        return "first"

    result = rows().groupby(first_time(pw.this.a)).reduce(
        n=pw.reducers.count(), s=pw.reducers.sum(pw.this.a)
    )
    expected = T(
        """
        n | s | __time__ | __diff__
        3 | 6 | 2        | 1
        3 | 6 | 4        | -1
        2 | 5 | 4        | 1
        2 | 5 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_udf_in_a_join_filter():
    f, _ = counter()
    left = rows()
    right = T(
        """
        b | c
        1 | x
        2 | y
        3 | z
        """
    )
    joined = left.join(right, left.a == right.b).filter(pw.udf(f)(pw.left.a) % 2 == 1)
    result = joined.select(pw.left.a, pw.right.c)
    expected = T(
        """
        a | c | __time__ | __diff__
        1 | x | 2        | 1
        2 | y | 2        | 1
        3 | z | 2        | 1
        1 | x | 4        | -1
        2 | y | 6        | -1
        3 | z | 6        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_one_value_per_row_for_every_reader_of_the_column():
    f, calls = counter()
    t = rows().select(v=pw.udf(f)(pw.this.a))
    first, second = t.select(x=pw.this.v), t.select(y=pw.this.v)
    both = first.join(second, first.id == second.id).select(same=pw.left.x == pw.right.y)
    expected = T(
        """
        same | __time__ | __diff__
        True | 2        | 1
        True | 2        | 1
        True | 2        | 1
        True | 4        | -1
        True | 6        | -1
        True | 6        | -1
        """
    )
    assert_stream_equality_wo_index(both, expected)
    assert calls == {1: 1, 2: 1, 3: 1}


def test_deterministic_udf_still_works_and_is_recomputed():
    calls: collections.Counter = collections.Counter()

    @pw.udf(deterministic=True)
    def triple(a: int) -> int:
        calls[a] += 1
        return 3 * a

    result = rows().select(pw.this.a, v=triple(pw.this.a))
    expected = T(
        """
        a | v | __time__ | __diff__
        1 | 3 | 2        | 1
        2 | 6 | 2        | 1
        3 | 9 | 2        | 1
        1 | 3 | 4        | -1
        2 | 6 | 6        | -1
        3 | 9 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)
    # Nothing is remembered for a deterministic UDF: deletions call it again.
    assert calls == {1: 2, 2: 2, 3: 2}
