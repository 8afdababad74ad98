"""Story structure without NLP, one rule at a time (whole stories, field by field, are in
test_formats_samples.py; the seed story in tests/accuracy/test_seed_story.py)."""

from __future__ import annotations

import pytest

from tests.wire_fixtures import fixture
from wirestream.transforms.deadletters.errors import ParseError
from wirestream.transforms.formats import decode
from wirestream.transforms.parsing.story_parts import count_words, find_links, parse_item, text_id
from wirestream.transforms.records.story import Byline, Contributor, Dateline, Source, WireItem

SOURCE = Source(topic="wire.raw", partition=0, offset=42, timestamp_ms=1)


def test_source_and_pipeline_version_are_kept_and_a_text_without_guid_gets_a_text_hash() -> None:
    """The fields the fixtures' expectations leave out because they depend on the run."""
    [item] = decode(fixture("text/fp-kestrel-dock-strike.txt").read_bytes())
    story = parse_item(item, SOURCE, pipeline_version="test")
    assert story.source == SOURCE
    assert story.pipeline_version == "test"
    assert story.processed_at is None  # set by the encode stage
    assert story.id == text_id(item)


def _item(*lines: str, **fields: object) -> WireItem:
    return WireItem(format="TEXT", body_lines=list(lines), **fields)  # type: ignore[arg-type]


def test_byline_editor_note_and_title_are_read() -> None:
    story = parse_item(
        _item(
            "Eds: With AP Photos.",
            "By CHARLES ODUM",
            "AP Sports Writer",
            "ATLANTA (AP) _ Luol Deng scored 30 points.",
            "Wade was ruled out.",
        ),
        SOURCE,
    )
    assert story.editor_notes == ["Eds: With AP Photos."]
    assert story.bylines == [Byline("CHARLES ODUM", "AP Sports Writer")]
    assert story.dateline == Dateline("ATLANTA (AP) _", "ATLANTA", None, "AP")
    assert story.paragraphs == ["Luol Deng scored 30 points.", "Wade was ruled out."]
    assert story.word_count == 9


@pytest.mark.parametrize(
    "marker",
    [
        "1st Ld-Writethru",
        "CORRECTS spelling of Haniyeh's name",
        "CORRECTION: An earlier version misstated the date.",
        "REFILE-Adds dropped word",
        "EDITOR'S NOTE _ This story contains graphic details.",
        "(Adds comments, detail)",
    ],
)
def test_write_through_and_correction_markers_are_editor_notes(marker: str) -> None:
    story = parse_item(_item(marker, "PARIS (AFP) - Strikes spread."), SOURCE)
    assert story.editor_notes == [marker]
    assert story.paragraphs == ["Strikes spread."]


def test_a_correction_notice_at_the_end_is_trailer() -> None:
    story = parse_item(
        _item("PARIS (AFP) - Strikes spread.", "This story has been corrected to show the strike began Monday."),
        SOURCE,
    )
    assert story.trailer == ["This story has been corrected to show the strike began Monday."]


def test_a_sentence_starting_like_a_marker_is_body() -> None:
    story = parse_item(_item("Updates to the law came later.", "Corrects were made."), SOURCE)
    assert story.editor_notes == []
    assert story.paragraphs == ["Updates to the law came later.", "Corrects were made."]


def test_sections_after_a_rule_that_are_not_taglines_stay_body() -> None:
    story = parse_item(
        _item(
            "MIAMI (AP) — The Heat won.",
            "___",
            "TIP-INS",
            "Heat: The Heat won the season series.",
            "___",
            "Associated Press writer Jane Doe in Atlanta contributed to this report.",
            "Follow Jane Doe on X: https://x.com/janedoe",
            "Copyright 2024 The Associated Press. All rights reserved.",
        ),
        SOURCE,
    )
    assert story.paragraphs == ["The Heat won.", "Heat: The Heat won the season series."]
    assert story.subheads == ["TIP-INS"]
    assert story.contributors == [
        Contributor(
            "Jane Doe",
            "contributed",
            "Atlanta",
            "Associated Press writer Jane Doe in Atlanta contributed to this report.",
        )
    ]
    assert story.trailer == [
        "Follow Jane Doe on X: https://x.com/janedoe",
        "Copyright 2024 The Associated Press. All rights reserved.",
    ]
    assert story.links == ["https://x.com/janedoe"]


def test_closing_lines_without_a_rule_are_trailer() -> None:
    story = parse_item(_item("PARIS (AFP) - Strikes spread.", "", "Copyright 2024 AFP. All rights reserved."), SOURCE)
    assert story.paragraphs == ["Strikes spread."]
    assert story.trailer == ["Copyright 2024 AFP. All rights reserved."]


def test_the_reuters_sign_off_is_trailer() -> None:
    story = parse_item(_item("LONDON, March 2 - Gilts rose.", "Reuter"), SOURCE)
    assert (story.paragraphs, story.trailer) == (["Gilts rose."], ["Reuter"])


def test_a_last_paragraph_about_copyright_stays_body() -> None:
    story = parse_item(_item("PARIS (AFP) - Strikes spread.", "Copyright lawsuits are rising."), SOURCE)
    assert story.paragraphs == ["Strikes spread.", "Copyright lawsuits are rising."]
    assert story.trailer == []


