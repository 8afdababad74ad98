"""The shape every processing stage shares: bound it, time it, count it, route its failures.

A stage is a DoFn over ``(WireMessage, value)`` pairs, so the original message travels with the
story and any stage can dead-letter it. Subclasses implement ``handle``; a failure of one
element becomes a ``DeadLetter`` on the ``deadletter`` output (a tagged output, not
``with_exception_handling``, which keeps a pipeline off Prism) and never stops the pipeline.

A stage's plain function runs through ``run``: in a sandboxed child process with a time limit
per message (``max_seconds``), so that no message can stall the worker; an overrun is a
``too-slow`` dead letter. With no limit it runs in the worker itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

from wirestream.transforms.deadletters.errors import TooSlowError
from wirestream.transforms.deadletters.letter import DeadLetter
from wirestream.transforms.records.story import WireMessage
from wirestream.transforms.sandbox import Sandbox, TooSlow
from wirestream.transforms.telemetry import metrics

DEADLETTER = "deadletter"
Element = tuple[WireMessage, Any]


# A message's time in one stage, beyond which it is stopped: far above any real story's (a
# second or two), far below Kafka's 60 s transaction timeout.
DEFAULT_MAX_SECONDS = 20.0


class StageFn(beam.DoFn):
    """Base of the per-element stages; ``stage`` names it in metrics and dead-letter headers.

    ``function`` is the stage's plain work, ``context_setup`` (if any) what it needs made once
    per worker (a model), passed to it first; ``max_seconds`` None or 0 runs it unbounded in
    the worker.
    """

    stage = "stage"

    def __init__(
        self,
        function: Callable[..., Any],
        *,
        context_setup: Callable[[], Any] | None = None,
        max_seconds: float | None = DEFAULT_MAX_SECONDS,
    ) -> None:
        self._function = function
        self._context_setup = context_setup
        self._max_seconds = max_seconds or None
        self._deadletters = Metrics.counter("wirestream", "deadletters")
        self._sandbox: Sandbox | None = None  # made in setup(), once per worker
        self._context: tuple[Any, ...] = ()

    def setup(self) -> None:
        if self._max_seconds is None:
            self._context = (self._context_setup(),) if self._context_setup else ()
            return
        self._sandbox = Sandbox(self._function, setup=self._context_setup, name=f"wirestream-{self.stage}")
        self._sandbox.start()

    def run(self, *args: Any, seconds: float | None = None, **kwargs: Any) -> Any:
        """The stage's function on one message (``seconds``: the limit for this call, if not the usual)."""
        if self._sandbox is None:
            return self._function(*self._context, *args, **kwargs)
        limit = seconds or self._max_seconds
        try:
            return self._sandbox.call(limit, *args, **kwargs)
        except TooSlow as exc:
            raise TooSlowError(
                f"the {self.stage} stage ran past {limit:g} s on this message and was stopped; if such messages "
                "are real, raise --max-message-seconds (or pass 0 for no limit)",
                stage=self.stage,
            ) from exc

    def batch_seconds(self, size: int) -> float | None:
        """The limit for a call over ``size`` messages at once: each message's, added up."""
        return self._max_seconds * size if self._max_seconds else None

    def teardown(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None

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
