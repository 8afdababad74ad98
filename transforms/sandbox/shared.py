"""One pool per worker process for each stage, however many copies of the stage the runner makes.

Prism runs several bundles of a stage at once in one worker, each with its own DoFn instance;
with a pool per instance it started eight copies of the language model on two cores (3.6 GB, and
seconds of latency while they loaded). So instances of a stage that run the same function share
one pool: the first starts it, the last to leave closes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from wirestream.transforms.sandbox.pool import SandboxPool

__all__ = ["acquire_pool", "release_pool"]

_LOCK = threading.Lock()
_POOLS: dict[Hashable, tuple[SandboxPool, int]] = {}


def acquire_pool(key: Hashable, make: Callable[[], SandboxPool]) -> SandboxPool:
    """The pool for ``key``, made by ``make`` and launched if this process has none yet.

    Launched, not waited for: every stage's children then set up side by side while the runner sets
    up the next stage, instead of one stage's after another's. ``SandboxPool.await_ready`` waits.
    """
    with _LOCK:
        if key in _POOLS:
            pool, users = _POOLS[key]
            _POOLS[key] = (pool, users + 1)
            return pool
        pool = make()
        pool.launch()
        _POOLS[key] = (pool, 1)
        return pool


def release_pool(key: Hashable) -> None:
    """One user fewer of ``key``'s pool; the last one closes it."""
    with _LOCK:
        pool, users = _POOLS.pop(key)
        if users > 1:
            _POOLS[key] = (pool, users - 1)
            return
    pool.close()
