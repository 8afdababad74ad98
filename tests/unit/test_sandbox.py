"""The sandbox: results and exceptions come back, an overrun is TooSlow and the next call works."""

from __future__ import annotations

import os
import time

import pytest

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.sandbox import Sandbox, SandboxError, TooSlow


def add(context: int, a: int, *, b: int) -> int:
    return context + a + b


def ten() -> int:
    return 10


def sleep_then_answer(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def spin() -> None:
    while True:  # a loop no time limit inside the process could stop
        pass


def refuse() -> None:
    raise DecodeError("the message is cut off", reason="bad-json")


def die() -> None:
    os._exit(3)


def broken_setup() -> None:
    raise RuntimeError("no model here")


@pytest.fixture
def sandbox():
    made: list[Sandbox] = []

    def make(function, **options) -> Sandbox:
        box = Sandbox(function, **options)
        made.append(box)
        return box

    yield make
    for box in made:
        box.close()


def test_a_call_returns_its_result_with_the_context_set_up_once(sandbox):
    box = sandbox(add, setup=ten)
    assert box.call(5, 1, b=2) == 13
    assert box.call(5, 3, b=4) == 17


def test_a_typed_failure_comes_back_with_its_reason(sandbox):
    box = sandbox(refuse)
    with pytest.raises(DecodeError) as refused:
        box.call(5)
    assert refused.value.reason == "bad-json"


@pytest.mark.parametrize("function", [spin, sleep_then_answer])
def test_an_overrun_is_too_slow_and_the_next_call_is_served(sandbox, function):
    box = sandbox(function)
    started = time.monotonic()
    with pytest.raises(TooSlow):
        box.call(0.5, 30) if function is sleep_then_answer else box.call(0.5)
    assert time.monotonic() - started < 20  # the overrun ends the call; it does not wait for the work
    if function is sleep_then_answer:
        assert box.call(5, 0) == "done"


def test_a_child_that_dies_is_reported_and_replaced(sandbox):
    box = sandbox(die)
    with pytest.raises(SandboxError, match="died"):
        box.call(5)
    with pytest.raises(SandboxError):
        box.call(5)


def test_a_failed_setup_fails_the_start_loudly(sandbox):
    box = sandbox(add, setup=broken_setup)
    with pytest.raises(SandboxError, match="no model here"):
        box.start()
