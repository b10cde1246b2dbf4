"""Universes: which tables share their set of row ids (needed to mix their columns).

Equality is a union-find; subset and disjointness are recorded facts (from operators or user
promises) checked through the equality classes.
"""

from __future__ import annotations

import itertools

_counter = itertools.count()


class Universe:
    """A set of row ids (identity only; the ids themselves are known at run time)."""

    def __init__(self, *, subset_of: Universe | None = None) -> None:
        self.number = next(_counter)
        self._parent: Universe = self
        self._supersets: set[Universe] = set()
        self._disjoint: set[Universe] = set()
        if subset_of is not None:
            self._supersets.add(subset_of)

    def root(self) -> Universe:
        u = self
        while u._parent is not u:
            u._parent = u._parent._parent
            u = u._parent
        return u

    def same(self, other: Universe) -> bool:
        """True if both are known to hold the same ids."""
        return self.root() is other.root()

    def promise_equal(self, other: Universe) -> None:
        """Records that both hold the same ids."""
        a, b = self.root(), other.root()
        if a is not b:
            b._parent = a
            a._supersets |= b._supersets
            a._disjoint |= b._disjoint

    def promise_subset_of(self, other: Universe) -> None:
        self.root()._supersets.add(other)

    def promise_disjoint(self, other: Universe) -> None:
        self.root()._disjoint.add(other)
        other.root()._disjoint.add(self)

    def supersets(self) -> list[Universe]:
        """Roots of every universe known to contain this one (itself included)."""
        seen: dict[int, Universe] = {}
        stack = [self.root()]
        while stack:
            u = stack.pop().root()
            if id(u) in seen:
                continue
            seen[id(u)] = u
            stack.extend(u._supersets)
        return list(seen.values())

    def is_subset_of(self, other: Universe) -> bool:
        target = other.root()
        return any(u is target for u in self.supersets())

    def is_disjoint_with(self, other: Universe) -> bool:
        mine = self.supersets()
        theirs = {id(u) for u in other.supersets()}
        return any(id(d.root()) in theirs for u in mine for d in u._disjoint)
