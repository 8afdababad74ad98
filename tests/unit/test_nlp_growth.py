"""Entities and quotes cost time linear in the story, whatever shape the story has.

Each case grows one hostile shape (a sentence of thousands of quotes, a roster of thousands of
names…) to 10×, 100× and 1,000× a base size and runs what the enrich stage runs after the parse:
``entities_from_doc``, then ``quotes_from_doc``. The Docs are built by hand (words, parse and
entities set here), so no model is needed and each shape gets its worst parse: a list chained
word to word, as spaCy chains conjuncts. A linear cost grows about 100× from the 10× to the
1,000× story; a quadratic one grows about 10,000×. The bound allows 10× the linear growth, so a
noisy machine does not fail it and a quadratic pattern cannot pass it. Times are the best of
three, measured side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from string import ascii_lowercase

import pytest
import spacy
from spacy.tokens import Doc

from tests.growth import assert_linear
from wirestream.transforms.nlp.entities import entities_from_doc
from wirestream.transforms.nlp.quotes import quotes_from_doc

BASE = 5  # units of the shape in the 1× story
VOCAB = spacy.blank("en").vocab


class Parse:
    """A hand-built parse: each word with its head (an index), dependency and entity tag."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.spaces: list[bool] = []
        self.heads: list[int] = []
        self.deps: list[str] = []
        self.ents: list[str] = []

    @property
    def next(self) -> int:
        return len(self.words)

    def add(self, word: str, head: int, dep: str, *, space: bool = True, ent: str = "O") -> int:
        self.words.append(word)
        self.spaces.append(space)
        self.heads.append(head)
        self.deps.append(dep)
        self.ents.append(ent)
        return len(self.words) - 1

    def name(self, first: str, last: str, head: int, dep: str, *, space: bool = True) -> int:
        """`first last` as a PERSON, the surname taking ``head``; returns the surname's index."""
        self.add(first, self.next + 1, "compound", ent="B-PERSON")
        return self.add(last, head, dep, space=space, ent="I-PERSON")

    def doc(self) -> Doc:
        return Doc(VOCAB, words=self.words, spaces=self.spaces, heads=self.heads, deps=self.deps, ents=self.ents)


def letters(k: int) -> str:
    """A distinct lower-case word for each ``k``: a, b, … z, ba, bb …"""
    out = ascii_lowercase[k % 26]
    while k >= 26:
        k //= 26
        out = ascii_lowercase[k % 26] + out
    return out


def quoted_words(n: int) -> Doc:
    """`Mara Quill said the crowd chanted “yes”, “yes”, …`: one sentence, each word its own quote."""
    p = Parse()
    p.name("Mara", "Quill", 2, "nsubj")
    said = p.add("said", 2, "ROOT")
    p.add("the", p.next + 1, "det")
    p.add("crowd", p.next + 1, "nsubj")
    head, dep = p.add("chanted", said, "ccomp"), "dobj"
    for _ in range(n):
        p.add("“", p.next + 1, "punct", space=False)
        word = p.add("yes", head, dep, space=False)
        p.add("”", word, "punct", space=False)
        p.add(",", word, "punct")
        head, dep = word, "conj"
    p.add(".", said, "punct", space=False)
    return p.doc()


def split_quotes(n: int) -> Doc:
    """`“Yes,” said Mara Quill, “yes,” said Mara Quill, …`: one sentence, each quote with its cue."""
    p = Parse()
    for k in range(n):
        said = p.next + 4
        p.add("“", p.next + 1, "punct", space=False)
        word = p.add("Yes", said, "ccomp", space=False)
        p.add(",", word, "punct", space=False)
        p.add("”", word, "punct")
        p.add("said", said - 8 if k else said, "conj" if k else "ROOT")
        p.name("Mara", "Quill", said, "nsubj", space=False)
        p.add(",", said, "punct")
    return p.doc()


def run_on_quotes(n: int) -> Doc:
    """`Mara Quill said “the ferry sails” and Mara Quill said “the ferry sails” and …`: one sentence.

    Parsed as spaCy parses it, every `said` a conjunct of the first: a quote has few ancestors
    and thousands of cues before it.
    """
    p = Parse()
    first = None
    for k in range(n):
        said = p.next + 2
        if k:
            p.add("and", first, "cc")
            said += 1
        p.name("Mara", "Quill", said, "nsubj")
        first = said if first is None else first
        p.add("said", first, "conj" if k else "ROOT")
        p.add("“", said + 4, "punct", space=False)
        p.add("the", said + 3, "det")
        p.add("ferry", said + 4, "nsubj")
        p.add("sails", said, "ccomp", space=False)
        p.add("”", said + 4, "punct")
    p.add(".", first, "punct", space=False)
    return p.doc()


