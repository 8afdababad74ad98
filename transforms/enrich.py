"""Enrich stage: named entities for a batch of stories with one ``nlp.pipe`` call.

The model is loaded once per worker in ``setup``. A batch that fails is retried one story at a
time, so one bad story becomes one dead letter and its neighbours go on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import apache_beam as beam

from transforms import metrics
from transforms.entities import DEFAULT_MODEL, extract_entities, load_model
from transforms.errors import EnrichError
from transforms.stage import DEADLETTER, Element, StageFn
from transforms.story import Entity


class EnrichFn(StageFn):
    """Takes lists of ``(message, story)`` (from ``BatchElements``); yields them enriched."""

    stage = "enrich"

    def __init__(self, *, model: str = DEFAULT_MODEL) -> None:
        super().__init__()
        self._model = model

    def setup(self) -> None:
        self._nlp = load_model(self._model)

    def process(self, batch: Sequence[Element]) -> Iterator[Any]:
        started = time.perf_counter()
        try:
            all_entities = list(extract_entities(self._nlp, [story.body for _, story in batch]))
        except Exception:
            yield from self._one_by_one(batch)
            return
        seconds = (time.perf_counter() - started) / max(len(batch), 1)
        for (message, story), entities in zip(batch, all_entities, strict=True):
            metrics.STAGE_SECONDS.labels(self.stage).observe(seconds)
            story.entities = entities
            count_entities(entities)
            yield message, story

    def _one_by_one(self, batch: Sequence[Element]) -> Iterator[Any]:
        for element in batch:
            yield from super().process(element)

    def handle(self, message: Any, story: Any) -> Iterator[Any]:
        try:
            (entities,) = extract_entities(self._nlp, [story.body])
        except Exception as exc:
            raise EnrichError(f"the language model failed on this story: {type(exc).__name__}: {exc}") from exc
        story.entities = entities
        count_entities(entities)
        yield story


def count_entities(entities: list[Entity]) -> None:
    for entity in entities:
        metrics.ENTITIES_EXTRACTED.labels(entity.label).inc()


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
            | "Entities" >> beam.ParDo(EnrichFn(model=self._model)).with_outputs(DEADLETTER, main="stories")
        )
