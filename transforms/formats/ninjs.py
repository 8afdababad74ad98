"""IPTC ninjs (News in JSON) items, versions 1.x to 3.x.

Field names moved between versions, so each field is read from every name it has had:
headline / headlines[], body_html / body_xhtml / body_text / bodies[], byline / by, guid / uri,
versioncreated / versionCreated. An HTML body is preferred to a text one because its ``<p>``
elements keep the paragraph breaks that ``body_text`` often runs together.

The newsroom fields: ``urgency`` (1 to 9), ``pubstatus`` / ``pubStatus``, ``embargoed`` /
``embargoedUntil`` (3.x), ``version``. The ``guid`` or ``uri`` is the family as it is: ninjs keeps
the version in its own field, so a ``uri`` ending in ``:1`` at version 1 is a name, not a version.
No ninjs schema (1.6, 2.2, 3.1) has signals; the ``signals`` (AFP) or ``signal`` (Superdesk) list
some producers add is read for IPTC signal codes, as strings or objects with a code or URI.
Times, subjects, keywords, genres, summary and usage terms: ``_jsonabout``. A picture, graphic,
video or audio item carries no story text and is refused (``no-text-item``), as in NewsML.
"""

from __future__ import annotations

import re
from typing import Any

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats._fields import (
    epoch_millis,
    iptc_signals,
    pubstatus,
    urgency_number,
    version_number,
)
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.formats._json import load_json
from wirestream.transforms.formats._jsonabout import json_about, text_items
from wirestream.transforms.records.story import WireItem

__all__ = ["NAME", "can_decode", "decode"]

NAME = "NINJS"

_SNIFF_BYTES = 65536
# Keys that only a ninjs item (of some version) has at its top level, quoted as they appear.
_NINJS_KEYS = re.compile(
    rb'"(?:uri|guid|headlines?|body_(?:text|html|xhtml)|bodies|versioncreated|versionCreated|'
    rb'byline|by|located|slugline|pubstatus|urgency|copyrightnotice)"\s*:'
)
_CONTENT_KEYS = ("headline", "headlines", "body_text", "body_html", "body_xhtml", "bodies")
_HTML_BODY_ROLES = ("html", "xhtml", "text/html", "application/xhtml+xml")


def can_decode(raw: bytes) -> bool:
    """True for a JSON object that names ninjs fields near its start (cheap: no full parse).

    Truncated ninjs still matches, so it fails as ``bad-json`` instead of passing as text.
    """
    head = raw[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip()
    return head[:1] == b"{" and _NINJS_KEYS.search(head) is not None


def decode(raw: bytes) -> list[WireItem]:
    """One WireItem from a ninjs object; DecodeError ``bad-json`` or ``not-ninjs`` otherwise."""
    document = load_json(raw, "ninjs item")
    if not isinstance(document, dict):
        raise DecodeError(
            f"the JSON is a {type(document).__name__}, not a ninjs item (a JSON object); send one item per message",
            reason="not-ninjs",
        )
    if "$schema" in document or (document.get("type") == "object" and "properties" in document):
        raise DecodeError(
            f"the JSON is a JSON Schema ({str(document.get('title') or document.get('$id') or 'untitled')[:80]}), "
            "not a ninjs item; schemas describe items and carry no story: send items to this topic",
            reason="not-ninjs",
        )
    wrapped = [i for i in _list(document.get("item", document.get("items"))) if isinstance(i, dict)]
    if wrapped and not any(key in document for key in _CONTENT_KEYS):
        return _text_items(wrapped)  # a search response: {"total": 1, "item": [...]}
    if not any(key in document for key in _CONTENT_KEYS):
        raise DecodeError(
            "the JSON object has no ninjs headline or body (expected one of "
            f"{', '.join(_CONTENT_KEYS)}); is this the right topic?",
            reason="not-ninjs",
        )
    return _text_items([document])


def _text_items(documents: list[dict[str, Any]]) -> list[WireItem]:
    """The text items among ``documents``; DecodeError ``no-text-item`` when they are all media."""
    return text_items(documents, _item, "ninjs")


def _item(document: dict[str, Any]) -> WireItem:
    version = version_number(document.get("version"))
    embargo = _text(document.get("embargoed")) or _text(document.get("embargoedUntil"))
    return WireItem(
        format=NAME,
        body_lines=_body_lines(document),
        guid=_text(document.get("guid")) or _text(document.get("uri")),
        version=version,
        headline=_headline(document),
        decks=[value for entry in _list(document.get("headlines")) if (value := _headline_value(entry))],
        slugline=_text(document.get("slugline")),
        language=_text(document.get("language")),
        byline=_text(document.get("byline")) or _text(document.get("by")),
        located=_text(document.get("located")),
        editor_notes=[note for key in ("ednote", "edNote") if (note := _text(document.get(key)))],
        urgency=urgency_number(document.get("urgency")),
        pubstatus=pubstatus(document.get("pubstatus", document.get("pubStatus"))),
        embargoed_until=epoch_millis(embargo),
        signals=_signals(document) + (["embargoed"] if embargo else []),
        **json_about(document).fields(),
    )


def _signals(document: dict[str, Any]) -> list[str]:
    """IPTC signal codes in a producer's ``signals`` or ``signal`` list (no ninjs schema has one)."""
    return iptc_signals([_signal_code(entry) for entry in _list(document.get("signals", document.get("signal")))])


def _signal_code(entry: object) -> object:
    """A code string, or the URI or code of an object whose scheme, if it names one, is IPTC's."""
    if not isinstance(entry, dict):
        return entry
    scheme = entry.get("scheme")
    if isinstance(scheme, str) and "cv.iptc.org/newscodes/signal" not in scheme:
        return None
    return entry.get("uri") or entry.get("qcode") or entry.get("code")


def _headline(document: dict[str, Any]) -> str | None:
    if headline := _text(document.get("headline")):
        return headline
    headlines = [h for h in _list(document.get("headlines")) if isinstance(h, dict)]
    for wanted in ("main", None):
        for entry in headlines:
            value = _headline_value(entry)
            if value and (wanted is None or entry.get("role") == wanted):
                return value
    return None


def _headline_value(entry: object) -> str | None:
    return _text(entry.get("value")) if isinstance(entry, dict) else None


def _body_lines(document: dict[str, Any]) -> list[str]:
    """Lines of the richest body on offer: HTML bodies first, then plain text."""
    html_bodies: list[str] = []
    text_bodies: list[str] = []
    for key, target in (("body_html", html_bodies), ("body_xhtml", html_bodies), ("body_text", text_bodies)):
        if value := _text(document.get(key)):
            target.append(value)
    for body in _list(document.get("bodies")):
        if not isinstance(body, dict) or not (value := _text(body.get("value"))):
            continue
        kind = f"{body.get('role', '')} {body.get('contenttype', body.get('contentType', ''))}"
        is_html = any(role in str(kind).lower().split() for role in _HTML_BODY_ROLES)
        (html_bodies if is_html else text_bodies).append(value)
    if html_bodies:
        return html_to_lines(html_bodies[0])
    if text_bodies:
        return [line.strip() for line in text_bodies[0].splitlines()]
    return []


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
