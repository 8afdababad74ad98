"""What the language model reads: long symbol runs cut short, every offset kept.

spaCy's tokenizer is quadratic in a token made of symbols (brackets, quote marks, ``$``, ``_``…);
the growth check runs the English tokenizer (the rules the model's tokenizer uses) on what
``model_input`` gives, for every shape that was quadratic before it.
"""

from __future__ import annotations

import itertools
import string

import pytest
import spacy

from tests.growth import assert_linear
from wirestream.transforms.nlp.model_input import MAX_SYMBOL_RUN, model_input

TOKENIZER = spacy.blank("en").tokenizer
_FRESH = itertools.count()


def tokenize_fresh(text: str) -> None:
    """Tokenize ``text`` with its run made a token never seen: the tokenizer caches what it has split."""
    TOKENIZER(model_input(text.replace(" b", f"{next(_FRESH)} b")))


SYMBOLS = [*string.punctuation, "…", "“", "”", "«", "»", "€", "°", "—"]


def test_ordinary_copy_is_read_as_written() -> None:
    text = "PORT ELLIS (FP) — “We sailed at 6:30 a.m.,” said Ilse Marrow ($1.5m, 20%)... -- ***"
    assert model_input(text) == text


def test_a_long_symbol_run_is_cut_and_the_text_keeps_its_length_and_offsets() -> None:
    text = "Ferry " + "(" * 1000 + " Ilse Marrow said."
    read = model_input(text)
    assert len(read) == len(text)
    assert read.index("Ilse Marrow") == text.index("Ilse Marrow")
    assert read.count("(") == MAX_SYMBOL_RUN


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_the_tokenizer_costs_time_linear_in_a_run_of_symbols(symbol: str) -> None:
    assert_linear(f"a run of {symbol!r}", tokenize_fresh, lambda n: f"a {symbol * n} b", 8)
