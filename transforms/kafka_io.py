"""Kafka at the edges of the pipeline: a pure-Python source over kafka-python, and a sink.

``ReadFromKafka`` reads each partition of a topic as one splittable-DoFn restriction (an offset
range), starting at the group's committed offset (else the earliest). Bounded (``until_end``) it
stops at the end offsets seen at launch; otherwise it polls forever. Reads are checkpointed every
``max_records``/``max_seconds`` so bundles end, the sink flushes and the offsets read are
committed by the bundle finalizer — which runs only after the bundle's outputs are acknowledged.

``WriteToKafka`` sends ``OutRecord``s and flushes at the end of every bundle, so a bundle only
completes once the broker has acknowledged everything it produced.

Exactly once (``transactional_id`` given to both): the bundle is one Kafka transaction. Every sink
of the fused stage sends into it; the source does not commit offsets itself but leaves the next
offsets it read in this bundle in a per-thread registry (a bundle runs on one thread from read to
write); the last sink to finish the bundle adds them with ``send_offsets_to_transaction`` and
commits. A crash before that commit aborts the outputs and the offsets together.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import apache_beam as beam
from apache_beam.io.restriction_trackers import OffsetRange, OffsetRestrictionTracker
from apache_beam.metrics import Metrics
from apache_beam.transforms.core import RestrictionProvider
from apache_beam.utils import shared
from apache_beam.utils.timestamp import Duration
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import ConsumerGroupMetadata, OffsetAndMetadata

from wirestream.transforms.records.story import WireMessage
from wirestream.transforms.telemetry import metrics

__all__ = [
    "OutRecord",
    "PartitionRead",
    "ReadFromKafka",
    "WriteToKafka",
    "abort_pending_transaction",
    "admin_config",
    "drain",
    "ensure_topics",
    "plan_reads",
    "security_config",
]

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


# The kafka-python settings for connection security that ``security_config`` may set.
SECURITY_KEYS = (
    "security_protocol",
    "sasl_mechanism",
    "sasl_plain_username",
    "sasl_plain_password",
    "sasl_kerberos_service_name",
    "ssl_cafile",
    "ssl_certfile",
    "ssl_keyfile",
    "ssl_password",
    "ssl_crlfile",
    "ssl_check_hostname",
)
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI", "OAUTHBEARER")
# Secrets may come from the environment instead of the command line (where `ps` shows them).
ENV_SASL_USERNAME = "WIRESTREAM_KAFKA_SASL_USERNAME"
ENV_SASL_PASSWORD = "WIRESTREAM_KAFKA_SASL_PASSWORD"
ENV_SSL_PASSWORD = "WIRESTREAM_KAFKA_SSL_PASSWORD"


def security_config(
    *,
    security_protocol: str | None = None,
    sasl_mechanism: str | None = None,
    sasl_username: str | None = None,
    sasl_password: str | None = None,
    ssl_cafile: str | None = None,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    ssl_password: str | None = None,
    ssl_crlfile: str | None = None,
    ssl_check_hostname: bool | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """kafka-python settings for TLS and SASL, for every client (consumer, producer, admin).

    Only what is set is returned, so an empty dict means plaintext with kafka-python's defaults.
    The SASL username and password, and the key's password, fall back to
    ``WIRESTREAM_KAFKA_SASL_USERNAME``, ``WIRESTREAM_KAFKA_SASL_PASSWORD`` and
    ``WIRESTREAM_KAFKA_SSL_PASSWORD``. The protocol defaults to SASL_SSL when a SASL mechanism is
    given, and to SSL when only TLS files are.
    """
    env = os.environ if environ is None else environ
    sasl_username = sasl_username or env.get(ENV_SASL_USERNAME) or None
    sasl_password = sasl_password or env.get(ENV_SASL_PASSWORD) or None
    ssl_password = ssl_password or env.get(ENV_SSL_PASSWORD) or None
    tls_files = any((ssl_cafile, ssl_certfile, ssl_keyfile, ssl_crlfile))
    if security_protocol is None:
        security_protocol = "SASL_SSL" if sasl_mechanism else "SSL" if tls_files else None
    if security_protocol is not None:
        security_protocol = security_protocol.upper()
        if security_protocol not in SECURITY_PROTOCOLS:
            raise ValueError(
                f"unknown Kafka security protocol {security_protocol!r}: use one of {', '.join(SECURITY_PROTOCOLS)}"
            )
    uses_sasl = security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")
    if sasl_mechanism is not None:
        sasl_mechanism = sasl_mechanism.upper()
        if sasl_mechanism not in SASL_MECHANISMS:
            raise ValueError(f"unknown SASL mechanism {sasl_mechanism!r}: use one of {', '.join(SASL_MECHANISMS)}")
        if not uses_sasl:
            raise ValueError(
                f"--kafka-sasl-mechanism needs --kafka-security-protocol SASL_SSL or SASL_PLAINTEXT, "
                f"not {security_protocol}"
            )
    elif uses_sasl:
        sasl_mechanism = "PLAIN"
    needs_password = sasl_mechanism in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
    if uses_sasl and needs_password and not (sasl_username and sasl_password):
        raise ValueError(
            f"SASL {sasl_mechanism} needs a username and a password: pass --kafka-sasl-username and "
            f"--kafka-sasl-password, or set {ENV_SASL_USERNAME} and {ENV_SASL_PASSWORD}"
        )
    config: dict[str, Any] = {
        "security_protocol": security_protocol,
        "sasl_mechanism": sasl_mechanism if uses_sasl else None,
        "sasl_plain_username": sasl_username if uses_sasl else None,
        "sasl_plain_password": sasl_password if uses_sasl else None,
        "ssl_cafile": ssl_cafile,
        "ssl_certfile": ssl_certfile,
        "ssl_keyfile": ssl_keyfile,
        "ssl_password": ssl_password if (ssl_certfile or ssl_keyfile) else None,
        "ssl_crlfile": ssl_crlfile,
        "ssl_check_hostname": ssl_check_hostname,
    }
    return {key: value for key, value in config.items() if value is not None}


def consumer_config(
    bootstrap_servers: str, security: Mapping[str, Any] | None = None, **overrides: Any
) -> dict[str, Any]:
    """kafka-python consumer settings shared by the launcher, the source and the CLI."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers.split(","),
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "fetch_max_wait_ms": 50,
        "max_partition_fetch_bytes": MAX_MESSAGE_BYTES,
        "fetch_max_bytes": 4 * MAX_MESSAGE_BYTES,
        # kafka-python backs off up to 30 s between reconnects; after a broker restart that is how long
        # the pipeline would sit idle. 1 s, as the Java client does.
        "reconnect_backoff_max_ms": 1000,
    }
    config.update(security or {})
    config.update(overrides)
    return config


