"""Reducers (``pw.reducers.*``): used inside ``reduce``, possibly within larger expressions
(``pw.reducers.sum(pw.this.x) * 2``), which then lower to a GroupBy followed by a Select.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from towpath.internals import dtype as dt
from towpath.internals.expression import ColumnExpression, Compiled, wrap

if TYPE_CHECKING:
    from towpath.internals.context import Context


class ReducerExpression(ColumnExpression):
    """A reducer call; ``kind`` is the Plan's ``ReducerKind`` (a name or a tagged dict)."""

    __slots__ = ("args", "kind", "name", "rule")

    def __init__(
        self, name: str, kind: Any, args: list[Any], rule: Callable[[dt.DType], dt.DType | None]
    ) -> None:
        self.name = name
        self.kind = kind
        self.args = [wrap(a) for a in args]
        self.rule = rule

    def _children(self) -> Iterator[ColumnExpression]:
        return iter(self.args)

    def _compile(self, ctx: Context) -> Compiled:
        return ctx.reducer(self)

    def _lower(self, inner: Context) -> builtins.tuple[Any, list[Any], dt.DType]:
        """(kind, argument Plan expressions, result type) with arguments over ``inner``."""
        args = [inner.compile(a) for a in self.args]
        result = self.rule(args[0].dtype if args else dt.ANY)
        if result is None:
            raise TypeError(
                f"Pathway does not support using reducer {self._type_name()} on column of type "
                f"{args[0].dtype!r}.\n"
            )
        return self.kind, [a.expr for a in args], result

    def _type_name(self) -> str:
        return "sum" if self.name == "avg" else self.name

    def __repr__(self) -> str:
        return f"pathway.reducers.{self.name}(" + ", ".join(repr(a) for a in self.args) + ")"


def _same(t: dt.DType) -> dt.DType:
    return t


def _summable(t: dt.DType) -> dt.DType | None:
    return t if t in (dt.INT, dt.FLOAT, dt.DURATION, dt.ANY) else None


def _averageable(t: dt.DType) -> dt.DType | None:
    return dt.FLOAT if t in (dt.INT, dt.FLOAT, dt.ANY) else None


def count(*args: Any) -> ColumnExpression:
    """Number of rows in the group (an argument is accepted and ignored, as in Pathway)."""
    return ReducerExpression("count", "Count", [], lambda t: dt.INT)


def sum(arg: Any) -> ColumnExpression:
    """Sum of an int, float or Duration column."""
    return ReducerExpression("sum", "Sum", [arg], _summable)


def avg(arg: Any) -> ColumnExpression:
    """Mean of an int or float column (a float)."""
    return ReducerExpression("avg", "Avg", [arg], _averageable)


def min(arg: Any) -> ColumnExpression:
    """Smallest value."""
    return ReducerExpression("min", "Min", [arg], _same)


def max(arg: Any) -> ColumnExpression:
    """Largest value."""
    return ReducerExpression("max", "Max", [arg], _same)


def argmin(arg: Any) -> ColumnExpression:
    """Id of the row with the smallest value."""
    return ReducerExpression("argmin", "ArgMin", [arg], lambda t: dt.POINTER)


def argmax(arg: Any) -> ColumnExpression:
    """Id of the row with the largest value."""
    return ReducerExpression("argmax", "ArgMax", [arg], lambda t: dt.POINTER)


def any(arg: Any) -> ColumnExpression:
    """Some value of the group."""
    return ReducerExpression("any", "Any", [arg], _same)


def unique(arg: Any) -> ColumnExpression:
    """The group's only value (an error if there are several)."""
    return ReducerExpression("unique", "Unique", [arg], _same)


def tuple(arg: Any, *, skip_nones: bool = False) -> ColumnExpression:
    """All values, ordered by row id."""

    def rule(t: dt.DType) -> dt.DType:
        return dt.List(t.strip_optional() if skip_nones else t)

    return ReducerExpression("tuple", {"Tuple": {"skip_nones": skip_nones}}, [arg], rule)


def sorted_tuple(arg: Any, *, skip_nones: bool = False) -> ColumnExpression:
    """All values, sorted."""

    def rule(t: dt.DType) -> dt.DType:
        return dt.List(t.strip_optional() if skip_nones else t)

    return ReducerExpression(
        "sorted_tuple", {"SortedTuple": {"skip_nones": skip_nones}}, [arg], rule
    )


def count_distinct(arg: Any) -> ColumnExpression:
    """Number of distinct values."""
    return ReducerExpression("count_distinct", "CountDistinct", [arg], lambda t: dt.INT)


def earliest(arg: Any) -> ColumnExpression:
    """Value of the row inserted first."""
    return ReducerExpression("earliest", "Earliest", [arg], _same)


def latest(arg: Any) -> ColumnExpression:
    """Value of the row inserted last."""
    return ReducerExpression("latest", "Latest", [arg], _same)


def ndarray(arg: Any, *, skip_nones: bool = False) -> ColumnExpression:
    """Not supported yet (numpy arrays are not a towpath value type)."""
    raise NotImplementedError("pw.reducers.ndarray is not supported by towpath yet.")
