"""Table methods built on the engine's ordered operators: ``asof_join`` (and its ``_left``,
``_right``, ``_outer`` forms) and ``deduplicate``. A mixin of ``Table``; the work is in
``towpath.temporal._asof`` and ``towpath.internals.dedup``."""

from __future__ import annotations

from typing import Any

from towpath.internals.joins import JoinMode


class TableOrderedOps:
    """``Table.asof_join*`` and ``Table.deduplicate``."""

    def asof_join(self, other: Any, self_time: Any, other_time: Any, *on: Any, how: Any,
                  **kwargs: Any) -> Any:
        """Each row paired with the nearest row of ``other`` by time (see ``pw.temporal``)."""
        from towpath.temporal._asof import asof_join

        return asof_join(self, other, self_time, other_time, *on, how=how, **kwargs)

    def asof_join_left(self, other: Any, self_time: Any, other_time: Any, *on: Any,
                       **kwargs: Any) -> Any:
        """``asof_join(how=pw.JoinMode.LEFT)``."""
        return self.asof_join(other, self_time, other_time, *on, how=JoinMode.LEFT, **kwargs)

    def asof_join_right(self, other: Any, self_time: Any, other_time: Any, *on: Any,
                        **kwargs: Any) -> Any:
        """``asof_join(how=pw.JoinMode.RIGHT)``."""
        return self.asof_join(other, self_time, other_time, *on, how=JoinMode.RIGHT, **kwargs)

    def asof_join_outer(self, other: Any, self_time: Any, other_time: Any, *on: Any,
                        **kwargs: Any) -> Any:
        """``asof_join(how=pw.JoinMode.OUTER)``."""
        return self.asof_join(other, self_time, other_time, *on, how=JoinMode.OUTER, **kwargs)

    def deduplicate(self, *, value: Any, instance: Any = None, acceptor: Any,
                    name: str | None = None) -> Any:
        """Per instance, the latest row ``acceptor(new_value, old_value)`` accepted."""
        from towpath.internals.dedup import deduplicate

        table: Any = self
        return deduplicate(table, value=value, instance=instance, acceptor=acceptor, name=name)
