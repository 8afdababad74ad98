"""Enrich stage: entities and quotes for a batch of stories with one ``nlp.pipe`` call.

The model is loaded once per worker in ``setup``. A batch that fails is retried one story at a
time, so one bad story becomes one dead letter and its neighbours go on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import apache_beam as beam

from wirestream.transforms.deadletters.errors import EnrichError
from wirestream.transforms.nlp.entities import entities_from_doc
from wirestream.transforms.nlp.model import DEFAULT_MODEL, load_model
from wirestream.transforms.nlp.quotes import quotes_from_doc
from wirestream.transforms.records.story import Entity, Quote, Story
from wirestream.transforms.stage_fn import DEADLETTER, Element, StageFn
from wirestream.transforms.telemetry import metrics

if TYPE_CHECKING:
    from spacy.language import Language


class EnrichFn(StageFn):
    """Takes lists of ``(message, story)`` (from ``BatchElements``); yields them enriched."""

    stage = "enrich"

    def __init__(self, *, model: str = DEFAULT_MODEL) -> None:
        super().__init__(enrich_stories, max_seconds=None)
        self._model = model

    def setup(self) -> None:
        self._nlp = load_model(self._model)

    def process(self, batch: Sequence[Element]) -> Iterator[Any]:
        started = time.perf_counter()
        stories = [story for _, story in batch]
        try:
            enrich_stories(self._nlp, stories)
        except Exception:
            yield from self._one_by_one(batch)
            return
        seconds = (time.perf_counter() - started) / max(len(batch), 1)
        for message, story in batch:
            metrics.STAGE_SECONDS.labels(self.stage).observe(seconds)
            count(story.entities, story.quotes)
            yield message, story

    def _one_by_one(self, batch: Sequence[Element]) -> Iterator[Any]:
        for element in batch:
            yield from super().process(element)

    def handle(self, message: Any, story: Any) -> Iterator[Any]:
        try:
            enrich_stories(self._nlp, [story])
        except EnrichError:
            raise
        except Exception as exc:
            raise EnrichError(f"the language model failed on this story: {type(exc).__name__}: {exc}") from exc
        count(story.entities, story.quotes)
        yield story


def enrich_stories(nlp: Language, stories: Sequence[Story], *, batch_size: int = 32) -> None:
    """Fill each story's entities and quotes, parsing all the bodies in one ``nlp.pipe`` call.

    Plain (no Beam), so ``wirestream parse`` and the benchmark run exactly what the stage runs.
    A story's entities are computed first: quote speakers are named by their canonical names.
    A body the model would refuse is refused first, with its own reason (``refuse_too_long``).
    """
    for story in stories:
        refuse_too_long(nlp, story)
    for story, doc in zip(stories, nlp.pipe([s.body for s in stories], batch_size=batch_size), strict=True):
        story.entities = entities_from_doc(doc, story.dateline)
        story.quotes = quotes_from_doc(doc, story.entities)


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


def count(entities: list[Entity], quotes: list[Quote]) -> None:
    for entity in entities:
        metrics.ENTITIES_EXTRACTED.labels(entity.label).inc()
    for quote in quotes:
        metrics.QUOTES_EXTRACTED.labels(quote.kind).inc()


class EnrichStories(beam.PTransform):
    """Batch stories (without timers, which keep a pipeline off the FnApiRunner) and enrich them."""

    def __init__(self, *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        super().__init__()
        self._model = model
        self._batch_size = batch_size

    def expand(self, stories: beam.PCollection) -> beam.pvalue.DoOutputsTuple:
        return (
            stories
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self._batch_size)
            | "EntitiesAndQuotes" >> beam.ParDo(EnrichFn(model=self._model)).with_outputs(DEADLETTER, main="stories")
        )
