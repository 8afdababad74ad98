"""No visible word lost: every word a reader sees in a wire item is somewhere in its record.

For each realistic input (every fixture of every format, and the samples: decks, agate and HTML
tables, line breaks, a missing keyword line, inline markup), the words a reader sees are read
straight from the bytes, with this module's own small readers, not the decoders'; then every one of
them must be found in the record's text (headline, decks, slugline, dateline, bylines, subheads,
paragraphs, taglines, trailer, editor's notes, abstract, keywords; the dateline's parts as well as
its text), as often as the input shows it.

What a reader does not see as words is left out, each by a rule of its format, never by a list of
cases: transmission envelopes and headers (ANPA's selector and keyword word count, IPTC 7901's
header, the not-for-publication part after ``* * *``, Markdown section headings of dpa's notebook),
metadata (a NewsML ``dateline`` field that holds a timestamp, dpa's XHTML ``<header>`` of slug and
genre labels, NITF's ``story.date``, ``distributor`` and ``rights``, and its ``head/title`` where
``hl1`` is the headline), the desks' sign-off initials
(``ob/hs``, ``fp le ob``), ANPA's ``^``/``<``/``=`` line marks, and in a credit line the word that
marks it (``By``, ``Von``, ``Par``...) and the conjunctions between its names, which a list of
byline records implies.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.wire_fixtures import expectation, label, parsed, wire_files

_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Sign-off initials: ``ob/hs/tv``, or an agency tag and initials alone on a line (``fp le ob``).
_SLASH_INITIALS = re.compile(r"(?<!\S)[a-z]{1,4}(?:/[a-z]{1,4})+(?!\S)")
_LINE_INITIALS = re.compile(r"\s*[a-z][a-z-]{0,11}(?:\s+[a-z]{2,4})+\s*")
_BY_WORD = re.compile(r"^\s*(?:By|BY|Von|VON|Par|PAR|Por|POR|Di|di|Door|Av|Af)\s+")
_CONJUNCTION = re.compile(r"(?<!\S)(?:and|AND|und|et|y|&)(?!\S)")
# NITF elements of the body's head that are metadata, not copy: its distributor, owner and machine date.
_NITF_METADATA = frozenset({"story.date", "distributor", "rights"})
_BLOCKS = frozenset(
    {
        *("p", "div", "section", "article", "header", "footer", "li", "ul", "ol", "dd", "dt", "blockquote", "pre"),
        *("tr", "td", "th", "table", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "figcaption", "caption"),
        *("hl1", "hl2", "hedline", "byline", "byttl", "dateline", "abstract", "block", "tagline"),
        *("body.head", "body.content", "body.end"),
    }
)


# -- what a reader sees, per format -------------------------------------------------------------


def _element_text(element: ET.Element, skip: frozenset[str] = frozenset()) -> str:
    """The text of an element as shown: block elements on lines of their own, inline ones run in."""
    parts = [element.text or ""]
    for child in element:
        tag = _local(child.tag)
        if tag not in skip:
            inner = _element_text(child, skip)
            parts.append(f"\n{inner}\n" if tag in _BLOCKS else inner)
        parts.append(child.tail or "")
    return "".join(parts)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if _local(element.tag) == name]


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._hidden += tag in ("script", "style")
        self.parts.append("\n" if tag in _BLOCKS else "")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")
        self.parts.append("\n" if tag in _BLOCKS else "")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _html_text(markup: str) -> str:
    reader = _HtmlText()
    reader.feed(markup)
    reader.close()
    return "".join(reader.parts)


def _stx_block(text: str) -> str:
    start, end = text.find("\x02"), text.find("\x03")
    return text[start + 1 : end if end >= 0 else len(text)]


def _anpa(raw: bytes) -> list[str]:
    lines = _stx_block(raw.decode("latin-1")).replace("\r", "").split("\n")
    lines = [_CONTROL.sub(" ", line).replace("{", "\u00bd").strip().lstrip("^").rstrip("<=") for line in lines]
    if lines:  # the keyword line: what follows its last "^", without its word count
        lines[0] = re.sub(r",\s*[0-9]{1,5}\s*$", "", lines[0].rsplit("^", 1)[-1])
    return lines


def _iptc7901(raw: bytes) -> list[str]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    lines = [_CONTROL.sub(" ", line) for line in _stx_block(text).replace("\r", "").split("\n")]
    for index, line in enumerate(lines):  # "* * *" before a not-for-publication notice ends what is shown
        if re.fullmatch(r"\s*\*\s*\*\s*\*[\s*]*", line) and any(
            re.search(r"not (?:intended )?for publication", following, re.I)
            for following in lines[index + 1 : index + 4]
        ):
            lines = lines[:index]
            break
    return [line for line in lines if not re.match(r"\s*#{1,6}\s", line)]


def _nitf_blocks(nitf: ET.Element) -> list[str]:
    """The body; the document's ``head/title`` is its headline only where the body has none."""
    blocks = [] if _find(nitf, "hl1") else [_element_text(title) for title in _find(nitf, "title")]
    for part in ("body.head", "body.content", "body.end"):
        blocks += [_element_text(element, skip=_NITF_METADATA) for element in _find(nitf, part)]
    return blocks


