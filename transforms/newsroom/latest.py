"""Which version of a story is the latest: the rule behind the compacted ``wire.latest`` topic.

A family (``Story.family_id``) has one latest usable version. A newer version replaces it; an
older one arriving late does not, nor does a repeat, but a correction of the same version does (a
correction outranks a repeat); a kill or withdrawal takes the family down (a tombstone), and only
a numbered version above every one the family had, sent after the kill, brings it back. Withheld
items leave the latest as it is. A slug family that does not say its agency is the family of the
same slug that does (``records.ids.same_story``), so a kill without trailer or dateline finds its
story. The table of what each family's latest is lives in the process that writes the topic,
rebuilt from the topic itself when the process starts (``wirestream.transforms.kafka.latest_topic``):
what a tombstone keeps (``Placement.kept_version``, the kill's version or any higher one before it)
is what its headers carry, so the table read back is the table as it was.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wirestream.transforms.records import ids
from wirestream.transforms.records.signals import CANCELED, USABLE
from wirestream.transforms.records.story import Story

__all__ = ["PLACEMENTS", "Action", "LatestTable", "Placement", "Seen", "position_of"]


class Action(enum.Enum):
    WRITE = "write"  # the story is its family's latest: write it, keyed by family
    TOMBSTONE = "tombstone"  # the family is killed or withdrawn: a null value for its key
    KEEP = "keep"  # older, a repeat, or withheld: the latest stays as it is


# Why a story went where it did: it replaced its family's record (new, newer, corrected: a
# correction of the same version), took it down (killed), or left it as it was (older, repeat,
# withheld, after-kill).
PLACEMENTS = ("new", "newer", "corrected", "killed", "older", "repeat", "withheld", "after-kill")
CORRECTION = "correction"


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

    @property
    def kept_version(self) -> int | None:
        """The version the table keeps for the family: what the latest record's version header must
        carry (for a tombstone, the highest the family had, so a restart reads back the same table)."""
        return self.remember.version if self.remember is not None else None


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
        self._seen: dict[str, Seen] = {}
        self._by_slug: dict[str, set[str]] = {}  # a slug's words → the slug families known with them
        for family, one in (seen or {}).items():
            self.remember(family, one)

    def __len__(self) -> int:
        return len(self._seen)

    def get(self, family_id: str) -> Seen | None:
        return self._seen.get(family_id)

    def snapshot(self) -> dict[str, Seen]:
        """Every family's latest, as the table has it (a copy)."""
        return dict(self._seen)

    def remember(self, family_id: str, seen: Seen) -> None:
        self._seen[family_id] = seen
        parts = ids.slug_parts(family_id)
        if parts is not None:
            self._by_slug.setdefault(parts[1], set()).add(family_id)

    def family_of(self, family_id: str) -> str:
        """The family the table knows ``family_id`` as: itself, or the one known family of the same
        slug where one of the two does not say its agency (``ids.same_story``); itself when there
        is none, or more than one (two agencies' stories of one slug: a guess would kill the wrong one)."""
        parts = ids.slug_parts(family_id)
        if family_id in self._seen or parts is None:
            return family_id
        known = [f for f in self._by_slug.get(parts[1], ()) if ids.same_story(f, family_id)]
        return known[0] if len(known) == 1 else family_id

    def decide(self, story: Story) -> Placement:
        """The story's place, changing nothing in the table: ``commit`` it once the story's records
        are made, so that a story that fails to encode leaves the table as the topic is.

        A story whose slug family does not say its agency, or says it where the known one did not,
        is first given the family the table knows (``family_of``): its records carry that family.
        """
        story.family_id = self.family_of(story.family_id)
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
        if seen.canceled:
            if _revives(story, seen):
                return Placement(Action.WRITE, named or seen.story_id, "newer", family, latest)
            return Placement(Action.KEEP, named, "after-kill")
        if _corrects(story, seen):
            return Placement(Action.WRITE, named or _other(seen, story), "corrected", family, latest)
        if seen.story_id == story.id:
            return Placement(Action.KEEP, named, "repeat")
        if not _newer(story, seen):
            return Placement(Action.KEEP, named, "older")
        return Placement(Action.WRITE, named or seen.story_id, "newer", family, latest)

    def commit(self, placement: Placement) -> None:
        """Remember what a decided placement changed (nothing, if it kept the latest)."""
        if placement.family_id is not None and placement.remember is not None:
            self.remember(placement.family_id, placement.remember)


def _revives(story: Story, seen: Seen) -> bool:
    """Only a numbered version above every one the killed family had (the kill keeps the highest),
    sent after the kill, brings it back; a numbered version is above none (an unnumbered family)."""
    if story.version is None:
        return False
    above = seen.version is None or story.version > seen.version
    return above and _arrived_later(story, seen) is not False


def _corrects(story: Story, seen: Seen) -> bool:
    """A correction of the version the family has (the same number, or both unnumbered), sent after
    it: it replaces that record, where the same version without the signal would be a repeat."""
    return (
        CORRECTION in story.signals
        and story.version == seen.version
        and (seen.story_id == story.id or story.version is not None)
        and _arrived_later(story, seen) is not False
    )


def _other(seen: Seen, story: Story) -> str | None:
    """What a correction supersedes: the record it replaces, unless that record has its own id."""
    return None if seen.story_id == story.id else seen.story_id


def _max_version(version: int | None, seen: Seen | None) -> int | None:
    known = [v for v in (version, seen.version if seen else None) if v is not None]
    return max(known) if known else None
