"""pw.apply, pw.apply_with_type and @pw.udf."""

import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index


def rows():
    return T(
        """
        a | b | s
        1 | 2 | x
        3 | 4 | yy
        """
    )


def test_apply_with_several_arguments():
    result = rows().select(r=pw.apply(lambda a, b: a * 10 + b, pw.this.a, pw.this.b))
    expected = T(
        """
        r
        12
        34
        """
    )
    assert_table_equality_wo_index(result.select(r=pw.declare_type(int, pw.this.r)), expected)


def test_apply_with_type_declares_the_result_type():
    result = rows().select(n=pw.apply_with_type(len, int, pw.this.s))
    assert result.typehints() == {"n": int}
    expected = T(
        """
        n
        1
        2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_type_comes_from_the_annotation():
    @pw.udf
    def repeat(a: int, s: str) -> str:
        return s * a

    result = rows().select(r=repeat(pw.this.a, pw.this.s))
    assert result.typehints() == {"r": str}
    expected = T(
        """
        r
        x
        yyyyyy
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_returning_optional():
    @pw.udf
    def small_or_none(a: int) -> int | None:
        return None if a > 2 else a

    result = rows().select(pw.this.a, r=small_or_none(pw.this.a))
    assert result.typehints()["r"] == int | None
    expected = T(
        """
        a | r
        1 | 1
        3 | None
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_with_keyword_argument():
    @pw.udf
    def add(a: int, *, b: int = 5) -> int:
        return a + b

    result = rows().select(with_kw=add(pw.this.a, b=pw.this.b), default=add(pw.this.a))
    expected = T(
        """
        with_kw | default
        3       | 6
        7       | 8
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_with_parameters_deterministic_float():
    @pw.udf(deterministic=True)
    def half(a: int) -> float:
        return a / 2

    result = rows().select(h=half(pw.this.a))
    expected = T(
        """
        h
        0.5
        1.5
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_class_with_state():
    class Times(pw.UDF):
        def __init__(self, k):
            super().__init__()
            self.k = k

        def __wrapped__(self, a: int) -> int:
            return a * self.k

    result = rows().select(r=Times(7)(pw.this.a))
    expected = T(
        """
        r
        7
        21
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_async_udf():
    @pw.udf
    async def plus_hundred(a: int) -> int:
        return a + 100

    result = rows().select(r=plus_hundred(pw.this.a))
    expected = T(
        """
        r
        101
        103
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_on_a_stream_is_called_for_inserted_values():
    seen = []

    @pw.udf(deterministic=True)
    def record(a: int) -> int:
        seen.append(a)
        return a * 2

    t = T(
        """
          | a | __time__ | __diff__
        1 | 1 | 2        | 1
        1 | 1 | 4        | -1
        1 | 2 | 4        | 1
        """
    )
    result = t.select(r=record(pw.this.a))
    expected = T(
        """
        r | __time__ | __diff__
        2 | 2        | 1
        2 | 4        | -1
        4 | 4        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)
    # a deterministic UDF need not be called again to retract a value
    assert sorted(set(seen)) == [1, 2]


def test_udf_result_feeds_a_groupby():
    @pw.udf
    def parity(a: int) -> str:
        return "odd" if a % 2 else "even"

    t = T(
        """
        a
        1
        2
        3
        """
    )
    result = (
        t.select(p=parity(pw.this.a), a=pw.this.a)
        .groupby(pw.this.p)
        .reduce(pw.this.p, total=pw.reducers.sum(pw.this.a))
    )
    expected = T(
        """
        p    | total
        odd  | 4
        even | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def optional_rows():
    return T(
        """
        a | o
        1 | None
        2 | 5
        """
    )


def test_udf_propagate_none_skips_the_call_for_none():
    @pw.udf(propagate_none=True)
    def inc(x: int) -> int:
        return x + 1

    result = optional_rows().select(pw.this.a, r=inc(pw.this.o))
    assert result.typehints()["r"] == int | None
    expected = T(
        """
        a | r
        1 | None
        2 | 6
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_return_type_argument():
    @pw.udf(return_type=float)
    def half(x):
        return x / 2

    result = optional_rows().select(r=half(pw.this.a))
    assert result.typehints() == {"r": float}
    expected = T(
        """
        r
        0.5
        1.0
        """,
        schema=pw.schema_from_types(r=float),
    )
    assert_table_equality_wo_index(result, expected)


def test_apply_receives_none_values():
    result = optional_rows().select(
        pw.this.a, r=pw.apply_with_type(lambda x: x is None, bool, pw.this.o)
    )
    expected = T(
        """
        a | r
        1 | True
        2 | False
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_returning_a_list_can_be_flattened():
    @pw.udf
    def upto(x: int) -> list[int]:
        return list(range(x))

    result = optional_rows().select(r=upto(pw.this.a)).flatten(pw.this.r)
    expected = T(
        """
        r
        0
        0
        1
        """
    )
    assert_table_equality_wo_index(result, expected)
