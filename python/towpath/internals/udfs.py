"""Python functions over columns: ``pw.apply``, ``pw.apply_with_type``, ``pw.udf``.

The engine calls a UDF in batches (a list of argument tuples); a failing row returns its
exception instance, which the engine turns into an error value and an error-log entry.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import inspect
import typing
from collections.abc import Callable, Iterator
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.expression import ColumnExpression, Compiled, wrap
from towpath.internals.trace import trace_str
from towpath.internals.values import Json

if typing.TYPE_CHECKING:
    from towpath.internals.context import Context


_CHECKS: dict[Any, Callable[[Any], bool]] = {
    dt.INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
    dt.FLOAT: lambda v: isinstance(v, float),
    dt.BOOL: lambda v: isinstance(v, bool),
    dt.STR: lambda v: isinstance(v, str),
    dt.BYTES: lambda v: isinstance(v, bytes),
    dt.DATE_TIME_NAIVE: lambda v: isinstance(v, datetime.datetime) and v.tzinfo is None,
    dt.DATE_TIME_UTC: lambda v: isinstance(v, datetime.datetime) and v.tzinfo is not None,
    dt.DURATION: lambda v: isinstance(v, datetime.timedelta),
}


def _normalize(value: Any, ret: dt.DType) -> Any:
    """A UDF result in a form the engine converts (plain Python values, Json for Json columns);
    a value of the wrong type for the declared one raises TypeError (a row error)."""
    if value is None:
        if not ret.is_optional():
            raise TypeError(f"the function returned None, but its declared type is {ret!r}")
        return None
    module = type(value).__module__
    if module.startswith("numpy"):
        value = value.tolist() if getattr(value, "ndim", 0) > 0 else value.item()
    inner = ret.strip_optional()
    if inner == dt.FLOAT and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if inner == dt.JSON and not isinstance(value, Json):
        return Json(value)
    check = _CHECKS.get(inner)
    if check is not None and not check(value):
        raise TypeError(
            f"the function returned {value!r} of type {type(value).__name__}, but its declared "
            f"type is {ret!r}"
        )
    if isinstance(value, list):
        return tuple(value)
    return value


# Result types whose values need no conversion when they already have one of these exact types.
_EXACT: dict[Any, tuple[type, ...]] = {
    dt.INT: (int,),
    dt.FLOAT: (float,),
    dt.STR: (str,),
    dt.BOOL: (bool,),
    dt.ANY: (int, float, str, bool),
}


def _normalizer(ret: dt.DType) -> Callable[[Any], Any]:
    """``_normalize`` for results declared ``ret``, skipping the checks for a value that already
    has the declared type (the common case, on the per-row path)."""
    exact = _EXACT.get(ret.strip_optional())
    if exact is None:
        return lambda value: _normalize(value, ret)

    def normalize(value: Any) -> Any:
        return value if type(value) in exact else _normalize(value, ret)

    return normalize


def _located(exc: BaseException, where: str | None) -> BaseException:
    """The exception with the user's line that applied the function, as a note."""
    if where is not None:
        exc.add_note(f"Occurred here: {where}")
    return exc


def batch_function(fn: Callable, names: list[str | None], ret: dt.DType,
                   where: str | None = None) -> Callable:
    """Wraps ``fn`` for the engine: one call per argument row, exceptions returned as values
    (with ``where``, the user's line, as a note)."""
    kw_positions = [(i, n) for i, n in enumerate(names) if n is not None]
    pos_count = sum(1 for n in names if n is None)
    is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - objects with an async __call__
    )

    def call_one(row: tuple) -> Any:
        args = row[:pos_count]
        kwargs = {n: row[i] for i, n in kw_positions}
        return fn(*args, **kwargs)

    if is_async:
        async def run_all(rows: list[tuple]) -> list:
            async def one(row: tuple) -> Any:
                try:
                    return _normalize(await call_one(row), ret)
                except Exception as exc:
                    return _located(exc, where)

            return list(await asyncio.gather(*(one(r) for r in rows)))

        def batch_async(rows: list[tuple]) -> list:
            return asyncio.run(run_all(rows))

        return batch_async

    normalize = _normalizer(ret)
    if not kw_positions:
        # Positional arguments only: the row is the argument tuple.
        def batch_positional(rows: list[tuple]) -> list:
            out: list = []
            append = out.append
            for row in rows:
                try:
                    append(normalize(fn(*row)))
                except Exception as exc:
                    append(_located(exc, where))
            return out

        return batch_positional

    def batch(rows: list[tuple]) -> list:
        out = []
        for row in rows:
            try:
                out.append(normalize(call_one(row)))
            except Exception as exc:
                out.append(_located(exc, where))
        return out

    return batch


