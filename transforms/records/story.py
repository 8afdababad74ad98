"""The records every stage shares: what comes off Kafka, what a decoder makes of it, the Story.

Plain dataclasses with no Beam and no Kafka imports, so parsing code and tests can use them alone.
Field names follow ``schemas/story.avsc``; ``Story.to_record()`` gives the Avro-shaped dict.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WireMessage:
    """One message as read from a Kafka topic, kept whole so a dead letter can carry it untouched."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()


def position_text(topic: str | None, partition: int | None, offset: int | None) -> str:
    """``topic:partition:offset``, as our headers name a Kafka position; empty when it has none."""
    return "" if topic is None or partition is None or offset is None else f"{topic}:{partition}:{offset}"


def read_position(text: str) -> tuple[str, int, int] | None:
    """The position ``position_text`` wrote (the topic may hold colons); None for anything else."""
    rest, _, offset = text.rpartition(":")
    topic, _, partition = rest.rpartition(":")
    return (topic, int(partition), int(offset)) if topic and partition.isdigit() and offset.isdigit() else None


@dataclass(frozen=True)
class Source:
    """Where a story came from: a Kafka position, or a file for ``wirestream parse``."""

    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp_ms: int | None = None
    path: str | None = None


@dataclass
class WireItem:
    """A decoded wire item: the format's own fields, and the body as plain text lines.

    Decoders fill what their format carries; the parser reads the rest out of ``body_lines``.
    """

    format: str
    body_lines: list[str]
    guid: str | None = None
    version: int | None = None
    headline: str | None = None
    # Lines under the headline that add to it (NITF ``<hedline><hl2>``, an ANPA summary line).
    decks: list[str] = field(default_factory=list)
    slugline: str | None = None
    language: str | None = None
    byline: str | None = None
    dateline: str | None = None
    located: str | None = None
    # A title line the format gives apart from the byline (NITF ``<byttl>``).
    byline_title: str | None = None
    # Bylines the format gives one by one, each with its own title (AP's ``bylines``).
    bylines: list[Byline] = field(default_factory=list)
    # Notes to editors the format keeps outside the body (IPTC 7901 notebook, NewsML edNote,
    # ANPA ``Eds:`` and write-through lines in the header block).
    editor_notes: list[str] = field(default_factory=list)
    # Closing lines the format keeps apart from the body (IPTC 7901's notebook links).
    trailer: list[str] = field(default_factory=list)
    # What a newsroom acts on, mapped from the format's own fields (``records/signals.py``); the
    # parser adds what the text says (``Kill``, ``Writethru``, ``Embargoed until ...``).
    urgency: int | None = None  # IPTC's 1 (most urgent) to 9
    pubstatus: str | None = None  # usable, withheld or canceled; None: the format says nothing
    embargoed_until: int | None = None  # epoch milliseconds, UTC
    signals: list[str] = field(default_factory=list)
    # The story id (``records.ids.story_id``) of the version this item says it replaces.
    supersedes: str | None = None
    # The sending agency as the format's envelope names it (ANPA's ``AP-WF-...`` trailer, IPTC
    # 7901's header): every version and the kill share it, so the slug family takes it first.
    agency: str | None = None
    # The item's own times (epoch milliseconds, UTC) and what it says it is about and may be used for.
    first_created: int | None = None
    version_created: int | None = None
    subjects: list[Subject] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    genres: list[str] = field(default_factory=list)
    usage_terms: str | None = None


@dataclass
class Subject:
    """What the item is about, as a code of a vocabulary: ``subj:15008000`` (IPTC Subject NewsCodes),
    ``medtop:20000851`` (IPTC Media Topics), ``anpa-category:s``, or the item's own scheme alias."""

    qcode: str
    name: str | None = None  # the English label where the vocabulary has one, else the item's own
    broader: list[str] = field(default_factory=list)  # the qcodes of its ancestors, nearest first


@dataclass(frozen=True)
class Geo:
    """Where a dateline's place is, from the gazetteer (``transforms/places``): GeoNames' record."""

    geonames_id: int | None  # None for a place GeoNames has no row for
    name: str
    country_code: str  # ISO 3166-1 alpha-2
    admin1: str | None  # GeoNames' first-level code: a US state's postal code (``IL``), ``ENG``, ``07``
    latitude: float
    longitude: float
    timezone: str | None  # IANA: ``Europe/Rome``


@dataclass(frozen=True)
class Dateline:
    """``DEIR AL-BALAH, Gaza Strip (AP) —`` → location, region, agency; date where the wire gives one."""

    raw: str
    location: str | None  # None: agency and date only (``March 3 (Reuters) -``)
    region: str | None = None
    agency: str | None = None
    date: str | None = None
    # Derived from location and region by the gazetteer, so it takes no part in equality.
    geo: Geo | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Byline:
    """One person (or desk) credited at the top: ``By PAUL BYRNE`` with its title line."""

    name: str
    title: str | None = None


@dataclass(frozen=True)
class Contributor:
    """A person named in a tagline after the ``___`` rule: ``Magdy reported from Cairo.``"""

    name: str
    role: str | None
    location: str | None
    raw: str


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Entity:
    """One real-world entity found in the body, with every mention's character span."""

    text: str
    label: str
    mentions: int
    aliases: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    # A place the dateline names: its country (ISO 3166-1 alpha-2), from the dateline's geo.
    country_code: str | None = None


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None
    kind: str
    cue: str | None
    paragraph: int
    start: int
    end: int


@dataclass(kw_only=True)
class Story:
    """The parsed, enriched story: the ``Story`` Avro record, its fields in the schema's order."""

    id: str
    version: int | None = None
    # The same for every version of one story (``records/ids.py``): wire.latest's key.
    family_id: str
    supersedes: str | None = None
    urgency: int | None = None
    pubstatus: str = "usable"
    # Epoch milliseconds; Avro readers get a datetime (timestamp-millis).
    embargoed_until: int | None = None
    signals: list[str] = field(default_factory=list)
    format: str
    source: Source
    headline: str | None = None
    decks: list[str] = field(default_factory=list)
    slugline: str | None = None
    language: str | None = None
    dateline: Dateline | None = None
    bylines: list[Byline] = field(default_factory=list)
    contributors: list[Contributor] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)
    paragraphs: list[str]
    trailer: list[str] = field(default_factory=list)
    editor_notes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    word_count: int = 0
    # Epoch milliseconds when encoded; Avro readers get it as a datetime (timestamp-millis).
    processed_at: int | None = None
    pipeline_version: str = ""
    # Epoch milliseconds (UTC) as the item gives them; Avro readers get datetimes (timestamp-millis).
    first_created: int | None = None
    version_created: int | None = None
    subjects: list[Subject] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    genres: list[str] = field(default_factory=list)
    usage_terms: str | None = None
    # The language tag as the item wrote it (``language`` is what the story is read as).
    language_declared: str | None = None
    # The spaCy pipeline that found the entities and quotes; None: no model for the story's language.
    nlp_model: str | None = None

    @property
    def body(self) -> str:
        """The paragraphs as one text, a blank line apart: what NER and quote finding read."""
        return "\n\n".join(self.paragraphs)

    def to_record(self) -> dict[str, Any]:
        """The story as a plain dict shaped like ``schemas/story.avsc``."""
        return dataclasses.asdict(self)
