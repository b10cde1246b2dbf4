"""User-visible value types (Pointer, Json, date/time markers) and conversions to/from the Plan.

Plan values are serde's externally tagged form of ``towpath_core::Value``:
``"None"``, ``{"Int": 5}``, ``{"String": "x"}``, ``{"Tuple": [...]}``...

>>> to_plan_value((1, None, "x"))
{'Tuple': [{'Int': 1}, 'None', {'String': 'x'}]}
>>> str(Pointer(0))
'^00000000000000000000000000'
"""

from __future__ import annotations

import datetime
import json as _json
import math
from typing import Any

import dateutil.tz  # type: ignore[import-untyped]

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_EPOCH = datetime.datetime(1970, 1, 1)
_EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_TZUTC = dateutil.tz.tzutc()


class Pointer:
    """A row id: a 128-bit value printed as ``^`` + 26 Crockford base32 digits.

    >>> Pointer(1)
    Pointer("^00000000000000000000000001")
    """

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = int(value)

    def __class_getitem__(cls, item: Any) -> Any:
        # ``pw.Pointer[int]`` in annotations means "a pointer"; the argument is informative only.
        return cls

    def __str__(self) -> str:
        v = self.value
        digits = []
        for _ in range(26):
            digits.append(_CROCKFORD[v & 31])
            v >>= 5
        return "^" + "".join(reversed(digits))

    def __repr__(self) -> str:
        return f'Pointer("{self}")'

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pointer) and other.value == self.value

    def __lt__(self, other: Pointer) -> bool:
        return self.value < other.value

    def __le__(self, other: Pointer) -> bool:
        return self.value <= other.value

    def __gt__(self, other: Pointer) -> bool:
        return self.value > other.value

    def __ge__(self, other: Pointer) -> bool:
        return self.value >= other.value

    def __hash__(self) -> int:
        return hash(self.value)

    @staticmethod
    def parse(text: str) -> Pointer:
        """Parses the ``^XXXX`` form."""
        v = 0
        for c in text.lstrip("^").upper():
            v = v * 32 + _CROCKFORD.index(c)
        return Pointer(v)


