"""Read the structure of a wire story out of a decoded item, with no language model.

Top to bottom, an agency story is: editor's notes (``Eds: ...``), bylines, the lead with its
dateline, paragraphs with ALL-CAPS subheads between them, then after a ``___`` rule the
contributor taglines and a trailer (``Find more of AP's coverage at ...``, copyright, ``Follow
... on X``). ``parse_item`` takes those parts apart in that order; each step is a small helper.

The end of the body is read for what closes a story even with no rule before it: an agency's
copyright notice (``© 2026 Fictional Press``, ``Copyright Fictional Press 2026``) and other trailer
lines go to the trailer, and a credit line that names itself (``(Reporting by …; Editing by …)``)
to the contributors, so neither is counted as the story's words.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata

from wirestream.transforms.deadletters.errors import ParseError
from wirestream.transforms.parsing.byline import is_credit_line, parse_byline, parse_bylines, parse_tagline
from wirestream.transforms.parsing.dateline import geocoded, read_dateline_field, split_dateline
from wirestream.transforms.parsing.language import story_language
from wirestream.transforms.parsing.newsroom_fields import newsroom_fields
from wirestream.transforms.records import ids
from wirestream.transforms.records.story import Byline, Contributor, Dateline, Source, Story, WireItem

__all__ = ["count_words", "find_links", "parse_item", "text_id"]

_RULE = re.compile(r"(?:_{3,}|-{3,}|\*\s*\*\s*\*)")
# Notes to editors at the top, write-through and correction markers among them
# (``1st Ld-Writethru``, ``CORRECTS spelling of ...``, ``REFILE``, ``UPDATE 2``), in brackets or not
# (``(Eds: Updates with …)``).
_EDITOR_NOTE = re.compile(
    r"[(\[]?\s*(?:Eds?\s*:|EDITOR['\u2019]?S\s+NOTE|Editor['\u2019]?s\s+note"
    r"|(?:\d+(?:st|nd|rd|th)\s+)?Ld-?\s*Writethru\b|Writethru\b"
    r"|\((?:adds|updates|recasts|corrects|changes|rewrites|refiles|repeats|fixes|removes|inserts)\b[^)]*\)\s*$"
    r"|(?-i:(?:CORRECTS?|CORRECTION|CORRECTED|REFILE|REPEAT|RPT|UPDATES?(?:\s+\d+)?)(?:\s*[:\-_\u2014]|\s+[a-z]|\s*$)))",
    re.I,
)
# Lines that close a story rather than tell it. Kept narrow: they are also looked for at the end
# of the body, where no rule announces them.
_TRAILER = re.compile(
    r"(?:(?:find|read|see|get)\s+(?:more|all|the\s+latest)\b.*\b(?:at|on)\s+https?://"
    r"|follow\s.{1,80}\s(?:on|at)\s+(?:X|Twitter|Instagram|Facebook|Threads|Bluesky|Mastodon|"
    r"TikTok|LinkedIn|YouTube|https?://)\b"
    # an agency's copyright notice: a mark, then a year or a name (``© 2026 FP``, ``(c) Copyright FP``),
    # or the word with a year or a capitalised name then a year (``Copyright Fictional Press 2026``)
    r"|(?:copyright\s*)?(?:\(c\)|\u00a9)\s*(?:copyright\s+)?(?:(?:19|20)\d\d|the\b|(?-i:[A-Z]))"
    r"|copyright\s+(?:(?:19|20)\d\d|the\b|(?:(?-i:[A-Z])[\w&.'\u2019-]*\s+){1,5}(?:19|20)\d\d\b)"
    r"|.*\ball\s+rights\s+reserved\b|online\s*:"
    r"|https?://\S+$"
    r"|the\s+associated\s+press\s+(?:receives|is\s+solely\s+responsible)\b"
    r"|reuters?\s*$"  # the 1987 wire's sign-off
    r"|this\s+(?:story|article|version)\s+(?:has\s+been|was)\s+(?:corrected|updated)\b"
    r"|.{1,80}\bcan\s+be\s+reached\s+at\b|this\s+(?:story|article)\s+was\s+(?:generated|produced)\s+by\b)",
    re.I,
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"\u201c\u201d\u2018\u2019]+", re.I)
_URL_TRAILING = ".,;:!?'\"\u2019\u201d"
_BRACKETS = {")": "(", "]": "[", "}": "{"}
_SUBHEAD_MAX_WORDS = 12
_SUBHEAD_MAX_CHARS = 100
_HEADLINE_MAX_WORDS = 20
_ID_HEX_CHARS = 20


def parse_item(item: WireItem, source: Source, *, pipeline_version: str = "") -> Story:
    """The Story the item tells, every structural field filled; ParseError ``no-body`` when it
    has neither a paragraph nor a headline. A headline-only item (an alert, an AP Media API item
    whose text is in a separate rendition) is a story with no paragraphs.
    ``processed_at`` is left to the caller."""
    lines = [_clean(line) for line in item.body_lines]
    notes, lines = _take_editor_notes(lines)
    bylines, used = parse_bylines(lines)
    lines = lines[used:]
    more_notes, lines = _take_editor_notes(lines)
    if not bylines and item.byline:
        bylines = parse_byline(item.byline, given=True)
    if item.byline_title:
        bylines = [b if b.title else dataclasses.replace(b, title=item.byline_title) for b in bylines]
    if not bylines and item.bylines:
        bylines = [_with_title(found, given.title) for given in item.bylines for found in _given_byline(given.name)]
    body, contributors, trailer = _split_tail(lines)
    body, closing, credits = _take_closing_lines(body)
    blocks = [line for line in body if line]
    headline, blocks = _headline_above_dateline(item.headline, blocks)
    dateline, blocks = _take_dateline(item, blocks)
    subheads, paragraphs = _split_subheads(blocks)
    if not paragraphs and not headline:
        raise ParseError(
            f"the {item.format} item has neither a headline nor body paragraphs; nothing to publish: "
            "it may be cut short, or be a bare dateline or credit line",
            reason="no-body",
        )
    editor_notes = item.editor_notes + notes + more_notes
    story_id = ids.story_id(item.guid, item.version) if item.guid else text_id(item)
    newsroom = newsroom_fields(item, notes + more_notes, headline, dateline, story_id)
    if not item.guid:  # the same text in two stories (a kill's boilerplate) is two items
        story_id = ids.text_story_id(story_id, newsroom.family_id)
    return Story(
        id=story_id,
        format=item.format,
        source=source,
        paragraphs=paragraphs,
        version=item.version,
        family_id=newsroom.family_id,
        supersedes=item.supersedes,
        urgency=newsroom.urgency,
        pubstatus=newsroom.pubstatus,
        embargoed_until=newsroom.embargoed_until,
        signals=newsroom.signals,
        headline=headline,
        decks=[deck for deck in dict.fromkeys(_clean(d) for d in item.decks if d) if deck and deck != headline],
        slugline=item.slugline,
        language=story_language(item.language, headline, paragraphs),
        language_declared=item.language,
        dateline=dateline,
        bylines=bylines,
        contributors=credits + contributors,
        subheads=subheads,
        trailer=closing + trailer + item.trailer,
        editor_notes=editor_notes,
        links=find_links(item.body_lines + item.trailer),
        word_count=sum(count_words(p) for p in paragraphs),
        pipeline_version=pipeline_version,
        first_created=item.first_created,
        version_created=item.version_created,
        subjects=list(item.subjects),
        keywords=list(item.keywords),
        abstract=item.abstract,
        genres=list(item.genres),
        usage_terms=item.usage_terms,
    )


def text_id(item: WireItem) -> str:
    """``sha1:`` + the first 20 hex digits of SHA-1 over the item's normalised text.

    The text is the headline and body lines as decoded (NFC, whitespace runs collapsed, blank
    lines dropped, joined by newlines), not the parse result, so ids survive parser changes and
    a headline moving in or out of the body.
    """
    lines = [item.headline or "", *item.body_lines]
    normal = (" ".join(unicodedata.normalize("NFC", line).split()) for line in lines)
    text = "\n".join(line for line in normal if line)
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:_ID_HEX_CHARS]


def find_links(lines: list[str]) -> list[str]:
    """URLs anywhere in ``lines``, in order, once each, without trailing punctuation."""
    links: dict[str, None] = {}  # ordered, and a set for the look-up
    for line in lines:
        for match in _URL.finditer(line):
            link = _strip_url(match.group())
            if len(link) > len("https://"):
                links.setdefault(link)
    return list(links)


def count_words(text: str) -> int:
    """Whitespace-separated tokens holding a letter or digit (a lone dash is not a word)."""
    return sum(1 for token in text.split() if token[0].isalnum() or any(map(str.isalnum, token)))


def _clean(line: str) -> str:
    return " ".join(line.split())


def _take_editor_notes(lines: list[str]) -> tuple[list[str], list[str]]:
    """Leading ``Eds:`` / ``EDITOR'S NOTE`` lines, and the lines after them (blanks skipped)."""
    notes: list[str] = []
    index = 0
    while index < len(lines) and (not lines[index] or _EDITOR_NOTE.match(lines[index])):
        if lines[index]:
            notes.append(lines[index])
        index += 1
    return (notes, lines[index:]) if notes else ([], lines)


