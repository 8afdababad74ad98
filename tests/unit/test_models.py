"""A spaCy pipeline per story language (issue 28): the settings, lazy loading, blanks for languages
with no model, and enrichment grouped by pipeline with the stories kept in order.

The pipelines here are blank ones with an entity ruler, standing in for trained models, so the
tests need no model but the English one for ``load_model`` itself (spaCy's own advice: test text
logic on ``spacy.blank``).
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language

from wirestream.transforms.deadletters.errors import EnrichError
from wirestream.transforms.nlp.enrich import enrich_each, enrich_stories
from wirestream.transforms.nlp.model import DEFAULT_MODEL, UNUSED_COMPONENTS, load_blank, load_model, model_name
from wirestream.transforms.nlp.models import (
    DEFAULT_MODELS,
    LanguageModels,
    check_models,
    language_models,
    parse_model_option,
)
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story, WireItem

PEOPLE = {"en": "Ilse Marrow", "fr": "Claire Montval", "de": "Miriam Albrecht"}
LEADS = {
    "en": "PORT ELLIS, Norland (FP) — Ilse Marrow said on Tuesday that the ferry would sail again on "
    "Thursday, after the coast guard had checked the channel and the harbour reopened to traffic.",
    "fr": "LYON, 14 mars 2026 (AFP) - Claire Montval a annoncé vendredi que la ligne de tramway serait "
    "repoussée de six mois en raison d'un défaut sur les rails découvert pendant les essais.",
    "de": "Köln (dpa) - Die Sanierung der Brücke verzögert sich erneut, sagte Miriam Albrecht am Dienstag. "
    "Die Arbeiten würden voraussichtlich erst im Herbst abgeschlossen, teilte die Stadt mit.",
    "es": "Barcelona, 12 mar (EFE).- El Ayuntamiento aprobó este jueves un plan para construir cuarenta "
    "kilómetros de carriles bici antes de 2028, según informó el consistorio en un comunicado.",
}


def ruled(language: str, label: str = "PERSON", person: str | None = None) -> Language:
    """A blank pipeline of ``language`` that finds one person: a stand-in for a trained model."""
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": label, "pattern": person or PEOPLE[language]}])
    return nlp


class Loads:
    """A loader of stand-in models by name (``fake_en`` reads English), counting what it loads."""

    def __init__(self, pipelines: dict[str, Callable[[], Language]]) -> None:
        self.pipelines = pipelines
        self.loaded: list[str] = []

    def __call__(self, name: str) -> Language:
        self.loaded.append(name)
        return self.pipelines[name]()


def fakes() -> tuple[LanguageModels, Loads]:
    # French's own blank takes seconds to build (its tokenizer exceptions): a multi-language one stands in,
    # labelling as WikiNER-scheme models do
    loads = Loads({"fake_en": lambda: ruled("en"), "fake_fr": lambda: ruled("xx", "PER", PEOPLE["fr"])})
    return LanguageModels({"en": "fake_en", "fr": "fake_fr"}, loader=loads), loads


def story(language: str | None, text: str, declared: str | None = None) -> Story:
    item = WireItem(format="NINJS", body_lines=[text], headline=None, language=declared or language)
    parsed = parse_item(item, Source())
    assert parsed.language == language, "the fixture text must read as its language"
    return parsed


# --- the settings -----------------------------------------------------------------------------


def test_the_defaults_are_english_and_french() -> None:
    assert parse_model_option([]) == {"en": DEFAULT_MODEL, "fr": "fr_core_news_sm"}
    assert dict(DEFAULT_MODELS) == parse_model_option([])


def test_a_value_sets_or_replaces_one_language_model() -> None:
    got = parse_model_option(["de=/models/de_news", "FR=fr_core_news_md", " it = it_core_news_sm "])
    assert got == {"en": DEFAULT_MODEL, "fr": "fr_core_news_md", "de": "/models/de_news", "it": "it_core_news_sm"}
    assert parse_model_option(["de-DE=de_model"])["de"] == "de_model"  # a tag reads as stories carry it
    assert parse_model_option(["ger=de_model"])["de"] == "de_model"


def test_none_takes_a_default_model_away() -> None:
    assert parse_model_option(["fr=none"]) == {"en": DEFAULT_MODEL}


@pytest.mark.parametrize(
    ("values", "says"),
    [
        (["fr_core_news_sm"], "write LANG=MODEL"),
        (["fr="], "write LANG=MODEL"),
        (["=fr_core_news_sm"], "is not a language code"),
        (["french=fr_core_news_sm"], "is not a language code"),
        (["und=x"], "is not a language code"),
        (["fr=a", "fr=b"], "given a model twice"),
    ],
)
def test_a_bad_value_is_refused_saying_what_to_write(values: list[str], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_model_option(values)


def test_check_models_refuses_a_missing_model_or_one_of_another_language() -> None:
    check_models({"en": DEFAULT_MODEL})
    with pytest.raises(ValueError, match="no spaCy model 'de_core_news_zz' is installed"):
        check_models({"de": "de_core_news_zz"})
    with pytest.raises(ValueError, match="reads 'en', not 'de'"):
        check_models({"de": DEFAULT_MODEL})


# --- the pipelines --------------------------------------------------------------------------------


def test_load_model_leaves_out_what_entities_and_quotes_never_run() -> None:
    nlp = load_model()
    assert not set(UNUSED_COMPONENTS) & set(nlp.component_names)
    assert nlp.pipe_names == ["tok2vec", "paragraph_breaks", "parser", "ner"]
    assert model_name(nlp) == DEFAULT_MODEL


def test_a_blank_pipeline_splits_sentences_and_paragraphs_and_finds_no_entities() -> None:
    doc = load_blank("de")(
        "Erster Absatz ohne Punkt\n\nZweiter Absatz. Zweiter Satz, sagte Miriam Albrecht.\n\nDritter"
    )
    assert doc.lang_ == "de"
    assert [s.text.strip() for s in doc.sents] == [
        "Erster Absatz ohne Punkt",
        "Zweiter Absatz.",
        "Zweiter Satz, sagte Miriam Albrecht.",
        "Dritter",
    ]
    assert doc.ents == ()


def test_a_language_spacy_has_no_class_for_gets_the_multi_language_blank() -> None:
    assert load_blank("pcm").lang == "xx"
    assert load_blank("ja").lang in ("ja", "xx")  # Japanese needs SudachiPy, which we do not install


def test_models_load_lazily_once_each() -> None:
    models, loads = fakes()
    assert loads.loaded == [] and models.loaded == []
    assert models.reader("fr").model == "fake_fr"
    models.reader("fr")
    models.reader("en")
    models.reader(None)  # no language: read as the default, English
    assert loads.loaded == ["fake_fr", "fake_en"]


def test_a_language_with_no_model_gets_a_blank_of_its_own_and_no_model_name() -> None:
    models, loads = fakes()
    german = models.reader("de")
    assert (german.nlp.lang, german.model, german.finds_entities) == ("de", None, False)
    assert models.reader("de") is german
    assert models.reader("pcm").nlp.lang == "xx"
    assert loads.loaded == []


def test_two_languages_given_one_model_share_it() -> None:
    loads = Loads({"multi": lambda: spacy.blank("xx")})
    models = LanguageModels({"de": "multi", "es": "multi"}, loader=loads)
    assert models.reader("de") is models.reader("es")
    assert loads.loaded == ["multi"]


def test_a_model_is_refused_for_another_language() -> None:
    models = LanguageModels({"de": "fake_en"}, loader=Loads({"fake_en": lambda: ruled("en")}))
    with pytest.raises(ValueError, match=r"reads 'en', not 'de'.*--nlp-model de=MODEL"):
        models.reader("de")


def test_language_models_loads_the_default_language_with_the_process() -> None:
    models = language_models({"en": DEFAULT_MODEL}, preload=["en"])
    assert models.loaded == [DEFAULT_MODEL]


def test_the_model_processes_setup_crosses_to_a_spawned_child() -> None:
    """The stage's children are spawned: their setup, with the settings, is pickled to them."""
    for models in (DEFAULT_MODELS, parse_model_option(["de=x"])):
        setup = pickle.loads(pickle.dumps(functools.partial(language_models, models, preload=())))
        assert setup().names == models


