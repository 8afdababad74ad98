"""Wire formats: one module per format, tried in order, most specific first.

Each format module has ``NAME``, ``can_decode(raw) -> bool`` (a cheap sniff that never raises)
and ``decode(raw) -> list[WireItem]`` (raises DecodeError with a stable reason; a NewsML message
gives one item per story). Plain text is last: it accepts whatever human text the structured
formats left. ``_xml`` (safe parsing, field tables) and ``_text`` (character sets, hard-wrapped
lines) are helpers the formats share, not formats; so are ``_about`` (what an item says about
itself beside its text: times, subjects, keywords, summary, genres, usage terms) with its readers
for NewsML-G2 (``_g2about``) and JSON items (``_jsonabout``).

Every format carries text stories only: picture, graphic, video and audio items are left out of a
message that holds a text item too, and a message of them alone is refused as ``no-text-item``.
"""

from __future__ import annotations

from types import ModuleType

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats import anpa, apmedia, iptc7901, newsml12, newsmlg2, ninjs, nitf, text
from wirestream.transforms.records.story import WireItem

__all__ = ["FORMATS", "REGISTRY", "decode", "detect"]

# Most specific first: AP Media JSON would pass ninjs's sniff, and ANPA's envelope IPTC 7901's.
REGISTRY: tuple[ModuleType, ...] = (newsmlg2, newsml12, nitf, apmedia, ninjs, anpa, iptc7901, text)
FORMATS: tuple[str, ...] = tuple(module.NAME for module in REGISTRY)


def decode(raw: bytes, *, format: str | None = None) -> list[WireItem]:
    """Turn one message's bytes into wire items, detecting the format unless one is forced.

    A forced ``format`` (any case) skips detection, so its decoder reports what is wrong; an
    unknown name is a configuration mistake and raises ValueError. Undecodable input raises
    DecodeError: ``empty``, ``binary``, ``unknown-format``, or the format's own reason.
    """
    if format is not None:
        return _by_name(format).decode(raw)
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        raise DecodeError(
            f"the message is empty ({len(raw)} bytes); nothing to decode, check the producer",
            reason="empty",
        )
    if text.looks_binary(raw):
        raise DecodeError(
            "the message is binary data, not a wire item in any format "
            f"({', '.join(FORMATS)}); check what the producer sends to this topic",
            reason="binary",
        )
    return detect(raw).decode(raw)


def detect(raw: bytes) -> ModuleType:
    """The first registered format whose sniff accepts ``raw``; DecodeError if none does."""
    for module in REGISTRY:
        if module.can_decode(raw):
            return module
    raise DecodeError(
        f"no wire format recognises this message (tried {', '.join(m.NAME for m in REGISTRY)}; "
        f"it starts {raw[:40]!r}); force one with format=NAME or add a decoder for it",
        reason="unknown-format",
    )


def _by_name(name: str) -> ModuleType:
    for module in REGISTRY:
        if name.upper() == module.NAME:
            return module
    raise ValueError(f"unknown wire format {name!r}; valid formats are: {', '.join(FORMATS)}")