def pronoun_paragraphs(n: int) -> Doc:
    """`Ms. Mara Quill spoke.` then `“We sail at dawn,” she said.`, paragraph after paragraph."""
    p = Parse()
    for _ in range(n):
        spoke = p.next + 3
        p.add("Ms.", spoke - 1, "compound")
        p.name("Mara", "Quill", spoke, "nsubj")
        p.add("spoke", spoke, "ROOT", space=False)
        p.add(".", spoke, "punct", space=False)
        p.add("\n\n", spoke, "dep", space=False)
        said = p.next + 8
        p.add("“", p.next + 1, "punct", space=False)
        p.add("We", p.next + 1, "nsubj")
        p.add("sail", said, "ccomp")
        p.add("at", p.next - 1, "prep")
        p.add("dawn", p.next - 1, "pobj", space=False)
        p.add(",", said, "punct", space=False)
        p.add("”", said, "punct")
        p.add("she", said, "nsubj")
        p.add("said", said, "ROOT", space=False)
        p.add(".", said, "punct", space=False)
        p.add("\n\n", said, "dep", space=False)
    return p.doc()


def unquoted_cues(n: int) -> Doc:
    """`Mara Quill said, as Mara Quill said, as …`: one sentence of cues and no clause to report."""
    p = Parse()
    verb = None
    for _ in range(n):
        if verb is not None:
            p.add(",", verb, "punct")
            p.add("as", p.next + 3, "mark")
        said = p.next + 2
        p.name("Mara", "Quill", said, "nsubj")
        p.add("said", said if verb is None else verb, "ROOT" if verb is None else "advcl", space=False)
        verb = said
    p.add(".", 2, "punct", space=False)
    return p.doc()


def roster(n: int) -> Doc:
    """`Ada Quilla, Quilla, Ada Quillb, Quillb, …`: thousands of people, each named again by surname."""
    p = Parse()
    for k in range(n):
        surname = "Quill" + letters(k)
        p.name("Ada", surname, 1, "appos" if k else "ROOT", space=False)
        p.add(",", 1, "punct")
        p.add(surname, 1, "appos", space=False, ent="B-PERSON")
        p.add(",", 1, "punct")
    return p.doc()


def one_surname(n: int) -> Doc:
    """`Ada Quill, Quill, Bea Quill, Quill, …`: thousands of people who share a surname."""
    p = Parse()
    for k in range(n):
        p.name("Ada" + letters(k), "Quill", 1, "appos" if k else "ROOT", space=False)
        p.add(",", 1, "punct")
        p.add("Quill", 1, "appos", space=False, ent="B-PERSON")
        p.add(",", 1, "punct")
    return p.doc()


def spellings(n: int) -> Doc:
    """`Quillmarabenadatam, QUILLmarabenadatam, …`: one name in thousands of spellings (five a unit)."""
    name = "quillmarabenadatam"
    p = Parse()
    for k in range(5 * n):
        spelt = "".join(ch.upper() if k >> i & 1 else ch for i, ch in enumerate(name))
        p.add(spelt, 0, "appos" if k else "ROOT", space=False, ent="B-PERSON")
        p.add(",", 0, "punct")
    return p.doc()


# name → story of ``n`` units of the hostile shape
CASES: dict[str, Callable[[int], Doc]] = {
    "a sentence of quoted words": quoted_words,
    "a sentence of split quotes": split_quotes,
    "a run-on sentence of cued quotes": run_on_quotes,
    "paragraphs of quotes with pronouns": pronoun_paragraphs,
    "an unquoted sentence of cues": unquoted_cues,
    "a roster of names": roster,
    "a roster with one surname": one_surname,
    "one name in many spellings": spellings,
}


def enrich(doc: Doc) -> None:
    quotes_from_doc(doc, entities_from_doc(doc))


def test_the_shapes_are_what_they_say():
    (entity,) = entities_from_doc(split_quotes(3))
    assert (entity.text, entity.mentions) == ("Mara Quill", 3)
    assert [(q.text, q.speaker) for q in quotes_from_doc(split_quotes(3), [entity])] == [("Yes", "Mara Quill")] * 3
    doc = quoted_words(3)
    assert [(q.text, q.speaker) for q in quotes_from_doc(doc, entities_from_doc(doc))] == [("yes", "Mara Quill")] * 3
    doc = run_on_quotes(3)
    assert len(list(doc.sents)) == 1
    assert [(q.text, q.speaker) for q in quotes_from_doc(doc, entities_from_doc(doc))] == [
        ("the ferry sails", "Mara Quill")
    ] * 3
    doc = pronoun_paragraphs(2)
    assert [q.speaker for q in quotes_from_doc(doc, entities_from_doc(doc))] == ["Mara Quill"] * 2
    assert len(list(unquoted_cues(3).sents)) == 1
    assert [(e.text, e.mentions) for e in entities_from_doc(roster(2))] == [("Ada Quilla", 2), ("Ada Quillb", 2)]
    assert [(e.text, e.mentions) for e in entities_from_doc(one_surname(2))] == [("Adaa Quill", 2), ("Adab Quill", 2)]
    (entity,) = entities_from_doc(spellings(2))
    assert (entity.mentions, len(entity.aliases)) == (10, 9)


@pytest.mark.parametrize("shape", CASES)
def test_cost_grows_linearly(shape: str) -> None:
    assert_linear(shape, enrich, CASES[shape], BASE)
