"""The words editors mark a wire item with, read only where editors write them.

``Kill``, ``1st Ld-Writethru``, ``CORRECTS``, ``Eil`` and the like mean something only in marker
places: a keyword-line part, a heading line of markers, the first words of an editor's note
sentence, the slugline, or a headline that leads with one. "The minister was killed", "the
update of the law", "an advisory board" in the story, or in the middle of an ``Eds:`` sentence,
are news, not markers. Every pattern here is anchored and bounded, so a note costs time linear in
its length.
"""

from __future__ import annotations

import re

__all__ = ["headline_marks", "is_marker_line", "marker_urgency", "note_signals", "slug_signals"]

# The words that open a marker, per signal (matched at a clause start, case-insensitive).
_LEADING: dict[str, str] = {
    "write-through": r"(?:[0-9]{1,3}(?:st|nd|rd|th)\s*)?(?:Ld-?\s*)?Write-?thr(?:u|ough)\b"
    r"|[0-9]{1,3}(?:st|nd|rd|th)\s+(?:Ld|Lead)\b|Lead\s*[0-9]{0,3}\s*$"
    r"|(?:[0-9]{1,3}\.\s*)?Zusammenfassung\b",
    "update": r"UPDATE\s*[0-9]{0,3}\s*(?:[:\-\u2013\u2014]|$)|Updates(?:\s+(?:with|to)\b|\s*$)"
    r"|Adds\b|Recasts\b|Sub(?![\w-])"
    r"|[0-9]{1,3}(?:st|nd|rd|th)\s+Add\b"
    r"|\((?:adds|updates|recasts)\b",
    "correction": r"Correct(?:s|ed|ion|ive)\b|\(corrects\b|Berichtigung\b|Korrektur\b|Berichtigt\b",
    "refile": r"REFILE[SD]?\b|RPT\b|Repeat(?:s|ing)?\b|Wiederholung\b",
    "kill": r"(?:Mandatory\s+)?Kill\b",
    "withdrawal": r"Withdrawn\b|Withdrawal\b|Elimination\b",
    "advisory": r"Advisory\b|Avis\b",
    # AP's "Adv12", "Adv for Sunday", "Advance for release ...": an embargo, not an advisory.
    "embargoed": r"Embargo(?:ed)?\b|Sperrfrist\b|Adv(?:ance)?\s*(?:[0-9]{1,2}\b|for\b)|For\s+release\b"
    r"|Not\s+for\s+(?:publication|release|broadcast)\s+(?:before|until)\b",
}
_CLAUSE_SIGNALS = {name: re.compile(pattern, re.I) for name, pattern in _LEADING.items()}
# What opens a note without being part of it: "Eds:", "Editor's note:", dpa's "Achtung:".
_NOTE_PREFIX = re.compile(r"\s*(?:Eds?\s*:|Editor['\u2019]?s\s+note\s*[:_\-\u2014]?|Achtung\s*[:,!\-]?)\s*", re.I)
# Clauses end at a full stop, semicolon or dash between words: "Kill. Fictional Press has...".
_CLAUSE_END = re.compile(r"[.;!]\s+|\s+[\-\u2013\u2014_]\s+")
_URGENCY_WORDS = {"FLASH": 1, "BLITZ": 1, "BULLETIN": 2, "ALERT": 2, "URGENT": 3, "EIL": 3, "EILT": 3}
_URGENCY_MARK = re.compile(r"(FLASH|BLITZ|BULLETIN|ALERT|URGENT|EILT?)(?:MELDUNG)?", re.I)
# A headline leading with a marker: in capitals with a separator or alone (``KILL``, ``UPDATE 2-``,
# ``CORRECTED-...``, ``FLASH: ...``), or in any case before a colon (``Correction: ...``).
_HEADLINE_WORDS = (
    r"MANDATORY\s+KILL|KILL|WITHDRAWN|WITHDRAWAL|ELIMINATION|ADVISORY|CORRECTED|CORRECTION|REFILE[SD]?"
    r"|UPDATE\s*[0-9]{0,3}|EMBARGOED|FLASH|BLITZ|BULLETIN|ALERT|URGENT|EILT?|EILMELDUNG"
)
_HEADLINE_CAPITALS = re.compile(rf"\s*({_HEADLINE_WORDS})\s*(?:[:\-\u2013\u2014_/+]|$)")
_HEADLINE_COLON = re.compile(rf"\s*({_HEADLINE_WORDS})\s*:", re.I)
# A line that is a marker and no headline: ``KILL``, ``UPDATE 2``, ``FLASH`` alone in capitals, or
# one that opens with an embargo phrase (``EMBARGOED UNTIL ...``, ``Sperrfrist ...``).
_MARKER_LINE = re.compile(rf"\s*(?:{_HEADLINE_WORDS})\s*[:.!]?\s*")
_EMBARGO_LINE = re.compile(
    r"\s*(?:embargo(?:ed)?\s*(?::|until\b|till\b)|sperrfrist\b|"
    r"not\s+for\s+(?:publication|release|broadcast)\s+(?:before|until)\b)",
    re.I,
)
_HEADLINE_SIGNALS = {
    "KILL": "kill",
    "WITHDRAWN": "withdrawal",
    "WITHDRAWAL": "withdrawal",
    "ELIMINATION": "withdrawal",
    "ADVISORY": "advisory",
    "CORRECTED": "correction",
    "CORRECTION": "correction",
    "REFILE": "refile",
    "UPDATE": "update",
    "EMBARGOED": "embargoed",
}
# ANPA's selector prefix (``BC-``, ``BC-NL--``) and the separators of slug parts (IPTC's ``/``).
_SLUG_PREFIX = re.compile(r"[A-Z]{2}-(?:[A-Z]{2,4}--)?", re.I)
_SLUG_PARTS = re.compile(r"\s*(?:/|,|--)\s*")
# A note of one clause this long or longer is prose; markers are short.
_CLAUSE_MAX = 300


