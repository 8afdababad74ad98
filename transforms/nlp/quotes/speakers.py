"""Naming the speaker: entities' canonical names, pronouns resolved to referents, other phrases as written.

Names are the canonical names of the story's entities (``entities.py``), so ``Gallant`` and
``he`` both come out as ``Yoav Gallant``; an appositive gives way to its person (``Hugh Hill, a
doctor, said``). A pronoun stands for the most recent fitting person or organisation, the subject
of a main clause first; gender, where the text shows it, must agree (``I``, ``we`` and ``it`` are
left unresolved: see ``UNRESOLVED``). A speaker with no entity (``a spokesman for the campaign``)
keeps the phrase as written; a function word alone (``many``, ``those``) names nobody.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirestream.transforms.nlp.quotes.cues import cue_text, subject_of
from wirestream.transforms.nlp.quotes.given_names import gender_of, looks_like_a_person
from wirestream.transforms.nlp.quotes.tree import SUBJECT_DEPS
from wirestream.transforms.nlp.spans import overlap_test

if TYPE_CHECKING:
    from spacy.tokens import Token

    from wirestream.transforms.nlp.quotes.body import Body
    from wirestream.transforms.nlp.quotes.cues import Cues
    from wirestream.transforms.records.story import Entity

PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f",
    "they": "p", "them": "p", "their": "p", "it": "n", "its": "n", "we": "p", "i": "s",
}  # fmt: skip
# The labels a pronoun of each kind may stand for.
REFERENT_LABELS = {
    "m": ("PERSON",),
    "f": ("PERSON",),
    "n": ("ORG", "GPE"),
    "p": ("ORG", "NORP", "GPE"),
    "s": ("PERSON",),
}
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")
# Who may speak with no cue pointing at them: the subject of the sentence, the name beside a quote.
PERSON_OR_ORG = ("PERSON", "ORG")
# Pronouns left with no referent. In the writer's own words `I` and `we` are the writer or the paper,
# whom the story does not name; `it` speaks for a statement, a report, a poll or a body far more often
# than for the nearest organisation or place the model tagged.
UNRESOLVED = frozenset({"i", "we", "it", "its"})
PRONOUN_LOOKBACK = 1500  # characters: how far back a pronoun may find its person
NOT_NAMES = ("who", "that", "which", "this", "there")
# What a known given name weighs in a person's gender, against 2 for each `Mr.`/`Ms.` and 1 for each
# `he`/`she` after their name: more than a stray pronoun, less than the text's own titles.
GIVEN_NAME_VOTES = 3


@dataclass(frozen=True)
class Attribution:
    """Who said a quote, and the cue that says so (None when the cue is not in the quote's sentence)."""

    speaker: str
    cue: str | None


class Mentions:
    """Entity mentions by character offset, each with its entity's canonical name and label."""

    def __init__(self, entities: Sequence[Entity], text: str = "", unnamed: Iterable[Token] = ()) -> None:
        spans = {(s.start, s.end, e.text, _label(e)) for e in entities if e.label in SPEAKER_LABELS for s in e.spans}
        spans |= surname_mentions(entities, text, spans)
        self.spans = sorted(spans | unnamed_mentions(unnamed, text, spans))
        self.starts = [s[0] for s in self.spans]

    def at(self, start: int, end: int) -> tuple[str, str] | None:
        """The mention overlapping [start, end), if any."""
        i = bisect_right(self.starts, end - 1) - 1
        while i >= 0 and self.spans[i][1] > start - 60:
            s, e, name, label = self.spans[i]
            if s < end and e > start:
                return name, label
            i -= 1
        return None

    def before(self, pos: int, labels: tuple[str, ...], floor: int) -> list[tuple[int, str, str]]:
        """Mentions with one of ``labels`` ending before ``pos`` and starting after ``floor``, latest first."""
        i = bisect_right(self.starts, pos) - 1
        out = []
        while i >= 0 and self.spans[i][0] >= floor:
            s, e, name, label = self.spans[i]
            if e <= pos and label in labels:
                out.append((s, name, label))
            i -= 1
        return out


def _label(entity: Entity) -> str:
    """The entity's label, PERSON where the model called a plain person's name a place or an organisation."""
    return "PERSON" if entity.label != "PERSON" and looks_like_a_person(entity.text) else entity.label


def unnamed_mentions(
    subjects: Iterable[Token], text: str, known: set[tuple[int, int, str, str]]
) -> set[tuple[int, int, str, str]]:
    """Cue subjects that are names the model did not see (`Nefzi said`), as PERSON mentions, so that a
    later `he` can find them. A name is capitalised where a sentence does not start (`Officials said`
    opens one, and is never written so inside one), and has no determiner (`The Times`)."""
    inside = {m.group() for m in _INSIDE_A_SENTENCE.finditer(text)}
    in_a_mention = overlap_test((start, end) for start, end, _name, _label in known)
    found = set()
    for token in subjects:
        word = token.text
        if not (word[:1].isupper() and word.isalpha() and len(word) > 1) or word.lower() in PRONOUNS:
            continue
        if (token.is_sent_start and word not in inside) or any(c.dep_ == "det" for c in token.children):
            continue
        first = token
        while first.i > 0 and first.nbor(-1).dep_ == "compound" and first.nbor(-1).text[:1].isupper():
            first = first.nbor(-1)
        start, end = first.idx, token.idx + len(word)
        if not in_a_mention(start, end):
            found.add((start, end, text[start:end], "PERSON"))
    return found


_INSIDE_A_SENTENCE = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")


def surname_mentions(
    entities: Sequence[Entity], text: str, known: set[tuple[int, int, str, str]]
) -> set[tuple[int, int, str, str]]:
    """A person named again by surname alone (`Lindqvist spoke to reporters`) where the model saw no
    name: news English names a person in full once, then by surname, and a later `she` needs them.

    Linear in the text and the roster: capitalised words are looked up, not matched as alternatives.
    """
    surnames: dict[str, str] = {}
    for entity in entities:
        words = entity.text.split()
        if entity.label == "PERSON" and len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) > 2:
            surnames.setdefault(words[-1], entity.text)
    if not surnames or not text:
        return set()
    in_a_mention = overlap_test((start, end) for start, end, _name, _label in known)
    found = set()
    for match in _CAPITALISED.finditer(text):
        word, start = _POSSESSIVE.sub("", match.group()), match.start()
        name, end = surnames.get(word), start + len(word)
        if name is not None and not in_a_mention(start, end):  # not inside a mention the model found
            found.add((start, end, name, "PERSON"))
    return found


