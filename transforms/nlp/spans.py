"""Character spans in a text: whether a span overlaps any of a set of others, without a scan per span."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import accumulate

__all__ = ["overlap_test"]


def overlap_test(spans: Iterable[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether ``[start, end)`` overlaps any of ``spans`` (nested or overlapping ones too).

    One sort, then a binary search per question: the spans starting before ``end`` overlap it
    when the furthest end among them passes ``start``.
    """
    ordered = sorted(spans)
    starts = [start for start, _end in ordered]
    reach = list(accumulate((end for _start, end in ordered), max))

    def overlaps(start: int, end: int) -> bool:
        before = bisect_left(starts, end)
        return before > 0 and reach[before - 1] > start

    return overlaps
