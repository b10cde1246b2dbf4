"""Lowering: the nodes needed by some outputs, in topological order, as a Plan JSON text.

Only nodes reachable from the requested outputs are kept. ``ErrorLog`` nodes (and what reads
them) come after every other node, because an error log collects the errors of the nodes before
it in the plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from towpath.internals.plan import CallbackRef, Node, SourceRef, UdfRef


@dataclass
class Lowered:
    """A plan ready for ``_engine.run``."""

    plan_json: str
    udfs: list[Any] = field(default_factory=list)
    callbacks: list[Any] = field(default_factory=list)
    # Push sources (ConnectorSubjects) in ``PushSpec.source`` order.
    sources: list[Any] = field(default_factory=list)
    index: dict[int, int] = field(default_factory=dict)  # Node.number -> position

    def plan(self) -> dict:
        """The plan as a Python dict (for inspection and tests)."""
        return json.loads(self.plan_json)


def topological(outputs: list[Node]) -> list[Node]:
    """Reachable nodes, inputs first, error-log dependents last."""
    order: list[Node] = []
    seen: set[int] = set()

    def visit(root: Node) -> None:
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            if node.number in seen:
                continue
            seen.add(node.number)
            stack.append((node, True))
            for inp in reversed(node.inputs):
                if inp.number not in seen:
                    stack.append((inp, False))

    for out in outputs:
        visit(out)
    tainted: set[int] = set()
    for node in order:
        if node.kind == "ErrorLog" or any(i.number in tainted for i in node.inputs):
            tainted.add(node.number)
    return [n for n in order if n.number not in tainted] + [
        n for n in order if n.number in tainted
    ]


def lower(outputs: list[Node]) -> Lowered:
    """The Plan JSON for ``outputs`` with its UDF and callback tables."""
    nodes = topological(outputs)
    result = Lowered(plan_json="")
    result.index = {n.number: i for i, n in enumerate(nodes)}
    udf_index: dict[int, int] = {}
    cb_index: dict[int, int] = {}

    def default(obj: Any) -> Any:
        if isinstance(obj, Node):
            return result.index[obj.number]
        if isinstance(obj, UdfRef):
            if id(obj) not in udf_index:
                udf_index[id(obj)] = len(result.udfs)
                result.udfs.append(obj.batch_fn)
            return udf_index[id(obj)]
        if isinstance(obj, CallbackRef):
            if id(obj) not in cb_index:
                cb_index[id(obj)] = len(result.callbacks)
                result.callbacks.append(obj.target)
            return cb_index[id(obj)]
        if isinstance(obj, SourceRef):
            result.sources.append(obj.subject)
            return len(result.sources) - 1
        raise TypeError(f"cannot lower {obj!r}")

    plan_nodes = []
    for n in nodes:
        kind: Any = n.kind if n.params is None else {n.kind: n.params}
        plan_nodes.append({"kind": kind, "columns": n.columns, "trace": n.trace})
    try:
        result.plan_json = json.dumps(
            {"nodes": plan_nodes}, default=default, allow_nan=False, separators=(",", ":")
        )
    except ValueError as exc:
        raise ValueError(
            "A constant in the program is NaN or infinite, which the plan cannot carry yet."
        ) from exc
    return result
