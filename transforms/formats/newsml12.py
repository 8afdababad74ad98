"""NewsML 1.2 XML (AFP): a ``NewsML`` envelope of ``NewsItem``s, one story each.

Fields come from ``NewsLines`` (``HeadLine``, ``DateLine``, ``ByLine``, ``SlugLine``) and the
item's identification; the text is the NITF (or plain text) inside a text ``ContentItem``.
AFP closes its body with a line of editors' initials (``hh/ph/ts/hd``), which is dropped.

The newsroom fields come from ``NewsManagement`` (``Urgency``, 1 most urgent to 9; ``Status``:
``Embargoed`` is a usable story with an embargo until ``StatusWillChange/DateAndTime``;
``NewsItemType`` ``Errata`` or ``Advisory``) and from the identifier: ``PublicIdentifier`` ends in
``:<RevisionId>``, which is taken off for the family, and ``RevisionId/@PreviousRevision`` names
the version this one replaces.

A NewsItem whose content is photos, graphics, video or audio only (``MediaType``) carries no story
text and is left out, as in NewsML-G2; a document of such items only is refused (``no-text-item``).
What the item says about itself: ``FirstCreated`` and ``ThisRevisionCreated``, ``SubjectCode``
(IPTC Subject NewsCodes, ``Subject``/``SubjectMatter``/``SubjectDetail``), ``Keyword`` properties,
``Genre``, ``UsageRights``, and the inner NITF's ``abstract``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats import nitf
from wirestream.transforms.formats._about import About, genre_name, texts
from wirestream.transforms.formats._fields import epoch_millis, pubstatus, revision_guid, urgency_number, version_number
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.formats._text import is_hard_wrapped, join_wrapped
from wirestream.transforms.formats._xml import (
    attr,
    block_lines,
    items_apart,
    parse_xml,
    read_fields,
    sniff_root,
    text_of,
)
from wirestream.transforms.records import ids
from wirestream.transforms.records.signals import USABLE
from wirestream.transforms.records.story import WireItem
from wirestream.transforms.subjects import ItemSubject, qcode_of, resolve

__all__ = ["NAME", "can_decode", "decode"]

NAME = "NEWSML12"

# Paths relative to <NewsItem>; the first that has a value wins.
FIELDS: dict[str, tuple[str, ...]] = {
    "guid": ("Identification/NewsIdentifier/PublicIdentifier",),
    "version": ("Identification/NewsIdentifier/RevisionId",),
    "previous": ("Identification/NewsIdentifier/RevisionId@PreviousRevision",),
    "headline": (".//NewsLines/HeadLine",),
    "slugline": (".//NewsLines/SlugLine", "Identification/NameLabel"),
    "byline": (".//NewsLines/ByLine",),
    "dateline": (".//NewsLines/DateLine",),
    "language": ("@lang", ".//DescriptiveMetadata/Language@FormalName"),
    "located": (".//DescriptiveMetadata/Location/Property[@FormalName='City']@Value",),
    "urgency": ("NewsManagement/Urgency@FormalName",),
    "status": ("NewsManagement/Status@FormalName",),
    "status_change": ("NewsManagement/StatusWillChange/DateAndTime",),
    "item_type": ("NewsManagement/NewsItemType@FormalName",),
    "first_created": ("NewsManagement/FirstCreated",),
    "version_created": ("NewsManagement/ThisRevisionCreated",),
}
# IPTC's NewsItemType topics that name one of our signals (``News``, ``Alert``, ``DataFeed`` none).
_ITEM_TYPES = {"errata": "correction", "advisory": "advisory"}
_INITIALS = re.compile(r"[a-z]{1,4}(?:/[a-z]{1,4})+")
# IPTC's MediaType topics of content that is no story text.
_MEDIA = frozenset({"photo", "graphic", "video", "audio", "animation", "picture", "image"})
_USAGE_PARTS = ("UsageType", "Geography", "Limitations")


def can_decode(raw: bytes) -> bool:
    """True for XML whose root element is ``<NewsML>``."""
    return sniff_root(raw) == "NewsML"


def decode(raw: bytes) -> list[WireItem]:
    """One WireItem per NewsItem with text; DecodeError ``no-text-item`` when there is none."""
    root = parse_xml(raw, NAME)
    items = [_item(news_item) for news_item in items_apart(root, "NewsItem") if _is_text(news_item)]
    items = [item for item in items if item.body_lines or item.headline]
    if not items:
        raise DecodeError(
            "the NewsML 1.2 document holds no text NewsItem with a headline or text; photos, graphics, "
            "video, audio and empty envelopes carry no story",
            reason="no-text-item",
        )
    return items


def _item(news_item: ET.Element) -> WireItem:
    fields = read_fields(news_item, FIELDS)
    version = version_number(fields["version"])
    family = revision_guid(fields["guid"], version)
    embargoed = (fields["status"] or "").lower() == "embargoed"
    item_type = _ITEM_TYPES.get((fields["item_type"] or "").lower())
    signals = [item_type] if item_type else []
    if embargoed:
        signals.append("embargoed")
    body, abstract = _body(news_item)
    return WireItem(
        format=NAME,
        body_lines=body,
        guid=family,
        version=version,
        headline=fields["headline"],
        slugline=fields["slugline"],
        language=fields["language"],
        byline=fields["byline"],
        dateline=fields["dateline"],
        located=fields["located"],
        urgency=urgency_number(fields["urgency"]),
        pubstatus=USABLE if embargoed else pubstatus(fields["status"]),
        embargoed_until=epoch_millis(fields["status_change"]) if embargoed else None,
        signals=signals,
        supersedes=_supersedes(family, version, version_number(fields["previous"])),
        **_about(news_item, fields, abstract).fields(),
    )


def _about(news_item: ET.Element, fields: dict[str, str | None], abstract: str | None) -> About:
    codes = (
        qcode_of(attr(code, "FormalName"))
        for subject_code in news_item.iterfind(".//DescriptiveMetadata/SubjectCode")
        for code in subject_code
    )
    usage = [
        text
        for rights in news_item.iterfind(".//RightsMetadata/UsageRights")
        for part in _USAGE_PARTS
        if (text := text_of(rights.find(part)))
    ]
    return About(
        first_created=epoch_millis(fields["first_created"]),
        version_created=epoch_millis(fields["version_created"]),
        subjects=resolve(ItemSubject(qcode) for qcode in codes if qcode),
        keywords=texts(
            attr(p, "Value")
            for p in news_item.iterfind(".//DescriptiveMetadata/Property")
            if (attr(p, "FormalName") or "").lower() == "keyword"
        ),
        abstract=abstract,
        genres=texts(
            genre_name(None, attr(g, "FormalName")) for g in news_item.iterfind(".//DescriptiveMetadata/Genre")
        ),
        usage_terms="; ".join(texts(usage)) or None,
    )


def _is_text(news_item: ET.Element) -> bool:
    """Not a media item: some content is text, or it has none at all (a headline-only item)."""
    return news_item.find(".//ContentItem") is None or bool(_text_contents(news_item))


def _text_contents(news_item: ET.Element) -> list[ET.Element]:
    """The item's ``ContentItem``s that hold text: every one whose ``MediaType`` is not a medium."""
    return [
        content
        for content in news_item.iter("ContentItem")
        if (attr(content.find("MediaType"), "FormalName") or "").lower() not in _MEDIA
    ]


