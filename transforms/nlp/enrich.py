"""Enrichment as the stage runs it, without Beam: the stories of a share grouped by the pipeline
their language needs (``models.LanguageModels``), one ``nlp.pipe`` call per group, then each story's
entities and quotes, each step on its own, and the stories back in their order.

A story read by a blank pipeline (a language with no model) gets no entities, and its quotes from
quote marks and cue words alone; ``Story.nlp_model`` says which model read each story.

A step that raises on a story leaves only its own field empty and is reported as a ``StepFailure``
beside the story (the stage writes it as a dead letter and counts it), so a bug in quote finding
never costs a story its entities, or the story itself.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from wirestream.transforms.deadletters.errors import EnrichError
from wirestream.transforms.nlp.entities import (
    Mention,
    dated_subhead,
    entities_from_mentions,
    mentions_from_doc,
    with_rows,
)
from wirestream.transforms.nlp.model_input import model_input
from wirestream.transforms.nlp.models import LanguageModels, Reader
from wirestream.transforms.nlp.quotes import quotes_from_doc
from wirestream.transforms.nlp.results import row_mentions
from wirestream.transforms.records.story import Story
from wirestream.transforms.settings import NlpSettings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    # What enrichment reads with: the pipelines by language, or one pipeline (for its own language,
    # as callers from before languages pass it; ``language_models_of``).
    Models = LanguageModels | Language


@dataclass(frozen=True)
class StepFailure:
    """One enrichment step that raised on a story: which step, and the error as text (it crosses processes)."""

    step: str  # one of ENRICH_STEPS
    error: str

    def as_error(self) -> EnrichError:
        """The dead letter's error: it names the step and says the story went out without that step's output."""
        return EnrichError(
            f"the {self.step} step failed on this story, which went out without its {self.step} (what the "
            f"other steps found is kept); replaying this message after a fix fills them in: {self.error}",
            reason=f"{self.step}-failed",
        )


@dataclass
class Enriched:
    """A story with what enrichment found, and the steps that failed on it (their output left empty)."""

    story: Story
    failures: list[StepFailure]


ENTITIES, QUOTES = "entities", "quotes"
ENRICH_STEPS = (ENTITIES, QUOTES)
BATCH_SIZE = NlpSettings.batch_size  # the default, defined with the settings


def enrich_stories(models: Models, stories: Sequence[Story], *, batch_size: int = BATCH_SIZE) -> list[Story]:
    """Fill each story's entities, quotes and ``nlp_model``, one ``nlp.pipe`` call per pipeline; returns them.

    Plain (no Beam), so ``wirestream parse`` and the benchmark run exactly what the stage runs.
    A step that fails on a story leaves its field empty and the other steps' output in place
    (``enrich_each`` says which failed). A body the model would refuse is refused first, with its
    own reason (``refuse_too_long``).
    """
    return [enriched.story for enriched in enrich_each(models, stories, batch_size=batch_size)]


def enrich_each(models: Models, stories: Sequence[Story], *, batch_size: int = BATCH_SIZE) -> list[Enriched]:
    """``enrich_stories``, with the steps that failed on each story, in the stories' order: what the stage runs.

    Each story goes to the pipeline of its language (``LanguageModels.reader``, loaded on first use);
    the stories of one pipeline are read in one ``nlp.pipe`` call.
    """
    languages = language_models_of(models)
    readers = [languages.reader(story.language) for story in stories]
    for reader, story in zip(readers, stories, strict=True):
        refuse_too_long(reader.nlp, story)
    groups: dict[Reader, list[int]] = {}
    for n, reader in enumerate(readers):
        groups.setdefault(reader, []).append(n)
    done: dict[int, Enriched] = {}
    for reader, members in groups.items():
        group = [(stories[n], languages.language_of(stories[n].language)) for n in members]
        done.update(zip(members, _enrich_group(reader, group, batch_size), strict=True))
    return [done[n] for n in range(len(stories))]


_OF_ONE_PIPELINE: weakref.WeakKeyDictionary[Language, LanguageModels] = weakref.WeakKeyDictionary()


def language_models_of(models: Models) -> LanguageModels:
    """``models`` as a ``LanguageModels``: a single pipeline serves its own language, and blanks the rest
    (made once per pipeline, not once per call)."""
    if isinstance(models, LanguageModels):
        return models
    if models not in _OF_ONE_PIPELINE:
        _OF_ONE_PIPELINE[models] = LanguageModels.of(models)
    return _OF_ONE_PIPELINE[models]


def _enrich_group(reader: Reader, group: Sequence[tuple[Story, str]], batch_size: int) -> list[Enriched]:
    """The stories one pipeline reads, each with the language it is read as, in one ``nlp.pipe`` call.

    A story's entities are computed first: quote speakers are named by their canonical names.
    The model reads each body as ``model_input`` gives it, and the subheads (which the body leaves
    out) in the same call, for their names; entity names and quote texts are as the body writes them.
    """
    stories = [story for story, _ in group]
    texts = [model_input(s.body) for s in stories]  # long symbol runs cut short, capitals restored
    headed = [n for n, s in enumerate(stories) if s.subheads] if reader.finds_entities else []
    texts += [model_input(SUBHEAD_BREAK.join(stories[n].subheads)) for n in headed]
    docs = list(reader.nlp.pipe(texts, batch_size=batch_size))
    subhead_docs = dict(zip(headed, docs[len(stories) :], strict=True))
    bodies = docs[: len(stories)]
    return [
        _enrich(story, doc, subhead_docs.get(n), reader, language)
        for n, ((story, language), doc) in enumerate(zip(group, bodies, strict=True))
    ]


SUBHEAD_BREAK = "\n\n"


def story_mentions(story: Story, body: str, doc: Doc, subheads: Doc | None) -> list[Mention]:
    """The story's mentions: the model's in ``body``, with results rows read by shape, then the subheads'."""
    mentions = mentions_from_doc(doc, body)
    rows = row_mentions(body, {(m.start, m.end): m.label for m in mentions})
    mentions = with_rows(mentions, rows)
    if subheads is not None:
        mentions += mentions_from_doc(subheads, SUBHEAD_BREAK.join(story.subheads), offset=len(body), spanned=False)
    return mentions


