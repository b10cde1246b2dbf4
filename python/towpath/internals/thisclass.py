"""``pw.this``, ``pw.left``, ``pw.right``: column references resolved by the context they are
used in (the table a method is called on, or the sides of a join)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from towpath.internals.expression import AllColumns, ColumnExpression, ThisColumn


class _This:
    """A placeholder table: ``pw.this.a``, ``pw.this["a"]``, ``*pw.this``."""

    __slots__ = ("_exclude", "_kind")

    def __init__(self, kind: str, exclude: tuple[str, ...] = ()) -> None:
        self._kind = kind
        self._exclude = exclude

    def __getattr__(self, name: str) -> ColumnExpression:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return ThisColumn(self._kind, name)

    def __getitem__(self, name: Any) -> Any:
        if isinstance(name, (list, tuple)):
            return [self[n] for n in name]
        if isinstance(name, ThisColumn):
            name = name.name
        return ThisColumn(self._kind, name)

    def __iter__(self) -> Iterator[Any]:
        yield AllColumns(self._kind, self._exclude)

    def without(self, *columns: Any) -> _This:
        """All columns except these (``*pw.this.without("a")``)."""
        names = tuple(c if isinstance(c, str) else c.name for c in columns)
        return _This(self._kind, self._exclude + names)

    def pointer_from(self, *args: Any, optional: bool = False, instance: Any = None) -> Any:
        from towpath.internals.expressions import PointerFromExpression

        if instance is not None:
            args = (*args, instance)
        return PointerFromExpression(*args, optional=optional)

    def ix(self, key: Any, *, optional: bool = False, allow_misses: bool = False,
           context: Any = None) -> Any:
        raise NotImplementedError(f"pw.{self._kind}.ix is not supported; use table.ix(...)")

    @property
    def id(self) -> ColumnExpression:
        return ThisColumn(self._kind, "id")

    def __repr__(self) -> str:
        return f"pathway.{self._kind}"


this = _This("this")
left = _This("left")
right = _This("right")
