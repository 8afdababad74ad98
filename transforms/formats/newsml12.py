"""NewsML 1.2 XML (AFP): a ``NewsML`` envelope of ``NewsItem``s, one story each.

Fields come from ``NewsLines`` (``HeadLine``, ``DateLine``, ``ByLine``, ``SlugLine``) and the
item's identification; the text is the NITF (or plain text) inside a text ``ContentItem``.
AFP closes its body with a line of editors' initials (``hh/ph/ts/hd``), which is dropped.

The newsroom fields come from ``NewsManagement`` (``Urgency``, 1 most urgent to 9; ``Status``:
``Embargoed`` is a usable story with an embargo until ``StatusWillChange/DateAndTime``;
``NewsItemType`` ``Errata`` or ``Advisory``) and from the identifier: ``PublicIdentifier`` ends in
``:<RevisionId>``, which is taken off for the family, and ``RevisionId/@PreviousRevision`` names
the version this one replaces.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats import nitf
from wirestream.transforms.formats._fields import epoch_millis, family_guid, pubstatus, urgency_number, version_number
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.formats._text import is_hard_wrapped, join_wrapped
from wirestream.transforms.formats._xml import block_lines, items_apart, parse_xml, read_fields, sniff_root
from wirestream.transforms.records import ids
from wirestream.transforms.records.signals import USABLE
from wirestream.transforms.records.story import WireItem

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
}
# IPTC's NewsItemType topics that name one of our signals (``News``, ``Alert``, ``DataFeed`` none).
_ITEM_TYPES = {"errata": "correction", "advisory": "advisory"}
_INITIALS = re.compile(r"[a-z]{1,4}(?:/[a-z]{1,4})+")


def can_decode(raw: bytes) -> bool:
    """True for XML whose root element is ``<NewsML>``."""
    return sniff_root(raw) == "NewsML"


def decode(raw: bytes) -> list[WireItem]:
    """One WireItem per NewsItem with text; DecodeError ``no-text-item`` when there is none."""
    root = parse_xml(raw, NAME)
    items = [_item(news_item) for news_item in items_apart(root, "NewsItem")]
    items = [item for item in items if item.body_lines or item.headline]
    if not items:
        raise DecodeError(
            "the NewsML 1.2 document holds no NewsItem with a headline or text; photo-only and "
            "empty envelopes carry no story",
            reason="no-text-item",
        )
    return items


def _item(news_item: ET.Element) -> WireItem:
    fields = read_fields(news_item, FIELDS)
    version = version_number(fields["version"])
    family = family_guid(fields["guid"], version)
    embargoed = (fields["status"] or "").lower() == "embargoed"
    item_type = _ITEM_TYPES.get((fields["item_type"] or "").lower())
    signals = [item_type] if item_type else []
    if embargoed:
        signals.append("embargoed")
    return WireItem(
        format=NAME,
        body_lines=_body(news_item),
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
    )


def _supersedes(family: str | None, version: int | None, previous: int | None) -> str | None:
    """The id of the revision ``@PreviousRevision`` names; none for a first revision (``0``)."""
    if family is None or version is None or not previous or previous >= version:
        return None
    return ids.story_id(family, previous)


def _body(news_item: ET.Element) -> list[str]:
    for content in news_item.iter("DataContent"):
        document = content.find("nitf")
        if document is not None:
            lines = nitf.read_nitf(document, NAME).body_lines
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
        return lines[:end]
    return []
