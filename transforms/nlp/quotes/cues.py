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
# Verbs of saying, then of writing, then verbs that report a view, characterise or find. English's
# reporting verbs as grammars list them, not words seen in any one corpus.
SPEECH_LEMMAS = """
    say tell add ask write tweet post explain declare insist argue note state announce warn claim
    recall reply respond acknowledge admit suggest urge predict promise vow complain
    concede caution observe remark quip joke shout yell cry plead boast counter contend maintain
    stress emphasize emphasise reiterate confirm deny call describe label dub believe think feel
    pledge assert allege charge accuse criticize criticise praise blast slam mock tout report reveal
    indicate mention lament muse chant sing read refer thank retort scoff question wonder hope
    estimate testify exclaim interject whisper murmur snap sneer recount recite repeat
    proclaim concur agree disagree object protest demand implore inquire advise
    affirm assure reassure attest aver confess confide clarify comment elaborate specify opine posit
    speculate theorize theorise reason suppose imagine reckon guess doubt fear worry conclude
    find echo cite quote paraphrase recap summarize summarise narrate relate recollect reminisce
    inform notify remind brief instruct order
    apologize apologise brag gush rave rant rail fume grumble gripe grouse groan sigh whine moan
    mutter mumble stammer bark growl snarl hiss roar bellow holler scream thunder
    tease chide scold rebuke reprimand admonish lecture preach
    brand term characterize characterise portray deem decry denounce condemn dismiss deride ridicule
    lambaste castigate chastise excoriate assail taunt hail laud applaud commend compliment
    dispute rebut refute reject challenge swear threaten guarantee forecast propose react
""".split()  # noqa: SIM905 (a word list reads best as words)
# Forms that the regular rules of ``cue_forms`` do not make, by lemma.
IRREGULAR_FORMS = {
    "say": "said", "tell": "told", "write": "wrote written", "think": "thought", "feel": "felt",
    "sing": "sang sung", "cry": "cried", "reply": "replied", "deny": "denied", "quip": "quipped quipping",
    "find": "found", "swear": "swore sworn", "speak": "spoke spoken", "go": "went gone goes",
}  # fmt: skip


def cue_forms(lemmas: list[str]) -> frozenset[str]:
    """Every regular inflection of each lemma (`call` → calls, called, calling), irregulars added."""
    forms: set[str] = set()
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma, stem + "ing", lemma + "d" if lemma.endswith("e") else lemma + "ed"})
        forms.add(lemma + "es" if lemma.endswith(("s", "sh", "ch", "x")) else lemma + "s")
        if lemma.endswith("y") and lemma[-2] not in "aeiou":
            forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
        if re.fullmatch(r".*[^aeiou][aeiou][bdglmpt]", lemma) and lemma not in ("counter", "report"):
            forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})  # quip → quipped
        forms.update(IRREGULAR_FORMS.get(lemma, "").split())
    return frozenset(forms)


SPEECH_VERBS = cue_forms(SPEECH_LEMMAS)
# "went on", "pointed out", "weighed in": a verb that is a cue only with its particle. (Not "fired
# back" or "pushed back": war copy fires, and a vote is pushed back.)
PHRASAL_LEMMAS = {
    "go": "on", "point": "out", "speak": "of", "weigh": "in", "chime": "in", "sum": "up",
    "lash": "out", "spell": "out", "put": "it",
}  # fmt: skip
PHRASAL_CUES = {form: particle for lemma, particle in PHRASAL_LEMMAS.items() for form in cue_forms([lemma])}
# Verbs that say someone took the floor without saying what they said (`spoke to reporters`):
# a quote that follows with no cue of its own is theirs.
SPEAKING_VERBS = cue_forms(["speak", "talk", "address", "appear", "testify"])
# Verbs that are cues only right beside a quote (`“…,” he continued`): `talks continued` is no speech.
BESIDE_ONLY_CUES = cue_forms(["continue", "begin", "finish"])
ACCORDING = "according"
CUE_WORDS = SPEECH_VERBS | PHRASAL_CUES.keys() | {ACCORDING}  # what a cue's lower-case form can be
# How a clause hangs on the one above when it is not what that one's verb says: coordinated, adverbial,
# relative, or set beside it. Past such a clause with its own subject, the verbs above are not its cue.
OWN_CLAUSE_DEPS = frozenset({"conj", "advcl", "relcl", "parataxis"})
CONDITIONS = frozenset({"if", "unless", "whether"})
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


