"""Quotes and who said them, from a parsed story body.

Three kinds: DIRECT (a quoted sentence), PARTIAL (quoted words inside the writer's sentence:
``a “final clearing” of militants``) and REPORTED (``Hamas said in a statement that …``).

Quote marks are paired per paragraph (curly or straight; single marks inside double ones are
nested quotes, not new ones); a paragraph that ends inside an open quote and a next one that
opens again continue the same quote. The speaker comes from the dependency parse: the subject of
the nearest speech cue (``said``, ``told``, ``according to`` … a list kept as data below) in the
quote's sentence, an appositive resolved to its head (``Hugh Hill, a doctor, said``), a pronoun
resolved to the most recent fitting person or organisation, and, when the quote's sentence has
no cue, the speaker of the quote just before it in the paragraph (``“A,” he said. “B.”``) or the
one named in the previous sentence. Short quotes with no speaker anywhere near them are words
being mentioned (``vote “yes”``) and get no speaker.

Names are the canonical names of the story's entities (``entities.py``), so ``Gallant`` and
``he`` both come out as ``Yoav Gallant``. Pure functions over a spaCy ``Doc``; no Beam.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirestream.transforms.records.story import Entity, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

DIRECT, PARTIAL, REPORTED = "DIRECT", "PARTIAL", "REPORTED"

# Speech and attribution cues, as lemmas; every inflection is generated (``cue_forms``).
# Verbs of saying, then of writing, then verbs that report a view or characterise.
SPEECH_LEMMAS = """
    say tell add ask write tweet post explain declare insist argue note state announce warn claim
    recall reply respond acknowledge admit suggest urge predict promise vow complain
    concede caution observe remark quip joke shout yell cry plead boast counter contend maintain
    stress emphasize emphasise reiterate confirm deny call describe label dub believe think feel
    pledge assert allege charge accuse criticize criticise praise blast slam mock tout report reveal
    indicate mention lament muse chant sing read refer thank retort scoff question wonder hope
    predict estimate testify exclaim interject whisper murmur snap sneer recount recite repeat
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
PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f",
    "they": "p", "them": "p", "their": "p", "it": "n", "its": "n", "we": "p", "i": "s",
}  # fmt: skip
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Dependencies a verb (not a noun such as `call` or `report`) has.
VERB_DEPS = frozenset({"ROOT", "ccomp", "conj", "advcl", "xcomp", "relcl", "acl", "pcomp", "parataxis", "csubj", "dep"})
OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
# Quotes this short with no cue anywhere near are words being mentioned, not anyone's words.
MENTION_WORDS = 3
# AP and Reuters put titles of shows, books and films in quote marks (ABC's “Good Morning
# America”): a short capitalised run inside a sentence is a title, not anyone's words.
TITLE_WORDS = 6
TITLE_SMALL_WORDS = frozenset("a an and at by for from in of on or the to with &".split())  # noqa: SIM905
PRONOUN_LOOKBACK = 1500  # characters: how far back a pronoun may find its person


@dataclass
class Marked:
    """A stretch between double quote marks: [start, end) excludes the marks."""

    start: int
    end: int
    paragraph: int
    closed: bool = True  # False: it ran to the end of its paragraph with no closing mark


@dataclass
class Attribution:
    speaker: str | None
    cue: str | None
    position: int  # where the speaker was found, for ordering


def paragraph_starts(body: str) -> list[int]:
    """Offsets of the paragraphs in a body joined with blank lines (``Story.body``)."""
    starts, pos = [0], body.find("\n\n")
    while pos >= 0:
        starts.append(pos + 2)
        pos = body.find("\n\n", pos + 2)
    return starts


def _opens(text: str, i: int) -> bool:
    """Is the straight mark at ``i`` an opening one (start, space or bracket before it)?"""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/"


def find_marked(body: str, starts: Sequence[int]) -> list[Marked]:
    """Every double-quoted stretch, paragraph by paragraph; multi-paragraph quotes joined."""
    found: list[Marked] = []
    carry: Marked | None = None
    for index, start in enumerate(starts):
        end = starts[index + 1] - 2 if index + 1 < len(starts) else len(body)
        open_at: int | None = None
        for i in range(start, end):
            ch = body[i]
            opening = ch in OPEN_DOUBLE or (ch == '"' and open_at is None and _opens(body, i))
            closing = ch in CLOSE_DOUBLE or (ch == '"' and open_at is not None)
            if opening and open_at is None:
                if carry is not None and body[start:i].strip() == "":
                    open_at = carry.start  # the quote goes on from the paragraph before
                    carry = None
                    continue
                open_at = i + 1
            elif closing and open_at is not None:
                found.append(Marked(open_at, i, index))
                open_at = None
        if carry is not None:  # the paragraph did not reopen the quote: it ended there
            found.append(carry)
            carry = None
        if open_at is not None:
            carry = Marked(open_at, end, index, closed=False)
    if carry is not None:
        found.append(carry)
    for mark in found:
        mark.paragraph = bisect_right(starts, mark.start) - 1
    return found


