"""Reducers for ``groupby(...).reduce(...)`` (``pw.reducers.sum(pw.this.x)``)."""

from towpath.internals.reducers import (
    any,
    argmax,
    argmin,
    avg,
    count,
    count_distinct,
    earliest,
    latest,
    max,
    min,
    ndarray,
    sorted_tuple,
    sum,
    tuple,
    unique,
)

__all__ = [
    "any", "argmax", "argmin", "avg", "count", "count_distinct", "earliest", "latest", "max",
    "min", "ndarray", "sorted_tuple", "sum", "tuple", "unique",
]
