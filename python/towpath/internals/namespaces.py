"""``.str``, ``.dt`` and ``.num`` methods: built-in engine functions (``Expr::Call``).

Names and argument orders follow ``docs/functions.md``: the receiver first, then the Python
arguments in signature order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.expression import ColumnExpression, Compiled, ConstExpression, wrap

if TYPE_CHECKING:
    from towpath.internals.context import Context

Rule = Callable[[Sequence[dt.DType]], "dt.DType | None"]

STR, INT, FLOAT, BOOL = dt.STR, dt.INT, dt.FLOAT, dt.BOOL
DTN, DTU, DUR = dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC, dt.DURATION


class CallExpression(ColumnExpression):
    """A built-in function call with a typing rule over the argument types."""

    __slots__ = ("args", "func", "label", "rule")

    def __init__(self, func: str, args: list[Any], rule: Rule, label: str) -> None:
        self.func = func
        self.args = [wrap(a) for a in args]
        self.rule = rule
        self.label = label

    def _children(self) -> Iterator[ColumnExpression]:
        return iter(self.args)

    def _compile(self, ctx: Context) -> Compiled:
        args = [a._compile(ctx) for a in self.args]
        types = [a.dtype for a in args]
        result = self.rule(types)
        if result is None:
            raise AttributeError(
                f"Column of type {dt.python_type_name(types[0])} has no attribute {self.label} "
                "with arguments of type ["
                + ", ".join(dt.python_type_name(t) for t in types[1:]) + "]."
            )
        return Compiled(plan.call(self.func, [a.expr for a in args]), result)

    def __repr__(self) -> str:
        rest = ", ".join(repr(a) for a in self.args[1:])
        return f"({self.args[0]!r}).{self.label}({rest})"


def call(func: str, args: list[Any], rule: Rule, label: str | None = None) -> CallExpression:
    """A ``CallExpression`` (label defaults to the function name)."""
    return CallExpression(func, args, rule, label or func)


def _receiver(kinds: tuple[dt.DType, ...], result: Any) -> Rule:
    """Rule: the receiver must be one of ``kinds`` (ANY accepted); result fixed or a function."""

    def rule(types: Sequence[dt.DType]) -> dt.DType | None:
        t = types[0]
        if t != dt.ANY and t not in kinds:
            return None
        return result(t) if callable(result) else result

    return rule


def _same(t: dt.DType) -> dt.DType:
    return t


class _Namespace:
    __slots__ = ("_expr",)
    _prefix = ""

    def __init__(self, expr: ColumnExpression) -> None:
        self._expr = expr

    def _call(self, name: str, args: list[Any], rule: Rule) -> ColumnExpression:
        return call(f"{self._prefix}.{name}", [self._expr, *args], rule)


class StringNamespace(_Namespace):
    """String methods (``pw.this.name.str.lower()``)."""

    _prefix = "str"

    def _str(self, name: str, args: list[Any], result: dt.DType) -> ColumnExpression:
        return self._call(name, args, _receiver((STR,), result))

    def lower(self) -> ColumnExpression:
        return self._str("lower", [], STR)

    def upper(self) -> ColumnExpression:
        return self._str("upper", [], STR)

    def reversed(self) -> ColumnExpression:
        return self._str("reversed", [], STR)

    def title(self) -> ColumnExpression:
        return self._str("title", [], STR)

    def swapcase(self) -> ColumnExpression:
        return self._str("swapcase", [], STR)

    def len(self) -> ColumnExpression:
        return self._str("len", [], INT)

    def strip(self, chars: Any = None) -> ColumnExpression:
        return self._str("strip", [chars], STR)

    def lstrip(self, chars: Any = None) -> ColumnExpression:
        return self._str("lstrip", [chars], STR)

    def rstrip(self, chars: Any = None) -> ColumnExpression:
        return self._str("rstrip", [chars], STR)

    def startswith(self, prefix: Any) -> ColumnExpression:
        return self._str("startswith", [prefix], BOOL)

    def endswith(self, suffix: Any) -> ColumnExpression:
        return self._str("endswith", [suffix], BOOL)

    def count(self, sub: Any, start: Any = None, end: Any = None) -> ColumnExpression:
        return self._str("count", [sub, start, end], INT)

    def find(self, sub: Any, start: Any = None, end: Any = None) -> ColumnExpression:
        return self._str("find", [sub, start, end], INT)

    def rfind(self, sub: Any, start: Any = None, end: Any = None) -> ColumnExpression:
        return self._str("rfind", [sub, start, end], INT)

    def replace(self, old_value: Any, new_value: Any, count: Any = -1, /) -> ColumnExpression:
        return self._str("replace", [old_value, new_value, count], STR)

    def slice(self, start: Any, end: Any, /) -> ColumnExpression:
        return self._str("slice", [start, end], STR)

    def removeprefix(self, prefix: Any, /) -> ColumnExpression:
        return self._str("removeprefix", [prefix], STR)

    def removesuffix(self, suffix: Any, /) -> ColumnExpression:
        return self._str("removesuffix", [suffix], STR)

    def parse_int(self, optional: bool = False) -> ColumnExpression:
        return self._str("parse_int", [optional], dt.Optional(INT) if optional else INT)

    def parse_float(self, optional: bool = False) -> ColumnExpression:
        return self._str("parse_float", [optional], dt.Optional(FLOAT) if optional else FLOAT)

    def parse_bool(
        self,
        true_values: Any = ("on", "true", "yes", "1"),
        false_values: Any = ("off", "false", "no", "0"),
        optional: bool = False,
    ) -> ColumnExpression:
        result = dt.Optional(BOOL) if optional else BOOL
        args = [tuple(true_values), tuple(false_values), optional]
        return self._str("parse_bool", args, result)


_DATETIMES = (DTN, DTU)
_BIG_UNITS = {"W": 604800, "D": 86400, "d": 86400, "h": 3600, "m": 60, "min": 60}


class DateTimeNamespace(_Namespace):
    """Date/time methods (``pw.this.t.dt.year()``)."""

    _prefix = "dt"

    def _part(self, name: str) -> ColumnExpression:
        return self._call(name, [], _receiver(_DATETIMES, INT))

    def nanosecond(self) -> ColumnExpression:
        return self._part("nanosecond")

    def microsecond(self) -> ColumnExpression:
        return self._part("microsecond")

    def millisecond(self) -> ColumnExpression:
        return self._part("millisecond")

    def second(self) -> ColumnExpression:
        return self._part("second")

    def minute(self) -> ColumnExpression:
        return self._part("minute")

    def hour(self) -> ColumnExpression:
        return self._part("hour")

    def day(self) -> ColumnExpression:
        return self._part("day")

    def month(self) -> ColumnExpression:
        return self._part("month")

    def year(self) -> ColumnExpression:
        return self._part("year")

    def weekday(self) -> ColumnExpression:
        return self._part("weekday")

    def _duration_part(self, name: str) -> ColumnExpression:
        return self._call(name, [], _receiver((DUR,), INT))

    def nanoseconds(self) -> ColumnExpression:
        return self._duration_part("nanoseconds")

    def microseconds(self) -> ColumnExpression:
        return self._duration_part("microseconds")

    def milliseconds(self) -> ColumnExpression:
        return self._duration_part("milliseconds")

    def seconds(self) -> ColumnExpression:
        return self._duration_part("seconds")

    def minutes(self) -> ColumnExpression:
        return self._duration_part("minutes")

    def hours(self) -> ColumnExpression:
        return self._duration_part("hours")

    def days(self) -> ColumnExpression:
        return self._duration_part("days")

    def weeks(self) -> ColumnExpression:
        return self._duration_part("weeks")

    def strftime(self, fmt: Any) -> ColumnExpression:
        return self._call("strftime", [fmt], _receiver(_DATETIMES, STR))

    def strptime(self, fmt: Any, contains_timezone: bool | None = None) -> ColumnExpression:
        utc = contains_timezone
        if utc is None:
            text = fmt.value if isinstance(fmt, ConstExpression) else fmt
            utc = isinstance(text, str) and ("%z" in text or "%Z" in text)
        return self._call("strptime", [fmt, contains_timezone], _receiver((STR,), DTU if utc else DTN))

    def timestamp(self, unit: str | None = None) -> ColumnExpression:
        return self._call("timestamp", [unit], _receiver(_DATETIMES, INT if unit is None else FLOAT))

    def to_utc(self, from_timezone: Any) -> ColumnExpression:
        return self._call("to_utc", [from_timezone], _receiver((DTN,), DTU))

    def to_naive_in_timezone(self, timezone: Any) -> ColumnExpression:
        return self._call("to_naive_in_timezone", [timezone], _receiver((DTU,), DTN))

    def add_duration_in_timezone(self, duration: Any, timezone: Any) -> ColumnExpression:
        return self._call(
            "add_duration_in_timezone", [duration, timezone], _receiver(_DATETIMES, _same)
        )

    def subtract_duration_in_timezone(self, duration: Any, timezone: Any) -> ColumnExpression:
        return self._call(
            "subtract_duration_in_timezone", [duration, timezone], _receiver(_DATETIMES, _same)
        )

    def subtract_date_time_in_timezone(self, date_time: Any, timezone: Any) -> ColumnExpression:
        return self._call(
            "subtract_date_time_in_timezone", [date_time, timezone], _receiver(_DATETIMES, DUR)
        )

    def floor(self, duration: Any) -> ColumnExpression:
        return self._call("floor", [duration], _receiver(_DATETIMES, _same))

    def round(self, duration: Any) -> ColumnExpression:
        return self._call("round", [duration], _receiver(_DATETIMES, _same))

    def from_timestamp(self, unit: str) -> ColumnExpression:
        return self._call("from_timestamp", [unit], _receiver((INT, FLOAT), DTN))

    def utc_from_timestamp(self, unit: str) -> ColumnExpression:
        return self._call("utc_from_timestamp", [unit], _receiver((INT, FLOAT), DTU))

    def to_duration(self, unit: Any) -> ColumnExpression:
        # The engine knows s/ms/us/ns; bigger units become a multiple of seconds.
        factor = _BIG_UNITS.get(unit.value if isinstance(unit, ConstExpression) else unit)
        if factor is not None:
            scaled = self._expr * factor
            return call("dt.to_duration", [scaled, "s"], _receiver((INT, FLOAT), DUR))
        return self._call("to_duration", [unit], _receiver((INT, FLOAT), DUR))


class NumericalNamespace(_Namespace):
    """Numeric methods (``pw.this.x.num.abs()``)."""

    _prefix = "num"

    def abs(self) -> ColumnExpression:
        return self._call("abs", [], _receiver((INT, FLOAT), _same))

    def round(self, decimals: Any = 0) -> ColumnExpression:
        return self._call("round", [decimals], _receiver((INT, FLOAT), _same))

    def fill_na(self, default_value: Any) -> ColumnExpression:
        def rule(types: Sequence[dt.DType]) -> dt.DType | None:
            t = types[0].strip_optional()
            if t not in (INT, FLOAT, dt.ANY, dt.NONE):
                return None
            if t == FLOAT or types[1] == FLOAT:
                return FLOAT
            return INT if t == INT else types[1]

        return self._call("fill_na", [default_value], rule)
