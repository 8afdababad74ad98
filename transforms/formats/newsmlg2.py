"""NewsML-G2 XML (AP, Reuters, dpa, STT): a ``newsItem``, or a ``newsMessage`` of several.

Each text ``newsItem`` becomes one WireItem; pictures, graphics, video and audio items
(``itemClass`` ``ninat:picture``...) carry no story text and are left out, so a package's text
story goes on however its media items are shaped, and a message of media items only is refused
(``no-text-item``): wirestream carries text stories, not captions. Fields come from
``contentMeta`` through a declarative table; the body from ``contentSet/inlineXML`` (XHTML, or NITF
as AP sends it) or ``inlineData`` (plain text). The headline is ``contentMeta``'s, else the inline
document's own (NITF ``hl1`` or ``title``, XHTML ``title``). A ``<dateline>`` that holds a timestamp
(Reuters) is no dateline.
Where the text gives no byline or dateline, the metadata's ``creator``/``contributor``,
``dateline``, ``located`` and ``firstCreated`` stand in (``_g2meta``).
Public ``edNote``s become editor's notes; notes marked non-public are left out.

The newsroom fields come from the metadata, not the text: ``contentMeta/urgency`` (1 to 9),
``itemMeta/pubStatus`` (``stat:`` qcode or IPTC URI), ``itemMeta/embargoed`` (its time; an
empty one is an embargo until further notice), IPTC ``signal``s (``sig:update``,
``sig:correction``), and an ``itemMeta/link`` to the version this one replaces: ``rel``
``irel:previousVersion``, or no ``rel`` and the item's own guid, with the ``version`` it names.
The guid is the family as it is: NewsML-G2 keeps the version in its own attribute.
Times, subjects, keywords, genres, summary and usage terms: ``_g2about``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats import nitf
from wirestream.transforms.formats._fields import epoch_millis, pubstatus, urgency_number, version_number
from wirestream.transforms.formats._g2about import g2_about
from wirestream.transforms.formats._g2meta import metadata_byline, metadata_dateline, metadata_signals, previous_version
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.formats._text import is_hard_wrapped, join_wrapped, split_lines
from wirestream.transforms.formats._xml import (
    attr,
    block_lines,
    items_apart,
    parse_xml,
    read_fields,
    sniff_root,
    text_of,
)
from wirestream.transforms.records.story import WireItem

__all__ = ["NAME", "can_decode", "decode"]

NAME = "NEWSMLG2"

# Paths relative to <newsItem>; the first that has a value wins.
FIELDS: dict[str, tuple[str, ...]] = {
    "guid": ("@guid",),
    "version": ("@version",),
    "headline": ("contentMeta/headline[@rank='1']", "contentMeta/headline"),
    "slugline": ("contentMeta/slugline",),
    "byline": ("contentMeta/by",),
    "dateline": ("contentMeta/dateline",),
    "located": ("contentMeta/located/name", "contentMeta/located@literal"),
    "language": ("@lang", "contentMeta/language@tag"),
    "urgency": ("contentMeta/urgency",),
    "pubstatus": ("itemMeta/pubStatus@qcode", "itemMeta/pubStatus@uri"),
    "embargoed": ("itemMeta/embargoed",),
}
_HTML_SKIP = frozenset({"head", "header", "script", "style"})


def can_decode(raw: bytes) -> bool:
    """True for XML whose root is ``newsMessage`` or ``newsItem`` (NewsML-G2 spells them so)."""
    return sniff_root(raw) in ("newsMessage", "newsItem")


def decode(raw: bytes) -> list[WireItem]:
    """One WireItem per text newsItem; DecodeError ``no-text-item`` when there is none."""
    root = parse_xml(raw, NAME)
    news_items = items_apart(root, "newsItem")
    items = [_item(news_item) for news_item in news_items if _is_text(news_item)]
    if not items:
        raise DecodeError(
            f"the NewsML-G2 {root.tag} holds no text newsItem (found {len(news_items)} newsItem(s): "
            "pictures, graphics, video or audio, or none with content); they carry no story text",
            reason="no-text-item",
        )
    return items


def _is_text(news_item: ET.Element) -> bool:
    """A text item: its ``itemClass`` says text (``ninat:text``, Reuters's ``icls:text``), or it
    names none and its content is inline (text or markup), not a remote rendition."""
    content = news_item.find("contentSet")
    if content is None:
        return False
    item_class = attr(news_item.find("itemMeta/itemClass"), "qcode") or attr(
        news_item.find("itemMeta/itemClass"), "uri"
    )
    if item_class:
        return item_class.lower().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "text"
    return content.find("inlineXML") is not None or content.find("inlineData") is not None


def _item(news_item: ET.Element) -> WireItem:
    fields = read_fields(news_item, FIELDS)
    version = version_number(fields["version"])
    family = fields["guid"]
    dateline = fields["dateline"]
    if dateline and (dateline[:1].isdigit() or sum(ch.isalpha() for ch in dateline) < 2):
        dateline = None  # Reuters puts a timestamp here
    inner = _body(news_item.find("contentSet"))
    return WireItem(
        format=NAME,
        body_lines=inner.body_lines,
        guid=family,
        version=version,
        headline=fields["headline"] or inner.headline,
        decks=_decks(news_item, inner),
        slugline=fields["slugline"],
        language=fields["language"],
        byline=fields["byline"] or inner.byline or metadata_byline(news_item),
        byline_title=inner.byline_title,
        dateline=metadata_dateline(news_item, dateline or inner.dateline),
        located=fields["located"],
        editor_notes=_editor_notes(news_item),
        trailer=inner.trailer,
        urgency=urgency_number(fields["urgency"]),
        pubstatus=pubstatus(fields["pubstatus"]),
        embargoed_until=epoch_millis(fields["embargoed"]),
        signals=metadata_signals(news_item),
        supersedes=previous_version(news_item, family, version),
        **g2_about(news_item, inner.abstract).fields(),
    )


def _decks(news_item: ET.Element, inner: WireItem) -> list[str]:
    """Every headline the item gives, and an inner NITF's own; those that repeat the headline are
    dropped when the story is parsed."""
    headlines = [text_of(h) for h in news_item.iterfind("contentMeta/headline")]
    return [text for text in [*headlines, inner.headline, *inner.decks] if text]


def _body(content_set: ET.Element | None) -> WireItem:
    """The content as a WireItem: body lines, plus the byline and dateline of an inner NITF."""
    return WireItem(format=NAME, body_lines=[]) if content_set is None else _content(content_set)


def _content(content_set: ET.Element) -> WireItem:
    for inline in content_set.iter("inlineXML"):
        document = next(iter(inline), None)
        if document is None:
            continue
        if document.tag == "nitf":
            return nitf.read_nitf(document, NAME)
        title = text_of(document.find("head/title")) if document.tag == "html" else None
        # A whole document (html, or another root), or fragments: several <p> straight inside.
        body = document.find("body") if document.tag == "html" else inline if len(inline) > 1 else document
        if body is None:
            continue
        for child in list(body.iter()):
            if any(c.tag in _HTML_SKIP for c in child):  # one pass: remove() per element is quadratic
                child[:] = [c for c in child if c.tag not in _HTML_SKIP]
        return WireItem(format=NAME, body_lines=block_lines(body), headline=title)
    for inline in content_set.iter("inlineData"):
        if "<p" in (inline.text or "").lower():  # HTML sent as text (ANSA)
            return WireItem(format=NAME, body_lines=html_to_lines(inline.text or ""))
        lines = split_lines(inline.text or "")
        body = join_wrapped(lines) if is_hard_wrapped(lines) else [line.strip() for line in lines]
        return WireItem(format=NAME, body_lines=body)
    return WireItem(format=NAME, body_lines=[])


def _editor_notes(news_item: ET.Element) -> list[str]:
    """Public notes of ``itemMeta`` (where agencies put them, and their ``Kill`` or ``Corrects``)
    and of ``contentMeta`` (NewsML-G2 allows both)."""
    notes: list[str] = []
    for note in [*news_item.iterfind("itemMeta/edNote"), *news_item.iterfind("contentMeta/edNote")]:
        constraint = attr(note, "pubconstraint") or ""
        role = attr(note, "role") or ""
        if "nonpublic" in constraint or len(note) or "closingline" in role:
            continue  # not for publication, a whole notepad, or the editors' initials
        if text := text_of(note):
            notes.append(text)
    return notes
