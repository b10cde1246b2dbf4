"""pw.cast, pw.declare_type and the `.num` namespace."""

import pytest
import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


def rows():
    return T(
        """
        a  | x    | o
        1  | 2.75 | None
        -3 | -0.5 | 5
        """
    )


def test_cast_int_to_float_and_str():
    t = pw.this
    result = rows().select(t.a, f=pw.cast(float, t.a), s=pw.cast(str, t.a))
    assert result.typehints() == {"a": int, "f": float, "s": str}
    expected = T(
        """
        a  | f    | s
        1  | 1.0  | 1
        -3 | -3.0 | -3
        """,
        schema=pw.schema_from_types(a=int, f=float, s=str),
    )
    assert_table_equality_wo_index(result, expected)


def test_cast_float_to_int_truncates_towards_zero():
    result = rows().select(pw.this.x, i=pw.cast(int, pw.this.x))
    expected = T(
        """
        x    | i
        2.75 | 2
        -0.5 | 0
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_cast_int_to_bool_and_bool_to_int():
    t = pw.this
    result = rows().select(t.a, b=pw.cast(bool, t.a + 3), back=pw.cast(int, t.a > 0))
    expected = T(
        """
        a  | b     | back
        1  | True  | 1
        -3 | False | 0
        """
    )
    assert_table_equality_wo_index(result, expected)


@pytest.mark.pathway_defect("cast of an Optional column is typed non-optional and fails on None")
def test_cast_of_optional_keeps_none():
    result = rows().select(pw.this.a, f=pw.cast(float, pw.this.o))
    assert result.typehints()["f"] == float | None
    expected = T(
        """
        a  | f
        1  | None
        -3 | 5.0
        """,
        schema=pw.schema_from_types(a=int, f=float | None),
    )
    assert_table_equality_wo_index(result, expected)


def test_declare_type_changes_only_the_declared_type():
    t = rows().filter(pw.this.o.is_not_none())
    declared = t.select(v=pw.declare_type(int, pw.this.o))
    assert declared.typehints() == {"v": int}
    expected = T(
        """
        v
        6
        """
    )
    assert_table_equality_wo_index(declared.select(v=pw.this.v + 1), expected)


def test_num_abs_round_fill_na():
    t = pw.this
    result = rows().select(
        t.a,
        ab=t.a.num.abs(),
        r=(t.a / 3).num.round(2),
        filled=t.o.num.fill_na(0),
    )
    assert result.typehints() == {"a": int, "ab": int, "r": float, "filled": int}
    expected = T(
        """
        a  | ab | r     | filled
        1  | 1  | 0.33  | 0
        -3 | 3  | -1.0  | 5
        """,
        schema=pw.schema_from_types(a=int, ab=int, r=float, filled=int),
    )
    assert_table_equality_wo_index(result, expected)


def test_num_round_without_digits_on_floats():
    result = rows().select(pw.this.x, r=pw.this.x.num.round())
    frame = pw.debug.table_to_pandas(result).sort_values("x")
    assert list(frame["r"]) == [0.0, 3.0]
