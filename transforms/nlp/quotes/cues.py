"""Speech cues: the words saying that someone speaks (`said`, `told`, `went on`, `according to` …).

The list is kept as data (lemmas, every inflection generated). A cue counts only outside quote
marks, and as a verb: `call` and `report` are nouns too. What a cue names is its subject in the
dependency parse (`according to`'s object), found here; turning that into a name is ``speakers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from wirestream.transforms.nlp.quotes.body import Body

# Speech and attribution cues, as lemmas; every inflection is generated (``cue_forms``).
# Verbs of saying, then of writing, then verbs that report a view or characterise.
SPEECH_LEMMAS = """
    say tell add ask write tweet post explain declare insist argue note state announce warn claim
    recall reply respond acknowledge admit suggest urge predict promise vow complain
    concede caution observe remark quip joke shout yell cry plead boast counter contend maintain
    stress emphasize emphasise reiterate confirm deny call describe label dub believe think feel
    pledge assert allege charge accuse criticize criticise praise blast slam mock tout report reveal
    indicate mention lament muse chant sing read refer thank retort scoff question wonder hope
    estimate testify exclaim interject whisper murmur snap sneer recount recite repeat
    proclaim concur agree disagree object protest demand implore inquire advise
""".split()  # noqa: SIM905 (a word list reads best as words)
IRREGULAR_FORMS = "said told wrote written thought felt sang read cried replied denied quipped quipping".split()  # noqa: SIM905


def cue_forms(lemmas: list[str]) -> frozenset[str]:
    """Every regular inflection of each lemma (`call` → calls, called, calling), irregulars added."""
    forms = set(IRREGULAR_FORMS)
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma, stem + "ing", lemma + "d" if lemma.endswith("e") else lemma + "ed"})
        forms.add(lemma + "es" if lemma.endswith(("s", "sh", "ch", "x")) else lemma + "s")
        if lemma.endswith("y") and lemma[-2] not in "aeiou":
            forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
        if re.fullmatch(r".*[^aeiou][aeiou][bdglmpt]", lemma) and lemma not in ("counter", "report"):
            forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})  # quip → quipped
    return frozenset(forms)


SPEECH_VERBS = cue_forms(SPEECH_LEMMAS)
# "went on", "pointed out": a verb that is a cue only with its particle.
PHRASAL_CUES = {"went": "on", "goes": "on", "go": "on", "pointed": "out", "points": "out", "spoke": "of"}
ACCORDING = "according"
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Dependencies a verb (not a noun such as `call` or `report`) has.
VERB_DEPS = frozenset({"ROOT", "ccomp", "conj", "advcl", "xcomp", "relcl", "acl", "pcomp", "parataxis", "csubj", "dep"})


def _next_is(token: Token, word: str) -> bool:
    return token.i + 1 < len(token.doc) and token.nbor(1).lower_ == word


def is_cue(token: Token) -> bool:
    """A speech verb used as a verb (lower case, or opening its sentence), `went on`, `according to`."""
    low = token.lower_
    if low in SPEECH_VERBS:
        return (token.is_lower or token.is_sent_start) and token.dep_ in VERB_DEPS
    if low in PHRASAL_CUES:
        return _next_is(token, PHRASAL_CUES[low])
    if low == ACCORDING:
        return _next_is(token, "to")
    return False


def cue_text(cue: Token) -> str:
    """The cue as a quote records it: `according to`, `went on`, `said`."""
    if cue.lower_ == ACCORDING:
        return "according to"
    if cue.lower_ in PHRASAL_CUES:
        return f"{cue.text} {cue.nbor(1).text}"
    return cue.text


def cues_in(body: Body, tokens: Iterable[Token]) -> list[Token]:
    """The cues among ``tokens`` that are the writer's words, not inside quote marks."""
    return [t for t in tokens if not body.is_quoted(t) and is_cue(t)]


def cues_between(body: Body, start: int, end: int) -> list[Token]:
    """The writer's cues in the tokens touching [start, end)."""
    span = body.tokens(start, end)
    return [] if span is None else cues_in(body, span)


def subject_of(body: Body, cue: Token) -> Token | None:
    """The word a cue names as the speaker: its subject, a shared subject up the clause, `according to`'s object.

    `the official who said` names `official` (the noun a relative clause hangs on).
    """
    if cue.lower_ == ACCORDING:
        to = cue.nbor(1)
        objects = [c for c in to.children if c.dep_ == "pobj"]
        return objects[0] if objects else (to.nbor(1) if to.i + 1 < len(cue.doc) else None)
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS and not body.is_quoted(c)]
    if not subjects and cue.dep_ in ("conj", "xcomp", "advcl") and cue.head is not cue:
        subjects = [c for c in cue.head.children if c.dep_ in SUBJECT_DEPS and not body.is_quoted(c)]
    if not subjects and cue.dep_ in ("relcl", "acl") and not body.is_quoted(cue.head):
        return cue.head
    return subjects[0] if subjects else None


def governing(cues: Iterable[Token], token: Token) -> list[Token]:
    """The cues whose clause holds ``token`` (`X said the plan was “…”`: `said` holds the quote)."""
    return [c for c in cues if c.i != token.i and any(a.i == c.i for a in token.ancestors)]
