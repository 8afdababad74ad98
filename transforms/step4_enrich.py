"""Enrich stage: entities and quotes for a batch of stories, spread over every core.

The language model is nearly all of the pipeline's cost, so the stage holds one sandboxed child
per core (``processes``, see ``stage_fn``), each with the model loaded once, and splits each batch
into shares that the children take as they come free: one ``nlp.pipe`` call per share. A share
that fails or overruns is retried one story at a time, so one bad story becomes one dead letter
and its neighbours go on.
"""

from __future__ import annotations

import functools
import math
import os
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import apache_beam as beam

from wirestream.transforms.deadletters.errors import EnrichError, TooSlowError
from wirestream.transforms.nlp.entities import entities_from_doc
from wirestream.transforms.nlp.model import DEFAULT_MODEL, load_model
from wirestream.transforms.nlp.model_input import model_input
from wirestream.transforms.nlp.quotes import quotes_from_doc
from wirestream.transforms.records.story import Entity, Quote, Story
from wirestream.transforms.sandbox import Call
from wirestream.transforms.stage_fn import DEADLETTER, DEFAULT_MAX_SECONDS, Element, StageFn
from wirestream.transforms.telemetry import metrics

if TYPE_CHECKING:
    from spacy.language import Language


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers narrow), at least 1."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class EnrichFn(StageFn):
    """Takes lists of ``(message, story)`` (from ``BatchElements``); yields them enriched.

    The model lives in ``processes`` sandboxed children (loaded once per worker); a share of a
    batch has ``max_seconds`` per story, and a story that overruns on its own is a ``too-slow``
    dead letter.
    """

    stage = "enrich"

    def __init__(
        self, *, model: str = DEFAULT_MODEL, max_seconds: float | None = DEFAULT_MAX_SECONDS, processes: int = 1
    ) -> None:
        super().__init__(
            enrich_stories,
            context_setup=functools.partial(load_model, model),
            max_seconds=max_seconds,
            processes=processes,
        )

    def process(self, batch: Sequence[Element]) -> Iterator[Any]:
        started = time.perf_counter()
        shares = [batch] if self._processes == 1 else longest_first(batch, 4 * self._processes)
        outcomes = self.run_many(
            [Call(([s for _, s in share],), seconds=self.batch_seconds(len(share))) for share in shares]
        )
        retry: list[Element] = []
        for share, outcome in zip(shares, outcomes, strict=True):
            if outcome.error is None:
                yield from self._enriched(share, outcome.value, started, len(batch))
            else:
                retry.extend(share)
        yield from self._one_by_one(retry)

    def _enriched(self, share: Sequence[Element], stories: list[Story], started: float, size: int) -> Iterator[Any]:
        seconds = (time.perf_counter() - started) / max(size, 1)
        for (message, _), story in zip(share, stories, strict=True):
            metrics.STAGE_SECONDS.labels(self.stage).observe(seconds)
            count(story.entities, story.quotes)
            yield message, story

    def _one_by_one(self, elements: Sequence[Element]) -> Iterator[Any]:
        started = time.perf_counter()
        for (message, story), outcome in zip(elements, self.run_many([Call(([s],)) for _, s in elements]), strict=True):
            if outcome.error is None:
                yield from self._enriched([(message, story)], outcome.value, started, len(elements))
            elif isinstance(outcome.error, EnrichError | TooSlowError):
                yield self.dead_letter(message, outcome.error)
            else:
                error = outcome.error
                failed = EnrichError(f"the language model failed on this story: {type(error).__name__}: {error}")
                failed.__cause__ = error
                yield self.dead_letter(message, failed)


def longest_first(batch: Sequence[Element], shares: int) -> list[Sequence[Element]]:
    """``batch`` in at most ``shares`` runs of nearly equal count, the longest text first.

    Many small shares handed out longest first keep every child busy to the end of the batch:
    the last to finish are the shortest, so no child waits long on another.
    """
    size = math.ceil(len(batch) / max(shares, 1)) or 1
    runs = [batch[start : start + size] for start in range(0, len(batch), size)]
    return sorted(runs, key=lambda run: sum(len(story.body) for _, story in run), reverse=True)


def enrich_stories(nlp: Language, stories: Sequence[Story], *, batch_size: int = 32) -> list[Story]:
    """Fill each story's entities and quotes, parsing all the bodies in one ``nlp.pipe`` call; returns them.

    Plain (no Beam), so ``wirestream parse`` and the benchmark run exactly what the stage runs.
    A story's entities are computed first: quote speakers are named by their canonical names.
    A body the model would refuse is refused first, with its own reason (``refuse_too_long``).
    """
    for story in stories:
        refuse_too_long(nlp, story)
    texts = [model_input(s.body) for s in stories]  # the body, its long symbol runs cut short for the tokenizer
    for story, doc in zip(stories, nlp.pipe(texts, batch_size=batch_size), strict=True):
        story.entities = entities_from_doc(doc, story.dateline)
        story.quotes = quotes_from_doc(doc, story.entities)
    return list(stories)


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

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        batch_size: int = 32,
        max_seconds: float | None = DEFAULT_MAX_SECONDS,
        processes: int = 1,
    ) -> None:
        super().__init__()
        self._fn = EnrichFn(model=model, max_seconds=max_seconds, processes=processes)
        self._batch_size = batch_size

    def expand(self, stories: beam.PCollection) -> beam.pvalue.DoOutputsTuple:
        return (
            stories
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self._batch_size)
            | "EntitiesAndQuotes" >> beam.ParDo(self._fn).with_outputs(DEADLETTER, main="stories")
        )