def _split_tail(lines: list[str]) -> tuple[list[str], list[Contributor], list[str]]:
    """Body lines, contributors and trailer, cut at ``___`` rules.

    The first section after a rule holding a tagline or a trailer line starts the tail; every
    line from there on is a contributor (if it parses as a tagline) or trailer. Rule-separated
    sections before it (``TIP-INS`` in AP sports) are still body.
    """
    sections: list[list[str]] = [[]]
    for line in lines:
        if _RULE.fullmatch(line):
            sections.append([])
        else:
            sections[-1].append(line)
    body = list(sections[0])
    contributors: list[Contributor] = []
    trailer: list[str] = []
    in_tail = False
    for section in sections[1:]:
        in_tail = in_tail or any(parse_tagline(s) or _TRAILER.match(s) for s in section if s)
        if not in_tail:
            body.extend(section)
            continue
        for line in filter(None, section):
            found = parse_tagline(line)
            if found:
                contributors.extend(found)
            else:
                trailer.append(line)
    return body, contributors, trailer


def _take_closing_lines(body: list[str]) -> tuple[list[str], list[str], list[Contributor]]:
    """Trailer lines (copyright, ``Follow ... on X``) and self-named credit lines that end the body
    with no rule before them: the body without them, the trailer lines, the credited people."""
    end = len(body)
    while end and (not body[end - 1] or _TRAILER.match(body[end - 1]) or is_credit_line(body[end - 1])):
        end -= 1
    closing = [line for line in body[end:] if line]
    credits = [person for line in closing if is_credit_line(line) for person in parse_tagline(line)]
    return body[:end], [line for line in closing if not is_credit_line(line)], credits


