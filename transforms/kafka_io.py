"""Kafka at the edges of the pipeline: a pure-Python source over kafka-python, and a sink.

``ReadFromKafka`` reads each partition of a topic as one splittable-DoFn restriction (an offset
range), starting at the group's committed offset (else the earliest). Bounded (``until_end``) it
stops at the end offsets seen at launch; otherwise it polls forever. Reads are checkpointed every
``max_records``/``max_seconds`` so bundles end, the sink flushes and the offsets read are
committed by the bundle finalizer — which runs only after the bundle's outputs are acknowledged.

``WriteToKafka`` sends ``OutRecord``s and flushes at the end of every bundle, so a bundle only
completes once the broker has acknowledged everything it produced.
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
from apache_beam.utils import shared
from apache_beam.utils.timestamp import Duration
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from transforms import metrics
from transforms.story import WireMessage

__all__ = ["OutRecord", "PartitionRead", "ReadFromKafka", "WriteToKafka", "drain", "ensure_topics", "plan_reads"]

_LOGGER = logging.getLogger(__name__)

# The stop of a continuous read: further than any offset a partition will reach.
UNBOUNDED = sys.maxsize
# Large enough for the biggest wire item we accept plus headers; the broker must allow as much.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class PartitionRead:
    """One partition to read, from ``start`` up to (not including) ``stop``; ``stop`` None: forever."""

    topic: str
    partition: int
    start: int
    stop: int | None = None


@dataclass(frozen=True)
class OutRecord:
    """A record for an output topic, with the Kafka timestamp of the input it was made from."""

    topic: str
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
    source_timestamp_ms: int | None = None


_DRAIN = threading.Event()


def drain() -> None:
    """Stop every reader of this process at its next checkpoint, so runs end cleanly.

    Bundles in flight finish and their offsets are committed; each partition's read then ends, and
    with it the run — a continuous one too. What was not read is read by the next run.
    """
    _DRAIN.set()


class InputTopicError(RuntimeError):
    """The input topic cannot be read (missing topic, unreachable broker)."""


def consumer_config(bootstrap_servers: str, **overrides: Any) -> dict[str, Any]:
    """kafka-python consumer settings shared by the launcher, the source and the CLI."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers.split(","),
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "fetch_max_wait_ms": 50,
        "max_partition_fetch_bytes": MAX_MESSAGE_BYTES,
        "fetch_max_bytes": 4 * MAX_MESSAGE_BYTES,
    }
    config.update(overrides)
    return config


def producer_config(bootstrap_servers: str, **overrides: Any) -> dict[str, Any]:
    """kafka-python producer settings: idempotent, acknowledged by all in-sync replicas."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers.split(","),
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "max_request_size": MAX_MESSAGE_BYTES,
    }
    config.update(overrides)
    return config


def plan_reads(bootstrap_servers: str, topic: str, group_id: str, *, until_end: bool) -> list[PartitionRead]:
    """One ``PartitionRead`` per partition of ``topic``, resuming from the group's committed offsets."""
    try:
        consumer = KafkaConsumer(**consumer_config(bootstrap_servers, group_id=group_id))
    except KafkaError as exc:
        raise InputTopicError(
            f"cannot reach Kafka at {bootstrap_servers} ({exc}): is the broker running? "
            f"`make kafka-up` starts a local one"
        ) from exc
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise InputTopicError(
                f"input topic {topic!r} does not exist on {bootstrap_servers}: create it, or produce to it "
                f"first (`wirestream produce --topic {topic} FILE...`)"
            )
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        earliest = consumer.beginning_offsets(tps)
        ends = consumer.end_offsets(tps) if until_end else {}
        reads = []
        for tp in tps:
            committed = consumer.committed(tp)
            start = max(committed, earliest[tp]) if committed is not None else earliest[tp]
            reads.append(PartitionRead(topic, tp.partition, start, ends.get(tp)))
        return reads
    finally:
        consumer.close(autocommit=False)


def ensure_topics(bootstrap_servers: str, topics: list[str]) -> list[str]:
    """Create the ``topics`` that do not exist yet, with the broker's defaults; returns those created.

    Producing to a missing topic works where the broker auto-creates topics, but only after a
    failed metadata request per topic (logged as errors), and not at all where it does not.
    """
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers.split(","))
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
        self, bootstrap_servers: str, group_id: str, *, max_records: int, max_seconds: float, poll_ms: int
    ) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._group_id = group_id
        self._max_records = max_records
        self._max_seconds = max_seconds
        self._poll_ms = poll_ms
        self._consumed = Metrics.counter("wirestream", "messages_consumed")

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
            consumer = KafkaConsumer(**consumer_config(self._bootstrap_servers, group_id=self._group_id))
            consumer.assign([tp])
            self._consumers[tp] = consumer
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
        """Claim and emit records until the stop, ``max_records``, ``max_seconds`` or an empty poll."""
        restriction = tracker.current_restriction()
        tp = TopicPartition(element.topic, element.partition)
        deadline = time.monotonic() + self._max_seconds
        claimed = 0
        next_offset = restriction.start
        with self._lock:
            consumer = self._consumer_at(tp, restriction.start)
            while claimed < self._max_records and time.monotonic() < deadline and not _DRAIN.is_set():
                batch = consumer.poll(timeout_ms=self._poll_ms, max_records=self._max_records - claimed)
                records = batch.get(tp, [])
                for record in records:
                    if not tracker.try_claim(record.offset):
                        return  # past the stop of a bounded read
                    claimed += 1
                    next_offset = record.offset + 1
                    metrics.MESSAGES_CONSUMED.labels(tp.topic).inc()
                    metrics.CONSUMED_BYTES.labels(tp.topic).inc(len(record.value or b""))
                    self._consumed.inc()
                    yield _to_message(record)
                position = consumer.position(tp)
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


