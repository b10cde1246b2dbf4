"""join / join_left / join_right / join_outer, conditions, id=, and work on join results."""

import towpath as pw
from towpath.testing import (
    T,
    assert_stream_equality_wo_index,
    assert_table_equality,
    assert_table_equality_wo_index,
)


def left_table():
    return T(
        """
          | k | a  | __time__
        1 | 1 | l1 | 2
        2 | 2 | l2 | 2
        3 | 3 | l3 | 2
        """
    )


def right_table():
    # key 1 matches twice, key 4 never, key 3 only from time 6
    return T(
        """
          | k | b   | __time__
        1 | 1 | r1  | 2
        2 | 1 | r1b | 2
        3 | 4 | r4  | 2
        4 | 3 | r3  | 6
        """
    )


def joined(how):
    left, right = left_table(), right_table()
    method = getattr(left, how)
    return method(right, left.k == right.k).select(lk=left.k, rk=right.k, a=left.a, b=right.b)


def test_inner_join_stream():
    expected = T(
        """
        lk | rk | a  | b   | __time__ | __diff__
        1  | 1  | l1 | r1  | 2        | 1
        1  | 1  | l1 | r1b | 2        | 1
        3  | 3  | l3 | r3  | 6        | 1
        """
    )
    assert_stream_equality_wo_index(joined("join"), expected)


def test_left_join_retracts_the_unmatched_row_when_the_match_arrives():
    expected = T(
        """
        lk | rk   | a  | b    | __time__ | __diff__
        1  | 1    | l1 | r1   | 2        | 1
        1  | 1    | l1 | r1b  | 2        | 1
        2  | None | l2 | None | 2        | 1
        3  | None | l3 | None | 2        | 1
        3  | None | l3 | None | 6        | -1
        3  | 3    | l3 | r3   | 6        | 1
        """
    )
    assert_stream_equality_wo_index(joined("join_left"), expected)


def test_right_join_stream():
    expected = T(
        """
        lk   | rk | a    | b   | __time__ | __diff__
        None | 4  | None | r4  | 2        | 1
        1    | 1  | l1   | r1  | 2        | 1
        1    | 1  | l1   | r1b | 2        | 1
        3    | 3  | l3   | r3  | 6        | 1
        """
    )
    assert_stream_equality_wo_index(joined("join_right"), expected)


def test_outer_join_stream():
    expected = T(
        """
        lk   | rk   | a    | b    | __time__ | __diff__
        None | 4    | None | r4   | 2        | 1
        1    | 1    | l1   | r1   | 2        | 1
        1    | 1    | l1   | r1b  | 2        | 1
        2    | None | l2   | None | 2        | 1
        3    | None | l3   | None | 2        | 1
        3    | None | l3   | None | 6        | -1
        3    | 3    | l3   | r3   | 6        | 1
        """
    )
    assert_stream_equality_wo_index(joined("join_outer"), expected)


