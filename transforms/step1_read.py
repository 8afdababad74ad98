"""Read: the Beam source over kafka-python, one splittable-DoFn restriction per partition.

``ReadFromKafka`` reads each partition of a topic as one restriction (an offset range), starting at
the group's committed offset (else the earliest). Bounded (``until_end``) it stops at the end
offsets seen at launch; otherwise it polls forever. Reads are checkpointed every
``Checkpoints`` so bundles end, the sinks flush and the offsets read are committed
by the bundle finalizer — which runs only after the bundle's outputs are acknowledged. Exactly once,
the offsets go to the bundle's transaction instead (``wirestream.transforms.kafka.transaction``).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import apache_beam as beam
from apache_beam.io.restriction_trackers import OffsetRange, OffsetRestrictionTracker
from apache_beam.metrics import Metrics
from apache_beam.transforms.core import RestrictionProvider
from apache_beam.utils.timestamp import Duration
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from wirestream.transforms.kafka import clients, topics
from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.messages import wire_message
from wirestream.transforms.kafka.topics import PartitionRead
from wirestream.transforms.kafka.transaction import BUNDLE
from wirestream.transforms.kafka.watch import watch
from wirestream.transforms.records.story import WireMessage
from wirestream.transforms.telemetry import metrics

__all__ = ["Checkpoints", "ReadFromKafka", "drain"]

_LOGGER = logging.getLogger(__name__)

# The stop of a continuous read: further than any offset a partition will reach.
UNBOUNDED = sys.maxsize

_DRAIN = threading.Event()


def drain() -> None:
    """Stop every reader of this process at its next checkpoint, so runs end cleanly.

    Bundles in flight finish and their offsets are committed; each partition's read then ends, and
    with it the run — a continuous one too. What was not read is read by the next run.
    """
    _DRAIN.set()


@dataclass(frozen=True)
class Checkpoints:
    """How often a read checkpoints (ends its bundle, so the sinks flush and offsets commit): after
    ``max_records`` records or ``max_seconds``, polling ``poll_ms`` at a time."""

    max_records: int = 1000
    max_seconds: float = 1.0
    poll_ms: int = 100

    def __post_init__(self) -> None:
        if self.max_records < 1 or self.max_seconds <= 0 or self.poll_ms < 0:
            raise ValueError("max_records must be ≥ 1, max_seconds > 0 and poll_ms ≥ 0")


class _PartitionTracker(OffsetRestrictionTracker):
    """An offset tracker that only checkpoints: a partition is read in order by one reader."""

    def try_split(self, fraction_of_remainder: float) -> tuple[OffsetRange, OffsetRange] | None:
        if fraction_of_remainder > 0:
            return None
        return super().try_split(fraction_of_remainder)

    def is_bounded(self) -> bool:
        return self.current_restriction().stop != UNBOUNDED


class _PartitionRestrictions(RestrictionProvider):
    def initial_restriction(self, element: PartitionRead) -> OffsetRange:
        return OffsetRange(element.start, UNBOUNDED if element.stop is None else element.stop)

    def create_tracker(self, restriction: OffsetRange) -> _PartitionTracker:
        return _PartitionTracker(restriction)

    def split(self, element: PartitionRead, restriction: OffsetRange) -> Iterator[OffsetRange]:
        yield restriction

    def restriction_size(self, element: PartitionRead, restriction: OffsetRange) -> int:
        return restriction.size()


_PARTITION_RESTRICTIONS = beam.DoFn.RestrictionParam(_PartitionRestrictions())


class _ReadPartitionFn(beam.DoFn):
    """Reads one partition's offset range; emits ``WireMessage``s; commits after the bundle."""

    def __init__(
        self,
        connection: ConnectionConfig,
        group_id: str,
        checkpoints: Checkpoints,
        *,
        exactly_once: bool = False,
    ) -> None:
        self._connection = connection
        self._group_id = group_id
        self._exactly_once = exactly_once
        self._max_records = checkpoints.max_records
        self._max_seconds = checkpoints.max_seconds
        self._poll_ms = checkpoints.poll_ms
        self._consumed = Metrics.counter("wirestream", "messages_consumed")

    def display_data(self) -> dict[str, Any]:
        return {**self._connection.describe(), "group_id": self._group_id, "exactly_once": self._exactly_once}

    def setup(self) -> None:
        # One consumer per partition: switching a consumer between partitions costs a fetch wait
        # and would drop what it prefetched for the others.
        self._consumers: dict[TopicPartition, KafkaConsumer] = {}
        self._positions: dict[TopicPartition, int] = {}
        self._committed: dict[TopicPartition, int] = {}
        self._lock = threading.RLock()

    def _consumer_at(self, tp: TopicPartition, offset: int) -> KafkaConsumer:
        consumer = self._consumers.get(tp)
        if consumer is None:
            isolation = "read_committed" if self._exactly_once else "read_uncommitted"
            consumer = clients.new_consumer(self._connection, group_id=self._group_id, isolation_level=isolation)
            consumer.assign([tp])
            self._consumers[tp] = consumer
            watch(consumer)
        if self._positions.get(tp) != offset:
            consumer.seek(tp, offset)
            self._positions[tp] = offset
        return consumer

    def process(
        self,
        element: PartitionRead,
        bundle_finalizer=beam.DoFn.BundleFinalizerParam,
        tracker=_PARTITION_RESTRICTIONS,
    ) -> Iterator[WireMessage]:
        yield from self._read(element, bundle_finalizer, tracker)

    def _read(self, element: PartitionRead, bundle_finalizer: Any, tracker: _PartitionTracker) -> Iterator[WireMessage]:
        """Claim and emit records until the stop, the checkpoint's records or seconds, or an empty poll."""
        restriction = tracker.current_restriction()
        tp = TopicPartition(element.topic, element.partition)
        deadline = time.monotonic() + self._max_seconds
        claimed = 0
        next_offset = restriction.start
        with self._lock:
            consumer = self._consumer_at(tp, restriction.start)
            while claimed < self._max_records and time.monotonic() < deadline and not _DRAIN.is_set():
                try:
                    batch = consumer.poll(timeout_ms=self._poll_ms, max_records=self._max_records - claimed)
                except KafkaError as exc:  # the broker is away: read again at the next checkpoint
                    _LOGGER.debug('poll failed partition="%s[%d]": %s', tp.topic, tp.partition, exc)
                    self._positions.pop(tp, None)
                    break
                records = batch.get(tp, [])
                for record in records:
                    if not tracker.try_claim(record.offset):
                        # Past the stop (of a bounded read, or of a checkpoint the runner asked for):
                        # what was claimed is done, and its offsets go with this bundle's outputs.
                        if claimed:
                            self._commit_after_bundle(bundle_finalizer, tp, next_offset)
                        return
                    claimed += 1
                    next_offset = record.offset + 1
                    metrics.MESSAGES_CONSUMED.labels(tp.topic).inc()
                    metrics.CONSUMED_BYTES.labels(tp.topic).inc(len(record.value or b""))
                    self._consumed.inc()
                    yield wire_message(record)
                try:
                    position = consumer.position(tp)
                except KafkaError as exc:  # as above: what was claimed stands, the rest is read later
                    _LOGGER.debug('position unknown partition="%s[%d]": %s', tp.topic, tp.partition, exc)
                    self._positions.pop(tp, None)
                    break
                self._positions[tp] = position
                _report_lag(consumer, tp, position)
                if position >= restriction.stop:
                    # Reached the end offset (the last offsets may be transaction markers, not records).
                    tracker.try_claim(restriction.stop)
                    self._commit_after_bundle(bundle_finalizer, tp, position)
                    return
                if not records:
                    break
        if claimed:
            self._commit_after_bundle(bundle_finalizer, tp, next_offset)
        if _DRAIN.is_set():
            # Done with this partition: the rest is the next run's, from the offsets committed.
            tracker.try_claim(restriction.stop)
            return
        # The FnApiRunner resumes at once whatever the delay; other runners honour it while idle.
        tracker.defer_remainder(Duration.of(0 if claimed else 0.5))

    def _commit_after_bundle(self, bundle_finalizer: Any, tp: TopicPartition, offset: int) -> None:
        if self._exactly_once:
            BUNDLE.add_offset(tp, offset, self._group_id)  # committed with the outputs
            return
        bundle_finalizer.register(lambda: self._commit(tp, offset))

    def _commit(self, tp: TopicPartition, offset: int) -> None:
        """Commit ``offset`` for ``tp`` once its bundle's outputs are acknowledged; idempotent."""
        with self._lock:
            if self._committed.get(tp, -1) >= offset:
                return
            try:
                self._consumers[tp].commit({tp: OffsetAndMetadata(offset, "", -1)})
            except Exception:  # Beam swallows finalizer errors; make sure they are seen.
                _LOGGER.exception('offset commit failed partition="%s[%d]" offset="%d"', tp.topic, tp.partition, offset)
                return
            self._committed[tp] = offset
            _LOGGER.debug('committed partition="%s[%d]" offset="%d"', tp.topic, tp.partition, offset)

    def teardown(self) -> None:
        for consumer in getattr(self, "_consumers", {}).values():
            try:
                consumer.close(autocommit=False)
            except Exception:  # best effort: the worker is going away
                _LOGGER.debug("closing a consumer failed", exc_info=True)


