"""Running plans: ``pw.run`` (every registered output) and captures for ``pw.debug``.

Writers and subscribers register ``Output`` nodes here; ``run`` lowers them into one plan and
hands it to the engine (``towpath._engine.run``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from towpath.errors import EngineError, PlanError
from towpath.internals import plan
from towpath.internals.lowering import lower
from towpath.internals.trace import user_errors
from towpath.internals.values import converters

_OUTPUTS: list[plan.Node] = []


def register_output(node: plan.Node) -> None:
    """Adds an ``Output`` node to what the next ``pw.run()`` executes."""
    _OUTPUTS.append(node)


def clear_outputs() -> None:
    """Forgets every registered output (also done after each ``pw.run``)."""
    _OUTPUTS.clear()


def output_node(table: Any, sink: Any) -> plan.Node:
    """An ``Output`` node writing ``table`` to ``sink`` (serde ``SinkSpec``)."""
    return plan.Node("Output", {"input": table._node, "sink": sink}, [table._node], [])


def thread_count(threads: int | None = None) -> int:
    """Worker threads: argument, else ``TOWPATH_THREADS``, else ``PATHWAY_THREADS``, else 1."""
    if threads is None:
        for var in ("TOWPATH_THREADS", "PATHWAY_THREADS"):
            value = os.environ.get(var)
            if value:
                threads = int(value)
                break
    threads = 1 if threads is None else int(threads)
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    return threads


def _engine() -> Any:
    try:
        from towpath import _engine
    except ImportError as exc:  # pragma: no cover - only without a build
        raise ImportError(
            "towpath's engine module (towpath._engine) is not built; run `make build`."
        ) from exc
    return _engine


def execute(outputs: list[plan.Node], threads: int | None = None) -> dict:
    """Lowers ``outputs`` and runs them to completion; returns the engine's statistics."""
    lowered = lower(outputs)
    engine = _engine()
    values = converters()
    # Python subjects push into engine queues from their own threads, started before the run
    # (the queues hold what they push until the engine drains them).
    queues = [subject._start(engine.PushQueue(values)) for subject in lowered.sources]
    try:
        return engine.run(
            lowered.plan_json,
            threads=thread_count(threads),
            udfs=lowered.udfs,
            callbacks=lowered.callbacks,
            converters=values,
            sources=queues,
        )
    except (ValueError, RuntimeError) as exc:
        # A subject whose run() raised stops the run; its own exception is what the user sees.
        for subject in lowered.sources:
            if subject._exception is not None:
                raise subject._exception from None
        # Errors raised by the engine itself have no deeper frames; a callback's own
        # exception (which may also be a ValueError) keeps its traceback and passes unchanged.
        tb = exc.__traceback__
        if tb is not None and tb.tb_next is None:
            kind = PlanError if isinstance(exc, ValueError) else EngineError
            raise kind(str(exc)) from None
        raise
    finally:
        for subject in lowered.sources:
            subject._stopped()


def explain(outputs: list[plan.Node]) -> str:
    """The engine's one-line-per-node rendering of the plan computing ``outputs``."""
    return str(_engine().explain(lower(outputs).plan_json))


@user_errors
def run(*, threads: int | None = None, **kwargs: Any) -> dict | None:
    """Runs every output registered by writers and subscribers until the inputs are exhausted.

    ``monitoring_level``, ``debug``, ``with_http_server``, ``persistence_config``... are accepted
    for Pathway compatibility and ignored.
    """
    outputs = list(_OUTPUTS)
    if not outputs:
        return None
    try:
        with _sigterm_as_interrupt():
            stats = execute(outputs, threads)
    finally:
        clear_outputs()
    log_stats(stats)
    return stats


def log_stats(stats: dict) -> None:
    """Logs what a run's statistics say the user should know (rows ignored as late)."""
    late = stats.get("late_rows", 0)
    if late:
        logging.getLogger("towpath").warning(
            "%d late row(s) were ignored by a cutoff or ignore_late; "
            "pw.temporal.late_rows(result) lists them.", late)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """During a run, SIGTERM stops the engine cleanly as Ctrl-C does (the engine polls for
    ``KeyboardInterrupt``); the previous handler comes back afterwards.

    Signal handlers can only be set from the main thread; elsewhere SIGTERM keeps its handler.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        # `None`: the previous handler was not set from Python and cannot be put back.
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def run_all(*, threads: int | None = None, **kwargs: Any) -> dict | None:
    """Same as ``run``."""
    return run(threads=threads, **kwargs)


@dataclass
class Capture:
    """A callback sink collecting ``(key, row, time, diff)`` updates."""

    updates: list[tuple[Any, tuple, int, int]] = field(default_factory=list)
    ended: bool = False

    def on_updates(self, time: int, updates: list) -> None:
        for key, row, diff in updates:
            self.updates.append((key, tuple(row), time, diff))

    def on_time_end(self, time: int) -> None:
        pass

    def on_end(self) -> None:
        self.ended = True


def capture(tables: list[Any], threads: int | None = None) -> list[Capture]:
    """Runs just what ``tables`` need and returns their update streams."""
    caps = [Capture() for _ in tables]
    outputs = [
        output_node(t, {"Callback": {"index": plan.CallbackRef(c)}}) for t, c in zip(tables, caps, strict=False)
    ]
    execute(outputs, threads)
    return caps


def squash(cap: Capture) -> dict[Any, tuple]:
    """The final state of a captured stream: ``{key: row}``."""
    state: dict[Any, dict[tuple, int]] = {}
    for key, row, _time, diff in cap.updates:
        rows = state.setdefault(key, {})
        rows[row] = rows.get(row, 0) + diff
    out = {}
    for key, rows in state.items():
        live = [r for r, d in rows.items() if d != 0]
        for r in live:
            if rows[r] != 1:
                raise KeyError(f"row {key} has multiplicity {rows[r]} in the final state")
        if len(live) > 1:
            raise KeyError(f"duplicated entries for key {key}")
        if live:
            out[key] = live[0]
    return out
