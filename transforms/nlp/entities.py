"""Named entities from spaCy, cleaned up into one entry per real-world entity in a story.

Raw NER on wire copy makes mistakes an editor would laugh at: possessives and quote marks inside
names (``Joe Biden’s``, ``“months``), a typo such as ``Mondaywas`` taken for a PERSON, a town taken
for a person, ``Haniyeh`` and ``Ismail Haniyeh`` counted as two people. The functions here fix
what can be fixed from the text itself, then group the mentions: each entity carries its fullest
name, the label most of its mentions (and their context) agree on, its other spellings and the
character span of every mention.

Kept free of Beam: ``entities_from_doc`` turns a ``Doc`` from ``model.load_model`` into ``Entity`` records.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirestream.transforms.records.story import Dateline, Entity, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Dates, times and amounts are values, not real-world entities a newsroom indexes.
VALUE_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Which label wins a tie between mentions that disagree: names of people first, places last.
LABEL_PRIORITY = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")

QUOTE_MARKS = "\"“”‘’„«»'`"
EDGE_PUNCT = QUOTE_MARKS + " ,.;:!?()[]{}—–-"
POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
DAYS_AND_MONTHS = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|June|"
    "July|August|September|October|November|December"
)
# `Mondaywas`: a day or month glued to a lower-case word by a typo; NER reads it as a name.
GLUED_DATE = re.compile(rf"^(?:{DAYS_AND_MONTHS})[a-z]+$")
# Words after a name in an appositive that say the name is a place: `Khan Younis, the enclave’s
# second-largest city`.
PLACE_NOUNS = re.compile(
    r"^,\s+(?:the|a|an)\s+[^,.;]{0,40}?\b(?:city|town|village|capital|port|province|region|state|"
    r"district|county|enclave|camp|neighborhood|neighbourhood|suburb|island|country)\b",
    re.IGNORECASE,
)
PLACE_BEFORE = re.compile(r"\b(?:city|town|village|province|region|state|district|county) of\s*$", re.IGNORECASE)
# Title words that turn a preceding word into part of a job title, not an organisation:
# `Defense Minister Yoav Gallant`.
TITLE_AFTER = re.compile(r"^\s+(?:Minister|Secretary|Chief|Spokesman|Spokeswoman|Spokesperson|Official)\b")


@dataclass
class Mention:
    """One cleaned mention of an entity in the body."""

    text: str
    label: str
    start: int
    end: int
    quoted: bool = False  # inside quote marks: someone's words, such as a nickname

    @property
    def words(self) -> list[str]:
        return self.text.replace("’", "'").split()


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without quote marks, edge punctuation, a leading `the` or a possessive ending."""
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT and text[end - 1] != ".":
        end -= 1
    while end > start and text[end - 1] in QUOTE_MARKS + ",;:!?)":
        end -= 1
    article = LEADING_ARTICLE.match(text[start:end])
    if article and end - start - article.end() > 0:
        start += article.end()
    possessive = POSSESSIVE.search(text[start:end])
    if possessive and end - start - len(possessive.group()) > 1:
        end -= len(possessive.group())
    return start, end


def contextual_label(text: str, label: str, start: int, end: int) -> str | None:
    """The label the mention's context supports: None drops it, another label corrects it."""
    name = text[start:end]
    if label in VALUE_LABELS:
        return None
    if GLUED_DATE.match(name):
        return None
    place_after = PLACE_NOUNS.match(text[end : end + 80])
    if label == "PERSON" and (place_after or PLACE_BEFORE.search(text[max(0, start - 20) : start])):
        return "GPE"
    if label == "ORG" and " " not in name and TITLE_AFTER.match(text[end : end + 15]):
        return None
    return label


def inside_double_quotes(text: str) -> list[bool]:
    """Per character: is it between double quote marks? (Reset at each line break.)"""
    out, inside = [], False
    for ch in text:
        if ch == "\n":
            inside = False
        elif ch in "“„«":
            inside = True
        elif ch in "”»":
            inside = False
        elif ch == '"':
            inside = not inside
        out.append(inside)
    return out


def mentions_from_doc(doc: Doc) -> list[Mention]:
    """The doc's entities as cleaned mentions, values and recognisable mistakes left out."""
    text = doc.text
    quoted = inside_double_quotes(text)
    found = []
    for ent in doc.ents:
        start, end = clean_span(text, ent.start_char, ent.end_char)
        if end - start < 2 or not any(ch.isalpha() for ch in text[start:end]):
            continue
        label = contextual_label(text, ent.label_, start, end)
        if label is not None:
            found.append(Mention(text[start:end], label, start, end, quoted[start]))
    return found


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def _canonical(forms: Counter[str]) -> str:
    """The fullest form: most words, then not all capitals, then most used, then first seen."""
    first_seen = {form: -n for n, form in enumerate(forms)}
    return max(forms, key=lambda f: (len(f.split()), not f.isupper(), forms[f], first_seen[f]))


def _label(labels: Counter[str]) -> str:
    """Majority label; a tie goes to the more specific kind of name (LABEL_PRIORITY)."""
    rank = {label: i for i, label in enumerate(LABEL_PRIORITY)}
    return max(labels, key=lambda lab: (labels[lab], -rank.get(lab, len(rank))))


