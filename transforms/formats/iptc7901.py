"""IPTC 7901 (dpa's text service and others): a line-based wire format in a SOH/STX/ETX envelope.

``SOH``, a header line (service and number, priority, category, word count, then the source: the
agency and its own number, ``dpa 0045``; the priority digit is IPTC's own 1 most urgent scale and
becomes ``urgency`` as it is, the agency ``agency``), the keyword
line (``Germany-politics/``), ``STX``, heading lines ending in `` =`` (markers such as ``REFILE``
or ``1ST LEAD``, dpa's ``EIL`` or ``BERICHTIGUNG``: kept as editor's notes, which the parser
reads for signals; the headline, ``By ...``), then the hard-wrapped body up to ``ETX``. A heading
line in brackets (dpa's ``(Achtung)``, ``(Zusammenfassung)``), or a bracketed marker closing the
headline line, is a note to editors like a bare ``EXTRA``, never part of the headline. After
``ETX`` comes the transmission time (``131137 GMT Nov 13``: day, hour, minute, zone, month,
year), which becomes ``version_created`` (none without a zone: not guessed at). dpa adds a
notebook in Markdown (``# Notebook``, ``## Note to editors``, ``## Internet links``) and a section
after ``* * * *`` that is not for publication: notes become editor's notes, links a trailer, the
unpublishable part is left out. Character sets vary (UTF-8 or Latin-1/Windows-1252).
"""

from __future__ import annotations

import re
from itertools import pairwise

from wirestream.transforms.formats._fields import version_number
from wirestream.transforms.formats._text import ETX, decode_text, join_wrapped, split_lines, stx_block
from wirestream.transforms.parsing.byline import parse_byline
from wirestream.transforms.parsing.embargo_notes import utc_moment
from wirestream.transforms.parsing.markers import is_marker_line, marker_urgency, note_signals
from wirestream.transforms.records.story import Byline, WireItem

__all__ = ["NAME", "can_decode", "decode"]

NAME = "IPTC7901"

# Heading lines that mark the item, not title it: "REFILE", "1ST LEAD", "EXTRA" (capitals only,
# so that a headline such as "Update on talks" stays a headline).
_MARKER = re.compile(
    r"(?:REFILE|CORRECTION|CORRECTS?|UPDATE|REPEAT|\d+(?:ST|ND|RD|TH)\s+(?:LEAD|WRITETHRU)|LEAD|SUMMARY|"
    r"URGENT|FLASH|BULLETIN|EILT?|EILMELDUNG|BLITZ|EXTRA|ADVISORY|WITHDRAWAL|WITHDRAWN|(?:MANDATORY\s+)?KILL|"
    r"KORREKTUR|BERICHTIGUNG|WIEDERHOLUNG|ZUSAMMENFASSUNG|ACHTUNG|SPERRFRIST|EMBARGO(?:ED)?)"
    r"(?:[\s:,-]+[A-Z0-9][A-Z0-9 ./:,-]*)?"
)
# A numbered lead among the markers: "2ND LEAD" is the story's second write-through.
_LEAD_NUMBER = re.compile(r"(?<![0-9])([0-9]+)(?:ST|ND|RD|TH)\s+(?:LEAD|WRITETHRU)\b")
# The header's priority: the digit after the service and number (``fpe0044 4 i 380  fp 0045``).
_PRIORITY = re.compile(r"[\x00-\x20]*[A-Za-z-]*[0-9]*\s+([1-9])\s")
# The header's source: an agency name (``dpa``, ``dpa-tns``, ``fp``) and the agency's number.
_SOURCE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,23}")
_SOURCE_NUMBER = re.compile(r"[0-9]{1,6}")
_NOT_FOR_PUBLICATION = re.compile(r"\*\s*\*\s*\*")
# A Markdown heading of the dpa notebook ("# Notebook", "## Internet links"); "#hashtag" is text.
_HEADING = re.compile(r"#{1,6}\s+(\S.*)")
_WITHHELD = re.compile(r"not (?:intended )?for publication|nicht zur Ver(?:ö|oe)ffentlichung", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LIST_ITEM = re.compile(r"^[-*]\s+")
# The desk's closing line of editors' initials: the agency, then theirs ("dpa grj rmo", "fp jo lh").
_INITIALS = re.compile(r"([A-Za-z][A-Za-z-]{0,23})(?:\s+[a-z]{2,4})+")
_KNOWN_DESKS = frozenset({"dpa", "tca"})
# A heading line wholly in brackets, or a bracketed part closing the headline: "(Achtung)".
_BRACKETED_LINE = re.compile(r"[(\[][^()\[\]]{1,80}[)\]]")
_BRACKETED_END = re.compile(r"[(\[]([^()\[\]]{1,60})[)\]]$")
# After ETX: DDHHMM, an optional zone, the month's name and the year ("131137 GMT Nov 13").
_SENT = re.compile(
    r"[\x00-\x20]*([0-9]{2})([0-9]{2})([0-9]{2})\s+(?:([A-Za-z]{1,5})\s+)?([A-Za-z\u00e4]{3})[a-z]*\.?\s+([0-9]{2,4})\b"
)
# English and German month abbreviations (dpa's German service writes ``Okt``, ``Dez``).
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan",),
            ("feb",),
            ("mar", "mär", "mrz"),
            ("apr",),
            ("may", "mai"),
            ("jun",),
            ("jul",),
            ("aug",),
            ("sep",),
            ("oct", "okt"),
            ("nov",),
            ("dec", "dez"),
        ),
        start=1,
    )
    for name in names
}
# Link text holds no brackets, so a line of many "[" is scanned once, not once per bracket.
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\(([^\s()]+)\)")


