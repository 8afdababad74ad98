"""A story's language (issue 28): declared tags normalised, detected where none is declared, and the
text winning only where it plainly contradicts the declaration."""

from __future__ import annotations

import pytest

from wirestream.transforms.formats import decode
from wirestream.transforms.parsing import language
from wirestream.transforms.parsing.language import (
    MAX_CHARS,
    MIN_LETTERS_TO_OVERRIDE,
    detect,
    detection_text,
    story_language,
)
from wirestream.transforms.parsing.language_codes import kin, primary_subtag
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, WireItem

ENGLISH = [
    "The city council approved on Wednesday the construction of a new tram line from the centre to the "
    "northern suburbs, which is expected to open in 2031 and to cost about 400 million euros.",
    "The opposition voted against the proposal, saying the money would be better spent on buses.",
]
GERMAN = [
    "Die Sanierung der alten Brücke verzögert sich erneut. Die Arbeiten würden voraussichtlich erst im "
    "Herbst abgeschlossen, teilte die Stadt am Dienstag mit.",
    "Grund seien Schäden an den Stahlträgern, die erst nach dem Abtragen der Fahrbahn sichtbar geworden seien.",
]
NORWEGIAN = [
    "Bystyret vedtok onsdag å øke bompengene med ti prosent fra sommeren. Pengene skal gå til nye "
    "sykkelveier og billigere kollektivtrafikk, sa byrådet etter møtet.",
]


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("de-DE", "de"),
        ("fi-FI", "fi"),
        ("EN_us", "en"),
        (" fr ", "fr"),
        ("es-419", "es"),
        ("zh-Hant-TW", "zh"),
        ("ger", "de"),
        ("fre", "fr"),
        ("deu", "de"),
        ("iw", "he"),
        ("nb-NO", "nb"),
        ("haw", "haw"),  # three letters with no two-letter code: kept
        ("und", None),
        ("mul", None),
        ("x-klingon", None),
        ("English", None),
        ("", None),
        (None, None),
    ],
)
def test_a_declared_tag_reads_as_its_primary_subtag(tag: str | None, code: str | None) -> None:
    assert primary_subtag(tag) == code


def test_kin_are_the_languages_a_detector_cannot_tell_apart() -> None:
    assert kin("nb", "no") and kin("no", "da") and kin("hr", "sr") and kin("fr", "fr")
    assert not kin("fr", "es") and not kin("fi", "sv") and not kin("de", "nl")


def test_the_declared_language_stands_where_the_text_agrees() -> None:
    assert story_language("de-DE", "Brücke bleibt gesperrt", GERMAN) == "de"


def test_an_english_text_declared_finnish_is_english() -> None:
    """STT's auto-translations: the English copy keeps the Finnish service's tag."""
    assert story_language("fi-FI", "Council approves new tram line", ENGLISH) == "en"


def test_a_headline_alone_keeps_the_declared_language() -> None:
    headline = "Council approves new tram line to the northern suburbs"
    assert sum(map(str.isalpha, headline)) < MIN_LETTERS_TO_OVERRIDE
    assert story_language("fi-FI", headline, []) == "fi"


def test_a_close_kin_of_the_declared_language_does_not_contradict_it() -> None:
    """Norwegian declared as Bokmål (`nb`) is detected as `no`: the declaration's finer code stands."""
    assert detect(detection_text(None, NORWEGIAN)).language == "no"
    assert story_language("nb-NO", None, NORWEGIAN) == "nb"


def test_a_language_the_detector_does_not_know_is_never_contradicted() -> None:
    """The detector has no Romansh: its answer on Romansh copy says nothing against the declaration."""
    assert story_language("rm-CH", None, GERMAN) == "rm"


def test_with_nothing_declared_the_text_tells() -> None:
    assert story_language(None, "Brücke bleibt gesperrt", GERMAN) == "de"
    assert story_language("und", None, ENGLISH) == "en"


def test_with_nothing_declared_a_text_too_short_to_tell_has_no_language() -> None:
    found = detect("Fed raises rates")
    assert found is not None and not found.confident  # the detector's guess here is French
    assert story_language(None, "Fed raises rates", []) is None


def test_a_text_without_letters_has_no_language() -> None:
    assert detect("12:45 -- 3-1 (2-0)") is None
    assert story_language(None, None, ["12:45", "3-1 (2-0)"]) is None
    assert story_language("de", None, ["12:45"]) == "de"


def test_the_detector_reads_the_opening_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A translation appended further down does not change the story's language, and costs nothing."""
    read: list[str] = []
    real = language.detect
    monkeypatch.setattr(language, "detect", lambda text: read.append(text) or real(text))
    long_english = ENGLISH * 10
    assert story_language("fi", "Council approves tram line", long_english + GERMAN * 10) == "en"
    assert len(read[0]) <= MAX_CHARS and "Brücke" not in read[0]
    assert detection_text("Head", ["one two"]) == "Head\none two"


def test_parse_item_sets_the_language_and_keeps_the_declared_tag() -> None:
    item = WireItem(format="NINJS", body_lines=ENGLISH, headline="Council approves tram line", language="fi-FI")
    story = parse_item(item, Source())
    assert (story.language, story.language_declared) == ("en", "fi-FI")
    (plain,) = decode(("Brücke bleibt gesperrt\n\nKöln (dpa) - " + "\n\n".join(GERMAN)).encode(), format="TEXT")
    story = parse_item(plain, Source())
    assert (story.language, story.language_declared) == ("de", None)
    assert story.nlp_model is None  # set by enrichment, from the model that reads the story