class _ReadPartitionForeverFn(_ReadPartitionFn):
    """The continuous read: the same reader, marked unbounded so runners treat it as streaming."""

    @beam.DoFn.unbounded_per_element()
    def process(
        self,
        element: PartitionRead,
        bundle_finalizer=beam.DoFn.BundleFinalizerParam,
        tracker=_PARTITION_RESTRICTIONS,
    ) -> Iterator[WireMessage]:
        yield from self._read(element, bundle_finalizer, tracker)


class _ReadPartitionUncommittedFn(_ReadPartitionFn):
    """The bounded read for runners without bundle finalization in batch mode (Flink): it commits
    nothing, and the launcher commits the planned end offsets once the job has succeeded."""

    def process(self, element: PartitionRead, tracker=_PARTITION_RESTRICTIONS) -> Iterator[WireMessage]:
        yield from self._read(element, None, tracker)

    def _commit_after_bundle(self, bundle_finalizer: Any, tp: TopicPartition, offset: int) -> None:
        return  # the launcher commits, after the job


def _report_lag(consumer: KafkaConsumer, tp: TopicPartition, position: int) -> None:
    """Set the partition's lag gauge from the end offset the last fetch reported (None before one)."""
    end = consumer.highwater(tp)
    if end is not None:
        metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(max(end - position, 0))


