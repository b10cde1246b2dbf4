"""Compile contexts: how column references in an expression map to positions of an input node.

- ``TableContext``: a table's own columns, plus columns of other tables with the same universe,
  reached by id-joins added as they are met (``t2.select(t1.a)`` where ``t2`` shares ``t1``'s
  ids).
- ``JoinContext``: the output layout of a Join node (left values, right values, left id, right id).
- ``GroupContext``: a reduce's output, over a GroupBy node (keys, then reducer results).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.expression import (
    ColumnExpression,
    Compiled,
)

if TYPE_CHECKING:
    from towpath.internals.table import Table


def missing_column(name: str, columns: Iterable[str], exc: type = KeyError) -> Exception:
    """Pathway's "no column" error with a suggestion."""
    msg = f"Table has no column with name {name}."
    close = difflib.get_close_matches(name, list(columns), n=1)
    if close:
        msg += f" Did you mean '{close[0]}'?"
    return exc(msg)


class Context:
    """Resolves references; the base class accepts none.

    Contexts over a node that can grow (``TableContext``, ``JoinContext``) memoize by default:
    an expression calling a non-deterministic UDF is computed as a column of a Select node
    added below (the engine remembers those per row, so a deletion retracts the value the
    insertion got) and read from there. Code compiling a Select's own expressions turns
    ``memoize`` off, since that Select remembers them itself.
    """

    memoize = False

    def ref(self, table: Any, name: str) -> Compiled:
        raise ValueError(f"You cannot use {table._label()}.{name} in this context.")

    def this_ref(self, kind: str, name: str) -> Compiled:
        raise ValueError(f"pw.{kind} cannot be used in this context.")

    def reducer(self, red: Any) -> Compiled:
        raise ValueError(
            f"A reducer ({red!r}) can only be used in reduce(): use "
            "table.groupby(...).reduce(...) or table.reduce(...)."
        )

    def this_table(self, kind: str) -> Table:
        raise ValueError(f"pw.{kind} cannot be used in this context.")

    def compile(self, expr: ColumnExpression) -> Compiled:
        compiled = expr._compile(self)
        if self.memoize and plan.has_nondeterministic_udf(compiled.expr):
            return self.hoist(compiled)
        return compiled

    def hoist(self, compiled: Compiled) -> Compiled:
        """``compiled`` computed as a new last column of this context's node; a read of it."""
        raise NotImplementedError


