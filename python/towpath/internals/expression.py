"""Column expressions: what users write (``t.a + 1``, ``pw.this.b``) before it is bound to a table.

An expression is compiled against a context (``internals.context``), which resolves column
references to positions of an input node and gives every sub-expression its dtype. Type rules
follow Pathway's (``internals.operators``); a violation raises ``TypeError`` at build time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.operators import binary_result, unary_result

if TYPE_CHECKING:
    from towpath.internals.context import Context


class Compiled(NamedTuple):
    """A Plan expression with its type."""

    expr: Any
    dtype: dt.DType


class ColumnExpression:
    """Base class of every column expression."""

    __slots__ = ()

    def _compile(self, ctx: Context) -> Compiled:
        raise NotImplementedError

    def _children(self) -> Iterator[ColumnExpression]:
        return iter(())

    # Python operators ---------------------------------------------------------------------
    def __add__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("add", self, other)

    def __radd__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("add", other, self)

    def __sub__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("sub", self, other)

    def __rsub__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("sub", other, self)

    def __mul__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("mul", self, other)

    def __rmul__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("mul", other, self)

    def __truediv__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("truediv", self, other)

    def __rtruediv__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("truediv", other, self)

    def __floordiv__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("floordiv", self, other)

    def __rfloordiv__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("floordiv", other, self)

    def __mod__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("mod", self, other)

    def __rmod__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("mod", other, self)

    def __pow__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("pow", self, other)

    def __rpow__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("pow", other, self)

    def __eq__(self, other: Any) -> ColumnExpression:  # type: ignore[override]
        return BinaryExpression("eq", self, other)

    def __ne__(self, other: Any) -> ColumnExpression:  # type: ignore[override]
        return BinaryExpression("ne", self, other)

    def __lt__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("lt", self, other)

    def __le__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("le", self, other)

    def __gt__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("gt", self, other)

    def __ge__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("ge", self, other)

    def __and__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("and", self, other)

    def __rand__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("and", other, self)

    def __or__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("or", self, other)

    def __ror__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("or", other, self)

    def __xor__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("xor", self, other)

    def __rxor__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("xor", other, self)

    def __lshift__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("lshift", self, other)

    def __rlshift__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("lshift", other, self)

    def __rshift__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("rshift", self, other)

    def __rrshift__(self, other: Any) -> ColumnExpression:
        return BinaryExpression("rshift", other, self)

    def __neg__(self) -> ColumnExpression:
        return UnaryExpression("neg", self)

    def __invert__(self) -> ColumnExpression:
        return UnaryExpression("inv", self)

    def __abs__(self) -> ColumnExpression:
        return self.num.abs()

    def __hash__(self) -> int:
        return id(self)

    def __bool__(self) -> bool:
        raise RuntimeError(
            "A column expression cannot be used as a Python bool: use & | ~ instead of "
            "and/or/not, and pw.if_else instead of if."
        )

    def __getitem__(self, index: Any) -> ColumnExpression:
        from towpath.internals.expressions import GetExpression

        return GetExpression(self, index, default=None, checked=False)

    def __iter__(self) -> Any:
        raise TypeError("A column expression is not iterable.")

    # Methods --------------------------------------------------------------------------------
    def is_none(self) -> ColumnExpression:
        """True where the value is None."""
        return UnaryExpression("is_none", self)

    def is_not_none(self) -> ColumnExpression:
        """True where the value is not None."""
        return UnaryExpression("is_not_none", self)

    def get(self, index: Any, default: Any = None) -> ColumnExpression:
        """Element ``index`` of a tuple or Json value, ``default`` when missing."""
        from towpath.internals.expressions import GetExpression

        return GetExpression(self, index, default=default, checked=True)

    def to_string(self) -> ColumnExpression:
        """The value as a string (``str(value)`` for most types)."""
        from towpath.internals.namespaces import call

        return call("to_string", [self], lambda ts: dt.STR, "to_string")

    def as_int(self, default: Any = None, unwrap: bool = False) -> ColumnExpression:
        """Json to int (None when the Json value is null or missing)."""
        from towpath.internals.expressions import ConvertExpression

        return ConvertExpression(self, dt.INT, default, unwrap)

    def as_float(self, default: Any = None, unwrap: bool = False) -> ColumnExpression:
        from towpath.internals.expressions import ConvertExpression

        return ConvertExpression(self, dt.FLOAT, default, unwrap)

    def as_str(self, default: Any = None, unwrap: bool = False) -> ColumnExpression:
        from towpath.internals.expressions import ConvertExpression

        return ConvertExpression(self, dt.STR, default, unwrap)

    def as_bool(self, default: Any = None, unwrap: bool = False) -> ColumnExpression:
        from towpath.internals.expressions import ConvertExpression

        return ConvertExpression(self, dt.BOOL, default, unwrap)

    @property
    def str(self) -> Any:
        """String functions (``lower``, ``len``, ``parse_int``...)."""
        from towpath.internals.namespaces import StringNamespace

        return StringNamespace(self)

    @property
    def dt(self) -> Any:
        """Date/time functions (``year``, ``strftime``, ``floor``...)."""
        from towpath.internals.namespaces import DateTimeNamespace

        return DateTimeNamespace(self)

    @property
    def num(self) -> Any:
        """Numeric functions (``abs``, ``round``, ``fill_na``)."""
        from towpath.internals.namespaces import NumericalNamespace

        return NumericalNamespace(self)


def wrap(value: Any) -> ColumnExpression:
    """An expression for a constant or an expression."""
    if isinstance(value, ColumnExpression):
        return value
    return ConstExpression(value)


class ConstExpression(ColumnExpression):
    """A Python constant."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def _compile(self, ctx: Context) -> Compiled:
        return Compiled(plan.const(self.value), dt.dtype_of_value(self.value))

    def __repr__(self) -> str:
        return repr(self.value)