# --- enrichment by language ----------------------------------------------------------------------


def test_stories_are_read_by_their_languages_pipelines_one_call_each_and_come_back_in_order() -> None:
    models, _ = fakes()
    calls: list[tuple[str, int]] = []
    for language in ("en", "fr", "de"):
        nlp = models.reader(language).nlp
        pipe = nlp.pipe

        def counted(texts, *, _pipe=pipe, _language=language, **kwargs):
            texts = list(texts)
            calls.append((_language, len(texts)))
            return _pipe(texts, **kwargs)

        nlp.pipe = counted
    stories = [
        story("en", LEADS["en"]),
        story("de", LEADS["de"]),
        story("fr", LEADS["fr"]),
        story("en", LEADS["en"].replace("Tuesday", "Monday")),
        story("de", LEADS["de"].replace("Dienstag", "Montag")),
    ]
    ids = [s.id for s in stories]
    done = enrich_each(models, stories)
    assert [d.story.id for d in done] == ids
    assert sorted(calls) == [("de", 2), ("en", 2), ("fr", 1)]
    assert [d.story.nlp_model for d in done] == ["fake_en", None, "fake_fr", "fake_en", None]
    assert [[(e.text, e.label) for e in d.story.entities if e.spans] for d in done] == [
        [("Ilse Marrow", "PERSON")],
        [],  # German has no model: no entities, though the ruler of a model would have found her
        [("Claire Montval", "PERSON")],  # the French model's PER is the record's PERSON
        [("Ilse Marrow", "PERSON")],
        [],
    ]
    assert all(d.failures == [] for d in done)


