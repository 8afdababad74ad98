"""HTML bodies (ninjs ``body_html``, AP Media, escaped HTML in NewsML) → paragraph lines.

A small scanner rather than the standard library's ``html.parser``, which rescans its buffer on
every ``</`` or ``<?`` it cannot close (quadratic on such a body) and raises AssertionError on
``<![foo[``. Here each ``<`` is read once and each end marker searched for at most once past any
position, so the cost is linear in the body. Anything that is not a well-formed tag, comment,
CDATA section or declaration is text, so no words are lost to broken markup.
"""

from __future__ import annotations

import html
import re

__all__ = ["html_to_lines"]

# fmt: off
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
    "tr", "table", "section", "article", "header", "footer", "figure", "figcaption",
    "hr", "dd", "dt", "body",
    # NITF's own blocks, for bodies sent as NITF markup (AP Media's body_nitf)
    "hedline", "hl1", "hl2", "byline", "dateline", "block", "tagline", "abstract", "body.head", "body.content",
})
# fmt: on
# Cells of a table row: a row is one line, its cells a space apart ("Bayern 3", not "Bayern3").
_CELL_TAGS = frozenset({"td", "th"})
# Elements whose text is never shown. (``head`` is not one: what it holds that has text is, and
# a body whose optional ``</head>`` is left out must not vanish with it.)
_HIDDEN_TAGS = frozenset({"script", "style", "title", "template"})
# The name is taken whole (possessive ``*+``): given back a character at a time, each shorter
# name would rescan the rest for a ``>``, quadratic in a long name that is never closed.
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*+)([^<>]*)>")
_SPACES = re.compile(r"\s+")
# A numeric character reference: its digits without leading zeros.
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]+)|0*([0-9]+));?")


def html_to_lines(markup: str) -> list[str]:
    """Paragraph texts of an HTML fragment: one line per block element and table row, tags
    dropped, entities unescaped, whitespace collapsed, empty paragraphs left out."""
    paragraphs: list[list[str]] = [[]]
    finder = _Finder(markup)
    pos = 0
    while pos < len(markup):
        start = markup.find("<", pos)
        if start < 0:
            start = len(markup)
        if start > pos:
            paragraphs[-1].append(_unescape(markup[pos:start]))
        if start == len(markup):
            break
        pos, text, tag = _markup_at(markup, start, finder)
        if text is not None:
            paragraphs[-1].append(text)
        if tag is None:
            continue
        closing, name = tag
        if name in _BLOCK_TAGS:
            paragraphs.append([])
        elif name in _CELL_TAGS:
            paragraphs[-1].append(" ")
        elif name in _HIDDEN_TAGS and not closing:
            end = finder.find(f"</{name}", pos, lower=True)
            pos = len(markup) if end < 0 else max(finder.find(">", end), end) + 1
    texts = (_SPACES.sub(" ", "".join(parts)).strip() for parts in paragraphs)
    return [text for text in texts if text]


def _markup_at(markup: str, start: int, finder: _Finder) -> tuple[int, str | None, tuple[bool, str] | None]:
    """What starts at the ``<`` at ``start``: (where to go on, text it holds, (closing, tag name))."""
    for opener, closer, keep in (("<!--", "-->", False), ("<![CDATA[", "]]>", True)):
        if markup.startswith(opener, start):
            end = finder.find(closer, start + len(opener))
            if end < 0:
                return start + 1, "<", None
            return end + len(closer), markup[start + len(opener) : end] if keep else None, None
    if markup.startswith(("<!", "<?"), start):
        end = finder.find(">", start + 2)
        return (start + 1, "<", None) if end < 0 else (end + 1, None, None)
    match = _TAG.match(markup, start)
    if match is None:
        return start + 1, "<", None
    return match.end(), None, (match.group(1) == "/", match.group(2).lower())


class _Finder:
    """``str.find`` that remembers, per marker, where it found one (or that there is none).

    Positions only move forward, so each marker's search covers the text about once in all.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lower: str | None = None
        self._found: dict[tuple[str, bool], int] = {}

    def find(self, marker: str, pos: int, *, lower: bool = False) -> int:
        key = (marker, lower)
        known = self._found.get(key)
        if known is not None and (known < 0 or known >= pos):
            return known
        if lower and self._lower is None:
            self._lower = self._text.lower()
        text = self._lower if lower else self._text
        found = text.find(marker, pos)
        self._found[key] = found
        return found


def _unescape(text: str) -> str:
    """``html.unescape``, with a numeric reference of more than 8 digits read as U+FFFD first.

    No such reference names a character (the last is 0x10FFFF), and ``html.unescape`` raises on
    one of more than 4,300 digits (Python's limit on converting digits to an int).
    """
    if "&#" in text:
        text = _NUMERIC_REFERENCE.sub(lambda m: "\ufffd" if len(m.group(1) or m.group(2)) > 8 else m.group(), text)
    return html.unescape(text)
