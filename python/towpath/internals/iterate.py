"""``pw.iterate``: a fixpoint of a step function over tables, maintained incrementally.

``func`` is traced once, on placeholder tables (one per keyword argument); the nodes it builds
become the body of one ``Iterate`` plan node (see ``towpath_plan::iterate``). Tables the body
reads without receiving them as arguments (captured from an enclosing scope, or created inside
``func`` from no argument) are computed outside the loop and passed in as extra inputs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from towpath.internals import plan
from towpath.internals.table import Table
from towpath.internals.trace import trace_str, user_errors
from towpath.internals.universe import Universe

# Node kinds a loop body may hold (the engine checks the rest: deterministic UDFs only...).
_BODY_KINDS = frozenset(
    """Select Filter Reindex GroupBy Join Concat ConcatReindex UpdateRows UpdateCells Flatten
    Intersect Difference Ix IterateInput""".split()
)


class iterate_universe:  # Pathway's (lower-case) name
    """Marks an argument of ``pw.iterate`` whose set of row ids may change from one iteration to
    the next (rows added or removed by the step function)."""

    def __init__(self, table: Table) -> None:
        if not isinstance(table, Table):
            raise TypeError(f"pw.iterate_universe() takes a table, found {table!r}")
        self.table = table


class IterateResults:
    """The tables a step function returned as a dict: by name (``res["t"]`` or ``res.t``);
    iterating yields the tables, as Pathway's result does."""

    def __init__(self, tables: dict[str, Table]) -> None:
        self._tables = dict(tables)

    def __getitem__(self, name: str) -> Table:
        return self._tables[name]

    def __getattr__(self, name: str) -> Table:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._tables[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[Table]:
        return iter(self._tables.values())

    def __len__(self) -> int:
        return len(self._tables)

    def keys(self) -> list[str]:
        return list(self._tables)

    def values(self) -> list[Table]:
        return list(self._tables.values())

    def items(self) -> list[tuple[str, Table]]:
        return list(self._tables.items())

    def __repr__(self) -> str:
        return f"IterateResults({self._tables!r})"


def _placeholder(index: int, table: Table, universe: Universe) -> Table:
    node = plan.Node("IterateInput", {"index": index}, [], list(table._columns))
    return Table._from_node(node, table._columns, universe)


def _named_results(result: Any, names: list[str]) -> tuple[dict[str, Table], str]:
    """The returned tables by argument name, and the shape to give back."""
    if isinstance(result, Table):
        return {names[0]: result}, "table"
    if isinstance(result, Mapping):
        unknown = [k for k in result if k not in names]
        if unknown:
            raise ValueError(
                f"pw.iterate: the step function returned {unknown[0]!r}, which is not one of its "
                f"arguments ({', '.join(names)})"
            )
        out, shape = dict(result), "dict"
    elif isinstance(result, tuple):
        if len(result) > len(names):
            raise ValueError(
                f"pw.iterate: the step function returned {len(result)} tables for "
                f"{len(names)} arguments"
            )
        out, shape = dict(zip(names, result, strict=False)), "tuple"
    else:
        raise TypeError(
            "pw.iterate: the step function must return a table, a dict or a tuple of tables, "
            f"found {type(result).__name__}"
        )
    for name, table in out.items():
        if not isinstance(table, Table):
            raise TypeError(f"pw.iterate: the step function returned {table!r} for {name!r}")
    return out, shape


def _aligned(name: str, result: Table, start: Table) -> Table:
    """``result`` with ``start``'s columns in ``start``'s order (the engine is positional)."""
    if dict(result._columns) != dict(start._columns):
        out = {n: t for n, t in result._columns.items()}
        want = {n: t for n, t in start._columns.items()}
        raise ValueError(
            f"pw.iterate: output {name!r}: {out} of the iterated function does not correspond "
            f"to the input: {want}"
        )
    if list(result._columns) == list(start._columns):
        return result
    exprs = [plan.col(list(result._columns).index(n)) for n in start._columns]
    node = plan.Node("Select", {"input": result._node, "exprs": exprs}, [result._node],
                     list(start._columns))
    return Table._from_node(node, start._columns, result._universe)


class _Body:
    """The body's nodes (reachable from the results and depending on an argument) and the
    outer nodes they read, which become extra inputs."""

    def __init__(self, placeholders: list[plan.Node], outer: list[plan.Node]) -> None:
        self.inputs: list[plan.Node] = list(outer)
        self.nodes: list[plan.Node] = list(placeholders)
        self._local: dict[int, int] = {n.number: i for i, n in enumerate(placeholders)}
        self._inner: dict[int, bool] = {n.number: True for n in placeholders}

    def _is_inner(self, root: plan.Node) -> bool:
        stack = [root]
        while stack:
            node = stack[-1]
            pending = [i for i in node.inputs if i.number not in self._inner]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            self._inner[node.number] = any(self._inner[i.number] for i in node.inputs)
        return self._inner[root.number]

    def local(self, node: plan.Node) -> int:
        """The body position of ``node``, adding it (and what it reads) when new."""
        if node.number in self._local:
            return self._local[node.number]
        if not self._is_inner(node):
            # An outer table: one more input, read through a placeholder.
            self.inputs.append(node)
            holder = plan.Node("IterateInput", {"index": len(self.inputs) - 1}, [], node.columns,
                               node.trace)
            self.nodes.append(holder)
        else:
            if node.kind not in _BODY_KINDS or (
                node.kind == "Select"
                and any(plan.has_nondeterministic_udf(e) for e in node.params["exprs"])
            ):
                what = "a non-deterministic UDF" if node.kind == "Select" else node.kind
                raise ValueError(
                    f"pw.iterate: {what} cannot be used inside the step function "
                    f"(created at {node.trace})"
                )
            for inp in node.inputs:
                self.local(inp)
            self.nodes.append(node)
        self._local[node.number] = len(self.nodes) - 1
        return self._local[node.number]

    def serialized(self) -> list[dict]:
        """The body as plan JSON objects, node references turned into body positions."""

        def localize(obj: Any) -> Any:
            if isinstance(obj, plan.Node):
                return self._local[obj.number]
            if isinstance(obj, dict):
                return {k: localize(v) for k, v in obj.items()}
            if isinstance(obj, list):
                return [localize(v) for v in obj]
            return obj

        out = []
        for n in self.nodes:
            kind: Any = n.kind if n.params is None else {n.kind: localize(n.params)}
            out.append({"kind": kind, "columns": n.columns, "trace": n.trace})
        return out


@user_errors
def iterate(func: Any, iteration_limit: int | None = None, **kwargs: Any) -> Any:
    """Applies ``func`` to the tables given as keyword arguments, feeds the tables it returns
    back in place of the arguments of the same name, and repeats until nothing changes (or
    ``iteration_limit`` times). Returns the final tables in the shape ``func`` returns them: a
    table (fed back as the first argument), a dict by argument name, or a tuple (by position).

    The result at each time is the fixpoint of the inputs at that time; towpath updates it
    incrementally when an input changes.
    """
    if iteration_limit is not None and (
        isinstance(iteration_limit, bool) or not isinstance(iteration_limit, int)
        or iteration_limit < 1
    ):
        raise ValueError("wrong iteration limit")
    if not kwargs:
        raise ValueError("pw.iterate needs tables given as keyword arguments")
    names = list(kwargs)
    starts: list[Table] = []
    placeholders: list[Table] = []
    free_universe: list[bool] = []
    for i, (name, arg) in enumerate(kwargs.items()):
        free = isinstance(arg, iterate_universe)
        table = arg.table if free else arg
        if not isinstance(table, Table):
            raise TypeError(f"pw.iterate: argument {name!r} must be a table, found {table!r}")
        starts.append(table)
        free_universe.append(free)
        placeholders.append(_placeholder(i, table, Universe() if free else table._universe))
    returned, shape = _named_results(func(**dict(zip(names, placeholders, strict=True))), names)
    trace = trace_str()
    results: dict[str, Table] = {}
    for name, table in returned.items():
        i = names.index(name)
        if not free_universe[i] and not table._universe.same(placeholders[i]._universe):
            raise ValueError(
                f"pw.iterate: iterated table {name!r} not marked as 'iterate_universe' changed "
                "its universe (wrap the argument in pw.iterate_universe(...))"
            )
        results[name] = _aligned(name, table, starts[i])
    body = _Body([p._node for p in placeholders], [s._node for s in starts])
    loops = [{"input": names.index(n), "next": body.local(t._node)} for n, t in results.items()]
    params = {"inputs": body.inputs, "body": body.serialized(), "loops": loops,
              "limit": iteration_limit}
    node = plan.Node("Iterate", params, list(body.inputs), [], trace)
    out: dict[str, Table] = {}
    for index, name in enumerate(results):
        start = starts[names.index(name)]
        result = plan.Node("IterateResult", {"iterate": node, "index": index}, [node],
                           list(start._columns), trace)
        universe = Universe() if free_universe[names.index(name)] else start._universe
        out[name] = Table._from_node(result, start._columns, universe)
    if shape == "table":
        return out[names[0]]
    if shape == "tuple":
        return tuple(out[n] for n in names[: len(returned)])
    return IterateResults(out)
