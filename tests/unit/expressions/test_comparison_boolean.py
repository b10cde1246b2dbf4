"""Comparison and boolean operators."""

import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


def pairs():
    return T(
        """
        a | b | s    | o
        1 | 2 | x    | None
        3 | 3 | None | 5
        4 | 1 | y    | 4
        """
    )


def test_numeric_comparisons():
    t = pw.this
    result = pairs().select(
        t.a, eq=t.a == t.b, ne=t.a != t.b, lt=t.a < t.b, le=t.a <= t.b, gt=t.a > t.b, ge=t.a >= t.b
    )
    expected = T(
        """
        a | eq    | ne    | lt    | le    | gt    | ge
        1 | False | True  | True  | True  | False | False
        3 | True  | False | False | True  | False | True
        4 | False | True  | False | False | True  | True
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_comparing_int_with_float():
    result = pairs().select(pw.this.a, half=pw.this.a > 2.5, same=pw.this.a == 3.0)
    expected = T(
        """
        a | half  | same
        1 | False | False
        3 | True  | True
        4 | True  | False
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_equality_with_optional_values():
    t = pw.this
    result = pairs().select(t.a, s_is_x=t.s == "x", o_is_5=t.o == 5, o_not_4=t.o != 4)
    expected = T(
        """
        a | s_is_x | o_is_5 | o_not_4
        1 | True   | False  | True
        3 | False  | True   | True
        4 | False  | False  | False
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_and_or_not_xor():
    t = pw.this
    result = pairs().select(
        t.a,
        both=(t.a < 4) & (t.b > 1),
        either=(t.a > 3) | (t.b > 2),
        neg=~(t.a > 2),
        xor=(t.a > 2) ^ (t.b > 2),
    )
    expected = T(
        """
        a | both  | either | neg   | xor
        1 | True  | False  | True  | False
        3 | True  | True   | False | False
        4 | False | True   | False | True
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_string_ordering_is_lexicographic():
    t = T(
        """
        s
        apple
        Banana
        cherry
        """
    )
    result = t.select(pw.this.s, before_b=pw.this.s < "b")
    expected = T(
        """
        s      | before_b
        apple  | True
        Banana | True
        cherry | False
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_comparing_two_columns_of_booleans():
    t = T(
        """
        p     | q
        True  | False
        False | False
        True  | True
        """
    )
    result = t.select(pw.this.p, pw.this.q, gt=pw.this.p > pw.this.q, eq=pw.this.p == pw.this.q)
    expected = T(
        """
        p     | q     | gt    | eq
        True  | False | True  | False
        False | False | False | True
        True  | True  | False | True
        """
    )
    assert_table_equality_wo_index(result, expected)