def test_left_join_unmatched_again_after_the_right_row_is_deleted():
    left = T(
        """
        k | a
        1 | x
        """
    )
    right = T(
        """
          | k | b | __time__ | __diff__
        1 | 1 | y | 2        | 1
        1 | 1 | y | 4        | -1
        """
    )
    result = left.join_left(right, left.k == right.k).select(left.a, right.b)
    expected = T(
        """
        a | b    | __time__ | __diff__
        x | None | 0        | 1
        x | None | 2        | -1
        x | y    | 2        | 1
        x | y    | 4        | -1
        x | None | 4        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_inner_join_on_two_conditions():
    left = T(
        """
        x | y | a
        1 | 1 | p
        1 | 2 | q
        2 | 1 | r
        """
    )
    right = T(
        """
        x | y | b
        1 | 2 | s
        2 | 1 | t
        2 | 2 | u
        """
    )
    result = left.join(right, left.x == right.x, left.y == right.y).select(left.a, right.b)
    expected = T(
        """
        a | b
        q | s
        r | t
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_join_on_differently_named_columns_with_left_right_refs():
    left = T(
        """
        owner | item
        ann   | pen
        bob   | cup
        ann   | hat
        """
    )
    right = T(
        """
        name | city
        ann  | oslo
        bob  | rome
        """
    )
    result = left.join(right, pw.left.owner == pw.right.name).select(pw.left.item, pw.right.city)
    expected = T(
        """
        item | city
        pen  | oslo
        cup  | rome
        hat  | oslo
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_join_with_id_from_the_left_keeps_left_ids():
    left = T(
        """
          | k | a
        1 | 1 | p
        2 | 2 | q
        """
    )
    right = T(
        """
        k | b
        1 | x
        2 | y
        """
    )
    result = left.join(right, left.k == right.k, id=left.id).select(left.a, right.b)
    expected = T(
        """
          | a | b
        1 | p | x
        2 | q | y
        """
    )
    assert_table_equality(result, expected)


def test_join_without_condition_is_a_cross_product():
    left = T(
        """
        a
        1
        2
        """
    )
    right = T(
        """
        b
        x
        y
        """
    )
    result = left.join(right).select(left.a, right.b)
    expected = T(
        """
        a | b
        1 | x
        1 | y
        2 | x
        2 | y
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_join_on_none_keys_matches_none():
    # Pathway matches None with None in equality joins (unlike SQL).
    left = T(
        """
        k    | a
        1    | l1
        None | l2
        """
    )
    right = T(
        """
        k    | b
        2    | r2
        None | rn
        """
    )
    result = left.join(right, left.k == right.k).select(left.a, right.b)
    expected = T(
        """
        a  | b
        l2 | rn
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_select_star_of_one_side_and_this_for_the_join_column():
    left = T(
        """
        k | a
        1 | p
        2 | q
        """
    )
    right = T(
        """
        k | b
        1 | x
        """
    )
    result = left.join(right, left.k == right.k).select(*pw.left, pw.right.b)
    expected = T(
        """
        k | a | b
        1 | p | x
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_expression_mixing_both_sides():
    left = T(
        """
        k | price
        1 | 10
        2 | 20
        """
    )
    right = T(
        """
        k | qty
        1 | 3
        2 | 5
        """
    )
    result = left.join(right, left.k == right.k).select(
        pw.this.k, cost=pw.left.price * pw.right.qty
    )
    expected = T(
        """
        k | cost
        1 | 30
        2 | 100
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_filter_on_join_result():
    left = T(
        """
        k | lo
        1 | 5
        2 | 5
        """
    )
    right = T(
        """
        k | v
        1 | 3
        1 | 9
        2 | 6
        """
    )
    result = (
        left.join(right, left.k == right.k)
        .filter(pw.right.v > pw.left.lo)
        .select(pw.left.k, pw.right.v)
    )
    expected = T(
        """
        k | v
        1 | 9
        2 | 6
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_groupby_reduce_on_join_result():
    orders = T(
        """
        customer | product
        ann      | pen
        ann      | cup
        bob      | pen
        """
    )
    prices = T(
        """
        product | price
        pen     | 2
        cup     | 7
        """
    )
    result = (
        orders.join(prices, orders.product == prices.product)
        .groupby(pw.left.customer)
        .reduce(customer=pw.left.customer, total=pw.reducers.sum(pw.right.price))
    )
    expected = T(
        """
        customer | total
        ann      | 9
        bob      | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_inner_join_retracts_when_one_side_is_deleted():
    left = T(
        """
          | k | a | __time__ | __diff__
        1 | 1 | p | 2        | 1
        1 | 1 | p | 6        | -1
        """
    )
    right = T(
        """
          | k | b | __time__
        1 | 1 | x | 4
        """
    )
    result = left.join(right, left.k == right.k).select(left.a, right.b)
    expected = T(
        """
        a | b | __time__ | __diff__
        p | x | 4        | 1
        p | x | 6        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_pw_join_function_form_and_join_inner_alias():
    left = T(
        """
        k | a
        1 | p
        """
    )
    right = T(
        """
        k | b
        1 | x
        """
    )
    via_function = pw.join(left, right, left.k == right.k).select(left.a, right.b)
    via_alias = left.join_inner(right, left.k == right.k).select(left.a, right.b)
    expected = T(
        """
        a | b
        p | x
        """
    )
    assert_table_equality_wo_index(via_function, expected)
    assert_table_equality_wo_index(via_alias, expected)


def test_outer_join_coalesce_of_keys():
    left = T(
        """
        k | a
        1 | p
        2 | q
        """
    )
    right = T(
        """
        k | b
        2 | x
        3 | y
        """
    )
    result = left.join_outer(right, left.k == right.k).select(
        k=pw.unwrap(pw.coalesce(pw.left.k, pw.right.k)), a=pw.left.a, b=pw.right.b
    )
    expected = T(
        """
        k | a    | b
        1 | p    | None
        2 | q    | x
        3 | None | y
        """
    )
    assert_table_equality_wo_index(result, expected)
