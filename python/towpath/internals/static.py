"""Tables given inline (debug markdown, pandas frames, Python rows): ``Static`` plan nodes.

Row ids must match what the engine computes for ``pointer_from(values)`` (``Key::for_values``),
which Python cannot compute. So rows carry their key values in hidden columns, get provisional
ids (a Python hash, stable for equal keys so a row's retraction matches its insertion), and a
``Reindex`` by ``PointerFrom(key columns)`` gives the real ids.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.values import Pointer, to_plan_value


@dataclass
class StaticRow:
    """One update of an inline table: ``key`` is hashed into the id (or is the id, a Pointer)."""

    key: tuple | Pointer
    values: list
    time: int = 0
    diff: int = 1


def provisional_id(key: tuple) -> int:
    """A deterministic 128-bit id for ``key`` (not the engine's hash)."""
    text = json.dumps([to_plan_value(k) for k in key], sort_keys=True)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=16).digest(), "little")


_UNIVERSES: dict[frozenset, Any] = {}


def _universe_of(rows: list[StaticRow]) -> Any:
    """Inline tables with the same final ids share a universe (as in Pathway), so columns of
    one can be used with another."""
    from towpath.internals.universe import Universe

    counts: dict[Any, int] = {}
    for r in rows:
        k = ("p", r.key.value) if isinstance(r.key, Pointer) else ("k", provisional_id(r.key))
        counts[k] = counts.get(k, 0) + r.diff
    ids = frozenset(k for k, c in counts.items() if c > 0)
    if ids not in _UNIVERSES:
        _UNIVERSES[ids] = Universe()
    return _UNIVERSES[ids]


def static_table(columns: dict[str, dt.DType], rows: list[StaticRow], *,
                 universe: Any = None) -> Any:
    """A table holding ``rows`` (ids from their keys, see the module docs)."""
    from towpath.internals.table import Table

    if universe is None:
        universe = _universe_of(rows)
    names = list(columns)
    explicit = all(isinstance(r.key, Pointer) for r in rows)
    if explicit:
        plan_rows = [_row(r.key.value, r.values, r) for r in rows]  # type: ignore[union-attr]
        node = plan.Node("Static", {"rows": plan_rows}, [], names)
        return Table._from_node(node, columns, universe)
    width = max((len(r.key) for r in rows), default=0)  # type: ignore[arg-type]
    hidden = [f"_key{i}" for i in range(width)]
    plan_rows = []
    for r in rows:
        key = tuple(r.key) if not isinstance(r.key, Pointer) else (r.key,)
        key = key + (None,) * (width - len(key))
        plan_rows.append(_row(provisional_id(key), list(r.values) + list(key), r))
    static = plan.Node("Static", {"rows": plan_rows}, [], names + hidden)
    n = len(names)
    key_expr = plan.pointer_from([plan.col(n + i) for i in range(width)])
    reindex = plan.Node("Reindex", {"input": static, "id": key_expr}, [static], names + hidden)
    select = plan.Node(
        "Select", {"input": reindex, "exprs": [plan.col(i) for i in range(n)]}, [reindex], names
    )
    return Table._from_node(select, columns, universe)


def _row(id_: int, values: list, r: StaticRow) -> dict:
    return {
        "id": id_,
        "values": [to_plan_value(v) for v in values],
        "time": int(r.time),
        "diff": int(r.diff),
    }


def coerce(value: Any, t: dt.DType) -> Any:
    """A Python value adjusted to a column type (ints in float columns become floats...)."""
    if value is None:
        return None
    inner = t.strip_optional()
    if inner == dt.FLOAT and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if inner == dt.JSON:
        from towpath.internals.values import Json

        return value if isinstance(value, Json) else Json(value)
    if isinstance(inner, dt.Tuple) and isinstance(value, (tuple, list)):
        if len(inner.args) == len(value):
            return tuple(coerce(v, a) for v, a in zip(value, inner.args, strict=False))
        return tuple(value)
    if isinstance(inner, dt.List) and isinstance(value, (tuple, list)):
        return tuple(coerce(v, inner.wrapped) for v in value)
    if inner in (dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC) and isinstance(value, str):
        import pandas as pd

        ts = pd.Timestamp(value)
        if inner == dt.DATE_TIME_UTC and ts.tzinfo is None:
            ts = ts.tz_localize("UTC")
        return ts
    if inner == dt.DURATION and isinstance(value, (int, str)) and not isinstance(value, bool):
        import pandas as pd

        return pd.Timedelta(value)
    return value
