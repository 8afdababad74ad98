"""Enrich stage: entities and quotes for every story, on every core.

The language model is nearly all of the pipeline's cost, so the stage holds one sandboxed child
per core (``NlpSettings.processes``, see ``stage_fn``), each with the model loaded once. Stories go to them
in shares (one ``nlp.pipe`` call each) while the worker goes on reading and parsing the next
messages, so no core waits on another. A share that fails or overruns is retried one story at a
time, so one bad story becomes one dead letter and its neighbours go on.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

from wirestream.transforms.deadletters.errors import EnrichError, TooSlowError
from wirestream.transforms.newsroom.family_order import FamilyOrder
from wirestream.transforms.nlp.enrich import ENRICH_STEPS, Enriched, enrich_each
from wirestream.transforms.nlp.models import language_models
from wirestream.transforms.records.story import Entity, Quote, Story, WireMessage
from wirestream.transforms.sandbox import Call
from wirestream.transforms.settings import Limits, NlpSettings
from wirestream.transforms.stage_fn import DEADLETTER, Element, StageFn
from wirestream.transforms.telemetry import metrics


@dataclass(frozen=True)
class _Held:
    """A story waiting for the model, with what its output needs: its timestamp, window and its
    ticket in its family's order."""

    message: WireMessage
    story: Story
    timestamp: Any
    window: Any
    ticket: int


@dataclass(frozen=True)
class _Share:
    """Stories sent to one process in one ``nlp.pipe`` call, and when they were sent."""

    held: list[_Held]
    sent: float


class EnrichFn(StageFn):
    """Takes ``(message, story)`` pairs; yields them enriched, each with its own timestamp and window.

    Stories are held until a model process is free (or ``nlp.batch_size`` of them wait), then sent as one
    share, and the stage goes on taking stories while the processes work: its outputs are those of
    shares that have finished, so they may come in another order and after later inputs, except
    that a story never leaves before an earlier one of its own family (``FamilyOrder``). A bundle
    ends when every share sent in it has come back. At most two shares per process are in flight.
    A share has ``limits.max_message_seconds`` per story; one that fails or overruns is sent again story by story,
    so one bad story becomes one dead letter (``too-slow`` when it overran alone).
    """

    stage = "enrich"

    def __init__(self, nlp: NlpSettings, limits: Limits) -> None:
        super().__init__(
            enrich_each,
            context_setup=functools.partial(language_models, nlp.models),
            limits=limits,
            processes=nlp.processes,
        )
        self._batch_size = nlp.batch_size
        self._step_failures = {step: Metrics.counter("wirestream", f"enrich_{step}_failures") for step in ENRICH_STEPS}

    def setup(self) -> None:
        super().setup()
        for step in ENRICH_STEPS:
            metrics.ENRICH_STEP_FAILURES.labels(step)  # at zero, so the first failure shows in rate()

    def start_bundle(self) -> None:
        super().start_bundle()
        self._session = self.session()
        self._held: list[_Held] = []
        self._order: FamilyOrder[Any] = FamilyOrder()

    def process(
        self, element: Element, timestamp: Any = beam.DoFn.TimestampParam, window: Any = beam.DoFn.WindowParam
    ) -> Iterator[Any]:
        message, story = element
        self._held.append(_Held(message, story, timestamp, window, self._order.take(story.family_id)))
        if len(self._held) >= self._batch_size or self.has_idle_process:
            self._send(self._held)
            self._held = []
        yield from self._outputs(wait=False)
        while self._session.in_flight > 2 * self._processes:
            yield from self._outputs(wait=True)

    def finish_bundle(self) -> Iterator[Any]:
        if self._held:
            self._send(self._held)
            self._held = []
        while self._session.in_flight:
            yield from self._outputs(wait=True)

    def _send(self, held: list[_Held]) -> None:
        call = Call(([h.story for h in held],), seconds=self.batch_seconds(len(held)))
        self._session.submit(call, _Share(held, time.perf_counter()))

    def _outputs(self, *, wait: bool) -> Iterator[Any]:
        for share, outcome in self._session.finished(wait=wait):
            if outcome.error is None:
                yield from self._enriched(share, outcome.value)
            elif len(share.held) > 1:
                for held in share.held:  # one bad story must not take its neighbours with it
                    self._send([held])
            else:
                (held,) = share.held
                error = self.typed(outcome.error, self.batch_seconds(1))
                yield from self._order.finish(held.ticket, [self._windowed_dead_letter(held, error)])

    def _enriched(self, share: _Share, enriched: list[Enriched | Story]) -> Iterator[Any]:
        """Each story out, and beside it a dead letter per step that failed on it (``Enriched.failures``).

        A plain ``Story`` (from a stand-in for ``enrich_each`` that returns stories) had no failures.
        """
        seconds = (time.perf_counter() - share.sent) / len(share.held)
        for held, result in zip(share.held, enriched, strict=True):
            done = result if isinstance(result, Enriched) else Enriched(result, [])
            metrics.STAGE_SECONDS.labels(self.stage).observe(seconds)
            count(done.story.entities, done.story.quotes)
            outputs = [WindowedValue((held.message, done.story), held.timestamp, (held.window,))]
            for failure in done.failures:  # the story goes out; the step that failed on it is recorded beside it
                self._step_failures[failure.step].inc()
                metrics.ENRICH_STEP_FAILURES.labels(failure.step).inc()
                outputs.append(self._windowed_dead_letter(held, failure.as_error()))
            yield from self._order.finish(held.ticket, outputs)

    def _windowed_dead_letter(self, held: _Held, error: BaseException) -> beam.pvalue.TaggedOutput:
        if not isinstance(error, EnrichError | TooSlowError):
            cause = error
            error = EnrichError(f"the language model failed on this story: {type(cause).__name__}: {cause}")
            error.__cause__ = cause
        letter = self.dead_letter(held.message, error).value
        return beam.pvalue.TaggedOutput(DEADLETTER, WindowedValue(letter, held.timestamp, (held.window,)))


def count(entities: list[Entity], quotes: list[Quote]) -> None:
    for entity in entities:
        metrics.ENTITIES_EXTRACTED.labels(entity.label).inc()
    for quote in quotes:
        metrics.QUOTES_EXTRACTED.labels(quote.kind).inc()


class EnrichStories(beam.PTransform):
    """Enrich stories in batches the stage makes itself (no timers, which keep a pipeline off the
    FnApiRunner, and no ``BatchElements``, whose batches start at one story)."""

    def __init__(self, nlp: NlpSettings, limits: Limits) -> None:
        super().__init__()
        self.fn = EnrichFn(nlp, limits)

    def expand(self, stories: beam.PCollection) -> beam.pvalue.DoOutputsTuple:
        return stories | "EntitiesAndQuotes" >> beam.ParDo(self.fn).with_outputs(DEADLETTER, main="stories")
