"""Our records to and from kafka-python's: a consumed record as the stages see it (a
``WireMessage``, kept whole for dead letters), and an ``OutRecord`` sent, counted and timed."""

from __future__ import annotations

from typing import Any

from wirestream.transforms.records.output import OutRecord
from wirestream.transforms.records.story import WireMessage
from wirestream.transforms.telemetry import metrics

__all__ = ["send_record", "wire_message"]


def wire_message(record: Any) -> WireMessage:
    """The ``WireMessage`` of a kafka-python ``ConsumerRecord`` (a null value reads as empty bytes)."""
    return WireMessage(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        timestamp_ms=record.timestamp,
        key=record.key,
        value=record.value if record.value is not None else b"",
        headers=tuple((name, value or b"") for name, value in (record.headers or ())),
    )


def send_record(producer: Any, record: OutRecord, output: str) -> Any:
    """Send ``record``; once the broker acknowledges it, it is counted and its end-to-end latency
    observed under ``output`` (``metrics.acknowledged``). Returns the send's future."""
    future = producer.send(record.topic, value=record.value, key=record.key, headers=list(record.headers))
    future.add_callback(metrics.acknowledged, record.topic, output, record.source_timestamp_ms)
    return future
