"""Properties over arbitrary input: decoding and parsing fail only in the ways they declare, and
what they make of the input keeps all of it.

A pipeline meets every kind of garbage; anything but a DecodeError/ParseError would stop it
instead of routing the message to the dead-letter topic. And a parse that drops a word drops it
silently: every word of an item must end up somewhere in its record.
"""

from __future__ import annotations

import json
import re
from types import ModuleType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirestream.transforms.deadletters.errors import DecodeError, ParseError
from wirestream.transforms.formats import REGISTRY, _text, decode, detect
from wirestream.transforms.parsing.byline import parse_byline, parse_bylines, parse_tagline
from wirestream.transforms.parsing.dateline import read_dateline_field, split_dateline
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story, WireItem

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Wire-shaped text: datelines, rules, capitals, dashes, JSON and markup openers mixed with noise.
_PIECES = st.sampled_from(
    [
        "NEW YORK (AP) — ",
        "LONDON, Nov 24 (Reuters) - ",
        "By JANE DOE",
        "Associated Press",
        "___",
        "\n",
        "\n\n",
        " ",
        "Magdy reported from Cairo.",
        "ISRAEL SAYS",
        "(",
        ")",
        "—",
        "-",
        "_",
        ",",
        "https://x.y/z).",
        "{",
        '"headline":',
        "<p>",
        "\r\n",
        "\ufeff",
        "\x00",
        "Eds: ",
        "Copyright 2024",
        " and ",
        " in ",
        "Find more of AP’s coverage at https://a.b/c.",
    ]
)
WIRE_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=25).map("".join)
ANY_TEXT = st.one_of(st.text(), WIRE_TEXT)
ANY_BYTES = st.one_of(st.binary(), ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))

# Whole stories in the shapes agencies send, so that bylines, datelines, subheads, taglines and
# trailers really occur (random text almost never makes a byline).
_WORDS = st.lists(
    st.one_of(
        st.sampled_from(
            ["ferry", "Norland", "said", "on", "Tuesday", "the", "9%", "“quoted”", "harbour’s", "U.S.", "—"]
        ),
        st.text(min_size=1, max_size=8).filter(lambda t: t.strip() == t and t),
    ),
    min_size=1,
    max_size=10,
).map(" ".join)
_STORY_LINES = st.tuples(
    st.sampled_from(["", "Ferry crews strike in Norland\n\n", "NORLAND GRAIN REVIEW\n"]),
    st.sampled_from(["", "Eds: With FP Photos.\n", "1st Ld-Writethru\n"]),
    st.sampled_from(
        [
            "",
            "By JANE DOE\nAssociated Press\n",
            "By MARA QUILLFEATHER and TOBIAS VENN\nFictional Press Writers\n",
            "By Liv Ekdahl, The Valmora Tribune\n",
            "Von Ana y Luis\n",
            "By The Associated Press\n",
        ]
    ),
    st.sampled_from(
        [
            "",
            "PORT ELLIS, Norland (FP) — ",
            "LONDON, Nov 24 (Reuters) - ",
            "Berlin (dpa) - ",
            "VALMORA, March 3 - ",
            "Tegucigalpa, Jan 2 (EFE).- ",
            "(ANSA) - Rome, October 11 - ",
            "WASHINGTON — ",
            "CHATHAM, Mass. (AP) _ ",
        ]
    ),
    st.lists(st.one_of(_WORDS, st.sampled_from(["WHAT COMES NEXT", "___", ""])), min_size=1, max_size=6),
    st.sampled_from(
        [
            "",
            "___\nVenn reported from Lindqvist Bay.",
            "___\nReporting by Ada Kestrel; Editing by Ilse Marrow",
            "___\nAssociated Press writer Jane Doe in Atlanta contributed to this report.",
            "(Adds comments, detail)",
        ]
    ),
    st.sampled_from(
        [
            "",
            "___\nFind more of FP’s coverage at https://example.org/fp.",
            "Copyright 2026 FP. All rights reserved.",
            "Follow Ada Kestrel on X: https://x.com/ada",
            "Reuter",
        ]
    ),
)
WIRE_STORY = _STORY_LINES.map(
    lambda parts: "".join(parts[:4]) + "\n".join(parts[4]) + "\n" + parts[5] + "\n" + parts[6] + "\n"
)
# The same stories as plain text and as ninjs (a format without a dateline field of its own).
WIRE_STORY_BYTES = st.one_of(
    WIRE_STORY.map(str.encode),
    WIRE_STORY.map(lambda text: json.dumps({"uri": "urn:test:1", "body_text": text}).encode()),
)
_WORD = re.compile(r"[^\W_]+")
# The words a byline spends on grammar, not on names: the "By" and the "and" between names.
_BYLINE_GRAMMAR = frozenset({"By", "BY", "Von", "VON", "Par", "PAR", "Por", "POR", "Di", "Door", "Av", "Af"})
_BYLINE_GRAMMAR |= {"and", "und", "et", "y"}


