"""Table operations across row sets: concat, update_rows/cells, flatten, split, intersect,
difference, restrict, universe promises (a mixin of ``Table``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.trace import user_errors
from towpath.internals.universe import Universe

if TYPE_CHECKING:
    from towpath.internals.table import Table


def _conformed(table: Table, names: list[str], types: dict[str, dt.DType]) -> plan.Node:
    """``table``'s node with columns in ``names`` order, ints cast where the type is float."""
    own = list(table._columns)
    exprs = []
    changed = own != names
    for n in names:
        e = plan.col(own.index(n))
        if types[n].strip_optional() == dt.FLOAT and table._columns[n].strip_optional() == dt.INT:
            e = plan.cast(e, "Float")
            changed = True
        exprs.append(e)
    if not changed:
        return table._node
    return plan.Node("Select", {"input": table._node, "exprs": exprs}, [table._node], names)


def _unified_columns(tables: list[Table], method: str) -> dict[str, dt.DType]:
    first = tables[0]
    names = list(first._columns)
    for other in tables[1:]:
        if set(other._columns) != set(names):
            missing = set(names) - set(other._columns)
            extra = set(other._columns) - set(names)
            raise ValueError(
                f"columns do not match in the argument of Table.{method}(). "
                f"Missing columns: {missing or 'set()'}. Superfluous columns: {extra or 'set()'}."
            )
    types = {}
    for n in names:
        t: dt.DType | None = first._columns[n]
        for other in tables[1:]:
            t = dt.unify(t, other._columns[n]) if t is not None else None
        if t is None:
            raise TypeError(
                f"Incompatible types for column {n!r} in Table.{method}(): "
                + ", ".join(repr(x._columns[n]) for x in tables)
            )
        types[n] = t
    return types


