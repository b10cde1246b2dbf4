"""Schemas: ``class S(pw.Schema): a: int; b: str = pw.column_definition(primary_key=True)``.

>>> import towpath as pw
>>> class S(pw.Schema):
...     a: int = pw.column_definition(primary_key=True)
...     b: str | None
>>> S.column_names()
['a', 'b']
>>> S.primary_key_columns()
['a']
"""

from __future__ import annotations

import dataclasses
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals.values import to_plan_value


class _Undefined:
    def __repr__(self) -> str:
        return "undefined"


undefined: Any = _Undefined()


@dataclasses.dataclass(frozen=True)
class ColumnDefinition:
    """What ``pw.column_definition`` returns (before the schema knows the name and type)."""

    primary_key: bool = False
    default_value: Any = undefined
    dtype: Any = None
    name: str | None = None
    append_only: bool | None = None
    description: str | None = None
    example: Any = None


@dataclasses.dataclass(frozen=True)
class ColumnSchema:
    """One column of a schema."""

    dtype: dt.DType
    name: str
    primary_key: bool = False
    default_value: Any = undefined
    append_only: bool = False
    description: str | None = None
    example: Any = None

    def has_default_value(self) -> bool:
        return self.default_value is not undefined

    def to_plan(self) -> dict:
        """``towpath_core::ColumnSchema``."""
        default = to_plan_value(self.default_value) if self.has_default_value() else None
        return {
            "name": self.name, "dtype": self.dtype.to_plan(),
            "primary_key": self.primary_key, "default": default,
        }


def column_definition(
    *,
    primary_key: bool = False,
    default_value: Any = undefined,
    dtype: Any = None,
    name: str | None = None,
    append_only: bool | None = None,
    description: str | None = None,
    example: Any = None,
) -> Any:
    """Column options in a schema class (primary key, default value, explicit type, name)."""
    return ColumnDefinition(
        primary_key, default_value, dtype, name, append_only, description, example
    )


class SchemaMetaclass(type):
    """Collects annotated columns (including inherited ones) into ``__columns__``."""

    __columns__: dict[str, ColumnSchema]

    def __init__(cls, name: str, bases: tuple, namespace: dict, **kwargs: Any) -> None:
        super().__init__(name, bases, namespace)
        columns: dict[str, ColumnSchema] = {}
        for base in reversed(cls.__mro__[1:]):
            columns.update(getattr(base, "__columns__", {}))
        hints = namespace.get("__annotations__", {})
        append_only = bool(kwargs.get("append_only", False))
        for attr, hint in hints.items():
            if attr.startswith("__"):
                continue
            if isinstance(hint, str):
                hint = _eval_hint(hint, namespace)
            definition = namespace.get(attr, undefined)
            if not isinstance(definition, ColumnDefinition):
                definition = ColumnDefinition(default_value=definition)
            col_name = definition.name or attr
            dtype = dt.wrap(definition.dtype if definition.dtype is not None else hint)
            columns[col_name] = ColumnSchema(
                dtype=dtype,
                name=col_name,
                primary_key=definition.primary_key,
                default_value=definition.default_value,
                append_only=bool(definition.append_only or append_only),
                description=definition.description,
                example=definition.example,
            )
        cls.__columns__ = columns

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Schemas are classes describing tables; they are not instantiated.")

    # Introspection ---------------------------------------------------------------------------
    def columns(cls) -> dict[str, ColumnSchema]:
        return dict(cls.__columns__)

    def column_names(cls) -> list[str]:
        return list(cls.__columns__)

    def keys(cls) -> Any:
        return cls.__columns__.keys()

    def typehints(cls) -> dict[str, Any]:
        return {n: c.dtype.typehint for n, c in cls.__columns__.items()}

    def _dtypes(cls) -> dict[str, dt.DType]:
        return {n: c.dtype for n, c in cls.__columns__.items()}

    def primary_key_columns(cls) -> list[str] | None:
        keys = [n for n, c in cls.__columns__.items() if c.primary_key]
        return keys or None

    def default_values(cls) -> dict[str, Any]:
        return {n: c.default_value for n, c in cls.__columns__.items() if c.has_default_value()}

    def __getitem__(cls, name: str) -> ColumnSchema:
        return cls.__columns__[name]

    def __contains__(cls, name: str) -> bool:
        return name in cls.__columns__

    def __iter__(cls) -> Any:
        return iter(cls.__columns__)

    def __len__(cls) -> int:
        return len(cls.__columns__)

    # Derivation ------------------------------------------------------------------------------
    def __or__(cls, other: Any) -> Any:
        return _from_columns({**cls.__columns__, **other.__columns__}, name="Schema")

    def without(cls, *names: Any) -> Any:
        drop = {n if isinstance(n, str) else n.name for n in names}
        return _from_columns(
            {n: c for n, c in cls.__columns__.items() if n not in drop}, name=cls.__name__
        )

    def with_types(cls, **types: Any) -> Any:
        for n in types:
            if n not in cls.__columns__:
                raise ValueError(f"Schema {cls.__name__} has no column {n!r}.")
        return cls.update_types(**types)

    def update_types(cls, **types: Any) -> Any:
        cols = dict(cls.__columns__)
        for n, t in types.items():
            old = cols.get(n, ColumnSchema(dtype=dt.ANY, name=n))
            cols[n] = dataclasses.replace(old, dtype=dt.wrap(t))
        return _from_columns(cols, name=cls.__name__)

    def update_properties(cls, **kwargs: Any) -> Any:
        return cls

    def to_plan(cls) -> dict:
        """``towpath_core::Schema``."""
        return {"columns": [c.to_plan() for c in cls.__columns__.values()]}

    # Printing and comparison ------------------------------------------------------------------
    def __repr__(cls) -> str:
        types = {n: c.dtype.typehint for n, c in cls.__columns__.items()}
        return f"<pathway.Schema types={types}, id_type={_id_type(cls)}>"

    def __str__(cls) -> str:
        names = ["id", *cls.__columns__]
        kinds = ["ANY_POINTER", *(repr(c.dtype) for c in cls.__columns__.values())]
        widths = [max(len(a), len(b)) for a, b in zip(names, kinds, strict=False)]
        # As Pathway: the header line is right-stripped, the type line is not.
        head = " | ".join(n.ljust(w) for n, w in zip(names, widths, strict=False)).rstrip()
        body = " | ".join(k.ljust(w) for k, w in zip(kinds, widths, strict=False))
        return f"{head}\n{body}"

    def __eq__(cls, other: object) -> bool:
        if not isinstance(other, SchemaMetaclass):
            return NotImplemented
        mine = {n: (c.dtype, c.primary_key) for n, c in cls.__columns__.items()}
        theirs = {n: (c.dtype, c.primary_key) for n, c in other.__columns__.items()}
        return mine == theirs and list(mine) == list(theirs)

    def __hash__(cls) -> int:
        return hash(tuple(cls.__columns__))


