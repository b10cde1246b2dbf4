"""pw.debug.table_from_pandas and table_to_pandas."""

import pandas as pd
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index


def frame():
    return pd.DataFrame({"x": [3, 1], "y": ["c", "a"], "f": [0.5, None], "b": [True, False]})


def test_table_from_pandas_types_and_values():
    t = pw.debug.table_from_pandas(frame())
    assert t.typehints() == {"x": int, "y": str, "f": float | None, "b": bool}
    expected = T(
        """
        x | y | f    | b
        3 | c | 0.5  | True
        1 | a | None | False
        """
    )
    assert_table_equality_wo_index(t, expected)


def test_table_from_pandas_with_schema():
    schema = pw.schema_from_types(x=float, y=str, f=float | None, b=bool)
    t = pw.debug.table_from_pandas(frame(), schema=schema)
    assert t.typehints() == {"x": float, "y": str, "f": float | None, "b": bool}
    result = t.select(half=pw.this.x / 2)
    expected = T(
        """
        half
        1.5
        0.5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_table_from_pandas_id_from_a_column():
    t = pw.debug.table_from_pandas(frame(), id_from=["y"])
    keyed = T(
        """
        y | z
        a | 10
        c | 30
        """
    ).with_id_from(pw.this.y)
    result = t.select(pw.this.x, z=keyed.with_universe_of(t).z)
    expected = T(
        """
        x | z
        3 | 30
        1 | 10
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_table_from_pandas_with_time_and_diff_columns():
    # the frame's index gives the row ids: the third row deletes the first
    df = pd.DataFrame(
        {"x": [1, 2, 1], "__time__": [2, 4, 6], "__diff__": [1, 1, -1]}, index=[0, 1, 0]
    )
    t = pw.debug.table_from_pandas(df)
    assert list(t.column_names()) == ["x"]
    expected = T(
        """
        x | __time__ | __diff__
        1 | 2        | 1
        2 | 4        | 1
        1 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(t, expected)


def test_table_to_pandas_with_ids_as_index():
    t = T(
        """
          | name  | n
        a | bob   | 2
        b | alice | 10
        """
    )
    df = pw.debug.table_to_pandas(t)
    assert list(df.columns) == ["name", "n"]
    assert len(set(df.index)) == 2
    assert all(isinstance(i, pw.Pointer) for i in df.index)
    assert sorted(zip(df["name"], df["n"], strict=True)) == [("alice", 10), ("bob", 2)]


def test_table_to_pandas_without_ids():
    t = T(
        """
        name  | n
        bob   | 2
        alice | 10
        """
    )
    df = pw.debug.table_to_pandas(t, include_id=False)
    assert list(df.columns) == ["name", "n"]
    assert list(df.index) == [0, 1]
    assert sorted(df["n"]) == [2, 10]


def test_table_to_pandas_gives_the_final_state_of_a_stream():
    t = T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 2 | 2        | 1
        1 | 1 | 4        | -1
        1 | 5 | 4        | 1
        """
    )
    df = pw.debug.table_to_pandas(t, include_id=False)
    assert sorted(df["v"]) == [2, 5]


def test_round_trip_through_pandas():
    t = T(
        """
        a | b
        1 | x
        2 | y
        """
    )
    back = pw.debug.table_from_pandas(pw.debug.table_to_pandas(t, include_id=False))
    assert_table_equality_wo_index(back, t)
