"""Json values: access by key and index, get with default, as_* conversions."""

import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


class JsonSchema(pw.Schema):
    j: pw.Json


def documents():
    return pw.debug.table_from_rows(
        JsonSchema,
        [
            ({"a": 1, "b": [10, 20, 30], "c": {"d": "x"}, "f": 2.5, "t": True, "n": None},),
            ({"a": "s", "b": [], "c": {}},),
        ],
    )


def printed(table, capsys):
    pw.debug.compute_and_print(table, include_id=False)
    return capsys.readouterr().out


def test_json_values_print_as_compact_json(capsys):
    assert printed(documents(), capsys) == (
        "j\n"
        '{"a": "s", "b": [], "c": {}}\n'
        '{"a": 1, "b": [10, 20, 30], "c": {"d": "x"}, "f": 2.5, "t": true, "n": null}\n'
    )


def test_key_and_index_access_gives_json_or_null(capsys):
    j = pw.this.j
    result = documents().select(a=j["a"], b=j["b"], b1=j["b"][1], cd=j["c"]["d"])
    assert result.typehints() == {"a": pw.Json, "b": pw.Json, "b1": pw.Json, "cd": pw.Json}
    assert printed(result, capsys) == (
        "a   | b            | b1   | cd\n"
        '"s" | []           | null | null\n'
        '1   | [10, 20, 30] | 20   | "x"\n'
    )


def test_missing_key_and_index_give_json_null(capsys):
    j = pw.this.j
    result = documents().select(k=j["missing"], i=j["b"][7], n=j["a"]["deeper"])
    assert printed(result, capsys) == "k    | i    | n\nnull | null | null\nnull | null | null\n"


def test_get_with_and_without_default():
    j = pw.this.j
    result = documents().select(
        found=j.get("a").is_not_none(),
        missing=j.get("zz").is_none(),
        defaulted=j.get("zz", default=pw.Json(5)).as_int(),
    )
    assert result.typehints()["defaulted"] == int | None
    expected = T(
        """
        found | missing | defaulted
        True  | True    | 5
        True  | True    | 5
        """,
        schema=pw.schema_from_types(found=bool, missing=bool, defaulted=int | None),
    )
    assert_table_equality_wo_index(result, expected)


def test_as_conversions_of_matching_types():
    j = pw.this.j
    first = documents().filter(j["f"].is_not_none() & (j["t"] == pw.Json(True)))
    result = first.select(
        a=j["a"].as_int(),
        f=j["f"].as_float(),
        t=j["t"].as_bool(),
        d=j["c"]["d"].as_str(),
        b0=j["b"][0].as_int(),
    )
    assert result.typehints() == {
        "a": int | None,
        "f": float | None,
        "t": bool | None,
        "d": str | None,
        "b0": int | None,
    }
    expected = T(
        """
        a | f   | t    | d | b0
        1 | 2.5 | True | x | 10
        """,
        schema=pw.schema_from_types(
            a=int | None, f=float | None, t=bool | None, d=str | None, b0=int | None
        ),
    )
    assert_table_equality_wo_index(result, expected)


def test_json_null_converts_to_none():
    j = pw.this.j
    result = documents().select(n=j["n"].as_int(), s=j["missing"].as_str())
    expected = T(
        """
        n    | s
        None | None
        None | None
        """,
        schema=pw.schema_from_types(n=int | None, s=str | None),
    )
    assert_table_equality_wo_index(result, expected)


def test_json_built_by_a_udf_and_read_back():
    t = T(
        """
        s
        ab
        cd
        """
    )
    built = t.select(
        j=pw.apply_with_type(lambda s: pw.Json({"k": s, "l": [1, len(s)]}), pw.Json, pw.this.s)
    )
    result = built.select(
        k=pw.unwrap(pw.this.j["k"].as_str()), n=pw.unwrap(pw.this.j["l"][1].as_int())
    )
    expected = T(
        """
        k  | n
        ab | 2
        cd | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_json_equality_with_a_json_constant():
    j = pw.this.j
    result = documents().select(is_one=j["a"] == pw.Json(1), is_s=j["a"] == pw.Json("s"))
    expected = T(
        """
        is_one | is_s
        True   | False
        False  | True
        """
    )
    assert_table_equality_wo_index(result, expected)