class Json:
    """A JSON value (``pw.Json``).

    >>> str(Json({"a": [1, "x"]}))
    '{"a": [1, "x"]}'
    """

    __slots__ = ("value",)
    NULL: Json
    value: Any

    def __init__(self, value: Any) -> None:
        self.value = value.value if isinstance(value, Json) else value

    def __str__(self) -> str:
        return _json.dumps(self.value, default=_json_default, ensure_ascii=False)

    def __repr__(self) -> str:
        return f"pw.Json({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Json) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.dumps(self.value))

    def __getitem__(self, key: Any) -> Json:
        return Json(self.value[key])

    def __iter__(self) -> Any:
        return (Json(v) for v in self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def as_int(self) -> int:
        """The value, which must be an int."""
        return self._as(int)

    def as_float(self) -> float:
        """The value as a float (ints are accepted)."""
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            return float(self.value)
        return self._as(float)

    def as_str(self) -> str:
        return self._as(str)

    def as_bool(self) -> bool:
        return self._as(bool)

    def as_list(self) -> list:
        return self._as(list)

    def as_dict(self) -> dict:
        return self._as(dict)

    def _as(self, kind: type) -> Any:
        v = self.value
        if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
            raise ValueError(f"Cannot convert Json {v!r} to {kind.__name__}")
        return v

    @staticmethod
    def parse(text: str | bytes) -> Json:
        """Parses JSON text."""
        return Json(_json.loads(text))

    @staticmethod
    def dumps(obj: Any) -> str:
        """Compact JSON text (keys in insertion order, as Pathway writes them)."""
        if isinstance(obj, Json):
            obj = obj.value
        return _json.dumps(obj, separators=(",", ":"), ensure_ascii=False, default=_json_default)


Json.NULL = Json(None)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, Json):
        return obj.value
    if isinstance(obj, Pointer):
        return str(obj)
    if isinstance(obj, (datetime.datetime, datetime.timedelta)):
        return str(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


class _DateTimeMeta(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        if cls is Duration:
            return isinstance(obj, datetime.timedelta)
        if not isinstance(obj, datetime.datetime):
            return False
        return (obj.tzinfo is None) == (cls is DateTimeNaive)


class DateTimeNaive(metaclass=_DateTimeMeta):
    """A date and time without time zone (values are ``pandas.Timestamp``)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        import pandas as pd

        return pd.Timestamp(*args, **kwargs)


class DateTimeUtc(metaclass=_DateTimeMeta):
    """A date and time in UTC (values are time-zone aware ``pandas.Timestamp``)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        import pandas as pd

        ts = pd.Timestamp(*args, **kwargs)
        return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


class Duration(metaclass=_DateTimeMeta):
    """A time difference (values are ``pandas.Timedelta``)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        import pandas as pd

        return pd.Timedelta(*args, **kwargs)


class _ErrorValue:
    """The value of a cell whose computation failed (``Value::Error``)."""

    _instance: _ErrorValue | None = None

    def __new__(cls) -> _ErrorValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "Error"

    def __lt__(self, other: Any) -> bool:
        return False


ERROR = _ErrorValue()


def datetime_to_ns(value: datetime.datetime) -> int:
    """Nanoseconds since the epoch (UTC for aware values)."""
    ns = getattr(value, "value", None)  # pandas.Timestamp keeps nanoseconds
    if isinstance(ns, int):
        return ns
    if value.tzinfo is not None:
        delta = value - _EPOCH_UTC
    else:
        delta = value - _EPOCH
    return timedelta_to_ns(delta)


def timedelta_to_ns(value: datetime.timedelta) -> int:
    """Nanoseconds of a timedelta (pandas.Timedelta keeps nanoseconds)."""
    ns = getattr(value, "value", None)
    if isinstance(ns, int):
        return ns
    return ((value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds) * 1000


def to_plan_value(obj: Any) -> Any:
    """The serde form of a Python value."""
    if obj is None:
        return "None"
    if obj is ERROR:
        return "Error"
    if isinstance(obj, bool):
        return {"Bool": obj}
    if isinstance(obj, int):
        return {"Int": obj}
    if isinstance(obj, float):
        return {"Float": _float(obj)}
    if isinstance(obj, str):
        return {"String": obj}
    if isinstance(obj, (bytes, bytearray)):
        return {"Bytes": list(obj)}
    if isinstance(obj, Pointer):
        return {"Pointer": obj.value}
    if isinstance(obj, Json):
        return {"Json": Json.dumps(obj.value)}
    if isinstance(obj, (tuple, list)):
        return {"Tuple": [to_plan_value(v) for v in obj]}
    if isinstance(obj, dict):
        return {"Json": Json.dumps(obj)}
    if isinstance(obj, datetime.datetime):
        if _is_nat(obj):
            return "None"
        tag = "DateTimeUtc" if obj.tzinfo is not None else "DateTimeNaive"
        return {tag: datetime_to_ns(obj)}
    if isinstance(obj, datetime.timedelta):
        if _is_nat(obj):
            return "None"
        return {"Duration": timedelta_to_ns(obj)}
    module = type(obj).__module__
    if module.startswith("numpy"):
        if hasattr(obj, "tolist") and getattr(obj, "ndim", 0) > 0:
            return to_plan_value(tuple(obj.tolist()))
        kind = getattr(getattr(obj, "dtype", None), "kind", "")
        if kind == "M":
            import pandas as pd

            return to_plan_value(pd.Timestamp(obj))
        if kind == "m":
            import pandas as pd

            return to_plan_value(pd.Timedelta(obj))
        return to_plan_value(obj.item())
    if module.startswith("pandas") and type(obj).__name__ in ("NAType", "NaTType"):
        return "None"
    raise TypeError(f"Cannot use a value of type {type(obj).__name__} in a table: {obj!r}")


def _is_nat(obj: Any) -> bool:
    return type(obj).__name__ == "NaTType"


def _float(f: float) -> Any:
    # JSON has no NaN/inf: the plan cannot carry them as constants (see lowering.dumps).
    if not math.isfinite(f):
        raise ValueError(f"Cannot put the float {f} in a plan constant (JSON has no NaN/inf).")
    return f


def to_engine(obj: Any) -> tuple[str, Any]:
    """Converter for UDF results without a native Python type (see ENGINE_BINDING.md)."""
    if isinstance(obj, Pointer):
        return ("pointer", obj.value)
    if isinstance(obj, Json):
        return ("json", Json.dumps(obj.value))
    if isinstance(obj, dict):
        return ("json", Json.dumps(obj))
    if obj is ERROR:
        return ("error", None)
    if isinstance(obj, datetime.datetime):
        tag = "datetime_utc" if obj.tzinfo is not None else "datetime_naive"
        return (tag, datetime_to_ns(obj))
    if isinstance(obj, datetime.timedelta):
        return ("duration", timedelta_to_ns(obj))
    raise TypeError(f"Cannot convert a value of type {type(obj).__name__} for the engine: {obj!r}")


def _timestamp(ns: int, utc: bool) -> Any:
    import pandas as pd

    ts = pd.Timestamp(ns, unit="ns")
    # dateutil's tzutc (a pandas dependency) is the zone Pathway's values carry: a repr shows
    # tz='tzutc()'.
    return ts.tz_localize(_TZUTC) if utc else ts


def _timedelta(ns: int) -> Any:
    import pandas as pd

    return pd.Timedelta(ns, unit="ns")


def converters() -> dict[str, Any]:
    """The ``converters`` argument of ``_engine.run``. pandas is imported only when a date or
    duration actually crosses the boundary: importing it costs more than many whole runs."""
    return {
        "pointer": Pointer,
        "datetime_naive": lambda ns: _timestamp(ns, False),
        "datetime_utc": lambda ns: _timestamp(ns, True),
        "duration": _timedelta,
        "json": lambda text: Json(_json.loads(text)),
        "error": ERROR,
        "to_engine": to_engine,
    }