class TableContext(Context):
    """Columns of ``table`` and of same-universe tables (joined on id in front of it)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.offsets: dict[int, int] = {id(table): 0}
        # Joins only append columns, so tables can be added while compiling: positions
        # already handed out stay valid. Read ``node`` after compiling everything.
        self.node = table._node
        self.width = len(table._columns)
        self.memoize = True

    def hoist(self, compiled: Compiled) -> Compiled:
        self.node = plan.with_column(self.node, self.width, compiled.expr)
        self.width += 1
        return Compiled(plan.col(self.width - 1), compiled.dtype)

    def add(self, other: Table, name: str = "id") -> None:
        """Makes ``other``'s columns readable (an inner id-join; the ids are ``table``'s)."""
        if id(other) in self.offsets:
            return
        if not other._universe.same(self.table._universe):
            a, b = other._label(), self.table._label()
            raise ValueError(
                f"You cannot use {a}.{name} in this context. Its "
                "universe is different than the universe of the table the method was called "
                f"on. You can use {a}.with_universe_of({b}) to assign universe of {b} to {a} "
                "if you're sure their sets of keys are equal."
            )
        columns = self.node.columns + list(other._columns) + ["_left_id", "_right_id"]
        params = {
            "left": self.node, "right": other._node, "left_keys": [plan.ID],
            "right_keys": [plan.ID], "kind": "Inner", "id": "Left",
        }
        self.node = plan.Node("Join", params, [self.node, other._node], columns)
        self.offsets[id(other)] = self.width
        self.width += len(other._columns) + 2

    def ref(self, table: Any, name: str) -> Compiled:
        if id(table) not in self.offsets:
            self.add(table, name)
        if name == "id":
            return Compiled(plan.ID, dt.POINTER)
        try:
            pos = table._position(name)
        except KeyError:
            raise missing_column(name, table._columns, AttributeError) from None
        return Compiled(plan.col(self.offsets[id(table)] + pos), table._columns[name])

    def this_ref(self, kind: str, name: str) -> Compiled:
        if kind != "this":
            raise TypeError(
                f"Usage of pw.{kind} not supported here: it can only be used in joins."
            )
        if name != "id" and name not in self.table._columns:
            raise missing_column(name, self.table._columns)
        return self.ref(self.table, name)

    def this_table(self, kind: str) -> Table:
        if kind != "this":
            raise ValueError(f"pw.{kind} can only be used in joins.")
        return self.table

    def project_back(self, node: plan.Node) -> plan.Node:
        """``node`` (with this context's layout) reduced to the table's own columns."""
        if node is self.table._node or self.width == len(self.table._columns):
            return node
        n = len(self.table._columns)
        exprs = [plan.col(i) for i in range(n)]
        return plan.Node("Select", {"input": node, "exprs": exprs}, [node], list(self.table._columns))


class GroupContext(Context):
    """A reduce's expressions: grouping keys and reducer results over a GroupBy node.

    ``key_names`` maps ``(table id or "this", column name)`` to the key position.
    """

    def __init__(self, inner: Context, keys: list[tuple[Any, str | None]], key_types: list[dt.DType],
                 grouped_label: str) -> None:
        self.inner = inner
        self.keys = keys
        self.key_types = key_types
        self.reducers: list[dict] = []
        self.grouped_label = grouped_label
        self.sort_by: Any = None  # groupby(sort_by=...): orders the tuple reducer

    def _key(self, table: Any, name: str) -> Compiled | None:
        for i, (kt, kn) in enumerate(self.keys):
            if kn == name and (kt is table or kt == "this" or table == "this"):
                return Compiled(plan.col(i), self.key_types[i])
        return None

    def ref(self, table: Any, name: str) -> Compiled:
        found = self._key(table, name)
        if found is not None:
            return found
        label = f"{table._label()}.{name}"
        raise ValueError(
            f"You cannot use {label} in this reduce statement.\n"
            f"Make sure that {label} is used in a groupby or wrap it with a reducer, "
            f"e.g. pw.reducers.count({label})"
        )

    def this_ref(self, kind: str, name: str) -> Compiled:
        found = self._key("this", name)
        if found is not None:
            return found
        # Checks the column exists before complaining about its use.
        self.inner.this_ref(kind, name)
        table = getattr(self.inner, "table", None)
        label = f"{table._label()}.{name}" if table is not None else f"pw.{kind}.{name}"
        raise ValueError(
            f"You cannot use {label} in this reduce statement.\n"
            f"Make sure that {label} is used in a groupby or wrap it with a reducer, "
            f"e.g. pw.reducers.count({label})"
        )

    def reducer(self, red: Any) -> Compiled:
        kind, args, result = red._lower(self.inner)
        if self.sort_by is not None and isinstance(kind, dict) and "Tuple" in kind:
            return self._sorted_tuple(kind["Tuple"]["skip_nones"], args, result)
        self.reducers.append({"kind": kind, "args": args})
        return Compiled(plan.col(len(self.keys) + len(self.reducers) - 1), result)

    def _sorted_tuple(self, skip_nones: bool, args: list, result: dt.DType) -> Compiled:
        """``tuple`` ordered by ``sort_by``: a sorted tuple of (key, value) pairs whose values
        a small host function extracts."""
        from towpath.internals.udfs import batch_function

        pair = plan.make_tuple([self.sort_by, args[0]])
        self.reducers.append({"kind": {"SortedTuple": {"skip_nones": False}}, "args": [pair]})
        column = plan.col(len(self.keys) + len(self.reducers) - 1)

        def values(pairs: tuple) -> tuple:
            return tuple(v for _, v in pairs if not (skip_nones and v is None))

        ref = plan.UdfRef(batch_function(values, [None], result), "sort_by")
        return Compiled(plan.udf(ref, [column], False), result)

    def this_table(self, kind: str) -> Table:
        return self.inner.this_table(kind)
