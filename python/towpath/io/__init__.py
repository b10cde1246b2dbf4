"""Connectors: sources (``read``) and sinks (``write``, ``subscribe``)."""

from towpath.io import csv, debezium, fs, jsonlines, kafka, null, plaintext, python, redpanda
from towpath.io._subscribe import subscribe
from towpath.io.csv import CsvParserSettings

__all__ = [
    "CsvParserSettings", "csv", "debezium", "fs", "jsonlines", "kafka", "null", "plaintext", "python", "redpanda",
    "subscribe",
]
