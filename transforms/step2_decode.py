"""Decode stage: the bytes of a message → one ``WireItem`` per item it carries (``flow.decode``)."""

from __future__ import annotations

from collections.abc import Iterable

from wirestream.transforms import flow
from wirestream.transforms.records.story import WireItem, WireMessage
from wirestream.transforms.settings import Limits
from wirestream.transforms.stage_fn import AgenciesStageFn


class DecodeFn(AgenciesStageFn):
    """Detect the format (or use the forced one) and decode; oversized messages are refused."""

    stage = "decode"  # nothing to prepare: decoding reads no gazetteer and detects no language

    def __init__(self, limits: Limits, wire_format: str | None = None, agencies: tuple[str, ...] = ()) -> None:
        super().__init__(flow.decode, limits=limits, agencies=agencies)
        self._format = wire_format

    def handle(self, message: WireMessage, value: bytes) -> Iterable[WireItem]:
        return self.run(value, limits=self._limits, wire_format=self._format)
