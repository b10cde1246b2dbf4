"""Table and stream equality assertions (final states or full update streams)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from towpath.debug import table_from_markdown
from towpath.debug._printing import sort_key
from towpath.internals import dtype as dt
from towpath.internals.run import capture, squash


def T(*args: Any, format: str = "markdown", **kwargs: Any) -> Any:
    """``table_from_markdown`` (the test idiom's short name)."""
    if format != "markdown":
        raise ValueError(f"T(): unsupported format {format!r}")
    return table_from_markdown(*args, **kwargs)


def _pairs(table: Any, expected: Any, check_types: bool = True) -> list[tuple[Any, Any]]:
    tables = table if isinstance(table, tuple) else (table,)
    expects = expected if isinstance(expected, tuple) else (expected,)
    if len(tables) != len(expects):
        raise AssertionError(f"{len(tables)} tables compared with {len(expects)} expected tables")
    for t, e in zip(tables, expects, strict=False):
        if list(t._columns) != list(e._columns):
            raise AssertionError(
                f"Mismatched column names, {list(t._columns)} vs {list(e._columns)}"
            )
        # As Pathway: the expected types must fit the result's (ANY and Optional are wider).
        if check_types and not all(
            dt.is_subtype(e._columns[n], t._columns[n]) for n in t._columns
        ):
            raise AssertionError(
                f"Output schema validation error, table {t.typehints()} vs expected "
                f"{e.typehints()}"
            )
    return list(zip(tables, expects, strict=False))


def _run(pairs: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    flat = [x for pair in pairs for x in pair]
    caps = capture(flat)
    return [(caps[2 * i], caps[2 * i + 1]) for i in range(len(pairs))]


def _norm(value: Any) -> Any:
    # 1 and 1.0 compare equal (as in Pathway); lists and tuples too.
    if isinstance(value, list):
        return tuple(_norm(v) for v in value)
    if isinstance(value, tuple):
        return tuple(_norm(v) for v in value)
    return value


def _rows(state: dict) -> dict:
    return {k: tuple(_norm(v) for v in row) for k, row in state.items()}


def _fmt(items: Any) -> str:
    return "\n".join(f"  {x}" for x in sorted(items, key=lambda v: repr(v))[:50])


def assert_table_equality(table: Any, expected: Any, **kwargs: Any) -> None:
    """Same column types and final rows with the same ids."""
    _table_equality(table, expected, True)


def assert_table_equality_wo_types(table: Any, expected: Any, **kwargs: Any) -> None:
    """Same final rows with the same ids (column types not compared)."""
    _table_equality(table, expected, False)


def _table_equality(table: Any, expected: Any, check_types: bool) -> None:
    for got, want in _run(_pairs(table, expected, check_types)):
        g, w = _rows(squash(got)), _rows(squash(want))
        if g != w:
            missing = {k: v for k, v in w.items() if g.get(k) != v}
            extra = {k: v for k, v in g.items() if w.get(k) != v}
            raise AssertionError(
                f"tables differ\nexpected but missing:\n{_fmt(missing.items())}\n"
                f"present but unexpected:\n{_fmt(extra.items())}"
            )


def assert_table_equality_wo_index(table: Any, expected: Any, **kwargs: Any) -> None:
    """Same column types and final rows (as a multiset), ids ignored."""
    _table_equality_wo_index(table, expected, True)


def assert_table_equality_wo_index_types(table: Any, expected: Any, **kwargs: Any) -> None:
    """Same final rows (as a multiset), ids and column types ignored."""
    _table_equality_wo_index(table, expected, False)


def _table_equality_wo_index(table: Any, expected: Any, check_types: bool) -> None:
    for got, want in _run(_pairs(table, expected, check_types)):
        g = Counter(_rows(squash(got)).values())
        w = Counter(_rows(squash(want)).values())
        if g != w:
            raise AssertionError(
                f"tables differ (ignoring ids)\nexpected but missing:\n{_fmt((w - g).elements())}\n"
                f"present but unexpected:\n{_fmt((g - w).elements())}"
            )


def _stream(cap: Any, with_ids: bool) -> Counter:
    out: Counter = Counter()
    for key, row, time, diff in cap.updates:
        item = (key if with_ids else None, tuple(_norm(v) for v in row), time)
        out[item] += diff
    return Counter({k: v for k, v in out.items() if v != 0})


def _assert_stream(table: Any, expected: Any, with_ids: bool) -> None:
    for got, want in _run(_pairs(table, expected)):
        g, w = _stream(got, with_ids), _stream(want, with_ids)
        if g != w:
            def show(c: Counter) -> str:
                items = sorted(c.items(), key=lambda kv: (kv[0][2], kv[1], sort_key(kv[0][1])))
                return "\n".join(f"  time={k[2]} diff={d} row={k[1]} id={k[0]}" for k, d in items)

            raise AssertionError(
                f"update streams differ\nexpected:\n{show(w)}\ngot:\n{show(g)}"
            )


def assert_stream_equality(table: Any, expected: Any, **kwargs: Any) -> None:
    """Same updates (id, row, time, diff), consolidated per time."""
    _assert_stream(table, expected, with_ids=True)


def assert_stream_equality_wo_index(table: Any, expected: Any, **kwargs: Any) -> None:
    """Same updates (row, time, diff) per time, ids ignored."""
    _assert_stream(table, expected, with_ids=False)
