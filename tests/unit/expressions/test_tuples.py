"""make_tuple, tuple indexing, get with default and dynamic indexes."""

import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


def rows():
    return T(
        """
        a | b | s
        1 | 2 | x
        3 | 4 | None
        """
    )


def tuples():
    t = pw.this
    return rows().select(tp=pw.make_tuple(t.a, t.b, t.s), i=t.a - 1)


def printed(table, capsys):
    pw.debug.compute_and_print(table, include_id=False)
    return capsys.readouterr().out


def test_make_tuple_type_and_printing(capsys):
    t = tuples().select(pw.this.tp)
    assert t.typehints() == {"tp": tuple[int, int, str | None]}
    assert printed(t, capsys) == "tp\n(1, 2, 'x')\n(3, 4, None)\n"


def test_constant_indexes_including_negative():
    tp = pw.this.tp
    result = tuples().select(first=tp[0], last=tp[-1], middle=tp[1])
    assert result.typehints() == {"first": int, "last": str | None, "middle": int}
    expected = T(
        """
        first | last | middle
        1     | x    | 2
        3     | None | 4
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_get_with_default_beyond_the_end():
    tp = pw.this.tp
    result = tuples().select(g=tp.get(1), beyond=tp.get(5, default=0))
    expected = T(
        """
        g | beyond
        2 | 0
        4 | 0
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_index_from_a_column(capsys):
    t = pw.this
    indexed = rows().select(tp=pw.make_tuple(t.a, t.b), i=(t.a - 1) // 2)
    result = indexed.select(v=pw.this.tp[pw.this.i])
    # row (1, 2) reads index 0, row (3, 4) reads index 1
    assert printed(result, capsys) == "v\n1\n4\n"


def test_tuples_compare_and_group():
    t = T(
        """
        a | b | v
        1 | 2 | 10
        1 | 2 | 20
        2 | 1 | 30
        """
    )
    keyed = t.select(key=pw.make_tuple(pw.this.a, pw.this.b), v=pw.this.v)
    result = keyed.groupby(pw.this.key).reduce(
        first=pw.this.key[0], total=pw.reducers.sum(pw.this.v), small=pw.this.key < (2, 0)
    )
    expected = T(
        """
        first | total | small
        1     | 30    | True
        2     | 30    | False
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_udf_returning_a_tuple_can_be_indexed():
    @pw.udf
    def pair(a: int) -> tuple[int, str]:
        return (a * 2, str(a))

    result = rows().select(p=pair(pw.this.a)).select(n=pw.this.p[0], s=pw.this.p[1])
    expected = T(
        """
        n | s
        2 | 1
        6 | 3
        """,
        schema=pw.schema_from_types(n=int, s=str),
    )
    assert_table_equality_wo_index(result, expected)
