"""Stories of one family leave a stage in the order they came; other stories need not wait.

The enrich stage sends stories to several model processes and passes on whichever finish first,
so a write-through could overtake the version it replaces. Then the latest table would meet v2
before v1 and could not say that v2 supersedes v1. Holding back only a story whose family has an
earlier story still in the stage keeps that order at almost no cost in latency: versions of one
story seldom come within a batch of each other. A slug family is ordered by its slug alone
(``records.ids.slug_parts``), whether or not an item says its agency: a kill sent without trailer
or dateline is the same story as the version before it (``ids.same_story``), and must not overtake
it. Two agencies' stories of one slug then wait for each other, which costs only a little latency.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

from wirestream.transforms.records import ids

__all__ = ["FamilyOrder", "order_key"]

T = TypeVar("T")


class FamilyOrder(Generic[T]):
    """Tickets in order of arrival; a finished story's outputs come out once every earlier ticket of
    its family has come out."""

    def __init__(self) -> None:
        self._count = 0
        self._queues: dict[str, deque[int]] = {}
        self._family: dict[int, str] = {}
        self._finished: dict[int, list[T]] = {}

    def __len__(self) -> int:
        """Tickets taken whose outputs have not come out yet."""
        return len(self._family)

    def take(self, family: str) -> int:
        """A ticket for a story of ``family`` entering the stage."""
        family = order_key(family)
        ticket = self._count
        self._count += 1
        self._queues.setdefault(family, deque()).append(ticket)
        self._family[ticket] = family
        return ticket

    def finish(self, ticket: int, outputs: list[T]) -> list[T]:
        """Record a story's outputs; return every output now free to leave, in its family's order."""
        family = self._family[ticket]
        self._finished[ticket] = outputs
        queue = self._queues[family]
        free: list[T] = []
        while queue and queue[0] in self._finished:
            done = queue.popleft()
            del self._family[done]
            free.extend(self._finished.pop(done))
        if not queue:
            del self._queues[family]
        return free


def order_key(family: str) -> str:
    """The key a family's stories are ordered under: a slug family's slug without its agency."""
    parts = ids.slug_parts(family)
    return f"slug:{parts[1]}" if parts else family