def _supersedes(family: str | None, version: int | None, previous: int | None) -> str | None:
    """The id of the revision ``@PreviousRevision`` names; none for a first revision (``0``)."""
    if family is None or version is None or not previous or previous >= version:
        return None
    return ids.story_id(family, previous)


def _body(news_item: ET.Element) -> tuple[list[str], str | None]:
    """The body lines of the first text content, and the abstract of its NITF if it has one."""
    abstract = None
    for content in (data for item in _text_contents(news_item) for data in item.iter("DataContent")):
        document = content.find("nitf")
        if document is not None:
            inner = nitf.read_nitf(document, NAME)
            lines, abstract = inner.body_lines, inner.abstract
        elif len(content):  # paragraphs straight inside DataContent
            lines = block_lines(content)
        elif content.text and "<p" in content.text.lower():  # escaped or CDATA HTML
            lines = html_to_lines(content.text)
        elif content.text and content.text.strip():
            raw_lines = content.text.splitlines()
            lines = join_wrapped(raw_lines) if is_hard_wrapped(raw_lines) else [s.strip() for s in raw_lines]
        else:
            continue
        end = len(lines)
        while end and (not lines[end - 1] or _INITIALS.fullmatch(lines[end - 1])):
            end -= 1
        return lines[:end], abstract
    return [], None
