"""What a JSON item (ninjs 1.x to 3.x, AP Media API) says about itself beside its text.

Times are ``firstcreated``/``versioncreated`` (3.x: ``firstCreated``/``versionCreated``). Subjects
are objects named by ``uri`` (2.x, 3.x), or by ``code`` in a ``scheme`` (1.x, AP), or by a bare
IPTC code; AP gives a subject's parents as ``parentids`` in the same scheme, and its category code
(``rels: ["category"]``) is the ANPA category. A ``literal`` alone is no code and is left out.
Genres are ``genre`` (1.x) or ``genres``; the summary is ``description_text``/``description_html``
(1.x), a ``descriptions`` entry whose role says summary or abstract, or none (2.x, 3.x), or AP's
``description_summary``; usage terms are ``usageterms`` (a string, or AP's list of them).

Pictures, graphics, video and audio (``type``) carry no story text: ``is_media`` says which.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats._about import About, genre_name, texts
from wirestream.transforms.formats._fields import epoch_millis
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.subjects import ANPA_CATEGORY, ItemSubject, qcode_of, resolve

__all__ = ["MEDIA_TYPES", "is_media", "json_about", "text_items"]

# ninjs ``type`` values (IPTC's ninature) of items that are no text story.
MEDIA_TYPES = frozenset({"picture", "graphic", "video", "audio"})
_SUMMARY_ROLES = ("summary", "abstract")


def is_media(document: dict[str, Any]) -> bool:
    """True for a picture, graphic, video or audio item."""
    kind = document.get("type")
    return isinstance(kind, str) and kind.strip().lower() in MEDIA_TYPES


def json_about(document: dict[str, Any]) -> About:
    """The item's ``About``, from whichever of its versions' names it uses."""
    return About(
        first_created=epoch_millis(_first(document, "firstcreated", "firstCreated")),
        version_created=epoch_millis(_first(document, "versioncreated", "versionCreated")),
        subjects=resolve(_subjects(_objects(document.get("subject")) + _objects(document.get("subjects")))),
        keywords=texts(_strings(document.get("keywords"))),
        abstract=_abstract(document),
        genres=texts(
            genre_name(genre.get("name"), genre.get("uri") or genre.get("code") or genre.get("literal"))
            for genre in _objects(document.get("genre")) + _objects(document.get("genres"))
        ),
        usage_terms=" ".join(texts(_strings(_first(document, "usageterms", "usageTerms")))) or None,
    )


def _subjects(entries: list[dict[str, Any]]) -> list[ItemSubject]:
    found = []
    for entry in entries:
        scheme = entry.get("scheme")
        rels = entry.get("rels") if isinstance(entry.get("rels"), list) else []
        if "category" in rels:
            scheme = ANPA_CATEGORY
        qcode = qcode_of(entry.get("uri")) or qcode_of(entry.get("code"), scheme=scheme)
        if qcode is None:
            continue
        parents = [p for pid in _strings(entry.get("parentids")) if (p := qcode_of(pid, scheme=scheme))]
        name = entry.get("name") if isinstance(entry.get("name"), str) else None
        found.append(ItemSubject(qcode, (name or "").strip() or None, tuple(parents)))
    return found


def _abstract(document: dict[str, Any]) -> str | None:
    for key in ("description_summary", "description_text"):
        if text := " ".join(texts([document.get(key)])):
            return text
    html = document.get("description_html")
    if isinstance(html, str) and (text := " ".join(html_to_lines(html))):
        return text
    for entry in _objects(document.get("descriptions")):
        role = str(entry.get("role") or "").lower()
        if not role or any(r in role for r in _SUMMARY_ROLES):
            value = entry.get("value")
            content_type = str(entry.get("contenttype") or entry.get("contentType") or "").lower()
            if isinstance(value, str) and "html" in content_type:
                value = " ".join(html_to_lines(value))
            if text := " ".join(texts([value])):
                return text
    return None


def _first(document: dict[str, Any], *keys: str) -> Any:
    return next((document[key] for key in keys if document.get(key)), None)


def _objects(value: object) -> list[dict[str, Any]]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [entry for entry in value if isinstance(entry, str)] if isinstance(value, list) else []


def text_items(documents: list[dict[str, Any]], read: Callable[[dict[str, Any]], Any], source: str) -> list[Any]:
    """``read`` of each text document among ``documents`` (media carry no story text); DecodeError
    ``no-text-item`` when they are all media. ``source`` names the message in the error."""
    items = [read(document) for document in documents if not is_media(document)]
    if not items:
        raise DecodeError(
            f"the {source} message holds no text item: its {len(documents)} item(s) are of type "
            f"{'/'.join(sorted(MEDIA_TYPES))}, which carry no story text",
            reason="no-text-item",
        )
    return items
