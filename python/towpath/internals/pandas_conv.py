"""Conversions between pandas DataFrames and tables (``table_from_pandas``, ``table_to_pandas``)."""

from __future__ import annotations

from typing import Any

from towpath.internals import dtype as dt
from towpath.internals.static import StaticRow, coerce, static_table
from towpath.internals.values import Pointer

_SPECIAL = ("__time__", "__diff__", "__shard__")


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    return type(v).__name__ in ("NAType", "NaTType")


def python_value(v: Any) -> Any:
    """A pandas/numpy cell as a plain Python value (missing values become None)."""
    if _is_missing(v):
        return None
    module = type(v).__module__
    if module.startswith("numpy"):
        kind = getattr(getattr(v, "dtype", None), "kind", "")
        if getattr(v, "ndim", 0) > 0:
            return tuple(python_value(x) for x in v.tolist())
        if kind in "Mm":
            import pandas as pd

            return pd.Timestamp(v) if kind == "M" else pd.Timedelta(v)
        return v.item()
    return v


def column_dtype(series: Any) -> dt.DType:
    """The column type of a pandas Series (from its dtype, or its values for objects)."""
    kind = series.dtype.kind
    has_missing = bool(series.isna().any()) if len(series) else False
    if kind in "iu":
        t: dt.DType = dt.INT
    elif kind == "f":
        t = dt.FLOAT
    elif kind == "b":
        t = dt.BOOL
    elif kind == "M":
        t = dt.DATE_TIME_UTC if getattr(series.dtype, "tz", None) is not None else dt.DATE_TIME_NAIVE
    elif kind == "m":
        t = dt.DURATION
    else:
        values = [python_value(v) for v in series]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, (tuple, list)) for v in present):
            # Sequences of varying lengths: a list of the unified element type.
            elem: dt.DType | None = None
            for v in present:
                for x in v:
                    xt = dt.dtype_of_value(x)
                    elem = xt if elem is None else (dt.unify(elem, xt) or dt.ANY)
            t = dt.List(elem if elem is not None else dt.ANY)
        else:
            acc: dt.DType | None = None
            for v in present:
                vt = dt.dtype_of_value(v)
                acc = vt if acc is None else (dt.unify(acc, vt) or dt.ANY)
            t = acc if acc is not None else dt.ANY
        if str(series.dtype) == "Int64":
            t = dt.INT
    if has_missing and t not in (dt.ANY, dt.NONE):
        t = dt.Optional(t)
    return t


def table_from_pandas(df: Any, id_from: list[str] | None = None,
                      unsafe_trusted_ids: bool = False, schema: Any = None) -> Any:
    """A static table from a DataFrame; ids from ``id_from`` columns, else from the index."""
    names = [str(c) for c in df.columns if c not in _SPECIAL]
    if schema is not None:
        types = schema._dtypes()
        id_from = id_from or schema.primary_key_columns()
        missing = [n for n in types if n not in names and n not in schema.default_values()]
        if missing:
            raise ValueError(f"table_from_pandas: columns {missing} are missing from the frame")
    else:
        types = {n: column_dtype(df[n]) for n in names}
    defaults = schema.default_values() if schema is not None else {}
    rows = []
    records = df.to_dict("records")
    for index, record in zip(df.index, records, strict=False):
        values = []
        for n, t in types.items():
            v = python_value(record[n]) if n in record else defaults.get(n)
            values.append(coerce(v, t))
        if id_from:
            key: Any = tuple(values[list(types).index(k)] for k in id_from)
        else:
            idx = python_value(index)
            key = idx if isinstance(idx, Pointer) else (idx,)
        time = int(record.get("__time__", 0) or 0)
        diff = int(record.get("__diff__", 1) or 1)
        rows.append(StaticRow(key, values, time, diff))
    return static_table(types, rows)


def table_to_pandas(columns: list[str], state: dict[Any, tuple], include_id: bool = True) -> Any:
    """A DataFrame of a final table state (rows sorted by values, as ``compute_and_print``)."""
    import pandas as pd

    from towpath.debug._printing import sort_key

    keys = sorted(state, key=lambda k: (tuple(sort_key(v) for v in state[k]), k.value))
    data = {c: [state[k][i] for k in keys] for i, c in enumerate(columns)}
    frame = pd.DataFrame(data, columns=columns)
    for c in columns:
        values = data[c]
        if values and any(v is None for v in values) and all(
            v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values
        ):
            frame[c] = pd.array(values, dtype="Int64")
    if include_id:
        frame.index = pd.Index(keys, dtype=object)
    return frame