_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")


def _partitive(token: Token) -> Token | None:
    """The noun of a preposition right after ``token``: the group a quantifier picks from (`one of two
    witnesses`, `some in the crowd`), where a description's person comes from (`the senator from Vermont`)."""
    for child in token.children:
        if child.dep_ == "prep" and child.i == token.i + 1:
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def genders(text: str, mentions: Mentions) -> dict[str, str]:
    """A person's gender as the text shows it: titles, and he/she/his/her after them as subject."""
    votes: dict[str, Counter[str]] = {}
    for s, _e, name, label in mentions.spans:
        if label != "PERSON":
            continue
        before = text[max(0, s - 5) : s]
        tally = votes.setdefault(name, Counter())
        if re.search(r"\bMrs?\.?\s$|\bMs\.?\s$", before):
            tally["f" if "s" in before.lower() else "m"] += 2
        after = text[s : s + 120].split(".")[0].lower()
        for word in re.findall(r"\b(he|his|him|she|her)\b", after):
            tally[PRONOUNS[word]] += 1
    for name, tally in votes.items():
        given = gender_of(name)
        if given is not None:
            tally[given] += GIVEN_NAME_VOTES
    return {name: tally.most_common(1)[0][0] for name, tally in votes.items() if tally}


Named = tuple[str | None, str | None]  # (speaker name, label): see ``Speakers.name``


