"""Table.asof_join (and asof_join_left/right/outer): each row with the nearest row of the other
table by time, within equal keys.

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``).
"""

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index

D = pw.temporal.Direction

LEFT = """
  | k | t | a  | __time__ | __diff__
1 | x | 1 | 10 | 2        | 1
2 | x | 5 | 20 | 2        | 1
3 | y | 3 | 30 | 2        | 1
4 | x | 9 | 40 | 4        | 1
"""

RIGHT = """
  | k | t | b   | __time__ | __diff__
1 | x | 2 | 100 | 2        | 1
2 | x | 5 | 200 | 2        | 1
3 | y | 8 | 300 | 4        | 1
4 | x | 7 | 400 | 6        | 1
2 | x | 5 | 200 | 8        | -1
"""


def stream(direction):
    t1, t2 = T(LEFT), T(RIGHT)
    return t1.asof_join(t2, t1.t, t2.t, t1.k == t2.k, how=pw.JoinMode.LEFT,
                        direction=direction).select(
        pw.left.k, lt=pw.left.t, rt=pw.right.t, a=pw.left.a, b=pw.right.b)


def test_backward_matches_move_as_right_rows_come_and_go():
    expected = T(
        """
        k | lt | rt | a  | b   | __time__ | __diff__
        x | 1  |    | 10 |     | 2        | 1
        x | 5  | 5  | 20 | 200 | 2        | 1
        y | 3  |    | 30 |     | 2        | 1
        x | 9  | 5  | 40 | 200 | 4        | 1
        x | 9  | 5  | 40 | 200 | 6        | -1
        x | 9  | 7  | 40 | 400 | 6        | 1
        x | 5  | 5  | 20 | 200 | 8        | -1
        x | 5  | 2  | 20 | 100 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(stream(D.BACKWARD), expected)


def test_forward_matches():
    expected = T(
        """
        k | lt | rt | a  | b   | __time__ | __diff__
        x | 1  | 2  | 10 | 100 | 2        | 1
        x | 5  | 5  | 20 | 200 | 2        | 1
        y | 3  |    | 30 |     | 2        | 1
        y | 3  |    | 30 |     | 4        | -1
        x | 9  |    | 40 |     | 4        | 1
        y | 3  | 8  | 30 | 300 | 4        | 1
        x | 5  | 5  | 20 | 200 | 8        | -1
        x | 5  | 7  | 20 | 400 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(stream(D.FORWARD), expected)


def test_nearest_matches():
    expected = T(
        """
        k | lt | rt | a  | b   | __time__ | __diff__
        x | 1  | 2  | 10 | 100 | 2        | 1
        x | 5  | 5  | 20 | 200 | 2        | 1
        y | 3  |    | 30 |     | 2        | 1
        y | 3  |    | 30 |     | 4        | -1
        x | 9  | 5  | 40 | 200 | 4        | 1
        y | 3  | 8  | 30 | 300 | 4        | 1
        x | 9  | 5  | 40 | 200 | 6        | -1
        x | 9  | 7  | 40 | 400 | 6        | 1
        x | 5  | 5  | 20 | 200 | 8        | -1
        x | 5  | 7  | 20 | 400 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(stream(D.NEAREST), expected)


TIES_L = """
  | t  | a
1 | 5  | 10
2 | 10 | 20
"""

TIES_R = """
  | t  | b
1 | 3  | 100
2 | 5  | 200
3 | 7  | 300
4 | 10 | 400
5 | 12 | 500
"""


def pairs(how, direction):
    t1, t2 = T(TIES_L), T(TIES_R)
    return t1.asof_join(t2, t1.t, t2.t, how=how, direction=direction).select(
        lt=pw.left.t, rt=pw.right.t)


def optional(md, *columns):
    """A markdown table whose ``columns`` are Optional (as the unmatched side's are)."""
    return T(md).update_types(**{c: int | None for c in columns})


@pytest.mark.parametrize("direction", [D.BACKWARD, D.FORWARD, D.NEAREST])
def test_left_rows_match_equal_times_in_every_direction(direction):
    assert_table_equality_wo_index(pairs(pw.JoinMode.LEFT, direction),
                                   optional("lt | rt\n5 | 5\n10 | 10", "rt"))


@pytest.mark.parametrize(("direction", "expected"), [
    (D.BACKWARD, "lt | rt\n   | 3\n10 | 10\n10 | 12\n5 | 5\n5 | 7"),
    (D.FORWARD, "lt | rt\n   | 12\n10 | 10\n10 | 7\n5 | 3\n5 | 5"),
    (D.NEAREST, "lt | rt\n10 | 10\n10 | 12\n5 | 3\n5 | 5\n5 | 7"),
])
def test_right_join_pairs_every_right_row(direction, expected):
    result = pairs(pw.JoinMode.RIGHT, direction)
    assert_table_equality_wo_index(result, optional(expected, "lt"))


@pytest.mark.parametrize(("direction", "expected"), [
    # Left rows count as earlier than right rows at the same time: a left row's backward
    # match is strictly earlier, a right row's forward match strictly later.
    (D.BACKWARD, "lt | rt\n   | 3\n10 | 10\n10 | 12\n10 | 7\n5 | 3\n5 | 5\n5 | 7"),
    (D.FORWARD, "lt | rt\n   | 10\n   | 12\n10 | 10\n10 | 5\n10 | 7\n5 | 3\n5 | 5"),
    (D.NEAREST, "lt | rt\n10 | 10\n10 | 10\n10 | 12\n5 | 3\n5 | 5\n5 | 5\n5 | 7"),
])
def test_outer_join_gives_both_sides_pairs(direction, expected):
    result = pairs(pw.JoinMode.OUTER, direction)
    assert_table_equality_wo_index(result, optional(expected, "lt", "rt"))


def test_nearest_takes_the_later_row_on_a_tie():
    t1 = T("  | t | a\n1 | 5 | 10\n2 | 0 | 20")
    t2 = T("  | t | b\n1 | 3 | 100\n2 | 7 | 200\n3 | -5 | 300")
    result = t1.asof_join_left(t2, t1.t, t2.t, direction=D.NEAREST).select(
        lt=pw.left.t, b=pw.right.b)
    assert_table_equality_wo_index(result, optional("lt | b\n0 | 100\n5 | 200", "b"))


SMALL_L = """
  | t | a
1 | 5 | 10
2 | 9 | 20
3 | 1 | 30
"""

SMALL_R = """
  | t | b   | c
1 | 3 | 100 | x
2 | 7 | 200 | y
"""


def test_defaults_fill_the_unmatched_side_and_drop_optional():
    t1, t2 = T(SMALL_L), T(SMALL_R)
    result = t1.asof_join_left(t2, t1.t, t2.t, defaults={t2.b: -1, t2.c: "none"}).select(
        a=pw.left.a, b=pw.right.b, c=t2.c)
    assert result.schema.typehints() == {"a": int, "b": int, "c": str}
    assert_table_equality_wo_index(result, T("a | b | c\n10 | 100 | x\n20 | 200 | y\n30 | -1 | none"))


def test_outer_join_with_defaults_on_both_sides():
    t1, t2 = T(SMALL_L), T(SMALL_R)
    result = t1.asof_join_outer(t2, t1.t, t2.t, defaults={t1.a: 0, t2.b: 0}).select(
        a=pw.left.a, b=pw.right.b, c=pw.right.c)
    assert result.schema.typehints()["a"] is int
    expected = T(
        """
        a  | b   | c
        10 | 100 | x
        10 | 200 | y
        20 | 200 | y
        30 | 0   |
        30 | 100 | x
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_asof_join_right_forward():
    t1, t2 = T(SMALL_L), T(SMALL_R)
    result = t1.asof_join_right(t2, t1.t, t2.t, direction=D.FORWARD).select(
        a=pw.left.a, b=pw.right.b)
    assert_table_equality_wo_index(result, optional("a | b\n10 | 100\n20 | 200", "a"))


def test_how_is_required():
    t1, t2 = T(SMALL_L), T(SMALL_R)
    with pytest.raises(TypeError, match="how"):
        t1.asof_join(t2, t1.t, t2.t)


@pytest.mark.pathway_defect("asof_join(how=INNER) raises")
def test_inner_asof_join_drops_unmatched_rows():
    t1, t2 = T(SMALL_L), T(SMALL_R)
    result = t1.asof_join(t2, t1.t, t2.t, how=pw.JoinMode.INNER).select(a=pw.left.a, b=pw.right.b)
    assert_table_equality_wo_index(result, T("a | b\n10 | 100\n20 | 200"))


def test_datetime_times_nearest_with_instances():
    fmt = "%Y-%m-%dT%H:%M"
    t1 = T(
        """
          | g | at
        1 | 1 | 2024-01-01T10:00
        2 | 1 | 2024-01-01T10:30
        3 | 2 | 2024-01-01T10:30
        """
    ).with_columns(at=pw.this.at.dt.strptime(fmt))
    t2 = T(
        """
          | g | at               | p
        1 | 1 | 2024-01-01T09:50 | 1
        2 | 1 | 2024-01-01T10:11 | 2
        3 | 1 | 2024-01-01T10:20 | 3
        4 | 2 | 2024-01-01T11:00 | 4
        """
    ).with_columns(at=pw.this.at.dt.strptime(fmt))
    result = t1.asof_join_left(
        t2, t1.at, t2.at, left_instance=t1.g, right_instance=t2.g, direction=D.NEAREST
    ).select(g=pw.left.g, at=pw.left.at.dt.strftime("%H:%M"), p=pw.right.p)
    expected = T("g | at | p\n1 | 10:00 | 1\n1 | 10:30 | 3\n2 | 10:30 | 4")
    assert_table_equality_wo_index(result, expected.update_types(p=int | None))
