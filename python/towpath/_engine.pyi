"""Type stubs of the compiled engine module (built from ``crates/towpath-py``)."""

from collections.abc import Callable, Sequence
from typing import Any, Protocol

class _Callback(Protocol):
    def on_updates(self, time: int, updates: list[tuple[Any, tuple, int]]) -> None: ...
    def on_time_end(self, time: int) -> None: ...
    def on_end(self) -> None: ...

def run(
    plan_json: str,
    *,
    threads: int,
    udfs: Sequence[Callable[[list[tuple]], list]],
    callbacks: Sequence[_Callback],
    converters: dict[str, Any],
) -> dict[str, Any]:
    """Runs a plan (``towpath_plan::Plan`` as JSON) to completion; returns run statistics."""

def explain(plan_json: str) -> str:
    """Renders a plan (JSON) one node per line."""
