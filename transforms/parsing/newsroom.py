"""The newsroom's fields of a story: family, urgency, status, embargo and signals.

The decoder gives what the format's own fields say (``WireItem.urgency``, ``pubstatus``, …); the
text adds what editors write in it: ``Kill``, ``1st Ld-Writethru``, ``CORRECTS …``, ``Advisory``,
``Embargoed until 2026-12-01T18:00Z``, ``FLASH`` and ``BULLETIN`` headlines. A kill or withdrawal
makes the story canceled whatever the format's status said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from wirestream.transforms.records import ids
from wirestream.transforms.records.signals import CANCELED, PUBSTATUSES, RETRACTIONS, SIGNALS, USABLE
from wirestream.transforms.records.story import Dateline, WireItem

__all__ = ["Newsroom", "newsroom_fields", "read_embargo"]

# One pattern per signal, read in editor's notes, the slugline and the headline.
_TEXT_SIGNALS: dict[str, re.Pattern[str]] = {
    "write-through": re.compile(r"\bWrite-?thru\b|\bLd\b|\bWrite-?through\b", re.I),
    "update": re.compile(r"\bUPDATE(?:S|D)?\b(?:\s+\d+)?|\((?:adds|updates|recasts)\b", re.I),
    "correction": re.compile(r"\bCORRECT(?:S|ED|ION|IVE)\b|\bCorrects\b|\bCorrection\b|\(corrects\b", re.I),
    "refile": re.compile(r"\bREFILE[SD]?\b|\bRPT\b|\bREPEAT(?:S|ING)?\b", re.I),
    "kill": re.compile(r"\b(?:MANDATORY\s+)?KILL(?:ED|S)?\b|\bKILL\s+STORY\b", re.I),
    "withdrawal": re.compile(r"\bWITHDRAW(?:N|AL|S)?\b|\bELIMINATION\b|\bELIMINATE\b", re.I),
    "advisory": re.compile(r"\bADVISORY\b|\bADV\b|\bAVIS\b", re.I),
}
# "Kill" in a note is a kill; "killed" in a headline is news. Headlines count only when they lead
# with the marker: `KILL: ...`, `WITHDRAWN - ...`, `ADVISORY ...`, `CORRECTED-...`.
_HEADLINE_MARKER = re.compile(
    r"^\s*(?:MANDATORY\s+KILL|KILL|WITHDRAWN|WITHDRAWAL|ELIMINATION|ADVISORY|CORRECTED|CORRECTION|REFILE|UPDATE\s*\d*)"
    r"\s*(?:[:\-\u2013\u2014_/]|$)"
)
_URGENT_HEADLINE = {"FLASH": 1, "BULLETIN": 2, "URGENT": 3, "ALERT": 2}
_URGENT_MARKER = re.compile(r"^\s*(FLASH|BULLETIN|URGENT|ALERT)\s*(?:[:\-\u2013\u2014_]|$)")
_EMBARGO = re.compile(
    r"\bembargo(?:ed)?\b[^0-9]{0,40}?"
    r"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?(?:\.\d+)?\s*(?:Z|UTC|GMT|[+-]\d\d:?\d\d)?)",
    re.I,
)
_EMBARGO_WORD = re.compile(r"\bembargo(?:ed)?\b", re.I)


@dataclass(frozen=True)
class Newsroom:
    family_id: str
    urgency: int | None
    pubstatus: str
    embargoed_until: int | None
    signals: list[str]


def newsroom_fields(
    item: WireItem, notes: list[str], headline: str | None, dateline: Dateline | None, text_id: str
) -> Newsroom:
    """What the format and the text say, together; ``text_id`` is the family of last resort."""
    signals = set(item.signals) & SIGNALS.keys()
    marks = [*notes, *item.editor_notes, item.slugline or ""]
    for name, pattern in _TEXT_SIGNALS.items():
        if any(pattern.search(mark) for mark in marks):
            signals.add(name)
    if headline and (marker := _HEADLINE_MARKER.match(headline.upper())):
        signals |= {name for name, pattern in _TEXT_SIGNALS.items() if pattern.search(marker.group())}
    embargoed_until = item.embargoed_until
    if embargoed_until is None:
        embargoed_until = next(filter(None, (read_embargo(mark) for mark in marks)), None)
    if embargoed_until is not None or any(_EMBARGO_WORD.search(mark) for mark in marks):
        signals.add("embargoed")
    urgency = item.urgency
    if urgency is None and headline and (marker := _URGENT_MARKER.match(headline)):
        urgency = _URGENT_HEADLINE[marker.group(1)]
    pubstatus = item.pubstatus if item.pubstatus in PUBSTATUSES else USABLE
    if signals & RETRACTIONS:
        pubstatus = CANCELED
    agency = dateline.agency if dateline else None
    family = item.guid or ids.family_from_slug(item.slugline, agency) or text_id
    return Newsroom(
        family_id=family,
        urgency=urgency,
        pubstatus=pubstatus,
        embargoed_until=embargoed_until,
        signals=[name for name in SIGNALS if name in signals],  # in the set's order
    )


def read_embargo(text: str) -> int | None:
    """Epoch ms of an ISO 8601 time after ``embargo``/``embargoed`` in ``text`` (UTC if no zone)."""
    match = _EMBARGO.search(text)
    if not match:
        return None
    value = match.group(1).strip().upper().replace(" UTC", "Z").replace(" GMT", "Z").replace("UTC", "Z")
    value = value.replace("GMT", "Z").replace(" ", "T", 1) if "T" not in value else value.replace(" ", "")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