def test_format_fields_are_copied_and_guid_and_version_are_the_id() -> None:
    item = _item(
        "GROSSETO, Italy (AP) -- The trial began.",
        guid="urn:x:1",
        version=3,
        headline="Captain on trial",
        slugline="Italy-Ship",
        language="en",
        byline="Paulo Santalucia and Frances d'Emilio",
    )
    story = parse_item(item, SOURCE)
    assert (story.id, story.family_id, story.version, story.headline, story.slugline, story.language) == (
        "urn:x:1:v3",
        "urn:x:1",
        3,
        "Captain on trial",
        "Italy-Ship",
        "en",
    )
    assert story.bylines == [Byline("Paulo Santalucia"), Byline("Frances d'Emilio")]
    assert story.dateline is not None and story.dateline.region == "Italy"
    assert story.paragraphs == ["The trial began."]


def test_the_format_dateline_wins_but_the_lead_fills_its_gaps_and_is_cleaned() -> None:
    item = _item("NEW YORK (AP) — Stocks rose.", dateline="NEW YORK, Jan. 5")
    story = parse_item(item, SOURCE)
    assert story.dateline == Dateline("NEW YORK, Jan. 5", "NEW YORK", None, "AP", "Jan. 5")  # agency from the lead
    assert story.paragraphs == ["Stocks rose."]


def test_an_unreadable_format_dateline_is_kept_whole() -> None:
    story = parse_item(_item("Prices rose.", dateline="Bangalore"), SOURCE)
    assert story.dateline == Dateline("Bangalore", "Bangalore")


def test_located_stands_in_for_a_missing_dateline() -> None:
    story = parse_item(_item("The story so far.", located="Milton Keynes"), SOURCE)
    assert story.dateline == Dateline("Milton Keynes", "Milton Keynes")


def test_a_headline_line_above_the_dateline_is_the_headline() -> None:
    story = parse_item(_item("BAHIA COCOA REVIEW", "SALVADOR, Feb 26 - Showers continued."), SOURCE)
    assert story.headline == "BAHIA COCOA REVIEW"
    assert story.dateline is not None and story.dateline.date == "Feb 26"
    assert story.subheads == []
    assert story.paragraphs == ["Showers continued."]


def test_a_headline_in_capitals_may_end_with_an_abbreviation() -> None:
    story = parse_item(_item("CHINA CALLS FOR BETTER TRADE DEAL WITH U.S.", "PEKING, March 3 - China called."), SOURCE)
    assert story.headline == "CHINA CALLS FOR BETTER TRADE DEAL WITH U.S."
    assert story.dateline is not None and story.dateline.location == "PEKING"


def test_a_sentence_above_a_dateline_is_not_a_headline() -> None:
    story = parse_item(_item("Shares rose on Monday.", "PEKING, March 3 - China called."), SOURCE)
    assert story.headline is None
    assert story.dateline is None
    assert story.paragraphs == ["Shares rose on Monday.", "PEKING, March 3 - China called."]


def test_a_format_dateline_naming_another_place_keeps_its_own_parts() -> None:
    story = parse_item(_item("PARIS (AFP) - Strikes spread.", dateline="Lyon"), SOURCE)
    assert story.dateline == Dateline("Lyon", "Lyon")


def test_a_timestamp_in_a_dateline_field_is_no_dateline() -> None:
    story = parse_item(_item("Prices rose.", dateline="2014-07-16 15:53:10 GMT+00:00"), SOURCE)
    assert story.dateline is None


def test_format_notes_and_byline_title_are_used() -> None:
    item = _item("NEW YORK (AP) — Stocks rose.", byline="By BERNARD CONDON", byline_title="AP Business Writer")
    item.editor_notes = ["1st Ld-Writethru"]
    story = parse_item(item, SOURCE)
    assert story.bylines == [Byline("BERNARD CONDON", "AP Business Writer")]
    assert story.editor_notes == ["1st Ld-Writethru"]


def test_a_headline_only_item_is_a_story_without_paragraphs() -> None:
    story = parse_item(_item(headline="Hawaii challenges travel ban"), SOURCE)
    assert (story.headline, story.paragraphs, story.word_count) == ("Hawaii challenges travel ban", [], 0)


@pytest.mark.parametrize(
    "lines",
    [
        ["HONOLULU (AP) _ "],
        ["By The Associated Press"],
        ["UN MEMBERS STILL PUSHING US ON AID RESOLUTION"],
        ["", "___", "Magdy reported from Cairo."],
        [],
    ],
)
def test_no_body_is_a_parse_error(lines: list[str]) -> None:
    with pytest.raises(ParseError) as failure:
        parse_item(_item(*lines), SOURCE)
    assert failure.value.reason == "no-body"


def test_text_id_is_stable_and_ignores_layout() -> None:
    a = _item("LONDON (Reuters) - Oil  fell.", "", "It rose later.", headline="Oil")
    b = _item("Oil", "LONDON (Reuters) - Oil fell.", "It rose later.")
    c = _item("LONDON (Reuters) - Oil fell.", "It fell later.", headline="Oil")
    assert (
        text_id(a)
        == text_id(b)
        == "sha1:" + __import__("hashlib").sha1(b"Oil\nLONDON (Reuters) - Oil fell.\nIt rose later.").hexdigest()[:20]
    )
    assert text_id(a) != text_id(c)


def test_links_lose_trailing_punctuation_but_keep_balanced_brackets() -> None:
    assert find_links(
        [
            "See https://example.com/a.",
            "(https://en.wikipedia.org/wiki/Gaza_(city)), and www.apnews.com;",
            "again https://example.com/a",
        ]
    ) == ["https://example.com/a", "https://en.wikipedia.org/wiki/Gaza_(city)", "www.apnews.com"]


def test_word_count_skips_dashes() -> None:
    assert count_words("some 1.9 million Palestinians — nearly 85% of the population —") == 9
