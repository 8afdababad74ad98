"""The Prometheus metrics a worker process counts (no Beam here); ``exporter`` serves them.

Beam's own metrics stay inside the runner; operators scrape Prometheus, so each worker process
counts into prometheus-client's registry. Labels are low-cardinality by design: topic, output,
format, stage, reason — never a story id. Gauges say how to combine processes in multi-process
mode (``exporter``): lag is the latest value of the live process reading the partition.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from wirestream.transforms.deadletters.reasons import STAGES, reasons_of
from wirestream.transforms.newsroom.latest import PLACEMENTS
from wirestream.transforms.records.signals import SIGNALS as SIGNAL_NAMES
from wirestream.transforms.telemetry.exporter import multiprocess_dir

multiprocess_dir()  # in multi-process mode the metrics below write into it from their creation on

MESSAGES_CONSUMED = Counter("wirestream_messages_consumed_total", "Messages read from the input topic.", ["topic"])
CONSUMED_BYTES = Counter("wirestream_consumed_bytes_total", "Bytes of message values read from the input.", ["topic"])
CONSUMER_LAG = Gauge(
    "wirestream_consumer_lag_messages",
    "Messages in a partition not yet read: the end offset last seen by the reader minus its position.",
    ["topic", "partition"],
    multiprocess_mode="livemostrecent",
)
STORIES_PROCESSED = Counter("wirestream_stories_processed_total", "Stories decoded, parsed and enriched.", ["format"])
# Who sends, from where, in what: a desk sees a feed go quiet, and where its copy is datelined.
# Labels are bounded: agencies the wire names (``places.agencies``) or "none", ISO country codes or
# "none", language subtags.
STORIES_BY_AGENCY = Counter(
    "wirestream_stories_by_agency_total", "Stories written, by the agency their dateline names.", ["agency"]
)
STORIES_BY_COUNTRY = Counter(
    "wirestream_stories_by_country_total", "Stories written, by their dateline's country (ISO 3166-1).", ["country"]
)
STORIES_BY_LANGUAGE = Counter(
    "wirestream_stories_by_language_total",
    "Stories written, by language and the spaCy pipeline that read them (none: no model for the language).",
    ["language", "model"],
)
DEADLETTERS = Counter("wirestream_deadletters_total", "Messages routed to the dead-letter topic.", ["stage", "reason"])
RECORDS_PRODUCED = Counter(
    "wirestream_records_produced_total",
    "Records acknowledged by the broker on an output topic.",
    ["topic", "output"],
)
ENTITIES_EXTRACTED = Counter(
    "wirestream_entities_extracted_total", "Entities found in stories (one per entity per story).", ["label"]
)
QUOTES_EXTRACTED = Counter("wirestream_quotes_extracted_total", "Quotes found in stories.", ["kind"])
QUOTE_KINDS = ("DIRECT", "PARTIAL", "REPORTED")
SIGNALS = Counter(
    "wirestream_signals_total",
    "Stories written that say they are a kill, withdrawal, correction, write-through, … (one per signal).",
    ["signal", "format"],
)
LATEST_PLACEMENTS = Counter(
    "wirestream_latest_placements_total",
    "Stories by what they did to their family's latest record: new, newer, corrected, killed (a tombstone); "
    "or kept it: older, repeat, withheld, after-kill.",
    ["placement"],
)
EMBARGOES_HELD = Counter(
    "wirestream_embargoes_held_total", "Stories held on the held topic until their embargo.", ["format"]
)
EMBARGOES_RELEASED = Counter(
    "wirestream_embargoes_released_total", "Held stories put back on the input topic at their embargo time.", ["format"]
)
EMBARGOES_WAITING = Gauge(
    "wirestream_embargoes_waiting", "Held stories whose embargo time has not come yet.", multiprocess_mode="livesum"
)
EMBARGOES_FOR_EDITOR = Counter(
    "wirestream_embargoes_for_editor_total",
    "Stories marked embargoed whose time could not be read: held until an editor releases them (release-held).",
    ["format"],
)
EMBARGOES_KILLED = Counter(
    "wirestream_embargoes_killed_total", "Held stories killed while they waited: never released.", ["format"]
)
# Our own headers (``wirestream-…``) on an input message that a producer set: ignored, never obeyed.
REFUSED_HEADERS = Counter(
    "wirestream_refused_headers_total",
    "Our own headers (wirestream-...) found on input messages as a producer set them: ignored. Per item.",
    ["header"],
)
_KNOWN_HEADERS = (
    "wirestream-released",
    "wirestream-released-item",
    "wirestream-embargoed-until",
    "wirestream-held-reason",
    "wirestream-format",
    "wirestream-held-from",
    "wirestream-held-item",
    "wirestream-held-key",
    "wirestream-held-family",
    "wirestream-held-version",
)
ENRICH_STEP_FAILURES = Counter(
    "wirestream_enrich_step_failures_total",
    "Stories that went out without one enrichment step's output because that step raised (also a dead letter).",
    ["step"],
)
STAGE_SECONDS = Histogram(
    "wirestream_stage_seconds",
    "Time a stage spent on one message (for batched stages: per story, the batch time divided evenly).",
    ["stage"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)

END_TO_END_SECONDS = Histogram(
    "wirestream_end_to_end_latency_seconds",
    "From the input message's Kafka timestamp to the broker's acknowledgement of the output record.",
    ["topic", "output"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0),
)
KAFKA_RECONNECTS = Counter(
    "wirestream_kafka_reconnects_total", "Times the reader regained the Kafka broker after losing its connection."
)
# A gauge of 1 rather than an Info, which prometheus-client's multi-process mode cannot hold.
BUILD_INFO = Gauge(
    "wirestream_build_info",
    "The wirestream version and the Beam runner of the worker processes (always 1).",
    ["version", "runner", "beam_version"],
    multiprocess_mode="livemax",
)


def describe_build(*, version: str, runner: str, beam_version: str, formats: Iterable[str]) -> None:
    """Set ``wirestream_build_info`` and start the series of known labels at zero.

    Build info tells which process a series comes from. A counter series that first appears at 1
    hides that first increment from ``rate()``; started at 0, the first quote, dead letter or story
    of each kind shows on the dashboard.
    """
    BUILD_INFO.labels(version, runner, beam_version).set(1)
    for kind in QUOTE_KINDS:
        QUOTES_EXTRACTED.labels(kind)
    for stage in STAGES:
        for reason in reasons_of(stage):
            DEADLETTERS.labels(stage, reason)
    for placement in PLACEMENTS:
        LATEST_PLACEMENTS.labels(placement)
    for wire_format in formats:
        STORIES_PROCESSED.labels(wire_format)
        EMBARGOES_HELD.labels(wire_format)
        EMBARGOES_RELEASED.labels(wire_format)
        EMBARGOES_FOR_EDITOR.labels(wire_format)
        EMBARGOES_KILLED.labels(wire_format)
        for signal in SIGNAL_NAMES:
            SIGNALS.labels(signal, wire_format)  # the first kill must raise increase() to page


def count_refused_header(name: str) -> None:
    """Count a producer's copy of one of our headers (a name we do not know counts as ``other``)."""
    REFUSED_HEADERS.labels(name if name in _KNOWN_HEADERS else "other").inc()


def acknowledged(topic: str, output: str, source_timestamp_ms: int | None, _metadata: Any = None) -> None:
    """Count an acknowledged record and how long it took from its input's Kafka timestamp (a
    producer future's callback).

    A record without a source timestamp (an input produced with none) is counted but not timed, so
    the histogram's count can fall short of the records only for such inputs.
    """
    RECORDS_PRODUCED.labels(topic, output).inc()
    if source_timestamp_ms is not None and source_timestamp_ms >= 0:
        seconds = max(time.time() - source_timestamp_ms / 1000, 0.0)
        END_TO_END_SECONDS.labels(topic, output).observe(seconds)
