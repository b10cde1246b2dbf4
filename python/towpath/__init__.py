"""towpath: live data processing with a Pathway-compatible API (``import towpath as pw``).

>>> import towpath as pw
>>> t = pw.debug.table_from_markdown('''
...   | word
... 1 | a
... 2 | b
... 3 | a
... ''')
>>> counts = t.groupby(pw.this.word).reduce(pw.this.word, n=pw.reducers.count())
>>> pw.debug.compute_and_print(counts, include_id=False)
word | n
a    | 2
b    | 1
"""

from __future__ import annotations

from towpath import debug, demo, io, reducers, temporal, testing, udfs, universes
from towpath.internals import dtype as dt
from towpath.internals.errors import global_error_log, local_error_log
from towpath.internals.expression import ColumnExpression, ColumnReference
from towpath.internals.expressions import (
    cast,
    coalesce,
    declare_type,
    fill_error,
    if_else,
    make_tuple,
    require,
    unwrap,
)
from towpath.internals.groupby import GroupedTable
from towpath.internals.iterate import iterate, iterate_universe
from towpath.internals.joins import (
    JoinMode,
    JoinResult,
    join,
    join_inner,
    join_left,
    join_outer,
    join_right,
)
from towpath.internals.run import run, run_all
from towpath.internals.schema import (
    ColumnDefinition,
    Schema,
    column_definition,
    schema_builder,
    schema_from_dict,
    schema_from_pandas,
    schema_from_types,
)
from towpath.internals.table import Table
from towpath.internals.thisclass import left, right, this
from towpath.internals.udfs import UDF, apply, apply_async, apply_with_type, udf, udf_async
from towpath.internals.values import (
    ERROR,
    DateTimeNaive,
    DateTimeUtc,
    Duration,
    Json,
    Pointer,
)

__version__ = "0.1.0"


class MonitoringLevel:
    """Accepted for Pathway compatibility (towpath prints no dashboard)."""

    AUTO = "auto"
    AUTO_ALL = "auto_all"
    NONE = "none"
    IN_OUT = "in_out"
    ALL = "all"


def assert_table_has_schema(table: Table, schema: type, *, allow_superset: bool = True,
                            ignore_primary_keys: bool = True) -> None:
    """Raises AssertionError if the table's column types differ from the schema's."""
    mine = table.schema._dtypes()
    theirs = schema._dtypes()  # type: ignore[attr-defined]
    for name, t in theirs.items():
        if name not in mine:
            raise AssertionError(f"table has no column {name!r}")
        if mine[name] != t:
            raise AssertionError(f"column {name!r} has type {mine[name]!r}, expected {t!r}")
    if not allow_superset and set(mine) != set(theirs):
        raise AssertionError(f"table has extra columns {sorted(set(mine) - set(theirs))}")


__all__ = [
    "ERROR",
    "UDF",
    "ColumnDefinition",
    "ColumnExpression",
    "ColumnReference",
    "DateTimeNaive",
    "DateTimeUtc",
    "Duration",
    "GroupedTable",
    "JoinMode",
    "JoinResult",
    "Json",
    "MonitoringLevel",
    "Pointer",
    "Schema",
    "Table",
    "apply",
    "apply_async",
    "apply_with_type",
    "assert_table_has_schema",
    "cast",
    "coalesce",
    "column_definition",
    "debug",
    "declare_type",
    "demo",
    "dt",
    "fill_error",
    "global_error_log",
    "if_else",
    "io",
    "iterate",
    "iterate_universe",
    "join",
    "join_inner",
    "join_left",
    "join_outer",
    "join_right",
    "left",
    "local_error_log",
    "make_tuple",
    "reducers",
    "require",
    "right",
    "run",
    "run_all",
    "schema_builder",
    "schema_from_dict",
    "schema_from_pandas",
    "schema_from_types",
    "temporal",
    "testing",
    "this",
    "udf",
    "udf_async",
    "udfs",
    "universes",
    "unwrap",
]