@SETTINGS
@given(ANY_BYTES)
def test_decode_returns_items_or_raises_decode_error(raw: bytes) -> None:
    try:
        items = decode(raw)
    except DecodeError as failure:
        assert failure.reason and str(failure)
        return
    assert items
    for item in items:
        assert item.format == detect(raw).NAME  # made by the decoder detection chose
        assert all(line == line.strip() and "\n" not in line and "\r" not in line for line in item.body_lines)


@SETTINGS
@given(ANY_TEXT)
def test_split_dateline_never_raises_and_loses_nothing(text: str) -> None:
    dateline, rest = split_dateline(text)
    if dateline is None:
        assert rest == text
    else:
        assert dateline.location and dateline.raw in text
        assert text.strip().endswith(rest.strip())


@SETTINGS
@given(st.lists(ANY_TEXT, max_size=6))
def test_parse_bylines_never_raises(lines: list[str]) -> None:
    bylines, used = parse_bylines(lines)
    assert 0 <= used <= len(lines)
    assert (used == 0) == (not bylines)


@SETTINGS
@given(ANY_TEXT)
def test_parse_tagline_and_byline_never_raise(line: str) -> None:
    for contributor in parse_tagline(line):
        assert contributor.name and contributor.raw == line.strip()
    for byline in parse_byline(line):
        assert byline.name


def _record_words(story: Story) -> set[str]:
    """Every word anywhere in the record's text fields."""
    texts = [story.headline or "", story.dateline.raw if story.dateline else "", *story.subheads, *story.paragraphs]
    texts += [*story.trailer, *story.editor_notes, *(c.raw for c in story.contributors)]
    texts += [part for b in story.bylines for part in (b.name, b.title or "")]
    return set(_WORD.findall(" ".join(texts)))


@SETTINGS
@given(st.one_of(ANY_BYTES, WIRE_STORY_BYTES))
def test_parsing_loses_no_word_of_the_item(raw: bytes) -> None:
    """Each word of the decoded headline and body is in the record: in a part or in the body."""
    for item, story in _items_and_stories(raw):
        kept = _record_words(story)
        words = _WORD.findall(" ".join([item.headline or "", *item.body_lines]))
        lost = [w for w in words if w not in kept and not (story.bylines and w in _BYLINE_GRAMMAR)]
        assert lost == [], story


@SETTINGS
@given(st.one_of(ANY_BYTES, WIRE_STORY_BYTES))
def test_paragraphs_are_words_and_their_count_is_the_word_count(raw: bytes) -> None:
    for story in _stories_or_typed_failures(raw):
        assert all(story.paragraphs)
        assert not set(story.paragraphs) & set(story.subheads)
        words = sum(1 for p in story.paragraphs for token in p.split() if any(ch.isalnum() for ch in token))
        assert story.word_count == words  # the schema's "words in the paragraphs"


@SETTINGS
@given(st.one_of(ANY_BYTES, WIRE_STORY_BYTES))
def test_every_link_is_in_the_text_and_listed_once(raw: bytes) -> None:
    for item, story in _items_and_stories(raw):
        text = "\n".join(item.body_lines + item.trailer)
        assert all(link in text for link in story.links)
        assert len(set(story.links)) == len(story.links)


def _items_and_stories(raw: bytes) -> list[tuple[WireItem, Story]]:
    """Decode and parse ``raw``: each item with its story, once DecodeError and ParseError(no-body) are set aside."""
    try:
        items = decode(raw)
    except DecodeError:
        return []
    pairs = []
    for item in items:
        try:
            story = parse_item(item, Source(path="hypothesis"))
        except ParseError as failure:
            assert failure.reason == "no-body"
            continue
        assert story.paragraphs or story.headline  # headline-only items (alerts) are stories
        pairs.append((item, story))
    return pairs


def _stories_or_typed_failures(raw: bytes) -> list[Story]:
    """Decode and parse ``raw``: the stories, once DecodeError and ParseError(no-body) are set aside."""
    return [story for _, story in _items_and_stories(raw)]


