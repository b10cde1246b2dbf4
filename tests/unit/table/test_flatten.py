"""Table.flatten over tuples, strings and Json arrays."""

import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index


def pairs():
    t = T(
        """
        k
        1
        2
        """
    )
    return t.select(pw.this.k, t=pw.make_tuple(pw.this.k, pw.this.k * 10))


def test_flatten_tuple_puts_flattened_column_first():
    result = pairs().flatten(pw.this.t)
    assert list(result.column_names()) == ["t", "k"]
    expected = T(
        """
        t  | k
        1  | 1
        10 | 1
        2  | 2
        20 | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_flatten_with_origin_id_points_back_to_the_source_row():
    source = pairs()
    result = source.flatten(pw.this.t, origin_id="origin")
    back = result.select(pw.this.t, k=source.ix(pw.this.origin).k)
    expected = T(
        """
        t  | k
        1  | 1
        10 | 1
        2  | 2
        20 | 2
        """
    )
    assert_table_equality_wo_index(back, expected)


def test_flatten_string_gives_characters():
    t = T(
        """
        n | s
        1 | ab
        2 | c
        """
    )
    result = t.flatten(pw.this.s)
    expected = T(
        """
        s | n
        a | 1
        b | 1
        c | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_flatten_json_array_gives_json_elements():
    t = T(
        """
        k
        1
        3
        """
    )
    arrays = t.select(j=pw.apply_with_type(lambda k: pw.Json([k, k + 1]), pw.Json, pw.this.k))
    result = arrays.flatten(pw.this.j).select(v=pw.unwrap(pw.this.j.as_int()))
    expected = T(
        """
        v
        1
        2
        3
        4
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_flatten_stream_retracts_all_elements_of_a_deleted_row():
    t = T(
        """
          | k | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 2 | 2        | 1
        1 | 1 | 4        | -1
        """
    )
    result = t.select(t=pw.make_tuple(pw.this.k, -pw.this.k)).flatten(pw.this.t)
    expected = T(
        """
        t  | __time__ | __diff__
        1  | 2        | 1
        -1 | 2        | 1
        2  | 2        | 1
        -2 | 2        | 1
        1  | 4        | -1
        -1 | 4        | -1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_flatten_empty_tuple_gives_no_rows():
    t = T(
        """
        k
        0
        2
        """
    )
    ranges = t.select(r=pw.apply_with_type(lambda k: tuple(range(k)), tuple[int, ...], pw.this.k))
    result = ranges.flatten(pw.this.r)
    expected = T(
        """
        r
        0
        1
        """
    )
    assert_table_equality_wo_index(result, expected)
