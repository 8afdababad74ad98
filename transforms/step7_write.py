"""Write: the Beam sink, one producer per process shared by every sink of the graph.

``WriteToKafka`` sends ``OutRecord``s and flushes at the end of every bundle, so a bundle only
completes once the broker has acknowledged everything it produced — and only then does the source
commit the bundle's offsets. Exactly once (``transactional_id``), the bundle's records go into one
Kafka transaction that also carries its input offsets (``wirestream.transforms.kafka.transaction``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils import shared

from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.messages import send_record
from wirestream.transforms.kafka.transaction import BUNDLE
from wirestream.transforms.kafka.watch import watch
from wirestream.transforms.records.output import OutRecord

__all__ = ["WriteToKafka"]

_LOGGER = logging.getLogger(__name__)

# One producer per worker process and client configuration, shared by every sink in the graph.
_PRODUCERS: dict[tuple[ConnectionConfig, str | None], shared.Shared] = {}
_PRODUCERS_LOCK = threading.Lock()


def _shared_handle(key: tuple[ConnectionConfig, str | None]) -> shared.Shared:
    with _PRODUCERS_LOCK:
        return _PRODUCERS.setdefault(key, shared.Shared())


class _SharedProducer:
    """A weak-referenceable holder, as ``Shared`` needs, of one process-wide producer."""

    def __init__(self, connection: ConnectionConfig, transactional_id: str | None = None) -> None:
        overrides = {"transactional_id": transactional_id} if transactional_id else {}
        self.producer = clients.new_producer(connection, **overrides)
        if transactional_id:
            # Fences any earlier producer with this id and aborts what it left open.
            self.producer.init_transactions()
        watch(self.producer)


@dataclass
class _Pending:
    record: OutRecord
    future: Any = field(repr=False)


class _WriteFn(beam.DoFn):
    def __init__(self, connection: ConnectionConfig, output: str, transactional_id: str | None = None) -> None:
        self._connection = connection
        self._output = output
        self._transactional_id = transactional_id
        self._produced = Metrics.counter("wirestream", "records_produced")

    def display_data(self) -> dict[str, Any]:
        exactly_once = {"transactional_id": self._transactional_id} if self._transactional_id else {}
        return {**self._connection.describe(), "output": self._output, **exactly_once}

    def setup(self) -> None:
        self._holder = _shared_handle((self._connection, self._transactional_id)).acquire(
            lambda: _SharedProducer(self._connection, self._transactional_id)
        )
        self._producer = self._holder.producer
        self._pending: list[_Pending] = []

    def start_bundle(self) -> None:
        self._pending = []
        if self._transactional_id:
            BUNDLE.join()

    def process(self, record: OutRecord) -> None:
        if self._transactional_id:
            BUNDLE.before_send(self._producer)
        self._pending.append(_Pending(record, send_record(self._producer, record, self._output)))

    def finish_bundle(self) -> None:
        """Wait for the broker to acknowledge every record of the bundle; fail the bundle if not.

        Exactly once: the last sink to finish also commits the bundle's transaction, with the
        offsets the source read in it; a failure aborts it.
        """
        try:
            self._flush()
            if self._transactional_id:
                BUNDLE.leave(self._producer)
        except BaseException:
            if self._transactional_id:
                BUNDLE.abort()
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
                f"(first: topic {record.topic!r}, {len(record.value or b'')} bytes: {error}); the bundle's input "
                f"offsets stay uncommitted and will be read again"
            )

    def teardown(self) -> None:
        # The producer is shared with the other sinks of this process: flush, don't close.
        producer = getattr(self, "_producer", None)
        if producer is not None and not self._transactional_id:
            producer.flush(timeout=10)


class WriteToKafka(beam.PTransform):
    """Write ``OutRecord``s, each to its own topic; a bundle completes once all are acknowledged.

    ``output`` names what the sink writes (``stories``, ``quotes``, …): the ``output`` label of its
    produced-records and end-to-end latency metrics, which dashboards and alerts select on whatever
    the topics are called.

    Apply it once per output rather than after a ``Flatten``: the FnApiRunner materialises a
    Flatten of several inputs, which breaks the fused read-to-write stage (see ``wirestream.pipelines.graph``).
    With ``transactional_id`` (exactly once) each bundle is one transaction, shared by every sink
    given the same id, and committed together with the offsets ``ReadFromKafka`` read in it.
    """

    def __init__(self, connection: ConnectionConfig, *, output: str, transactional_id: str | None = None) -> None:
        super().__init__()
        self._fn = _WriteFn(connection, output, transactional_id)

    def display_data(self) -> dict[str, Any]:
        return {"writer": self._fn}

    def expand(self, records: beam.PCollection) -> beam.PCollection:
        return records | "Produce" >> beam.ParDo(self._fn)
