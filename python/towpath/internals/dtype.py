"""Column types: Pathway-style names (``INT``, ``Optional(STR)``...) and their Plan form.

A ``DType`` is immutable and compared structurally. ``wrap`` turns a Python annotation
(``int``, ``Optional[str]``, ``tuple[int, str]``, ``pw.Json``...) into a ``DType``.

>>> wrap(int) == INT
True
>>> repr(wrap(tuple[int, str | None]))
'Tuple(INT, Optional(STR))'
"""

from __future__ import annotations

import datetime
import types
import typing
from typing import Any


class DType:
    """A column type."""

    __slots__ = ()

    def to_plan(self) -> Any:
        """The serde form of ``towpath_core::DType``."""
        raise NotImplementedError

    @property
    def typehint(self) -> Any:
        """The Python annotation Pathway reports in ``typehints()``."""
        raise NotImplementedError

    def is_optional(self) -> bool:
        """True if None is a valid value."""
        return False

    def strip_optional(self) -> DType:
        """The type without its Optional wrapper."""
        return self

    def __hash__(self) -> int:
        return hash(repr(self))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DType) and repr(self) == repr(other)


class _Simple(DType):
    __slots__ = ("_hint", "_name", "_plan")

    def __init__(self, name: str, plan: str, hint: Any) -> None:
        self._name = name
        self._plan = plan
        self._hint = hint

    def to_plan(self) -> Any:
        return self._plan

    @property
    def typehint(self) -> Any:
        return self._hint

    def is_optional(self) -> bool:
        return self._plan in ("Any", "None")

    def __repr__(self) -> str:
        return self._name


class Optional(DType):
    """``T`` or None. ``Optional(Optional(T))`` is ``Optional(T)``; ANY and NONE stay as they are."""

    __slots__ = ("wrapped",)
    wrapped: DType

    def __new__(cls, wrapped: DType) -> DType:  # type: ignore[misc]
        if wrapped.is_optional():
            return wrapped
        obj = super().__new__(cls)
        obj.wrapped = wrapped
        return obj

    def to_plan(self) -> Any:
        return {"Optional": self.wrapped.to_plan()}

    @property
    def typehint(self) -> Any:
        inner = self.wrapped.typehint
        try:
            return inner | None  # ``int | None``, as Pathway reports it
        except TypeError:
            return typing.Optional[inner]  # noqa: UP045 - a value, not an annotation

    def is_optional(self) -> bool:
        return True

    def strip_optional(self) -> DType:
        return self.wrapped

    def __repr__(self) -> str:
        return f"Optional({self.wrapped!r})"


class Tuple(DType):
    """A fixed-length tuple with per-position types."""

    __slots__ = ("args",)

    def __init__(self, *args: DType) -> None:
        self.args = tuple(args)

    def to_plan(self) -> Any:
        return {"Tuple": [a.to_plan() for a in self.args]}

    @property
    def typehint(self) -> Any:
        return tuple.__class_getitem__(tuple(a.typehint for a in self.args))

    def __repr__(self) -> str:
        return "Tuple(" + ", ".join(repr(a) for a in self.args) + ")"


class List(DType):
    """A variable-length tuple of one element type."""

    __slots__ = ("wrapped",)

    def __init__(self, wrapped: DType) -> None:
        self.wrapped = wrapped

    def to_plan(self) -> Any:
        return {"List": self.wrapped.to_plan()}

    @property
    def typehint(self) -> Any:
        return list[self.wrapped.typehint]  # type: ignore

    def __repr__(self) -> str:
        return f"List({self.wrapped!r})"


def _hint(name: str) -> Any:
    # Deferred: the user-visible classes live in other modules that import this one.
    from towpath.internals import values

    return getattr(values, name)


class _LazyHint(_Simple):
    __slots__ = ()

    @property
    def typehint(self) -> Any:
        return _hint(self._hint)