def _enrich(story: Story, doc: Doc, subheads: Doc | None, reader: Reader, language: str) -> Enriched:
    """One story's entities, then its quotes, each step on its own: one that raises loses only its own output.

    A blank pipeline finds no entities: none at all, not even the dateline's place, so that a story
    with no model for its language says nothing a model would have said. Quotes are read with the
    marks and words of ``language``, the language the story is read as.
    """
    failures: list[StepFailure] = []
    body = story.body
    story.nlp_model = reader.model
    try:
        dateline = story.dateline or dated_subhead(story.subheads)
        story.entities = (
            entities_from_mentions(story_mentions(story, body, doc, subheads), dateline)
            if reader.finds_entities
            else []
        )
    except Exception as exc:  # recorded and counted: a dead letter beside the story
        failures.append(StepFailure(ENTITIES, f"{type(exc).__name__}: {exc}"))
        story.entities = []
    try:
        quotes = quotes_from_doc(doc, story.entities, language=language)
        story.quotes = [replace(q, text=body[q.start : q.end]) for q in quotes]
    except Exception as exc:  # recorded and counted, as above
        failures.append(StepFailure(QUOTES, f"{type(exc).__name__}: {exc}"))
        story.quotes = []
    return Enriched(story, failures)


def refuse_too_long(nlp: Language, story: Story) -> None:
    """A body over ``nlp.max_length`` is a ``too-long-for-nlp`` refusal, not spaCy's E088 as a generic failure.

    Checked before the batch is parsed, so the batch fails at once and only this story is dead-lettered.
    """
    if len(story.body) > nlp.max_length:
        raise EnrichError(
            f"the story body is {len(story.body):,} characters, over the language model's limit of "
            f"{nlp.max_length:,} (spaCy's nlp.max_length): split the item into shorter stories, or raise "
            "the limit where the worker has the memory (spaCy needs about 1 GB per 100,000 characters)",
            reason="too-long-for-nlp",
        )
