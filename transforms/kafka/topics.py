"""Topics around a run: create the missing output topics and plan the input's reads per partition
at launch, and check at the end of a bounded run that the group's offsets reached the plan.

Planning at launch makes a missing input topic or an unreachable broker fail there with a clear
error rather than inside a worker; checking at the end keeps a run that stopped short from
passing for a finished one.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from kafka import TopicPartition
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.connection import ConnectionConfig

__all__ = ["InputTopicError", "PartitionRead", "commit_reads", "ensure_topics", "plan_reads", "unread_offsets"]

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartitionRead:
    """One partition to read, from ``start`` up to (not including) ``stop``; ``stop`` None: forever."""

    topic: str
    partition: int
    start: int
    stop: int | None = None


class InputTopicError(RuntimeError):
    """The input topic cannot be read (missing topic, unreachable broker)."""


def plan_reads(
    connection: ConnectionConfig, topic: str, group_id: str, *, until_end: bool, read_committed: bool = False
) -> list[PartitionRead]:
    """One ``PartitionRead`` per partition of ``topic``, resuming from the group's committed offsets.

    ``read_committed`` (exactly once) waits for offsets still pending in a transaction to settle,
    and ends a bounded read at the last stable offset.
    """
    isolation = "read_committed" if read_committed else "read_uncommitted"
    servers = connection.bootstrap_servers
    try:
        consumer = clients.new_consumer(connection, group_id=group_id, isolation_level=isolation)
    except KafkaError as exc:
        raise InputTopicError(
            f"cannot reach Kafka at {servers} ({exc}): is the broker running? `make kafka-up` starts a local one"
        ) from exc
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise InputTopicError(
                f"input topic {topic!r} does not exist on {servers}: create it, or produce to it "
                f"first (`wirestream produce --topic {topic} FILE...`)"
            )
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        earliest = consumer.beginning_offsets(tps)
        ends = consumer.end_offsets(tps) if until_end else {}
        reads = []
        with _coordinator_settling():
            committed_offsets = {tp: consumer.committed(tp) for tp in tps}
        for tp in tps:
            committed = committed_offsets[tp]
            start = max(committed, earliest[tp]) if committed is not None else earliest[tp]
            reads.append(PartitionRead(topic, tp.partition, start, ends.get(tp)))
        return reads
    finally:
        consumer.close(autocommit=False)


@contextlib.contextmanager
def _coordinator_settling() -> Iterator[None]:
    """The group's first lookup on a new cluster meets a coordinator still loading the offsets topic:
    kafka-python retries (an error only if it never settles) and warns ``NotCoordinatorError`` meanwhile,
    which at launch is no news. Its warnings are kept back for the lookup; errors still show."""
    logger = logging.getLogger("kafka.coordinator")
    level = logger.level
    logger.setLevel(max(level, logging.ERROR))
    try:
        yield
    finally:
        logger.setLevel(level)


def unread_offsets(connection: ConnectionConfig, group_id: str, reads: list[PartitionRead]) -> dict[int, int]:
    """Partition → offsets between the group's committed offset and the planned stop, for the
    partitions of a bounded read that the group has not committed up to its stop."""
    consumer = clients.new_consumer(connection, group_id=group_id)
    try:
        left = {}
        for read in reads:
            if read.stop is None:
                continue
            committed = consumer.committed(TopicPartition(read.topic, read.partition))
            reached = read.start if committed is None else max(committed, read.start)
            if reached < read.stop:
                left[read.partition] = read.stop - reached
        return left
    finally:
        consumer.close(autocommit=False)


def commit_reads(connection: ConnectionConfig, group_id: str, reads: list[PartitionRead]) -> None:
    """Commit each bounded read's stop for ``group_id``: what a launcher does once the job that read
    (and wrote everything it read) has succeeded, on runners whose readers cannot commit themselves."""
    offsets = {
        TopicPartition(r.topic, r.partition): OffsetAndMetadata(r.stop, "", -1)
        for r in reads
        if r.stop is not None and r.stop > r.start
    }
    if not offsets:
        return
    consumer = clients.new_consumer(connection, group_id=group_id)
    try:
        consumer.commit(offsets)
    finally:
        consumer.close(autocommit=False)


def ensure_topics(connection: ConnectionConfig, topics: list[str]) -> list[str]:
    """Create the ``topics`` that do not exist yet, with the broker's defaults; returns those created.

    Producing to a missing topic works where the broker auto-creates topics, but only after a
    failed metadata request per topic (logged as errors), and not at all where it does not.
    """
    admin = clients.new_admin(connection)
    try:
        missing = sorted(set(topics) - set(admin.list_topics()))
        if missing:
            results = admin.create_topics(missing, raise_errors=False, wait_for_metadata=True)
            _LOGGER.info("created topics %s", ", ".join(missing))
            _LOGGER.debug("create_topics answered %s", results)
        return missing
    except TopicAlreadyExistsError:  # another process created it meanwhile
        return []
    finally:
        admin.close()
