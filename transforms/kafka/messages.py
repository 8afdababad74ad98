"""A consumed Kafka record as the stages see it: a ``WireMessage``, kept whole for dead letters."""

from __future__ import annotations

from typing import Any

from wirestream.transforms.records.story import WireMessage

__all__ = ["wire_message"]


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