def note_signals(note: str) -> set[str]:
    """Signals an editor's note or marker line gives: those whose marker opens one of its clauses.

    ``Eds: Updates with union statement. With FP Photos.`` is an update; ``Eds: Updates with
    the number of people killed`` is an update and no kill; ``1st Ld-Writethru`` a write-through.
    """
    found: set[str] = set()
    for clause in _clauses(note):
        found |= {name for name, pattern in _CLAUSE_SIGNALS.items() if pattern.match(clause)}
    return found


def is_marker_line(line: str) -> bool:
    """True for a line that marks the item rather than titles or tells it (see ``_MARKER_LINE``)."""
    return bool(_MARKER_LINE.fullmatch(line) or _EMBARGO_LINE.match(line))


def slug_signals(slugline: str | None) -> set[str]:
    """Signals of a slug part that is a marker and nothing else: ``BC-Advisory``, IPTC's
    ``Norland/Eil/``, ``Ferry Strike, Kill``; not ``BC-US--Kill Bill Review``."""
    if not slugline:
        return set()
    slug = _SLUG_PREFIX.sub("", slugline.strip(), count=1)
    found: set[str] = set()
    for part in _SLUG_PARTS.split(slug[:_CLAUSE_MAX]):
        for name, pattern in _CLAUSE_SIGNALS.items():
            if (match := pattern.match(part)) and match.end() == len(part.rstrip()):
                found.add(name)
    return found


def headline_marks(headline: str | None) -> tuple[set[str], int | None]:
    """The signal and the urgency a headline's leading marker gives (``KILL``, ``FLASH: ...``)."""
    if not headline:
        return set(), None
    match = _HEADLINE_CAPITALS.match(headline) or _HEADLINE_COLON.match(headline)
    if not match:
        return set(), None
    word = " ".join(match.group(1).upper().split())
    signals = {name for key, name in _HEADLINE_SIGNALS.items() if word.startswith(key) or word.endswith(key)}
    return signals, marker_urgency(match.group(1))


def marker_urgency(mark: str) -> int | None:
    """IPTC urgency of a marker that is only an urgency word: ``FLASH`` 1, ``BULLETIN`` 2,
    ``URGENT`` or dpa's ``Eil`` 3, dpa's ``Blitz`` 1; None for anything else."""
    match = _URGENCY_MARK.fullmatch(mark.strip(" :-\u2013\u2014+"))
    return _URGENCY_WORDS[match.group(1).upper()] if match else None


def _clauses(note: str) -> list[str]:
    """The clauses of a note, each without the note's prefix (``Eds:``), the lead of its first, and
    without the brackets a whole note may stand in (``(Eds: Updates …)``, dpa's ``(Zusammenfassung)``)."""
    text = note[: _CLAUSE_MAX * 4].strip()
    if text[:1] in "([" and text[-1:] in ")]":
        text = text[1:-1]
    prefix = _NOTE_PREFIX.match(text)
    text = text[prefix.end() :] if prefix else text.lstrip()
    return [clause.strip() for clause in _CLAUSE_END.split(text) if clause.strip()]
