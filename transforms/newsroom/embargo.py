"""Embargoes: a story is held, as the message it came in, until its time; then it comes back.

While it waits, the input message lives on the held topic (``--held-topic``) with its embargo
time in a header, so holding survives any restart: the releaser (``wirestream.pipelines.release``)
reads that topic and, at the time, produces the message back onto the input topic, marked
released so that it is never held twice. Nothing of the story (its record, quotes or entities)
is written anywhere before that.
"""

from __future__ import annotations

from collections.abc import Iterable

from wirestream.transforms.records.output import OutRecord
from wirestream.transforms.records.story import Story, WireMessage, position_text

__all__ = [
    "HELD_FORMAT",
    "HELD_FROM",
    "HELD_UNTIL",
    "RELEASED",
    "held_format",
    "held_record",
    "held_until",
    "is_held",
    "released",
]

HELD_UNTIL = "wirestream-embargoed-until"  # epoch milliseconds, as ASCII digits
HELD_FORMAT = "wirestream-format"
HELD_FROM = "wirestream-held-from"  # topic:partition:offset of the message held
RELEASED = "wirestream-released"  # on a message the releaser put back: never hold it again
_OURS = {HELD_UNTIL, HELD_FORMAT, HELD_FROM}


def is_held(story: Story, message: WireMessage, now_ms: int) -> bool:
    """Whether the story must wait: its embargo is still ahead and it has not been released."""
    if story.embargoed_until is None or story.embargoed_until <= now_ms:
        return False
    return not any(name == RELEASED for name, _ in message.headers)


def held_record(message: WireMessage, story: Story, topic: str) -> OutRecord:
    """The input message as it waits on ``topic``: same key, value and headers, and ours."""
    if story.embargoed_until is None:
        raise ValueError(f"story {story.id} has no embargo to be held for")
    ours = (
        (HELD_UNTIL, str(story.embargoed_until).encode()),
        (HELD_FORMAT, story.format.encode()),
        (HELD_FROM, position_text(message.topic, message.partition, message.offset).encode()),
    )
    return OutRecord(
        topic, message.key, message.value, headers=(*message.headers, *ours), source_timestamp_ms=message.timestamp_ms
    )


def held_until(headers: Iterable[tuple[str, bytes | None]]) -> int | None:
    """The embargo time of a held message; None when it has no readable one (released at once)."""
    for name, value in headers:
        if name == HELD_UNTIL and value and value.isdigit():
            return int(value)
    return None


def released(headers: Iterable[tuple[str, bytes | None]], held_offset: str) -> list[tuple[str, bytes]]:
    """The headers a released message goes back with: the sender's, and ``RELEASED``."""
    kept = [(name, value or b"") for name, value in headers if name not in _OURS and name != RELEASED]
    return [*kept, (RELEASED, held_offset.encode())]


def held_format(headers: Iterable[tuple[str, bytes | None]]) -> str:
    """The held story's wire format (the released counter's label)."""
    for name, value in headers:
        if name == HELD_FORMAT and value:
            return value.decode("ascii", "replace")
    return "unknown"