def group_mentions(mentions: list[Mention]) -> list[Entity]:
    """One Entity per real-world entity, in order of first mention.

    Mentions with the same words (ignoring case) are one entity. A one- or two-word mention whose
    words all occur in a PERSON name of more words (`Haniyeh`, `Gallant`) joins the nearest such
    person mentioned before it (else the first one after), whatever its own label: spaCy often
    calls a surname alone an ORG or GPE.
    """
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(_key(mention.text), []).append(mention)
    person_labels = {key: Counter(m.label for m in ms) for key, ms in groups.items()}
    people = FullerPeople(m for m in mentions if len(m.words) > 1 and _label(person_labels[_key(m.text)]) == "PERSON")

    def cluster_of(mention: Mention) -> str:
        """The key of the cluster a mention joins, following `Clinton` → `Hillary Clinton` → …"""
        while (fuller := people.fuller(mention)) is not None:  # ends: more words each step
            mention = fuller
        return _key(mention.text)

    clusters: dict[str, list[Mention]] = {}
    for mention in mentions:
        clusters.setdefault(cluster_of(mention), []).append(mention)

    entities = []
    for members in clusters.values():
        members.sort(key=lambda m: m.start)
        forms = Counter(m.text for m in members)
        # a name used only inside someone's words (`“Crooked Hillary Clinton”`) is not the canonical one
        canonical = _canonical(Counter(m.text for m in members if not m.quoted) or forms)
        entities.append(
            Entity(
                text=canonical,
                label=_label(Counter(m.label for m in members)),
                mentions=len(members),
                aliases=[f for f in forms if f != canonical],
                spans=[Span(m.start, m.end) for m in members],
            )
        )
    entities.sort(key=lambda e: e.spans[0].start if e.spans else -1)
    return entities


class FullerPeople:
    """The PERSON mentions of more than one word, indexed by word, for ``fuller``.

    Scanning every person for every surname was quadratic in a roster of thousands of names;
    here a surname's candidates are listed once, in text order, and the nearest found by bisection.
    """

    def __init__(self, people: Iterable[Mention]) -> None:
        self._by_word: dict[str, list[tuple[Mention, frozenset[str]]]] = {}
        for person in sorted(people, key=lambda p: p.start):
            words = frozenset(w.casefold() for w in person.words)
            for word in words:
                self._by_word.setdefault(word, []).append((person, words))
        self._fits: dict[tuple[frozenset[str], int], tuple[list[int], list[Mention]]] = {}

    def _fitting(self, words: frozenset[str], count: int) -> tuple[list[int], list[Mention]]:
        """The people whose names hold all of ``words`` in more than ``count`` words, and where they start."""
        key = (words, count)
        if key not in self._fits:
            rarest = min((self._by_word.get(w, []) for w in words), key=len)
            fits = [p for p, held in rarest if words <= held and len(p.words) > count]
            self._fits[key] = ([p.start for p in fits], fits)
        return self._fits[key]

    def fuller(self, mention: Mention) -> Mention | None:
        """The person a one- or two-word mention is short for: the nearest before it, else the first after.

        Words are counted as written: `Boutros Boutros Ghali` is three words (two different ones),
        so a name never fits itself.
        """
        if len(mention.words) > 2 or mention.label not in ("PERSON", "ORG", "GPE", "NORP"):
            return None
        starts, fits = self._fitting(frozenset(w.casefold() for w in mention.words), len(mention.words))
        if not fits:
            return None
        before = bisect_left(starts, mention.start)
        # the earliest listed of those starting latest before it, as `max` picked
        return fits[bisect_left(starts, starts[before - 1])] if before else fits[0]


def place_name(raw: str) -> str:
    """`DEIR AL-BALAH` → `Deir Al-Balah`; a name already in mixed case stays as written."""
    if not raw.isupper():
        return raw
    return " ".join(
        part.capitalize() if "-" not in part else "-".join(p.capitalize() for p in part.split("-"))
        for part in raw.split()
    )


def add_dateline_places(entities: list[Entity], dateline: Dateline | None) -> list[Entity]:
    """The dateline's place and region as GPE entities, counted as mentions without body spans.

    The parser removes the dateline before NER, so the place where the story was filed would be
    lost; where the body names it too, the dateline adds one mention to that entity.
    """
    if dateline is None:
        return entities
    added: list[Entity] = []
    for raw in (dateline.location, dateline.region):
        if not raw:
            continue
        key = _key(raw)
        same = next((e for e in entities if _key(e.text) == key or key in map(_key, e.aliases)), None)
        if same is not None:
            same.mentions += 1
            if raw != same.text and raw not in same.aliases:
                same.aliases.append(raw)
            continue
        name = place_name(raw)
        added.append(Entity(text=name, label="GPE", mentions=1, aliases=[raw] if raw != name else []))
    return added + entities


def entities_from_doc(doc: Doc, dateline: Dateline | None = None) -> list[Entity]:
    """The story's entities: the body's cleaned mentions grouped, plus the dateline's places."""
    return add_dateline_places(group_mentions(mentions_from_doc(doc)), dateline)
