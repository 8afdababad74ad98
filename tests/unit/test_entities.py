"""Entities an editor can trust: cleaned mentions, one entry per real-world entity, the dateline place."""

from __future__ import annotations

import pytest
import spacy

from wirestream.transforms import formats
from wirestream.transforms.nlp import entities as E
from wirestream.transforms.nlp.enrich import enrich_stories
from wirestream.transforms.nlp.entities import Mention, clean_span, contextual_label, group_mentions
from wirestream.transforms.nlp.model import PARAGRAPH_BREAKS, mark_paragraph_breaks
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Dateline, Entity, Source


def span_text(text: str, start: int, end: int) -> str:
    a, b = clean_span(text, start, end)
    return text[a:b]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Joe Biden’s", "Joe Biden"),
        ("Hamas’", "Hamas"),
        ("Reuters'", "Reuters"),
        ("“months", "months"),
        ("the United Kingdom", "United Kingdom"),
        ("The Health Ministry", "Health Ministry"),
        ("U.S.", "U.S."),
        ("“Scandal,”", "Scandal"),
    ],
)
def test_possessives_quote_marks_and_articles_stay_outside_names(text, expected):
    assert span_text(text, 0, len(text)) == expected


def test_values_and_glued_dates_are_not_entities():
    text = "A vote first scheduled for Mondaywas pushed back."
    start = text.index("Mondaywas")
    assert contextual_label(text, "PERSON", start, start + 9) is None
    assert contextual_label("on Tuesday", "DATE", 3, 10) is None


def test_context_turns_a_person_into_a_place():
    text = "the assault on Khan Younis, the enclave’s second-largest city."
    start = text.index("Khan")
    assert contextual_label(text, "PERSON", start, start + len("Khan Younis")) == "GPE"
    text = "in the town of Beit Lahiya today"
    start = text.index("Beit")
    assert contextual_label(text, "PERSON", start, start + len("Beit Lahiya")) == "GPE"


def test_a_title_word_is_not_an_organisation():
    text = "Defense Minister Yoav Gallant said"
    assert contextual_label(text, "ORG", 0, 7) is None


def test_surnames_join_the_fullest_name_and_labels_follow_the_majority():
    mentions = [
        Mention("Ismail Haniyeh", "PERSON", 10, 24),
        Mention("Haniyeh", "PERSON", 100, 107),
        Mention("Haniyeh", "ORG", 200, 207),
        Mention("Israel", "GPE", 300, 306),
        Mention("ISRAEL", "GPE", 400, 406),
        Mention("Israel", "ORG", 500, 506),
    ]
    found = {e.text: e for e in group_mentions(mentions)}
    assert set(found) == {"Ismail Haniyeh", "Israel"}
    assert found["Ismail Haniyeh"].mentions == 3
    assert found["Ismail Haniyeh"].label == "PERSON"
    assert found["Ismail Haniyeh"].aliases == ["Haniyeh"]
    assert [(s.start, s.end) for s in found["Ismail Haniyeh"].spans] == [(10, 24), (100, 107), (200, 207)]
    assert found["Israel"].label == "GPE"
    assert found["Israel"].mentions == 3


def test_a_surname_goes_to_the_nearest_person_before_it():
    mentions = [
        Mention("Bill Clinton", "PERSON", 0, 12),
        Mention("Hillary Clinton", "PERSON", 50, 65),
        Mention("Clinton", "PERSON", 80, 87),
    ]
    found = {e.text: e.mentions for e in group_mentions(mentions)}
    assert found == {"Bill Clinton": 1, "Hillary Clinton": 2}


def test_a_surname_follows_its_name_to_the_fullest_form_and_a_quoted_nickname_is_not_canonical():
    mentions = [
        Mention("Crooked Hillary Clinton", "PERSON", 0, 23, quoted=True),
        Mention("Hillary Clinton", "PERSON", 40, 55),
        Mention("Clinton", "PERSON", 80, 87),
    ]
    (entity,) = group_mentions(mentions)
    assert (entity.text, entity.mentions) == ("Hillary Clinton", 3)
    assert sorted(entity.aliases) == ["Clinton", "Crooked Hillary Clinton"]


def test_a_name_with_a_repeated_word_is_counted_in_words_as_written():
    mentions = [
        Mention("Mara Mara Quill", "PERSON", 0, 15),
        Mention("Mara Quill", "PERSON", 40, 50),
        Mention("Mara Mara", "PERSON", 60, 69),
        Mention("Quill", "ORG", 80, 85),
    ]
    (entity,) = group_mentions(mentions)
    assert (entity.text, entity.mentions, entity.aliases) == (
        "Mara Mara Quill",
        4,
        ["Mara Quill", "Mara Mara", "Quill"],
    )


