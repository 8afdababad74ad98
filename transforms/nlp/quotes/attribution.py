"""Who said a marked quote: ``STRATEGIES``, tried in order; the first to decide wins.

A strategy looks at one ``Case`` and answers with an ``Attribution`` (this speaker), with
``NOT_A_QUOTE`` (the marks hold a title or a mentioned word, nobody's words), with ``UNDECIDED``
(somebody's words, but the rules cannot tell whose: kept with no speaker rather than a guess) or
with None (not its case: try the next). A quote that no strategy decides is kept, with no
speaker. The order is part of the behaviour: a cue in the quote's own sentence beats a speaker
carried over from before, and a short quote is a mentioned word only once nobody nearer could
have said it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING

from wirestream.transforms.nlp.quotes.cues import (
    ACCORDING,
    SPEAKING_VERBS,
    Cues,
    cue_text,
    is_cue_beside_a_quote,
)
from wirestream.transforms.nlp.quotes.marks import DIRECT, PARTIAL, Marked, is_short, is_title
from wirestream.transforms.nlp.quotes.speakers import (
    PERSON_OR_ORG,
    PRONOUNS,
    SPEAKER_LABELS,
    Attribution,
    Speakers,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from wirestream.transforms.nlp.quotes.body import Body

# `Smith later said`, `Smith has said`: words that may come between a name and its cue.
BEFORE_CUE = ("also", "later", "then", "again", "has", "had")
# Quotes with no cue go on from the one before when it ended this close (characters).
CONTINUES_WITHIN = 200
# Tokens after a closing mark in which its cue is looked for (`“…,” Flynn, a top surrogate, said`).
BESIDE_TOKENS = 15
# Words that open a description of a speaker (`the editorial`, `a spokeswoman`).
DESCRIPTION_DETERMINERS = ("the", "a", "an", "his", "her", "its", "their")
# The dashes that sign a quote with its speaker's name (`“…” ― Pamela Padilla`).
SIGNING_DASHES = "―—–-"


class NotAQuote:
    """The verdict that marked words are nobody's: the title of a work, a word being mentioned."""


NOT_A_QUOTE = NotAQuote()


class Undecided:
    """The verdict that marked words are somebody's, but the rules cannot tell whose: no speaker."""


UNDECIDED = Undecided()


@dataclass(frozen=True)
class Case:
    """One marked stretch being attributed, with what the strategies read about it."""

    body: Body
    speakers: Speakers
    cues: Cues
    mark: Marked
    kind: str  # DIRECT or PARTIAL
    region_start: int  # where the quote's first sentence starts (``Body.region``)
    after_end: int  # where this quote's reach ends: its last sentence's end, or the next opening mark
    previous: tuple[Marked, Attribution] | None  # the mark just before, when it was a quote with a speaker
    region_end: int | None = None  # where the quote's last sentence ends (``Body.region``); after_end if None

    @property
    def before_range(self) -> tuple[int, int]:
        """From region_start to the opening mark."""
        return self.region_start, self.mark.start

    @property
    def after_range(self) -> tuple[int, int]:
        """From the closing mark to after_end."""
        return self.mark.end + 1, self.after_end

    @property
    def sentence_range(self) -> tuple[int, int]:
        """From the closing mark to the end of the quote's last sentence, past any other quote in it."""
        return self.mark.end + 1, max(self.after_end, self.region_end or 0)

    @cached_property
    def before(self) -> list[Token]:
        """The cues in ``before_range`` (listed only if a strategy asks: they may be thousands)."""
        return self.cues.between(*self.before_range)

    @cached_property
    def after(self) -> list[Token]:
        """The cues in ``after_range``."""
        return self.cues.between(*self.after_range)

    @cached_property
    def governing(self) -> list[Token]:
        """The cues whose clause holds the quote (``Cues.governing``); a partial quote's in its whole sentence."""
        span = self.body.tokens(self.mark.start, self.mark.end)
        if span is None or not len(span):
            return []
        after = self.sentence_range if self.kind == PARTIAL else self.after_range
        return self.cues.governing(span[0], self.before_range, after)


