"""ANPA-1312: AP's classic wire feed, as received over the line.

``SYN SYN SOH`` and a service line, a selector line (priority, category, keyword, date, word
count; the priority letter becomes ``urgency``, see ``_fields.AP_PRIORITY_URGENCY``; the category
letter a subject, ``anpa-category:s``), ``STX``, then the
text up to ``ETX`` and a trailer (``AP-WF-11-13-13 1509GMT``: the sending agency, which becomes
``agency``, then the transmission's date and time, which becomes ``version_created``, and
``first_created`` too when the keyword line marks no later version). In the text, the keyword line
comes first (``^BC-LT--Argentina-Cancer Beauty,466<``, with markers such as ``1st Ld-Writethru``,
``Correction``, ``Kill``, ``Adv06``: kept as editor's notes, which the parser reads for signals);
copy sent without one starts with its headline or its lead, which is then no keyword (the
selector line's keyword stands in for the slugline). Then come ``^``-led header lines ending in
``<`` or ``=`` (headline, ``AP Photo ...``, ``Eds: ...`` or ``(Eds: ...)``, ``By ...`` and its title
line), then the body: one
paragraph per tab-indented line, or hard-wrapped lines. Agate rows start with BS and mark cells
with ``;``, US or RS; ``{`` is a half. Typewriter conventions become typography: two backticks
and two apostrophes are curly quotes, `` _ `` an em dash (the dateline keeps its ``_`` as
written).
"""

from __future__ import annotations

import re

from wirestream.transforms.formats._about import About
from wirestream.transforms.formats._fields import AP_PRIORITY_URGENCY, version_number
from wirestream.transforms.formats._text import ETX, decode_text, join_wrapped, split_lines, stx_block
from wirestream.transforms.parsing.dateline import split_dateline
from wirestream.transforms.parsing.embargo_notes import utc_moment
from wirestream.transforms.parsing.markers import note_signals
from wirestream.transforms.records.story import WireItem
from wirestream.transforms.subjects import ANPA_CATEGORY, ItemSubject, resolve

__all__ = ["NAME", "can_decode", "decode"]

NAME = "ANPA1312"

# ``r a`` then ANPA's DC1-DC4 format codes: priority, category, format (``r a\x13\x11 BC-...``),
# then the keyword (cut at 24 characters, its spaces dropped) before the date and word count.
_SELECTOR = re.compile(r"[\x00-\x20]*([A-Za-z]) ([A-Za-z0-9])[\x11-\x14]+ *([^\x00-\x20]*(?: [^\x00-\x20]+)*)")
# A keyword line's shape when no selector line vouches for it: the selector prefix (``BC-``,
# ``AP-``) or the word count after a comma (``...,466``).
_KEYWORD_SHAPE = re.compile(r"[A-Za-z]{2}-\S|.*,\s*[0-9]{1,5}\s*$")
_NOT_ALNUM = re.compile(r"[\W_]+")
_NOTE_OPENERS = ("eds:", "ed:", "editor's note", "editor\u2019s note", "ap photo", "with ap photo")