def _id_type(cls: Any) -> str:
    return "<class 'towpath.Pointer'>"


def _eval_hint(hint: str, namespace: dict) -> Any:
    import typing

    import towpath

    scope = {**vars(typing), "pw": towpath, "pathway": towpath, **namespace}
    return eval(hint, scope)


class Schema(metaclass=SchemaMetaclass):
    """Base class of table schemas (class keywords such as ``append_only=True`` accepted)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__()


def _from_columns(columns: dict[str, ColumnSchema], *, name: str | None = None) -> Any:
    cls = SchemaMetaclass(name or "Schema", (Schema,), {})
    cls.__columns__ = dict(columns)
    return cls


def schema_from_dtypes(columns: dict[str, dt.DType], *, name: str | None = None,
                       primary_key: list[str] | None = None) -> Any:
    """A schema from DTypes (used for table schemas)."""
    pk = set(primary_key or [])
    cols = {n: ColumnSchema(dtype=t, name=n, primary_key=n in pk) for n, t in columns.items()}
    return _from_columns(cols, name=name)


def schema_from_types(_name: str | None = None, **kwargs: Any) -> Any:
    """``pw.schema_from_types(a=int, b=str)``."""
    return _from_columns(
        {n: ColumnSchema(dtype=dt.wrap(t), name=n) for n, t in kwargs.items()}, name=_name
    )


def schema_builder(columns: dict[str, Any], *, name: str | None = None,
                   properties: Any = None) -> Any:
    """A schema from ``{name: pw.column_definition(...)}``."""
    cols = {}
    for n, d in columns.items():
        if not isinstance(d, ColumnDefinition):
            d = ColumnDefinition(dtype=d)
        col_name = d.name or n
        cols[col_name] = ColumnSchema(
            dtype=dt.wrap(d.dtype if d.dtype is not None else Any), name=col_name,
            primary_key=d.primary_key, default_value=d.default_value,
            append_only=bool(d.append_only), description=d.description, example=d.example,
        )
    return _from_columns(cols, name=name)


def schema_from_dict(columns: dict[str, Any], *, name: str | None = None,
                     properties: Any = None) -> Any:
    """A schema from ``{name: type}`` or ``{name: {"dtype": type, "primary_key": ...}}``."""
    defs = {}
    for n, spec in columns.items():
        if isinstance(spec, dict):
            defs[n] = ColumnDefinition(
                primary_key=spec.get("primary_key", False),
                default_value=spec.get("default_value", undefined),
                dtype=spec.get("dtype", Any),
            )
        else:
            defs[n] = ColumnDefinition(dtype=spec)
    return schema_builder(defs, name=name)


def schema_from_pandas(dframe: Any, *, id_from: list[str] | None = None,
                       name: str | None = None, exclude_columns: Any = ()) -> Any:
    """A schema guessed from a pandas DataFrame's column dtypes."""
    from towpath.internals.pandas_conv import column_dtype

    cols = {
        str(c): ColumnDefinition(dtype=column_dtype(dframe[c]), primary_key=c in (id_from or []))
        for c in dframe.columns
        if c not in exclude_columns
    }
    return schema_builder(cols, name=name)


def is_schema(obj: Any) -> bool:
    return isinstance(obj, SchemaMetaclass)
