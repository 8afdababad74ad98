"""The sandbox: results and exceptions come back, an overrun is TooSlow and the next call works."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.sandbox import (
    Call,
    Sandbox,
    SandboxError,
    SandboxPool,
    TooSlow,
    acquire_pool,
    release_pool,
)


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


def sleep_or_spin(context: int, seconds: float) -> tuple[int, float, float]:
    """Sleep ``seconds`` (spin forever when negative); the child's pid and when it started and ended."""
    if seconds < 0:
        spin()
    started = time.time()
    time.sleep(seconds)
    return os.getpid(), started, time.time()


@pytest.fixture
def pool():
    made: list[SandboxPool] = []

    def make(function, **options) -> SandboxPool:
        children = SandboxPool(function, **options)
        made.append(children)
        children.start()
        return children

    yield make
    for children in made:
        children.close()


def test_a_pool_runs_calls_side_by_side_in_order(pool):
    children = pool(sleep_or_spin, setup=ten, size=2)
    outcomes = children.map([Call((0.5,), seconds=10) for _ in range(4)])
    assert [o.error for o in outcomes] == [None] * 4
    assert len({pid for pid, _, _ in (o.value for o in outcomes)}) == 2  # both children served
    (_, first_start, first_end), (_, second_start, second_end) = (o.value for o in outcomes[:2])
    assert first_start < second_end and second_start < first_end  # the first two ran at the same time


def test_an_overrun_in_a_pool_stops_only_its_own_call(pool):
    children = pool(sleep_or_spin, setup=ten, size=2)
    outcomes = children.map([Call((-1,), seconds=0.5), Call((0,), seconds=10), Call((0,), seconds=10)])
    assert isinstance(outcomes[0].error, TooSlow)
    assert [o.error for o in outcomes[1:]] == [None, None]
    assert children.map([Call((0,), seconds=10)] * 2)[1].error is None  # the killed child was replaced


def test_failures_in_a_pool_come_back_per_call(pool):
    children = pool(refuse, size=2)
    (outcome,) = children.map([Call(())])
    assert isinstance(outcome.error, DecodeError) and outcome.error.reason == "bad-json"


def test_instances_of_a_stage_share_one_pool_that_the_last_closes() -> None:
    first = acquire_pool("stage-x", lambda: SandboxPool(sleep_or_spin, setup=ten, size=1))
    second = acquire_pool("stage-x", lambda: pytest.fail("a second pool was made"))
    assert second is first
    release_pool("stage-x")
    assert first.map([Call((0,), seconds=10)])[0].error is None  # still open for the other user
    release_pool("stage-x")
    assert acquire_pool("stage-x", lambda: SandboxPool(sleep_or_spin, setup=ten, size=1)) is not first
    release_pool("stage-x")


def test_threads_sharing_a_pool_each_get_their_own_outcomes(pool):
    children = pool(sleep_or_spin, setup=ten, size=2)
    results: dict[int, list] = {}

    def run(thread: int) -> None:
        results[thread] = children.map([Call((0.05 * thread,), seconds=10) for _ in range(3)])

    threads = [threading.Thread(target=run, args=(n,)) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [1, 2, 3]
    assert all(o.error is None for outcomes in results.values() for o in outcomes)
    for thread, outcomes in results.items():  # each call slept as long as its own thread asked
        assert all(end - start >= 0.05 * thread - 0.01 for _, start, end in (o.value for o in outcomes))


def slow_setup() -> int:
    time.sleep(1.5)
    return 10


def test_a_shared_pool_is_launched_without_waiting_for_its_setup() -> None:
    """Every stage's processes start together: acquiring a pool does not wait for its setup (a model
    loading); ``await_ready`` does, and the first call then finds it done."""
    started = time.monotonic()
    pool = acquire_pool("stage-slow", lambda: SandboxPool(add, setup=slow_setup, size=2))
    try:
        assert time.monotonic() - started < 1.0
        pool.await_ready()
        assert time.monotonic() - started >= 1.5
        assert pool.call(10, 1, b=2) == 13
    finally:
        release_pool("stage-slow")


def test_a_launched_pool_whose_setup_fails_raises_when_awaited() -> None:
    pool = acquire_pool("stage-broken", lambda: SandboxPool(add, setup=broken_setup, size=1))
    try:
        with pytest.raises(SandboxError, match="no model here"):
            pool.await_ready()
    finally:
        release_pool("stage-broken")


def test_a_pool_closed_while_its_children_set_up_stops_them_at_once() -> None:
    """A launch that fails (a broker refused, say) right after starting the stages' processes must not
    wait for their models to load before it can exit: they are killed, not left to finish setting up."""
    pool = SandboxPool(add, setup=slow_setup, size=2)
    pool.launch()
    processes = [child._process for child in pool._children]
    pool.close()
    assert [process.exitcode for process in processes] == [-signal.SIGKILL, -signal.SIGKILL]


def test_a_pool_whose_setup_failed_says_so_to_every_later_caller() -> None:
    """Several instances of a stage share a pool (Prism runs bundles side by side): the second to wait
    for a pool that failed gets the same kind of error, not a crash of its own."""
    pool = SandboxPool(add, setup=broken_setup, size=1)
    pool.launch()
    with pytest.raises(SandboxError, match="no model here"):
        pool.await_ready()
    with pytest.raises(SandboxError, match="not running"):
        pool.await_ready()