def producer_config(
    bootstrap_servers: str, security: Mapping[str, Any] | None = None, **overrides: Any
) -> dict[str, Any]:
    """kafka-python producer settings: idempotent, acknowledged by all in-sync replicas."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers.split(","),
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "max_request_size": MAX_MESSAGE_BYTES,
        "reconnect_backoff_max_ms": 1000,
    }
    config.update(security or {})
    config.update(overrides)
    return config


def admin_config(bootstrap_servers: str, security: Mapping[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """kafka-python admin client settings."""
    config: dict[str, Any] = {"bootstrap_servers": bootstrap_servers.split(",")}
    config.update(security or {})
    config.update(overrides)
    return config


def plan_reads(
    bootstrap_servers: str,
    topic: str,
    group_id: str,
    *,
    until_end: bool,
    security: Mapping[str, Any] | None = None,
    read_committed: bool = False,
) -> list[PartitionRead]:
    """One ``PartitionRead`` per partition of ``topic``, resuming from the group's committed offsets.

    ``read_committed`` (exactly once) waits for offsets still pending in a transaction to settle,
    and ends a bounded read at the last stable offset.
    """
    isolation = "read_committed" if read_committed else "read_uncommitted"
    try:
        consumer = KafkaConsumer(
            **consumer_config(bootstrap_servers, security, group_id=group_id, isolation_level=isolation)
        )
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


def ensure_topics(bootstrap_servers: str, topics: list[str], security: Mapping[str, Any] | None = None) -> list[str]:
    """Create the ``topics`` that do not exist yet, with the broker's defaults; returns those created.

    Producing to a missing topic works where the broker auto-creates topics, but only after a
    failed metadata request per topic (logged as errors), and not at all where it does not.
    """
    admin = KafkaAdminClient(**admin_config(bootstrap_servers, security))
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


def transactional_id_for(group_id: str) -> str:
    """The transactional id of a run's producer: stable across restarts, so a new run fences the old."""
    return f"wirestream.{group_id}"


