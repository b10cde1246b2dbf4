"""Plan building blocks: logical nodes (one per table operation) and expression constructors.

Expressions are the serde JSON form of ``towpath_plan::Expr`` as Python dicts, except that a UDF
holds a ``UdfRef`` and nodes hold ``Node`` references; ``lowering`` turns those into indices.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from towpath.internals.trace import trace_str
from towpath.internals.values import to_plan_value

_counter = itertools.count()


class Node:
    """One step of the program (``towpath_plan::Node``) with references to its inputs."""

    __slots__ = ("columns", "inputs", "kind", "number", "params", "trace")

    def __init__(
        self,
        kind: str,
        params: Any,
        inputs: list[Node],
        columns: list[str],
        trace: str | None = None,
    ) -> None:
        self.kind = kind
        self.params = params
        self.inputs = inputs
        self.columns = list(columns)
        self.trace = trace if trace is not None else trace_str()
        self.number = next(_counter)

    def __repr__(self) -> str:
        return f"<Node {self.number} {self.kind} {self.columns}>"


class UdfRef:
    """A host function called by the engine in batches: ``fn(list of arg tuples) -> list``."""

    __slots__ = ("batch_fn", "name")

    def __init__(self, batch_fn: Callable[[list[tuple]], list], name: str = "udf") -> None:
        self.batch_fn = batch_fn
        self.name = name


class CallbackRef:
    """A sink callback object (``on_updates``, ``on_time_end``, ``on_end``)."""

    __slots__ = ("target",)

    def __init__(self, target: Any) -> None:
        self.target = target


class SourceRef:
    """A push source (a ``pw.io.python.ConnectorSubject``) that the engine drains at run time."""

    __slots__ = ("subject",)

    def __init__(self, subject: Any) -> None:
        self.subject = subject


# --- expression constructors (serde JSON of towpath_plan::Expr) ---------------------------


def col(i: int) -> Any:
    return {"Column": i}


ID: Any = "Id"


def const(value: Any) -> Any:
    return {"Const": to_plan_value(value)}


def unary(op: str, arg: Any) -> Any:
    return {"Unary": {"op": op, "arg": arg}}


def binary(op: str, left: Any, right: Any) -> Any:
    return {"Binary": {"op": op, "left": left, "right": right}}


def if_else(cond: Any, then: Any, otherwise: Any) -> Any:
    return {"IfElse": {"cond": cond, "then": then, "otherwise": otherwise}}


def coalesce(args: list[Any]) -> Any:
    return {"Coalesce": list(args)}


def require(value: Any, args: list[Any]) -> Any:
    return {"Require": {"value": value, "args": list(args)}}


def cast(arg: Any, dtype: Any) -> Any:
    return {"Cast": {"arg": arg, "dtype": dtype}}


def convert(arg: Any, dtype: Any, default: Any | None, unwrap: bool) -> Any:
    return {"Convert": {"arg": arg, "dtype": dtype, "default": default, "unwrap": unwrap}}


def unwrap(arg: Any) -> Any:
    return {"Unwrap": arg}


def fill_error(arg: Any, replacement: Any) -> Any:
    return {"FillError": {"arg": arg, "replacement": replacement}}


def make_tuple(args: list[Any]) -> Any:
    return {"MakeTuple": list(args)}


def get(arg: Any, index: Any, default: Any | None, checked: bool) -> Any:
    return {"Get": {"arg": arg, "index": index, "default": default, "checked": checked}}


def pointer_from(args: list[Any]) -> Any:
    return {"PointerFrom": list(args)}


def call(func: str, args: list[Any]) -> Any:
    return {"Call": {"func": func, "args": list(args)}}


def udf(ref: UdfRef, args: list[Any], propagate_none: bool, deterministic: bool = True) -> Any:
    return {"Udf": {"index": ref, "args": list(args), "propagate_none": propagate_none,
                    "deterministic": deterministic}}


def shift_columns(expr: Any, mapping: Callable[[int], Any]) -> Any:
    """A copy of ``expr`` with every ``Column(i)`` replaced by ``mapping(i)``."""
    if isinstance(expr, dict):
        if set(expr) == {"Column"}:
            return mapping(expr["Column"])
        if "Const" in expr:
            return expr
        return {k: shift_columns(v, mapping) for k, v in expr.items()}
    if isinstance(expr, list):
        return [shift_columns(v, mapping) for v in expr]
    return expr


def select(input: Node, exprs: list[Any], columns: list[str]) -> Node:
    """A Select node, fused with a Select input when that is free: a projection (plain column
    reads) below, or a projection on top of a Select whose expressions are used once or call
    no UDF."""
    if input.kind == "Select":
        inner = input.params["exprs"]
        if all(is_column(e) is not None for e in inner):
            mapping = [e["Column"] for e in inner]
            exprs = [shift_columns(e, lambda i: col(mapping[i])) for e in exprs]
            return select(input.params["input"], exprs, columns)
        reads = [is_column(e) for e in exprs]
        if all(r is not None for r in reads):
            duplicated = len(set(reads)) < len(reads)
            # A non-deterministic UDF stays in its own node: fused into each reader, every
            # branch reading the table would call it (and remember values) separately.
            if not (duplicated and any(_has_udf(inner[r]) for r in reads)) and not any(
                has_nondeterministic_udf(inner[r]) for r in reads
            ):
                fused = [inner[r] for r in reads]
                return Node("Select", {"input": input.params["input"], "exprs": fused},
                            [input.params["input"]], columns)
    return Node("Select", {"input": input, "exprs": exprs}, [input], columns)


def _has_udf(expr: Any) -> bool:
    if isinstance(expr, dict):
        return "Udf" in expr or any(_has_udf(v) for v in expr.values())
    if isinstance(expr, list):
        return any(_has_udf(v) for v in expr)
    return False


def has_nondeterministic_udf(expr: Any) -> bool:
    """True if ``expr`` calls a UDF declared non-deterministic (the engine then remembers its
    results per row, which it does only in Select nodes)."""
    if isinstance(expr, dict):
        call = expr.get("Udf")
        if isinstance(call, dict) and not call.get("deterministic", True):
            return True
        return any(has_nondeterministic_udf(v) for k, v in expr.items() if k != "Const")
    if isinstance(expr, list):
        return any(has_nondeterministic_udf(v) for v in expr)
    return False


def with_column(input: Node, width: int, expr: Any) -> Node:
    """A Select node: the first ``width`` columns of ``input``, then ``expr``."""
    exprs = [*(col(i) for i in range(width)), expr]
    columns = [*input.columns[:width], f"_pw_memo_{width}"]
    return Node("Select", {"input": input, "exprs": exprs}, [input], columns)


def is_column(expr: Any) -> int | None:
    """The position if ``expr`` is a plain column read."""
    if isinstance(expr, dict) and set(expr) == {"Column"}:
        return expr["Column"]
    return None
