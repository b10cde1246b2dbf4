"""Attribute clicks to the ad impressions shown just before them, with a cutoff for late data.

    python examples/late_clicks_join.py

An interval join pairs each click with the impressions of the same ad shown at most 10 seconds
before it. ``common_behavior(cutoff=30)``: a row whose time is 30 seconds or more behind the
largest time its side has seen is late, ignored by the join (so the join's state stays bounded
on an endless stream), and listed by ``pw.temporal.late_rows`` instead of being lost. The
example checks its result and exits non-zero when it is wrong.
"""

import sys

import towpath as pw

impressions = pw.debug.table_from_markdown("""
   | ad | t   | __time__
 1 | a  | 100 | 2
 2 | b  | 103 | 2
 3 | a  | 150 | 4
 4 | a  | 104 | 6
""")  # the last one arrives 46 s behind 150: late
clicks = pw.debug.table_from_markdown("""
   | ad | t   | __time__
 1 | a  | 105 | 2
 2 | b  | 108 | 4
 3 | a  | 155 | 6
 4 | b  | 110 | 8
""")  # the last one arrives 45 s behind 155: late

pairs = clicks.interval_join(
    impressions, clicks.t, impressions.t, pw.temporal.interval(-10, 0),
    clicks.ad == impressions.ad,
    behavior=pw.temporal.common_behavior(cutoff=30),
).select(clicks.ad, click=clicks.t, shown=impressions.t)
late = pw.temporal.late_rows(pairs)

print("attributed clicks:")
pw.debug.compute_and_print(pairs, include_id=False)
print("late rows (either side):")
pw.debug.compute_and_print(late, include_id=False)

def rows(table):
    keys, columns = pw.debug.table_to_dicts(table)
    return sorted((tuple(columns[c][k] for c in columns) for k in keys), key=repr)


got, late_got = rows(pairs), rows(late)
want = sorted([("a", 105, 100), ("a", 155, 150), ("b", 108, 103)], key=repr)
late_want = sorted([(None, None, 104), ("b", 110, None)], key=repr)
if got != want or late_got != late_want:
    print(f"unexpected result: {got} / {late_got}", file=sys.stderr)
    sys.exit(1)
