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
from multiprocessing.connection import Connection, wait
from typing import Any

from wirestream.transforms.sandbox.process import Sandbox, SandboxError

__all__ = ["Call", "Outcome", "SandboxPool"]

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
    index: int
    seconds: float | None
    deadline: float | None


class SandboxPool:
    """``size`` children running ``function`` (with ``setup``'s context, as ``Sandbox`` does)."""

    def __init__(
        self,
        function: Callable[..., Any],
        *,
        setup: Callable[[], Any] | None = None,
        size: int = 1,
        name: str = "wirestream-sandbox",
    ) -> None:
        if size < 1:
            raise ValueError(f"a pool needs at least one child, not {size}")
        self._children = [Sandbox(function, setup=setup, name=f"{name}-{n}") for n in range(size)]
        self._idle = list(self._children)
        self._freed = threading.Condition()

    @property
    def size(self) -> int:
        return len(self._children)

    def start(self) -> None:
        """Start every child, their setups (loading a model, say) side by side; SandboxError if one fails."""
        try:
            for child in self._children:
                child.launch()
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
        outcomes: list[Outcome | None] = [None] * len(calls)
        pending = deque(range(len(calls)))
        running: dict[Connection, _Running] = {}
        while pending or running:
            while pending and (child := self._take(wait=not running)) is not None:
                index = pending.popleft()
                try:
                    child.submit(*calls[index].args, **calls[index].kwargs)
                except SandboxError as exc:
                    outcomes[index] = Outcome(error=exc)
                    self._give(child)
                    continue
                seconds = calls[index].seconds
                deadline = None if seconds is None else time.monotonic() + seconds
                assert child.connection is not None
                running[child.connection] = _Running(child, index, seconds, deadline)
            if not running:
                continue
            timeout = _time_left(running.values())
            if pending:  # children other threads hold may come free meanwhile
                timeout = _SHARED_POLL_SECONDS if timeout is None else min(timeout, _SHARED_POLL_SECONDS)
            ready = set(wait(list(running), timeout))
            now = time.monotonic()
            for connection, call in list(running.items()):
                if connection in ready:
                    outcomes[call.index] = Outcome.of(call.child.collect)
                elif call.deadline is not None and now >= call.deadline:
                    outcomes[call.index] = Outcome.of(lambda call=call: call.child.overran(call.seconds or 0.0))
                else:
                    continue
                del running[connection]
                self._give(call.child)
        return [outcome or Outcome(error=SandboxError("the call was never run")) for outcome in outcomes]

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


def _time_left(running: Any) -> float | None:
    deadlines = [call.deadline for call in running if call.deadline is not None]
    return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
