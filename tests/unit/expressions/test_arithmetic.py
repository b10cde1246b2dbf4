"""Arithmetic operators: Python semantics for // and %, int vs float results."""

import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


def signed_ints():
    return T(
        """
        a  | b
        7  | 2
        -7 | 2
        7  | -2
        -7 | -2
        """
    )


def test_floor_division_of_ints_rounds_towards_minus_infinity():
    result = signed_ints().select(pw.this.a, pw.this.b, q=pw.this.a // pw.this.b)
    expected = T(
        """
        a  | b  | q
        7  | 2  | 3
        -7 | 2  | -4
        7  | -2 | -4
        -7 | -2 | 3
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_modulo_of_ints_takes_the_sign_of_the_divisor():
    result = signed_ints().select(pw.this.a, pw.this.b, r=pw.this.a % pw.this.b)
    expected = T(
        """
        a  | b  | r
        7  | 2  | 1
        -7 | 2  | 1
        7  | -2 | -1
        -7 | -2 | -1
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_true_division_of_ints_is_float():
    result = signed_ints().select(pw.this.a, pw.this.b, d=pw.this.a / pw.this.b)
    assert result.typehints()["d"] is float
    expected = T(
        """
        a  | b  | d
        7  | 2  | 3.5
        -7 | 2  | -3.5
        7  | -2 | -3.5
        -7 | -2 | 3.5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_float_floor_division_and_modulo():
    t = T(
        """
        x    | y
        7.5  | 2.0
        -7.5 | 2.0
        7.5  | -2.0
        """
    )
    result = t.select(pw.this.x, q=pw.this.x // pw.this.y, r=pw.this.x % pw.this.y)
    assert result.typehints() == {"x": float, "q": float, "r": float}
    # markdown would guess the integral quotients to be ints, so the types are given
    expected = T(
        """
        x    | q    | r
        7.5  | 3.0  | 1.5
        -7.5 | -4.0 | 0.5
        7.5  | -4.0 | -0.5
        """,
        schema=pw.schema_from_types(x=float, q=float, r=float),
    )
    assert_table_equality_wo_index(result, expected)


def test_add_sub_mul_neg_on_ints_stay_ints():
    result = signed_ints().select(
        s=pw.this.a + pw.this.b, d=pw.this.a - pw.this.b, m=pw.this.a * pw.this.b, n=-pw.this.a
    )
    assert result.typehints() == {"s": int, "d": int, "m": int, "n": int}
    expected = T(
        """
        s  | d  | m   | n
        9  | 5  | 14  | -7
        -5 | -9 | -14 | 7
        5  | 9  | -14 | -7
        -9 | -5 | 14  | 7
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_int_plus_float_is_float():
    t = T(
        """
        a | x
        1 | 0.5
        2 | 1.25
        """
    )
    result = t.select(s=pw.this.a + pw.this.x, m=pw.this.x * pw.this.a)
    assert result.typehints() == {"s": float, "m": float}
    expected = T(
        """
        s    | m
        1.5  | 0.5
        3.25 | 2.5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_power_of_ints_and_floats():
    t = T(
        """
        a | x
        3 | 0.5
        2 | 1.5
        """
    )
    result = t.select(p=pw.this.a**2, q=pw.this.x**2, r=2**pw.this.a)
    assert result.typehints() == {"p": int, "q": float, "r": int}
    expected = T(
        """
        p | q    | r
        9 | 0.25 | 8
        4 | 2.25 | 4
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_constants_on_either_side():
    t = T(
        """
        a
        10
        """
    )
    result = t.select(x=100 - pw.this.a, y=pw.this.a - 100, z=3 * pw.this.a + 1, w=1 / pw.this.a)
    expected = T(
        """
        x  | y   | z  | w
        90 | -90 | 31 | 0.1
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_abs_of_int_and_float():
    t = T(
        """
        a  | x
        -4 | -2.5
        3  | 1.5
        """
    )
    result = t.select(a=abs(pw.this.a), x=abs(pw.this.x))
    expected = T(
        """
        a | x
        4 | 2.5
        3 | 1.5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_bitwise_and_shift_operators_on_ints():
    t = T(
        """
        a
        6
        """
    )
    result = t.select(
        band=pw.this.a & 3,
        bor=pw.this.a | 1,
        bxor=pw.this.a ^ 5,
        shl=pw.this.a << 2,
        shr=pw.this.a >> 1,
    )
    expected = T(
        """
        band | bor | bxor | shl | shr
        2    | 7   | 3    | 24  | 3
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_arithmetic_follows_updates():
    t = T(
        """
          | a | __time__ | __diff__
        1 | 5 | 2        | 1
        1 | 5 | 4        | -1
        1 | 8 | 4        | 1
        """
    )
    result = t.select(r=pw.this.a % 3)
    expected = T(
        """
        r
        2
        """
    )
    assert_table_equality_wo_index(result, expected)
