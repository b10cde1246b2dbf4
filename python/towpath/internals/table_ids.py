"""Table operations about row ids: ``pointer_from``, ``with_id``, ``with_id_from``, ``ix``,
``ix_ref``, and ``remove_errors`` (a mixin of ``Table``)."""

from __future__ import annotations

from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.context import TableContext
from towpath.internals.expression import wrap
from towpath.internals.trace import user_errors
from towpath.internals.universe import Universe


class TableIdOps:
    """Id-related methods of ``Table``."""

    # Ids --------------------------------------------------------------------------------------
    def pointer_from(self: Any, *args: Any, optional: bool = False, instance: Any = None) -> Any:
        """The id a row with these primary-key values gets (``Key::for_values``)."""
        from towpath.internals.expressions import PointerFromExpression

        if instance is not None:
            args = (*args, instance)
        return PointerFromExpression(*args, optional=optional)

    @user_errors
    def with_id(self: Any, new_index: Any) -> Any:
        """The table re-keyed by a Pointer expression."""
        ctx = TableContext(self)
        key = ctx.compile(wrap(new_index))
        if key.dtype not in (dt.POINTER, dt.ANY):
            raise TypeError(
                "Pathway supports reindexing Tables with Pointer type only. The type used was "
                f"{key.dtype!r}."
            )
        node = plan.Node("Reindex", {"input": ctx.node, "id": key.expr}, [ctx.node],
                         ctx.node.columns)
        return type(self)._from_node(ctx.project_back(node), self._columns)

    @user_errors
    def with_id_from(self: Any, *args: Any, instance: Any = None) -> Any:
        """The table re-keyed by hashing values (as a primary key would)."""
        return self.with_id(self.pointer_from(*args, instance=instance))

    @user_errors
    def ix(self: Any, expression: Any, *, optional: bool = False, context: Any = None,
           allow_misses: bool = False) -> Any:
        """Rows of this table at the ids given by ``expression`` (a Pointer column)."""
        from towpath.internals.ix import make_ix

        return make_ix(self, expression, optional or allow_misses)

    @user_errors
    def ix_ref(self: Any, *args: Any, optional: bool = False, context: Any = None,
               instance: Any = None) -> Any:
        """Rows of this table whose primary key is ``args`` (``ix(pointer_from(*args))``)."""
        from towpath.internals.ix import make_ix

        return make_ix(self, self.pointer_from(*args, instance=instance), optional)

    @user_errors
    def remove_errors(self: Any) -> Any:
        """Rows without an error value in any column."""
        # An error propagates through IsNone/IsNotNone; fill_error turns it into false.
        checks = []
        for i in range(len(self._columns)):
            c = plan.col(i)
            known = plan.binary("Or", plan.unary("IsNone", c), plan.unary("IsNotNone", c))
            checks.append(plan.fill_error(known, plan.const(False)))
        pred = plan.const(True)
        for check in checks:
            pred = check if pred == plan.const(True) else plan.binary("And", pred, check)
        node = plan.Node("Filter", {"input": self._node, "predicate": pred}, [self._node],
                         list(self._columns))
        return type(self)._from_node(node, self._columns, Universe(subset_of=self._universe))
