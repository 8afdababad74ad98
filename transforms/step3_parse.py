"""Parse stage: a ``WireItem`` → a ``Story`` split into its parts (no language model yet)."""

from __future__ import annotations

from collections.abc import Iterable

from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story, WireItem, WireMessage
from wirestream.transforms.stage_fn import DEFAULT_MAX_SECONDS, StageFn


def source_of(message: WireMessage) -> Source:
    return Source(
        topic=message.topic, partition=message.partition, offset=message.offset, timestamp_ms=message.timestamp_ms
    )


class ParseFn(StageFn):
    stage = "parse"

    def __init__(self, *, pipeline_version: str, max_seconds: float | None = DEFAULT_MAX_SECONDS) -> None:
        super().__init__(parse_item, max_seconds=max_seconds)
        self._pipeline_version = pipeline_version

    def handle(self, message: WireMessage, item: WireItem) -> Iterable[Story]:
        yield self.run(item, source_of(message), pipeline_version=self._pipeline_version)
