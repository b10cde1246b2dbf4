"""pw.iterate: fixpoints (connected components, reachability), a PageRank-like integer
iteration with a limit, the shapes a step function may return, and update streams.

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``), except
where marked ``pathway_defect``: after a deletion Pathway 0.33 keeps iterating from its previous
result instead of from the inputs, so a component split by a deleted edge keeps its old label
(and a limited iteration counts from the old values); towpath gives the fixpoint of the inputs
at each time, as for every other operator.
"""

import collections

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index, assert_table_equality_wo_index


def components(edges, vertices):
    """Min-label propagation: each vertex ends with the smallest vertex of its component."""
    labels = vertices.select(v=pw.this.v, label=pw.this.v).with_id_from(pw.this.v)
    both = pw.Table.concat_reindex(
        edges.select(a=pw.this.u, b=pw.this.v), edges.select(a=pw.this.v, b=pw.this.u)
    )

    def step(labels, both):
        heard = both.join(labels, both.a == labels.v).select(v=both.b, label=labels.label)
        candidates = pw.Table.concat_reindex(labels, heard)
        return (
            candidates.groupby(pw.this.v)
            .reduce(pw.this.v, label=pw.reducers.min(pw.this.label))
            .with_id_from(pw.this.v)
        )

    return pw.iterate(step, labels=pw.iterate_universe(labels), both=both)


VERTICES = """
v
1
2
3
4
5
6
"""


def test_connected_components():
    edges = T(
        """
        u | v
        1 | 2
        2 | 3
        4 | 5
        """
    )
    expected = T(
        """
        v | label
        1 | 1
        2 | 1
        3 | 1
        4 | 4
        5 | 4
        6 | 6
        """
    )
    assert_table_equality_wo_index(components(edges, T(VERTICES)), expected)


def test_components_merge_when_an_edge_arrives():
    edges = T(
        """
        u | v | __time__
        1 | 2 | 2
        2 | 3 | 2
        4 | 5 | 2
        3 | 4 | 4
        5 | 6 | 6
        """
    )
    vertices = T("v | __time__\n" + "\n".join(f"{v} | 2" for v in range(1, 7)))
    expected = T(
        """
        v | label | __time__ | __diff__
        1 | 1     | 2        | 1
        2 | 1     | 2        | 1
        3 | 1     | 2        | 1
        4 | 4     | 2        | 1
        5 | 4     | 2        | 1
        6 | 6     | 2        | 1
        4 | 4     | 4        | -1
        5 | 4     | 4        | -1
        4 | 1     | 4        | 1
        5 | 1     | 4        | 1
        6 | 6     | 6        | -1
        6 | 1     | 6        | 1
        """
    )
    assert_stream_equality_wo_index(components(edges, vertices), expected)


@pytest.mark.pathway_defect("iterate does not shrink back when an edge is deleted")
def test_a_deleted_edge_splits_the_component_again():
    edges = T(
        """
        u | v | __time__ | __diff__
        1 | 2 | 2        | 1
        2 | 3 | 2        | 1
        4 | 5 | 2        | 1
        3 | 4 | 4        | 1
        3 | 4 | 6        | -1
        """
    )
    vertices = T(
        """
        v | __time__
        1 | 2
        3 | 2
        4 | 2
        5 | 2
        2 | 2
        """
    )
    expected = T(
        """
        v | label | __time__ | __diff__
        1 | 1     | 2        | 1
        2 | 1     | 2        | 1
        3 | 1     | 2        | 1
        4 | 4     | 2        | 1
        5 | 4     | 2        | 1
        4 | 4     | 4        | -1
        5 | 4     | 4        | -1
        4 | 1     | 4        | 1
        5 | 1     | 4        | 1
        4 | 1     | 6        | -1
        5 | 1     | 6        | -1
        4 | 4     | 6        | 1
        5 | 4     | 6        | 1
        """
    )
    assert_stream_equality_wo_index(components(edges, vertices), expected)


def reachable(edges, start):
    def step(reach, edges):
        further = edges.join(reach, edges.u == reach.v).select(v=edges.v)
        return (
            pw.Table.concat_reindex(reach, further)
            .groupby(pw.this.v)
            .reduce(pw.this.v)
            .with_id_from(pw.this.v)
        )

    return pw.iterate(step, reach=pw.iterate_universe(start.with_id_from(pw.this.v)), edges=edges)


def test_reachability_grows_with_new_edges():
    edges = T(
        """
        u | v | __time__
        1 | 2 | 2
        2 | 3 | 2
        5 | 6 | 2
        3 | 4 | 4
        4 | 5 | 4
        """
    )
    start = T(
        """
        v | __time__
        1 | 2
        """
    )
    expected = T(
        """
        v | __time__ | __diff__
        1 | 2        | 1
        2 | 2        | 1
        3 | 2        | 1
        4 | 4        | 1
        5 | 4        | 1
        6 | 4        | 1
        """
    )
    assert_stream_equality_wo_index(reachable(edges, start), expected)


@pytest.mark.pathway_defect("iterate does not shrink back when an edge is deleted")
def test_reachability_shrinks_when_an_edge_is_deleted():
    edges = T(
        """
        u | v | __time__ | __diff__
        1 | 2 | 2        | 1
        2 | 3 | 2        | 1
        3 | 4 | 4        | 1
        4 | 5 | 4        | 1
        3 | 4 | 6        | -1
        """
    )
    start = T(
        """
        v | __time__
        1 | 2
        """
    )
    expected = T(
        """
        v | __time__ | __diff__
        1 | 2        | 1
        2 | 2        | 1
        3 | 2        | 1
        4 | 4        | 1
        5 | 4        | 1
        4 | 6        | -1
        5 | 6        | -1
        """
    )
    assert_stream_equality_wo_index(reachable(edges, start), expected)