class ColumnReference(ColumnExpression):
    """``table.name`` (or ``table.id``)."""

    __slots__ = ("name", "table")

    def __init__(self, table: Any, name: str) -> None:
        self.table = table
        self.name = name

    def _compile(self, ctx: Context) -> Compiled:
        return ctx.ref(self.table, self.name)

    def __repr__(self) -> str:
        return f"{self.table._label()}.{self.name}"


class ThisColumn(ColumnExpression):
    """``pw.this.name`` / ``pw.left.name`` / ``pw.right.name``: resolved by the context."""

    __slots__ = ("kind", "name")

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name

    def _compile(self, ctx: Context) -> Compiled:
        return ctx.this_ref(self.kind, self.name)

    def __repr__(self) -> str:
        return f"pathway.{self.kind}.{self.name}"


class BinaryExpression(ColumnExpression):
    """``left <op> right`` with Pathway's type rules."""

    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Any, right: Any) -> None:
        self.op = op
        self.left = wrap(left)
        self.right = wrap(right)

    def _children(self) -> Iterator[ColumnExpression]:
        yield self.left
        yield self.right

    def _compile(self, ctx: Context) -> Compiled:
        left = self.left._compile(ctx)
        right = self.right._compile(ctx)
        result, plan_op, swap = binary_result(self.op, left.dtype, right.dtype)
        if result is None:
            raise TypeError(
                f"Pathway does not support using binary operator {self.op} on columns of types "
                f"{dt.python_type_name(left.dtype)}, {dt.python_type_name(right.dtype)}.\n"
                f"It refers to the following expression:\n\t{self!r}"
            )
        a, b = (right.expr, left.expr) if swap else (left.expr, right.expr)
        if self.op in ("lshift", "rshift"):
            # No shift operator in the Plan: a << b == a * 2**b, a >> b == a // 2**b (ints).
            power = plan.binary("Pow", plan.const(2), b)
            return Compiled(plan.binary(plan_op, a, power), result)
        return Compiled(plan.binary(plan_op, a, b), result)

    def __repr__(self) -> str:
        sym = _SYMBOLS.get(self.op, self.op)
        return f"({self.left!r} {sym} {self.right!r})"


_SYMBOLS = {
    "add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%",
    "pow": "**", "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
    "and": "&", "or": "|", "xor": "^", "lshift": "<<", "rshift": ">>",
}


class UnaryExpression(ColumnExpression):
    """``-x``, ``~x``, ``x.is_none()``, ``x.is_not_none()``."""

    __slots__ = ("arg", "op")

    def __init__(self, op: str, arg: Any) -> None:
        self.op = op
        self.arg = wrap(arg)

    def _children(self) -> Iterator[ColumnExpression]:
        yield self.arg

    def _compile(self, ctx: Context) -> Compiled:
        arg = self.arg._compile(ctx)
        result, plan_op = unary_result(self.op, arg.dtype)
        if result is None:
            raise TypeError(
                f"Pathway does not support using unary operator {self.op} on column of type "
                f"{dt.python_type_name(arg.dtype)}.\n"
                f"It refers to the following expression:\n\t{self!r}"
            )
        return Compiled(plan.unary(plan_op, arg.expr), result)

    def __repr__(self) -> str:
        if self.op in ("is_none", "is_not_none"):
            return f"({self.arg!r}).{self.op}()"
        return f"({'-' if self.op == 'neg' else '~'}{self.arg!r})"


class AllColumns:
    """``*pw.this`` / ``*pw.this.without(...)``: every column of the context table."""

    __slots__ = ("exclude", "kind")

    def __init__(self, kind: str, exclude: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.exclude = exclude


def iter_subexpressions(expr: ColumnExpression) -> Iterator[ColumnExpression]:
    """``expr`` and all its sub-expressions, depth first."""
    stack = [expr]
    while stack:
        e = stack.pop()
        yield e
        stack.extend(e._children())