Verdict = Attribution | NotAQuote | Undecided | None
Strategy = Callable[[Case], Verdict]


def speaker_beside_the_closing_mark(case: Case) -> Verdict:
    """`“…,” said Smith`, `“…,” he said`, `“…,” Smith said`: a cue and its speaker right after the quote."""
    words = _words_after(case)
    if not words or (_opens_a_sentence(case, words[0]) and case.governing):
        return None  # `Sanders called it “arbitrary.” Hendler warned …`: the next sentence has its own speaker
    if is_cue_beside_a_quote(words[0]) and words[0].lower_ != ACCORDING:
        return _cue_then_name(case.speakers, words) or _first_cue_after(case)
    if words[0].lower_ in PRONOUNS and len(words) > 1 and is_cue_beside_a_quote(words[1]):
        name, _label = case.speakers.resolve(words[0].lower_, words[0].idx)
        if name is not None:
            return case.speakers.spoke(words[0], name, words[1].text)
        # `“…,” it said`: the cue's pronoun names nobody the rules can tell, and nobody else said it
        return None if _opens_a_sentence(case, words[0]) else UNDECIDED
    return (
        _name_then_cue(case.speakers, words)
        or _first_cue_after(case)
        or _name_aside_then_cue(case)
        or _description_then_cue(words)
    )


def _opens_a_sentence(case: Case, word: Token) -> bool:
    """`“… home.” She says …`: a capital after a quote that ended its sentence starts the next one."""
    return case.body.text[case.mark.end - 1 : case.mark.end] in ".?!" and word.text[:1].isupper()


def _first_cue_after(case: Case) -> Attribution | None:
    """`“…,” Flynn, a top surrogate, said`, `“…,” said the bureau's director, James Comey`: the first
    cue of the words after a direct quote, when the parse gives it a subject after the quote, a
    person or organisation (after a partial quote, that subject is seldom the quote's source)."""
    span = case.body.tokens(case.mark.end + 1, case.after_end) if case.kind == DIRECT else None
    for token in span[:BESIDE_TOKENS] if span is not None else ():
        if token.text in ".;?!" or case.body.is_quoted(token):
            break
        if not is_cue_beside_a_quote(token) or token.lower_ == ACCORDING:
            continue
        found = case.speakers.speaker_of(token)
        if found is None or found[0].idx <= case.mark.end or found[0].i >= span.end:
            return None
        subject, name, label = found
        return case.speakers.spoke(subject, name, cue_text(token)) if label in PERSON_OR_ORG else None
    return None


def _words_after(case: Case) -> list[Token]:
    """Up to eight tokens after the closing mark, commas and dashes left out."""
    span = case.body.tokens(case.mark.end + 1, case.after_end)
    if span is None or len(span) < 2:
        return []
    return list(islice((t for t in span if not (t.is_punct and t.text in ",—–-")), 8))


def _cue_then_name(speakers: Speakers, words: list[Token]) -> Attribution | None:
    for token in words[1:6]:
        hit = speakers.entity(token)
        if hit is not None and hit[1] in PERSON_OR_ORG:
            return speakers.spoke(token, hit[0], words[0].text)
        if token.text in ",.;":
            break
    return None


def _name_then_cue(speakers: Speakers, words: list[Token]) -> Attribution | None:
    hit = speakers.entity(words[0])
    if hit is None:
        return None
    for k, token in enumerate(words[1:6], start=1):
        if speakers.entity(token) == hit:
            continue  # still the name
        if is_cue_beside_a_quote(token):
            return speakers.spoke(words[0], hit[0], token.text)
        if token.lower_ in BEFORE_CUE and k + 1 < len(words) and is_cue_beside_a_quote(words[k + 1]):
            return speakers.spoke(words[0], hit[0], words[k + 1].text)
        break
    return None


