"""A message's way through the stages as plain functions: decode, parse, the embargo check, enrich.

The Beam stages (``step2_decode`` … ``step5_enrich``) run each step in its own sandbox, so that a
failure or an overrun is dead-lettered by the stage it happened in; the urgent lane and
``wirestream parse`` run them one after another with ``stories_of``. Each step and its checks are
written here once, so the three cannot drift apart.
"""

from __future__ import annotations

from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.newsroom.embargo import is_held
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story, WireItem, WireMessage
from wirestream.transforms.records.version import VERSION
from wirestream.transforms.settings import Limits

__all__ = ["decode", "free_stories", "parse", "prepare", "source_of", "stories_of"]


def decode(value: bytes, *, limits: Limits, wire_format: str | None = None) -> list[WireItem]:
    """The items a message carries; an oversized message is refused before any decoder reads it."""
    if len(value) > limits.max_message_bytes:
        raise DecodeError(
            f"message of {len(value):,} bytes is over the {limits.max_message_bytes:,}-byte limit for one wire "
            f"item; raise --max-message-bytes if such items are real",
            reason="too-large",
        )
    return formats.decode(value, format=wire_format)


def parse(item: WireItem, source: Source, pipeline_version: str = VERSION) -> Story:
    """One decoded item split into the Story's parts, with its newsroom fields (no language model)."""
    return parse_item(item, source, pipeline_version=pipeline_version)


def source_of(message: WireMessage) -> Source:
    """Where a story read from Kafka came from: its message's position and timestamp."""
    return Source(
        topic=message.topic, partition=message.partition, offset=message.offset, timestamp_ms=message.timestamp_ms
    )


def stories_of(value: bytes, source: Source, *, limits: Limits, wire_format: str | None = None) -> list[Story]:
    """Decode, then parse every item: what the decode and parse stages make of one message."""
    return [parse(item, source) for item in decode(value, limits=limits, wire_format=wire_format)]


# A lead that makes parsing load all it reads on first use: the gazetteer and region names (a place
# with a state), the agencies, the language identifier.
_WARM_UP = (
    b"SPRINGFIELD, Ill. (AP) \xe2\x80\x94 The city council voted on Tuesday to keep the old river bridge open "
    b"while engineers study its piers, officials said.\n"
)


def prepare() -> None:
    """Load what decoding and parsing read on first use, once, when a stage's process starts: a
    message's time limit must not pay for the gazetteer and the language identifier (seconds)."""
    stories_of(_WARM_UP, Source(path="warm-up"), limits=Limits())


def free_stories(stories: list[Story], message: WireMessage, now_ms: int) -> list[Story]:
    """The stories that may go on now: those not held until an embargo (``newsroom.embargo.is_held``)."""
    return [story for story in stories if not is_held(story, message, now_ms)]