class TableSetOps:
    """Row-set operations of ``Table``."""

    @user_errors
    def concat(self: Any, *others: Table) -> Table:
        """Union of tables with disjoint ids (promise it with ``promise_universes_are_disjoint``)."""
        tables = [self, *others]
        _unified_columns(tables, "concat")
        for i, a in enumerate(tables):
            for b in tables[i + 1:]:
                if not a._universe.is_disjoint_with(b._universe):
                    raise ValueError(
                        "Universes of the arguments of Table.concat() have to be disjoint.\n"
                        "Consider using Table.promise_universes_are_disjoint() to assert it.\n"
                        "(However, untrue assertion might result in runtime errors.)"
                    )
        return _union(tables, "Concat", "concat")

    @user_errors
    def concat_reindex(self: Any, *others: Table) -> Table:
        """Union of tables, with fresh ids."""
        return _union([self, *others], "ConcatReindex", "concat_reindex")

    @user_errors
    def update_rows(self: Any, other: Table) -> Table:
        """Rows of ``other`` replace (or add to) rows of this table with the same id."""
        from towpath.internals.table import Table

        if set(self._columns) != set(other._columns):
            raise ValueError(
                "Columns do not match between argument of Table.update_rows() and the updated "
                f"table: {list(other._columns)} vs {list(self._columns)}."
            )
        types = _unified_columns([self, other], "update_rows")
        names = list(self._columns)
        base, upd = _conformed(self, names, types), _conformed(other, names, types)
        node = plan.Node("UpdateRows", {"base": base, "updates": upd}, [base, upd], names)
        if other._universe.is_subset_of(self._universe):
            universe = self._universe
        else:
            universe = Universe()
            self._universe.promise_subset_of(universe)
            other._universe.promise_subset_of(universe)
        return Table._from_node(node, types, universe)

    @user_errors
    def update_cells(self: Any, other: Table) -> Table:
        """For ids of ``other`` (a subset of this table's), its columns replace these."""
        from towpath.internals.table import Table

        if not other._universe.is_subset_of(self._universe):
            raise ValueError(
                "Universe of the argument of Table.update_cells() needs to be a subset of the "
                "universe of the updated table.\nConsider using "
                "Table.promise_universe_is_subset_of() to assert this.\n"
                "(However, untrue assertion might result in runtime errors.)"
            )
        extra = set(other._columns) - set(self._columns)
        if extra:
            raise ValueError(
                f"Columns of the argument in Table.update_cells() not present in the updated "
                f"table: {sorted(extra)}."
            )
        upd_names = list(other._columns)
        columns = [upd_names.index(n) if n in other._columns else None for n in self._columns]
        types = {}
        for n, t in self._columns.items():
            u = dt.unify(t, other._columns[n]) if n in other._columns else t
            types[n] = u if u is not None else t
        params = {"base": self._node, "updates": other._node, "columns": columns}
        node = plan.Node("UpdateCells", params, [self._node, other._node], list(self._columns))
        return Table._from_node(node, types, self._universe)

    def __lshift__(self: Any, other: Table) -> Table:
        return self.update_cells(other)

    @user_errors
    def flatten(self: Any, to_flatten: Any, *, origin_id: str | None = None) -> Table:
        """One row per element of ``to_flatten``, which comes first among the columns."""
        from towpath.internals.table import Table

        name = to_flatten if isinstance(to_flatten, str) else to_flatten.name
        if name not in self._columns:
            from towpath.internals.context import missing_column

            raise missing_column(name, self._columns)
        src = self._node
        names = list(self._columns)
        if origin_id is not None:
            exprs = [plan.col(i) for i in range(len(names))] + [plan.ID]
            src = plan.Node("Select", {"input": src, "exprs": exprs}, [src], [*names, origin_id])
            names = [*names, origin_id]
        pos = names.index(name)
        flat = plan.Node("Flatten", {"input": src, "column": pos}, [src], names)
        order = [pos] + [i for i in range(len(names)) if i != pos]
        out = [names[i] for i in order]
        node = plan.Node("Select", {"input": flat, "exprs": [plan.col(i) for i in order]},
                         [flat], out)
        types = dict(self._columns)
        if origin_id is not None:
            types[origin_id] = dt.POINTER
        types[name] = _element_type(self._columns[name])
        return Table._from_node(node, {n: types[n] for n in out})

    @user_errors
    def split(self: Any, split_expression: Any) -> tuple[Table, Table]:
        """(rows where the expression is true, the other rows)."""
        from towpath.internals.expression import wrap

        expr = wrap(split_expression)
        positive = self.filter(expr)
        negative = self.filter(~expr)
        positive._universe.promise_disjoint(negative._universe)
        return positive, negative

    @user_errors
    def intersect(self: Any, *tables: Table) -> Table:
        """Rows of this table whose id is in every other table."""
        from towpath.internals.table import Table

        nodes = [t._node for t in tables]
        node = plan.Node("Intersect", {"input": self._node, "others": nodes},
                         [self._node, *nodes], list(self._columns))
        universe = Universe(subset_of=self._universe)
        for t in tables:
            universe.promise_subset_of(t._universe)
        return Table._from_node(node, self._columns, universe)

    @user_errors
    def difference(self: Any, other: Table) -> Table:
        """Rows of this table whose id is not in ``other``."""
        from towpath.internals.table import Table

        node = plan.Node("Difference", {"input": self._node, "other": other._node},
                         [self._node, other._node], list(self._columns))
        universe = Universe(subset_of=self._universe)
        universe.promise_disjoint(other._universe)
        return Table._from_node(node, self._columns, universe)

    @user_errors
    def restrict(self: Any, other: Table) -> Table:
        """Rows of this table whose id is in ``other`` (whose ids must be a subset)."""
        from towpath.internals.table import Table

        if not other._universe.is_subset_of(self._universe):
            raise ValueError(
                "Table.restrict(): other universe has to be a subset of self universe."
                "Consider using Table.promise_universe_is_subset_of() to assert it."
            )
        node = plan.Node("Intersect", {"input": self._node, "others": [other._node]},
                         [self._node, other._node], list(self._columns))
        return Table._from_node(node, self._columns, other._universe)

    @user_errors
    def with_universe_of(self: Any, other: Any) -> Table:
        """This table, declared to have the same ids as ``other``."""
        self._universe.promise_equal(other._universe)
        return self.copy()

    def promise_universes_are_disjoint(self: Any, other: Any) -> Any:
        """Declares that this table and ``other`` have no id in common."""
        self._universe.promise_disjoint(other._universe)
        return self

    def promise_universe_is_subset_of(self: Any, other: Any) -> Any:
        """Declares that this table's ids are all in ``other``."""
        self._universe.promise_subset_of(other._universe)
        return self

    def promise_universe_is_equal_to(self: Any, other: Any) -> Any:
        """Declares that this table and ``other`` have the same ids."""
        self._universe.promise_equal(other._universe)
        return self

    @staticmethod
    def empty(**kwargs: Any) -> Table:
        """A table with no rows and the given column types."""
        from towpath.internals.table import Table

        types = {n: dt.wrap(t) for n, t in kwargs.items()}
        node = plan.Node("Static", {"rows": []}, [], list(types))
        return Table._from_node(node, types)


def _union(tables: list[Table], kind: str, method: str) -> Table:
    from towpath.internals.table import Table

    types = _unified_columns(tables, method)
    names = list(tables[0]._columns)
    nodes = [_conformed(t, names, types) for t in tables]
    node = plan.Node(kind, {"inputs": nodes}, nodes, names)
    universe = Universe()
    if kind == "Concat":
        for t in tables:
            t._universe.promise_subset_of(universe)
    return Table._from_node(node, types, universe)


def _element_type(t: dt.DType) -> dt.DType:
    inner = t.strip_optional()
    if isinstance(inner, dt.List):
        return inner.wrapped
    if isinstance(inner, dt.Tuple):
        return dt.ANY
    if inner in (dt.JSON, dt.STR, dt.ANY):
        return inner
    raise TypeError(f"Cannot flatten column of type {t!r}.")

