"""AP Media API item JSON: a content response (``{"api_version", "data": {"item": ...}}``), a
feed or search page (``{"data": {"items": [{"item": ...}, ...]}}``, one story per item, as a
ninjs search response is read), or the bare item.

The item carries the metadata (headline, slugline, ``bylines``, ``datelinelocation``) and links
to renditions; the story text is in the NITF or ANPA rendition, which a feed fetches separately.
When no text came with the item, its story has the headline only.

The newsroom fields: ``urgency`` (IPTC's 1 to 9, as AP gives it beside its letter), else
``editorialpriority``'s letter (``_fields.AP_PRIORITY_URGENCY``); ``pubstatus``; ``embargoed``; ``version``
(AP counts from 0). ``altids.itemid`` stays the same across versions: it is the family, as it is. AP's
``signals`` (``newscontent``, ``explicitcontent``, ...) say what kind of content an item is, not
what it does to a story, and map to none of ours; IPTC signal codes among them would.
Each of ``bylines`` is one byline with its own title. Times, subjects (AP's taxonomy as
``apsubject:``, its category code as ``anpa-category:``), keywords, summary and usage terms:
``_jsonabout``. Picture, graphic, video and audio items carry no story text: left out of a feed
page, refused alone (``no-text-item``), as in NewsML and ninjs.
"""

from __future__ import annotations

import re
from typing import Any

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats._fields import (
    AP_PRIORITY_URGENCY,
    epoch_millis,
    iptc_signals,
    pubstatus,
    urgency_number,
    version_number,
)
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.formats._json import load_json
from wirestream.transforms.formats._jsonabout import json_about, text_items
from wirestream.transforms.records.story import Byline, WireItem

__all__ = ["NAME", "can_decode", "decode"]

NAME = "APMEDIA"

_SNIFF_BYTES = 65536
# Keys of AP's own (ninjs 1.x has altids and renditions too, so those do not count).
_AP_KEYS = re.compile(
    rb'"(?:api_version|org_name|editorialpriority|datelinelocation|textformat|signals|friendlykey|etag)"\s*:'
)


def can_decode(raw: bytes) -> bool:
    """True for a JSON object with two keys only AP's Media API uses (cheap: no full parse)."""
    head = raw[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip()
    return head[:1] == b"{" and b'"$schema"' not in head and len(set(_AP_KEYS.findall(head))) >= 2


def decode(raw: bytes) -> list[WireItem]:
    """One WireItem per item; DecodeError ``bad-json`` or ``not-apmedia``."""
    document = load_json(raw, "AP Media API item")
    data = document.get("data") if isinstance(document, dict) else None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return _feed_page(data["items"])
    item = data.get("item", data) if isinstance(data, dict) else document
    if not _is_item(item):
        raise DecodeError(
            "the JSON is not an AP Media API item (no data.item with a headline or altids); send one item per message",
            reason="not-apmedia",
        )
    return _text_items([item])


def _feed_page(entries: list[Any]) -> list[WireItem]:
    """A feed page's items (each ``{"item": ...}`` or the item itself); an empty page is refused,
    since a message that carries no story is a producer's mistake."""
    items = [entry.get("item", entry) for entry in entries if isinstance(entry, dict)]
    items = [item for item in items if _is_item(item)]
    if not items:
        raise DecodeError(
            f"the AP Media API feed page holds no item with a headline or altids ({len(entries)} entries)",
            reason="not-apmedia",
        )
    return _text_items(items)


def _text_items(items: list[dict[str, Any]]) -> list[WireItem]:
    """The text items among ``items``; DecodeError ``no-text-item`` when they are all media."""
    return text_items(items, _item, "AP Media API")


def _is_item(item: object) -> bool:
    return isinstance(item, dict) and any(k in item for k in ("headline", "altids", "title"))


def _item(item: dict[str, Any]) -> WireItem:
    altids = item.get("altids") if isinstance(item.get("altids"), dict) else {}
    bylines = [b for b in _list(item.get("bylines")) if isinstance(b, dict)]
    version = version_number(item.get("version"))
    embargo = _text(item.get("embargoed"))
    return WireItem(
        format=NAME,
        body_lines=_body(item),
        guid=_text(altids.get("itemid")) or _text(item.get("uri")),
        version=version,
        headline=_text(item.get("headline")) or _text(item.get("title")),
        slugline=_text(item.get("slugline")),
        language=_text(item.get("language")),
        bylines=[Byline(name, _text(b.get("title"))) for b in bylines if (name := _text(b.get("by")))],
        dateline=_dateline(item.get("datelinelocation")),
        editor_notes=[n for n in (_text(item.get("ednote")),) if n],
        urgency=_urgency(item),
        pubstatus=pubstatus(item.get("pubstatus")),
        embargoed_until=epoch_millis(embargo),
        signals=iptc_signals(_list(item.get("signals"))) + (["embargoed"] if embargo else []),
        **json_about(item).fields(),
    )


def _urgency(item: dict[str, Any]) -> int | None:
    """AP's IPTC ``urgency`` when valid, else its ``editorialpriority`` letter's."""
    urgency = urgency_number(item.get("urgency"))
    priority = _text(item.get("editorialpriority"))
    return urgency if urgency is not None else AP_PRIORITY_URGENCY.get((priority or "").lower())


def _body(item: dict[str, Any]) -> list[str]:
    for key in ("body_nitf", "body_html", "main"):
        if value := _text(item.get(key)):
            return html_to_lines(value)
    if value := _text(item.get("body_text")):
        return [line.strip() for line in value.splitlines()]
    return []


def _dateline(location: object) -> str | None:
    """``{"city": "Houston", "countrycode": "US", "countryareaname": "Texas"}`` → ``Houston, Texas``."""
    if not isinstance(location, dict):
        return _text(location)
    city = _text(location.get("city"))
    region = _text(location.get("countryareaname")) or _text(location.get("countryname"))
    return ", ".join(p for p in (city, region) if p) or None


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
