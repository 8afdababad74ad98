"""Prometheus metrics of a worker process and the exporter that serves them (no Beam here).

Beam's own metrics stay inside the runner; operators scrape Prometheus, so each worker process
counts into this module's registry and serves ``/metrics`` once (``serve_metrics`` is idempotent).
Labels are low-cardinality by design: topic, format, stage, reason — never a story id.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, Info, start_http_server

from wirestream.transforms.deadletters.reasons import STAGES, reasons_of

_LOGGER = logging.getLogger(__name__)

MESSAGES_CONSUMED = Counter("wirestream_messages_consumed_total", "Messages read from the input topic.", ["topic"])
CONSUMED_BYTES = Counter("wirestream_consumed_bytes_total", "Bytes of message values read from the input.", ["topic"])
CONSUMER_LAG = Gauge(
    "wirestream_consumer_lag_messages",
    "Messages in a partition not yet read: the end offset last seen by the reader minus its position.",
    ["topic", "partition"],
)
STORIES_PROCESSED = Counter("wirestream_stories_processed_total", "Stories decoded, parsed and enriched.", ["format"])
DEADLETTERS = Counter("wirestream_deadletters_total", "Messages routed to the dead-letter topic.", ["stage", "reason"])
RECORDS_PRODUCED = Counter(
    "wirestream_records_produced_total", "Records acknowledged by the broker on an output topic.", ["topic"]
)
ENTITIES_EXTRACTED = Counter(
    "wirestream_entities_extracted_total", "Entities found in stories (one per entity per story).", ["label"]
)
QUOTES_EXTRACTED = Counter("wirestream_quotes_extracted_total", "Quotes found in stories.", ["kind"])
QUOTE_KINDS = ("DIRECT", "PARTIAL", "REPORTED")
STAGE_SECONDS = Histogram(
    "wirestream_stage_seconds",
    "Time a stage spent on one message (for batched stages: per story, the batch time divided evenly).",
    ["stage"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)

END_TO_END_SECONDS = Histogram(
    "wirestream_end_to_end_latency_seconds",
    "From the input message's Kafka timestamp to the broker's acknowledgement of the output record.",
    ["topic"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0),
)
KAFKA_RECONNECTS = Counter(
    "wirestream_kafka_reconnects_total", "Times the reader regained the Kafka broker after losing its connection."
)
BUILD_INFO = Info("wirestream_build", "The wirestream version and the Beam runner of this worker process.")

_server_lock = threading.Lock()
_server_port: int | None = None


def describe_build(*, version: str, runner: str, beam_version: str, formats: Iterable[str]) -> None:
    """Set ``wirestream_build_info`` and start the series of known labels at zero.

    Build info tells which process a series comes from. A counter series that first appears at 1
    hides that first increment from ``rate()``; started at 0, the first quote, dead letter or story
    of each kind shows on the dashboard.
    """
    BUILD_INFO.info({"version": version, "runner": runner, "beam_version": beam_version})
    for kind in QUOTE_KINDS:
        QUOTES_EXTRACTED.labels(kind)
    for stage in STAGES:
        for reason in reasons_of(stage):
            DEADLETTERS.labels(stage, reason)
    for wire_format in formats:
        STORIES_PROCESSED.labels(wire_format)


def serve_metrics(port: int) -> int | None:
    """Serve ``/metrics`` on ``port`` once per process (0: any free port; negative: don't serve).

    Returns the port served on. A second call in the same process reuses the first server, since
    binding the port twice fails; a port taken by another process is logged, not fatal.
    """
    global _server_port
    if port < 0:
        return None
    with _server_lock:
        if _server_port is None:
            try:
                server, _thread = start_http_server(port, addr="0.0.0.0", registry=REGISTRY)
            except OSError as exc:
                _LOGGER.warning(
                    "metrics not served: port %d is taken (%s); pass --metrics-port with a free port, or 0 for any",
                    port,
                    exc,
                )
                return None
            _server_port = server.server_port
            _LOGGER.info("serving Prometheus metrics on http://0.0.0.0:%d/metrics", _server_port)
        return _server_port