def can_decode(raw: bytes) -> bool:
    """True for ``SOH`` first, with ``STX`` soon after (ANPA's envelope is tried before this)."""
    head = raw[:2048].lstrip(b"\r\n")
    return head[:1] == b"\x01" and b"\x02" in head


def decode(raw: bytes) -> list[WireItem]:
    """One WireItem; DecodeError ``not-iptc7901`` when there is no STX text block."""
    text = decode_text(raw)
    preamble, block = stx_block(
        text,
        what="IPTC 7901",
        reason="not-iptc7901",
        hint="it may be cut short: check the producer sends whole messages",
    )
    keyword = next((line.strip() for line in reversed(split_lines(preamble)) if line.strip()), "")
    lines = [_CONTROL.sub("", line).rstrip() for line in split_lines(block)]
    heading, lines = _heading(lines)
    notes: list[str] = []
    headline_parts: list[str] = []
    bylines: list[Byline] = []
    unread_bylines: list[str] = []
    for line in heading:
        if line.startswith(("By ", "BY ", "Von ", "VON ")):
            found = parse_byline(line)
            bylines.extend(found)
            if not found:
                unread_bylines.append(line)  # not names after all: its words stay in the body
        elif _BRACKETED_LINE.fullmatch(line) or (
            (_MARKER.fullmatch(line) or is_marker_line(line)) and not headline_parts
        ):
            notes.append(line)
        else:
            headline_parts.append(line)
    headline = " ".join(" ".join(headline_parts).split()) or None  # one space apart: the search below stays linear
    if headline and (closing := _BRACKETED_END.search(headline)) and _is_marker(closing.group(1)):
        notes.append(closing.group())
        headline = headline[: closing.start()].strip() or None
    header = [line.strip() for line in split_lines(preamble) if line.strip()]
    agency = _agency(header)
    body, notebook_notes, trailer = _notebook(lines, agency)
    body_lines = unread_bylines + ([""] if unread_bylines else []) + join_wrapped(body)
    return [
        WireItem(
            format=NAME,
            body_lines=body_lines,
            headline=headline,
            bylines=bylines,
            slugline=(keyword.strip("/ ") or None) if len(header) > 1 else None,
            editor_notes=notes + notebook_notes,
            trailer=trailer,
            urgency=_urgency(header),
            agency=agency,
            version=_lead_number(notes),
            version_created=_sent_at(text, len(preamble) + 1 + len(block)),
        )
    ]


