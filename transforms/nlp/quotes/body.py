"""The parsed body every step reads: its text, paragraphs, quote marks, sentences and parse.

Built once per story. Offsets are characters of ``doc.text`` (``Story.body``), so a quote's
``start`` and ``end`` point straight into the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirestream.transforms.nlp.quotes.marks import (
    OPEN_DOUBLE,
    Marked,
    find_marked,
    paragraph_end,
    paragraph_of,
    paragraph_starts,
    quoted_chars,
)
from wirestream.transforms.nlp.quotes.tree import Tree
from wirestream.transforms.records.story import Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from wirestream.transforms.nlp.quotes.speakers import Attribution


@dataclass(frozen=True)
class Body:
    """One story body, parsed; ``Body.of(doc)`` finds its paragraphs and marks."""

    doc: Doc
    text: str
    starts: list[int]  # paragraph offsets
    marks: list[Marked]  # in the order ``find_marked`` gives
    quoted: list[bool]  # per character: inside quote marks (``quoted_chars``)
    tree: Tree  # the parse, indexed

    @classmethod
    def of(cls, doc: Doc) -> Body:
        text = doc.text
        starts = paragraph_starts(text)
        marks = find_marked(text, starts)
        return cls(doc, text, starts, marks, quoted_chars(len(text), marks), Tree(doc))

    def is_quoted(self, token: Token) -> bool:
        """Someone's words (or a quote mark), not the writer's: such a token is never a cue or its subject."""
        return self.quoted[token.idx]

    def tokens(self, start: int, end: int) -> Span | None:
        """The tokens touching [start, end); None when the range is empty (spaCy raises E035 when start > end)."""
        return self.doc.char_span(start, end, alignment_mode="expand") if start < end else None

    def token_at(self, pos: int) -> Token | None:
        span = self.tokens(pos, min(pos + 1, len(self.text)))
        return span[0] if span is not None and len(span) else None

    def sentence(self, pos: int) -> Span | None:
        token = self.token_at(pos)
        return self.tree.sentence(token) if token is not None else None

    def paragraph(self, pos: int) -> int:
        return paragraph_of(self.starts, pos)

    def region(self, mark: Marked) -> tuple[int, int]:
        """The quote's sentences: from the one it opens in to the one holding the first word after it.

        Both ends stay inside the paragraphs the quote spans.
        """
        first = self.sentence(max(mark.start - 1, 0))
        para_start = self.starts[mark.paragraph]
        para_end = paragraph_end(self.starts, self.paragraph(mark.end), len(self.text))
        nxt = mark.end + 1
        while nxt < para_end and self.text[nxt].isspace():
            nxt += 1
        if nxt < para_end and self.text[nxt] not in OPEN_DOUBLE + '"':
            last = self.sentence(nxt)
        else:
            last = self.sentence(max(mark.end - 1, mark.start))
        start = first.start_char if first is not None else mark.start
        end = last.end_char if last is not None else mark.end
        return max(start, para_start), max(min(end, para_end), mark.end)

    def quote(self, start: int, end: int, kind: str, attribution: Attribution | None) -> Quote:
        """The record for the quote at [start, end)."""
        return Quote(
            text=self.text[start:end],
            speaker=attribution.speaker if attribution else None,
            kind=kind,
            cue=attribution.cue if attribution else None,
            paragraph=self.paragraph(start),
            start=start,
            end=end,
        )
