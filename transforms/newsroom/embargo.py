"""Embargoes: each item under embargo is held, as the message it came in, until its time; then it
comes back, alone, once.

While it waits, the input message lives on the held topic (``--held-topic``), keyed by the item
(``item/<input position>/<story id>``) with its time in a header, so holding survives any restart:
the releaser (``wirestream.pipelines.release``) reads that topic and, at the time, produces the
message back onto the input topic naming the one item it releases; the message's other items were
dealt with when it first came (published, or held on their own) and are passed over. The release
and a tombstone for the item's key are one transaction, so the held topic is also the releaser's
memory of what it released. An item marked embargoed whose time cannot be read waits for an editor
(``HELD_REASON``, no time) until ``wirestream release-held`` releases it. A kill leaves a notice on
the held topic (``kill/<family>``), so that nothing of a story killed while it waits is released.

Every ``wirestream-`` header is ours. A producer's copy never frees an item (whether an item waits
is read from the item, not from headers) and never reaches the held topic; ``foreign_headers`` names
them, for the counter of refused headers. Nothing of the story (its record, quotes or entities) is
written anywhere before its release.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from wirestream.transforms.parsing.markers import note_signals
from wirestream.transforms.records.output import OutRecord
from wirestream.transforms.records.signals import CANCELED
from wirestream.transforms.records.story import Story, WireMessage, position_text, read_position

__all__ = [
    "EMBARGOED",
    "HELD_FAMILY",
    "HELD_FORMAT",
    "HELD_FROM",
    "HELD_ITEM",
    "HELD_KEY",
    "HELD_REASON",
    "HELD_UNTIL",
    "HELD_VERSION",
    "ITEM_PREFIX",
    "KILL_PREFIX",
    "OURS",
    "RELEASED",
    "RELEASED_ITEM",
    "Fate",
    "editor_reason",
    "fate",
    "foreign_headers",
    "held_format",
    "held_key",
    "held_record",
    "held_until",
    "is_held",
    "kill_notice",
    "refused_headers",
    "released_item",
]

OURS = "wirestream-"  # every header named so is ours, whoever set it
HELD_UNTIL = "wirestream-embargoed-until"  # epoch milliseconds, as ASCII digits; absent: for an editor
HELD_REASON = "wirestream-held-reason"  # why an editor must release it
HELD_FORMAT = "wirestream-format"
HELD_FROM = "wirestream-held-from"  # topic:partition:offset of the message held
HELD_ITEM = "wirestream-held-item"  # the story id of the item held
HELD_KEY = "wirestream-held-key"  # the input message's key (absent: it had none)
HELD_FAMILY = "wirestream-held-family"
HELD_VERSION = "wirestream-held-version"  # ASCII digits; empty: no version
RELEASED = "wirestream-released"  # on a message put back: held-topic:partition:offset it waited at
RELEASED_ITEM = "wirestream-released-item"  # … and the story id of the one item released
ITEM_PREFIX = "item/"  # held-topic keys: an item waiting
KILL_PREFIX = "kill/"  # … and a family's last kill
EMBARGOED = "embargoed"  # the signal of an item marked embargoed
_REASON_MAX = 300  # characters of the note quoted in a reason


class Fate(enum.Enum):
    """What the hold stage does with one item of a message."""

    GO = "go"  # on through the pipeline
    HOLD = "hold"  # to the held topic until its time
    EDITOR = "editor"  # to the held topic until an editor releases it: marked embargoed, no time read
    DONE = "done"  # a released message's other item, dealt with when the message first came: passed over


@dataclass(frozen=True)
class Release:
    """What a message put back by the releaser says: where it waited, and which of its items it brings."""

    held_at: tuple[str, int, int]
    item: str


def released_item(headers: Iterable[tuple[str, bytes | None]], held_topic: str | None = None) -> Release | None:
    """The release a message carries, if it is one of ours: both release headers, once each, the
    position on ``held_topic`` (when known). Anything else (a producer's ``wirestream-released``
    alone, a release from another pipeline's held topic) is no release: the message is taken as new."""
    found: dict[str, list[bytes]] = {}
    for name, value in headers:
        if name in (RELEASED, RELEASED_ITEM):
            found.setdefault(name, []).append(value or b"")
    if [len(found.get(RELEASED, ())), len(found.get(RELEASED_ITEM, ()))] != [1, 1]:
        return None
    position = read_position(found[RELEASED][0].decode("utf-8", "replace"))
    item = found[RELEASED_ITEM][0].decode("utf-8", "replace")
    if position is None or not item or (held_topic is not None and position[0] != held_topic):
        return None
    return Release(position, item)


def foreign_headers(headers: Iterable[tuple[str, bytes | None]], held_topic: str | None = None) -> list[str]:
    """The names of our headers that the message's producer set: every ``wirestream-`` header but
    the two of a release of ours. They are ignored (and the hold stage counts them)."""
    headers = list(headers)
    ours = {RELEASED, RELEASED_ITEM} if released_item(headers, held_topic) else set()
    return [name for name, _ in headers if name.startswith(OURS) and name not in ours]


def refused_headers(message: WireMessage, decided: Fate, held_topic: str | None = None) -> list[str]:
    """Our headers on ``message`` that we did not set, for the counter: ``foreign_headers``, and a
    release's own two when the item it names still waits (we release an item only at its time)."""
    names = foreign_headers(message.headers, held_topic)
    if decided in (Fate.HOLD, Fate.EDITOR) and released_item(message.headers, held_topic) is not None:
        names += [RELEASED, RELEASED_ITEM]
    return names


def fate(story: Story, message: WireMessage, now_ms: int, held_topic: str | None = None) -> Fate:
    """Whether the story goes on now, waits for its time, waits for an editor, or was dealt with.

    Read from the story, never from a header: an embargo still ahead holds whatever the message
    says. A released message brings one item back: the others are ``DONE``, and the one it names,
    marked embargoed with no time, is free (an editor released it).
    """
    release = released_item(message.headers, held_topic)
    if release is not None and release.item != story.id:
        return Fate.DONE
    if story.embargoed_until is not None:
        return Fate.HOLD if story.embargoed_until > now_ms else Fate.GO
    if EMBARGOED in story.signals and story.pubstatus != CANCELED and release is None:
        return Fate.EDITOR
    return Fate.GO


def is_held(story: Story, message: WireMessage, now_ms: int, held_topic: str | None = None) -> bool:
    """Whether the story must not go on now (``fate`` other than ``GO``)."""
    return fate(story, message, now_ms, held_topic) is not Fate.GO


def held_key(message: WireMessage, story: Story) -> bytes:
    """The item's key on the held topic: one per item of one input message, so holding it again
    (the message read twice after a crash) writes the same key, and its tombstone ends both."""
    return f"{ITEM_PREFIX}{position_text(message.topic, message.partition, message.offset)}/{story.id}".encode()


def held_record(message: WireMessage, story: Story, topic: str, reason: str | None = None) -> OutRecord:
    """The input message as it waits on ``topic`` for ``story``'s embargo time, or for an editor
    when ``reason`` is given: same value, keyed by the item, the producer's headers less any of
    ours, and ours (what the releaser needs to put it back, and to know whether it was killed)."""
    if reason is None and story.embargoed_until is None:
        raise ValueError(f"story {story.id} has neither an embargo time nor a reason to be held for")
    ours: list[tuple[str, bytes]] = [
        (HELD_ITEM, story.id.encode()),
        (HELD_FAMILY, story.family_id.encode()),
        (HELD_VERSION, b"" if story.version is None else str(story.version).encode()),
        (HELD_FORMAT, story.format.encode()),
        (HELD_FROM, position_text(message.topic, message.partition, message.offset).encode()),
    ]
    if message.key is not None:
        ours.append((HELD_KEY, message.key))
    if reason is None:
        ours.append((HELD_UNTIL, str(story.embargoed_until).encode()))
    else:
        ours.append((HELD_REASON, reason.encode()))
    theirs = tuple((name, value) for name, value in message.headers if not name.startswith(OURS))
    return OutRecord(
        topic, held_key(message, story), message.value, (*theirs, *ours), source_timestamp_ms=message.timestamp_ms
    )


def kill_notice(message: WireMessage, story: Story, topic: str) -> OutRecord:
    """A kill's notice on the held topic, keyed by family (a family's last kill is what counts):
    the releaser releases nothing of the family that it covers (``release.killed``)."""
    headers = (
        (HELD_ITEM, story.id.encode()),
        (HELD_FAMILY, story.family_id.encode()),
        (HELD_VERSION, b"" if story.version is None else str(story.version).encode()),
        (HELD_FROM, position_text(message.topic, message.partition, message.offset).encode()),
    )
    key = f"{KILL_PREFIX}{story.family_id}".encode()
    return OutRecord(topic, key, b"killed", headers, source_timestamp_ms=message.timestamp_ms)


def editor_reason(story: Story) -> str:
    """Why an item waits for an editor: it is marked embargoed and no time could be read, with the
    note that marks it (so the editor need not open the message)."""
    notes = [note for note in story.editor_notes if EMBARGOED in note_signals(note)]
    said = f": {notes[0][:_REASON_MAX]!r}" if notes else ""
    return f"marked embargoed, but no embargo time could be read{said}; release it with wirestream release-held"


def held_until(headers: Iterable[tuple[str, bytes | None]]) -> int | None:
    """The embargo time of a held message; None when it has none (it waits for an editor)."""
    found = None
    for name, value in headers:
        if name == HELD_UNTIL:
            found = int(value) if value and value.isdigit() else None  # ours come last: the last one counts
    return found


def held_format(headers: Iterable[tuple[str, bytes | None]]) -> str:
    """The held story's wire format (the released counter's label)."""
    found = "unknown"
    for name, value in headers:
        if name == HELD_FORMAT and value:
            found = value.decode("ascii", "replace")
    return found