ANY: DType = _Simple("ANY", "Any", typing.Any)
NONE: DType = _Simple("NONE", "None", None)
BOOL: DType = _Simple("BOOL", "Bool", bool)
INT: DType = _Simple("INT", "Int", int)
FLOAT: DType = _Simple("FLOAT", "Float", float)
STR: DType = _Simple("STR", "String", str)
BYTES: DType = _Simple("BYTES", "Bytes", bytes)
POINTER: DType = _LazyHint("ANY_POINTER", "Pointer", "Pointer")
DATE_TIME_NAIVE: DType = _LazyHint("DATE_TIME_NAIVE", "DateTimeNaive", "DateTimeNaive")
DATE_TIME_UTC: DType = _LazyHint("DATE_TIME_UTC", "DateTimeUtc", "DateTimeUtc")
DURATION: DType = _LazyHint("DURATION", "Duration", "Duration")
JSON: DType = _LazyHint("Json", "Json", "Json")
ANY_TUPLE: DType = List(ANY)

NUMERIC = (INT, FLOAT)


def wrap(annotation: Any) -> DType:
    """The DType of a Python annotation (or a DType, returned unchanged)."""
    if isinstance(annotation, DType):
        return annotation
    from towpath.internals import values

    simple = {
        int: INT, float: FLOAT, str: STR, bool: BOOL, bytes: BYTES,
        type(None): NONE, None: NONE, typing.Any: ANY, object: ANY,
        values.Pointer: POINTER, values.Json: JSON, dict: JSON,
        values.DateTimeNaive: DATE_TIME_NAIVE, values.DateTimeUtc: DATE_TIME_UTC,
        values.Duration: DURATION, datetime.timedelta: DURATION,
        tuple: ANY_TUPLE, list: ANY_TUPLE,
    }
    try:
        if annotation in simple:
            return simple[annotation]
    except TypeError:
        pass
    if annotation is datetime.datetime:
        return DATE_TIME_NAIVE
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            inner = wrap(rest[0])
            return Optional(inner) if len(rest) < len(args) else inner
        return ANY
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return List(wrap(args[0]))
        if args == ((),):
            return Tuple()
        return Tuple(*(wrap(a) for a in args))
    if origin is list:
        return List(wrap(args[0])) if args else ANY_TUPLE
    if origin is dict:
        return JSON
    if origin is not None and getattr(origin, "__name__", "") == "Pointer":
        return POINTER
    if annotation is values.Pointer or getattr(annotation, "__origin__", None) is values.Pointer:
        return POINTER
    raise TypeError(f"Unsupported type annotation for a column: {annotation!r}.")


def dtype_of_value(value: Any) -> DType:
    """The DType of a Python constant (as used in expressions)."""
    from towpath.internals import values

    if value is None:
        return NONE
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, str):
        return STR
    if isinstance(value, bytes):
        return BYTES
    if isinstance(value, values.Pointer):
        return POINTER
    if isinstance(value, values.Json):
        return JSON
    if isinstance(value, datetime.datetime):
        return DATE_TIME_UTC if value.tzinfo is not None else DATE_TIME_NAIVE
    if isinstance(value, datetime.timedelta):
        return DURATION
    if isinstance(value, (tuple, list)):
        return Tuple(*(dtype_of_value(v) for v in value))
    if isinstance(value, dict):
        return JSON
    type_name = type(value).__module__
    if type_name.startswith("numpy"):
        kind = getattr(value, "dtype", None)
        if kind is not None and kind.kind in "iu":
            return INT
        if kind is not None and kind.kind == "f":
            return FLOAT
        if kind is not None and kind.kind == "b":
            return BOOL
        if kind is not None and kind.kind == "M":
            return DATE_TIME_NAIVE
        if kind is not None and kind.kind == "m":
            return DURATION
    return ANY


def is_numeric(t: DType) -> bool:
    """INT or FLOAT."""
    return t == INT or t == FLOAT


