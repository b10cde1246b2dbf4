"""Bad rows do not stop a run: the rest is processed and the error log says what failed.

The runs pass ``terminate_on_error=False`` so that Pathway (the oracle) also keeps going.
"""

import inspect
import os
import re

import pytest
import towpath as pw
from towpath.testing import T

HERE = os.path.basename(__file__)


class Person(pw.Schema):
    name: str
    age: int


def collect(table):
    rows = []
    pw.io.subscribe(
        table, on_change=lambda key, row, time, is_addition: rows.append((row, is_addition))
    )
    return rows


def run_and_collect_errors():
    errors = collect(pw.global_error_log())
    pw.run(terminate_on_error=False)
    return [row for row, added in errors if added]


def error_text(entries):
    return "\n".join(f"{e['message']}\n{e['trace']}" for e in entries)


def names(rows):
    return sorted(row["name"] for row, added in rows if added)


def test_malformed_csv_line_is_skipped_and_the_rest_is_read(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,age\nann,3\ncarl\neve,7\n")
    rows = collect(pw.io.csv.read(path, schema=Person, mode="static"))
    run_and_collect_errors()
    assert names(rows) == ["ann", "eve"]


def test_wrongly_typed_csv_value_is_logged_with_the_value_and_field(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,age\nann,3\nbob,notanumber\neve,7\n")
    rows = collect(pw.io.csv.read(path, schema=Person, mode="static"))
    errors = run_and_collect_errors()
    assert names(rows) == ["ann", "eve"]
    text = error_text(errors)
    assert "notanumber" in text
    assert "age" in text


def test_bad_json_line_is_skipped_and_logged(tmp_path):
    path = tmp_path / "people.jsonl"
    path.write_text('{"name":"ann","age":3}\n{"name": broken\n{"name":"eve","age":7}\n')
    rows = collect(pw.io.jsonlines.read(path, schema=Person, mode="static"))
    errors = run_and_collect_errors()
    assert names(rows) == ["ann", "eve"]
    assert len(errors) >= 1


def test_wrongly_typed_json_value_is_logged(tmp_path):
    path = tmp_path / "people.jsonl"
    path.write_text('{"name":"ann","age":3}\n{"name":"bob","age":"x"}\n')
    rows = collect(pw.io.jsonlines.read(path, schema=Person, mode="static"))
    errors = run_and_collect_errors()
    assert names(rows) == ["ann"]
    text = error_text(errors)
    assert "age" in text and '"x"' in text


@pytest.mark.pathway_defect("parse errors do not say which file and line they come from")
def test_parse_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,age\nann,3\nbob,notanumber\n")
    collect(pw.io.csv.read(path, schema=Person, mode="static"))
    text = error_text(run_and_collect_errors())
    assert "people.csv" in text
    assert re.search(r"(:|line )3\b", text)


def test_udf_exception_is_logged_with_its_message_and_the_users_line():
    t = T(
        """
        a | b
        1 | 0
        2 | 1
        """
    )

    @pw.udf
    def checked(a: int, b: int) -> int:
        if b == 0:
            raise ValueError(f"no b for {a}")
        return a * 10

    line = inspect.currentframe().f_lineno + 1
    result = t.select(pw.this.a, x=checked(pw.this.a, pw.this.b))
    rows = collect(result)
    errors = run_and_collect_errors()
    assert [row for row, added in rows if added] == [{"a": 2, "x": 20}]
    text = error_text(errors)
    assert "ValueError" in text and "no b for 1" in text
    assert f"{HERE}:{line}" in text


def test_division_by_zero_is_logged_and_other_rows_are_kept():
    t = T(
        """
        a | b
        6 | 0
        6 | 3
        """
    )
    rows = collect(t.select(q=pw.this.a // pw.this.b))
    errors = run_and_collect_errors()
    assert [row for row, added in rows if added] == [{"q": 2}]
    assert "division by zero" in error_text(errors)


def test_error_value_prints_as_error(capsys):
    t = T(
        """
        a | b
        6 | 0
        6 | 3
        """
    )
    pw.debug.compute_and_print(
        t.select(pw.this.b, q=pw.this.a // pw.this.b), include_id=False, terminate_on_error=False
    )
    assert capsys.readouterr().out == "b | q\n0 | Error\n3 | 2\n"


def test_remove_errors_drops_rows_with_errors():
    t = T(
        """
        a | b
        6 | 0
        6 | 3
        """
    )
    rows = collect(t.select(q=pw.this.a // pw.this.b).remove_errors())
    run_and_collect_errors()
    assert [row for row, added in rows if added] == [{"q": 2}]


def test_fill_error_leaves_nothing_in_the_log():
    t = T(
        """
        a | b
        6 | 0
        6 | 3
        """
    )
    rows = collect(t.select(q=pw.fill_error(pw.this.a // pw.this.b, -1)))
    run_and_collect_errors()
    assert sorted(row["q"] for row, added in rows if added) == [-1, 2]


def test_error_in_a_groupby_input_does_not_stop_other_groups():
    t = T(
        """
        k | a | b
        x | 6 | 0
        y | 6 | 3
        y | 4 | 2
        """
    )
    q = t.select(pw.this.k, q=pw.this.a // pw.this.b)
    totals = collect(q.groupby(pw.this.k).reduce(pw.this.k, s=pw.reducers.sum(pw.this.q)))
    run_and_collect_errors()
    final = {row["k"]: row["s"] for row, added in totals if added}
    assert final["y"] == 4


def test_udf_result_of_the_wrong_type_is_a_row_error():
    t = T(
        """
        a
        1
        2
        """
    )

    @pw.udf
    def liar(a: int) -> int:
        return "nope" if a == 1 else a

    rows = collect(t.select(pw.this.a, r=liar(pw.this.a)))
    errors = run_and_collect_errors()
    assert [row for row, added in rows if added] == [{"a": 2, "r": 2}]
    assert "nope" in error_text(errors)


def test_ix_of_a_missing_key_is_a_row_error_at_the_users_line():
    probe = T(
        """
        k   | w
        a   | 1
        zzz | 2
        """
    )
    table = T(
        """
        k | v
        a | 10
        """
    ).with_id_from(pw.this.k)
    line = inspect.currentframe().f_lineno + 1
    result = probe.select(pw.this.w, v=table.ix(table.pointer_from(pw.this.k)).v)
    rows = collect(result)
    errors = run_and_collect_errors()
    assert [row for row, added in rows if added] == [{"w": 1, "v": 10}]
    assert f"{HERE}:{line}" in error_text(errors)


def test_unparsable_date_is_a_row_error():
    t = T(
        """
        d
        2024-01-01
        garbage
        """,
        schema=pw.schema_from_types(d=str),
    )
    rows = collect(t.select(y=pw.this.d.dt.strptime("%Y-%m-%d").dt.year()))
    errors = run_and_collect_errors()
    assert [row for row, added in rows if added] == [{"y": 2024}]
    assert "garbage" in error_text(errors)


def test_unwrap_of_none_is_a_row_error():
    t = T(
        """
        o
        None
        5
        """,
        schema=pw.schema_from_types(o=int | None),
    )
    rows = collect(t.select(v=pw.unwrap(pw.this.o) * 2))
    errors = run_and_collect_errors()
    assert [row for row, added in rows if added] == [{"v": 10}]
    assert len(errors) >= 1
