"""Shared connector plumbing: Read nodes for file sources, Output nodes for sinks."""

from __future__ import annotations

import os
from typing import Any

from towpath.internals import dtype as dt
from towpath.internals import plan
from towpath.internals.run import output_node, register_output
from towpath.internals.schema import is_schema

# The engine runs streaming file sources (Mode::Streaming): they run until the run is stopped.
STREAMING_SUPPORTED = True


def check_mode(mode: str) -> str:
    """The Plan's ``Mode`` for Pathway's ``mode=`` argument."""
    if mode == "static":
        return "Static"
    if mode == "streaming":
        if not STREAMING_SUPPORTED:
            raise NotImplementedError(
                "mode='streaming' is not supported by towpath's engine yet; "
                "pass mode='static' to read the files once."
            )
        return "Streaming"
    raise ValueError(f"mode has to be 'static' or 'streaming', got {mode!r}")


def read_table(
    path: Any, fmt: Any, schema: Any, mode: str, *, with_metadata: bool = False,
    autocommit_duration_ms: int | None = None, name: str | None = None,
) -> Any:
    """A table read by a file connector (``SourceSpec``)."""
    if not is_schema(schema):
        raise TypeError(f"schema has to be a pw.Schema class, got {schema!r}")
    if mode == "streaming":
        from towpath.io.fs._watch import check_streaming_path

        check_streaming_path(path)
    plan_schema = schema.to_plan()
    spec = {
        "path": os.fspath(path),
        "format": fmt,
        "schema": plan_schema,
        "mode": check_mode(mode),
        "with_metadata": with_metadata,
        "autocommit_duration_ms": autocommit_duration_ms,
        "name": name,
    }
    return source_table("Read", spec, schema, with_metadata)


def source_table(kind: str, spec: dict, schema: Any, with_metadata: bool) -> Any:
    """The table of a connector node ``kind`` reading ``schema``'s columns, with Pathway's
    ``_metadata`` column first when asked (the engine appends it last)."""
    from towpath.internals.table import Table

    columns = dict(schema._dtypes())
    node = plan.Node(kind, spec, [], list(columns) + (["_metadata"] if with_metadata else []))
    if with_metadata:
        n = len(columns)
        exprs = [plan.col(n)] + [plan.col(i) for i in range(n)]
        columns = {"_metadata": dt.JSON, **columns}
        node = plan.Node("Select", {"input": node, "exprs": exprs}, [node], list(columns))
    table = Table._from_node(node, columns)
    table._pk = schema.primary_key_columns()
    return table


def write_table(table: Any, sink: Any) -> None:
    """Registers an Output node for the next ``pw.run()``."""
    register_output(output_node(table, sink))
