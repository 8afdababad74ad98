"""Several sandboxed children serving one stage, so that its work uses every core.

The language model is the pipeline's cost (a story takes a few tenths of a second of a core,
decoding and parsing it a millisecond), and a Beam worker runs one bundle at a time. So the
enrich stage holds one child per core and hands each the next share of a batch as soon as it is
free; the worker only waits. Each call keeps its own time limit, and an overrun kills only the
child that ran it. Runners that process several bundles at once in one worker (Prism does) share
one pool between threads (``sandbox/shared.py``): a call takes a free child and gives it back.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from typing import Any

from wirestream.transforms.sandbox.process import Sandbox, SandboxError

__all__ = ["Call", "Outcome", "SandboxPool", "Session"]

# How often a call waiting for a child that another thread holds looks again.
_SHARED_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Call:
    """One call of the pool's function: its arguments and its time limit (None: no limit)."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    seconds: float | None = None


@dataclass(frozen=True)
class Outcome:
    """What a call gave: its value, or the exception it raised (``TooSlow`` when it overran)."""

    value: Any = None
    error: BaseException | None = None

    @classmethod
    def of(cls, run: Callable[[], Any]) -> Outcome:
        """What ``run()`` gives: its value, or the exception it raises."""
        try:
            return cls(value=run())
        except Exception as exc:
            return cls(error=exc)


@dataclass
class _Running:
    child: Sandbox
    tag: Any
    seconds: float | None
    deadline: float | None


class SandboxPool:
    """``size`` children running ``function`` (with ``setup``'s context and ``prepare`` run first, as
    ``Sandbox`` does)."""

    def __init__(
        self,
        function: Callable[..., Any],
        *,
        setup: Callable[[], Any] | None = None,
        prepare: Callable[[], object] | None = None,
        size: int = 1,
        name: str = "wirestream-sandbox",
    ) -> None:
        if size < 1:
            raise ValueError(f"a pool needs at least one child, not {size}")
        self._children = [Sandbox(function, setup=setup, prepare=prepare, name=f"{name}-{n}") for n in range(size)]
        self._idle = list(self._children)
        self._freed = threading.Condition()
        self._starting = threading.Lock()  # one caller at a time reads the children's "ready"

    @property
    def size(self) -> int:
        return len(self._children)

    def start(self) -> None:
        """Start every child, their setups (loading a model, say) side by side; SandboxError if one fails."""
        self.launch()
        self.await_ready()

    def launch(self) -> None:
        """Start every child without waiting for its setup, so that other pools' children set up meanwhile."""
        try:
            for child in self._children:
                child.launch()
        except BaseException:
            self.close()
            raise

    def await_ready(self) -> None:
        """Wait until every child's setup is done (at once once they are); SandboxError if one fails."""
        with self._starting:
            try:
                for child in self._children:
                    child.await_ready()
            except BaseException:
                self.close()
                raise

    def call(self, seconds: float | None, *args: Any, **kwargs: Any) -> Any:
        """One call on a free child: its value, or its exception raised."""
        (outcome,) = self.map([Call(args, kwargs, seconds)])
        if outcome.error is not None:
            raise outcome.error
        return outcome.value

    def map(self, calls: Sequence[Call]) -> list[Outcome]:
        """Every call's outcome, in order; each call goes to the next free child."""
        session = self.session()
        for index, call in enumerate(calls):
            session.submit(call, index)
        outcomes: list[Outcome | None] = [None] * len(calls)
        for index, outcome in session.drain():
            outcomes[index] = outcome
        return [outcome or Outcome(error=SandboxError("the call was never run")) for outcome in outcomes]

    def session(self) -> Session:
        """A caller's own queue of calls on the pool, answered as they finish (see ``Session``)."""
        return Session(self)

    @property
    def has_idle_child(self) -> bool:
        """Whether a child is free just now (a hint: another thread may take it first)."""
        return bool(self._idle)

    def _take(self, *, wait: bool) -> Sandbox | None:
        """A free child, waiting for one if ``wait``; None when none is free and ``wait`` is false."""
        with self._freed:
            while wait and not self._idle:
                self._freed.wait()
            return self._idle.pop() if self._idle else None

    def _give(self, child: Sandbox) -> None:
        with self._freed:
            self._idle.append(child)
            self._freed.notify()

    def close(self) -> None:
        for child in self._children:
            child.close()


class Session:
    """One caller's calls on a pool: submitted without waiting, their outcomes collected as they
    finish, so that the caller can go on (reading and parsing the next messages) while the
    children work. Each outcome comes back with the tag it was submitted with."""

    def __init__(self, pool: SandboxPool) -> None:
        self._pool = pool
        self._pending: deque[tuple[Call, Any]] = deque()
        self._running: dict[Connection, _Running] = {}
        self._failed: list[tuple[Any, Outcome]] = []  # calls whose child had died before they started

    @property
    def in_flight(self) -> int:
        """Calls submitted whose outcome has not been collected."""
        return len(self._pending) + len(self._running) + len(self._failed)

    def submit(self, call: Call, tag: Any) -> None:
        """Queue ``call``; it starts at once if a child is free."""
        self._pending.append((call, tag))
        self._start(wait=False)

    def finished(self, *, wait: bool = False) -> list[tuple[Any, Outcome]]:
        """The outcomes that are ready; with ``wait``, first wait a while for one (until a call
        finishes or overruns, or a child other threads hold may have come free)."""
        self._start(wait=wait)
        done = self._take_failed()
        if self._running:
            timeout = 0.0 if done or not wait else _time_left(self._running.values())
            if timeout != 0.0 and self._pending:
                timeout = _SHARED_POLL_SECONDS if timeout is None else min(timeout, _SHARED_POLL_SECONDS)
            done += self._collect(set(wait_for(list(self._running), timeout)))
            self._start(wait=False)
            done += self._take_failed()
        return done

    def drain(self) -> list[tuple[Any, Outcome]]:
        """Every outcome still to come, waiting for each."""
        done: list[tuple[Any, Outcome]] = []
        while self.in_flight:
            done += self.finished(wait=True)
        return done

    def _start(self, *, wait: bool) -> None:
        while self._pending and (child := self._pool._take(wait=wait and not self._running)) is not None:
            call, tag = self._pending.popleft()
            try:
                child.submit(*call.args, **call.kwargs)
            except SandboxError as exc:
                self._pool._give(child)
                self._failed.append((tag, Outcome(error=exc)))
                continue
            deadline = None if call.seconds is None else time.monotonic() + call.seconds
            assert child.connection is not None
            self._running[child.connection] = _Running(child, tag, call.seconds, deadline)

    def _take_failed(self) -> list[tuple[Any, Outcome]]:
        failed, self._failed = self._failed, []
        return failed

    def _collect(self, ready: set[Connection]) -> list[tuple[Any, Outcome]]:
        done: list[tuple[Any, Outcome]] = []
        now = time.monotonic()
        for connection, call in list(self._running.items()):
            if connection in ready:
                outcome = Outcome.of(call.child.collect)
            elif call.deadline is not None and now >= call.deadline:
                outcome = Outcome.of(lambda call=call: call.child.overran(call.seconds or 0.0))
            else:
                continue
            del self._running[connection]
            self._pool._give(call.child)
            done.append((call.tag, outcome))
        return done


def _time_left(running: Any) -> float | None:
    deadlines = [call.deadline for call in running if call.deadline is not None]
    return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
