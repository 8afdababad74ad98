"""Decode stage: the bytes of a message → one ``WireItem`` per item it carries."""

from __future__ import annotations

from collections.abc import Iterable

from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.records.story import WireItem, WireMessage
from wirestream.transforms.stage_fn import DEFAULT_MAX_SECONDS, StageFn

DEFAULT_MAX_BYTES = 2 * 1024 * 1024


class DecodeFn(StageFn):
    """Detect the format (or use the forced one) and decode; oversized messages are refused."""

    stage = "decode"

    def __init__(
        self,
        *,
        format: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_seconds: float | None = DEFAULT_MAX_SECONDS,
    ) -> None:
        super().__init__(formats.decode, max_seconds=max_seconds)
        self._format = format
        self._max_bytes = max_bytes

    def handle(self, message: WireMessage, value: bytes) -> Iterable[WireItem]:
        if len(value) > self._max_bytes:
            raise DecodeError(
                f"message of {len(value):,} bytes is over the {self._max_bytes:,}-byte limit for one wire "
                f"item; raise --max-message-bytes if such items are real",
                reason="too-large",
            )
        return self.run(value, format=self._format)
