"""Field values that every format writes in its own way, read one way: item versions."""

from __future__ import annotations

__all__ = ["MAX_VERSION", "version_number"]

# The Avro ``int`` the record keeps it in.
MAX_VERSION = 2**31 - 1


def version_number(value: object) -> int | None:
    """A version as a whole number (``3``, ``"3"``, ``" 3 "``); None for anything else.

    Only ASCII digits count (``"①"`` and ``"²"`` pass ``str.isdigit`` but are no version), and only
    values the record can hold: a version of a thousand digits is a broken feed, not version 10^999.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_VERSION)):
            return None
        value = int(text)
    if isinstance(value, int) and 0 <= value <= MAX_VERSION:
        return value
    return None
