"""The releaser: puts held stories back on the input topic when their embargo time comes.

It runs beside the pipeline in ``wirestream run`` (a thread: it only moves bytes). Held messages
wait on the held topic (``wirestream.transforms.newsroom.embargo``); the releaser reads that topic
with its own consumer group (``<group id>.release``), keeps the messages not yet due in memory, and
at their time produces each back onto the input topic, marked released. It commits a held
partition's offset only up to its oldest message not yet released and acknowledged, so a restart
reads again whatever still waits: nothing is lost, and a message released just before a crash may
be released twice (the pipeline then writes its story twice, with the same id).
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from kafka import TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.newsroom.embargo import held_format, held_until, released
from wirestream.transforms.records.story import position_text
from wirestream.transforms.telemetry import metrics

__all__ = ["Releaser"]

_LOGGER = logging.getLogger(__name__)


@dataclass(order=True)
class _Waiting:
    due_ms: int
    partition: int
    offset: int
    record: Any = field(compare=False)


class Releaser(threading.Thread):
    """Release ``held_topic``'s messages onto ``input_topic`` at their time, until ``stop()``."""

    def __init__(self, connection: ConnectionConfig, held_topic: str, input_topic: str, group_id: str) -> None:
        super().__init__(name="wirestream-releaser", daemon=True)
        self._connection = connection
        self._held_topic = held_topic
        self._input_topic = input_topic
        self._group_id = f"{group_id}.release"
        self._stopping = threading.Event()
        self._waiting: list[_Waiting] = []  # a heap by due time
        self._pending: dict[int, set[int]] = {}  # partition → offsets read and not yet released
        self._committed: dict[TopicPartition, OffsetAndMetadata] = {}

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._release_loop()
            except KafkaError as exc:  # the broker went away: start over from the committed offsets
                _LOGGER.warning("the releaser lost Kafka (%s); it reads %s again in 5 s", exc, self._held_topic)
                self._waiting.clear()
                self._pending.clear()
                self._committed = {}
                self._stopping.wait(5)

    def _release_loop(self) -> None:
        consumer = clients.new_consumer(self._connection, group_id=self._group_id, auto_offset_reset="earliest")
        producer = clients.new_producer(self._connection)
        try:
            parts = self._partitions(consumer)
            consumer.assign(parts)
            while not self._stopping.is_set():
                for records in consumer.poll(timeout_ms=200).values():
                    for record in records:
                        self._wait(record)
                due = self._take_due(int(time.time() * 1000))
                if due:
                    self._release(producer, due)
                self._commit(consumer, parts)
                metrics.EMBARGOES_WAITING.set(len(self._waiting))
        finally:
            consumer.close(autocommit=False)
            producer.close(timeout=5)

    def _partitions(self, consumer: Any) -> list[TopicPartition]:
        """The held topic's partitions, once its metadata is there (it is created at launch)."""
        while not self._stopping.is_set():
            partitions = consumer.partitions_for_topic(self._held_topic)
            if partitions:
                return [TopicPartition(self._held_topic, p) for p in sorted(partitions)]
            self._stopping.wait(0.5)
        return []

    def _wait(self, record: Any) -> None:
        due = held_until(record.headers or ())
        heapq.heappush(self._waiting, _Waiting(due or 0, record.partition, record.offset, record))
        self._pending.setdefault(record.partition, set()).add(record.offset)

    def _take_due(self, now_ms: int) -> list[_Waiting]:
        due = []
        while self._waiting and self._waiting[0].due_ms <= now_ms:
            due.append(heapq.heappop(self._waiting))
        return due

    def _release(self, producer: Any, due: list[_Waiting]) -> None:
        """Produce every due message back onto the input topic; only acknowledged ones count as released."""
        sent = []
        for waiting in due:
            record = waiting.record
            headers = released(record.headers or (), position_text(self._held_topic, record.partition, record.offset))
            future = producer.send(self._input_topic, key=record.key, value=record.value, headers=headers)
            sent.append((waiting, future))
        producer.flush()
        for waiting, future in sent:
            if future.failed():  # wait and try again: it stays uncommitted
                _LOGGER.warning("releasing held offset %d failed (%s); retrying", waiting.offset, future.exception)
                heapq.heappush(self._waiting, waiting)
                continue
            self._pending[waiting.partition].discard(waiting.offset)
            metrics.EMBARGOES_RELEASED.labels(held_format(waiting.record.headers or ())).inc()
            _LOGGER.info("released the held story at %s:%d:%d", self._held_topic, waiting.partition, waiting.offset)

    def _commit(self, consumer: Any, parts: list[TopicPartition]) -> None:
        """Commit each partition up to its oldest message still waiting (or all it has read)."""
        offsets = {}
        for tp in parts:
            pending = self._pending.get(tp.partition)
            offsets[tp] = OffsetAndMetadata(min(pending) if pending else consumer.position(tp), "", -1)
        if offsets != self._committed:
            consumer.commit(offsets)
            self._committed = offsets
