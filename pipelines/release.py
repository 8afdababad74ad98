"""The releaser: puts held items back on the input topic when their embargo time comes, each once.

It runs beside the pipeline in ``wirestream run`` (a thread: it only moves bytes). Held items wait
on the held topic (``wirestream.transforms.kafka.held_topic``), which the releaser reads from its
start at every start: that topic is its memory. At an item's time it produces the held message
back onto the input topic, naming the one item it releases, and a tombstone for the item's key,
in one transaction (``wirestream.<group id>.release``): after any restart the item is either
still waiting or released, never both, so it is released exactly once. A new releaser of the same
group fences the old one, then reads the topic to its end before it releases anything.

Before releasing, it waits until the pipeline has committed the input up to where it stood when
the items came due, then reads the held topic to its end: every kill sent before the embargo time
has then left its notice there, and an item a kill covers is never released (its tombstone
alone). Items waiting for an editor are left to ``wirestream release-held``.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from kafka import TopicPartition

from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.held_topic import HeldItem, HeldLedger, HeldReader
from wirestream.transforms.newsroom.embargo import OURS, RELEASED, RELEASED_ITEM
from wirestream.transforms.records.story import position_text
from wirestream.transforms.telemetry import metrics

__all__ = ["InputWatch", "Releaser", "release_item", "release_producer", "released_headers"]

_LOGGER = logging.getLogger(__name__)
TRANSACTION_TIMEOUT_MS = 10_000  # an open release blocks read_committed readers of the input at most this long
_WATCH_EVERY = 0.5  # seconds between looks at the pipeline's committed offsets


def release_producer(connection: ConnectionConfig, transactional_id: str) -> Any:
    """A transactional producer for releases, with what a predecessor of its id left open settled."""
    producer = clients.new_producer(
        connection, transactional_id=transactional_id, transaction_timeout_ms=TRANSACTION_TIMEOUT_MS
    )
    producer.init_transactions()
    return producer


def released_headers(item: HeldItem, held_topic: str) -> list[tuple[str, bytes]]:
    """The headers a released message goes back with: the producer's (never ours), and the release:
    where it waited and which item it brings (the pipeline passes over the message's others)."""
    theirs = [(name, value) for name, value in item.headers if not name.startswith(OURS)]
    position = position_text(held_topic, item.partition, item.offset)
    return [*theirs, (RELEASED, position.encode()), (RELEASED_ITEM, item.item.encode())]


TOMBSTONES = "release"  # the `output` label of the held topic's tombstones, one per released item


def release_item(producer: Any, item: HeldItem, input_topic: str, held_topic: str, *, publish: bool = True) -> None:
    """Put ``item`` back on ``input_topic`` (``publish``; else only end it) and tombstone its key on
    ``held_topic``, in one transaction: released once, or not at all."""
    producer.begin_transaction()
    try:
        if publish:
            headers = released_headers(item, held_topic)
            producer.send(input_topic, key=item.original_key, value=item.value, headers=headers)
        producer.send(held_topic, key=item.key, value=None)
        producer.commit_transaction()
    except BaseException:
        producer.abort_transaction()
        raise
    # The tombstone is a record on the held topic like the ones the pipeline wrote there: counted, and
    # timed from when the item went on hold.
    metrics.acknowledged(held_topic, TOMBSTONES, item.timestamp_ms)


class InputWatch:
    """Whether the pipeline (its consumer group) has committed the input up to a mark: the input's
    end offsets when items came due. Offsets in between that hold no record (transaction markers)
    need no commit."""

    def __init__(self, connection: ConnectionConfig, input_topic: str, group_id: str) -> None:
        self._topic = input_topic
        self._group = clients.new_consumer(connection, group_id=group_id)  # only asks for its commits: joins nothing
        self._consumer = clients.new_consumer(connection, group_id=None)

    def mark(self) -> dict[TopicPartition, int]:
        parts = [TopicPartition(self._topic, p) for p in sorted(self._consumer.partitions_for_topic(self._topic) or ())]
        return dict(self._consumer.end_offsets(parts)) if parts else {}

    def caught_up(self, mark: dict[TopicPartition, int]) -> bool:
        for tp, end in mark.items():
            start = self._group.committed(tp) or 0
            if start < end and self._records_between(tp, start, end):
                return False
        return True

    def _records_between(self, tp: TopicPartition, start: int, end: int) -> bool:
        self._consumer.assign([tp])
        self._consumer.seek(tp, start)
        records = self._consumer.poll(timeout_ms=1000, max_records=1).get(tp, [])
        if records:
            return records[0].offset < end
        return self._consumer.position(tp) < end  # nothing fetched yet: assume records

    def close(self) -> None:
        self._group.close(autocommit=False)
        self._consumer.close(autocommit=False)


class Releaser(threading.Thread):
    """Release ``held_topic``'s items onto ``input_topic`` at their time, until ``stop()``.

    ``group_id`` is the pipeline's: the releaser waits for its commits, and its transactional id
    is ``wirestream.<group id>.release``.
    """

    def __init__(self, connection: ConnectionConfig, held_topic: str, input_topic: str, group_id: str) -> None:
        super().__init__(name="wirestream-releaser", daemon=True)
        self._connection = connection
        self._held_topic = held_topic
        self._input_topic = input_topic
        self._group_id = group_id
        self._transactional_id = f"wirestream.{group_id}.release"
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._release_loop()
            except Exception as exc:  # the broker went away, or a newer releaser fenced this one
                _LOGGER.warning("the releaser stopped (%s); it reads %s again in 5 s", exc, self._held_topic)
                self._stopping.wait(5)

    def _release_loop(self) -> None:
        producer = release_producer(self._connection, self._transactional_id)  # fences an older releaser first
        reader = HeldReader(self._connection, self._held_topic)
        watch = InputWatch(self._connection, self._input_topic, self._group_id)
        ledger = HeldLedger()
        try:
            if not reader.assign():
                raise RuntimeError(f"the held topic {self._held_topic!r} shows no partitions")
            reader.read_to_end(ledger)  # all a predecessor released is read before anything is released
            marked: tuple[dict[TopicPartition, int], list[bytes]] | None = None
            looked = 0.0
            while not self._stopping.is_set():
                reader.poll(ledger)
                metrics.EMBARGOES_WAITING.set(ledger.waiting())
                if marked is None:
                    due = ledger.due(int(time.time() * 1000))
                    marked = (watch.mark(), [item.key for item in due]) if due else None
                elif time.monotonic() - looked > _WATCH_EVERY:
                    looked = time.monotonic()
                    if watch.caught_up(marked[0]):
                        reader.read_to_end(ledger)  # every kill sent before the time is noticed now
                        self._release(producer, ledger, marked[1])
                        marked = None
        finally:
            watch.close()
            reader.close()
            producer.close(timeout=5)

    def _release(self, producer: Any, ledger: HeldLedger, keys: list[bytes]) -> None:
        for key in keys:
            item = ledger.items.get(key)
            if item is None:  # released meanwhile (by whom this releaser fenced)
                continue
            killer = ledger.killer(item)
            release_item(producer, item, self._input_topic, self._held_topic, publish=killer is None)
            ledger.items.pop(key, None)
            if killer is not None:
                metrics.EMBARGOES_KILLED.labels(item.wire_format).inc()
                _LOGGER.warning("held item %s was killed while it waited (family %s): it is never released",
                                item.item, killer.family)  # fmt: skip
                continue
            metrics.EMBARGOES_RELEASED.labels(item.wire_format).inc()
            _LOGGER.info("released held item %s from %s:%d:%d", item.item, self._held_topic, item.partition,
                         item.offset)  # fmt: skip