# --- every format's parser on its own, with XML- and JSON-shaped noise ---------------------------

_XML_PIECES = st.sampled_from(
    [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?xml version="1.0" encoding="ISO-8859-1"?>',
        "<nitf>",
        "</nitf>",
        "<body><body.head><hedline><hl1>",
        "</hl1></hedline>",
        "<byline>By JANE DOE<byttl>AP Writer</byttl></byline>",
        "<dateline><location>PARIS</location></dateline>",
        "<body.content><p>",
        "</p></body.content></body>",
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>',
        '<newsItem guid="g" version="x">',
        "<contentMeta><headline>H</headline><dateline>2014-07-16</dateline><by>By X</by></contentMeta>",
        '<contentSet><inlineXML contenttype="application/xhtml+xml"><html><body><p>',
        "</p></body></html></inlineXML></contentSet></newsItem>",
        "<NewsML><NewsItem><NewsComponent><NewsLines><HeadLine>",
        "</HeadLine><DateLine>STOCKHOLM, Aug 29 (AFP) -</DateLine></NewsLines>",
        "<ContentItem><DataContent><nitf><body><body.content><p>",
        "<!DOCTYPE nitf [<!ENTITY a 'aaaa'>]>",
        "&a;",
        "&amp;",
        "<![CDATA[x]]>",
        "<!-- c -->",
        "<",
        ">",
        '"',
    ]
)
_JSON_PIECES = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"headline"',
        '"headlines"',
        '"body_html"',
        '"bodies"',
        '"uri"',
        '"version"',
        '"api_version"',
        '"data"',
        '"item"',
        '"altids"',
        '"renditions"',
        '"bylines"',
        '"datelinelocation"',
        '"$schema"',
        '"<p>NEW YORK (AP) — x</p>"',
        "null",
        "1",
        "true",
        '{"by": "JANE DOE", "title": 3}',
        '[{"role": "main", "value": 1}]',
    ]
)
_ENVELOPE_PIECES = st.sampled_from(
    ["\x16\x16\x01", "W2870\x1fasian\n", "\x01", "\x02", "\x03", "\x08", "\x1e", "\x10", "^", "<", "=", "\t   ", "\r\n"]
)
XML_TEXT = st.lists(st.one_of(_XML_PIECES, st.text(max_size=8)), max_size=30).map("".join)
JSON_TEXT = st.lists(st.one_of(_JSON_PIECES, st.text(max_size=6)), max_size=30).map("".join)
ENVELOPE_TEXT = st.lists(st.one_of(_ENVELOPE_PIECES, _PIECES, st.text(max_size=8)), max_size=30).map("".join)
SHAPED_BYTES = st.one_of(
    ANY_BYTES,
    st.one_of(XML_TEXT, JSON_TEXT, ENVELOPE_TEXT).flatmap(
        lambda t: st.sampled_from(["utf-8", "latin-1", "cp1252"]).map(lambda enc: t.encode(enc, "replace"))
    ),
)


@SETTINGS
@given(SHAPED_BYTES, st.sampled_from(REGISTRY))
def test_every_format_parser_returns_items_or_raises_decode_error(raw: bytes, module: ModuleType) -> None:
    module.can_decode(raw)  # a sniff never raises
    try:
        items = module.decode(raw)
    except DecodeError as failure:
        assert failure.reason and str(failure)
        return
    for item in items:
        assert item.format == module.NAME
        assert all(line == line.strip() and "\n" not in line for line in item.body_lines)
        try:
            parse_item(item, Source(path="hypothesis"))
        except ParseError as failure:
            assert failure.reason == "no-body"


@SETTINGS
@given(SHAPED_BYTES)
def test_detected_decoding_of_shaped_input_fails_only_with_decode_error(raw: bytes) -> None:
    _stories_or_typed_failures(raw)


@SETTINGS
@given(ANY_TEXT)
def test_a_dateline_field_is_read_or_refused_never_raises(text: str) -> None:
    dateline = read_dateline_field(text)
    assert dateline is None or (dateline.location and dateline.raw)


@SETTINGS
@given(SHAPED_BYTES)
def test_text_helpers_never_raise_and_lose_no_words(raw: bytes) -> None:
    text = _text.decode_text(raw)
    lines = _text.split_lines(text)
    joined = _text.join_wrapped(lines)
    assert " ".join(joined).split() == " ".join(lines).split()