def _newsmlg2(raw: bytes) -> list[str]:
    blocks: list[str] = []
    for item in _find(ET.fromstring(raw), "newsItem"):
        if not _find(item, "inlineXML") and not _find(item, "inlineData"):
            continue  # pictures, video, audio: no story text
        for meta in _find(item, "contentMeta"):
            blocks += [_element_text(e) for e in meta if _local(e.tag) in ("headline", "by")]
        for inline in _find(item, "inlineData"):
            blocks.append(inline.text or "")
        for inline in _find(item, "inlineXML"):
            for document in inline:
                if _local(document.tag) == "nitf":
                    blocks += _nitf_blocks(document)
                else:
                    blocks += [_element_text(title) for title in _find(document, "title")]
                    blocks += [
                        _element_text(body, skip=frozenset({"header", "head"})) for body in _find(document, "body")
                    ]
    return blocks


def _newsml12(raw: bytes) -> list[str]:
    blocks: list[str] = []
    for item in _find(ET.fromstring(raw), "NewsItem"):
        texts = [
            content
            for content in _find(item, "ContentItem")
            if all(m.get("FormalName", "Text").lower() == "text" for m in _find(content, "MediaType"))
        ]
        if not texts:
            continue  # a photo item
        for lines in _find(item, "NewsLines"):
            blocks += [
                _element_text(e) for e in lines if _local(e.tag) in ("HeadLine", "SubHeadLine", "ByLine", "DateLine")
            ]
        for content in texts:
            for data in _find(content, "DataContent"):
                nitf = _find(data, "nitf")
                blocks += _nitf_blocks(nitf[0]) if nitf else [_element_text(data)]
    return blocks


def _json_item(item: dict[str, Any]) -> list[str]:
    blocks = [item.get("headline")] + [_credit(item.get(key)) for key in ("byline", "by")]
    blocks += [h.get("value") for h in item.get("headlines") or [] if isinstance(h, dict)]
    blocks += [
        f"{_credit(b.get('by'))}\n{b.get('title', '')}" for b in item.get("bylines") or [] if isinstance(b, dict)
    ]
    html = [item.get(key) for key in ("body_html", "body_xhtml", "body_nitf")]
    html += [
        b.get("value") for b in item.get("bodies") or [] if "htm" in str(b.get("contenttype") or b.get("contentType"))
    ]
    html = [h for h in html if isinstance(h, str)]
    if html:
        blocks.append(_html_text(html[0]))
    else:
        blocks += [item.get("body_text")] + [b.get("value") for b in item.get("bodies") or []]
    return [block for block in blocks if isinstance(block, str)]


