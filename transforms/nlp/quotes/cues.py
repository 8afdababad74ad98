"""Speech cues: the words saying that someone speaks (`said`, `told`, `went on`, `according to` …).

The list is kept as data (lemmas, every inflection generated). A cue counts only outside quote
marks, and as a verb: `call` and `report` are nouns too. What a cue names is its subject in the
dependency parse (`according to`'s object), found here; turning that into a name is ``speakers``.
The writer's cues are found once per body (``Cues``): a quote asks for those in its sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from wirestream.transforms.nlp.quotes.tree import with_attr

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

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
CUE_WORDS = SPEECH_VERBS | PHRASAL_CUES.keys() | {ACCORDING}  # what a cue's lower-case form can be
# Ancestors climbed before the tree's subtree order is worth building (a parse is seldom deeper).
FEW_ANCESTORS = 64
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


class Cues:
    """The writer's cues of one body (not inside quote marks), found once, in text order.

    A range of them is two bisects: scanning the quote's sentence for each quote was quadratic
    in a sentence of thousands of quotes.
    """

    def __init__(self, body: Body) -> None:
        self.body = body
        doc = body.doc
        words = [doc[i] for i in with_attr(doc, "LOWER", CUE_WORDS)]  # cheap to find, then checked
        self.tokens = [t for t in words if not body.is_quoted(t) and is_cue(t)]
        self._at = [t.i for t in self.tokens]
        self._index = {i: n for n, i in enumerate(self._at)}

    def _slice(self, span: Span | None) -> tuple[int, int]:
        """Which of ``tokens`` are in ``span``, as a slice."""
        if span is None:
            return 0, 0
        return bisect_left(self._at, span.start), bisect_left(self._at, span.end)

    def _range(self, start: int, end: int) -> tuple[int, int]:
        return self._slice(self.body.tokens(start, end))

    def within(self, span: Span) -> list[Token]:
        """The cues among the tokens of ``span``."""
        lo, hi = self._slice(span)
        return self.tokens[lo:hi]

    def between(self, start: int, end: int) -> list[Token]:
        """The cues in the tokens touching [start, end)."""
        lo, hi = self._range(start, end)
        return self.tokens[lo:hi]

    def any_between(self, start: int, end: int) -> bool:
        """Is there a cue in the tokens touching [start, end)? (Without copying them out.)"""
        lo, hi = self._range(start, end)
        return lo < hi

    def governing(self, token: Token, *ranges: tuple[int, int]) -> list[Token]:
        """The cues in the character ``ranges`` whose clause holds ``token``, in text order.

        `X said the plan was “…”`: `said` holds the quote. Found by climbing the token's ancestors
        or, when they are many more than the ranges' cues, by checking those cues: in a run-on
        sentence of cued quotes the cues are thousands, in a long list (spaCy chains conjuncts)
        the ancestors.
        """
        tree = self.body.tree
        slices = [self._range(start, end) for start, end in ranges]
        listed = sum(hi - lo for lo, hi in slices)
        if tree.depth(token) > max(listed, FEW_ANCESTORS):
            return [c for lo, hi in slices for c in self.tokens[lo:hi] if tree.governs(c, token)]
        held = [a for a in token.ancestors if any(lo <= self._index.get(a.i, -1) < hi for lo, hi in slices)]
        return sorted(held, key=lambda t: t.i)


def subject_of(body: Body, cue: Token) -> Token | None:
    """The word a cue names as the speaker: its subject, a shared subject up the clause, `according to`'s object.

    `the official who said` names `official` (the noun a relative clause hangs on).
    """
    if cue.lower_ == ACCORDING:
        to = cue.nbor(1)
        objects = [c for c in body.tree.children(to) if c.dep_ == "pobj"]
        return objects[0] if objects else (to.nbor(1) if to.i + 1 < len(cue.doc) else None)
    subjects = [c for c in body.tree.subjects(cue) if not body.is_quoted(c)]
    if not subjects and cue.dep_ in ("conj", "xcomp", "advcl") and cue.head is not cue:
        subjects = [c for c in body.tree.subjects(cue.head) if not body.is_quoted(c)]
    if not subjects and cue.dep_ in ("relcl", "acl") and not body.is_quoted(cue.head):
        return cue.head
    return subjects[0] if subjects else None
