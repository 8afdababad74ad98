"""The shape every processing stage shares: bound it, time it, count it, route its failures.

A stage is a DoFn over ``(WireMessage, value)`` pairs, so the original message travels with the
story and any stage can dead-letter it. Subclasses implement ``handle``; a failure of one
element becomes a ``DeadLetter`` on the ``deadletter`` output (a tagged output, not
``with_exception_handling``, which keeps a pipeline off Prism) and never stops the pipeline.

A stage's plain function runs through ``run``: in a sandboxed child process with a time limit
per message (``Limits.max_message_seconds``), so that no message can stall the worker; an overrun is a
``too-slow`` dead letter. With no limit and one process it runs in the worker itself. A stage
with ``processes`` > 1 holds that many children and spreads calls over them through a ``session``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

from wirestream.transforms.deadletters.errors import TooSlowError
from wirestream.transforms.deadletters.letter import DeadLetter
from wirestream.transforms.places.agencies import add_private_agencies
from wirestream.transforms.records.story import WireMessage
from wirestream.transforms.sandbox import (
    Call,
    Outcome,
    SandboxPool,
    Session,
    TooSlow,
    acquire_pool,
    release_pool,
)
from wirestream.transforms.settings import Limits
from wirestream.transforms.telemetry import metrics

DEADLETTER = "deadletter"
Element = tuple[WireMessage, Any]


class StageFn(beam.DoFn):
    """Base of the per-element stages; ``stage`` names it in metrics and dead-letter headers.

    ``function`` is the stage's plain work, ``context_setup`` (if any) what it needs made once
    per worker (a model), passed to it first; ``limits`` None (or with no time limit) runs it
    unbounded, in the worker itself unless ``processes`` > 1.
    """

    stage = "stage"
    # What the function loads on first use itself (a gazetteer), loaded when a process starts instead,
    # so that no message's time limit pays for it; None: nothing.
    prepare: Callable[[], object] | None = None

    def __init__(
        self,
        function: Callable[..., Any],
        *,
        context_setup: Callable[[], Any] | None = None,
        limits: Limits | None = None,
        processes: int = 1,
    ) -> None:
        self._function = function
        self._context_setup = context_setup
        self._limits = limits or Limits(max_message_seconds=None)
        self._max_seconds = self._limits.max_message_seconds
        self._processes = processes
        self._deadletters = Metrics.counter("wirestream", "deadletters")
        self._pool: SandboxPool | None = None  # made in setup(), once per worker
        self._context: tuple[Any, ...] = ()

    @property
    def runs_in_processes(self) -> bool:
        """Whether the stage's function runs in processes of its own (else in the worker itself)."""
        return not (self._max_seconds is None and self._processes == 1)

    def setup(self) -> None:
        if not self.runs_in_processes:
            if self.prepare is not None:
                self.prepare()
            self._context = (self._context_setup(),) if self._context_setup else ()
            return
        self._pool = acquire_pool(
            self._pool_key(),
            lambda: SandboxPool(
                self._function,
                setup=self._context_setup,
                prepare=self.prepare,
                size=self._processes,
                name=f"wirestream-{self.stage}",
            ),
        )

    def start_bundle(self) -> None:
        """Wait for the stage's processes to finish their setup (at once after the first bundle). Here,
        not in ``setup``, so that every stage's processes start together; a failed setup fails the run."""
        if self._pool is not None:
            self._pool.await_ready()

    def _pool_key(self) -> tuple[object, ...]:
        """What makes two instances' pools the same: the stage, its function, what it is set up with."""
        return (self.stage, self._function, repr(self._context_setup), self._processes)

    def run(self, *args: Any, seconds: float | None = None, **kwargs: Any) -> Any:
        """The stage's function on one message (``seconds``: the limit for this call, if not the usual)."""
        if self._pool is None:
            return self._function(*self._context, *args, **kwargs)
        limit = seconds or self._max_seconds
        try:
            return self._pool.call(limit, *args, **kwargs)
        except TooSlow as exc:
            raise self._too_slow(limit) from exc

    def session(self) -> Session | InlineSession:
        """A queue of calls on the stage's processes, answered as they finish (``sandbox.Session``);
        with no processes, calls run at once in the worker."""
        if self._pool is None:
            return InlineSession(functools.partial(self._function, *self._context))
        return self._pool.session()

    @property
    def has_idle_process(self) -> bool:
        """Whether one of the stage's processes is free just now (never, running in the worker)."""
        return self._pool is not None and self._pool.has_idle_child

    def typed(self, error: BaseException, limit: float | None) -> BaseException:
        """A call's failure as the stage reports it: an overrun is a ``TooSlowError``."""
        return self._too_slow(limit) if isinstance(error, TooSlow) else error

    def _too_slow(self, limit: float | None) -> TooSlowError:
        return TooSlowError(
            f"the {self.stage} stage ran past {limit or 0:g} s on this message and was stopped; if such messages "
            "are real, raise --max-message-seconds (or pass 0 for no limit)",
            stage=self.stage,
        )

    def batch_seconds(self, size: int) -> float | None:
        """The limit for a call over ``size`` messages at once: each message's, added up."""
        return self._limits.batch_seconds(size)

    def teardown(self) -> None:
        if self._pool is not None:
            release_pool(self._pool_key())
            self._pool = None

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


class InlineSession:
    """``sandbox.Session``'s interface for a stage that runs in the worker: each call at once."""

    def __init__(self, run: Callable[..., Any]) -> None:
        self._run = run
        self._done: list[tuple[Any, Outcome]] = []

    @property
    def in_flight(self) -> int:
        return len(self._done)

    def submit(self, call: Call, tag: Any) -> None:
        self._done.append((tag, Outcome.of(lambda: self._run(*call.args, **call.kwargs))))

    def finished(self, *, wait: bool = False) -> list[tuple[Any, Outcome]]:
        done, self._done = self._done, []
        return done


class AgenciesStageFn(StageFn):
    """A stage that reads datelines and bylines (decode, parse): it knows the newsroom's private
    agencies (``--agency``), added in the worker before the stage's processes start, which inherit them."""

    def __init__(self, function: Callable[..., Any], *, limits: Limits, agencies: tuple[str, ...] = ()) -> None:
        super().__init__(function, limits=limits)
        self._agencies = agencies

    def setup(self) -> None:
        add_private_agencies(self._agencies)
        super().setup()