def _name_aside_then_cue(case: Case) -> Attribution | None:
    """`“…,” Brent Bozell III, founder of the Media Research Center, tells …`: a name, an aside between
    commas, then a cue, where the parse hangs the name on the quote and leaves the cue with no subject."""
    span = case.body.tokens(case.mark.end + 1, case.after_end)
    tokens = [t for t in span[: 3 * BESIDE_TOKENS] if not (t.is_punct and t.text in "—–-")] if span is not None else []
    first = next((n for n, t in enumerate(tokens) if t.text != ","), len(tokens))
    hit = case.speakers.entity(tokens[first]) if first < len(tokens) else None
    if hit is None or hit[1] not in PERSON_OR_ORG:
        return None
    n = first
    while n < len(tokens) and case.speakers.entity(tokens[n]) == hit:
        n += 1
    if n >= len(tokens) or tokens[n].text != ",":
        return None
    for k in range(n + 1, min(n + 1 + BESIDE_TOKENS, len(tokens) - 1)):
        token = tokens[k]
        if token.text in ".;?!" or case.body.is_quoted(token) or is_cue_beside_a_quote(token):
            return None
        if token.text == ",":
            cue = tokens[k + 1]
            if is_cue_beside_a_quote(cue) and cue.lower_ != ACCORDING:
                return case.speakers.spoke(tokens[first], hit[0], cue.text)
            return None
    return None


def _description_then_cue(words: list[Token]) -> Attribution | None:
    """`“…,” the editorial read`, `“…,” a spokeswoman said`: a determiner, up to three lower-case words and
    a cue, right after the quote (the parse often misreads the noun; the words are plain). The phrase is
    the speaker as written."""
    if not words or words[0].lower_ not in DESCRIPTION_DETERMINERS:
        return None
    for k, token in enumerate(words[1:5], start=1):
        if is_cue_beside_a_quote(token) and k > 1:
            return Attribution(" ".join(w.text for w in words[:k]), token.text)
        if not (token.is_alpha and token.text.islower()):
            break
    return None


def name_signing_the_quote(case: Case) -> Verdict:
    """`“…” ― Pamela Padilla`, `“…” ¶ - Clinton.`: a dash and a name right after the quote sign it."""
    text, pos = case.body.text, case.mark.end + 1
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text) or text[pos] not in SIGNING_DASHES:
        return None
    pos += 1
    while pos < len(text) and text[pos] in " \u00a0":
        pos += 1
    token = case.body.token_at(pos)
    hit = case.speakers.entity(token) if token is not None else None
    if hit is not None:
        return case.speakers.spoke(token, hit[0]) if hit[1] in PERSON_OR_ORG else None
    name = _SIGNATURE.match(text, pos)  # a full name the model did not see: `― Adriana Rodarte`
    return Attribution(name.group().strip(), None) if name else None


# Two to four capitalised words, and nothing else on the line but a full stop.
_SIGNATURE = re.compile(r"(?:[A-Z][\w'’.-]*[ \u00a0]){1,3}[A-Z][\w'’-]+(?=\.?[ \t]*(?:\n|$))")


def title_of_a_work(case: Case) -> Verdict:
    """ABC's `“Good Morning America”`: a partial quote of a few capitalised words is a title."""
    return NOT_A_QUOTE if case.kind == PARTIAL and is_title(case.body.text, case.mark) else None


def cue_holding_the_quote(case: Case) -> Verdict:
    """`Hill said the wards were “full beyond anything”`: a cue whose clause the quote is part of.

    A partial quote's cue may stand past a second quote of the same sentence (`Hiring stayed
    “sluggish”, with “uneven” gains, the survey found`): its whole sentence is searched.
    """
    return case.speakers.by_cues(case.governing, case.mark.start)


def cue_in_the_quotes_sentences(case: Case) -> Verdict:
    """A cue in the quote's sentences that the parse does not link to it: the outermost, then the nearest.
    Only those before it when the quote ends its sentence (`… telling her, “…!” She replied …`)."""
    if case.before and _ends_its_sentence(case):
        return case.speakers.by_cues(case.before, case.mark.start)
    return case.speakers.by_cues(case.after + case.before, case.mark.start)