def is_cue_beside_a_quote(token: Token) -> bool:
    """A cue, or a verb that is one right after a closing mark (``BESIDE_ONLY_CUES``)."""
    if token.lower_ in BESIDE_ONLY_CUES:
        return (token.is_lower or token.is_sent_start) and token.dep_ in VERB_DEPS
    return is_cue(token)


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
        held = [a for a in self._clauses_above(token) if any(lo <= self._index.get(a.i, -1) < hi for lo, hi in slices)]
        return sorted(held, key=lambda t: t.i)

    def _clauses_above(self, token: Token) -> list[Token]:
        """The token's ancestors up to the first clause with a subject of its own that is joined to the one
        above rather than said by it: `NBC News will accuse you of a “freak out”` in `the Post will brand you
        a liar and NBC News will accuse …`, `before officials portrayed it as a “workplace” issue` after `the
        name was announced`. A complement (`Obama said Americans will say “no”`) is what the verb above says,
        so the climb goes on past it."""
        above: list[Token] = []
        node = token
        while node.head.i != node.i:
            if node.dep_ in OWN_CLAUSE_DEPS and _own_subject(self.body, node) and not _hypothetical(node):
                break
            node = node.head
            above.append(node)
        return above


def _own_subject(body: Body, verb: Token) -> bool:
    return any(not body.is_quoted(s) for s in body.tree.subjects(verb))


def _hypothetical(clause: Token) -> bool:
    """`He says if people think it will be fixed by “…”`: a condition is no speech of its own; what it
    holds is what the verb above says."""
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in clause.children)


def subject_of(body: Body, cue: Token) -> Token | None:
    """The word a cue names as the speaker: its subject, a shared subject up the clause, `according to`'s object.

    `the official who said` names `official` (the noun a relative clause hangs on); `X issued a
    statement saying` names X.
    """
    if cue.lower_ == ACCORDING:
        to = cue.nbor(1)
        objects = [c for c in body.tree.children(to) if c.dep_ == "pobj"]
        return objects[0] if objects else (to.nbor(1) if to.i + 1 < len(cue.doc) else None)
    subjects = [c for c in body.tree.subjects(cue) if not body.is_quoted(c)]
    if subjects:
        # a verb has one subject: where the parse gives two, the farther is a dateline or a fronted
        # phrase (`LONDON (Reuters) - Donald Trump said`)
        subject = min(subjects, key=lambda s: abs(s.i - cue.i))
        return _agent(body, cue) if subject.dep_ == "nsubjpass" else subject
    if cue.dep_ in ("conj", "xcomp", "advcl") and cue.head.i != cue.i:  # `X was asked, saying …` names X
        subjects = [c for c in body.tree.subjects(cue.head) if not body.is_quoted(c)]
    if cue.dep_ == "pcomp" and cue.head.lower_ == "as":  # `X was quoted as saying …` names X
        subjects = [c for c in body.tree.subjects(cue.head.head) if not body.is_quoted(c)]
    if not subjects and cue.dep_ in ("relcl", "acl") and not body.is_quoted(cue.head):
        return _who_issued(body, cue.head) if cue.dep_ == "acl" else cue.head
    return min(subjects, key=lambda s: abs(s.i - cue.i)) if subjects else None


def _agent(body: Body, cue: Token) -> Token | None:
    """`Trump was asked …`, `the plan was called “…” by the mayor`: a passive cue's subject is who was
    spoken to or of, never the speaker; the speaker is its `by` phrase, if it has one."""
    for child in body.tree.children(cue):
        if child.dep_ == "agent":
            return next((c for c in body.tree.children(child) if c.dep_ == "pobj"), None)
        if child.dep_ in ("oprd", "dobj"):  # the parse hangs `by` on the name given: `called “…” by the mayor`
            by = [c for c in body.tree.children(child) if c.lower_ == "by" and not body.is_quoted(c)]
            if by:
                return next((c for c in body.tree.children(by[0]) if c.dep_ == "pobj"), None)
    return None


def _who_issued(body: Body, noun: Token) -> Token:
    """`X issued a statement saying …`: the subject of the verb whose object the noun is (X), else the noun."""
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    if noun.dep_ in ("dobj", "pobj") and verb.i != noun.i:
        subjects = [c for c in body.tree.subjects(verb) if not body.is_quoted(c)]
        if subjects:
            return subjects[0]
    return noun
