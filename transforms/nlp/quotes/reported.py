"""Reported speech: `Hamas said in a statement that …` with no quote marks, the clause as a REPORTED quote.

One per sentence at most (its first cue with a clause and a speaker), and only in sentences with
no quote marks: a quoted sentence's cue belongs to its quote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wirestream.transforms.nlp.quotes.cues import ACCORDING, PHRASAL_CUES, is_cue

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from wirestream.transforms.nlp.quotes.body import Body
    from wirestream.transforms.nlp.quotes.speakers import Speakers
    from wirestream.transforms.records.story import Quote

REPORTED = "REPORTED"


def reported_quotes(body: Body, speakers: Speakers) -> list[Quote]:
    """``X said (that) …`` sentences with no quote marks, each as a REPORTED quote of its clause."""
    out = []
    for sent in body.doc.sents:
        if any(body.quoted[i] for i in range(sent.start_char, sent.end_char)):
            continue
        for token in sent:
            if not is_cue(token) or token.lower_ in PHRASAL_CUES:
                continue
            clause = _clause(token, sent)
            if clause is None:
                continue
            attribution = speakers.by_cues([token], token.idx)
            if attribution is None:
                continue
            out.append(body.quote(*clause, REPORTED, attribution))
            break
    return out


def _clause(cue: Token, sent: Span) -> tuple[int, int] | None:
    """What the cue reports: its `that` clause (the `that` left out), or the words before `according to`."""
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