def _given_byline(name: str) -> list[Byline]:
    """A byline the format gives by itself (AP's ``bylines``), read as a byline; kept as given when
    it does not read as names, since the format says it is one."""
    return parse_byline(name, given=True) or [Byline(" ".join(name.split()))]


def _with_title(byline: Byline, title: str | None) -> Byline:
    return byline if byline.title or not title else dataclasses.replace(byline, title=title)


def _headline_above_dateline(headline: str | None, blocks: list[str]) -> tuple[str | None, list[str]]:
    """A short first line right above the dateline lead is the headline: unpunctuated, or in
    capitals (``CHINA CALLS FOR BETTER TRADE DEAL WITH U.S.``)."""
    if headline is not None or len(blocks) < 2 or split_dateline(blocks[0])[0] is not None:
        return headline, blocks
    first = blocks[0]
    if (
        len(first.split()) <= _HEADLINE_MAX_WORDS
        and (first[-1] not in ".,;:!" or is_capitals(first))
        and split_dateline(blocks[1])[0] is not None
    ):
        return first, blocks[1:]
    return headline, blocks


def _take_dateline(item: WireItem, blocks: list[str]) -> tuple[Dateline | None, list[str]]:
    """The dateline: the format's own if it gave one, else the lead's; removed from the lead.

    A ninjs or NewsML ``located`` stands in for the place when neither names one (raw =
    location = the located text when there is no dateline at all).
    """
    field = _dateline_field(item.dateline)
    from_text = None
    if blocks:
        from_text, rest = split_dateline(blocks[0])
        if from_text is not None and field is not None and not _same_place(field, from_text):
            from_text = None  # the lead names another place than the format: its words stay in the lead
        if from_text is not None:
            blocks = ([rest] if rest else []) + blocks[1:]
    dateline = _merge(field, from_text)
    if item.located and (dateline is None or not dateline.location):
        located = item.located.strip()
        dateline = dataclasses.replace(dateline, location=located) if dateline else Dateline(located, located)
    if dateline is not None and dateline.geo is None and dateline.location:
        dateline = geocoded(dateline)  # the place as it stands after the merge, or the located standing in
    return dateline, blocks


