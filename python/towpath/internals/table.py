"""``Table``: a thin API object over a Plan node (its output columns are the table's columns).

Set operations (concat, update_rows, flatten...) live in ``table_ops``; joins in ``joins``;
grouping in ``groupby``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.context import TableContext, missing_column
from towpath.internals.expression import (
    AllColumns,
    ColumnExpression,
    ColumnReference,
    ThisColumn,
    wrap,
)
from towpath.internals.table_ids import TableIdOps
from towpath.internals.table_ops import TableSetOps
from towpath.internals.table_ordered import TableOrderedOps
from towpath.internals.temporal_joins import TemporalJoins
from towpath.internals.trace import add_location, trace_str, user_errors, user_frame
from towpath.internals.universe import Universe

_numbers = itertools.count(1)

# Pathway table methods towpath does not provide yet (a clear error instead of "no column").
_NOT_YET = frozenset(
    """interpolate asof_now_join asof_now_join_inner asof_now_join_left interval_join
    interval_join_inner interval_join_left interval_join_right interval_join_outer window_join
    window_join_inner window_join_left window_join_right window_join_outer to_stream stream_to_table from_streams live
    plot show debug slice inactivity_detection add_update_timestamp_utc assert_append_only
    await_futures unpack_snapshots update_id_type eval_type from_columns""".split()
)


def expression_name(arg: Any) -> str:
    """The output name of a positional select argument (a column reference)."""
    from towpath.internals.ix import IxColumn

    if isinstance(arg, (ColumnReference, ThisColumn, IxColumn)):
        if arg.name == "id":
            raise ValueError("Can't use 'id' as a column name")
        return arg.name
    raise ValueError(
        "In select() all positional arguments have to be a ColumnReference "
        f"(found {arg!r}); use a keyword argument (name=expression) instead."
    )


def named_expressions(args: tuple, kwargs: dict, all_columns: Any) -> dict[str, ColumnExpression]:
    """``select``-style arguments as an ordered ``{name: expression}``.

    ``all_columns(AllColumns) -> {name: expression}`` expands ``*pw.this``.
    """
    out: dict[str, ColumnExpression] = {}

    def put(name: str, expr: ColumnExpression) -> None:
        if name in out:
            raise ValueError(f"Duplicate expression value given for {name}")
        out[name] = expr

    for arg in args:
        if isinstance(arg, AllColumns):
            for name, expr in all_columns(arg).items():
                put(name, expr)
        else:
            put(expression_name(arg), arg)
    for name, value in kwargs.items():
        if name == "id":
            raise ValueError("Can't use 'id' as a column name")
        put(name, wrap(value))
    return out


class Table(TableIdOps, TableSetOps, TableOrderedOps, TemporalJoins):
    """A collection of rows with a 128-bit id each and typed columns."""

    _node: plan.Node
    _columns: dict[str, dt.DType]
    _universe: Universe
    _trace: str | None
    _number: int
    _pk: list[str] | None  # primary-key columns, when known (for ``schema``)
    _late_rows: Any  # set on tables with a cutoff: builds ``pw.temporal.late_rows(table)``

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("Tables are created by connectors, pw.debug or table methods.")

    @classmethod
    def _from_node(
        cls, node: plan.Node, columns: dict[str, dt.DType], universe: Universe | None = None,
        trace: str | None = None,
    ) -> Table:
        table = object.__new__(cls)
        table._node = node
        table._columns = dict(columns)
        table._universe = universe if universe is not None else Universe()
        table._trace = trace or trace_str()
        table._number = next(_numbers)
        table._pk = None
        if node.trace is None:
            node.trace = table._trace
        return table

    # Column access ----------------------------------------------------------------------------
    def __getattr__(self, name: str) -> ColumnReference:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._columns:
            if name in _NOT_YET:
                raise NotImplementedError(f"Table.{name}() is not supported by towpath yet.")
            raise add_location(missing_column(name, self._columns, AttributeError), user_frame())
        return ColumnReference(self, name)

    def __getitem__(self, name: Any) -> Any:
        if isinstance(name, (list, tuple)):
            return self.select(*(self[n] for n in name))
        if isinstance(name, (ColumnReference, ThisColumn)):
            name = name.name
        if name == "id":
            return self.id
        if name not in self._columns:
            raise add_location(missing_column(name, self._columns), user_frame())
        return ColumnReference(self, name)

    def __iter__(self) -> Iterator[ColumnReference]:
        return (ColumnReference(self, n) for n in self._columns)

    @property
    def id(self) -> ColumnReference:
        """The row ids, as a Pointer column."""
        return ColumnReference(self, "id")

    def _position(self, name: str) -> int:
        return list(self._columns).index(name) if name in self._columns else _raise_key(name)

    def _label(self) -> str:
        return f"<table{self._number}>"

    def __repr__(self) -> str:
        types = {n: t.typehint for n, t in self._columns.items()}
        return f"<towpath.Table schema={types}>"

    # Introspection ----------------------------------------------------------------------------
    @property
    def schema(self) -> Any:
        """The table's schema class."""
        from towpath.internals.schema import schema_from_dtypes

        return schema_from_dtypes(self._columns, primary_key=self._pk)

    def column_names(self) -> list[str]:
        return list(self._columns)

    def keys(self) -> list[str]:
        return list(self._columns)

    def typehints(self) -> dict[str, Any]:
        return {n: t.typehint for n, t in self._columns.items()}

    def _all_columns(self, arg: AllColumns) -> dict[str, ColumnExpression]:
        if arg.kind != "this":
            raise ValueError(f"pw.{arg.kind} can only be used in joins.")
        for name in arg.exclude:
            if name not in self._columns:
                raise missing_column(name, self._columns)
        return {n: ColumnReference(self, n) for n in self._columns if n not in arg.exclude}

    # Row-wise operations ----------------------------------------------------------------------
    def _select_named(self, exprs: dict[str, ColumnExpression], universe: Universe | None = None
                      ) -> Table:
        ctx = TableContext(self)
        ctx.memoize = False  # the Select below remembers non-deterministic UDF results
        compiled = {n: ctx.compile(e) for n, e in exprs.items()}
        node = plan.select(ctx.node, [c.expr for c in compiled.values()], list(compiled))
        return Table._from_node(
            node, {n: c.dtype for n, c in compiled.items()}, universe or self._universe
        )

    @user_errors
    def select(self, *args: Any, **kwargs: Any) -> Table:
        """A table with the same ids and one column per argument.

        >>> import towpath as pw
        >>> t = pw.debug.table_from_markdown("a | b\\n1 | 2")
        >>> pw.debug.compute_and_print(t.select(c=pw.this.a + pw.this.b), include_id=False)
        c
        3
        """
        return self._select_named(named_expressions(args, kwargs, self._all_columns))

    @user_errors
    def with_columns(self, *args: Any, **kwargs: Any) -> Table:
        """The table with columns replaced or added (replaced keep their place)."""
        new = named_expressions(args, kwargs, self._all_columns)
        exprs: dict[str, ColumnExpression] = {
            n: new.pop(n) if n in new else ColumnReference(self, n) for n in self._columns
        }
        exprs.update(new)
        return self._select_named(exprs)

    @user_errors
    def without(self, *columns: Any) -> Table:
        """The table without these columns."""
        drop = set()
        for c in columns:
            if isinstance(c, str):
                if c not in self._columns:
                    raise KeyError(c)
                drop.add(c)
            elif isinstance(c, ColumnReference):
                drop.add(c.name)
            elif isinstance(c, ThisColumn):
                if c.name not in self._columns:
                    raise missing_column(c.name, self._columns)
                drop.add(c.name)
            else:
                raise TypeError(f"without() takes column names or references, found {c!r}")
        return self._select_named(
            {n: ColumnReference(self, n) for n in self._columns if n not in drop}
        )

    @user_errors
    def rename_columns(self, **kwargs: Any) -> Table:
        """``rename_columns(new=pw.this.old)``: renamed columns go last."""
        mapping = {}
        for new, old in kwargs.items():
            name = old if isinstance(old, str) else expression_name(old)
            if name not in self._columns:
                raise missing_column(name, self._columns)
            mapping[name] = new
        return self._rename(mapping)

    @user_errors
    def rename_by_dict(self, names_mapping: dict) -> Table:
        """``rename_by_dict({"old": "new"})``: renamed columns go last."""
        mapping = {}
        for old, new in names_mapping.items():
            name = old if isinstance(old, str) else expression_name(old)
            if name not in self._columns:
                raise missing_column(name, self._columns)
            mapping[name] = new if isinstance(new, str) else expression_name(new)
        return self._rename(mapping)

    def rename(self, names_mapping: dict | None = None, **kwargs: Any) -> Table:
        """``rename({"old": "new"})`` or ``rename(new=pw.this.old)``."""
        if names_mapping is not None:
            return self.rename_by_dict(names_mapping)
        return self.rename_columns(**kwargs)

    def _rename(self, mapping: dict[str, str]) -> Table:
        kept = {n: ColumnReference(self, n) for n in self._columns if n not in mapping}
        renamed = {new: ColumnReference(self, old) for old, new in mapping.items()}
        clash = set(kept) & set(renamed)
        if clash:
            raise ValueError(f"Duplicate expression value given for {sorted(clash)[0]}")
        return self._select_named({**kept, **renamed})

    @user_errors
    def filter(self, filter_expression: Any) -> Table:
        """Rows where the expression is true."""
        ctx = TableContext(self)
        pred = ctx.compile(wrap(filter_expression))
        if pred.dtype not in (dt.BOOL, dt.ANY):
            raise TypeError(
                f"Filter argument of Table.filter() has to be bool, found {pred.dtype!r}."
            )
        node = plan.Node(
            "Filter", {"input": ctx.node, "predicate": pred.expr}, [ctx.node], ctx.node.columns
        )
        node = ctx.project_back(node)
        return Table._from_node(node, self._columns, Universe(subset_of=self._universe))

    def with_prefix(self, prefix: str) -> Table:
        """The table with every column name prefixed."""
        return self._select_named({prefix + n: ColumnReference(self, n) for n in self._columns})

    def with_suffix(self, suffix: str) -> Table:
        """The table with every column name suffixed."""
        return self._select_named({n + suffix: ColumnReference(self, n) for n in self._columns})

    def copy(self) -> Table:
        """A copy (same ids and values)."""
        return self._select_named({n: ColumnReference(self, n) for n in self._columns})

    @user_errors
    def cast_to_types(self, **kwargs: Any) -> Table:
        """The table with columns converted by ``pw.cast``."""
        from towpath.internals.expressions import CastExpression

        for n in kwargs:
            if n not in self._columns:
                raise ValueError(
                    "Table.cast_to_types() argument name has to be an existing table column "
                    f"name (no column {n!r})."
                )
        return self.with_columns(
            **{n: CastExpression(t, ColumnReference(self, n)) for n, t in kwargs.items()}
        )

    @user_errors
    def update_types(self, **kwargs: Any) -> Table:
        """The table with column types declared (values unchanged)."""
        from towpath.internals.expressions import DeclareTypeExpression

        for n in kwargs:
            if n not in self._columns:
                raise missing_column(n, self._columns)
        return self.with_columns(
            **{n: DeclareTypeExpression(t, ColumnReference(self, n)) for n, t in kwargs.items()}
        )

    # Ordered operators ------------------------------------------------------------------------
    @user_errors
    def sort(self, key: Any, instance: Any = None) -> Table:
        """Columns ``prev``/``next``: each row's neighbours in ``key`` order (see ``ordered``)."""
        from towpath.internals.ordered import sort

        return sort(self, key, instance)

    @user_errors
    def diff(self, timestamp: Any, *values: Any, instance: Any = None) -> Table:
        """Columns ``diff_<name>``: value minus the previous row's, in ``timestamp`` order."""
        from towpath.internals.ordered import diff

        return diff(self, timestamp, *values, instance=instance)

    # Grouping and joins -----------------------------------------------------------------------
    @user_errors
    def groupby(self, *args: Any, id: Any = None, sort_by: Any = None, instance: Any = None,
                **kwargs: Any) -> Any:
        """Groups rows by the given columns; follow with ``.reduce(...)``."""
        from towpath.internals.groupby import GroupedTable

        keys = list(args) + ([instance] if instance is not None else [])
        return GroupedTable(lambda: TableContext(self), keys, id, self._all_columns, sort_by)

    @user_errors
    def reduce(self, *args: Any, **kwargs: Any) -> Table:
        """One row aggregating the whole table."""
        return self.groupby().reduce(*args, **kwargs)

    @user_errors
    def windowby(self, time_expr: Any, *, window: Any, behavior: Any = None,
                 instance: Any = None) -> Any:
        """Groups rows by time windows (``pw.temporal.tumbling/sliding``); follow with
        ``.reduce(...)``, where ``pw.this._pw_window_start`` etc. name the window."""
        from towpath.internals.windows import windowby

        return windowby(self, time_expr, window=window, behavior=behavior, instance=instance)

    # State tools (towpath.internals.behaviors) ------------------------------------------------
    @user_errors
    def forget(self, time_column: Any, threshold: Any, mark_forgetting_records: bool = False) -> Table:
        """Removes rows once the largest time seen reaches ``time_column + threshold``."""
        from towpath.internals import behaviors

        return behaviors.forget(self, time_column, threshold, mark_forgetting_records)

    @user_errors
    def buffer(self, time_column: Any, threshold: Any) -> Table:
        """Holds rows until the largest time seen reaches ``time_column + threshold``."""
        from towpath.internals import behaviors

        return behaviors.buffer(self, time_column, threshold)

    @user_errors
    def ignore_late(self, time_column: Any, threshold: Any) -> Table:
        """Drops rows arriving after the largest time seen reached ``time_column + threshold``
        (listed by ``pw.temporal.late_rows``)."""
        from towpath.internals import behaviors

        return behaviors.ignore_late(self, time_column, threshold)

    @user_errors
    def filter_out_results_of_forgetting(self) -> Table:
        """Drops the consequences of ``forget(..., mark_forgetting_records=True)`` upstream."""
        from towpath.internals import behaviors

        return behaviors.filter_out_results_of_forgetting(self)

    def _forget(self, threshold_column: Any, time_column: Any, mark_forgetting_records: bool,
                instance_column: Any = None) -> Table:
        from towpath.internals import behaviors

        mode = {"Forget": {"mark": bool(mark_forgetting_records)}}
        return behaviors.table_gate(self, threshold_column, time_column, mode, instance_column)

    def _buffer(self, threshold_column: Any, time_column: Any, instance_column: Any = None) -> Table:
        from towpath.internals import behaviors

        return behaviors.table_gate(self, threshold_column, time_column, "Buffer", instance_column)

    def _freeze(self, threshold_column: Any, time_column: Any, instance_column: Any = None) -> Table:
        from towpath.internals import behaviors

        return behaviors.table_gate(self, threshold_column, time_column, "Freeze", instance_column)

    def join(self, other: Table, *on: Any, id: Any = None, how: Any = None, **kwargs: Any) -> Any:
        """Joins on ``self.col == other.col`` conditions (inner unless ``how`` says otherwise)."""
        from towpath.internals.joins import JoinMode, join

        return join(self, other, *on, id=id, how=how or JoinMode.INNER)

    def join_inner(self, other: Table, *on: Any, id: Any = None, **kwargs: Any) -> Any:
        from towpath.internals.joins import JoinMode, join

        return join(self, other, *on, id=id, how=JoinMode.INNER)

    def join_left(self, other: Table, *on: Any, id: Any = None, **kwargs: Any) -> Any:
        from towpath.internals.joins import JoinMode, join

        return join(self, other, *on, id=id, how=JoinMode.LEFT)

    def join_right(self, other: Table, *on: Any, id: Any = None, **kwargs: Any) -> Any:
        from towpath.internals.joins import JoinMode, join

        return join(self, other, *on, id=id, how=JoinMode.RIGHT)

    def join_outer(self, other: Table, *on: Any, id: Any = None, **kwargs: Any) -> Any:
        from towpath.internals.joins import JoinMode, join

        return join(self, other, *on, id=id, how=JoinMode.OUTER)


def _raise_key(name: str) -> int:
    raise KeyError(name)
