"""What a NewsML-G2 item's metadata says about it beside its text: ``itemMeta/firstCreated`` and
``versionCreated``, ``contentMeta/subject`` (with the IPTC codes among its ``sameAs``, and the
ancestors its ``broader`` names), ``keyword``, ``genre``, a summary ``description`` and
``rightsInfo/usageTerms``.

A subject named only by a ``literal`` (dpa's points of interest) has no code and is left out. Names
in several languages give the English one where there is one: a desk reads English labels, and
IPTC's own concepts are labelled from the shipped vocabulary anyway.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wirestream.transforms.formats._about import About, genre_name, texts
from wirestream.transforms.formats._fields import epoch_millis
from wirestream.transforms.formats._xml import attr, find_text, text_of
from wirestream.transforms.subjects import MEDTOP, SUBJ, ItemSubject, qcode_of, resolve

__all__ = ["g2_about"]

# ``description`` roles that mark a summary of the story (AP's ``drol:summary``); one with no role
# is the item's description too. Captions (``descRole:caption``) and others are not.
_SUMMARY_ROLES = ("summary", "abstract")
_NAME_ROLES_SKIPPED = ("mnemonic",)
_MAX_BROADER = 16


def g2_about(news_item: ET.Element, inner_abstract: str | None) -> About:
    """The item's ``About``; ``inner_abstract`` is the inline NITF's ``abstract``, used when the
    metadata has no summary."""
    return About(
        first_created=epoch_millis(find_text(news_item, "itemMeta/firstCreated")),
        version_created=epoch_millis(find_text(news_item, "itemMeta/versionCreated")),
        subjects=resolve(_subjects(news_item)),
        keywords=texts(text_of(k) for k in news_item.iterfind("contentMeta/keyword")),
        abstract=_summary(news_item) or inner_abstract,
        genres=texts(
            genre_name(_name(genre), attr(genre, "qcode") or attr(genre, "uri") or attr(genre, "literal"))
            for genre in news_item.iterfind("contentMeta/genre")
        ),
        usage_terms=_english_text(list(news_item.iterfind("rightsInfo/usageTerms"))),
    )


def _subjects(news_item: ET.Element) -> list[ItemSubject]:
    found: list[ItemSubject] = []
    for subject in news_item.iterfind("contentMeta/subject"):
        qcode = _qcode(subject)
        if qcode is None:
            continue
        found.append(ItemSubject(qcode, _name(subject), tuple(_broader(subject))))
        for same in subject.iterfind("sameAs"):
            if (other := _qcode(same)) and other.partition(":")[0] in (SUBJ, MEDTOP):
                found.append(ItemSubject(other, _name(same)))
    return found


def _broader(subject: ET.Element) -> list[str]:
    """The qcodes of the ``broader`` elements, nested ones after their parents: nearest first."""
    found: list[str] = []
    level = subject.findall("broader")
    while level and len(found) < _MAX_BROADER:
        found.extend(q for b in level if (q := _qcode(b)))
        level = [grand for b in level for grand in b.findall("broader")]
    return found


def _qcode(element: ET.Element) -> str | None:
    return qcode_of(attr(element, "qcode")) or qcode_of(attr(element, "uri"))


def _name(element: ET.Element) -> str | None:
    """The element's English ``name`` if it has one, else its first (mnemonics left out)."""
    names = [n for n in element.iterfind("name") if not any(r in (attr(n, "role") or "") for r in _NAME_ROLES_SKIPPED)]
    return _english_text(names)


def _english_text(elements: list[ET.Element]) -> str | None:
    english = [e for e in elements if (attr(e, "lang") or "").lower().startswith("en")]
    return next((text for e in [*english, *elements] if (text := text_of(e))), None)


def _summary(news_item: ET.Element) -> str | None:
    for description in news_item.iterfind("contentMeta/description"):
        role = (attr(description, "role") or "").lower()
        if (not role or any(r in role for r in _SUMMARY_ROLES)) and (text := text_of(description)):
            return text
    return None
