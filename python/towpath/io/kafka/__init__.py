"""Apache Kafka: ``pw.io.kafka.read`` (messages of topics become a live table) and
``pw.io.kafka.write`` (one message per update).

Every worker thread consumes its share of the partitions with librdkafka, commits the rows
every ``autocommit_duration_ms`` and commits the consumer offsets back to Kafka only once every
output has processed the rows that hold them (and at a clean stop), so a restart with the same
group resumes after the last processed message. See docs/kafka.md.
"""

from __future__ import annotations

from typing import Any

from towpath.internals import dtype as dt
from towpath.internals.schema import is_schema, schema_from_dtypes
from towpath.internals.trace import user_errors
from towpath.io._utils import source_table, write_table

_FORMATS = {"raw": "Binary", "plaintext": "Plaintext"}


def _settings(rdkafka_settings: Any) -> list[list[str]]:
    if not isinstance(rdkafka_settings, dict):
        raise TypeError(f"rdkafka_settings has to be a dict, got {rdkafka_settings!r}")
    return [[str(k), _setting_value(v)] for k, v in rdkafka_settings.items()]


def _setting_value(v: Any) -> str:
    # librdkafka takes strings; Python users write booleans and numbers.
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _topics(topic: Any) -> list[str]:
    topics = [topic] if isinstance(topic, str) else list(topic or [])
    if not topics or not all(isinstance(t, str) and t for t in topics):
        raise ValueError(f"topic has to be a topic name or a list of them, got {topic!r}")
    return topics


@user_errors
def read(
    rdkafka_settings: dict, topic: str | list[str] | None = None, *, schema: Any = None,
    mode: str = "streaming", format: str = "raw", schema_registry_settings: Any = None,
    debug_data: Any = None, autocommit_duration_ms: int | None = 1500,
    json_field_paths: dict[str, str] | None = None, autogenerate_key: bool = False,
    with_metadata: bool = False, start_from_timestamp_ms: int | None = None,
    parallel_readers: int | None = None, name: str | None = None,
    max_backlog_size: int | None = None, csv_settings: Any = None, **kwargs: Any,
) -> Any:
    """Reads messages of Kafka ``topic`` (one name or a list) into a live table.

    ``format="json"`` parses each message as a JSON object into ``schema``'s columns (by name,
    or by the JSON pointers of ``json_field_paths``); ``"csv"`` (a towpath addition: Pathway 0.33
    refuses it) parses each message as one CSV record of ``schema``'s columns in order, in the
    dialect of ``csv_settings`` (a ``pw.io.csv.CsvParserSettings``, default comma and double
    quotes); ``"plaintext"`` and ``"raw"`` give the columns ``key`` (the message key, or None)
    and ``data`` (str, or bytes for raw). With several worker threads, each consumes its share
    of the partitions (partition ``p`` on worker ``p % threads``); ``start_from_timestamp_ms``
    starts every partition at its first message at or after that time.
    ``with_metadata=True`` adds a ``_metadata`` Json column (topic, partition, offset,
    timestamp_millis). A message that does not parse goes to ``pw.global_error_log()`` with its
    topic, partition and offset; the stream goes on. With primary-key columns in ``schema``, a
    message replaces the row with the same key.

    >>> import towpath as pw
    >>> class Words(pw.Schema):
    ...     word: str
    >>> settings = {"bootstrap.servers": "127.0.0.1:9092", "group.id": "wordcount",
    ...             "auto.offset.reset": "earliest"}
    >>> words = pw.io.kafka.read(settings, "words", schema=Words, format="json")
    >>> counts = words.groupby(pw.this.word).reduce(pw.this.word, n=pw.reducers.count())
    """
    if mode != "streaming":
        raise NotImplementedError("pw.io.kafka.read supports mode='streaming' only")
    if schema_registry_settings is not None:
        raise NotImplementedError("schema_registry_settings is not supported by towpath yet")
    if autocommit_duration_ms is not None and (
        isinstance(autocommit_duration_ms, bool) or not isinstance(autocommit_duration_ms, int)
        or autocommit_duration_ms < 1
    ):
        raise ValueError(f"autocommit_duration_ms has to be a positive int or None, got {autocommit_duration_ms!r}")
    if format == "json":
        if schema is None:
            raise ValueError("format='json' needs a schema")
        fmt: Any = {"JsonLines": {"field_paths": [[k, v] for k, v in (json_field_paths or {}).items()]}}
    elif format == "csv":
        if schema is None:
            raise ValueError("format='csv' needs a schema")
        from towpath.io.csv import CsvParserSettings

        if csv_settings is not None and not isinstance(csv_settings, CsvParserSettings):
            raise TypeError(f"csv_settings has to be a pw.io.csv.CsvParserSettings, got {csv_settings!r}")
        fmt = {"Csv": (csv_settings or CsvParserSettings()).to_plan()}
    elif format in _FORMATS:
        fmt = _FORMATS[format]
        if schema is None:
            data = dt.BYTES if format == "raw" else dt.STR
            schema = schema_from_dtypes({"key": dt.Optional(data), "data": data})
    else:
        raise ValueError(f"format has to be 'json', 'csv', 'plaintext' or 'raw', got {format!r}")
    if not is_schema(schema):
        raise TypeError(f"schema has to be a pw.Schema class, got {schema!r}")
    if start_from_timestamp_ms is not None and (
        isinstance(start_from_timestamp_ms, bool) or not isinstance(start_from_timestamp_ms, int)
    ):
        raise TypeError(f"start_from_timestamp_ms has to be an int (epoch milliseconds), got {start_from_timestamp_ms!r}")
    return _source(rdkafka_settings, topic, fmt, schema, with_metadata, autocommit_duration_ms,
                   start_from_timestamp_ms, name, debezium=False)


