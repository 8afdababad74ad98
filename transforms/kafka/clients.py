"""The kafka-python clients of the pipeline and the CLI, each set up the same way from a ``ConnectionConfig``.

The source, the sinks, topic administration, the CLI's tools and the tests all get their clients
here, so message sizes, reconnect backoff and security agree everywhere. A ``str`` in place of a
``ConnectionConfig`` names the bootstrap servers of a plaintext connection.
"""

from __future__ import annotations

from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from wirestream.transforms.kafka.connection import ConnectionConfig, as_connection

__all__ = [
    "MAX_MESSAGE_BYTES",
    "admin_config",
    "consumer_config",
    "new_admin",
    "new_consumer",
    "new_producer",
    "producer_config",
]

# Large enough for the biggest wire item we accept plus headers; the broker must allow as much.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
# kafka-python backs off up to 30 s between reconnects; after a broker restart that is how long the
# pipeline would sit idle. 1 s, as the Java client does.
RECONNECT_BACKOFF_MAX_MS = 1000


def consumer_config(connection: ConnectionConfig | str, **overrides: Any) -> dict[str, Any]:
    """Consumer settings: offsets committed by us only, from the earliest when the group has none."""
    return {
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "fetch_max_wait_ms": 50,
        "max_partition_fetch_bytes": MAX_MESSAGE_BYTES,
        "fetch_max_bytes": 4 * MAX_MESSAGE_BYTES,
        "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
        **as_connection(connection).kafka_settings(),
        **overrides,
    }


def producer_config(connection: ConnectionConfig | str, **overrides: Any) -> dict[str, Any]:
    """Producer settings: idempotent, acknowledged by all in-sync replicas."""
    return {
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "max_request_size": MAX_MESSAGE_BYTES,
        "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
        **as_connection(connection).kafka_settings(),
        **overrides,
    }


def admin_config(connection: ConnectionConfig | str, **overrides: Any) -> dict[str, Any]:
    """Admin client settings: the connection's, nothing more."""
    return {**as_connection(connection).kafka_settings(), **overrides}


def new_consumer(connection: ConnectionConfig | str, **overrides: Any) -> KafkaConsumer:
    return KafkaConsumer(**consumer_config(connection, **overrides))


def new_producer(connection: ConnectionConfig | str, **overrides: Any) -> KafkaProducer:
    return KafkaProducer(**producer_config(connection, **overrides))


def new_admin(connection: ConnectionConfig | str, **overrides: Any) -> KafkaAdminClient:
    return KafkaAdminClient(**admin_config(connection, **overrides))