def _merge(field: Dateline | None, lead: Dateline | None) -> Dateline | None:
    """The format's dateline, with the parts it lacks (agency, region, date) taken from the
    lead's when both name the same place: ``<location>NEW YORK`` + ``NEW YORK (AP) —``.

    A dateline with no place (``March 3 (Reuters) -``, or the agency and date a NewsML item's
    metadata gives) goes with any place; the one written in the lead keeps its ``raw``.
    """
    if field is None or lead is None:
        return field or lead
    if not _same_place(field, lead):
        return field
    first, second = (lead, field) if not field.location else (field, lead)
    return dataclasses.replace(
        first,
        location=first.location or second.location,
        region=first.region or second.region,
        agency=first.agency or second.agency,
        date=first.date or second.date,
    )


def _same_place(one: Dateline, other: Dateline) -> bool:
    """The same place, or one of them names none."""
    return not one.location or not other.location or one.location.casefold() == other.location.casefold()


def _dateline_field(text: str | None) -> Dateline | None:
    """A dateline the format carried in a field of its own; its whole text when unreadable."""
    if not text or not text.strip():
        return None
    if (parsed := read_dateline_field(text)) is not None:
        return parsed
    location = text.strip().rstrip(" -_\u2014\u2013.").strip()
    if not location or location[:1].isdigit() or sum(ch.isalpha() for ch in location) < 2:
        return None  # a timestamp or a code, not a place
    return Dateline(raw=text.strip(), location=location)


def _split_subheads(blocks: list[str]) -> tuple[list[str], list[str]]:
    """ALL-CAPS short lines are subheads; every other line is a paragraph."""
    subheads: list[str] = []
    paragraphs: list[str] = []
    for block in blocks:
        (subheads if _is_subhead(block) else paragraphs).append(block)
    return subheads, paragraphs


def _is_subhead(line: str) -> bool:
    """``ISRAEL SAYS 'FINAL CLEARING' UNDERWAY IN THE NORTH``: capitals, short, no full stop."""
    return (
        is_capitals(line)
        and ";" not in line  # an agate table's header row
        and len(line) <= _SUBHEAD_MAX_CHARS
        and len(line.split()) <= _SUBHEAD_MAX_WORDS
        and not line.endswith(".")
    )


def is_capitals(line: str) -> bool:
    """At least three cased letters, all of them capitals (``str.isupper`` first: most lines are not)."""
    return line.isupper() and sum(map(str.isupper, line)) >= 3


def _strip_url(url: str) -> str:
    """Drop sentence punctuation after a URL, and a closing bracket it did not open.

    One pass from the end with running bracket counts, so a URL followed by any number of ``)``
    or ``.`` costs time linear in its length.
    """
    opened = {close: url.count(open_) for close, open_ in _BRACKETS.items()}
    closed = {close: url.count(close) for close in _BRACKETS}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in closed and closed[last] > opened[last]:
            closed[last] -= 1
        elif last not in _URL_TRAILING:
            break
        end -= 1
    return url[:end]