def _source(rdkafka_settings: Any, topic: Any, fmt: Any, schema: Any, with_metadata: bool,
            autocommit_duration_ms: int | None, start_from_timestamp_ms: int | None,
            name: str | None, *, debezium: bool) -> Any:
    """The Kafka read node (shared with ``pw.io.debezium.read``)."""
    spec = {
        "settings": _settings(rdkafka_settings),
        "topics": _topics(topic),
        "format": fmt,
        "schema": schema.to_plan(),
        "with_metadata": with_metadata,
        "autocommit_duration_ms": autocommit_duration_ms,
        "start_from_timestamp_ms": start_from_timestamp_ms,
        "name": name,
        "debezium": debezium,
    }
    return source_table("Kafka", spec, schema, with_metadata)


def _column(table: Any, ref: Any, what: str, types: tuple = ()) -> int:
    name = getattr(ref, "name", None)
    columns = list(table._columns)
    if not isinstance(name, str) or name not in columns:
        raise ValueError(f"{what} has to be a column of the written table, got {ref!r}")
    dtype = table._columns[name]
    if types and dtype not in types:
        allowed = ", ".join(str(t) for t in types)
        raise ValueError(f"the {what} column {name!r} has type {dtype}; it has to be one of {allowed}")
    return columns.index(name)


@user_errors
def write(
    table: Any, rdkafka_settings: dict, topic_name: str, *, format: str = "json",
    schema_registry_settings: Any = None, subject: str | None = None, delimiter: str = ",",
    key: Any = None, value: Any = None, headers: Any = None, name: str | None = None,
    sort_by: Any = None,
) -> None:
    """Sends every update of ``table`` to Kafka topic ``topic_name``, one message per update.

    ``format="json"``: ``{columns..., "diff": d, "time": t}`` as Pathway writes it;
    ``"dsv"``: a first message naming the columns, then per update one record of every value
    double-quoted, separated by ``delimiter``, ending with ``time`` and ``diff``;
    ``"plaintext"`` / ``"raw"``: the value of the one column (or of ``value=``). Every message
    has the headers ``pathway_time`` and ``pathway_diff``, then one per ``headers=`` column
    (named after it). ``key=`` picks the (str or bytes) column that becomes the message key
    (else the row id); JSON and DSV list the key column, then the header columns, then the
    others. Messages are flushed at the end of each time; one that Kafka does not acknowledge
    (broker away past ``message.timeout.ms``, message too large...) fails ``pw.run()``.

    >>> import towpath as pw
    >>> t = pw.debug.table_from_markdown("word | n\n a | 1")
    >>> pw.io.kafka.write(t, {"bootstrap.servers": "127.0.0.1:9092"}, "counts")
    """
    if schema_registry_settings is not None or subject is not None:
        raise NotImplementedError("schema_registry_settings is not supported by towpath yet")
    if not isinstance(topic_name, str) or not topic_name:
        raise NotImplementedError("topic_name has to be a topic name (a column is not supported yet)")
    columns = list(table._columns)
    if format == "json":
        fmt: Any = "Json"
    elif format == "dsv":
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise ValueError(f"delimiter has to be one character, got {delimiter!r}")
        fmt = {"Dsv": {"delimiter": delimiter}}
    elif format in ("plaintext", "raw"):
        if value is not None:
            at = _column(table, value, "value")
        elif len(columns) == 1:
            at = 0
        else:
            raise ValueError(f"format={format!r} writes one column: pass value= or a one-column table")
        fmt = {"Plaintext" if format == "plaintext" else "Raw": {"value": at}}
    else:
        raise ValueError(f"format has to be 'json', 'dsv', 'plaintext' or 'raw', got {format!r}")
    sink = {"Kafka": {
        "settings": _settings(rdkafka_settings),
        "topic": topic_name,
        "format": fmt,
        "columns": columns,
        "key": None if key is None else _column(table, key, "key", (dt.STR, dt.BYTES, dt.ANY)),
        "headers": [_column(table, h, "headers") for h in (headers or [])],
    }}
    write_table(table, sink)


__all__ = ["read", "write"]
