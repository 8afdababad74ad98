"""What a NewsML-G2 item's metadata says about its dateline and byline, for copy whose text says none.

Reuters and smaller agencies send the agency as ``<creator literal="Reuters"/>``, the writers as
``<creator>``/``<contributor>`` persons, and the filing date as ``itemMeta/firstCreated``, while the
text may hold only ``DAMASCUS (Reuters) -`` or nothing at all. These become a dateline written as
the agency would (``July 16 (Reuters)``, with a place when ``<dateline>`` names one) and a byline,
which the parser uses only where the text is silent.

The metadata also says what the item is (``signal``s, ``embargoed``) and which version it replaces
(an ``itemMeta/link``), which the text need not repeat.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wirestream.transforms.formats._fields import iptc_signals, version_number
from wirestream.transforms.formats._xml import attr, find_text, text_of
from wirestream.transforms.records import ids

__all__ = ["metadata_byline", "metadata_dateline", "metadata_signals", "previous_version"]

# Reuters's month style, which the dateline parser reads back.
_MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
_ISO_DATE = re.compile(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
# Words in the name of a news organisation, never in a person's.
_ORGANISATION_WORDS = re.compile(
    r"\b(?:Reuters|Press|Presse|Agency|Agencia|Agence|Agenzia|News|Nachrichten|Media|Wire|"
    r"Service|Bureau|Syndicate|Group|Newsroom|Desk)\b",
    re.IGNORECASE,
)
# The item relation that names a replaced version, as a qcode or IPTC's URI (compared in lower case).
_PREVIOUS_VERSION = frozenset({"irel:previousversion", "http://cv.iptc.org/newscodes/itemrelation/previousversion"})


def metadata_dateline(news_item: ET.Element, dateline: str | None) -> str | None:
    """``dateline`` (the ``<dateline>`` text, if it names a place) completed with the agency a
    ``<creator>`` (or ``<infoSource>``, as STT sends it) names and the ``firstCreated`` date;
    unchanged when none is an agency.

    An agency credited in the metadata is what says the wire dates its datelines: AP's items
    name a third party or none, and keep their undated ``FORT WASHINGTON, Pa.``.
    """
    credits = _credits(news_item, "creator") + _credits(news_item, "infoSource")
    agency = next((name for name, is_agency in credits if is_agency), None)
    if agency is None:
        return dateline
    date = _written_date(
        find_text(news_item, "itemMeta/firstCreated") or find_text(news_item, "contentMeta/contentCreated")
    )
    place = (dateline or "").strip().rstrip(" -_\u2014\u2013").strip()
    if "(" in place:  # "London (dpa)": the agency is written; add the date before it
        head, _, paren = place.partition("(")
        head = head.strip(" ,")
        if date is None or any(ch.isdigit() for ch in head):
            return dateline
        return f"{head}, {date} ({paren}" if head else f"{date} ({paren}"
    parts = [p for p in (place, date) if p]
    return f"{', '.join(parts)} ({agency})" if parts else f"({agency})"


def metadata_byline(news_item: ET.Element) -> str | None:
    """The persons among the ``<creator>``s, else among the non-editing ``<contributor>``s."""
    for tag in ("creator", "contributor"):
        people = [name for name, is_agency in _credits(news_item, tag) if not is_agency]
        if people:
            return " and ".join(people)
    return None


def _credits(news_item: ET.Element, tag: str) -> list[tuple[str, bool]]:
    """(name, is an agency) for each ``contentMeta/<tag>`` that names someone readable."""
    found = []
    for element in news_item.iterfind(f"contentMeta/{tag}"):
        role = (attr(element, "role") or "").lower()
        if tag == "contributor" and "edit" in role:
            continue
        name = text_of(element.find("name")) or attr(element, "literal")
        if not name or not name[:1].isupper():
            continue  # "degenhardt.sandra": a login, not a credit
        kind = (attr(element, "type") or "").lower()
        one_word_or_organisation = len(name.split()) == 1 or _ORGANISATION_WORDS.search(name) is not None
        is_agency = "organi" in kind or ("person" not in kind and one_word_or_organisation)
        found.append((name, is_agency))
    return found


def _written_date(timestamp: str | None) -> str | None:
    """``2014-07-16T08:10:15Z`` -> ``July 16``, the day as the item's own clock gives it."""
    match = _ISO_DATE.match(timestamp or "")
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"{_MONTHS[int(match.group(2)) - 1]} {int(match.group(3))}"


def metadata_signals(news_item: ET.Element) -> list[str]:
    """Our signals for the IPTC ``signal`` codes of ``itemMeta``, and ``embargoed`` when it has an
    ``embargoed`` element (an empty one is an embargo until further notice)."""
    codes = [attr(signal, "qcode") or attr(signal, "uri") for signal in news_item.iterfind("itemMeta/signal")]
    signals = iptc_signals(codes)
    if news_item.find("itemMeta/embargoed") is not None:
        signals.append("embargoed")
    return signals


def previous_version(news_item: ET.Element, family: str | None, version: int | None) -> str | None:
    """The id of the version an ``itemMeta/link`` names as replaced, when it gives a version: a
    link to an older version of this item, or one whose ``rel`` says previous version."""
    if family is None or version is None:
        return None
    for link in news_item.iterfind("itemMeta/link"):
        named = version_number(attr(link, "version"))
        target = attr(link, "residref") or attr(link, "guidref") or attr(link, "href")
        if named is None or target is None:
            continue
        rel = (attr(link, "rel") or "").lower()
        if target == family and named >= version:
            continue  # this version or a later one: no predecessor
        if rel in _PREVIOUS_VERSION or (not rel and target == family):
            return ids.story_id(target, named)
    return None