def _credit(value: object) -> str | None:
    """A byline field's text as a credit line (``By …``), so its credit words are read as such."""
    if not isinstance(value, str):
        return None
    return value if _BY_WORD.match(value) else f"By {value}"


def _json(raw: bytes) -> list[str]:
    document = json.loads(raw)
    data = document.get("data") if isinstance(document.get("data"), dict) else None
    if data and isinstance(data.get("items"), list):
        return [b for entry in data["items"] for b in _json_item(entry.get("item", entry))]
    return _json_item(data.get("item", data) if data else document)


# The fixture folders' names for each format, and the shared data's.
_FOLDERS = {"newsml-g2": "newsmlg2", "ap-media-api": "apmedia"}


def visible_blocks(path: Path) -> list[str]:
    """The text a reader sees in the wire file at ``path`` (a format's folder, as in tests/fixtures
    or the shared wire samples), in blocks (lines or paragraphs)."""
    raw = path.read_bytes()
    folder = _FOLDERS.get(path.parent.name, path.parent.name)
    if folder == "anpa1312":
        return _anpa(raw)
    if folder == "iptc7901":
        return _iptc7901(raw)
    if folder == "newsmlg2":
        return _newsmlg2(raw)
    if folder in ("nitf",):
        return _nitf_blocks(ET.fromstring(raw))
    if folder == "newsml12":
        return _newsml12(raw)
    if folder in ("ninjs", "apmedia") or path.suffix == ".json":
        return _json(raw)
    return raw.decode("utf-8").split("\n")


def visible_words(blocks: list[str]) -> Counter[str]:
    """The words of ``blocks``, each distinct block once (a headline the item repeats is one headline)."""
    words: Counter[str] = Counter()
    lines = (line for block in blocks for line in block.split("\n"))
    for line in dict.fromkeys(" ".join(line.split()) for line in lines):
        if _LINE_INITIALS.fullmatch(line) or not line:
            continue
        if _BY_WORD.match(line):
            line = _CONJUNCTION.sub(" ", _BY_WORD.sub("", line))
        line = _SLASH_INITIALS.sub(" ", line)
        words.update(word.casefold() for word in _WORD.findall(line))
    return words


def record_words(record: dict[str, Any]) -> Counter[str]:
    """The words of a record's text fields."""
    texts = [record.get("headline"), record.get("slugline"), record.get("abstract")]
    dateline = record.get("dateline") or {}
    texts += [dateline.get(part) for part in ("raw", "location", "region", "agency", "date")]
    texts += record.get("keywords", [])
    texts += [f"{b['name']} {b.get('title') or ''}" for b in record["bylines"]]
    texts += [c["raw"] for c in record["contributors"]]
    for field in ("decks", "subheads", "paragraphs", "trailer", "editor_notes"):
        texts += record[field]
    return Counter(word.casefold() for text in texts if text for word in _WORD.findall(text))


# -- the check --------------------------------------------------------------------------------


def _readable_files() -> list[Any]:
    return [pytest.param(path, id=label(path)) for path in wire_files() if "records" in expectation(path)]


@pytest.mark.parametrize("path", _readable_files())
def test_every_visible_word_of_the_input_is_in_its_records(path: Path) -> None:
    seen = visible_words(visible_blocks(path))
    kept: Counter[str] = Counter()
    for record in parsed(path):
        kept += record_words(record)
    assert seen - kept == Counter(), "words the reader sees that no record carries"


def test_the_check_sees_a_lost_word() -> None:
    """The comparison itself: a record missing a lead's first words fails it."""
    record = {"headline": "Budget passes", "bylines": [], "contributors": [], "keywords": []}
    record |= {"decks": [], "subheads": [], "trailer": [], "editor_notes": [], "paragraphs": ["on Wednesday."]}
    seen = visible_words(["Budget passes", "The House passed a budget on Wednesday."])
    assert seen - record_words(record) == Counter({"the": 1, "house": 1, "passed": 1, "a": 1, "budget": 1})
