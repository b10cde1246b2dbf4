"""Redpanda speaks the Kafka protocol: ``pw.io.redpanda`` is ``pw.io.kafka``."""

from towpath.io.kafka import read, write

__all__ = ["read", "write"]
