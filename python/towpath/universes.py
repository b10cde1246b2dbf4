"""Promises about tables' sets of row ids (``pw.universes.promise_is_subset_of``...)."""

from __future__ import annotations

from typing import Any


def promise_is_subset_of(table: Any, *others: Any) -> None:
    """Declares that ``table``'s ids are in each of ``others``."""
    for other in others:
        table._universe.promise_subset_of(other._universe)


def promise_are_equal(*tables: Any) -> None:
    """Declares that all ``tables`` have the same ids."""
    for other in tables[1:]:
        tables[0]._universe.promise_equal(other._universe)


def promise_are_pairwise_disjoint(*tables: Any) -> None:
    """Declares that no two of ``tables`` share an id."""
    for i, a in enumerate(tables):
        for b in tables[i + 1:]:
            a._universe.promise_disjoint(b._universe)


__all__ = ["promise_are_equal", "promise_are_pairwise_disjoint", "promise_is_subset_of"]
