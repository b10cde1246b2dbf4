"""CSV files: ``pw.io.csv.read`` and ``pw.io.csv.write`` (Pathway's format, with time and diff)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from towpath.internals.trace import user_errors
from towpath.io._utils import read_table, write_table


@dataclass
class CsvParserSettings:
    """CSV dialect of ``csv.read`` / ``fs.read(format="csv")``."""

    delimiter: str = ","
    quote: str = '"'
    escape: str | None = None
    enable_double_quote_escapes: bool = True
    enable_quoting: bool = True
    comment_character: str | None = None

    def to_plan(self) -> dict:
        """``towpath_plan::CsvSettings``."""
        return {
            "delimiter": self.delimiter,
            # No quoting: a quote character that cannot occur in text.
            "quote": self.quote if self.enable_quoting else "\0",
            "escape": self.escape,
            "enable_double_quote_escapes": self.enable_double_quote_escapes,
            "comment_character": self.comment_character,
        }


@user_errors
def read(
    path: str | os.PathLike, *, schema: Any = None, csv_settings: CsvParserSettings | None = None,
    mode: str = "streaming", object_pattern: str = "*", with_metadata: bool = False,
    autocommit_duration_ms: int | None = 1500, name: str | None = None, **kwargs: Any,
) -> Any:
    """Reads CSV files (a file or every file of a directory) with a header row.

    >>> import towpath as pw
    >>> class S(pw.Schema):
    ...     word: str
    >>> t = pw.io.csv.read("words.csv", schema=S, mode="static")
    """
    settings = (csv_settings or CsvParserSettings()).to_plan()
    return read_table(path, {"Csv": settings}, schema, mode, with_metadata=with_metadata,
                      autocommit_duration_ms=autocommit_duration_ms, name=name)


@user_errors
def write(table: Any, filename: str | os.PathLike, *, name: str | None = None,
          sort_by: Any = None) -> None:
    """Writes the table's update stream as CSV (columns, then ``time`` and ``diff``)."""
    write_table(table, {"Csv": {"path": os.fspath(filename), "columns": list(table._columns)}})


__all__ = ["CsvParserSettings", "read", "write"]
