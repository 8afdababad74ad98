"""NITF 3.x (News Industry Text Format) XML: AP, AAP, EFE, NTB, PA and others.

Fields come from a declarative table of paths; the body is one line per block element of
``body.content`` (``<p>``, ``<hl2>``, list items, table rows) followed by ``body.end``'s
``<tagline>`` after a ``___`` rule. ``read_nitf`` is shared with NewsML, which wraps NITF.

The newsroom fields come from ``docdata``: ``urgency/@ed-urg`` (NITF's 1 most urgent to 8, IPTC's
scale already), ``@management-status`` (``embargoed`` is a usable story with an embargo),
``date.release/@norm`` (an embargo when the status says so, or when it is later than
``date.issue``: AAP gives the issue time there), ``ed-msg/@msg-type`` naming one of our signals.

What the item says about itself: ``date.issue`` is when this version was issued (NITF has no
first-created time), ``tobject.subject`` its subjects (an 8-digit ``refnum`` of no other ``ipr`` is
an IPTC Subject NewsCode; another ``ipr``'s codes keep it as their scheme, named by their most
specific ``detail``, ``matter`` or ``type``), ``key-list`` its keywords, ``tobject.property`` its
genres, ``body.head/abstract`` its summary, ``doc.rights`` (``limitations``, else ``type``) its
usage terms. ``doc-id`` is the guid as it is: NITF keeps the version in ``du-key``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wirestream.transforms.formats._about import About, genre_name, texts
from wirestream.transforms.formats._fields import epoch_millis, pubstatus, urgency_number, version_number
from wirestream.transforms.formats._xml import attr, block_lines, parse_xml, read_fields, sniff_root, text_of
from wirestream.transforms.records.signals import SIGNALS, USABLE
from wirestream.transforms.records.story import WireItem
from wirestream.transforms.subjects import ItemSubject, qcode_of, resolve

__all__ = ["NAME", "can_decode", "decode", "read_nitf"]

NAME = "NITF"

# Paths are relative to <nitf>; the first that has a value wins.
FIELDS: dict[str, tuple[str, ...]] = {
    "headline": ("body/body.head/hedline/hl1", "head/title", "body/body.head/headline/hl1"),
    "guid": ("head/docdata/doc-id@id-string",),
    "version": ("head/docdata/du-key@version",),
    "slugline": ("head/docdata/du-key@key", "head/docdata/key-list/keyword@key"),
    "language": ("@baselang", "@lang"),
    "editor_note": ("head/docdata/ed-msg@info",),
    "urgency": ("head/docdata/urgency@ed-urg",),
    "status": ("head/docdata@management-status",),
    "release": ("head/docdata/date.release@norm",),
    "issue": ("head/docdata/date.issue@norm",),
    "message_type": ("head/docdata/ed-msg@msg-type",),
    "usage_terms": ("head/docdata/doc.rights@limitations", "head/docdata/doc.rights@type"),
}
# NITF's ``ed-urg`` runs from 1 (most urgent) to 8 (least).
NITF_LOWEST_URGENCY = 8
# ``ed-msg/@msg-type`` is free text; these words (any case) name a signal, others none.
_MESSAGE_TYPES = {name: name for name in SIGNALS} | {"writethru": "write-through", "embargo": "embargoed"}


def can_decode(raw: bytes) -> bool:
    """True for an XML document whose root element is ``<nitf>``."""
    return sniff_root(raw) == "nitf"


def decode(raw: bytes) -> list[WireItem]:
    """One WireItem; DecodeError ``bad-xml`` or ``unsafe-xml`` when the XML cannot be read."""
    return [read_nitf(parse_xml(raw, NAME), NAME)]


def read_nitf(nitf: ET.Element, format_name: str) -> WireItem:
    """A WireItem from a ``<nitf>`` element (namespaces already dropped)."""
    fields = read_fields(nitf, FIELDS)
    head = nitf.find("body/body.head")
    byline = head.find("byline") if head is not None else None
    dateline = head.find("dateline") if head is not None else None
    body_lines = block_lines(nitf.find("body/body.content"))
    taglines = [text_of(t) for t in nitf.iterfind("body/body.end/tagline")]
    if any(taglines):
        body_lines += ["___", *[t for t in taglines if t]]
    version = version_number(fields["version"])
    status = (fields["status"] or "").lower()
    embargoed_until = _embargo(fields, embargoed=status == "embargoed")
    message = _MESSAGE_TYPES.get((fields["message_type"] or "").lower())
    signals = [message] if message else []
    if (status == "embargoed" or embargoed_until is not None) and "embargoed" not in signals:
        signals.append("embargoed")
    return WireItem(
        format=format_name,
        body_lines=body_lines,
        guid=fields["guid"],
        version=version,
        headline=fields["headline"],
        decks=[text for deck in nitf.iterfind("body/body.head/hedline/hl2") if (text := text_of(deck))],
        slugline=fields["slugline"],
        language=fields["language"],
        byline=text_of(byline, skip=frozenset({"byttl"})),
        byline_title=text_of(byline.find("byttl")) if byline is not None else None,
        dateline=_place(text_of(dateline, skip=frozenset({"story.date"}))),
        editor_notes=[fields["editor_note"]] if fields["editor_note"] else [],
        urgency=urgency_number(fields["urgency"], lowest=NITF_LOWEST_URGENCY),
        pubstatus=USABLE if status == "embargoed" else pubstatus(status),
        embargoed_until=embargoed_until,
        signals=signals,
        **_about(nitf, fields).fields(),
    )


def _about(nitf: ET.Element, fields: dict[str, str | None]) -> About:
    return About(
        version_created=epoch_millis(fields["issue"]),
        subjects=resolve(_subjects(nitf)),
        keywords=texts(attr(k, "key") for k in nitf.iterfind("head/docdata/key-list/keyword")),
        abstract=" ".join(block_lines(nitf.find("body/body.head/abstract"))) or None,
        genres=texts(
            genre_name(attr(p, "tobject.property.type"), None) for p in nitf.iterfind("head/tobject/tobject.property")
        ),
        usage_terms=fields["usage_terms"],
    )


def _subjects(nitf: ET.Element) -> list[ItemSubject]:
    found = []
    for subject in nitf.iterfind("head/tobject/tobject.subject"):
        owner = attr(subject, "tobject.subject.ipr")
        scheme = None if owner is None or owner.upper() == "IPTC" else owner
        qcode = qcode_of(attr(subject, "tobject.subject.refnum"), scheme=scheme)
        if qcode is not None:
            names = (attr(subject, f"tobject.subject.{part}") for part in ("detail", "matter", "type"))
            found.append(ItemSubject(qcode, next((n for n in names if n), None)))
    return found


def _embargo(fields: dict[str, str | None], *, embargoed: bool) -> int | None:
    """The release time when it holds the story back: the status says embargoed, or it comes
    after the issue time (or there is none). A release at the issue time is no embargo."""
    release = epoch_millis(fields["release"])
    if release is None or embargoed:
        return release
    issue = epoch_millis(fields["issue"])
    return release if issue is None or release > issue else None


def _place(text: str | None) -> str | None:
    """A dateline field's text if it names a place (has letters), not only a date or time."""
    return text if text and sum(ch.isalpha() for ch in text) >= 2 and not text[:1].isdigit() else None