def _report_lag(consumer: KafkaConsumer, tp: TopicPartition, position: int) -> None:
    """Set the partition's lag gauge from the end offset the last fetch reported (None before one)."""
    end = consumer.highwater(tp)
    if end is not None:
        metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(max(end - position, 0))


def _to_message(record: Any) -> WireMessage:
    return WireMessage(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        timestamp_ms=record.timestamp,
        key=record.key,
        value=record.value if record.value is not None else b"",
        headers=tuple((name, value or b"") for name, value in (record.headers or ())),
    )


class ReadFromKafka(beam.PTransform):
    """Read a topic's messages as ``WireMessage``s, resuming from the consumer group's offsets.

    The partitions and their start (and, with ``until_end``, stop) offsets are planned at
    construction, so a missing topic or broker fails at launch with a clear error.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        group_id: str,
        *,
        until_end: bool = False,
        max_records: int = 1000,
        max_seconds: float = 1.0,
        poll_ms: int = 100,
    ) -> None:
        super().__init__()
        if max_records < 1 or max_seconds <= 0 or poll_ms < 0:
            raise ValueError("max_records must be ≥ 1, max_seconds > 0 and poll_ms ≥ 0")
        self._reads = plan_reads(bootstrap_servers, topic, group_id, until_end=until_end)
        self._until_end = until_end
        fn = _ReadPartitionFn if until_end else _ReadPartitionForeverFn
        self._fn = fn(bootstrap_servers, group_id, max_records=max_records, max_seconds=max_seconds, poll_ms=poll_ms)

    @property
    def reads(self) -> list[PartitionRead]:
        return list(self._reads)

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.PCollection:
        return (
            pbegin
            # A Reshuffle would spread partitions over workers, but nothing after one runs when the
            # FnApiRunner streams (FIELD-NOTES 11): only bounded reads get it.
            | "Partitions" >> beam.Create(self._reads, reshuffle=self._until_end)
            | "ReadPartitions" >> beam.ParDo(self._fn)
        )


# One producer per worker process and bootstrap address, shared by every sink in the graph.
_PRODUCERS = shared.Shared()


class _SharedProducer:
    """A weak-referenceable holder, as ``Shared`` needs, of one process-wide producer."""

    def __init__(self, bootstrap_servers: str) -> None:
        self.producer = KafkaProducer(**producer_config(bootstrap_servers))


class _WriteFn(beam.DoFn):
    def __init__(self, bootstrap_servers: str) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._produced = Metrics.counter("wirestream", "records_produced")

    def setup(self) -> None:
        self._holder = _PRODUCERS.acquire(lambda: _SharedProducer(self._bootstrap_servers), self._bootstrap_servers)
        self._producer = self._holder.producer
        self._pending: list[tuple[OutRecord, Any]] = []

    def process(self, record: OutRecord) -> None:
        future = self._producer.send(record.topic, value=record.value, key=record.key, headers=list(record.headers))
        future.add_callback(_acknowledged, record.topic, record.source_timestamp_ms)
        self._pending.append((record, future))

    def finish_bundle(self) -> None:
        """Wait for the broker to acknowledge every record of the bundle; fail the bundle if not."""
        self._producer.flush()
        pending, self._pending = self._pending, []
        failures = [(record, future.exception) for record, future in pending if future.failed()]
        self._produced.inc(len(pending) - len(failures))
        if failures:
            record, error = failures[0]
            raise RuntimeError(
                f"{len(failures)} of {len(pending)} records were not acknowledged by Kafka "
                f"(first: topic {record.topic!r}, {len(record.value)} bytes: {error}); the bundle's input "
                f"offsets stay uncommitted and will be read again"
            )

    def teardown(self) -> None:
        # The producer is shared with the other sinks of this process: flush, don't close.
        producer = getattr(self, "_producer", None)
        if producer is not None:
            producer.flush(timeout=10)


def _acknowledged(topic: str, source_timestamp_ms: int | None, _metadata: Any) -> None:
    """Count an acknowledged record and how long it took from its input's Kafka timestamp."""
    metrics.RECORDS_PRODUCED.labels(topic).inc()
    if source_timestamp_ms is not None and source_timestamp_ms >= 0:
        metrics.END_TO_END_SECONDS.labels(topic).observe(max(time.time() - source_timestamp_ms / 1000, 0.0))


class WriteToKafka(beam.PTransform):
    """Write ``OutRecord``s, each to its own topic; a bundle completes once all are acknowledged.

    Apply it once per output rather than after a ``Flatten``: the FnApiRunner materialises a
    Flatten of several inputs, which breaks the fused read-to-write stage (see ``pipelines.ingest``).
    """

    def __init__(self, bootstrap_servers: str) -> None:
        super().__init__()
        self._bootstrap_servers = bootstrap_servers

    def expand(self, records: beam.PCollection) -> beam.PCollection:
        return records | "Produce" >> beam.ParDo(_WriteFn(self._bootstrap_servers))