def test_a_surname_in_a_roster_goes_to_the_nearest_person_before_it_else_the_first_after():
    mentions = [Mention("Quill", "PERSON", 0, 5)]
    for k, first in enumerate(("Ada", "Bea", "Cy")):
        mentions += [
            Mention(f"{first} Quill", "PERSON", 10 + 20 * k, 19 + 20 * k),
            Mention("Quill", "GPE", 20 + 20 * k, 25 + 20 * k),
        ]
    found = {e.text: [(s.start, s.end) for s in e.spans] for e in group_mentions(mentions)}
    assert found == {
        "Ada Quill": [(0, 5), (10, 19), (20, 25)],
        "Bea Quill": [(30, 39), (40, 45)],
        "Cy Quill": [(50, 59), (60, 65)],
    }


def test_places_are_not_merged_into_longer_places():
    mentions = [Mention("Gaza", "GPE", 0, 4), Mention("Gaza City", "GPE", 10, 19)]
    assert [e.text for e in group_mentions(mentions)] == ["Gaza", "Gaza City"]


def test_the_dateline_place_is_an_entity_and_counts_as_a_mention():
    dateline = Dateline(raw="DEIR AL-BALAH, Gaza Strip (AP) —", location="DEIR AL-BALAH", region="Gaza Strip")
    body = [Entity("Cairo", "GPE", 1)]
    found = E.add_dateline_places(body, dateline)
    assert [(e.text, e.label, e.mentions, e.aliases, e.spans) for e in found[:2]] == [
        ("Deir al-Balah", "GPE", 1, ["DEIR AL-BALAH"], []),  # its particle kept low
        ("Gaza Strip", "GPE", 1, [], []),
    ]
    again = E.add_dateline_places([Entity("Cairo", "GPE", 2)], Dateline(raw="CAIRO (AP) —", location="CAIRO"))
    assert [(e.text, e.mentions, e.aliases) for e in again] == [("Cairo", 3, ["CAIRO"])]


def test_entities_from_a_blank_pipeline_with_a_ruler():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Joe Biden’s"},
            {"label": "PERSON", "pattern": "Joe Biden"},
            {"label": "ORG", "pattern": "Biden"},
            {"label": "DATE", "pattern": "Tuesday"},
        ]
    )
    doc = nlp("Joe Biden’s administration said on Tuesday that Biden would travel.")
    (entity,) = E.entities_from_doc(doc)
    assert (entity.text, entity.label, entity.mentions) == ("Joe Biden", "PERSON", 2)


@pytest.fixture(scope="module")
def nlp(spacy_model):
    return spacy_model


def test_the_model_runs_only_what_entities_and_quotes_need(nlp):
    assert set(nlp.pipe_names) == {"tok2vec", "parser", "ner", PARAGRAPH_BREAKS}


def test_a_blank_line_starts_a_sentence():
    doc = mark_paragraph_breaks(spacy.blank("en")("Updated 10:42 GMT\n\nTalks resumed."))
    assert [t.text for t in doc if t.is_sent_start] == ["Updated", "Talks"]


def test_a_story_with_a_long_run_of_brackets_is_enriched_and_its_spans_point_into_the_body(nlp) -> None:
    """The model reads the run cut short (``nlp/model_input.py``); the record keeps the body whole."""
    raw = "PORT ELLIS, Norland (FP) — " + "(" * 8000 + " Mayor Peter Johnson said the ferry left on Tuesday."
    (item,) = formats.decode(raw.encode())
    (story,) = enrich_stories(nlp, [parse_item(item, Source(), pipeline_version="t")])
    assert "(" * 8000 in story.body
    mayor = next(e for e in story.entities if e.text == "Peter Johnson")
    assert [story.body[s.start : s.end] for s in mayor.spans] == ["Peter Johnson"]


# -- issue 18: capitals, label votes, paragraph breaks, the dateline's place, results rows ---------


def test_a_span_run_into_a_paragraph_break_keeps_its_first_line():
    assert span_text("the\n\nRussian", 0, len("the\n\nRussian")) == "Russian"
    assert span_text("Yeltsin\n\n", 0, len("Yeltsin\n\n")) == "Yeltsin"
    text = "Boris Yeltsin\n\nThe Kremlin"
    assert span_text(text, 0, len(text)) == "Boris Yeltsin"
    assert span_text(" the Kremlin\n", 0, len(" the Kremlin\n")) == "Kremlin"


