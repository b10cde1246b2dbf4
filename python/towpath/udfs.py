"""UDF helpers (``pw.udfs``): executors and caches are accepted for Pathway compatibility.

towpath calls a UDF in batches on the engine's workers; ``async`` functions run concurrently
within a batch. Executor and cache options do not change that yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from towpath.internals.udfs import UDF, udf, udf_async


@dataclass(frozen=True)
class Executor:
    """How a UDF is called (informative only in towpath)."""

    kind: str
    options: tuple = ()


def auto_executor() -> Executor:
    return Executor("auto")


def sync_executor() -> Executor:
    return Executor("sync")


def async_executor(*, capacity: int | None = None, timeout: float | None = None,
                   retry_strategy: Any = None) -> Executor:
    return Executor("async", (capacity, timeout))


def fully_async_executor(**kwargs: Any) -> Executor:
    return Executor("fully_async")


class CacheStrategy:
    """Base of UDF result caches (accepted, not used yet)."""


class InMemoryCache(CacheStrategy):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


class DiskCache(CacheStrategy):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


__all__ = [
    "UDF",
    "CacheStrategy",
    "DiskCache",
    "Executor",
    "InMemoryCache",
    "async_executor",
    "auto_executor",
    "fully_async_executor",
    "sync_executor",
    "udf",
    "udf_async",
]
