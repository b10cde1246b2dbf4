"""Exact text of compute_and_print and compute_and_print_update_stream."""

import re

import towpath as pw
from towpath.testing import T


def people():
    return T(
        """
          | name  | n
        a | bob   | 2
        b | alice | 10
        c | bob   | 1
        """
    )


def stream():
    return T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 2 | 2        | 1
        1 | 1 | 4        | -1
        1 | 5 | 4        | 1
        """
    )


ID = r"\^[0-9A-Z]{7}\.\.\."


def test_without_ids_rows_are_sorted_by_values_and_cells_padded(capsys):
    pw.debug.compute_and_print(people(), include_id=False)
    assert capsys.readouterr().out == "name  | n\nalice | 10\nbob   | 1\nbob   | 2\n"


def test_with_short_ids(capsys):
    pw.debug.compute_and_print(people())
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "            | name  | n"
    assert [re.sub(ID, "ID", line) for line in lines[1:]] == [
        "ID | alice | 10",
        "ID | bob   | 1",
        "ID | bob   | 2",
    ]


def test_with_full_ids(capsys):
    pw.debug.compute_and_print(people(), short_pointers=False)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == " " * 28 + "| name  | n"
    assert all(re.fullmatch(r"\^[0-9A-Z]{26} \| .*", line) for line in lines[1:])


def test_ids_are_distinct_and_stable(capsys):
    pw.debug.compute_and_print(people())
    first = capsys.readouterr().out
    pw.debug.compute_and_print(people())
    assert capsys.readouterr().out == first
    ids = [line.split(" | ")[0] for line in first.splitlines()[1:]]
    assert len(set(ids)) == 3


def test_n_rows_prints_the_first_rows(capsys):
    pw.debug.compute_and_print(people(), include_id=False, n_rows=2)
    assert capsys.readouterr().out == "name  | n\nalice | 10\nbob   | 1\n"


def test_several_tables_one_after_another(capsys):
    t = people()
    pw.debug.compute_and_print(t, t.select(k=pw.this.n * 2), include_id=False)
    assert capsys.readouterr().out == "name  | n\nalice | 10\nbob   | 1\nbob   | 2\nk\n2\n4\n20\n"


def test_none_prints_as_an_empty_cell(capsys):
    t = T(
        """
        a    | o
        None | None
        1    | None
        """
    )
    pw.debug.compute_and_print(t, include_id=False)
    assert capsys.readouterr().out == "a | o\n  |\n1 |\n"


def test_none_in_a_single_column_without_ids_prints_as_none(capsys):
    t = T(
        """
        s
        x
        None
        """
    )
    pw.debug.compute_and_print(t, include_id=False)
    assert capsys.readouterr().out == "s\nNone\nx\n"


def test_final_state_of_a_stream(capsys):
    pw.debug.compute_and_print(stream(), include_id=False)
    assert capsys.readouterr().out == "v\n2\n5\n"


def test_update_stream_layout_without_ids(capsys):
    pw.debug.compute_and_print_update_stream(stream(), include_id=False)
    assert capsys.readouterr().out == (
        "v | __time__ | __diff__\n"
        "1 | 2        | 1\n"
        "2 | 2        | 1\n"
        "1 | 4        | -1\n"
        "5 | 4        | 1\n"
    )


def test_update_stream_layout_with_ids(capsys):
    pw.debug.compute_and_print_update_stream(stream())
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "            | v | __time__ | __diff__"
    masked = [re.sub(ID, "ID", line) for line in lines[1:]]
    assert masked == [
        "ID | 1 | 2        | 1",
        "ID | 2 | 2        | 1",
        "ID | 1 | 4        | -1",
        "ID | 5 | 4        | 1",
    ]
    # the update of row 1 keeps its id
    ids = [line.split(" | ")[0] for line in lines[1:]]
    assert ids[0] == ids[2] == ids[3] != ids[1]


def test_update_stream_puts_deletions_before_insertions_within_a_time(capsys):
    t = T(
        """
          | v | __time__ | __diff__
        1 | 9 | 2        | 1
        2 | 1 | 4        | 1
        1 | 9 | 4        | -1
        """
    )
    pw.debug.compute_and_print_update_stream(t, include_id=False)
    assert capsys.readouterr().out == (
        "v | __time__ | __diff__\n9 | 2        | 1\n9 | 4        | -1\n1 | 4        | 1\n"
    )


def test_floats_bools_and_strings_print_like_python(capsys):
    t = T(
        """
        f    | b     | s
        1.5  | True  | x
        -0.25 | False | yy
        """
    )
    pw.debug.compute_and_print(t, include_id=False)
    assert capsys.readouterr().out == "f     | b     | s\n-0.25 | False | yy\n1.5   | True  | x\n"


def test_float_printing_follows_python_repr(capsys):
    t = T(
        """
        a | b
        1 | 3
        """
    )
    a = pw.cast(float, pw.this.a)
    result = t.select(
        x=0.1 + a * 0.2, y=a * 1e20, z=pw.this.a / pw.this.b, w=a * 1e-7, neg=-a * 0.0, r=a * 2.0
    )
    pw.debug.compute_and_print(result, include_id=False)
    assert capsys.readouterr().out == (
        "x                   | y     | z                  | w     | neg  | r\n"
        "0.30000000000000004 | 1e+20 | 0.3333333333333333 | 1e-07 | -0.0 | 2.0\n"
    )


def test_big_ints_durations_and_bytes_printing(capsys):
    t = T(
        """
        a
        1
        """
    )
    result = t.select(
        big=pw.this.a * 10**18,
        neg=(-pw.this.a).dt.to_duration("s"),
        long=(pw.this.a * 90061).dt.to_duration("s"),
        tiny=(pw.this.a * 1500).dt.to_duration("us"),
        raw=pw.apply_with_type(lambda a: b"\x00ab", bytes, pw.this.a),
    )
    pw.debug.compute_and_print(result, include_id=False)
    assert capsys.readouterr().out == (
        "big                 | neg               | long            | tiny                   | raw\n"
        "1000000000000000000 | -1 days +23:59:59 | 1 days 01:01:01 | 0 days 00:00:00.001500 | b'\\x00ab'\n"
    )


def test_table_without_columns_prints_its_ids_under_an_id_header(capsys):
    pw.debug.compute_and_print(people().select())
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id"
    assert len(lines) == 4 and all(re.fullmatch(ID, line) for line in lines[1:])


def test_table_without_columns_or_ids_prints_nothing(capsys):
    pw.debug.compute_and_print(people().select(), include_id=False)
    assert capsys.readouterr().out == ""


def test_utc_datetimes_inside_tuples_print_with_tzutc(capsys):
    t = T(
        """
        a
        2023-05-15T10:13:00+01:00
        """
    )
    t = t.select(a=pw.this.a.dt.strptime("%Y-%m-%dT%H:%M:%S%z"))
    pw.debug.compute_and_print(t.select(c=pw.make_tuple(pw.this.a)), include_id=False)
    out = capsys.readouterr().out
    assert out == "c\n(Timestamp('2023-05-15 09:13:00+0000', tz='tzutc()'),)\n"