def _ends_its_sentence(case: Case) -> bool:
    """Does the quote end with a full stop, and a capital (or the paragraph's end) come after it?"""
    text = case.body.text
    rest = text[case.mark.end + 1 : case.mark.end + 40].lstrip(" \t")
    if text[case.mark.start : case.mark.end].rstrip()[-1:] not in tuple(".?!"):
        return False
    return not rest or rest[0] == "\n" or rest[0].isupper()


def speaker_before_a_colon(case: Case) -> Verdict:
    """`Kasich resisted: “…”`, `Michael McDonald: “…”`: the subject of a lead-in ending in a colon, or
    the lead-in itself when it is a name, a person or organisation (a colon hands the sentence over);
    any subject of a lead-in whose verb is a cue (`The letter continues:`)."""
    span = _lead_in(case)
    if span is None:
        return None
    tree = case.body.tree
    root = tree.root(tree.sentence(span[-1]))
    candidates = [t for t in tree.subjects(root) if span.start <= t.i < span.end]
    # then the other clauses' subjects, the one nearest the colon first (`The crowd cheers, and then Wallnau
    # continues:`, `As John Cornyn put it:`)
    candidates += [t for t in reversed(tree.subjects_in(span)) if t not in candidates]
    candidates += [t for t in span if not t.is_punct][:1]  # the lead-in's first word, for a bare name
    for token in candidates:
        if case.body.is_quoted(token):
            continue
        name, label = case.speakers.name(token)
        if name is not None and label in SPEAKER_LABELS:
            return case.speakers.spoke(token, name)
        if name is not None and label is None and token.head.i == root.i and is_cue_beside_a_quote(root):
            return Attribution(name, root.text)  # `The letter continues: “…”`, `Another added: “…”`
    return None


def _lead_in(case: Case) -> Span | None:
    """The writer's words ending in a colon right before the opening mark, from their sentence's start.

    The parse often ends a sentence at the colon (`Stated Stone: “…”`), and a colon may hand over to a
    quote in the next paragraph (`Transcript as follows:` ¶ `“…”`); these count as a lead-in too.
    """
    text = case.body.text
    colon = case.mark.start - 2  # before the opening mark, past the white space (never the text before it)
    while colon >= 0 and text[colon].isspace():
        colon -= 1
    if colon < 0 or text[colon] != ":" or case.body.paragraph(colon) < case.mark.paragraph - 1:
        return None
    sentence = case.body.sentence(colon)
    start = sentence.start_char if sentence is not None else case.region_start
    span = case.body.tokens(max(start, case.body.starts[case.body.paragraph(colon)]), colon)
    return span if span is not None and len(span) else None


def continues_the_previous_quote(case: Case) -> Verdict:
    """`“A,” he said. “B.”`: a quote with no cue goes on from the one just before (same or next paragraph),
    unless the writer names someone else in between (`… said Robinson. Bystrom agreed. “B.”`)."""
    if case.previous is None:
        return None
    mark, attribution = case.previous
    near = case.mark.start - mark.end < CONTINUES_WITHIN
    if not near or case.body.paragraph(mark.end) < case.mark.paragraph - 1:
        return None
    if case.kind == PARTIAL and _own_subject(case, attribution):
        return None  # `The Constitution mandates tenure for judges who serve in “good behavior”`
    return None if _someone_else_between(case, mark.end + 1, attribution) else attribution


def _own_subject(case: Case, attribution: Attribution) -> bool:
    """Has the partial quote's sentence a subject of its own before it, not the previous quote's speaker?"""
    return any(
        case.speakers.name(subject)[0] != attribution.speaker
        for subject in _subjects_before_the_quote(case)
        if subject.lower_ not in PRONOUNS
    )


def _subjects_before_the_quote(case: Case) -> list[Token]:
    """The subjects of the main verb of the quote's sentence, in the writer's words before the quote."""
    sent = case.body.sentence(max(case.mark.start - 1, case.region_start))
    if sent is None:
        return []
    subjects = case.body.tree.subjects(case.body.tree.root(sent))
    return [t for t in subjects if t.idx < case.mark.start and not case.body.is_quoted(t)]