def abort_pending_transaction(
    bootstrap_servers: str, transactional_id: str, security: Mapping[str, Any] | None = None
) -> None:
    """Settle what a crashed run left open under ``transactional_id`` before reading committed offsets.

    ``init_transactions`` aborts a transaction the previous producer left open (or waits for one it
    was committing to complete), so the offsets it carried are settled before ``plan_reads`` reads
    them; without this they stay pending until the transaction times out.
    """
    producer = KafkaProducer(**producer_config(bootstrap_servers, security, transactional_id=transactional_id))
    try:
        producer.init_transactions()
    finally:
        producer.close(timeout=10)


class _BundleTransaction(threading.local):
    """Per thread: the transaction of the bundle running on it (exactly once).

    The source records here the next offset it read per partition; every transactional sink joins
    in ``start_bundle`` and leaves in ``finish_bundle``; the last one out commits. A bundle runs on
    one thread, and the runner finishes its DoFns in topological order, so no sink receives an
    element after its own ``finish_bundle``.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.offsets: dict[TopicPartition, int] = {}
        self.group_id: str | None = None
        self.open_sinks = 0
        self.producer: Any = None


_BUNDLE = _BundleTransaction()


class _BrokerWatch:
    """Notices, per process, when the pipeline's clients lose and regain the broker; logs and counts it.

    A thread looks at the connections of every client registered (the readers' consumers and the
    sinks' producer) twice a second: the clients themselves block and retry through an outage (a
    sink's flush waits for the broker), so nothing else would see it. Down means no client holds
    a connection to any broker.
    """

    def __init__(self, interval: float = 0.5) -> None:
        self._interval = interval
        self._lock = threading.Lock()
        self._clients: weakref.WeakSet[Any] = weakref.WeakSet()
        self._thread: threading.Thread | None = None
        self._seen_up = False
        self._lost_since: float | None = None

    def watch(self, client: Any) -> None:
        with self._lock:
            self._clients.add(client)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="wirestream-broker-watch", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(self._interval)
            try:
                self.check()
            except Exception:  # never let watching break anything
                _LOGGER.debug("broker watch failed", exc_info=True)

    def check(self) -> None:
        states = [state for client in list(self._clients) if (state := _connected(client)) is not None]
        if not states:
            return
        up = any(states)
        with self._lock:
            if up:
                if self._lost_since is not None:
                    down = time.monotonic() - self._lost_since
                    metrics.KAFKA_RECONNECTS.inc()
                    _LOGGER.warning("reconnected to Kafka after %.1f s without a broker; going on", down)
                self._seen_up, self._lost_since = True, None
            elif self._seen_up and self._lost_since is None:
                self._lost_since = time.monotonic()
                _LOGGER.warning(
                    "lost the connection to Kafka; retrying (unacknowledged records stay uncommitted and are "
                    "sent or read again)"
                )


_BROKER_WATCH = _BrokerWatch()


def _connected(client: Any) -> bool | None:
    """Whether a consumer or producer holds a connection to any broker; None if that cannot be told.

    kafka-python has no public call for this: it asks the network client the consumer (or the
    producer's sender) wraps.
    """
    try:
        net = client._client if isinstance(client, KafkaConsumer) else client._sender._client
        brokers = net.cluster.brokers()
        if not brokers:
            return None
        return any(net.connected(getattr(broker, "node_id", None) or broker.nodeId) for broker in brokers)
    except Exception:  # a kafka-python internal changed
        return None


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
        bootstrap_servers: str,
        group_id: str,
        *,
        max_records: int,
        max_seconds: float,
        poll_ms: int,
        security: Mapping[str, Any] | None = None,
        exactly_once: bool = False,
    ) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._group_id = group_id
        self._security = dict(security or {})
        self._exactly_once = exactly_once
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
            isolation = "read_committed" if self._exactly_once else "read_uncommitted"
            consumer = KafkaConsumer(
                **consumer_config(
                    self._bootstrap_servers, self._security, group_id=self._group_id, isolation_level=isolation
                )
            )
            consumer.assign([tp])
            self._consumers[tp] = consumer
            _BROKER_WATCH.watch(consumer)
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
                    yield _to_message(record)
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
            # The bundle's transaction commits the offset with the outputs (see ``_BundleTransaction``).
            _BUNDLE.offsets[tp] = max(offset, _BUNDLE.offsets.get(tp, -1))
            _BUNDLE.group_id = self._group_id
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
    construction, so a missing topic or broker fails at launch with a clear error. With
    ``exactly_once`` the reader commits no offsets itself: the sinks' transaction carries them,
    so every sink of the graph must be a ``WriteToKafka`` with a ``transactional_id``; input is
    read ``read_committed``.
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
        security: Mapping[str, Any] | None = None,
        exactly_once: bool = False,
    ) -> None:
        super().__init__()
        if max_records < 1 or max_seconds <= 0 or poll_ms < 0:
            raise ValueError("max_records must be ≥ 1, max_seconds > 0 and poll_ms ≥ 0")
        self._reads = plan_reads(
            bootstrap_servers, topic, group_id, until_end=until_end, security=security, read_committed=exactly_once
        )
        self._until_end = until_end
        fn = _ReadPartitionFn if until_end else _ReadPartitionForeverFn
        self._fn = fn(
            bootstrap_servers,
            group_id,
            max_records=max_records,
            max_seconds=max_seconds,
            poll_ms=poll_ms,
            security=security,
            exactly_once=exactly_once,
        )

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


# One producer per worker process and client configuration, shared by every sink in the graph.
_PRODUCERS: dict[str, shared.Shared] = {}
_PRODUCERS_LOCK = threading.Lock()


def _shared_handle(key: str) -> shared.Shared:
    with _PRODUCERS_LOCK:
        return _PRODUCERS.setdefault(key, shared.Shared())


class _SharedProducer:
    """A weak-referenceable holder, as ``Shared`` needs, of one process-wide producer."""

    def __init__(
        self, bootstrap_servers: str, security: Mapping[str, Any], transactional_id: str | None = None
    ) -> None:
        overrides = {"transactional_id": transactional_id} if transactional_id else {}
        self.producer = KafkaProducer(**producer_config(bootstrap_servers, security, **overrides))
        if transactional_id:
            # Fences any earlier producer with this id and aborts what it left open.
            self.producer.init_transactions()
        _BROKER_WATCH.watch(self.producer)


@dataclass
class _Pending:
    record: OutRecord
    future: Any = field(repr=False)


class _WriteFn(beam.DoFn):
    def __init__(
        self,
        bootstrap_servers: str,
        security: Mapping[str, Any] | None = None,
        transactional_id: str | None = None,
    ) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._security = dict(security or {})
        self._transactional_id = transactional_id
        self._produced = Metrics.counter("wirestream", "records_produced")

    def setup(self) -> None:
        key = repr((self._bootstrap_servers, self._transactional_id, sorted(self._security.items())))
        self._holder = _shared_handle(key).acquire(
            lambda: _SharedProducer(self._bootstrap_servers, self._security, self._transactional_id)
        )
        self._producer = self._holder.producer
        self._pending: list[_Pending] = []

    def start_bundle(self) -> None:
        self._pending = []
        if self._transactional_id:
            if _BUNDLE.open_sinks == 0:
                _BUNDLE.reset()
            _BUNDLE.open_sinks += 1

    def process(self, record: OutRecord) -> None:
        if self._transactional_id and _BUNDLE.producer is None:
            self._producer.begin_transaction()
            _BUNDLE.producer = self._producer
        future = self._producer.send(record.topic, value=record.value, key=record.key, headers=list(record.headers))
        future.add_callback(_acknowledged, record.topic, record.source_timestamp_ms)
        self._pending.append(_Pending(record, future))

    def finish_bundle(self) -> None:
        """Wait for the broker to acknowledge every record of the bundle; fail the bundle if not.

        Exactly once: the last sink to finish also commits the bundle's transaction, with the
        offsets the source read in it.
        """
        try:
            self._flush()
            if self._transactional_id:
                _BUNDLE.open_sinks -= 1
                if _BUNDLE.open_sinks == 0:
                    self._commit_transaction()
        except BaseException:
            if self._transactional_id:
                self._abort_transaction()
            raise

    def _flush(self) -> None:
        self._producer.flush()
        pending, self._pending = self._pending, []
        failures = [(p.record, p.future.exception) for p in pending if p.future.failed()]
        self._produced.inc(len(pending) - len(failures))
        if failures:
            record, error = failures[0]
            raise RuntimeError(
                f"{len(failures)} of {len(pending)} records were not acknowledged by Kafka "
                f"(first: topic {record.topic!r}, {len(record.value)} bytes: {error}); the bundle's input "
                f"offsets stay uncommitted and will be read again"
            )

    def _commit_transaction(self) -> None:
        offsets, group_id = dict(_BUNDLE.offsets), _BUNDLE.group_id
        if not offsets and _BUNDLE.producer is None:
            _BUNDLE.reset()
            return  # nothing read, nothing written
        if _BUNDLE.producer is None:
            self._producer.begin_transaction()
            _BUNDLE.producer = self._producer
        if offsets:
            self._producer.send_offsets_to_transaction(
                {tp: OffsetAndMetadata(offset, "", -1) for tp, offset in offsets.items()},
                ConsumerGroupMetadata(group_id=group_id),
            )
        self._producer.commit_transaction()
        _BUNDLE.reset()
        _LOGGER.debug("committed a transaction with offsets %s", offsets)

    def _abort_transaction(self) -> None:
        producer = _BUNDLE.producer
        _BUNDLE.reset()
        if producer is None:
            return
        try:
            producer.abort_transaction()
        except Exception:  # the bundle fails anyway; a new producer fences this one
            _LOGGER.exception("aborting the bundle's transaction failed")

    def teardown(self) -> None:
        # The producer is shared with the other sinks of this process: flush, don't close.
        producer = getattr(self, "_producer", None)
        if producer is not None and not self._transactional_id:
            producer.flush(timeout=10)


def _acknowledged(topic: str, source_timestamp_ms: int | None, _metadata: Any) -> None:
    """Count an acknowledged record and how long it took from its input's Kafka timestamp."""
    metrics.RECORDS_PRODUCED.labels(topic).inc()
    if source_timestamp_ms is not None and source_timestamp_ms >= 0:
        metrics.END_TO_END_SECONDS.labels(topic).observe(max(time.time() - source_timestamp_ms / 1000, 0.0))


class WriteToKafka(beam.PTransform):
    """Write ``OutRecord``s, each to its own topic; a bundle completes once all are acknowledged.

    Apply it once per output rather than after a ``Flatten``: the FnApiRunner materialises a
    Flatten of several inputs, which breaks the fused read-to-write stage (see ``wirestream.pipelines.ingest``).
    With ``transactional_id`` (exactly once) each bundle is one transaction, shared by every sink
    given the same id, and committed together with the offsets ``ReadFromKafka`` read in it.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        *,
        security: Mapping[str, Any] | None = None,
        transactional_id: str | None = None,
    ) -> None:
        super().__init__()
        self._fn = _WriteFn(bootstrap_servers, security, transactional_id)

    def expand(self, records: beam.PCollection) -> beam.PCollection:
        return records | "Produce" >> beam.ParDo(self._fn)
