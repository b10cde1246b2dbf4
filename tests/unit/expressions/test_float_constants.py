"""Float constants reach the engine exactly (the plan is JSON: its floats must round-trip)."""

import towpath as pw


def test_markdown_floats_and_expression_constants_round_trip():
    t = pw.debug.table_from_markdown("a\n1.1000000000000005\n0.30000000000000004")
    out = pw.debug.table_to_pandas(t.select(a=pw.this.a, b=pw.this.a + 1.1000000000000005))
    got = sorted(zip(out["a"], out["b"], strict=True))
    assert got == sorted((a, a + 1.1000000000000005) for a in (1.1000000000000005, 0.30000000000000004))
