"""Connectors: sources (``read``) and sinks (``write``, ``subscribe``)."""

from towpath.io import csv, fs, jsonlines, null, plaintext, python
from towpath.io._subscribe import subscribe
from towpath.io.csv import CsvParserSettings

__all__ = ["CsvParserSettings", "csv", "fs", "jsonlines", "null", "plaintext", "python", "subscribe"]