def test_a_story_with_no_model_has_no_entities_at_all_not_even_its_datelines_place() -> None:
    models, _ = fakes()
    (german,) = enrich_stories(models, [story("de", LEADS["de"])])
    assert german.dateline is not None and german.dateline.location == "Köln"
    assert (german.entities, german.nlp_model) == ([], None)


def test_no_story_in_another_language_reaches_the_english_model() -> None:
    """The English model sees English stories and stories whose language is unknown, and nothing else."""
    models, _ = fakes()
    english = models.reader("en").nlp
    seen: list[str] = []
    pipe = english.pipe
    english.pipe = lambda texts, **kwargs: pipe(seen.extend(texts := list(texts)) or texts, **kwargs)
    stories = [story(lang, text) for lang, text in LEADS.items()] + [story("de", LEADS["de"], declared="fr")]
    stories.append(story("en", LEADS["en"], declared="fi-FI"))
    stories.append(story(None, "Fed raises rates"))
    enrich_stories(models, stories)
    assert [s.nlp_model for s in stories] == ["fake_en", "fake_fr", None, None, None, "fake_en", "fake_en"]
    read_by_english = [s for s in stories if any(s.body == text for text in seen)]
    assert {s.language for s in read_by_english} == {"en", None}
    assert len(read_by_english) == 3


def test_a_single_pipeline_still_works_for_its_own_language_and_blanks_the_others() -> None:
    """Callers from before languages pass one English ``Language``: it reads English, and only English."""
    nlp = ruled("en")
    english, german, unknown = story("en", LEADS["en"]), story("de", LEADS["de"]), story(None, "Fed raises rates")
    enrich_stories(nlp, [english, german, unknown])
    assert english.nlp_model == unknown.nlp_model == model_name(nlp)
    assert [e.text for e in english.entities if e.spans] == ["Ilse Marrow"]
    assert (german.nlp_model, german.entities) == (None, [])


def test_a_body_too_long_for_its_own_languages_pipeline_is_refused() -> None:
    models, _ = fakes()
    models.reader("fr").nlp.max_length = 50
    with pytest.raises(EnrichError) as refused:
        enrich_each(models, [story("en", LEADS["en"]), story("fr", LEADS["fr"])])
    assert refused.value.reason == "too-long-for-nlp"
    assert enrich_each(models, [story("en", LEADS["en"])])[0].story.nlp_model == "fake_en"