def pagerank_like(limit):
    edges = T(
        """
        u | v
        1 | 2
        1 | 3
        2 | 3
        3 | 1
        4 | 3
        """
    )
    vertices = T(VERTICES).filter(pw.this.v <= 4)
    outdeg = edges.groupby(pw.this.u).reduce(pw.this.u, d=pw.reducers.count())
    ranks = vertices.select(v=pw.this.v, rank=60).with_id_from(pw.this.v)

    def step(ranks, edges, outdeg):
        share = (
            edges.join(outdeg, edges.u == outdeg.u)
            .join(ranks, pw.left.u == ranks.v)
            .select(v=pw.left.v, s=ranks.rank // pw.left.d)
        )
        got = share.groupby(pw.this.v).reduce(pw.this.v, r=pw.reducers.sum(pw.this.s))
        return ranks.join_left(got, ranks.v == got.v, id=ranks.id).select(
            ranks.v, rank=10 + pw.coalesce(got.r, 0)
        )

    return pw.iterate(step, iteration_limit=limit, ranks=ranks, edges=edges, outdeg=outdeg)


@pytest.mark.parametrize(
    "limit, ranks",
    [(1, [70, 40, 160, 10]), (2, [170, 45, 95, 10]), (3, [105, 95, 150, 10])],
)
def test_pagerank_like_iteration_stops_at_the_limit(limit, ranks):
    rows = "\n".join(f"{v} | {r}" for v, r in zip([1, 2, 3, 4], ranks, strict=True))
    assert_table_equality_wo_index(pagerank_like(limit), T("v | rank\n" + rows))


COUNTER = """
  | x
1 | 1
2 | 2
"""


def bump(table, column, top):
    return table.select(**{column: pw.if_else(pw.this[column] < top, pw.this[column] + 1,
                                              pw.this[column])})


def test_a_returned_table_is_fed_back_as_the_first_argument():
    t, u = T(COUNTER), T("y\n10")
    result = pw.iterate(lambda u, t: bump(u, "y", 13), u=u, t=t)
    assert_table_equality_wo_index(result, T("y\n13"))


def test_a_returned_dict_is_returned_by_name():
    t, u = T(COUNTER), T("y\n10")
    result = pw.iterate(lambda t, u: {"t": bump(t, "x", 5)}, t=t, u=u)
    assert list(result.keys()) == ["t"]
    assert len(result) == 1
    assert_table_equality_wo_index(result["t"], T("x\n5\n5"))
    assert_table_equality_wo_index(result.t, T("x\n5\n5"))
    with pytest.raises(KeyError):
        result["u"]


def test_a_returned_tuple_is_returned_as_a_tuple():
    t, u = T(COUNTER), T("y\n10")
    pair = collections.namedtuple("pair", ["t", "u"])
    result = pw.iterate(lambda t, u: pair(t=bump(t, "x", 5), u=bump(u, "y", 13)), t=t, u=u)
    assert isinstance(result, tuple) and len(result) == 2
    assert_table_equality_wo_index(result[0], T("x\n5\n5"))
    assert_table_equality_wo_index(result[1], T("y\n13"))


def test_the_limit_counts_applications_of_the_step():
    t = T(COUNTER)
    result = pw.iterate(lambda t: t.select(x=pw.this.x + 1), iteration_limit=3, t=t)
    assert_table_equality_wo_index(result, T("x\n4\n5"))


def test_bad_arguments_are_rejected():
    t = T(COUNTER)
    with pytest.raises(ValueError, match="wrong iteration limit"):
        pw.iterate(lambda t: t, iteration_limit=0, t=t)
    with pytest.raises(ValueError, match="does not correspond to the input"):
        pw.iterate(lambda t: t.select(x=pw.this.x, z=pw.this.x), iteration_limit=2, t=t)
    with pytest.raises(ValueError, match="does not correspond to the input"):
        pw.iterate(lambda t: t.select(x=pw.this.x * 1.0), iteration_limit=2, t=t)
    with pytest.raises(ValueError, match="iterate_universe"):
        pw.iterate(lambda t: t.filter(pw.this.x > 1), t=t)


@pytest.mark.pathway_defect("an updated row keeps its old result beside the new one")
def test_a_limited_iteration_follows_updates():
    t = T(
        """
        k | x  | __time__ | __diff__
        a | 1  | 2        | 1
        b | 10 | 4        | 1
        a | 1  | 6        | -1
        a | 5  | 6        | 1
        """
    )
    result = pw.iterate(lambda t: t.select(k=pw.this.k, x=pw.this.x * 2), t=t, iteration_limit=2)
    expected = T(
        """
        k | x  | __time__ | __diff__
        a | 4  | 2        | 1
        b | 40 | 4        | 1
        a | 4  | 6        | -1
        a | 20 | 6        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


@pytest.mark.skipif(pw.__name__ != "towpath", reason="towpath's own limit")
def test_sort_in_a_step_is_rejected_at_the_call():
    t = T(COUNTER)

    def step(t):
        first = t.sort(pw.this.x).select(x=pw.if_else(pw.this.prev.is_none(), 1, 2))
        return t.update_cells(first)

    with pytest.raises(ValueError, match="Sort cannot be used inside the step function"):
        pw.iterate(step, t=pw.iterate_universe(t))
