"""if_else, coalesce, require, is_none / is_not_none, unwrap and fill_error."""

import pytest
import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


def rows():
    return T(
        """
        a | s    | o
        1 | x    | None
        3 | None | 5
        """
    )


def test_if_else_on_a_condition():
    result = rows().select(pw.this.a, size=pw.if_else(pw.this.a > 2, "big", "small"))
    expected = T(
        """
        a | size
        1 | small
        3 | big
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_if_else_with_none_branch_is_optional():
    result = rows().select(pw.this.a, v=pw.if_else(pw.this.a > 2, pw.this.a * 10, None))
    assert result.typehints()["v"] == int | None
    expected = T(
        """
        a | v
        1 | None
        3 | 30
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_if_else_mixing_int_and_float_gives_float():
    result = rows().select(v=pw.if_else(pw.this.a > 2, 1, 0.5))
    assert result.typehints()["v"] is float


def test_coalesce_takes_the_first_non_none():
    t = pw.this
    result = rows().select(t.a, o=pw.coalesce(t.o, 0), s=pw.coalesce(t.s, "none"))
    assert result.typehints() == {"a": int, "o": int, "s": str}
    expected = T(
        """
        a | o | s
        1 | 0 | x
        3 | 5 | none
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_coalesce_of_optionals_only_stays_optional():
    result = rows().select(pw.this.a, v=pw.coalesce(pw.this.o, pw.this.o))
    assert result.typehints()["v"] == int | None


def test_is_none_and_is_not_none():
    t = pw.this
    result = rows().select(t.a, o_none=t.o.is_none(), s_some=t.s.is_not_none())
    expected = T(
        """
        a | o_none | s_some
        1 | True   | True
        3 | False  | False
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_require_gives_none_when_an_argument_is_none():
    t = pw.this
    result = rows().select(t.a, r=pw.require(t.a + 1, t.o), r2=pw.require(t.a, t.s))
    expected = T(
        """
        a | r    | r2
        1 | None | 1
        3 | 4    | None
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_unwrap_removes_optional_from_the_type():
    result = rows().filter(pw.this.o.is_not_none()).select(v=pw.unwrap(pw.this.o) + 1)
    assert result.typehints() == {"v": int}
    expected = T(
        """
        v
        6
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_if_else_on_is_not_none_narrows_the_type():
    t = pw.this
    result = rows().select(t.a, v=pw.if_else(t.o.is_not_none(), t.o, -1))
    assert result.typehints()["v"] is int
    expected = T(
        """
        a | v
        1 | -1
        3 | 5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_fill_error_replaces_a_failed_unwrap():
    result = rows().select(pw.this.a, v=pw.fill_error(pw.unwrap(pw.this.o), -1))
    expected = T(
        """
        a | v
        1 | -1
        3 | 5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_fill_error_replaces_a_division_by_zero():
    t = pw.this
    result = rows().select(t.a, v=pw.fill_error(6 // (t.a - 1), 0))
    expected = T(
        """
        a | v
        1 | 0
        3 | 3
        """
    )
    assert_table_equality_wo_index(result, expected)


@pytest.mark.parametrize("how", ["if_else", "coalesce"])
def test_conditionals_follow_updates(how):
    t = T(
        """
          | o    | __time__ | __diff__
        1 | None | 2        | 1
        1 | None | 4        | -1
        1 | 7    | 4        | 1
        """,
        schema=pw.schema_from_types(o=int | None),
    )
    if how == "if_else":
        result = t.select(v=pw.if_else(pw.this.o.is_none(), 0, pw.this.o))
    else:
        result = t.select(v=pw.coalesce(pw.this.o, 0))
    expected = T(
        """
        v
        7
        """
    )
    assert_table_equality_wo_index(result, expected)