class ReadFromKafka(beam.PTransform):
    """Read a topic's messages as ``WireMessage``s, resuming from the consumer group's offsets.

    The partitions and their start (and, with ``until_end``, stop) offsets are planned at
    construction, so a missing topic or broker fails at launch with a clear error. With
    ``exactly_once`` the reader commits no offsets itself: the sinks' transaction carries them,
    so every sink of the graph must be a ``WriteToKafka`` with a ``transactional_id``; input is
    read ``read_committed``. ``spread_partitions`` (default: bounded reads only) puts a Reshuffle
    before the read so that partitions go to different workers; ``launcher_commits`` leaves the
    commit of a bounded read to whoever launched it, after the job succeeded (``commit_reads``).
    """

    def __init__(
        self,
        connection: ConnectionConfig,
        topic: str,
        group_id: str,
        *,
        until_end: bool = False,
        exactly_once: bool = False,
        spread_partitions: bool | None = None,
        launcher_commits: bool = False,
        checkpoints: Checkpoints = Checkpoints(),
    ) -> None:
        super().__init__()
        if launcher_commits and (exactly_once or not until_end):
            raise ValueError("launcher_commits is for bounded reads that are not exactly once")
        self._reads = topics.plan_reads(connection, topic, group_id, until_end=until_end, read_committed=exactly_once)
        self._topic = topic
        self._until_end = until_end
        self._spread = until_end if spread_partitions is None else spread_partitions
        if launcher_commits:
            fn: type[_ReadPartitionFn] = _ReadPartitionUncommittedFn
        else:
            fn = _ReadPartitionFn if until_end else _ReadPartitionForeverFn
        self._fn = fn(connection, group_id, checkpoints, exactly_once=exactly_once)

    @property
    def reads(self) -> list[PartitionRead]:
        return list(self._reads)

    def display_data(self) -> dict[str, Any]:
        return {"topic": self._topic, "until_end": self._until_end, "reader": self._fn}

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.PCollection:
        return (
            pbegin
            # The Reshuffle spreads the partitions over the workers. Nothing after one runs when the
            # FnApiRunner streams, so by default only bounded reads get it; the
            # pipeline asks for it on runners that stream through it (Flink).
            | "Partitions" >> beam.Create(self._reads, reshuffle=self._spread)
            | "ReadPartitions" >> beam.ParDo(self._fn)
        )
