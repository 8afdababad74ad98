"""A child process that runs one function per call under a time limit.

Python cannot stop a thread, and a pattern or tokenizer stuck in C code never returns to the
interpreter; a process can always be killed. So each stage runs its plain function in a child of
its own: a call that overruns its limit kills the child, a new one is started, and the caller
gets ``TooSlow`` while the messages after it go on. The cost is a pickle of the arguments and of
the result per call, small beside the work itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["Sandbox", "SandboxError", "TooSlow"]

_LOGGER = logging.getLogger(__name__)
# Spawned, not forked: the parent runs gRPC and Kafka client threads, which a fork would copy
# in whatever state they were in.
_CONTEXT = multiprocessing.get_context("spawn")


class TooSlow(Exception):
    """The call ran past its time limit; the child that ran it was killed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"did not finish within {seconds:g} s")
        self.seconds = seconds


class SandboxError(RuntimeError):
    """The child could not be started, or died (out of memory, say) while it ran a call."""


class Sandbox:
    """Runs ``function(*args, **kwargs)`` in a child: ``function(context, *args, **kwargs)`` with a ``setup``.

    ``setup`` (loading a spaCy model, say) runs once when the child starts, outside any call's time
    limit, and what it returns is passed to every call. ``prepare`` runs there too, before it, for
    what the function loads on first use itself (a gazetteer): its result is not passed on.
    ``function`` and ``setup`` must be importable module-level functions, since the child is a
    fresh interpreter.
    """

    def __init__(
        self,
        function: Callable[..., Any],
        *,
        setup: Callable[[], Any] | None = None,
        prepare: Callable[[], object] | None = None,
        start_seconds: float = 300.0,
        name: str = "wirestream-sandbox",
    ) -> None:
        self._function = function
        self._setup = setup
        self._prepare = prepare
        self._start_seconds = start_seconds
        self._name = name
        self._process: Any = None
        self._conn: Connection | None = None
        self._ready = False  # the launched child has said its setup is done
        self._sent = 0.0  # when the call being answered was sent

    def start(self) -> None:
        """Start the child and wait until its ``setup`` is done; SandboxError if it fails."""
        self.launch()
        self.await_ready()

    def launch(self) -> None:
        """Start the child without waiting for it, so that several children set up at once."""
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(
            target=_serve, args=(child, self._function, self._setup, self._prepare), name=self._name, daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn, self._ready = process, parent, False

    def await_ready(self) -> None:
        """Wait until the launched child's ``setup`` is done (at once if it was); SandboxError if it fails."""
        if self._conn is None:  # closed: its pool's setup failed for another caller
            raise SandboxError(f"{self._name} is not running")
        if self._ready:
            return
        if not self._conn.poll(self._start_seconds):
            self._kill()
            raise SandboxError(f"{self._name} did not start within {self._start_seconds:g} s")
        status, detail = self._receive()
        if status != "ready":
            self._kill()
            raise SandboxError(f"{self._name} failed to start: {detail}")
        self._ready = True

    @property
    def connection(self) -> Connection | None:
        """The parent's end of the pipe: readable when an answer is waiting (for ``connection.wait``)."""
        return self._conn

    def call(self, seconds: float | None, *args: Any, **kwargs: Any) -> Any:
        """The function's result, or its exception re-raised, within ``seconds`` (None: no limit).

        TooSlow when it overruns: the child is killed and a fresh one started for the next call.
        """
        self.submit(*args, **kwargs)
        assert self._conn is not None
        if not self._conn.poll(seconds):
            self.overran(seconds or 0.0)
        return self.collect()

    def submit(self, *args: Any, **kwargs: Any) -> None:
        """Send a call to the child; its answer is read by ``collect``. SandboxError if the child is dead."""
        if self._conn is None:
            self.start()
        self.await_ready()  # launched by a pool, and not yet waited for
        assert self._conn is not None
        self._sent = time.monotonic()
        try:
            self._conn.send((args, kwargs))
        except (BrokenPipeError, OSError) as exc:
            self._restart()
            raise SandboxError(f"{self._name} had died before the call: {exc}") from exc

    def collect(self) -> Any:
        """The submitted call's result, or its exception re-raised; waits for it."""
        status, value = self._receive()
        if status == "ok":
            return value
        if status == "raised":
            raise value
        self._restart()
        raise SandboxError(f"{self._name} died during a call after {time.monotonic() - self._sent:.1f} s: {value}")

    def overran(self, seconds: float) -> None:
        """The submitted call ran past ``seconds``: kill the child, start a fresh one, raise TooSlow."""
        _LOGGER.warning("%s: a call ran past %g s; restarting the child", self._name, seconds)
        self._restart()
        raise TooSlow(seconds)

    def close(self) -> None:
        """Stop the child: it exits when its end of the pipe closes; one still setting up is killed."""
        if self._process is not None and not self._ready:
            self._kill()  # it reads the pipe only once its setup is done: waiting for that is waiting for nothing
            return
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
        self._process = self._conn = None

    def _receive(self) -> tuple[str, Any]:
        assert self._conn is not None
        try:
            return self._conn.recv()
        except (EOFError, OSError) as exc:
            exit_code = self._process.exitcode if self._process is not None else None
            return "died", f"{type(exc).__name__} (exit code {exit_code})"

    def _restart(self) -> None:
        self._kill()
        self.start()

    def _kill(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None
        self._ready = False


def _serve(
    conn: Connection,
    function: Callable[..., Any],
    setup: Callable[[], Any] | None,
    prepare: Callable[[], object] | None = None,
) -> None:
    """The child: prepare and set up once, then answer calls until the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C drains the parent; it decides when we stop
    try:
        if prepare is not None:
            prepare()
        context = (setup(),) if setup is not None else ()
    except BaseException as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            args, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("ok", function(*context, *args, **kwargs))
        except Exception as exc:
            answer = ("raised", exc)
        try:
            conn.send(answer)
        except Exception as exc:  # the result or the exception does not pickle
            conn.send(("raised", SandboxError(f"the answer could not be sent back: {type(exc).__name__}: {exc}")))
