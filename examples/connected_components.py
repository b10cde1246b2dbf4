"""Connected components with pw.iterate: every vertex takes the smallest vertex id of its
component by repeatedly taking the smallest label among itself and its neighbours.

Run: python examples/connected_components.py  (checks its result and exits non-zero if wrong)
"""

import towpath as pw

edges = pw.debug.table_from_markdown(
    """
    u | v
    1 | 2
    2 | 3
    4 | 5
    6 | 6
    7 | 5
    """
)

# Vertices of the edges, each starting with its own id as label (row id from the vertex).
ends = pw.Table.concat_reindex(edges.select(v=pw.this.u), edges.select(v=pw.this.v))
labels = ends.groupby(pw.this.v).reduce(pw.this.v, label=pw.this.v).with_id_from(pw.this.v)
both_ways = pw.Table.concat_reindex(
    edges.select(a=pw.this.u, b=pw.this.v), edges.select(a=pw.this.v, b=pw.this.u)
)


def step(labels, both_ways):
    heard = both_ways.join(labels, both_ways.a == labels.v).select(
        v=both_ways.b, label=labels.label
    )
    return (
        pw.Table.concat_reindex(labels, heard)
        .groupby(pw.this.v)
        .reduce(pw.this.v, label=pw.reducers.min(pw.this.label))
        .with_id_from(pw.this.v)
    )


components = pw.iterate(step, labels=pw.iterate_universe(labels), both_ways=both_ways)
pw.debug.compute_and_print(components, include_id=False)

result = {}
pw.io.subscribe(
    components,
    on_change=lambda key, row, time, is_addition: result.__setitem__(row["v"], row["label"]),
)
pw.run()
expected = {1: 1, 2: 1, 3: 1, 4: 4, 5: 4, 7: 4, 6: 6}
assert result == expected, f"wrong components: {result}"
print("ok")
