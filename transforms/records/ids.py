"""Story ids and family ids: one id per version of a story, one family id for all its versions.

A family is keyed by the item's guid without its version where the format has one, else by the
agency and slugline that every version repeats; an item with neither is a family of its own.
"""

from __future__ import annotations

import re

__all__ = ["family_from_slug", "story_id"]

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# ANPA's selector prefix: `BC-`, `AM-`, `PM-`, `AP-`, and a category code (`BC-LT--`).
_SLUG_PREFIX = re.compile(r"^(?:[A-Z]{2}-(?:[A-Z]{2,4}-{1,2})?)", re.I)


def story_id(family_id: str, version: int | None) -> str:
    """The record's id: the family id, and ``:v<N>`` when the item has a version, so that every
    version of a story is its own record on the stories topic and ``supersedes`` can name it."""
    return family_id if version is None else f"{family_id}:v{version}"


def family_from_slug(slugline: str | None, agency: str | None) -> str | None:
    """``slug:ap:argentina-cancer-beauty`` from ``BC-LT--Argentina-Cancer Beauty`` and ``AP``;
    None without a slugline (the story is then a family of its own)."""
    if not slugline:
        return None
    words = _NOT_WORD.sub("-", _SLUG_PREFIX.sub("", slugline.strip()).lower()).strip("-")
    if not words:
        return None
    owner = _NOT_WORD.sub("-", (agency or "").lower()).strip("-")
    return f"slug:{owner}:{words}" if owner else f"slug:{words}"
