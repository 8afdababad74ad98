"""Which version of a story is the latest: the rule behind the compacted ``wire.latest`` topic.

A family (``Story.family_id``) has one latest usable version. A newer version replaces it; an
older one arriving late does not; a kill or withdrawal takes the family down (a tombstone), and
only a strictly newer version brings it back. Withheld items leave the latest as it is. The
table of what each family's latest is lives in the process that writes the topic, rebuilt from
the topic itself when the process starts (``wirestream.transforms.kafka.latest_topic``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wirestream.transforms.records.signals import CANCELED, USABLE
from wirestream.transforms.records.story import Story

__all__ = ["PLACEMENTS", "Action", "LatestTable", "Placement", "Seen", "position_of"]


class Action(enum.Enum):
    WRITE = "write"  # the story is its family's latest: write it, keyed by family
    TOMBSTONE = "tombstone"  # the family is killed or withdrawn: a null value for its key
    KEEP = "keep"  # older, a repeat, or withheld: the latest stays as it is


# Why a story went where it did: it replaced its family's record (new, newer), took it down
# (killed), or left it as it was (older, repeat, withheld, after-kill).
PLACEMENTS = ("new", "newer", "killed", "older", "repeat", "withheld", "after-kill")


@dataclass(frozen=True)
class Seen:
    """What a family's latest record is: its story id, version, whether it was taken down, and where
    its input came from (topic, partition, offset), which says what arrived first."""

    story_id: str
    version: int | None
    canceled: bool = False
    position: tuple[str, int, int] | None = None


@dataclass(frozen=True)
class Placement:
    """Where a story goes on the latest topic, the id of the record it replaces (or None), and what
    the table is to remember of its family once the story's records are made (None: nothing new)."""

    action: Action
    supersedes: str | None
    why: str  # one of PLACEMENTS, for the counters
    family_id: str | None = None
    remember: Seen | None = None


def position_of(story: Story) -> tuple[str, int, int] | None:
    source = story.source
    if source.topic is None or source.partition is None or source.offset is None:
        return None
    return (source.topic, source.partition, source.offset)


def _arrived_later(story: Story, seen: Seen) -> bool | None:
    """Whether the story's input came after the seen one's on the same partition; None: unknown.

    Stories reach this table in the order the enrich stage finishes them, not always as they came,
    so arrival is read from the input offsets, never from the order of calls.
    """
    here = position_of(story)
    if here is None or seen.position is None or here[:2] != seen.position[:2]:
        return None
    return here[2] > seen.position[2]


def _newer(story: Story, seen: Seen) -> bool:
    """Versions decide when both have one; a numbered version is newer than an unnumbered one
    (ANPA's original before its ``1st Ld``); two unnumbered ones go by arrival."""
    if story.version is not None and seen.version is not None:
        return story.version > seen.version
    if story.version is None and seen.version is not None:
        return False
    if story.version is not None:
        return True
    return _arrived_later(story, seen) is not False


class LatestTable:
    """Each family's latest record, as this process has written (or read back) the topic."""

    def __init__(self, seen: dict[str, Seen] | None = None) -> None:
        self._seen: dict[str, Seen] = dict(seen or {})

    def __len__(self) -> int:
        return len(self._seen)

    def get(self, family_id: str) -> Seen | None:
        return self._seen.get(family_id)

    def remember(self, family_id: str, seen: Seen) -> None:
        self._seen[family_id] = seen

    def decide(self, story: Story) -> Placement:
        """The story's place, changing nothing: ``commit`` it once the story's records are made, so
        that a story that fails to encode leaves the table as the topic is."""
        seen = self._seen.get(story.family_id)
        named = story.supersedes  # the item's own word wins over what we saw
        family, here = story.family_id, position_of(story)
        if story.pubstatus == CANCELED:
            down = Seen(story.id, _max_version(story.version, seen), True, here)
            return Placement(Action.TOMBSTONE, named or (seen.story_id if seen else None), "killed", family, down)
        if story.pubstatus != USABLE:
            return Placement(Action.KEEP, named, "withheld")
        latest = Seen(story.id, story.version, False, here)
        if seen is None:
            return Placement(Action.WRITE, named, "new", family, latest)
        if seen.story_id == story.id:
            return Placement(Action.KEEP, named, "after-kill" if seen.canceled else "repeat")
        if seen.canceled and not _revives(story, seen):
            return Placement(Action.KEEP, named, "after-kill")
        if not _newer(story, seen):
            return Placement(Action.KEEP, named, "older")
        return Placement(Action.WRITE, named or seen.story_id, "newer", family, latest)

    def commit(self, placement: Placement) -> None:
        """Remember what a decided placement changed (nothing, if it kept the latest)."""
        if placement.family_id is not None and placement.remember is not None:
            self._seen[placement.family_id] = placement.remember


def _revives(story: Story, seen: Seen) -> bool:
    """Only a version numbered above the kill's, sent after it, brings a killed family back."""
    numbered = story.version is not None and seen.version is not None
    return numbered and _newer(story, seen) and _arrived_later(story, seen) is not False


def _max_version(version: int | None, seen: Seen | None) -> int | None:
    known = [v for v in (version, seen.version if seen else None) if v is not None]
    return max(known) if known else None
