"""JSON wire items (ninjs, AP Media API) loaded once, with the failures every JSON format shares."""

from __future__ import annotations

import json
import re
from typing import Any

from wirestream.transforms.deadletters.errors import DecodeError

__all__ = ["load_json"]

# A \uD800–\uDFFF escape: half of a pair, or a lone surrogate if its other half is missing.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


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
    if b"\x00" not in raw[:4] and not _SURROGATE_ESCAPE.search(raw):
        return document  # UTF-8 with no escaped surrogate: nothing to check, the common case costs nothing
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DecodeError(
            f"the {what} holds an escaped lone surrogate ({exc.object[exc.start : exc.end]!r}), which is no "
            "character: the producer escaped half of a character pair; fix its JSON encoder",
            reason="bad-encoding",
        ) from exc
    return document
