"""JSON wire items (ninjs, AP Media API) loaded once, with the failures every JSON format shares."""

from __future__ import annotations

import json
from typing import Any

from wirestream.transforms.deadletters.errors import DecodeError

__all__ = ["load_json"]


def load_json(raw: bytes, what: str) -> Any:
    """The parsed document; DecodeError ``bad-json`` if it does not parse, ``bad-encoding`` if it
    holds text no record can carry (a lone surrogate such as ``"\\ud800"``, valid JSON but not text)."""
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        raise DecodeError(
            f"the {what} is not valid JSON ({str(exc)[:200] or type(exc).__name__}); it may be truncated: "
            "check the producer's message size limit and that it sends whole documents",
            reason="bad-json",
        ) from exc
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DecodeError(
            f"the {what} holds an escaped lone surrogate ({exc.object[exc.start : exc.end]!r}), which is no "
            "character: the producer escaped half of a character pair; fix its JSON encoder",
            reason="bad-encoding",
        ) from exc
    return document
