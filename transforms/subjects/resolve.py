"""Subjects as an item gives them → ``Subject`` records with labels and ancestors.

An IPTC concept takes its English label and ancestors from the shipped vocabulary, whatever name
the item gave it (dpa names Media Topics in German); a Subject NewsCode brings the Media Topic IPTC
maps it to. Another vocabulary's concept keeps the item's own name, and its ancestors as far as
the item itself says (a NewsML-G2 ``broader``, AP's ``parentids``), walked through the item's other
subjects. Bounded: a hostile item's thousands of subjects cost no more than ``MAX_SUBJECTS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wirestream.transforms.records.story import Subject
from wirestream.transforms.subjects import vocabulary
from wirestream.transforms.subjects.qcodes import ANPA_CATEGORY, MEDTOP, SUBJ

__all__ = ["MAX_SUBJECTS", "ItemSubject", "resolve"]

# No real item has more; a feed that sends more is broken, and the rest are left out.
MAX_SUBJECTS = 200
_MAX_DEPTH = 12
# Parents one subject may name (AP names two at most).
_MAX_PARENTS = 16


@dataclass(frozen=True)
class ItemSubject:
    """One subject as the item gives it: its qcode (``qcodes.qcode_of``), the item's name for it,
    and the parents the item names, nearest first."""

    qcode: str
    name: str | None = None
    broader: tuple[str, ...] = ()


def resolve(found: Iterable[ItemSubject]) -> list[Subject]:
    """The item's subjects in its order, once each, IPTC's labelled and placed in their tree."""
    given: list[ItemSubject] = []
    for item_subject in found:
        if len(given) >= MAX_SUBJECTS:
            break
        given.append(item_subject)
    parents: dict[str, dict[str, None]] = {}  # ordered sets
    for item_subject in given:
        known = parents.setdefault(item_subject.qcode, {})
        known.update((p, None) for p in item_subject.broader[:_MAX_PARENTS] if p != item_subject.qcode)
    out: dict[str, Subject] = {}
    for item_subject in given:
        for subject in _subjects(item_subject, parents):
            if subject.qcode not in out:
                out[subject.qcode] = subject
            elif out[subject.qcode].name is None:
                out[subject.qcode].name = subject.name
    return list(out.values())[:MAX_SUBJECTS]


def _subjects(given: ItemSubject, parents: dict[str, dict[str, None]]) -> list[Subject]:
    """The record of one subject, and for a Subject NewsCode, that of its Media Topic after it."""
    scheme, _, code = given.qcode.partition(":")
    if scheme == SUBJ and (entry := vocabulary.subject_code(code)) is not None:
        name, ancestors = entry
        found = [Subject(given.qcode, name, [f"{SUBJ}:{a}" for a in ancestors])]
        topic = vocabulary.media_topic_of(code)
        if topic is not None and (topic_entry := vocabulary.media_topic(topic)) is not None:
            found.append(_media_topic(topic, topic_entry))
        return found
    if scheme == MEDTOP and (entry := vocabulary.media_topic(code)) is not None:
        return [_media_topic(code, entry)]
    # AP names its category letter by itself (``s`` for ``s``): no name at all.
    name = None if scheme == ANPA_CATEGORY and (given.name or "").strip().lower() == code.lower() else given.name
    return [Subject(given.qcode, name, _item_ancestors(given.qcode, parents))]


def _media_topic(code: str, entry: tuple[str | None, list[str]]) -> Subject:
    name, ancestors = entry
    return Subject(f"{MEDTOP}:{code}", name, [f"{MEDTOP}:{a}" for a in ancestors])


def _item_ancestors(qcode: str, parents: dict[str, dict[str, None]]) -> list[str]:
    """Ancestors the item names, nearest first (breadth first, each once, bounded)."""
    ancestors: dict[str, None] = {}
    level = list(parents.get(qcode, {}))
    for _ in range(_MAX_DEPTH):
        level = [p for p in dict.fromkeys(level) if p != qcode and p not in ancestors]
        if not level or len(ancestors) >= MAX_SUBJECTS:
            break
        ancestors.update((p, None) for p in level)
        level = [grand for parent in level for grand in parents.get(parent, {})]
    return list(ancestors)[:MAX_SUBJECTS]
