"""Quotation marks: the stretches between them, and what each stretch is.

Marks pair per paragraph (curly or straight; single marks inside double ones are nested quotes,
not new ones); a paragraph that ends inside an open quote and a next one that opens again
continue the same quote. A stretch is a DIRECT quote (a sentence of its own) or a PARTIAL one
(words inside the writer's sentence: ``a “final clearing” of militants``), unless it is the title
of a work (``“Good Morning America”``) or a word being mentioned (``vote “yes”``). Text only: no
model needed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

DIRECT, PARTIAL = "DIRECT", "PARTIAL"
OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
# Quotes this short with no speaker anywhere near are words being mentioned, not anyone's words.
MENTION_WORDS = 3
# AP and Reuters put titles of shows, books and films in quote marks (ABC's “Good Morning
# America”): a short capitalised run inside a sentence is a title, not anyone's words.
TITLE_WORDS = 6
TITLE_SMALL_WORDS = frozenset("a an and at by for from in of on or the to with &".split())  # noqa: SIM905


@dataclass(frozen=True)
class Marked:
    """A stretch between double quote marks: [start, end) excludes the marks; it opens in ``paragraph``."""

    start: int
    end: int
    paragraph: int


def paragraph_starts(body: str) -> list[int]:
    """Offsets of the paragraphs in a body joined with blank lines (``Story.body``)."""
    starts, pos = [0], body.find("\n\n")
    while pos >= 0:
        starts.append(pos + 2)
        pos = body.find("\n\n", pos + 2)
    return starts


def paragraph_of(starts: Sequence[int], pos: int) -> int:
    """The index of the paragraph holding offset ``pos``."""
    return bisect_right(starts, pos) - 1


def paragraph_end(starts: Sequence[int], index: int, length: int) -> int:
    """Where paragraph ``index`` ends: before the blank line after it, or at the end of the body."""
    return starts[index + 1] - 2 if index + 1 < len(starts) else length


def _opens(text: str, i: int) -> bool:
    """Is the straight mark at ``i`` an opening one (start, space or bracket before it)?"""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/"


def find_marked(body: str, starts: Sequence[int]) -> list[Marked]:
    """Every double-quoted stretch, paragraph by paragraph; multi-paragraph quotes joined.

    A quote left open at a paragraph's end is kept after the next paragraph's own quotes when
    that paragraph does not reopen it; the attribution steps read the marks in this order.
    """
    spans: list[tuple[int, int]] = []
    carry: tuple[int, int] | None = None  # a quote still open at the end of the paragraph before
    for index, start in enumerate(starts):
        end = paragraph_end(starts, index, len(body))
        open_at: int | None = None
        blank = True  # only whitespace so far in the paragraph
        for i in range(start, end):
            ch = body[i]
            opening = ch in OPEN_DOUBLE or (ch == '"' and open_at is None and _opens(body, i))
            closing = ch in CLOSE_DOUBLE or (ch == '"' and open_at is not None)
            if opening and open_at is None:
                if carry is not None and blank:
                    open_at = carry[0]  # the quote goes on from the paragraph before
                    carry = None
                    blank = False
                    continue
                open_at = i + 1
            elif closing and open_at is not None:
                spans.append((open_at, i))
                open_at = None
            blank = blank and ch.isspace()
        if carry is not None:  # the paragraph did not reopen the quote: it ended there
            spans.append(carry)
            carry = None
        if open_at is not None:
            carry = (open_at, end)
    if carry is not None:
        spans.append(carry)
    return [Marked(s, e, paragraph_of(starts, s)) for s, e in spans]


def find_paired(body: str, starts: Sequence[int], pairs: Mapping[str, str]) -> list[Marked]:
    """``find_marked`` for a language's own marks: ``pairs`` maps each opening mark to those that close
    it (German `„…“` and `»…«`, French `«…»`). A quote open at a paragraph's end ends there, or goes on
    where the next paragraph opens again with the same mark."""
    spans: list[tuple[int, int]] = []
    carry: tuple[int, int, str] | None = None
    for index, start in enumerate(starts):
        end = paragraph_end(starts, index, len(body))
        opened: tuple[int, str] | None = None  # where the open quote's words start, and its mark
        first = start
        while first < end and body[first].isspace():
            first += 1
        if carry is not None and first < end and body[first] == carry[2]:
            opened, start = (carry[0], carry[2]), first + 1
        elif carry is not None:
            spans.append(carry[:2])
        carry = None
        for i in range(start, end):
            ch = body[i]
            if opened is not None and ch in pairs[opened[1]] and (ch != opened[1] or i > opened[0]):
                spans.append((opened[0], i))
                opened = None
            elif opened is None and ch in pairs and (not ch.isascii() or _opens(body, i)):
                opened = (i + 1, ch)
        if opened is not None:
            carry = (opened[0], end, opened[1])
    if carry is not None:
        spans.append(carry[:2])
    return [Marked(s, e, paragraph_of(starts, s)) for s, e in spans]


def quoted_chars(length: int, marks: Sequence[Marked]) -> list[bool]:
    """Per character of the body: inside a marked stretch or on one of its marks?"""
    quoted = [False] * (length + 1)
    for m in marks:
        for i in range(max(0, m.start - 1), min(length, m.end + 1)):
            quoted[i] = True
    return quoted


def kind_of(text: str, mark: Marked, lead_start: int, cue_in_lead: Callable[[], bool]) -> str:
    """DIRECT for a capitalised quote that starts a sentence or follows `X said,`; else PARTIAL.

    ``lead_start`` is where the quote's sentence starts; ``cue_in_lead`` says whether a speech
    cue stands between it and the mark, and is asked only when a comma leads in.
    """
    quoted = text[mark.start : mark.end].lstrip()
    if not quoted[:1].isupper() and not quoted[:1].isdigit():
        return PARTIAL
    last = _last_printed(text, lead_start, mark.start - 1)  # not a copy of the lead: it may be a long sentence
    if not last or last in ':.?!”"':
        return DIRECT
    if last == "," and cue_in_lead():
        return DIRECT
    return PARTIAL


def _last_printed(text: str, start: int, end: int) -> str:
    """The last character of ``text[start:end]`` that is not whitespace, or "" if there is none."""
    end -= 1
    while end >= start and text[end].isspace():
        end -= 1
    return text[end] if end >= start else ""


def is_title(text: str, mark: Marked) -> bool:
    """`“Good Morning America”`, `“Scandal,”`: a few capitalised words and no sentence inside."""
    words = text[mark.start : mark.end].strip().rstrip(".,").split()
    if not words or len(words) > TITLE_WORDS or not words[0][:1].isupper():
        return False
    if any(ch in w for w in words for ch in ".!?;:"):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in TITLE_SMALL_WORDS for w in words)


def is_short(text: str, mark: Marked) -> bool:
    """Few enough words to be a word being mentioned (`vote “yes”`) when no speaker is near."""
    return len(text[mark.start : mark.end].split()) <= MENTION_WORDS


def trimmed(text: str, mark: Marked) -> tuple[int, int]:
    """The quote's words: the stretch without surrounding spaces and a trailing comma or semicolon."""
    start, end = mark.start, mark.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end
