"""Story ids and family ids: one id per version of a story, one family id for all its versions.

A family is keyed by the item's guid where the format has one (without its version only where the
format says the guid carries it: NewsML 1.2), else by the agency and slugline that every version
repeats; an item with neither is a family of its own.

Two different guids never share an id: a version is written ``:v<N>`` after the guid, and a guid
with no version that already ends like that (``…:v2``) gets a ``~`` (one more for each it ends in),
so it can never be mistaken for, or replaced by, version 2 of ``…``.

A slug family names its agency when the item says which (``slug:fp:tallmark-bridge``) and not
when it does not (``slug:tallmark-bridge``: a kill sent with neither trailer nor dateline). The
two are one story (``same_story``): the latest table and the releaser match them by slug, so a kill
finds its story whichever of the two names the agency. A guid-less item's id is its text's hash;
``text_story_id`` puts its slug family before the hash, so two items of different stories never
share an id even when their text is the same (two kills' boilerplate).
"""

from __future__ import annotations

import re

__all__ = ["family_from_slug", "same_story", "slug_parts", "story_id", "text_story_id"]

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# ANPA's selector prefix: `BC-`, `AM-`, `PM-`, `AP-`, and a category code (`BC-LT--`).
_SLUG_PREFIX = re.compile(r"^(?:[A-Z]{2}-(?:[A-Z]{2,4}-{1,2})?)", re.I)
# What a versioned id ends in, with the marks an unversioned one that looks the same is given.
_VERSION_LIKE_END = re.compile(r":v[0-9]+~*\Z")
_SLUG = "slug:"


def story_id(family_id: str, version: int | None) -> str:
    """The record's id: the family id, and ``:v<N>`` when the item has a version, so that every
    version of a story is its own record on the stories topic and ``supersedes`` can name it.

    One id per (family, version), and no two alike: an unversioned family that ends like a version
    (``…:v2``, or ``…:v2~``) is marked with one more ``~`` (see the module's docstring)."""
    if version is not None:
        return f"{family_id}:v{version}"
    return f"{family_id}~" if _VERSION_LIKE_END.search(family_id) else family_id


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


def slug_parts(family_id: str) -> tuple[str | None, str] | None:
    """``(agency, words)`` of a slug family (``slug:fp:tallmark-bridge`` → ``("fp", "tallmark-bridge")``,
    ``slug:tallmark-bridge`` → ``(None, "tallmark-bridge")``); None for any other family.

    Unambiguous: both parts are made of ``[0-9a-z-]`` only (``family_from_slug``), so one colon
    after the prefix means no agency, two mean one.
    """
    if not family_id.startswith(_SLUG):
        return None
    parts = family_id[len(_SLUG) :].split(":")
    if len(parts) == 1 and parts[0]:
        return None, parts[0]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    return None


def same_story(family_a: str, family_b: str) -> bool:
    """Whether two families are one story: the same id, or the same slug where one of the two does
    not say its agency (a kill without trailer or dateline, a story sent without them)."""
    if family_a == family_b:
        return True
    a, b = slug_parts(family_a), slug_parts(family_b)
    if a is None or b is None or a[1] != b[1]:
        return False
    return a[0] is None or b[0] is None


def text_story_id(text_hash: str, family_id: str | None) -> str:
    """The id of an item without a guid: its text's hash (``sha1:…``), after its slug family's words
    when it has one (``slug:tallmark-bridge/sha1:…``), so that the same text sent for two stories
    (a kill's boilerplate) gives two ids. The agency is left out, so that the id does not change
    with whether a copy carried its trailer."""
    parts = slug_parts(family_id) if family_id else None
    return f"{_SLUG}{parts[1]}/{text_hash}" if parts else text_hash
