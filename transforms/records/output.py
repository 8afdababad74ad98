"""A record for an output topic, and the headers the latest topic's records carry.

Part of the data model (no encoding, no Kafka client), so the stages, the dead letters and the
Kafka writers share one shape without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

# Headers of a latest-topic record (a tombstone too), from which the table is rebuilt at start.
LATEST_STORY_ID = "wirestream-story-id"
LATEST_VERSION = "wirestream-version"
LATEST_SOURCE = "wirestream-source"  # topic:partition:offset of the input, for the arrival order


@dataclass(frozen=True)
class OutRecord:
    """A record for an output topic, with the Kafka timestamp of the input it was made from."""

    topic: str
    key: bytes | None
    value: bytes | None  # None: a tombstone (the latest topic's record of a killed story)
    headers: tuple[tuple[str, bytes], ...] = ()
    source_timestamp_ms: int | None = None
