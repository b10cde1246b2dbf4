"""Redpanda speaks the Kafka protocol: ``pw.io.redpanda`` is ``pw.io.kafka``."""

from towpath.io.kafka import read

__all__ = ["read"]
