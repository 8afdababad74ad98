"""Reported speech: `Hamas said in a statement that …` with no quote marks, the clause as a REPORTED quote.

One per sentence at most (its first cue with a clause and a speaker), and only in sentences with
no quote marks: a quoted sentence's cue belongs to its quote.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property
from typing import TYPE_CHECKING

from wirestream.transforms.nlp.quotes.cues import ACCORDING, PHRASAL_CUES
from wirestream.transforms.nlp.quotes.tree import with_attr

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from wirestream.transforms.nlp.quotes.body import Body
    from wirestream.transforms.nlp.quotes.cues import Cues
    from wirestream.transforms.nlp.quotes.speakers import Speakers
    from wirestream.transforms.records.story import Quote

REPORTED = "REPORTED"
# Tokens a cue's subtree may span before its `that` clause is looked up rather than read.
SMALL_SUBTREE = 200


def reported_quotes(body: Body, speakers: Speakers, cues: Cues) -> list[Quote]:
    """``X said (that) …`` sentences with no quote marks, each as a REPORTED quote of its clause.

    A cue's speaker is asked before its clause: the speaker is remembered per cue, while a clause
    is a walk down the parse, which for every cue of a long sentence of cues would be quadratic.
    """
    out = []
    that_clauses = ThatClauses(body)
    for sent in body.doc.sents:
        if True in body.quoted[sent.start_char : sent.end_char]:
            continue
        words = Words(sent)
        for cue in cues.within(sent):
            if cue.lower_ in PHRASAL_CUES:
                continue
            attribution = speakers.by_cues([cue], cue.idx)
            clause = _clause(body, cue, words, that_clauses) if attribution is not None else None
            if clause is not None:
                out.append(body.quote(*clause, REPORTED, attribution))
                break
    return out


class Words:
    """A sentence's words (punctuation left out), listed on first use: only `according to` asks."""

    def __init__(self, sent: Span) -> None:
        self.sent = sent

    @cached_property
    def _at(self) -> list[int]:
        return [t.i for t in self.sent if not t.is_punct]

    def before(self, token: Token) -> tuple[int, int] | None:
        """The character span from the sentence's first word to the last word before ``token``, if 3 or more."""
        count = bisect_left(self._at, token.i)
        if count < 3:
            return None
        first, last = self.sent.doc[self._at[0]], self.sent.doc[self._at[count - 1]]
        return first.idx, last.idx + len(last)


class ThatClauses:
    """The body's `that` clauses (a ccomp or acl with a `that` marker) in ``Token.subtree`` order, found once."""

    def __init__(self, body: Body) -> None:
        self.tree = body.tree
        self.doc = body.doc

    def _is_clause(self, token: Token) -> bool:
        return token.dep_ in ("ccomp", "acl") and any(_is_that(c) for c in self.tree.children(token))

    @cached_property
    def _found(self) -> tuple[list[Token], list[int]]:
        marks = (self.doc[i] for i in with_attr(self.doc, "LOWER", ["that"]))
        heads = {t.head for t in marks if _is_that(t) and t.head.i != t.i}
        found = sorted((t for t in heads if t.dep_ in ("ccomp", "acl")), key=self.tree.position)
        return found, [self.tree.position(t) for t in found]

    def first_below(self, cue: Token) -> Token | None:
        """The first `that` clause after the cue in its subtree (``cue.subtree`` order).

        A small subtree is read as it is; a large one (one of a long sentence of cues) by bisection.
        """
        if cue.right_edge.i - cue.left_edge.i < SMALL_SUBTREE:
            return next((t for t in cue.subtree if t.i > cue.i and self._is_clause(t)), None)
        found, at = self._found
        first, last = self.tree.subtree_positions(cue)
        for k in range(bisect_left(at, first), bisect_left(at, last + 1)):
            if found[k].i > cue.i:
                return found[k]
        return None


def _is_that(token: Token) -> bool:
    return token.dep_ == "mark" and token.lower_ == "that"


def _clause(body: Body, cue: Token, words: Words, that_clauses: ThatClauses) -> tuple[int, int] | None:
    """What the cue reports: its `that` clause (the `that` left out), or the words before `according to`."""
    if cue.lower_ == ACCORDING:
        return words.before(cue)
    clause = next((c for c in body.tree.children(cue) if c.dep_ == "ccomp" and c.i > cue.i), None)
    if clause is None:  # `said in a statement that …`: the clause hangs lower in the tree
        clause = that_clauses.first_below(cue)
    if clause is None:
        return None
    tokens = [t for t in clause.subtree if not _is_that(t)]
    tokens = [t for t in tokens if not t.is_punct or t.i < tokens[-1].i]
    if len(tokens) < 3:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])
