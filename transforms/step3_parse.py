"""Parse stage: a ``WireItem`` → a ``Story`` split into its parts (``flow.parse``; no language model yet)."""

from __future__ import annotations

from collections.abc import Iterable

from wirestream.transforms import flow
from wirestream.transforms.records.story import Story, WireItem, WireMessage
from wirestream.transforms.settings import Limits
from wirestream.transforms.stage_fn import AgenciesStageFn


class ParseFn(AgenciesStageFn):
    stage = "parse"
    prepare = staticmethod(flow.prepare)

    def __init__(self, limits: Limits, pipeline_version: str, agencies: tuple[str, ...] = ()) -> None:
        super().__init__(flow.parse, limits=limits, agencies=agencies)
        self._pipeline_version = pipeline_version

    def handle(self, message: WireMessage, item: WireItem) -> Iterable[Story]:
        yield self.run(item, flow.source_of(message), pipeline_version=self._pipeline_version)
