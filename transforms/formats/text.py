"""Plain wire text: UTF-8 lines, the dateline in the first paragraph, ``___`` rules near the end.

This is the catch-all format, tried last. It keeps the text's own line structure: ``body_lines``
holds every line, stripped, with blank lines kept as ``""`` so the parser can see where blocks
break; hard-wrapped text (the 1987 Reuters wire) has its wrapped lines joined into paragraphs
first. A headline is split off only when the item plainly starts with one. Marker lines above
or under it (``KILL``, ``FLASH``, ``EMBARGOED UNTIL 0001 GMT Dec. 2, 2026``) are editor's notes,
which the parser reads for signals; ``Eds:`` lines are left for the parser to take.
"""

from __future__ import annotations

import re

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats._text import is_hard_wrapped, join_wrapped, repair_mojibake, trim_blank_lines
from wirestream.transforms.parsing.byline import parse_bylines
from wirestream.transforms.parsing.dateline import split_dateline
from wirestream.transforms.parsing.markers import is_marker_line
from wirestream.transforms.records.story import WireItem

__all__ = ["NAME", "can_decode", "decode", "looks_binary", "read_text"]

NAME = "TEXT"

_BOM = b"\xef\xbb\xbf"
_SNIFF_BYTES = 4096
# Share of control characters above which bytes are data, not text. Wire text may carry a few
# transmission codes (ANPA's SOH/STX/ETX), random or compressed bytes about a quarter.
_BINARY_CONTROL_SHARE = 0.15
# Unicode's control characters (category Cc: C0, DEL and C1) but the five that lay out text.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# XML/HTML (``<?xml``, ``<!DOCTYPE``, ``<nitf>...</nitf>``) or a JSON object: a structured
# format we may not read yet, never plain text. ``<NOVA> WINS OKAY`` (a Reuters ticker) is text:
# a document that opens with a plain tag counts as markup only if it also ends with one.
_DECLARATION_OR_JSON = re.compile(rb"\{|<[?!]")
_OPENING_TAG = re.compile(rb"<[A-Za-z][\w:.-]*(?:\s+[\w:.-]+\s*=|\s*/?>)")
_HEADLINE_MAX_CHARS = 120
_HEADLINE_MAX_WORDS = 20


def can_decode(raw: bytes) -> bool:
    """True for bytes that look like human text: not binary, not blank, not markup or JSON,
    and not opened by a transmission code (SOH/SYN: ANPA 1312 or IPTC 7901, not plain text)."""
    head = raw[:_SNIFF_BYTES].removeprefix(_BOM).lstrip()
    return bool(head) and head[0] >= 0x20 and not looks_binary(raw) and not _looks_structured(head, raw)


def _looks_structured(head: bytes, raw: bytes) -> bool:
    if _DECLARATION_OR_JSON.match(head):
        return True
    return bool(_OPENING_TAG.match(head)) and raw.rstrip().endswith(b">")


def decode(raw: bytes) -> list[WireItem]:
    """One item: the lines of the text, with the headline split off when there clearly is one."""
    raw_lines = repair_mojibake(read_text(raw)).splitlines()
    lines = join_wrapped(raw_lines) if is_hard_wrapped(raw_lines) else [line.strip() for line in raw_lines]
    notes, lines = _take_marker_lines(trim_blank_lines(lines))
    headline = _leading_headline(lines)
    if headline is not None:
        more_notes, lines = _take_marker_lines(trim_blank_lines(lines[1:]))
        notes += more_notes
    return [WireItem(format=NAME, body_lines=lines, headline=headline, editor_notes=notes)]


def _take_marker_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Marker lines among the leading blank and ``Eds:`` lines, and the lines without them."""
    notes: list[str] = []
    kept: list[str] = []
    for index, line in enumerate(lines):
        if is_marker_line(line):
            notes.append(line)
        elif not line or line.lower().startswith(("eds:", "ed:", "editor")):
            kept.append(line)
        else:
            return notes, trim_blank_lines(kept + lines[index:]) if notes else lines
    return notes, trim_blank_lines(kept) if notes else lines


def read_text(raw: bytes) -> str:
    """Decode wire bytes as UTF-8 (BOM dropped), or raise a DecodeError saying why they are not."""
    if looks_binary(raw):
        raise DecodeError(
            "the message is binary data (NUL bytes or mostly control characters), not text; "
            "check the producer is not sending compressed or serialised payloads to this topic",
            reason="binary",
        )
    body = raw.removeprefix(_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"the text is not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start}); "
            "re-encode it as UTF-8 before producing it, or send it in a format that declares "
            "its charset",
            reason="bad-encoding",
        ) from exc
    if not text.strip():
        raise DecodeError(
            f"the message is empty ({len(raw)} bytes of whitespace); nothing to parse, check the producer",
            reason="empty",
        )
    return text


def looks_binary(raw: bytes) -> bool:
    """True for NUL bytes or a high share of control characters in the first few KB."""
    sample = raw[:_SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    try:
        chars = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut multi-byte character at the sample's end is fine; anything else is judged as
        # Latin-1, where C1 controls (0x80-0x9f) also count: rare in real text, common in noise.
        if exc.start >= len(sample) - 3 and len(raw) > len(sample):
            chars = sample[: exc.start].decode("utf-8")
        else:
            chars = sample.decode("latin-1")
    if not chars:
        return False
    return len(_CONTROLS.findall(chars)) > _BINARY_CONTROL_SHARE * len(chars)


def _leading_headline(lines: list[str]) -> str | None:
    """The first line when it is plainly a headline: short, unpunctuated, then a blank line.

    Never a dateline lead (``NEW YORK (AP) — ...``), a byline, an editor's note, a link, or the
    only text.
    """
    if len(lines) < 3 or not lines[0] or lines[1]:
        return None
    first = lines[0]
    if not any(lines[2:]):
        return None
    if len(first) > _HEADLINE_MAX_CHARS or len(first.split()) > _HEADLINE_MAX_WORDS:
        return None
    if first[-1] in ".,;:!\u2014\u2013-_" or not any(ch.isalpha() for ch in first):
        return None
    words = first.split()
    if 3 * sum(any(ch.isdigit() for ch in word) for word in words) > len(words):
        return None  # a transmission header ("eca062 4 i 211 ccccb dpa 061"), not words
    if split_dateline(first)[0] is not None or parse_bylines([first])[0]:
        return None
    if "://" in first or first.lower().startswith(("eds:", "ed:", "editor")):
        return None
    return first
