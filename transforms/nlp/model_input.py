"""What the language model reads: the story's body with long runs of symbols cut short and
capitals lines in ordinary case.

spaCy's tokenizer strips prefixes and suffixes from a token one character at a time and searches
the rest again each time, so a token of thousands of brackets, quote marks or dollar signs costs
time quadratic in its length (8,000 brackets took about 50 s). No word is made of such a run, so
the model reads at most ``MAX_SYMBOL_RUN`` of them and a space for each one after. The text keeps
its length, so every character offset the model gives (entity and quote spans) is still an offset
into the body as written; the record keeps the body whole.

Lines in capitals (headlines, datelines, table rows) are read in ordinary case
(``capitals.restore_capitals``): the model finds names by their capital letter, and finds none in a
line of capitals. That too changes no length.
"""

from __future__ import annotations

import re

from wirestream.transforms.nlp.capitals import restore_capitals

__all__ = ["MAX_SYMBOL_RUN", "model_input"]

MAX_SYMBOL_RUN = 16
# A symbol: neither a letter, a digit nor whitespace (``_`` counts, though ``\w`` holds it).
_LONG_SYMBOL_RUN = re.compile(rf"(?<=(?:[^\w\s]|_){{{MAX_SYMBOL_RUN}}})(?:[^\w\s]|_)+")


def model_input(text: str) -> str:
    """``text`` with each symbol after the first ``MAX_SYMBOL_RUN`` of a run replaced by a space, capitals restored."""
    return restore_capitals(cut_symbol_runs(text))


def cut_symbol_runs(text: str) -> str:
    """``text`` with each symbol after the first ``MAX_SYMBOL_RUN`` of a run replaced by a space."""
    return _LONG_SYMBOL_RUN.sub(lambda match: " " * len(match.group()), text)
