"""Every language on the wire read right (issue 28), on fictional stories written for this test.

``tests/fixtures/languages/`` holds fictional stories in French, German, Spanish, Italian, English
(and one Norwegian) in the house styles of AFP, dpa, EFE, ANSA, AP, STT and NTB, plain text or
ninjs with a declared language; ``expected.json`` says what an editor reads out of each: its
language, the model that should read it, and for French and English its people, organisations
and places (the fixtures' README says which stories were held out from the French name words).
Each story goes through decode, parse and enrich as the pipeline runs them, all in one
``enrich_stories`` call, so the stories are grouped by model as in a real share.

The agency samples in ``../shared/data`` are checked too: dpa's German NewsML-G2 item gets no
entities from the English model, and STT's item (declared ``fi-FI``, opening in English) is read as
what its text is.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from wirestream.transforms import formats
from wirestream.transforms.nlp.enrich import enrich_stories
from wirestream.transforms.nlp.model import DEFAULT_MODEL
from wirestream.transforms.nlp.models import LanguageModels, language_models
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Entity, Source, Story

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "languages"
EXPECTED = {
    name: e for name, e in json.loads((FIXTURES / "expected.json").read_text("utf-8")).items() if name[0] != "_"
}
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}
# What was measured, per language and for both: the test fails more than ``margin`` under it (issue 28
# asks 0.80 for French and English entities).
FIGURES = json.loads((Path(__file__).resolve().parent / "figures" / "entities_languages.json").read_text("utf-8"))


def stories_in(path: Path) -> list[Story]:
    return [
        parse_item(item, Source(path=path.name), pipeline_version="accuracy")
        for item in formats.decode(path.read_bytes())
    ]


class EnglishModelWatch:
    """Every text the English model is given, so a test can say no other language's story was among them."""

    def __init__(self, models: LanguageModels) -> None:
        nlp = models.reader("en").nlp
        self.texts: list[str] = []
        pipe = nlp.pipe

        def watched_pipe(texts, **kwargs) -> Iterator:
            texts = list(texts)
            self.texts.extend(texts)
            return pipe(texts, **kwargs)

        nlp.pipe = watched_pipe  # the instance's own attribute, for this module's models only


@pytest.fixture(scope="module")
def models() -> LanguageModels:
    return language_models()


@pytest.fixture(scope="module")
def english_watch(models: LanguageModels) -> EnglishModelWatch:
    return EnglishModelWatch(models)


@pytest.fixture(scope="module")
def read(models: LanguageModels, english_watch: EnglishModelWatch) -> dict[str, Story]:
    """Every fixture story, enriched in one call (the stories of all languages mixed, as in a share)."""
    named = [(name, story) for name in EXPECTED for story in stories_in(FIXTURES / name)]
    assert [name for name, _ in named] == list(EXPECTED), "one story per fixture file"
    enrich_stories(models, [story for _, story in named])
    return dict(named)


def test_every_fixture_has_an_expectation() -> None:
    on_disk = {p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".json") and p.name != "expected.json"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_story_is_read_in_its_language_by_its_model(read: dict[str, Story], name: str) -> None:
    story, expected = read[name], EXPECTED[name]
    got = {"language": story.language, "language_declared": story.language_declared, "nlp_model": story.nlp_model}
    assert got == {key: expected[key] for key in got}


@pytest.mark.parametrize("name", [name for name, e in EXPECTED.items() if e["nlp_model"] is None])
def test_a_story_with_no_model_for_its_language_has_no_entities(read: dict[str, Story], name: str) -> None:
    assert read[name].entities == []
    assert read[name].paragraphs or read[name].headline  # and goes out whole


def test_no_story_in_another_language_reaches_the_english_model(
    read: dict[str, Story], english_watch: EnglishModelWatch
) -> None:
    english_bodies = {story.body for name, story in read.items() if EXPECTED[name]["language"] == "en"}
    others = {name for name, story in read.items() if EXPECTED[name]["language"] != "en" and story.body}
    assert english_watch.texts, "the English model read nothing: the watch is not on the model in use"
    leaked = {name for name in others if any(read[name].body[:80] in text for text in english_watch.texts)}
    assert leaked == set()
    assert {text for text in english_watch.texts if text in english_bodies} == english_bodies


