"""``groupby(...).reduce(...)``: a GroupBy node (keys, then one column per reducer) followed by
a Select computing the requested expressions over it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.context import Context, GroupContext
from towpath.internals.expression import ColumnExpression, ColumnReference, ThisColumn, wrap
from towpath.internals.trace import user_errors


class GroupedTable:
    """The result of ``groupby``; call ``reduce``."""

    def __init__(self, make_ctx: Callable[[], Any], keys: list[Any], id_key: Any,
                 all_columns: Callable[[Any], dict] | None, sort_by: Any = None) -> None:
        for k in keys:
            if not isinstance(k, ColumnExpression):
                raise TypeError(f"groupby() arguments have to be column references, found {k!r}.")
        self._make_ctx = make_ctx
        self._keys = [wrap(k) for k in keys]
        self._id_key = id_key
        self._all_columns = all_columns
        self._sort_by = None if sort_by is None else wrap(sort_by)

    @user_errors
    def reduce(self, *args: Any, **kwargs: Any) -> Any:
        """One row per group: grouping columns and reducer expressions."""
        from towpath.internals.table import Table, named_expressions

        inner: Context = self._make_ctx()
        keys = list(self._keys)
        id_mode = "Hash"
        if self._id_key is not None:
            id_expr = wrap(self._id_key)
            same = [i for i, k in enumerate(keys) if _same_ref(k, id_expr)]
            if same:
                keys.insert(0, keys.pop(same[0]))
            else:
                keys.insert(0, id_expr)
            id_mode = "FirstKey"
        compiled_keys = [inner.compile(k) for k in keys]
        if id_mode == "FirstKey" and compiled_keys[0].dtype not in (dt.POINTER, dt.ANY):
            raise TypeError(f"groupby(id=...) needs a Pointer column, found {compiled_keys[0].dtype!r}.")
        meta = [_key_meta(k) for k in keys]
        gctx = GroupContext(inner, meta, [k.dtype for k in compiled_keys], "")
        if self._sort_by is not None:
            gctx.sort_by = inner.compile(self._sort_by).expr

        def all_columns(arg: Any) -> dict:
            return {n: ThisColumn("this", n) for (_, n) in meta if n is not None and n not in arg.exclude}

        exprs = named_expressions(args, kwargs, all_columns)
        compiled = {n: gctx.compile(e) for n, e in exprs.items()}
        source = inner.node  # type: ignore[attr-defined]  # read after compiling (lazy joins)
        gparams = {
            "input": source, "keys": [k.expr for k in compiled_keys],
            "reducers": gctx.reducers, "id": id_mode,
        }
        gcols = [n or f"_key{i}" for i, (_, n) in enumerate(meta)] + [
            f"_reducer{i}" for i in range(len(gctx.reducers))
        ]
        gnode = plan.Node("GroupBy", gparams, [source], gcols)
        node = plan.Node(
            "Select", {"input": gnode, "exprs": [c.expr for c in compiled.values()]},
            [gnode], list(compiled),
        )
        return Table._from_node(node, {n: c.dtype for n, c in compiled.items()})


def _key_meta(k: ColumnExpression) -> tuple[Any, str | None]:
    if isinstance(k, ColumnReference):
        return (k.table, k.name)
    if isinstance(k, ThisColumn):
        return ("this", k.name)
    return (None, None)


def _same_ref(a: ColumnExpression, b: ColumnExpression) -> bool:
    ma, mb = _key_meta(a), _key_meta(b)
    return ma[1] is not None and ma[1] == mb[1] and (ma[0] is mb[0] or "this" in (ma[0], mb[0]))
