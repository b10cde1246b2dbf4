"""pw.debug.table_from_markdown: row labels, __time__/__diff__, type guessing, layouts."""

import towpath as pw
from towpath.testing import (
    T,
    assert_stream_equality_wo_index,
    assert_table_equality,
    assert_table_equality_wo_index,
)


def printed(table, capsys, **kwargs):
    pw.debug.compute_and_print(table, include_id=False, **kwargs)
    return capsys.readouterr().out


def test_type_guessing_of_ints_floats_bools_none_and_strings():
    t = pw.debug.table_from_markdown(
        """
        a | b   | c     | d    | e
        1 | 1.5 | True  | None | hello
        2 | 2.5 | False | 3    | world
        """
    )
    assert t.typehints() == {"a": int, "b": float, "c": bool, "d": int | None, "e": str}


def test_integral_floats_are_guessed_as_ints():
    # Pathway reads a column holding only 1.0 and -3.0 as ints (its guess goes via pandas)
    t = pw.debug.table_from_markdown(
        """
        a    | b
        1.0  | 2.5
        -3.0 | 2
        """
    )
    assert t.typehints() == {"a": int, "b": float}


def test_row_labels_become_ids_shared_by_equal_labels():
    values = pw.debug.table_from_markdown(
        """
          | v
        x | 1
        y | 2
        """
    )
    names = pw.debug.table_from_markdown(
        """
          | name
        y | why
        x | ex
        """
    )
    result = values.select(pw.this.v, name=names.with_universe_of(values).name)
    expected = T(
        """
        v | name
        1 | ex
        2 | why
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_without_row_labels_ids_follow_row_positions():
    first = pw.debug.table_from_markdown(
        """
        v
        10
        20
        """
    )
    second = pw.debug.table_from_markdown(
        """
        w
        1
        2
        """
    )
    result = first.select(pw.this.v, w=second.with_universe_of(first).w)
    expected = T(
        """
        v  | w
        10 | 1
        20 | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_time_column_alone_inserts_rows_at_their_times():
    t = pw.debug.table_from_markdown(
        """
        v | __time__
        1 | 4
        2 | 2
        """
    )
    expected = T(
        """
        v | __time__ | __diff__
        2 | 2        | 1
        1 | 4        | 1
        """
    )
    assert_stream_equality_wo_index(t, expected)


def test_diff_column_deletes_a_labelled_row(capsys):
    t = pw.debug.table_from_markdown(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 2 | 2        | 1
        1 | 1 | 4        | -1
        """
    )
    assert printed(t, capsys) == "v\n2\n"


def test_empty_cell_is_none(capsys):
    t = pw.debug.table_from_markdown(
        """
        a | b
        1 |
        2 | x
        """
    )
    assert t.typehints() == {"a": int, "b": str | None}
    assert printed(t, capsys) == "a | b\n1 |\n2 | x\n"


def test_columns_separated_by_whitespace_only():
    t = pw.debug.table_from_markdown(
        """
        a     b
        1     x
        2     y
        """
    )
    expected = T(
        """
        a | b
        1 | x
        2 | y
        """
    )
    assert_table_equality(t, expected)


def test_split_on_whitespace_false_keeps_spaces_in_cells(capsys):
    t = pw.debug.table_from_markdown(
        """
        a | b
        1 | x y
        2 | z
        """,
        split_on_whitespace=False,
    )
    assert printed(t, capsys) == "a | b\n1 | x y\n2 | z\n"


def test_quotes_are_kept_in_cells(capsys):
    t = pw.debug.table_from_markdown(
        """
        a | b
        1 | "hi"
        """
    )
    assert printed(t, capsys) == 'a | b\n1 | "hi"\n'


def test_schema_argument_sets_types():
    t = pw.debug.table_from_markdown(
        """
        a | b
        1 | 2
        """,
        schema=pw.schema_from_types(a=float, b=str),
    )
    assert t.typehints() == {"a": float, "b": str}