def unify(a: DType, b: DType) -> DType | None:
    """The smallest type holding both (if_else branches, coalesce, concat), or None."""
    if a == b:
        return a
    if a == NONE:
        return Optional(b)
    if b == NONE:
        return Optional(a)
    if a == ANY or b == ANY:
        return ANY
    opt = a.is_optional() or b.is_optional()
    sa, sb = a.strip_optional(), b.strip_optional()
    inner: DType | None = None
    if sa == sb:
        inner = sa
    elif {repr(sa), repr(sb)} == {"INT", "FLOAT"}:
        inner = FLOAT
    elif isinstance(sa, Tuple) and isinstance(sb, Tuple) and len(sa.args) == len(sb.args):
        parts = [unify(x, y) for x, y in zip(sa.args, sb.args, strict=False)]
        inner = Tuple(*parts) if all(p is not None for p in parts) else ANY_TUPLE  # type: ignore
    elif isinstance(sa, (Tuple, List)) and isinstance(sb, (Tuple, List)):
        elems = _elements(sa) + _elements(sb)
        acc: DType | None = elems[0] if elems else ANY
        for e in elems[1:]:
            acc = unify(acc, e) if acc is not None else None
        inner = List(acc if acc is not None else ANY)
    if inner is None:
        return None
    return Optional(inner) if opt else inner


def _elements(t: DType) -> list[DType]:
    if isinstance(t, Tuple):
        return list(t.args)
    if isinstance(t, List):
        return [t.wrapped]
    return [ANY]


def is_subtype(a: DType, b: DType) -> bool:
    """Every value of ``a`` is a value of ``b`` (ANY holds everything; NONE fits Optionals)."""
    if a == b or b == ANY:
        return True
    if a == NONE:
        return b.is_optional()
    if isinstance(b, Optional):
        return is_subtype(a.strip_optional(), b.wrapped)
    if isinstance(a, Tuple) and isinstance(b, Tuple):
        return len(a.args) == len(b.args) and all(is_subtype(x, y) for x, y in zip(a.args, b.args, strict=False))
    if isinstance(a, Tuple) and isinstance(b, List):
        return all(is_subtype(x, b.wrapped) for x in a.args)
    if isinstance(a, List) and isinstance(b, List):
        return is_subtype(a.wrapped, b.wrapped)
    return False


def comparable(a: DType, b: DType) -> bool:
    """Whether ``a == b`` type-checks (Pathway: same type up to Optional, int~float, None)."""
    if a == NONE or b == NONE:
        return True
    if a == ANY or b == ANY:
        return a == b
    sa, sb = a.strip_optional(), b.strip_optional()
    if sa == sb or (is_numeric(sa) and is_numeric(sb)):
        return True
    if isinstance(sa, Tuple) and isinstance(sb, Tuple):
        return len(sa.args) == len(sb.args) and all(comparable(x, y) for x, y in zip(sa.args, sb.args, strict=False))
    if isinstance(sa, List) and isinstance(sb, List):
        return comparable(sa.wrapped, sb.wrapped)
    return False


def orderable(a: DType, b: DType) -> bool:
    """Whether ``a < b`` type-checks (no Optional, no Json/bytes/Any)."""
    if a.is_optional() or b.is_optional():
        return False
    if is_numeric(a) and is_numeric(b):
        return True
    if isinstance(a, Tuple) and isinstance(b, Tuple):
        return len(a.args) == len(b.args) and all(comparable(x, y) for x, y in zip(a.args, b.args, strict=False))
    if isinstance(a, List) and isinstance(b, List):
        return comparable(a.wrapped, b.wrapped)
    return a == b and repr(a) in (
        "STR", "BOOL", "DATE_TIME_NAIVE", "DATE_TIME_UTC", "DURATION", "ANY_POINTER"
    )


def python_type_name(t: DType) -> str:
    """How Pathway names a type in operator error messages (``<class 'int'>``, ``str | None``)."""
    hint = t.typehint
    if t.is_optional() and isinstance(t, Optional):
        inner = t.wrapped.typehint
        return f"{getattr(inner, '__name__', inner)} | None"
    return repr(hint) if not isinstance(hint, type) else f"<class '{hint.__name__}'>"
