"""Expression forms beyond operators: if_else, coalesce, casts, tuples, Json access, pointers.

The public functions (``pw.if_else``...) are at the bottom.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.expression import (
    ColumnExpression,
    ColumnReference,
    Compiled,
    ConstExpression,
    ThisColumn,
    UnaryExpression,
    wrap,
)

if TYPE_CHECKING:
    from towpath.internals.context import Context


class _Nary(ColumnExpression):
    __slots__ = ("args",)

    def __init__(self, *args: Any) -> None:
        self.args = [wrap(a) for a in args]

    def _children(self) -> Iterator[ColumnExpression]:
        return iter(self.args)

    def _args(self, ctx: Context) -> list[Compiled]:
        return [a._compile(ctx) for a in self.args]


class _NarrowingContext:
    """A context where one column is known not to be None (``if_else(x.is_not_none(), ...)``)."""

    def __init__(self, inner: Any, target: ColumnExpression) -> None:
        self._inner = inner
        self._target = target

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _narrow(self, c: Compiled, matches: bool) -> Compiled:
        return Compiled(c.expr, c.dtype.strip_optional()) if matches else c

    def ref(self, table: Any, name: str) -> Compiled:
        t = self._target
        hit = isinstance(t, ColumnReference) and t.table is table and t.name == name
        return self._narrow(self._inner.ref(table, name), hit)

    def this_ref(self, kind: str, name: str) -> Compiled:
        t = self._target
        hit = isinstance(t, ThisColumn) and t.kind == kind and t.name == name
        return self._narrow(self._inner.this_ref(kind, name), hit)

    def compile(self, expr: ColumnExpression) -> Compiled:
        return expr._compile(self)  # type: ignore[arg-type]


def _narrowed(ctx: Any, cond: ColumnExpression, op: str) -> Any:
    if isinstance(cond, UnaryExpression) and cond.op == op and isinstance(
        cond.arg, (ColumnReference, ThisColumn)
    ):
        return _NarrowingContext(ctx, cond.arg)
    return ctx


class IfElseExpression(_Nary):
    """``pw.if_else(cond, then, otherwise)`` (``x.is_not_none()`` narrows ``x`` in ``then``)."""

    def _compile(self, ctx: Context) -> Compiled:
        cond_e, then_e, other_e = self.args
        cond = cond_e._compile(ctx)
        then = then_e._compile(_narrowed(ctx, cond_e, "is_not_none"))
        other = other_e._compile(_narrowed(ctx, cond_e, "is_none"))
        if cond.dtype.strip_optional() not in (dt.BOOL, dt.ANY):
            raise TypeError(
                "First argument of pathway.if_else has to be bool, found "
                f"{dt.python_type_name(cond.dtype)}.\n"
                f"It refers to the following expression:\n\t{self!r}"
            )
        result = dt.unify(then.dtype, other.dtype)
        if result is None:
            raise TypeError(
                "Cannot perform pathway.if_else on columns of types "
                f"{dt.python_type_name(then.dtype)} and {dt.python_type_name(other.dtype)}."
            )
        return Compiled(plan.if_else(cond.expr, then.expr, other.expr), result)

    def __repr__(self) -> str:
        return "pathway.if_else(" + ", ".join(repr(a) for a in self.args) + ")"


class CoalesceExpression(_Nary):
    """``pw.coalesce(*args)``: the first non-None argument."""

    def _compile(self, ctx: Context) -> Compiled:
        args = self._args(ctx)
        acc: dt.DType | None = args[0].dtype
        for a in args[1:]:
            acc = dt.unify(acc, a.dtype) if acc is not None else None
        if acc is None:
            raise TypeError(
                "Cannot perform pathway.coalesce on columns of types "
                + ", ".join(dt.python_type_name(a.dtype) for a in args)
                + "."
            )
        if any(not a.dtype.is_optional() for a in args):
            acc = acc.strip_optional()
        return Compiled(plan.coalesce([a.expr for a in args]), acc)


class RequireExpression(_Nary):
    """``pw.require(value, *args)``: None if any of ``args`` is None."""

    def _compile(self, ctx: Context) -> Compiled:
        value, *rest = self._args(ctx)
        return Compiled(plan.require(value.expr, [r.expr for r in rest]), dt.Optional(value.dtype))


class CastExpression(ColumnExpression):
    """``pw.cast(type, expr)``."""

    __slots__ = ("arg", "target")

    def __init__(self, target: Any, arg: Any) -> None:
        self.target = dt.wrap(target)
        self.arg = wrap(arg)

    def _children(self) -> Iterator[ColumnExpression]:
        yield self.arg

    def _compile(self, ctx: Context) -> Compiled:
        arg = self.arg._compile(ctx)
        target = self.target.strip_optional()
        castable = (dt.INT, dt.FLOAT, dt.BOOL, dt.STR)
        source = arg.dtype.strip_optional()
        if source not in (*castable, dt.ANY, dt.NONE) or target not in castable:
            if source != target:
                raise TypeError(f"Cannot cast a column of type {arg.dtype!r} to {self.target!r}.")
        result = dt.Optional(target) if arg.dtype.is_optional() and arg.dtype != dt.ANY else target
        if self.target.is_optional():
            result = dt.Optional(target)
        return Compiled(plan.cast(arg.expr, target.to_plan()), result)

    def __repr__(self) -> str:
        return f"pathway.cast({self.target!r}, {self.arg!r})"


class DeclareTypeExpression(ColumnExpression):
    """``pw.declare_type(type, expr)``: changes the static type only."""

    __slots__ = ("arg", "target")

    def __init__(self, target: Any, arg: Any) -> None:
        self.target = dt.wrap(target)
        self.arg = wrap(arg)

    def _children(self) -> Iterator[ColumnExpression]:
        yield self.arg

    def _compile(self, ctx: Context) -> Compiled:
        return Compiled(self.arg._compile(ctx).expr, self.target)


class UnwrapExpression(_Nary):
    """``pw.unwrap(expr)``: an error where the value is None."""

    def _compile(self, ctx: Context) -> Compiled:
        (arg,) = self._args(ctx)
        return Compiled(plan.unwrap(arg.expr), arg.dtype.strip_optional())


class FillErrorExpression(_Nary):
    """``pw.fill_error(expr, replacement)``."""

    def _compile(self, ctx: Context) -> Compiled:
        arg, repl = self._args(ctx)
        result = dt.unify(arg.dtype, repl.dtype)
        if result is None:
            raise TypeError(
                "Cannot perform pathway.fill_error on columns of types "
                f"{dt.python_type_name(arg.dtype)} and {dt.python_type_name(repl.dtype)}."
            )
        return Compiled(plan.fill_error(arg.expr, repl.expr), result)


class MakeTupleExpression(_Nary):
    """``pw.make_tuple(*args)``."""

    def _compile(self, ctx: Context) -> Compiled:
        args = self._args(ctx)
        return Compiled(plan.make_tuple([a.expr for a in args]), dt.Tuple(*(a.dtype for a in args)))


class GetExpression(ColumnExpression):
    """``expr[index]`` (checked=False) and ``expr.get(index, default)`` (checked=True)."""

    __slots__ = ("arg", "checked", "default", "index")

    def __init__(self, arg: Any, index: Any, default: Any, checked: bool) -> None:
        self.arg = wrap(arg)
        self.index = wrap(index)
        self.default = None if default is None else wrap(default)
        self.checked = checked

    def _children(self) -> Iterator[ColumnExpression]:
        yield self.arg
        yield self.index
        if self.default is not None:
            yield self.default

    def _compile(self, ctx: Context) -> Compiled:
        arg = self.arg._compile(ctx)
        index = self.index._compile(ctx)
        default = self.default._compile(ctx) if self.default is not None else None
        result = self._result(arg.dtype, index.dtype, default)
        return Compiled(
            plan.get(arg.expr, index.expr, default.expr if default else None, self.checked), result
        )

    def _result(self, t: dt.DType, index_t: dt.DType, default: Compiled | None) -> dt.DType:
        inner = t.strip_optional()
        if inner == dt.JSON:
            if not self.checked or default is not None:
                return dt.Optional(dt.JSON) if t.is_optional() else dt.JSON
            return dt.Optional(dt.JSON)
        if inner == dt.ANY:
            return dt.ANY
        if isinstance(inner, dt.Tuple):
            const = self.index.value if isinstance(self.index, ConstExpression) else None
            if not isinstance(const, int) or isinstance(const, bool):
                if index_t.strip_optional() != dt.INT and index_t != dt.ANY:
                    raise TypeError(f"Index of {self!r} has to be an int, found {index_t!r}.")
                return dt.ANY
            n = len(inner.args)
            if -n <= const < n:
                return inner.args[const]
            if not self.checked:
                raise IndexError(f"Index {const} out of range for a tuple of type {inner.typehint}.")
            return default.dtype if default is not None else dt.NONE
        if isinstance(inner, dt.List):
            if index_t.strip_optional() != dt.INT and index_t != dt.ANY:
                raise TypeError(f"Index of {self!r} has to be an int, found {index_t!r}.")
            if not self.checked:
                return inner.wrapped
            if default is None:
                return dt.Optional(inner.wrapped)
            return dt.unify(inner.wrapped, default.dtype) or dt.ANY
        raise TypeError(f"Object in {self!r} has to be a JSON or sequence.")

    def __repr__(self) -> str:
        if self.checked:
            return f"({self.arg!r}).get({self.index!r})"
        return f"({self.arg!r})[{self.index!r}]"


class ConvertExpression(ColumnExpression):
    """Json ``as_int/as_float/as_str/as_bool`` and string parsing into ``target``."""

    __slots__ = ("arg", "default", "source", "target", "unwrap")

    def __init__(
        self, arg: Any, target: dt.DType, default: Any, unwrap: bool, source: dt.DType = dt.JSON
    ) -> None:
        self.arg = wrap(arg)
        self.target = target
        self.default = None if default is None else wrap(default)
        self.unwrap = unwrap
        self.source = source

    def _children(self) -> Iterator[ColumnExpression]:
        yield self.arg
        if self.default is not None:
            yield self.default

    def _compile(self, ctx: Context) -> Compiled:
        arg = self.arg._compile(ctx)
        if arg.dtype.strip_optional() not in (self.source, dt.ANY):
            name = {dt.INT: "int", dt.FLOAT: "float", dt.STR: "str", dt.BOOL: "bool"}
            raise TypeError(
                f"Cannot convert a column of type {arg.dtype!r} to {name.get(self.target)}: "
                f"as_{name.get(self.target)}() needs a Json column.\n"
                f"It refers to the following expression:\n\t{self.arg!r}"
            )
        default = self.default._compile(ctx) if self.default is not None else None
        optional = not self.unwrap and (default is None or default.dtype.is_optional())
        result = dt.Optional(self.target) if optional else self.target
        expr = plan.convert(
            arg.expr, self.target.to_plan(), default.expr if default else None, self.unwrap
        )
        return Compiled(expr, result)


class PointerFromExpression(_Nary):
    """``table.pointer_from(*args)``: the id a row with these primary-key values gets."""

    __slots__ = ("optional",)

    def __init__(self, *args: Any, optional: bool = False) -> None:
        super().__init__(*args)
        self.optional = optional

    def _compile(self, ctx: Context) -> Compiled:
        args = self._args(ctx)
        expr = plan.pointer_from([a.expr for a in args])
        if self.optional:
            return Compiled(plan.require(expr, [a.expr for a in args]), dt.Optional(dt.POINTER))
        return Compiled(expr, dt.POINTER)


# --- public functions -----------------------------------------------------------------------


def if_else(if_clause: Any, then_clause: Any, else_clause: Any) -> ColumnExpression:
    """``then_clause`` where ``if_clause`` is true, else ``else_clause``.

    >>> import towpath as pw
    >>> e = pw.if_else(pw.this.a > 0, pw.this.a, 0)
    """
    return IfElseExpression(if_clause, then_clause, else_clause)


def coalesce(*args: Any) -> ColumnExpression:
    """The first argument that is not None."""
    return CoalesceExpression(*args)


def require(val: Any, *deps: Any) -> ColumnExpression:
    """``val``, or None where any of ``deps`` is None."""
    return RequireExpression(val, *deps)


def cast(target_type: Any, col: Any) -> ColumnExpression:
    """Converts between int, float, bool and str (``pw.cast(float, pw.this.a)``)."""
    return CastExpression(target_type, col)


def declare_type(target_type: Any, col: Any) -> ColumnExpression:
    """Tells the type checker the column's type, without changing values."""
    return DeclareTypeExpression(target_type, col)


def unwrap(col: Any) -> ColumnExpression:
    """Removes Optional from the type; a None value becomes an error."""
    return UnwrapExpression(col)


def fill_error(col: Any, replacement: Any) -> ColumnExpression:
    """``col`` with errors replaced by ``replacement``."""
    return FillErrorExpression(col, replacement)


def make_tuple(*args: Any) -> ColumnExpression:
    """A tuple column from several expressions."""
    return MakeTupleExpression(*args)
