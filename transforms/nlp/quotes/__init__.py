"""Quotes and who said them, from a parsed story body; ``quotes_from_doc`` runs the steps.

Three kinds: DIRECT (a quoted sentence), PARTIAL (quoted words inside the writer's sentence:
``a “final clearing” of militants``) and REPORTED (``Hamas said in a statement that …``).
The steps, one module each, in the order ``finder`` runs them:

- ``marks``: the stretches between quotation marks, and what each is (direct or partial quote,
  title of a work, word being mentioned); text only;
- ``cues``: the speech cues (`said`, `told`, `according to` …) and the word each names;
- ``speakers``: that word as a name: an entity's canonical name, a pronoun's referent, a phrase;
- ``attribution``: the strategies tried in order to find who said a marked quote;
- ``reported``: reported speech, with no quote marks.

``body`` is what they all read (text, paragraphs, marks, sentences), ``tree`` the parse indexed
once, so that no step walks a sentence per quote; ``given_names`` tells a person's gender and
name where the model cannot. Copy these English rules do not read (French, German, Spanish,
Italian, or any doc with no parse) goes to ``plain``: quote marks and the cue words of its
language (``languages``, one lexicon each), and a speaker only where plainly named. Pure
functions over a spaCy ``Doc``; no Beam.
"""

from __future__ import annotations

from wirestream.transforms.nlp.quotes.finder import quotes_from_doc
from wirestream.transforms.nlp.quotes.marks import DIRECT, PARTIAL
from wirestream.transforms.nlp.quotes.reported import REPORTED

__all__ = ["DIRECT", "PARTIAL", "REPORTED", "quotes_from_doc"]
