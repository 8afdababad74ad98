"""The shape every processing stage shares: time it, count it, route its failures.

A stage is a DoFn over ``(WireMessage, value)`` pairs, so the original message travels with the
story and any stage can dead-letter it. Subclasses implement ``handle``; a failure of one
element becomes a ``DeadLetter`` on the ``deadletter`` output (a tagged output, not
``with_exception_handling``, which keeps a pipeline off Prism) and never stops the pipeline.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

from wirestream.transforms.deadletters.letter import DeadLetter
from wirestream.transforms.records.story import WireMessage
from wirestream.transforms.telemetry import metrics

DEADLETTER = "deadletter"
Element = tuple[WireMessage, Any]


class StageFn(beam.DoFn):
    """Base of the per-element stages; ``stage`` names it in metrics and dead-letter headers."""

    stage = "stage"

    def __init__(self) -> None:
        self._deadletters = Metrics.counter("wirestream", "deadletters")

    def handle(self, message: WireMessage, value: Any) -> Iterable[Any]:
        raise NotImplementedError

    def process(self, element: Element) -> Iterator[Any]:
        message, value = element
        started = time.perf_counter()
        try:
            results = [(message, result) for result in self.handle(message, value)]
        except Exception as exc:
            yield self.dead_letter(message, exc)
            return
        finally:
            metrics.STAGE_SECONDS.labels(self.stage).observe(time.perf_counter() - started)
        yield from results

    def dead_letter(self, message: WireMessage, exc: BaseException) -> beam.pvalue.TaggedOutput:
        letter = DeadLetter.from_exception(message, self.stage, exc)
        self._deadletters.inc()
        metrics.DEADLETTERS.labels(letter.stage, letter.reason).inc()
        return beam.pvalue.TaggedOutput(DEADLETTER, letter)