def test_the_full_name_outweighs_surnames_the_model_calls_an_organisation():
    mentions = [
        Mention("John Major", "PERSON", 0, 10),
        Mention("Major", "ORG", 50, 55),
        Mention("Major", "ORG", 80, 85),
        Mention("Major", "ORG", 120, 125),
    ]
    (entity,) = group_mentions(mentions)
    assert (entity.text, entity.label, entity.mentions) == ("John Major", "PERSON", 4)


def test_the_dateline_place_keeps_its_place_label_everywhere():
    mentions = [
        Mention("Valmora", "PERSON", 0, 7),
        Mention("Valmora", "PERSON", 40, 47),
        Mention("Ada Quill", "PERSON", 60, 69),
    ]
    dateline = Dateline(raw="VALMORA, Norland (FP) —", location="VALMORA", region="Norland")
    found = {e.text: e for e in E.entities_from_mentions(mentions, dateline)}
    assert (found["Valmora"].label, found["Valmora"].mentions) == ("GPE", 3)
    assert found["Ada Quill"].label == "PERSON"


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("DEIR AL-BALAH", "Deir al-Balah"),
        ("AL-ARISH", "Al-Arish"),
        ("RIO DE JANEIRO", "Rio de Janeiro"),
        ("Gaza", "Gaza"),
    ],
)
def test_names_restored_from_capitals_keep_their_particles(raw, name):
    assert E.place_name(raw) == name


def test_an_rcv1_dateline_left_among_the_subheads_is_the_story_s_place():
    assert E.dated_subhead(["CAIRO 1996-12-06"]) == Dateline(raw="CAIRO 1996-12-06", location="CAIRO")
    assert E.dated_subhead(["RIO DE JANEIRO 1996-08-30"]).location == "RIO DE JANEIRO"
    assert E.dated_subhead(["HARBOUR TO REVIEW CHANNEL MARKERS"]) is None


def test_capitals_lines_are_restored_to_ordinary_case_keeping_their_length():
    from wirestream.transforms.nlp.capitals import restore_capitals

    text = (
        "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP.\n\nLONDON 1996-08-30\n\nLeicestershire beat Somerset to take "
        "the top spot, the U.S. said.\n\nBALTIMORE 10 Seattle 5\n\nNATO said so."
    )
    restored = restore_capitals(text)
    assert len(restored) == len(text)
    assert restored.split("\n\n") == [
        "Cricket - Leicestershire take over at top.",
        "London 1996-08-30",
        "Leicestershire beat Somerset to take the top spot, the U.S. said.",
        "BALTIMORE 10 Seattle 5",  # not written otherwise in the story: may be an acronym
        "NATO said so.",
    ]


def test_results_rows_in_a_sports_story_name_teams_and_competitors():
    from wirestream.transforms.nlp.results import row_mentions

    body = "\n\n".join(
        [
            "SOCCER - ENGLISH LEAGUE STANDINGS.",
            "Queens Park Rangers 3 2 1 0 5 3 7",
            "Lille 3 Rennes 1",
            "3. Gillian Russell (Jamaica) 12.95",
            "J. Adams 23 4 1",
        ]
    )
    found = [(m.text, m.label) for m in row_mentions(body, {})]
    assert found == [
        ("Queens Park Rangers", "ORG"),
        ("Lille", "ORG"),
        ("Rennes", "ORG"),
        ("Gillian Russell", "PERSON"),
        ("Jamaica", "GPE"),
        ("J. Adams", "PERSON"),
    ]
    for mention in row_mentions(body, {}):
        assert body[mention.start : mention.end] == mention.text


def test_figures_outside_sports_are_left_to_the_model():
    from wirestream.transforms.nlp.results import row_mentions

    body = "Acme Corp said quarterly revenue rose.\n\nServices Revenue 1,154 692 624 465\n\nLille 3 Rennes 1"
    assert row_mentions(body, {}) == []


def test_a_capitals_dateline_and_headline_get_their_names_through_enrich(nlp):
    raw = (
        "SOCCER - ARSENAL BEAT CHELSEA IN LONDON DERBY.\n\nLONDON 1996-08-30\n\n"
        "Arsenal beat Chelsea 2-1 on Saturday, manager Arsene Wenger said.\n"
    )
    (item,) = formats.decode(raw.encode())
    (story,) = enrich_stories(nlp, [parse_item(item, Source(), pipeline_version="t")])
    found = {e.text.casefold(): e.label for e in story.entities}
    assert found.get("london") == "GPE"
    for entity in story.entities:
        assert not entity.text.endswith(("\n", " ")) and not entity.text.lower().startswith("the ")
        for span in entity.spans:
            assert story.body[span.start : span.end] in {entity.text, *entity.aliases}
