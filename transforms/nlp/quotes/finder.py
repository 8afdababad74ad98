"""The steps in order: find the marks, attribute each marked stretch, then add reported speech; or,
for copy these English rules do not read, ``plain``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wirestream.transforms.nlp.quotes.attribution import Case, NotAQuote, attribute
from wirestream.transforms.nlp.quotes.body import Body
from wirestream.transforms.nlp.quotes.cues import Cues
from wirestream.transforms.nlp.quotes.languages import ENGLISH, lexicon_for
from wirestream.transforms.nlp.quotes.marks import Marked, kind_of, trimmed
from wirestream.transforms.nlp.quotes.plain import quotes_from_text
from wirestream.transforms.nlp.quotes.reported import reported_quotes
from wirestream.transforms.nlp.quotes.speakers import Attribution, Speakers

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from wirestream.transforms.records.story import Entity, Quote


def quotes_from_doc(doc: Doc, entities: Sequence[Entity], language: str | None = None) -> list[Quote]:
    """The quotes in a body (``Story.body``) in text order, speakers named by the story's entities.

    English copy with a dependency parse goes through the steps below. Any other copy (another
    language, whose grammar these rules do not read, or a blank pipeline's doc with no parse) is
    read by its quote marks and cue words alone (``plain``), with ``language``'s lexicon: the
    pipeline's own language (``doc.lang_``) unless another is given.
    """
    lexicon = lexicon_for(language or doc.lang_)
    if lexicon is not ENGLISH or not doc.has_annotation("DEP"):
        return quotes_from_text(doc.text, entities, lexicon)
    body = Body.of(doc)
    cues = Cues(body)
    speakers = Speakers(body, entities, cues)
    quotes: list[Quote] = []
    previous: tuple[Marked, Attribution] | None = None
    for n, mark in enumerate(body.marks):
        if mark.end <= mark.start or not body.text[mark.start : mark.end].strip():
            continue
        case = _case(body, speakers, cues, n, previous)
        verdict = attribute(case)
        if isinstance(verdict, NotAQuote):  # a title in the writer's words: the quote before still runs on
            continue
        quotes.append(body.quote(*trimmed(body.text, mark), case.kind, verdict))
        previous = (mark, verdict) if verdict is not None else None
    quotes.extend(reported_quotes(body, speakers, cues))
    quotes.sort(key=lambda q: q.start)
    return quotes


def _case(body: Body, speakers: Speakers, cues: Cues, n: int, previous: tuple[Marked, Attribution] | None) -> Case:
    """What the strategies read about mark ``n``: its kind, its sentences and the cues in them."""
    mark = body.marks[n]
    region_start, region_end = body.region(mark)
    kind = kind_of(body.text, mark, region_start, lambda: cues.any_between(region_start, mark.start - 1))
    # a cue between the closing mark and the next opening one belongs to this quote
    next_open = body.marks[n + 1].start - 1 if n + 1 < len(body.marks) else region_end
    after_end = min(region_end, next_open) if next_open > mark.end else region_end
    return Case(body, speakers, cues, mark, kind, region_start, after_end, previous, region_end)