class _Mentions:
    """Entity mentions by character offset, each with its entity's canonical name and label."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.spans = sorted(
            (s.start, s.end, e.text, e.label) for e in entities if e.label in SPEAKER_LABELS for s in e.spans
        )
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


class QuoteFinder:
    """Finds the quotes of one parsed body; ``find()`` returns them in text order."""

    def __init__(self, doc: Doc, entities: Sequence[Entity]) -> None:
        self.doc = doc
        self.text = doc.text
        self.starts = paragraph_starts(self.text)
        self.mentions = _Mentions(entities)
        self.marked = find_marked(self.text, self.starts)
        self.inside = [False] * (len(self.text) + 1)
        for m in self.marked:
            for i in range(max(0, m.start - 1), min(len(self.text), m.end + 1)):
                self.inside[i] = True
        self.genders = self._genders()
        self.speakers: list[tuple[int, str, str]] = []  # (position, name, label) of attributed speakers

    # -- cues and speakers ------------------------------------------------------------------

    def _is_cue(self, token: Token) -> bool:
        low = token.lower_
        if low in SPEECH_VERBS:
            return (token.is_lower or token.is_sent_start) and token.dep_ in VERB_DEPS
        if low in PHRASAL_CUES:
            nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
            return nxt is not None and nxt.lower_ == PHRASAL_CUES[low]
        if low == ACCORDING:
            return token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to"
        return False

    def _cues(self, start: int, end: int) -> list[Token]:
        """Cue tokens outside quote marks within [start, end)."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        return [t for t in span if not self.inside[t.idx] and self._is_cue(t)]

    def _speaker_token(self, cue: Token) -> Token | None:
        if cue.lower_ == ACCORDING:
            to = cue.nbor(1)
            objs = [c for c in to.children if c.dep_ == "pobj"]
            return objs[0] if objs else (to.nbor(1) if to.i + 1 < len(cue.doc) else None)
        subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS and not self.inside[c.idx]]
        if not subjects and cue.dep_ in ("conj", "xcomp", "advcl") and cue.head is not cue:
            subjects = [c for c in cue.head.children if c.dep_ in SUBJECT_DEPS and not self.inside[c.idx]]
        if not subjects and cue.dep_ in ("relcl", "acl") and not self.inside[cue.head.idx]:
            return cue.head
        return subjects[0] if subjects else None

    def _name_of(self, token: Token, at: int) -> tuple[str | None, str | None]:
        """(speaker name, label) for the subject token: entity, resolved pronoun or noun phrase."""
        low = token.lower_
        if low in PRONOUNS:
            return self._resolve(low, at)
        hit = self.mentions.at(token.idx, token.idx + len(token))
        if hit is not None:
            return hit
        for child in token.subtree:  # `a spokesman for the Clinton campaign` keeps the phrase
            if child.dep_ == "appos":
                inner = self.mentions.at(child.idx, child.idx + len(child))
                if inner is not None and inner[1] == "PERSON":
                    return inner
        left = [t for t in token.lefts if t.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod")]
        first = min((t.left_edge.i for t in left), default=token.i)
        phrase = self.doc[first : token.i + 1].text
        if token.pos_ == "PROPN" or token.text[:1].isupper() or len(phrase) > 2:
            if phrase.lower() in ("who", "that", "which", "this", "there"):
                return None, None
            return phrase, None
        return None, None

    def _genders(self) -> dict[str, str]:
        """A person's gender as the text shows it: titles, and he/she/his/her after them as subject."""
        votes: dict[str, Counter[str]] = {}
        for s, _e, name, label in self.mentions.spans:
            if label != "PERSON":
                continue
            before = self.text[max(0, s - 5) : s]
            tally = votes.setdefault(name, Counter())
            if re.search(r"\bMrs?\.?\s$|\bMs\.?\s$", before):
                tally["f" if "s" in before.lower() else "m"] += 2
            after = self.text[s : s + 120].split(".")[0].lower()
            for word in re.findall(r"\b(he|his|him|she|her)\b", after):
                tally[PRONOUNS[word]] += 1
        return {name: tally.most_common(1)[0][0] for name, tally in votes.items() if tally}

    def _resolve(self, pronoun: str, at: int) -> tuple[str | None, str | None]:
        """The person or organisation a pronoun before ``at`` most likely stands for.

        Salience, most recent first: a fitting name that is the subject of a main clause
        (`Ryan said Obama …` → Ryan), then one that is the subject of any clause, then any
        fitting mention. Gender, where the text shows it, must agree.
        """
        kind = PRONOUNS[pronoun]
        labels = {"m": ("PERSON",), "f": ("PERSON",), "n": ("ORG", "GPE"), "p": ("ORG", "NORP", "GPE")}.get(
            kind, ("PERSON",)
        )
        fitting = [
            (s, name, label)
            for s, name, label in self.mentions.before(at, labels, max(0, at - PRONOUN_LOOKBACK))
            if kind not in ("m", "f") or self.genders.get(name, kind) == kind
        ]
        for role in ("main", "any"):
            for s, name, label in fitting:
                if self._subject_role(s) in (("main",) if role == "main" else ("main", "sub")):
                    return name, label
        if fitting:
            return fitting[0][1], fitting[0][2]
        return None, None

    def _subject_role(self, pos: int) -> str | None:
        """`main` for the subject of a sentence's main verb, `sub` for another subject, else None."""
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is None or not len(span):
            return None
        token = span[0]
        while token.dep_ in ("compound", "flat") and token.head is not token:
            token = token.head
        if token.dep_ not in SUBJECT_DEPS or self.inside[token.idx]:
            return None
        verb = token.head
        main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
        return "main" if main else "sub"

    def _attribute(self, cues: list[Token], near: int) -> Attribution | None:
        """The speaker of the outermost cue (a sentence's main verb first), nearest ``near`` next."""
        for cue in sorted(cues, key=lambda t: (sum(1 for _ in t.ancestors), abs(t.idx - near))):
            subject = self._speaker_token(cue)
            if subject is None:
                continue
            name, label = self._name_of(subject, subject.idx)
            if name is None:
                continue
            cue_text = "according to" if cue.lower_ == ACCORDING else cue.text
            if cue.lower_ in PHRASAL_CUES:
                cue_text = f"{cue.text} {cue.nbor(1).text}"
            if label is not None:
                self.speakers.append((subject.idx, name, label))
            return Attribution(name, cue_text, subject.idx)
        return None

    # -- sentences ----------------------------------------------------------------------------

    def _sentence(self, pos: int) -> Span | None:
        span = self.doc.char_span(pos, min(pos + 1, len(self.text)), alignment_mode="expand")
        return span[0].sent if span is not None and len(span) else None

    def _region(self, mark: Marked) -> tuple[int, int]:
        """From the sentence the quote opens in to the one holding the first word after it."""
        first = self._sentence(max(mark.start - 1, 0))
        para_start = self.starts[mark.paragraph]
        end_para = bisect_right(self.starts, mark.end) - 1
        para_end = self.starts[end_para + 1] - 2 if end_para + 1 < len(self.starts) else len(self.text)
        nxt = mark.end + 1
        while nxt < para_end and self.text[nxt].isspace():
            nxt += 1
        if nxt < para_end and self.text[nxt] not in OPEN_DOUBLE + '"':
            last = self._sentence(nxt)
        else:
            last = self._sentence(max(mark.end - 1, mark.start))
        start = first.start_char if first is not None else mark.start
        end = last.end_char if last is not None else mark.end
        return max(start, para_start), max(min(end, para_end), mark.end)

    def _kind(self, mark: Marked, region_start: int) -> str:
        before = self.text[region_start : mark.start - 1]
        quoted = self.text[mark.start : mark.end].lstrip()
        if not quoted[:1].isupper() and not quoted[:1].isdigit():
            return PARTIAL
        stripped = before.strip()
        if not stripped or stripped.endswith((":", ".", "?", "!", "”", '"')):
            return DIRECT
        if stripped.endswith(",") and self._cues(region_start, mark.start - 1):
            return DIRECT
        return PARTIAL

    def _adjacent_after(self, mark: Marked, limit: int) -> Attribution | None:
        """`“…,” said Smith` and `“…,” Smith said` / `he said`: the speaker right beside the cue."""
        span = self.doc.char_span(mark.end + 1, limit, alignment_mode="expand") if mark.end + 1 < limit else None
        if span is None or len(span) < 2:
            return None
        tokens = [t for t in span if not (t.is_punct and t.text in ",—–-")][:8]
        if not tokens:
            return None
        if self._is_cue(tokens[0]) and tokens[0].lower_ != ACCORDING:
            cue = tokens[0]
            for token in tokens[1:6]:
                hit = self.mentions.at(token.idx, token.idx + len(token))
                if hit is not None and hit[1] in ("PERSON", "ORG"):
                    self.speakers.append((token.idx, *hit))
                    return Attribution(hit[0], cue.text, token.idx)
                if token.text in ",.;":
                    break
            return None
        first = tokens[0]
        if first.lower_ in PRONOUNS and len(tokens) > 1 and self._is_cue(tokens[1]):
            name, label = self._resolve(first.lower_, first.idx)
            if name is not None:
                self.speakers.append((first.idx, name, label or ""))
                return Attribution(name, tokens[1].text, first.idx)
            return None
        hit = self.mentions.at(first.idx, first.idx + len(first))
        if hit is None:
            return None
        for k, token in enumerate(tokens[1:6], start=1):
            if self.mentions.at(token.idx, token.idx + len(token)) == hit:
                continue
            if self._is_cue(token) or (
                token.lower_ in ("also", "later", "then", "again", "has", "had")
                and k + 1 < len(tokens)
                and self._is_cue(tokens[k + 1])
            ):
                self.speakers.append((first.idx, *hit))
                cue = token if self._is_cue(token) else tokens[k + 1]
                return Attribution(hit[0], cue.text, first.idx)
            break
        return None

    def _is_title(self, mark: Marked) -> bool:
        """`“Good Morning America”`, `“Scandal,”`: a few capitalised words and no sentence inside."""
        words = self.text[mark.start : mark.end].strip().rstrip(".,").split()
        if not words or len(words) > TITLE_WORDS or not words[0][:1].isupper():
            return False
        if any(ch in w for w in words for ch in ".!?;:"):
            return False
        return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in TITLE_SMALL_WORDS for w in words)

    def _governing(self, cues: list[Token], mark: Marked) -> list[Token]:
        """Cues whose clause holds the quote, outermost first (`X said the plan “…”`)."""
        span = self.doc.char_span(mark.start, mark.end, alignment_mode="expand")
        if span is None or not len(span):
            return []
        first = span[0]

        def depth(token: Token) -> int:
            return sum(1 for _ in token.ancestors)

        holding = [c for c in cues if c.i != first.i and any(a.i == c.i for a in first.ancestors)]
        return sorted(holding, key=depth)

    def _root_subject(self, region_start: int, mark: Marked) -> Attribution | None:
        """A partial quote with no cue: the sentence's subject, when it is a person or organisation."""
        sent = self._sentence(max(mark.start - 1, region_start))
        if sent is None:
            return None
        root = sent.root
        for child in root.children:
            if child.dep_ in SUBJECT_DEPS and not self.inside[child.idx] and child.idx < mark.start:
                if child.lower_ in ("he", "she"):
                    name, label = self._resolve(child.lower_, child.idx)
                else:
                    name, label = self._name_of(child, child.idx)
                if name is not None and label in ("PERSON", "ORG"):
                    self.speakers.append((child.idx, name, label))
                    return Attribution(name, None, child.idx)
        return None

    # -- the whole body -------------------------------------------------------------------------

    def find(self) -> list[Quote]:
        quotes: list[Quote] = []
        previous: tuple[Marked, Attribution | None] | None = None
        for n, mark in enumerate(self.marked):
            if mark.end <= mark.start or not self.text[mark.start : mark.end].strip():
                continue
            region_start, region_end = self._region(mark)
            kind = self._kind(mark, region_start)
            words = len(self.text[mark.start : mark.end].split())
            # a cue between the closing mark and the next opening one belongs to this quote
            next_open = self.marked[n + 1].start - 1 if n + 1 < len(self.marked) else region_end
            after_end = min(region_end, next_open) if next_open > mark.end else region_end
            after = self._cues(mark.end + 1, after_end)
            before = self._cues(region_start, mark.start)
            attribution = self._adjacent_after(mark, after_end)
            if attribution is None and kind == PARTIAL and self._is_title(mark):
                previous = (mark, None)
                continue  # the title of a work, not a quote
            if attribution is None:
                attribution = self._attribute(self._governing(before + after, mark), mark.start)
            if attribution is None:
                attribution = self._attribute(after + before, mark.start)
            if attribution is None and previous is not None:
                prev_mark, prev_attr = previous
                between = self.text[prev_mark.end : mark.start]
                prev_para = bisect_right(self.starts, prev_mark.end) - 1
                if prev_attr is not None and prev_para >= mark.paragraph - 1 and len(between) < 200:
                    attribution = Attribution(prev_attr.speaker, prev_attr.cue, prev_attr.position)
            if attribution is None and kind == PARTIAL:
                attribution = self._root_subject(region_start, mark)
            if attribution is None and words > MENTION_WORDS:
                attribution = self._previous_sentence_speaker(region_start)
            if attribution is None and words <= MENTION_WORDS:
                previous = (mark, None)
                continue  # a word being mentioned (vote “yes”), not a quote
            quotes.append(self._quote(mark, kind, attribution))
            previous = (mark, attribution)
        quotes.extend(self._reported())
        quotes.sort(key=lambda q: q.start)
        return quotes

    def _previous_sentence_speaker(self, region_start: int) -> Attribution | None:
        """The subject of a cue in the sentence before, else the last speaker in the paragraph before."""
        prev = self._sentence(region_start - 3) if region_start > 2 else None
        if prev is not None:
            cues = [t for t in prev if self._is_cue(t) and not self.inside[t.idx]]
            found = self._attribute(cues, prev.end_char)
            if found is not None:
                return Attribution(found.speaker, None, found.position)
            for child in prev.root.children:  # `Governor Anna Lindqvist spoke to reporters.`
                hit = self.mentions.at(child.idx, child.idx + len(child)) if child.dep_ in SUBJECT_DEPS else None
                if hit is not None and hit[1] in ("PERSON", "ORG"):
                    self.speakers.append((child.idx, *hit))
                    return Attribution(hit[0], None, child.idx)
        if self.speakers and region_start - self.speakers[-1][0] < 600:
            pos, name, _label = self.speakers[-1]
            return Attribution(name, None, pos)
        return None

    def _quote(self, mark: Marked, kind: str, attribution: Attribution | None) -> Quote:
        start, end = mark.start, mark.end
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and (self.text[end - 1].isspace() or self.text[end - 1] in ",;"):
            end -= 1
        return Quote(
            text=self.text[start:end],
            speaker=attribution.speaker if attribution else None,
            kind=kind,
            cue=attribution.cue if attribution else None,
            paragraph=bisect_right(self.starts, start) - 1,
            start=start,
            end=end,
        )

    def _reported(self) -> list[Quote]:
        """``X said (that) …`` sentences with no quote marks: the clause as a REPORTED quote."""
        out = []
        for sent in self.doc.sents:
            if any(self.inside[i] for i in range(sent.start_char, sent.end_char)):
                continue
            for token in sent:
                if not self._is_cue(token) or token.lower_ in PHRASAL_CUES:
                    continue
                clause = self._reported_clause(token, sent)
                if clause is None:
                    continue
                attribution = self._attribute([token], token.idx)
                if attribution is None:
                    continue
                start, end = clause
                out.append(
                    Quote(
                        text=self.text[start:end],
                        speaker=attribution.speaker,
                        kind=REPORTED,
                        cue=attribution.cue,
                        paragraph=bisect_right(self.starts, start) - 1,
                        start=start,
                        end=end,
                    )
                )
                break
        return out

    def _reported_clause(self, cue: Token, sent: Span) -> tuple[int, int] | None:
        if cue.lower_ == ACCORDING:
            before = [t for t in sent if t.i < cue.i and not t.is_punct]
            if len(before) < 3:
                return None
            return before[0].idx, before[-1].idx + len(before[-1])
        clauses = [c for c in cue.children if c.dep_ == "ccomp" and c.i > cue.i]
        if not clauses:  # `said in a statement that …`: the clause hangs lower in the tree
            clauses = [
                t
                for t in cue.subtree
                if t.dep_ in ("ccomp", "acl")
                and t.i > cue.i
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children)
            ][:1]
        if not clauses:
            return None
        tokens = [t for t in clauses[0].subtree if not (t.dep_ == "mark" and t.lower_ == "that")]
        tokens = [t for t in tokens if not t.is_punct or t.i < tokens[-1].i]
        if len(tokens) < 3:
            return None
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def quotes_from_doc(doc: Doc, entities: Sequence[Entity]) -> list[Quote]:
    """The quotes in a parsed body (``Story.body``), speakers named by the story's entities."""
    return QuoteFinder(doc, entities).find()