def _someone_else_between(case: Case, start: int, attribution: Attribution) -> bool:
    """Does a subject in the writer's words of [start, the quote) name a person or organisation other than
    the previous quote's speaker, or a cue there name another speaker?"""
    span = case.body.tokens(start, case.mark.start)
    if span is None:
        return False
    for token in case.body.tree.subjects_in(span):
        if case.body.is_quoted(token):
            continue
        name, label = case.speakers.name(token)
        if name is not None and label in SPEAKER_LABELS and name != attribution.speaker:
            return True
    for cue in case.cues.between(start, case.mark.start):
        found = case.speakers.speaker_of(cue)
        if found is not None and found[1] != attribution.speaker:
            return True
    return False


def subject_of_a_partial_quote(case: Case) -> Verdict:
    """`Gallant vowed a “final clearing” of militants`: the sentence's subject, a person or organisation."""
    if case.kind != PARTIAL:
        return None
    for child in _subjects_before_the_quote(case):
        if child.dep_ == "nsubjpass":  # `Berg was told the ferry was “out of service”`: not who spoke
            continue
        name, label = case.speakers.name(child)
        if name is not None and label in PERSON_OR_ORG:
            return case.speakers.spoke(child, name)
        if name is not None and label is None and _is_description(child) and not is_short(case.body.text, case.mark):
            return Attribution(name, None)  # `The Florida senator sought …, saying … “…”`
    return None


def _is_description(token: Token) -> bool:
    """`The Florida senator`, `an early tweet`: a noun phrase with its determiner, which is how news
    English names a source again (PARC annotates the subject as written), never a bare word. The
    model has no tagger, so a common noun is told by its lower case."""
    return token.text[:1].islower() and any(c.dep_ == "det" and c.i < token.i for c in token.children)


def word_being_mentioned(case: Case) -> Verdict:
    """`vote “yes”`: a quote of a few words that nobody near could have said is a word being mentioned."""
    return NOT_A_QUOTE if is_short(case.body.text, case.mark) else None


def cue_naming_nobody(case: Case) -> Verdict:
    """`it called the plan “reckless”`: words a cue holds are somebody's even when its subject names
    nobody the rules can tell; a speaker from another sentence would be a guess, so there is none."""
    return UNDECIDED if case.governing else None


def cue_in_the_previous_sentence(case: Case) -> Verdict:
    """`Olsen told reporters she was tired. “…”`: the speaker of a cue in the sentence before."""
    prev = _previous_sentence(case)
    found = case.speakers.by_cues(case.cues.within(prev), prev.end_char) if prev is not None else None
    return Attribution(found.speaker, None) if found is not None else None


def subject_of_the_previous_sentence(case: Case) -> Verdict:
    """`Governor Anna Lindqvist spoke to reporters. “…”`: the subject of a sentence before about speaking
    (`spoke`, `addressed`), a person or organisation; any other sentence's subject would be a guess."""
    prev = _previous_sentence(case)
    if prev is None:
        return None
    root = case.body.tree.root(prev)
    if root.lower_ not in SPEAKING_VERBS:
        return None
    for child in case.body.tree.subjects(root):
        hit = case.speakers.entity(child)
        if hit is not None and hit[1] in PERSON_OR_ORG:
            return case.speakers.spoke(child, hit[0])
    return None


def _previous_sentence(case: Case) -> Span | None:
    return case.body.sentence(case.region_start - 3) if case.region_start > 2 else None


STRATEGIES: list[Strategy] = [
    speaker_beside_the_closing_mark,
    name_signing_the_quote,
    title_of_a_work,
    cue_holding_the_quote,
    cue_in_the_quotes_sentences,
    speaker_before_a_colon,
    subject_of_a_partial_quote,
    continues_the_previous_quote,
    cue_naming_nobody,
    word_being_mentioned,
    cue_in_the_previous_sentence,
    subject_of_the_previous_sentence,
]


def attribute(case: Case) -> Verdict:
    """The first verdict of ``STRATEGIES``; None when no strategy decides."""
    for strategy in STRATEGIES:
        verdict = strategy(case)
        if verdict is not None:
            return None if verdict is UNDECIDED else verdict
    return None
