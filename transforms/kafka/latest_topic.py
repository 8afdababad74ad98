"""The compacted latest-versions topic: made with ``cleanup.policy=compact``, read back at start.

The topic holds one record per story family (its latest usable version, or a tombstone once it is
killed), so it is also the memory of which version is the latest: a worker reads it from the start
when it sets up (``read_back`` per record), and a restart forgets nothing, so long as each
record's headers carry what the table keeps (``Placement.kept_version``). Tombstones are kept 7
days (``delete.retention.ms``) so that a killed story's late versions are still recognised.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from kafka import TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic

from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.topics import create_if_missing
from wirestream.transforms.newsroom.latest import LatestTable, Seen
from wirestream.transforms.records.output import LATEST_SOURCE, LATEST_STORY_ID, LATEST_VERSION
from wirestream.transforms.records.story import read_position

__all__ = ["COMPACTED", "ensure_latest_topic", "read_back", "read_latest"]

_LOGGER = logging.getLogger(__name__)
COMPACTED = {"cleanup.policy": "compact", "delete.retention.ms": str(7 * 24 * 3600 * 1000)}


def ensure_latest_topic(connection: ConnectionConfig, topic: str, partitions: int = 1) -> None:
    """Create ``topic`` compacted if it is missing; an existing one must already be compacted."""
    admin = clients.new_admin(connection)
    try:
        if create_if_missing(admin, NewTopic(topic, partitions, 1, topic_configs=COMPACTED)):
            _LOGGER.info("created the compacted topic %s", topic)
        else:
            policy = _cleanup_policy(admin, topic)
            if "compact" not in policy:
                raise ValueError(
                    f"the latest-versions topic {topic!r} exists with cleanup.policy={policy or 'delete'}: it must be "
                    f"compacted to keep one record per story. Give another --latest-topic, or alter it: "
                    f"kafka-configs.sh --alter --entity-type topics --entity-name {topic} "
                    f"--add-config cleanup.policy=compact"
                ) from None
    finally:
        admin.close()


def read_latest(connection: ConnectionConfig, topic: str, *, timeout: float = 60.0) -> LatestTable:
    """Each family's latest record as the topic holds it now, read from its start to its end.

    The topic was made at launch, but a worker's client may not see it at once: it waits for its
    partitions, and for the reads to reach the end, up to ``timeout`` seconds; a table read short
    would let older versions replace newer ones, so that is a RuntimeError (the worker retries).
    """
    deadline = time.monotonic() + timeout
    # read_committed: a record of an aborted transaction (a crashed --exactly-once run) was never written
    consumer = clients.new_consumer(connection, group_id=None, isolation_level="read_committed")
    try:
        while not (partitions := consumer.partitions_for_topic(topic)) and time.monotonic() < deadline:
            time.sleep(0.5)
        parts = [TopicPartition(topic, p) for p in sorted(partitions or ())]
        if not parts:
            raise RuntimeError(f"the latest topic {topic!r} shows no partitions on {connection.bootstrap_servers}")
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        table = LatestTable()
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            if time.monotonic() > deadline:
                raise RuntimeError(f"reading the latest topic {topic!r} back did not reach its end in {timeout:g} s")
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    read_back(table, record.key, record.value, record.headers or ())
        _LOGGER.info("read %d story families from %s", len(table), topic)
        return table
    finally:
        consumer.close(autocommit=False)


def read_back(
    table: LatestTable, key: bytes | None, value: bytes | None, headers: Iterable[tuple[str, bytes | None]]
) -> None:
    """Take one record of the topic into ``table``, as a worker does when it starts: what its headers
    say (``wirestream-version`` is what the table kept: a tombstone's is the highest its family had)."""
    if key is not None:
        table.remember(key.decode(), _seen(list(headers), value is None))


def _seen(headers: list[tuple[str, bytes | None]], canceled: bool) -> Seen:
    fields = {name: (value or b"").decode() for name, value in headers}
    version = fields.get(LATEST_VERSION, "")
    position = read_position(fields.get(LATEST_SOURCE, ""))
    return Seen(fields.get(LATEST_STORY_ID, ""), int(version) if version.isdigit() else None, canceled, position)


def _cleanup_policy(admin: KafkaAdminClient, topic: str) -> str:
    """The topic's ``cleanup.policy`` as the broker has it (``delete`` unless set)."""
    resource = ConfigResource(ConfigResourceType.TOPIC, topic, {"cleanup.policy": None})
    answer = admin.describe_configs([resource], config_filter="all")
    for by_name in answer.values():
        for configs in by_name.values():
            entry = configs.get("cleanup.policy")
            if entry is not None:
                return str(entry.get("value", entry) if isinstance(entry, dict) else entry)
    return "delete"
