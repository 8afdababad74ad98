"""The kinds of copy issue 16 found us wrong on, one test each, on fictional items.

Datelines with no place, section labels that look like datelines, an AP Media API feed page, and
the NewsML-G2 metadata that holds the agency, the date and the byline when the text does not.
"""

from __future__ import annotations

import json

import pytest

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats import decode
from wirestream.transforms.parsing.dateline import split_dateline
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Byline, Dateline, Source


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("March 3 (Northwire) - Oil fell.", Dateline("March 3 (Northwire) -", None, None, "Northwire", "March 3")),
        ("(Fictional Bloomberg) -- Oil fell.", Dateline("(Fictional Bloomberg) --", None, None, "Fictional Bloomberg")),
        ("(FP) — Oil fell.", Dateline("(FP) —", None, None, "FP")),
        ("Nov 24 (Northwire) -- Oil fell.", Dateline("Nov 24 (Northwire) --", None, None, "Northwire", "Nov 24")),
    ],
)
def test_a_dateline_with_no_place_keeps_agency_and_date(lead: str, expected: Dateline) -> None:
    assert split_dateline(lead) == (expected, "Oil fell.")


def test_an_agency_first_dateline_needs_a_date_not_a_company() -> None:
    dateline, rest = split_dateline("(Northwire) -- Norland Ferries Ltd - the operator - cut fares.")
    assert dateline == Dateline("(Northwire) --", None, None, "Northwire")
    assert rest.startswith("Norland Ferries Ltd")


@pytest.mark.parametrize(
    "label",
    [
        "ANALYSIS", "NEWS ANALYSIS", "COMMENTARY", "OPINION", "EDITORIAL", "REVIEW", "FACTBOX",
        "EXPLAINER", "FACT CHECK", "CORRECTED", "UPDATE", "BREAKING NEWS", "EXCLUSIVE", "INSIGHT",
        "INTERVIEW", "Q&A", "TIMELINE", "WORLD BRIEFS", "METRO BRIEFS", "OBITUARY", "FEATURE",
        "REPORTER'S NOTEBOOK", "THE LATEST", "WHAT TO KNOW", "IN BRIEF", "MARKET PULSE",
        "SPECIAL REPORT", "ON POLITICS", "LETTER FROM VALMORA",
    ],
)  # fmt: skip
def test_a_section_label_is_never_a_dateline(label: str) -> None:
    for dash in ("\u2014", "-", "--"):
        text = f"{label} {dash} The council of Valmora voted on Tuesday."
        assert split_dateline(text) == (None, text)


def test_places_that_share_words_with_labels_are_still_places() -> None:
    assert split_dateline("THE HAGUE \u2014 Judges met.")[0] == Dateline("THE HAGUE \u2014", "THE HAGUE")
    assert split_dateline("NEWPORT NEWS, Va. (FP) \u2014 A ship.")[0] == Dateline(
        "NEWPORT NEWS, Va. (FP) \u2014", "NEWPORT NEWS", "Va.", "FP"
    )


def test_an_editors_note_in_parentheses_is_no_agency() -> None:
    text = "(Recasts) - Talks resumed."
    assert split_dateline(text) == (None, text)


def _feed_page(items: list[dict]) -> bytes:
    return json.dumps({"api_version": "2.1", "data": {"current_item_count": len(items), "items": items}}).encode()


def _ap_item(n: int) -> dict:
    return {
        "item": {
            "altids": {"itemid": f"fp-{n}", "friendlykey": str(n)},
            "headline": f"Ferry timetable change {n}",
            "signals": ["newscontent"],
            "body_nitf": f"<p>PORT ELLIS, Norland (FP) \u2014 Timetable change number {n}.</p>",
        }
    }


def test_an_ap_media_feed_page_gives_one_story_per_item() -> None:
    items = decode(_feed_page([_ap_item(1), _ap_item(2)]))
    assert [i.format for i in items] == ["APMEDIA", "APMEDIA"]
    stories = [parse_item(i, Source()) for i in items]
    assert [s.id for s in stories] == ["fp-1", "fp-2"]
    assert all(
        s.dateline == Dateline("PORT ELLIS, Norland (FP) \u2014", "PORT ELLIS", "Norland", "FP") for s in stories
    )