# SYN before SOH, or SOH and a service line carrying the US separator (``W2870\x1fasian``), or
# a selector line with ANPA's DC1-DC4 format codes before STX. IPTC 7901 uses none of these.
_ENVELOPE = re.compile(rb"\x16+\x01|\x01[^\r\n\x02]{0,40}\x1f|\x01[^\x02]{0,200}?[\x11-\x14]")
_WRITETHRU = re.compile(r"Writethru|Correction|Corrects|Sub\b|Advisory", re.I)
# Tried only from the first digit of a run (the look-behind): from every digit it was quadratic.
_WRITETHRU_NUMBER = re.compile(r"(?<![0-9])([0-9]+)(?:st|nd|rd|th)\s*Ld-Writethru", re.I)
_HEADER_END = re.compile(r"[<=]\s*$")
_AGATE_CELL = re.compile(r"[\x1e\x1f][\x1e\x1f ]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SUMMARY_MIN_WORDS = 15
# The trailer after ETX: agency, a service code, MM-DD-YY and the time (``AP-WF-11-13-13 1509GMT``).
# Anchored and bounded, so an odd trailer costs one short look and gives no agency.
# The date is MM-DD-YY and the time HHMM with its zone (``GMT``); a time without one is not guessed at.
_TRAILER = re.compile(
    r"[\x00-\x20]*([A-Za-z]{1,10})-[A-Za-z]{1,4}-([0-9]{2})-([0-9]{2})-([0-9]{2})\s+([0-9]{2})([0-9]{2})([A-Za-z]{1,4})?"
)


def can_decode(raw: bytes) -> bool:
    """True for bytes opened by ANPA's ``SYN SYN SOH``, or ``SOH`` and a service or selector line
    only ANPA writes (a US separator, DC1-DC4 format codes)."""
    return bool(_ENVELOPE.match(raw[:64].lstrip(b"\r\n")))


def decode(raw: bytes) -> list[WireItem]:
    """One WireItem; DecodeError ``not-anpa`` when the STX...ETX text block is missing."""
    text = decode_text(raw)
    preamble, block = stx_block(
        text,
        what="ANPA-1312",
        reason="not-anpa",
        hint="it may be cut short, or not ANPA at all: force another format with --format",
    )
    lines = split_lines(block)
    selector = _selector(preamble)
    keyword = selector.group(3) if selector else ""
    if lines and _is_keyword_line(lines[0], keyword):
        slugline, notes, version = _keyword(_strip_marks(lines[0]))
        lines = lines[1:]
    else:  # no keyword line: the selector's keyword, its parts a space apart, stands in
        slugline, notes, version = _keyword(", ".join(keyword.split()))
    headline, decks, more_notes, header_body, body = _header(lines)
    trailer = _trailer(text, len(preamble) + 1 + len(block))
    sent = _sent_at(trailer) if trailer else None
    return [
        WireItem(
            format=NAME,
            body_lines=header_body + _body(body),
            version=version,
            headline=headline,
            decks=decks,
            slugline=slugline,
            editor_notes=notes + more_notes,
            urgency=AP_PRIORITY_URGENCY.get(selector.group(1).lower()) if selector else None,
            agency=trailer.group(1) if trailer else None,
            **About(
                first_created=sent if not notes and version is None else None,
                version_created=sent,
                subjects=resolve([ItemSubject(f"{ANPA_CATEGORY}:{selector.group(2).lower()}")] if selector else []),
            ).fields(),
        )
    ]


def _trailer(text: str, etx: int) -> re.Match[str] | None:
    """The trailer after ETX (at ``etx``): agency, service, date and time; None without one."""
    if not text.startswith(ETX, etx):
        return None  # cut short before ETX: no trailer
    return _TRAILER.match(text, etx + 1, etx + 80)


def _sent_at(trailer: re.Match[str]) -> int | None:
    """Epoch milliseconds of the trailer's ``MM-DD-YY HHMMGMT``; None without a zone we can vouch for."""
    month, day, year, hour, minute, zone = trailer.groups()[1:]
    if not zone:
        return None
    full_year = int(year) + (1900 if int(year) >= 70 else 2000)  # ANPA-1312 is from 1970s wires on
    moment = utc_moment(full_year, int(month), int(day), int(hour), int(minute), 0, zone)
    return int(moment.timestamp() * 1000) if moment else None


def _selector(preamble: str) -> re.Match[str] | None:
    """The selector line: priority letter, category letter, keyword."""
    for line in split_lines(preamble)[:4]:
        if match := _SELECTOR.match(line):
            return match
    return None


def _is_keyword_line(line: str, selector_keyword: str) -> bool:
    """The first line of the text is the keyword line unless it is a body paragraph (indented, or
    a dateline lead) or does not read as a keyword: it must repeat the selector line's keyword,
    or, without one, have a keyword's shape (``BC-...``, ``...,466``)."""
    if not line.strip() or line[:1] in " \t":
        return False
    text = _strip_marks(line).rsplit("^", 1)[-1].strip()
    if not text or split_dateline(text)[0] is not None:
        return False
    selector = _NOT_ALNUM.sub("", selector_keyword).lower()
    if selector and _NOT_ALNUM.sub("", text).lower().startswith(selector):
        return True
    return bool(_KEYWORD_SHAPE.match(text))


def _keyword(line: str) -> tuple[str | None, list[str], int | None]:
    """``BC-BKN--Heat-Hawks, 1st Ld-Writethru,416`` → slugline, marker notes, version."""
    line = line.rsplit("^", 1)[-1].strip()
    parts = [p.strip() for p in line.split(",")]
    if parts and parts[-1].isdigit():
        parts.pop()  # the word count
    slug = parts[0] if parts and parts[0] else None
    notes = [p for p in parts[1:] if _WRITETHRU.search(p) or note_signals(p)]
    number = next((version_number(m.group(1)) for p in notes if (m := _WRITETHRU_NUMBER.search(p))), None)
    return slug, notes, number


def _header(lines: list[str]) -> tuple[str | None, list[str], list[str], list[str], list[str]]:
    """Split the ``^`` header lines off the body: headline, decks (a summary line under it),
    notes (``Eds:``, ``AP Photo``, ``All Times EDT``), the byline with its title line, and the
    body lines."""
    headline: str | None = None
    decks: list[str] = []
    notes: list[str] = []
    bylines: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("^") or not _HEADER_END.search(line):
            break
        text = _strip_marks(line)
        index += 1
        if text.strip("([ ").lower().startswith(_NOTE_OPENERS):
            notes.append(text)  # "Eds: ...", "(Eds: ...)": to editors, not display copy
        elif text.startswith(("By ", "BY ")):
            bylines.append(text)
            if index < len(lines) and _is_title_line(lines[index]):
                bylines.append(_strip_marks(lines[index]))  # "AP Sports Writer"
                index += 1
            break
        elif headline is None and text:
            headline = text
        elif len(text.split()) >= _SUMMARY_MIN_WORDS:
            decks.append(text)  # a summary of the story under its headline
        elif text:
            notes.append(text)  # "All Times EDT" above agate
    return headline, decks, notes, bylines, lines[index:]


def _is_title_line(line: str) -> bool:
    """``^AP Sports Writer=`` under a byline; not ``^AMERICAN LEAGUE=`` (an agate heading)."""
    text = _strip_marks(line)
    return line.startswith("^") and line.rstrip().endswith("=") and not text.isupper()


def _body(lines: list[str]) -> list[str]:
    """Body lines: agate rows cleaned, marks dropped, typewriter quotes and dashes made typographic."""
    cleaned: list[str] = []
    for line in lines:
        if line.startswith(("\x08", "^\x08")):
            row = _AGATE_CELL.sub(";", line.replace("\x10", "")).replace("{", "\u00bd")
            cleaned.append(" " + _strip_marks(row).strip(";"))  # a row stands alone, as an indented line
        else:
            # A "^" line stands alone (as an indented one does): a heading or a list entry.
            text = line.rstrip().rstrip("<=").rstrip().replace("\x10", " ")
            cleaned.append(" " + text[1:] if text.startswith("^") else text)
    cleaned = [_CONTROL.sub("", line) for line in cleaned]
    paragraphs = join_wrapped(cleaned)  # every paragraph starts indented, wrapped or not
    out: list[str] = []
    seen_lead = False
    for paragraph in (p.lstrip("^").strip() for p in paragraphs):
        if not seen_lead and paragraph:
            seen_lead = True
            dateline, rest = split_dateline(paragraph)
            if dateline is not None:
                out.append(f"{dateline.raw} {_typography(rest)}".strip())
                continue
        out.append(_typography(paragraph))
    while out and not out[-1]:
        out.pop()
    return out


def _typography(text: str) -> str:
    text = text.replace("``", "\u201c").replace("''", "\u201d")
    return re.sub(r"(?<=\S) _ (?=\S)", " \u2014 ", text)


def _strip_marks(line: str) -> str:
    """Drop the ``^`` lead, the ``<``/``=`` end marks and control codes of a header line."""
    return _CONTROL.sub("", line).strip().lstrip("^").rstrip("<=").strip()