def _kinds(entities: list[Entity]) -> list[tuple[str, set[str]]]:
    """Each person, organisation or place found, with every name it goes by (case folded)."""
    return [(KINDS[e.label], {n.casefold() for n in (e.text, *e.aliases)}) for e in entities if e.label in KINDS]


def score(found: list[tuple[str, set[str]]], gold: dict[str, list[str]]) -> tuple[int, int, int]:
    """(right, found, expected): a found entity is right when its kind is the gold one's and one of its
    names is one of the gold one's (``a|b``); each gold entity is matched once."""
    wanted = [(kind, {n.casefold() for n in names.split("|")}) for kind, listed in gold.items() for names in listed]
    right = 0
    for kind, names in found:
        match = next((g for g in wanted if g[0] == kind and g[1] & names), None)
        if match is not None:
            wanted.remove(match)
            right += 1
    return right, len(found), right + len(wanted)


def test_entities_of_french_and_english_stories(read: dict[str, Story]) -> None:
    totals: Counter[str] = Counter()
    for name, expected in EXPECTED.items():
        if expected["language"] not in ("fr", "en"):
            continue
        right, found, gold = score(_kinds(read[name].entities), expected["entities"])
        for key in (expected["language"], "all"):
            totals.update({f"{key}:right": right, f"{key}:found": found, f"{key}:gold": gold})
    for key in ("fr", "en", "all"):
        p = totals[f"{key}:right"] / totals[f"{key}:found"]
        r = totals[f"{key}:right"] / totals[f"{key}:gold"]
        f1 = 2 * p * r / (p + r)
        print(f"{key}: precision {p:.3f} recall {r:.3f} F1 {f1:.3f} ({totals[f'{key}:gold']} entities)")
        assert totals[f"{key}:gold"] == FIGURES[key]["entities"], "the stories changed: measure the figures again"
        assert f1 >= FIGURES[key]["f1"] - FIGURES["margin"], (key, round(f1, 3))
        assert f1 >= 0.80, (key, round(f1, 3))


def test_every_quote_is_found_with_its_speaker_but_at_most_one(read: dict[str, Story]) -> None:
    """Issue 28: in every language, each quotation in marks with who said it; a title or a word being
    mentioned is none. A quote missed, one too many and a wrong speaker each count once."""
    errors = []
    for name, expected in EXPECTED.items():
        found = {q.text: q.speaker for q in read[name].quotes if q.kind != "REPORTED"}
        for words, speaker in expected["quotes"]:
            said = next((text for text in found if text.startswith(words)), None)
            if said is None:
                errors.append((name, words, "missed"))
            elif (got := found.pop(said)) != speaker:
                errors.append((name, words, f"speaker {got!r}, not {speaker!r}"))
        errors += [(name, text[:40], "not a quote in the story") for text in found]
    quotes = sum(len(e["quotes"]) for e in EXPECTED.values())
    print(f"{quotes} quotes in {len(EXPECTED)} stories; wrong or missed: {errors}")
    assert len(errors) <= 1, errors


def test_dpa_german_sample_gets_no_english_model_entities(
    shared_data: Path, models: LanguageModels, english_watch: EnglishModelWatch
) -> None:
    (story,) = stories_in(shared_data / "wire-samples" / "newsml-g2" / "dpa.xml")
    seen = len(english_watch.texts)
    enrich_stories(models, [story])
    assert (story.language, story.language_declared, story.nlp_model) == ("de", "de", None)
    assert story.entities == []
    assert english_watch.texts[seen:] == []
    assert story.dateline is not None and story.paragraphs  # the rest of the story goes out as parsed


def test_stt_sample_is_read_by_what_its_text_is(shared_data: Path, models: LanguageModels) -> None:
    """Declared ``fi-FI``; an English machine translation opens it (headline and lead), Swedish and Finnish
    versions follow. The story is what it opens with: English, read by the English model."""
    (story,) = stories_in(shared_data / "wire-samples" / "newsml-g2" / "stt_newsml_test.xml")
    enrich_stories(models, [story])
    assert (story.language, story.language_declared, story.nlp_model) == ("en", "fi-FI", DEFAULT_MODEL)