def test_an_empty_ap_media_feed_page_is_refused() -> None:
    with pytest.raises(DecodeError) as failure:
        decode(_feed_page([]), format="APMEDIA")
    assert failure.value.reason == "not-apmedia"


_G2 = """<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:fp:1" version="1" xml:lang="en">
 <itemMeta><itemClass qcode="ninat:text"/><firstCreated>2025-03-03T08:10:00Z</firstCreated></itemMeta>
 <contentMeta>{meta}<headline>Valmora opens its library on Sundays</headline></contentMeta>
 <contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>
 <p>{lead}The city library will open on Sundays from April.</p></body></html></inlineXML></contentSet>
</newsItem>"""


def _g2(meta: str, lead: str = ""):
    [item] = decode(_G2.format(meta=meta, lead=lead).encode())
    return parse_item(item, Source())


def test_g2_agency_and_date_from_creator_and_first_created_complete_the_lead() -> None:
    story = _g2('<creator literal="Northwire"/>', "VALMORA (Northwire) - ")
    assert story.dateline == Dateline("VALMORA (Northwire) -", "VALMORA", None, "Northwire", "March 3")
    assert story.paragraphs == ["The city library will open on Sundays from April."]


def test_g2_dateline_from_metadata_alone() -> None:
    story = _g2('<located><name>Valmora</name></located><creator literal="Northwire"/>')
    assert story.dateline == Dateline("March 3 (Northwire)", "Valmora", None, "Northwire", "March 3")


def test_g2_without_an_agency_credit_adds_no_date() -> None:
    story = _g2("<dateline>VALMORA, Norland</dateline>")
    assert story.dateline == Dateline("VALMORA, Norland", "VALMORA", "Norland")


def test_g2_byline_from_a_creator_who_is_a_person() -> None:
    meta = '<creator type="cpnat:person"><name>Ingrid Sol</name></creator><creator literal="Northwire"/>'
    assert _g2(meta).bylines == [Byline("Ingrid Sol")]


def test_g2_byline_from_a_contributor_but_not_an_editor() -> None:
    meta = (
        '<contributor role="crol:editor"><name>Lars Ekberg</name></contributor>'
        '<contributor role="crol:author"><name>Marta Olsen</name></contributor>'
    )
    assert _g2(meta).bylines == [Byline("Marta Olsen")]


def test_g2_by_wins_over_the_credits_and_a_login_is_no_name() -> None:
    assert _g2('<creator qcode="fp:olsen.marta"><name>olsen.marta</name></creator>').bylines == []
    meta = '<creator type="cpnat:person"><name>Ingrid Sol</name></creator><by>By Tobias Venn</by>'
    assert _g2(meta).bylines == [Byline("Tobias Venn")]


@pytest.mark.parametrize(
    ("lead", "location", "agency"),
    [
        ("ANALYSIS — WASHINGTON (AP) — The vote was close.", "WASHINGTON", "AP"),
        ("WORLD BRIEFS -- LONDON (Reuters) - Rain fell.", "LONDON", "Reuters"),
        ("NEWS ANALYSIS - PARIS, March 3 (AFP) - The vote was close.", "PARIS", "AFP"),
    ],
)
def test_a_dateline_after_a_label_is_read_and_keeps_the_label_in_raw(lead: str, location: str, agency: str) -> None:
    dateline, rest = split_dateline(lead)
    assert (dateline.location, dateline.agency) == (location, agency)
    assert lead.startswith(dateline.raw) and dateline.raw.split()[0] in ("ANALYSIS", "WORLD", "NEWS")
    assert f"{dateline.raw} {rest}" == lead


def test_a_chain_of_labels_is_no_dateline_and_costs_little() -> None:
    lead = "ANALYSIS — " * 5000 + "WASHINGTON (AP) — x"
    assert split_dateline(lead) == (None, lead)
    assert split_dateline("John Smith - PARIS (AFP) - x")[0] is None  # a name is no label
