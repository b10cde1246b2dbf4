"""Row ids: with_id_from, with_id, pointer_from, ix, ix_ref, id column."""

import pytest
import towpath as pw
from towpath.testing import T, assert_table_equality, assert_table_equality_wo_index


def scores():
    return T(
        """
          | k | v
        1 | a | 10
        2 | b | 20
        """
    )


def lookups():
    return T(
        """
          | k | w
        5 | a | 1
        6 | b | 2
        7 | a | 3
        """
    )


def test_with_id_from_gives_equal_ids_for_equal_values():
    by_key = scores().with_id_from(pw.this.k)
    # a second table keyed the same way lands on the same ids
    other = T(
        """
          | k | w
        8 | b | 2
        9 | a | 1
        """
    ).with_id_from(pw.this.k)
    result = by_key.select(pw.this.k, pw.this.v, w=other.with_universe_of(by_key).w)
    expected = T(
        """
        k | v  | w
        a | 10 | 1
        b | 20 | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_pointer_from_matches_with_id_from():
    table = scores().with_id_from(pw.this.k)
    result = lookups().select(pw.this.w, v=table.ix(table.pointer_from(pw.this.k)).v)
    expected = T(
        """
          | w | v
        5 | 1 | 10
        6 | 2 | 20
        7 | 3 | 10
        """
    )
    assert_table_equality(result, expected)


def test_ix_ref_looks_up_by_values():
    table = scores().with_id_from(pw.this.k)
    result = lookups().select(pw.this.w, v=table.ix_ref(pw.this.k).v)
    expected = T(
        """
          | w | v
        5 | 1 | 10
        6 | 2 | 20
        7 | 3 | 10
        """
    )
    assert_table_equality(result, expected)


def test_with_id_from_several_columns():
    t = T(
        """
        a | b | v
        1 | x | 10
        1 | y | 20
        """
    ).with_id_from(pw.this.a, pw.this.b)
    probe = T(
        """
        a | b
        1 | y
        """
    )
    result = probe.select(v=t.ix_ref(pw.this.a, pw.this.b).v)
    expected = T(
        """
        v
        20
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_with_id_uses_a_pointer_column():
    table = scores().with_id_from(pw.this.k)
    keyed = T(
        """
        k | extra
        b | yes
        a | no
        """
    ).select(pw.this.extra, p=table.pointer_from(pw.this.k))
    reindexed = keyed.with_id(pw.this.p).with_universe_of(table)
    result = table.select(pw.this.k, extra=reindexed.extra)
    expected = T(
        """
        k | extra
        a | no
        b | yes
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_id_column_can_be_selected_and_used_with_ix():
    t = scores()
    with_ids = t.select(pw.this.k, me=pw.this.id)
    result = with_ids.select(pw.this.k, v=t.ix(pw.this.me).v)
    expected = T(
        """
          | k | v
        1 | a | 10
        2 | b | 20
        """
    )
    assert_table_equality(result, expected)


def test_ix_with_allow_misses_gives_none():
    table = scores().with_id_from(pw.this.k)
    probe = T(
        """
          | k
        1 | a
        2 | zzz
        """
    )
    result = probe.select(pw.this.k, v=table.ix(table.pointer_from(pw.this.k), allow_misses=True).v)
    expected = T(
        """
          | k   | v
        1 | a   | 10
        2 | zzz | None
        """
    )
    assert_table_equality(result, expected)


@pytest.mark.pathway_defect("ix_ref(optional=True) crashes the run on a missing key")
def test_ix_ref_optional_gives_none_for_missing_key():
    table = scores().with_id_from(pw.this.k)
    probe = T(
        """
          | k
        1 | zzz
        """
    )
    result = probe.select(v=table.ix_ref(pw.this.k, optional=True).v)
    expected = T(
        """
          | v
        1 | None
        """
    )
    assert_table_equality(result, expected)


def test_pointer_values_are_deterministic_across_tables():
    first = T(
        """
        k
        a
        """
    ).select(p=pw.this.pointer_from(pw.this.k))
    second = T(
        """
        k
        a
        """
    ).select(q=pw.this.pointer_from(pw.this.k))
    joined = first.join(second, first.p == second.q).select(same=pw.this.p == pw.this.q)
    expected = T(
        """
        same
        True
        """
    )
    assert_table_equality_wo_index(joined, expected)


def test_ids_survive_a_groupby_on_pointer_keys():
    table = scores().with_id_from(pw.this.k)
    counts = (
        lookups()
        .select(p=table.pointer_from(pw.this.k))
        .groupby(id=pw.this.p)
        .reduce(n=pw.reducers.count())
    )
    result = table.select(pw.this.k, n=counts.with_universe_of(table).n)
    expected = T(
        """
        k | n
        a | 2
        b | 1
        """
    )
    assert_table_equality_wo_index(result, expected)
