"""Quotes with their speakers: kinds, cues, pronouns, split and multi-paragraph quotes, mentions."""

from __future__ import annotations

import json

import pytest

from wirestream.transforms.nlp.entities import entities_from_doc, load_model
from wirestream.transforms.nlp.quotes import (
    DIRECT,
    PARTIAL,
    REPORTED,
    SPEECH_VERBS,
    find_marked,
    paragraph_starts,
    quotes_from_doc,
)
from wirestream.transforms.records.story import Quote, Source


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def quotes(nlp, *paragraphs: str) -> list[Quote]:
    doc = nlp("\n\n".join(paragraphs))
    return quotes_from_doc(doc, entities_from_doc(doc))


def quoted(nlp, *paragraphs: str) -> list[tuple[str, str | None, str]]:
    """(text, speaker, kind) of the quotes in quote marks."""
    return [(q.text, q.speaker, q.kind) for q in quotes(nlp, *paragraphs) if q.kind != REPORTED]


# -- quote marks, no model -------------------------------------------------------------------


def test_marks_pair_per_paragraph_curly_and_straight():
    body = 'He said “one” and "two" and “three ‘four’ five.”\n\nNothing here.'
    marks = [body[m.start : m.end] for m in find_marked(body, paragraph_starts(body))]
    assert marks == ["one", "two", "three ‘four’ five."]


def test_a_quote_reopened_in_the_next_paragraph_continues():
    body = "“First part of it.\n\n“Second part,” she said.\n\nAfter."
    (mark,) = find_marked(body, paragraph_starts(body))
    assert body[mark.start : mark.end] == "First part of it.\n\n“Second part,"
    assert mark.paragraph == 0


def test_an_unclosed_quote_that_is_not_reopened_ends_with_its_paragraph():
    body = "He said “it never ends\n\nThe next paragraph."
    (mark,) = find_marked(body, paragraph_starts(body))
    assert body[mark.start : mark.end] == "it never ends"


def test_the_cue_list_is_comprehensive_and_inflected():
    for word in ("said", "says", "told", "added", "insisted", "tweeted", "wrote", "warned", "labeling", "quipped"):
        assert word in SPEECH_VERBS
    assert len(SPEECH_VERBS) > 300


# -- attribution ------------------------------------------------------------------------------


def test_name_after_and_before_the_verb(nlp):
    assert quoted(nlp, "“We did everything by the book,” said Captain Ilse Marrow, who sailed for 14 years.") == [
        ("We did everything by the book", "Ilse Marrow", DIRECT)
    ]
    assert quoted(nlp, "“The tide was falling fast,” Ilse Marrow said on Tuesday.") == [
        ("The tide was falling fast", "Ilse Marrow", DIRECT)
    ]
    assert quoted(nlp, "Mayor Oskar Fennimore said: “It was a credit to every crew on the water.”") == [
        ("It was a credit to every crew on the water.", "Oskar Fennimore", DIRECT)
    ]


def test_appositive_speaker(nlp):
    got = quoted(nlp, "Hugh Hill, a doctor at Nasser Hospital, said the wards were “full beyond anything we planned.”")
    assert got == [("full beyond anything we planned.", "Hugh Hill", PARTIAL)]


def test_according_to(nlp):
    got = quoted(
        nlp, "The talks are “close to collapse,” according to Margaret Olsen, a senior diplomat in the region."
    )
    assert got == [("close to collapse", "Margaret Olsen", PARTIAL)]


def test_pronoun_resolved_to_the_person_named_before(nlp):
    got = quoted(
        nlp,
        "Defense Minister Yoav Gallant said Tuesday that operations would take “months.”",
        "“We will not stop until we reach our goals,” he said.",
    )
    assert got == [
        ("months.", "Yoav Gallant", PARTIAL),
        ("We will not stop until we reach our goals", "Yoav Gallant", DIRECT),
    ]


