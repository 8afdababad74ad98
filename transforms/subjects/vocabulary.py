"""The IPTC vocabularies shipped in ``iptc.json``: English labels and parents.

Built by ``deploy/iptc/build_vocab.py`` from IPTC's files (CC BY 4.0, (c) IPTC); loaded once per
process, about 125 KB. A Subject NewsCode's parent is its code with the last non-zero group zeroed
(``15008001`` → ``15008000`` → ``15000000``), IPTC's own rule, so only names and the Media Topic
mapping are stored for it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["media_topic", "media_topic_of", "subject_code", "subject_code_parent"]

# Media Topics nest five deep today; a longer chain would be a broken file, not a deeper tree.
_MAX_DEPTH = 12


@cache
def _vocabulary() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("iptc.json").read_text(encoding="utf-8"))


def media_topic(code: str) -> tuple[str | None, list[str]] | None:
    """A Media Topic's English label and its ancestors' codes, nearest first; None if unknown."""
    topics = _vocabulary()["medtop"]
    entry = topics.get(code)
    if entry is None:
        return None
    ancestors: list[str] = []
    parent = entry[1]
    while parent and parent in topics and parent not in ancestors and len(ancestors) < _MAX_DEPTH:
        ancestors.append(parent)
        parent = topics[parent][1]
    return entry[0], ancestors


def subject_code(code: str) -> tuple[str | None, list[str]] | None:
    """A Subject NewsCode's English name and its ancestors' codes, nearest first; None if unknown."""
    codes = _vocabulary()["subj"]
    entry = codes.get(code)
    if entry is None:
        return None
    ancestors: list[str] = []
    parent = subject_code_parent(code)
    while parent and parent in codes:
        ancestors.append(parent)
        parent = subject_code_parent(parent)
    return entry[0], ancestors


def media_topic_of(code: str) -> str | None:
    """The Media Topic IPTC maps a Subject NewsCode to by exact match; None where it maps none."""
    entry = _vocabulary()["subj"].get(code)
    return entry[1] if entry else None


def subject_code_parent(code: str) -> str | None:
    """``15008001`` → ``15008000`` → ``15000000`` → None (IPTC's 2 + 3 + 3 digits)."""
    if len(code) != 8 or not code.isdigit():
        return None
    if code[5:] != "000":
        return code[:5] + "000"
    if code[2:5] != "000":
        return code[:2] + "000000"
    return None
