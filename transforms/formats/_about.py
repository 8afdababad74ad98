"""What an item says about itself beside its text, in one shape for every format: its times, its
subjects, keywords, abstract, genres and usage terms (``WireItem``'s fields of the same names).

Each format reads its own fields into an ``About``; the helpers here are the rules they share:
texts stripped and kept once each, lists bounded (a hostile feed's ten thousand keywords cost no
more than ``MAX_ENTRIES``), and a genre named as a desk reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wirestream.transforms.records.story import Subject

__all__ = ["MAX_ENTRIES", "About", "genre_name", "texts"]

MAX_ENTRIES = 200
# IPTC's genre NewsCodes are English words (``genre:Interview``), so the code is the name.
_IPTC_GENRE = re.compile(r"(?:genre:|https?://cv\.iptc\.org/newscodes/genre/)([A-Za-z][A-Za-z-]{0,60})/?", re.I)
_SPACES = re.compile(r"\s+")


@dataclass
class About:
    """The fields of ``WireItem`` that say what the item is, when, and on what terms."""

    first_created: int | None = None
    version_created: int | None = None
    subjects: list[Subject] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    genres: list[str] = field(default_factory=list)
    usage_terms: str | None = None

    def fields(self) -> dict[str, Any]:
        """As keyword arguments of ``WireItem``."""
        return dict(self.__dict__)


def texts(values: Iterable[object]) -> list[str]:
    """The strings among ``values``, whitespace collapsed, empty ones dropped, each once, in order."""
    found: dict[str, None] = {}
    for value in values:
        if isinstance(value, str) and (text := _SPACES.sub(" ", value).strip()):
            found.setdefault(text)
            if len(found) >= MAX_ENTRIES:
                break
    return list(found)


def genre_name(name: object, code: object) -> str | None:
    """A genre as a desk reads it: the name the item gives, else an IPTC genre's code (its English
    name), else the code as sent; None when the item gives neither."""
    if isinstance(name, str) and (text := _SPACES.sub(" ", name).strip()):
        return text
    if not isinstance(code, str) or not (code := code.strip()):
        return None
    match = _IPTC_GENRE.fullmatch(code)
    return match.group(1) if match else code