class ApplyExpression(ColumnExpression):
    """A Python function applied to each row's argument values."""

    __slots__ = ("_ref", "args", "deterministic", "fn", "kwargs", "propagate_none", "ret")

    def __init__(self, fn: Callable, ret: Any, args: tuple, kwargs: dict,
                 propagate_none: bool = False, deterministic: bool = False) -> None:
        self.fn = fn
        self.ret = dt.wrap(ret)
        self.args = [wrap(a) for a in args]
        self.kwargs = {k: wrap(v) for k, v in kwargs.items()}
        self.propagate_none = propagate_none
        self.deterministic = deterministic
        names: list[str | None] = [None] * len(self.args) + list(self.kwargs)
        batch = batch_function(fn, names, self.ret, trace_str())
        self._ref = plan.UdfRef(batch, getattr(fn, "__name__", "udf"))

    def _children(self) -> Iterator[ColumnExpression]:
        yield from self.args
        yield from self.kwargs.values()

    def _compile(self, ctx: Context) -> Compiled:
        compiled = [a._compile(ctx) for a in self.args] + [
            v._compile(ctx) for v in self.kwargs.values()
        ]
        ret = self.ret
        if self.propagate_none and any(c.dtype.is_optional() for c in compiled):
            ret = dt.Optional(ret)
        expr = plan.udf(self._ref, [c.expr for c in compiled], self.propagate_none,
                        self.deterministic)
        return Compiled(expr, ret)

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", "udf")
        return f"pathway.apply({name}, " + ", ".join(repr(a) for a in self.args) + ")"


def _return_annotation(fn: Callable) -> Any:
    try:
        hints = typing.get_type_hints(fn)
    except Exception:
        hints = getattr(fn, "__annotations__", {}) or {}
    ret = hints.get("return", inspect.Signature.empty)
    if ret is inspect.Signature.empty:
        return typing.Any
    return ret


def apply(fn: Callable, *args: Any, **kwargs: Any) -> ColumnExpression:
    """``fn(*args)`` for every row (type from ``fn``'s return annotation, else Any).

    >>> import towpath as pw
    >>> e = pw.apply(lambda x: x * 2, pw.this.a)
    """
    return ApplyExpression(fn, _return_annotation(fn), args, kwargs)


def apply_with_type(fn: Callable, ret_type: Any, *args: Any, **kwargs: Any) -> ColumnExpression:
    """``fn(*args)`` for every row, declared to return ``ret_type``."""
    return ApplyExpression(fn, ret_type, args, kwargs)


def apply_async(fn: Callable, *args: Any, **kwargs: Any) -> ColumnExpression:
    """Like ``apply`` for an ``async`` function (rows of a batch run concurrently)."""
    return ApplyExpression(fn, _return_annotation(fn), args, kwargs)


class UDF:
    """A user-defined function usable on columns (``@pw.udf`` or a subclass with
    ``__wrapped__``)."""

    def __init__(self, func: Callable | None = None, *, return_type: Any = None,
                 deterministic: bool = False, propagate_none: bool = False,
                 executor: Any = None, cache_strategy: Any = None,
                 max_batch_size: int | None = None) -> None:
        if func is None:
            func = getattr(self, "__wrapped__", None)
            if func is None:
                raise TypeError("UDF subclasses must define __wrapped__")
        self.func = func
        self.return_type = return_type if return_type is not None else _return_annotation(func)
        self.deterministic = deterministic
        self.propagate_none = propagate_none
        functools.update_wrapper(self, func)

    def __call__(self, *args: Any, **kwargs: Any) -> ColumnExpression:
        return ApplyExpression(self.func, self.return_type, args, kwargs,
                               self.propagate_none, self.deterministic)


def udf(fun: Callable | None = None, /, *, return_type: Any = None,
        deterministic: bool = False, propagate_none: bool = False, executor: Any = None,
        cache_strategy: Any = None, max_batch_size: int | None = None, **kwargs: Any) -> Any:
    """Decorator turning a Python function into a column function.

    With ``deterministic=False`` (the default, as for ``pw.apply``) each row's result is
    remembered while the row lives, so deleting the row retracts exactly the value it got;
    ``deterministic=True`` promises equal results for equal arguments and saves that memory.

    >>> import towpath as pw
    >>> @pw.udf
    ... def double(x: int) -> int:
    ...     return 2 * x
    """

    def make(f: Callable) -> UDF:
        return UDF(f, return_type=return_type, deterministic=deterministic,
                   propagate_none=propagate_none)

    return make(fun) if fun is not None else make


def udf_async(fun: Callable | None = None, /, **kwargs: Any) -> Any:
    """``udf`` for ``async`` functions."""
    return udf(fun, **kwargs)
