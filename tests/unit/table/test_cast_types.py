"""cast_to_types, update_types, schema, column_names, typehints and copy."""

import towpath as pw
from towpath.testing import T, assert_table_equality


def mixed():
    return T(
        """
          | i  | f    | s     | b
        1 | 1  | 2.5  | seven | True
        2 | -3 | -0.5 | eight | False
        """
    )


def test_markdown_types_are_guessed():
    assert mixed().typehints() == {"i": int, "f": float, "s": str, "b": bool}


def test_column_names_in_declaration_order():
    assert list(mixed().column_names()) == ["i", "f", "s", "b"]
    assert list(mixed().schema.column_names()) == ["i", "f", "s", "b"]


def test_schema_typehints_match_table_typehints():
    t = mixed()
    assert t.schema.typehints() == t.typehints()


def test_cast_to_types_int_to_float_and_float_to_int_truncates():
    result = mixed().cast_to_types(i=float, f=int)
    assert result.typehints() == {"i": float, "f": int, "s": str, "b": bool}
    # markdown would guess "1.0" to be an int, so the expected types are given
    expected = T(
        """
          | i    | f | s     | b
        1 | 1.0  | 2 | seven | True
        2 | -3.0 | 0 | eight | False
        """,
        schema=pw.schema_from_types(i=float, f=int, s=str, b=bool),
    )
    assert_table_equality(result, expected)


def test_cast_to_types_bool_to_int_and_int_to_str():
    result = mixed().cast_to_types(b=int, i=str).select(pw.this.i, pw.this.b)
    expected = T(
        """
          | i  | b
        1 | 1  | 1
        2 | -3 | 0
        """,
    ).select(i=pw.cast(str, pw.this.i), b=pw.this.b)
    assert result.typehints() == {"i": str, "b": int}
    assert_table_equality(result, expected)


def test_copy_is_an_equal_independent_table():
    t = mixed()
    copied = t.copy()
    assert copied is not t
    assert copied.typehints() == t.typehints()
    assert_table_equality(copied, t)


def test_update_types_changes_the_declared_type_only():
    t = mixed().select(pw.this.s, o=pw.if_else(pw.this.b, pw.this.i, None))
    assert t.typehints() == {"s": str, "o": int | None}
    declared = t.filter(pw.this.o.is_not_none()).update_types(o=int)
    assert declared.typehints() == {"s": str, "o": int}
    result = declared.select(pw.this.s, p=pw.this.o + 1)
    expected = T(
        """
          | s     | p
        1 | seven | 2
        """
    )
    assert_table_equality(result, expected)


def test_typehints_of_derived_columns():
    t = mixed()
    result = t.select(
        ratio=t.i / 2,
        floor=t.i // 2,
        mixed=t.i + t.f,
        text=t.s + "!",
        flag=t.b & (t.i > 0),
        maybe=pw.if_else(t.b, t.s, None),
    )
    assert result.typehints() == {
        "ratio": float,
        "floor": int,
        "mixed": float,
        "text": str,
        "flag": bool,
        "maybe": str | None,
    }
