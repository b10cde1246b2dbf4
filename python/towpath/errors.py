"""Exceptions raised by towpath (build-time problems are standard Python exceptions:
``KeyError``/``AttributeError`` for missing columns, ``TypeError`` for type mismatches,
``ValueError`` for bad arguments, as Pathway does)."""

from __future__ import annotations


class TowpathError(Exception):
    """Base class of towpath-specific errors."""


class EngineError(TowpathError, RuntimeError):
    """The engine stopped: a source or sink failed, or the plan was rejected."""


class PlanError(TowpathError, ValueError):
    """The engine rejected the plan built from the program (a towpath bug)."""


class OtherWorkerError(TowpathError):
    """Placeholder for a failure in another worker (multi-process runs)."""


__all__ = ["EngineError", "OtherWorkerError", "PlanError", "TowpathError"]