class Speakers:
    """Names speakers for one body, and remembers who was named (for quotes with no cue of their own).

    A word's name and a cue's speaker depend on the body alone, so each is worked out once: in a
    sentence of thousands of quotes, every quote asks about the same cues.
    """

    def __init__(self, body: Body, entities: Sequence[Entity], cues: Cues | None = None) -> None:
        self.body = body
        subjects = (subject_of(body, cue) for cue in (cues.tokens if cues is not None else ()))
        unnamed = [t for t in subjects if t is not None and not body.is_quoted(t)]
        self.mentions = Mentions(entities, body.text, unnamed)
        self.genders = genders(body.text, self.mentions)
        self.named_so_far: list[tuple[int, str]] = []  # (offset, name) of each speaker that is an entity
        self._names: dict[int, Named] = {}
        self._cue_speakers: dict[int, tuple[Token, str, str | None] | None] = {}

    def entity(self, token: Token) -> tuple[str, str] | None:
        """(canonical name, label) of the entity mention the token is part of."""
        return self.mentions.at(token.idx, token.idx + len(token))

    def spoke(self, token: Token, name: str, cue: str | None = None) -> Attribution:
        """Record that ``token`` names the speaker ``name``, and attribute to them."""
        self.named_so_far.append((token.idx, name))
        return Attribution(name, cue)

    def by_cues(self, cues: Iterable[Token], near: int) -> Attribution | None:
        """The speaker of the outermost cue (a sentence's main verb first), the one nearest ``near`` next."""
        tree = self.body.tree
        for cue in sorted(cues, key=lambda t: (tree.depth(t), abs(t.idx - near))):
            found = self.speaker_of(cue)
            if found is None:
                continue
            subject, name, label = found
            if label is None:  # a phrase as written: not someone a later quote can go back to
                return Attribution(name, cue_text(cue))
            return self.spoke(subject, name, cue_text(cue))
        return None

    def speaker_of(self, cue: Token) -> tuple[Token, str, str | None] | None:
        """(subject, name, label) of the speaker a cue names, if it names one."""
        if cue.i not in self._cue_speakers:
            subject = subject_of(self.body, cue)
            name, label = self.name(subject) if subject is not None else (None, None)
            self._cue_speakers[cue.i] = (subject, name, label) if subject is not None and name is not None else None
        return self._cue_speakers[cue.i]

    def name(self, token: Token) -> Named:
        """(speaker name, label) for a subject token: entity, resolved pronoun or noun phrase (label None)."""
        if token.i not in self._names:
            self._names[token.i] = self._name(token)
        return self._names[token.i]

    def _name(self, token: Token) -> Named:
        low = token.lower_
        if low in PRONOUNS:
            return self.resolve(low, token.idx)
        hit = self.entity(token)
        if hit is not None:
            return hit
        for child in token.subtree:  # `a spokesman for the Clinton campaign` keeps the phrase
            if child.dep_ == "appos":
                inner = self.entity(child)
                if inner is not None and inner[1] == "PERSON":
                    return inner
        lefts = (t for t in self.body.tree.children(token) if t.i < token.i)
        left = [t for t in lefts if t.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod")]
        first = min((t.left_edge.i for t in left), default=token.i)
        whole = _partitive(token)  # `one of two witnesses`, `the senator from Vermont`
        if first == token.i and token.is_stop and whole is None:  # `many`, `those`, `Of`: a function word alone
            return None, None  # names nobody
        phrase = token.doc[first : (whole or token).i + 1].text
        if token.pos_ == "PROPN" or token.text[:1].isupper() or len(phrase) > 2:
            if phrase.lower() in NOT_NAMES:
                return None, None
            return phrase, None
        return None, None

    def resolve(self, pronoun: str, at: int) -> Named:
        """The person or organisation a pronoun before ``at`` most likely stands for.

        Salience, most recent first: a fitting name that is the subject of a main clause
        (`Ryan said Obama …` → Ryan), then one that is the subject of any clause, then any
        fitting mention. Gender, where the text shows it, must agree.
        """
        if pronoun in UNRESOLVED:
            return None, None
        kind = PRONOUNS[pronoun]
        fitting = [
            (s, name, label)
            for s, name, label in self.mentions.before(at, REFERENT_LABELS[kind], max(0, at - PRONOUN_LOOKBACK))
            if kind not in ("m", "f") or self.genders.get(name, kind) == kind
        ]
        for roles in (("main",), ("main", "sub")):
            for s, name, label in fitting:
                if self._subject_role(s) in roles:
                    return name, label
        if fitting:
            return fitting[0][1], fitting[0][2]
        return None, None

    def _subject_role(self, pos: int) -> str | None:
        """`main` for the subject of a sentence's main verb, `sub` for another subject, else None."""
        token = self.body.token_at(pos)
        if token is None:
            return None
        while token.dep_ in ("compound", "flat", "appos") and token.head.i != token.i:  # `Its chief, Venn,`
            token = token.head
        if token.dep_ not in SUBJECT_DEPS or self.body.is_quoted(token):
            return None
        verb = token.head
        main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
        return "main" if main else "sub"
