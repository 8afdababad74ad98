"""Dead letters: a message a stage could not handle, with the original bytes and why.

The dead-letter record is the input message untouched (key, value, headers) plus headers that
name the stage, the failure's reason and error, and where the message came from, so it can be
inspected and replayed to the input topic after a fix. What writes these headers reads them back
too (``read_headers``, ``original_headers``), for the replay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wirestream.transforms.deadletters.errors import WirestreamError
from wirestream.transforms.records.output import OutRecord
from wirestream.transforms.records.story import WireMessage

HEADER_PREFIX = "wirestream."
MAX_ERROR_CHARS = 1000


@dataclass(frozen=True)
class DeadLetter:
    message: WireMessage
    stage: str
    reason: str
    error: str

    @classmethod
    def from_exception(cls, message: WireMessage, stage: str, exc: BaseException) -> DeadLetter:
        """A dead letter for ``exc``: typed failures keep their reason, anything else is a bug."""
        reason = exc.reason if isinstance(exc, WirestreamError) else "internal-error"
        return cls(message, stage, reason, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS])

    def headers(self) -> tuple[tuple[str, bytes], ...]:
        source = self.message
        return (
            (HEADER_PREFIX + "stage", self.stage.encode()),
            (HEADER_PREFIX + "reason", self.reason.encode()),
            (HEADER_PREFIX + "error", self.error.encode("utf-8", "replace")),
            (HEADER_PREFIX + "source.topic", source.topic.encode()),
            (HEADER_PREFIX + "source.partition", str(source.partition).encode()),
            (HEADER_PREFIX + "source.offset", str(source.offset).encode()),
            (HEADER_PREFIX + "source.timestamp", str(source.timestamp_ms).encode()),
        )

    def to_record(self, topic: str) -> OutRecord:
        """The Kafka record: original key and bytes, original headers first, then ours."""
        return OutRecord(
            topic,
            self.message.key,
            self.message.value,
            self.message.headers + self.headers(),
            source_timestamp_ms=self.message.timestamp_ms,
        )


def read_headers(headers: Iterable[tuple[str, bytes | None]]) -> dict[str, str]:
    """Our headers of a dead-letter record, named without the prefix: ``stage``, ``reason``, ``error``, …"""
    return {
        name.removeprefix(HEADER_PREFIX): (value or b"").decode("utf-8", "replace")
        for name, value in headers
        if name.startswith(HEADER_PREFIX)
    }


def original_headers(headers: Iterable[tuple[str, bytes | None]]) -> list[tuple[str, bytes]]:
    """The headers the message arrived with: a dead-letter record's headers without ours, in order."""
    return [(name, value or b"") for name, value in headers if not name.startswith(HEADER_PREFIX)]