def test_split_quote_keeps_its_speaker(nlp):
    got = quoted(nlp, "“The tide was falling,” said Ilse Marrow. “We did everything by the book.”")
    assert got == [
        ("The tide was falling", "Ilse Marrow", DIRECT),
        ("We did everything by the book.", "Ilse Marrow", DIRECT),
    ]


def test_speaker_named_in_the_previous_sentence(nlp):
    got = quoted(
        nlp,
        "Governor Anna Lindqvist spoke to reporters at the harbour on Friday morning.",
        "“Every crew did its job, and every passenger got home safely tonight.”",
    )
    assert got == [("Every crew did its job, and every passenger got home safely tonight.", "Anna Lindqvist", DIRECT)]


def test_quote_across_paragraphs_is_one_quote(nlp):
    (quote,) = quoted(
        nlp,
        "Olsen said: “We have waited for this agreement for many long years.",
        "“Now it is time to sign it and go home,” she told reporters.",
    )
    assert quote[0].startswith("We have waited") and quote[0].endswith("go home")
    assert quote[1] == "Olsen"


def test_straight_marks_and_single_quotes_inside(nlp):
    got = quoted(nlp, "\"People keep telling me 'feel the Bern,' but I am not sure,\" said Mona Lamberson, 59.")
    assert got == [("People keep telling me 'feel the Bern,' but I am not sure", "Mona Lamberson", DIRECT)]


def test_a_word_merely_mentioned_gets_no_speaker(nlp):
    got = quotes(nlp, "Talks continued in the hopes of getting the U.S. to abstain or vote “yes” on the resolution.")
    assert all(q.speaker is None for q in got if q.text == "yes")


def test_titles_of_works_are_not_quotes(nlp):
    got = quoted(nlp, "Margaret Olsen told NBC’s “Meet the Press” on Sunday that the talks were “going nowhere fast.”")
    assert got == [("going nowhere fast.", "Margaret Olsen", PARTIAL)]


def test_reported_speech(nlp):
    (quote,) = quotes(nlp, "Hamas said in a statement that Haniyeh would discuss the war with Egyptian officials.")
    assert (quote.kind, quote.speaker, quote.cue) == (REPORTED, "Hamas", "said")
    assert quote.text.startswith("Haniyeh would discuss the war")


def test_offsets_point_into_the_body(nlp):
    paragraphs = ["A ferry ran aground.", "“We did everything by the book,” said Ilse Marrow."]
    body = "\n\n".join(paragraphs)
    (quote,) = quotes(nlp, *paragraphs)
    assert body[quote.start : quote.end] == quote.text
    assert quote.paragraph == 1


# -- the seed story ---------------------------------------------------------------------------


def test_the_seed_story_quotes_hold(nlp, shared_data):
    from wirestream.transforms import formats
    from wirestream.transforms.parsing.story_parts import parse_item

    expected = json.loads((shared_data / "seed" / "ap-haniyeh-cairo.expected.json").read_text())
    (item,) = formats.decode((shared_data / "seed" / "ap-haniyeh-cairo.txt").read_bytes())
    story = parse_item(item, Source(path="seed"), pipeline_version="test")
    doc = nlp(story.body)
    found = quotes_from_doc(doc, entities_from_doc(doc, story.dateline))

    def norm(text: str) -> str:
        return text.strip(" ,.").casefold()

    for want in expected["quotes"]:
        (got,) = [q for q in found if norm(q.text) == norm(want["text"])]
        assert got.speaker == want["speaker"]
        assert got.kind == want["kind"].upper()
        if "cue" in want:
            assert got.cue == want["cue"]
        assert story.body[got.start : got.end] == got.text
    for wrong in expected["quotes_must_not"]:
        assert not [q for q in found if q.text.strip(" ,.") == wrong["text"] and q.speaker], wrong["why"]
    reported = [q for q in found if q.kind == REPORTED]
    for example in expected["reported_speech_examples"]:
        hits = [q for q in reported if q.text.startswith(example["starts"])]
        assert hits, example
        assert hits[0].cue == example["cue"]
        assert hits[0].speaker in example["speaker"] or example["speaker"].endswith(hits[0].speaker)
