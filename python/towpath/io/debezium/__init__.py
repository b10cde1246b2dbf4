"""Debezium: change data capture from a database, through Kafka (``pw.io.debezium.read``).

Debezium writes one change event per changed row to a Kafka topic; towpath turns the events into
inserts, updates and deletes of a live table keyed by the schema's primary key.
"""

from __future__ import annotations

import enum
from typing import Any

from towpath.internals.schema import is_schema
from towpath.internals.trace import user_errors
from towpath.io.kafka import _source


class DebeziumDBType(enum.Enum):
    """The database behind the Debezium connector: PostgreSQL (rows as JSON objects) or
    MongoDB (``before``/``after`` as strings of JSON); towpath reads both forms either way."""

    POSTGRES = "postgres"
    MONGO_DB = "mongodb"


@user_errors
def read(
    rdkafka_settings: dict, topic_name: str, *, db_type: DebeziumDBType = DebeziumDBType.POSTGRES,
    schema: Any, debug_data: Any = None, autocommit_duration_ms: int | None = 1500,
    name: str | None = None, max_backlog_size: int | None = None, **kwargs: Any,
) -> Any:
    """Reads the Debezium change events of Kafka topic ``topic_name`` into a live table.

    Each message value is a Debezium envelope, ``{"schema": ..., "payload": {"before": ...,
    "after": ..., "op": ...}}``, or the bare payload (converter without schemas). ``op`` ``c``
    (create) and ``r`` (snapshot read) insert ``after``, ``u`` replaces the row with ``after``'s
    primary key, ``d`` deletes ``before``'s (or the message key's). Tombstones (messages
    without a value) change nothing. Columns are taken from the row objects by name; a message
    that does not parse goes to ``pw.global_error_log()`` with its topic, partition and offset.

    >>> import towpath as pw
    >>> class Users(pw.Schema):
    ...     id: int = pw.column_definition(primary_key=True)
    ...     name: str
    >>> settings = {"bootstrap.servers": "127.0.0.1:9092", "group.id": "cdc",
    ...             "auto.offset.reset": "earliest"}
    >>> users = pw.io.debezium.read(settings, "pg.public.users", schema=Users)
    """
    if not is_schema(schema):
        raise TypeError(f"schema has to be a pw.Schema class, got {schema!r}")
    if not isinstance(db_type, DebeziumDBType):
        raise TypeError(f"db_type has to be a pw.io.debezium.DebeziumDBType, got {db_type!r}")
    if not isinstance(topic_name, str) or not topic_name:
        raise ValueError(f"topic_name has to be a topic name, got {topic_name!r}")
    if debug_data is not None:
        raise NotImplementedError("debug_data is not supported by towpath")
    fmt: dict[str, Any] = {"JsonLines": {"field_paths": []}}
    return _source(rdkafka_settings, topic_name, fmt, schema, False, autocommit_duration_ms, None, name,
                   debezium=True)


__all__ = ["DebeziumDBType", "read"]