def _is_marker(text: str) -> bool:
    """A bracketed closing part that marks the item: ``Achtung``, ``Zusammenfassung``, ``Eil``."""
    words = text.strip()
    return bool(
        _MARKER.fullmatch(words.upper())
        or is_marker_line(words)
        or note_signals(words)
        or marker_urgency(words) is not None
    )


def _sent_at(text: str, etx: int) -> int | None:
    """Epoch milliseconds of the transmission time after ETX; None without one or without a zone."""
    if not text.startswith(ETX, etx):
        return None
    match = _SENT.match(text, etx + 1, etx + 80)
    if match is None or not match.group(4):
        return None
    day, hour, minute, zone, month_name, year = match.groups()
    month = _MONTHS.get(month_name.lower())
    full_year = int(year) if len(year) == 4 else 2000 + int(year)
    moment = utc_moment(full_year, month, int(day), int(hour), int(minute), 0, zone) if month else None
    return int(moment.timestamp() * 1000) if moment else None


def _lead_number(markers: list[str]) -> int | None:
    """The number of a ``1ST LEAD`` / ``2ND LEAD`` marker as the item's version, as ANPA's
    ``1st Ld-Writethru`` is: the original is unnumbered, so any lead is newer than it."""
    return next((version_number(m.group(1)) for line in markers if (m := _LEAD_NUMBER.search(line))), None)


def _urgency(header: list[str]) -> int | None:
    """The header line's priority digit: IPTC 7901's 1 (flash) to 9 is IPTC urgency already."""
    match = _PRIORITY.match(header[0]) if header else None
    return int(match.group(1)) if match else None


def _agency(header: list[str]) -> str | None:
    """The source agency of the header line, as written (``dpa``); None when the line has none.

    The fields before it are fixed (service and number, priority, category, word count); an
    optional code may come between (``ccccb``), so the agency is the first name after the word
    count that a number follows (``... 211 ccccb   dpa 061``).
    """
    fields = _CONTROL.sub(" ", header[0]).split() if header else []
    for name, number in pairwise(fields[4:]):
        if _SOURCE_NAME.fullmatch(name) and _SOURCE_NUMBER.fullmatch(number):
            return name
    return None


def _heading(lines: list[str]) -> tuple[list[str], list[str]]:
    """Heading lines up to the one that ends in ``=`` (at most six), and the lines after it."""
    for index, line in enumerate(lines[:6]):
        if line.rstrip().endswith("="):
            heading = [_CONTROL.sub("", h).strip().rstrip("=").strip() for h in lines[: index + 1]]
            return [h for h in heading if h], lines[index + 1 :]
    return [], lines


def _notebook(lines: list[str], agency: str | None) -> tuple[list[str], list[str], list[str]]:
    """Body lines, editor's notes and trailer lines: dpa's Markdown notebook taken apart, the desk's
    closing initials (after the agency's name: ``dpa grj rmo``) left out."""
    desks = _KNOWN_DESKS | ({agency.lower()} if agency else set())
    body: list[str] = []
    notes: list[str] = []
    trailer: list[str] = []
    section: str | None = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if (initials := _INITIALS.fullmatch(stripped)) and initials.group(1).lower().split("-")[0] in desks:
            continue
        if _NOT_FOR_PUBLICATION.match(stripped) and (section is not None or _withheld(lines[index + 1 : index + 4])):
            break  # "* * * *" in the notebook: what follows is not for publication
        if heading := _HEADING.fullmatch(stripped):
            section = heading.group(1).lower()
            continue
        if section is None:
            body.append(line)
            continue
        if not stripped:
            continue
        item = _LIST_ITEM.sub("", stripped)
        if "link" not in section and ("note" in section or "hinweis" in section):
            notes.append(item)
        else:
            trailer.append(_MARKDOWN_LINK.sub(r"\1: \2", item))
    while body and not body[-1].strip():
        body.pop()
    return body, notes, trailer


def _withheld(following: list[str]) -> bool:
    """A ``* * *`` outside the notebook withholds what follows only when the next lines say so;
    otherwise it is a scene break in the story."""
    return any(_WITHHELD.search(line) for line in following)
