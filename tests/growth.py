"""The growth check the growth tests share: a shape at 10×, 100× and 1,000× a base size.

A linear cost grows about 100× from the 10× to the 1,000× input, a quadratic one about 10,000×;
the bound allows 10× the linear growth, so a noisy machine does not fail it and a quadratic cost
cannot pass it. Times are the best of three, measured side by side.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

SCALES = (10, 100, 1000)
# Below this a time is mostly clock and interpreter noise, so a ratio over it means nothing.
FLOOR_SECONDS = 5e-5


def best_time(run: Callable[[Any], Any], value: Any) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        run(value)
        times.append(time.perf_counter() - started)
    return min(times)


def assert_linear(shape: str, run: Callable[[Any], Any], make: Callable[[int], Any], base: int) -> None:
    """``run(make(n))`` grows about linearly in ``n`` from ``10 * base`` to ``1000 * base``."""
    small, middle, large = (best_time(run, make(base * scale)) for scale in SCALES)
    growth = large / max(small, FLOOR_SECONDS)
    assert growth < 1000, (
        f"{shape}: at 10×, 100×, 1,000× the size it took {small:.4f} s, {middle:.4f} s, {large:.4f} s: "
        f"{growth:.0f}× from 10× to 1,000× (linear: about 100×)"
    )
