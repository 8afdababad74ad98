"""Bylines at the top of a story and contributor taglines after the ``___`` rule."""

from __future__ import annotations

import pytest

from wirestream.transforms.parsing.byline import parse_byline, parse_bylines, parse_tagline
from wirestream.transforms.records.story import Byline, Contributor


def test_two_names_share_the_title_line_below() -> None:
    lines = ["By PAUL BYRNE and ALMUDENA CALATRAVA", "Associated Press", "BUENOS AIRES, Argentina (AP) _ x"]
    assert parse_bylines(lines) == (
        [Byline("PAUL BYRNE", "Associated Press"), Byline("ALMUDENA CALATRAVA", "Associated Press")],
        2,
    )


def test_title_line_and_wire_end_marks() -> None:
    lines = ["", "By CHARLES ODUM=", "AP Sports Writer=", "ATLANTA (AP) _ Luol Deng scored"]
    assert parse_bylines(lines) == ([Byline("CHARLES ODUM", "AP Sports Writer")], 3)


def test_desk_byline() -> None:
    assert parse_bylines(["By The Associated Press", "Standings:"]) == ([Byline("The Associated Press")], 1)


def test_german_byline_with_agency() -> None:
    assert parse_bylines(["Von Christian Hollmann, dpa", "Für Lucien Favre"]) == (
        [Byline("Christian Hollmann", "dpa")],
        1,
    )


def test_affiliation_after_a_comma_is_the_title() -> None:
    assert parse_bylines(["By Tom Krasovic, The San Diego Union-Tribune =", ""]) == (
        [Byline("Tom Krasovic", "The San Diego Union-Tribune")],
        1,
    )


def test_outlet_after_a_slash_is_the_title() -> None:
    assert parse_byline("Geir Molnes / Faktisk.no") == [Byline("Geir Molnes", "Faktisk.no")]


def test_agency_correspondents_are_a_desk() -> None:
    assert parse_bylines(["By dpa correspondents", "Geneva (dpa) - x"]) == ([Byline("dpa correspondents")], 1)


@pytest.mark.parametrize("text", ["gr/bp", "hh/ph/ts/hd", "2014-07-16 15:53:10", "By the way / nobody"])
def test_initials_and_codes_are_no_byline(text: str) -> None:
    assert parse_byline(text) == []


@pytest.mark.parametrize(
    "lines",
    [
        ["DEIR AL-BALAH, Gaza Strip (AP) — Hamas’ top leader"],
        ["By now, the market had fallen.", "x"],
        ["By the way, nobody came."],
        ["By 2030 the city will be full."],
        [],
        ["", ""],
    ],
)
def test_no_byline(lines: list[str]) -> None:
    assert parse_bylines(lines) == ([], 0)


def test_a_byline_in_capitals_splits_at_a_conjunction_in_capitals() -> None:
    assert parse_byline("BY PAUL BYRNE AND ANA RUIZ") == [Byline("PAUL BYRNE"), Byline("ANA RUIZ")]


@pytest.mark.parametrize(
    "headline",
    [
        "By Land And Sea",  # title case capitalises the small words no name has
        "BY LAND AND SEA",  # two one-word "names"
        "By Land and Sea",
        "Von der Leyen Visits Kyiv",  # the German "Von", then a name that starts with a particle
        "By The Numbers: Ferry Traffic",
        "Par Avion",
    ],
)
def test_a_headline_that_starts_like_a_byline_is_none(headline: str) -> None:
    assert parse_bylines([headline, "", "PORT ELLIS (FP) — The ferry ran aground."]) == ([], 0)


def test_byline_field_without_by() -> None:
    assert parse_byline("Paulo Santalucia and Frances d'Emilio") == [
        Byline("Paulo Santalucia"),
        Byline("Frances d'Emilio"),
    ]


def test_seed_tagline() -> None:
    line = "Magdy reported from Cairo."
    assert parse_tagline(line) == [Contributor("Magdy", "reported", "Cairo", line)]


def test_contributed_tagline_with_locations() -> None:
    line = "Associated Press writers Jane Doe in Paris and John Roe in Rome contributed to this report."
    assert parse_tagline(line) == [
        Contributor("Jane Doe", "contributed", "Paris", line),
        Contributor("John Roe", "contributed", "Rome", line),
    ]


def test_helped_tagline() -> None:
    line = "APTN contributor Kacey Cherry in Buenos Aires helped with this story."
    assert parse_tagline(line) == [Contributor("Kacey Cherry", "helped", "Buenos Aires", line)]


def test_location_with_a_country() -> None:
    line = "Associated Press writer Jane Doe in Tel Aviv, Israel, and John Roe in Rome contributed."
    assert [(c.name, c.location) for c in parse_tagline(line)] == [
        ("Jane Doe", "Tel Aviv, Israel"),
        ("John Roe", "Rome"),
    ]


def test_reuters_credits() -> None:
    line = "(Reporting by Marwan Makdisi; Editing by Alison Williams)"
    assert [(c.name, c.role) for c in parse_tagline(line)] == [
        ("Marwan Makdisi", "reporting"),
        ("Alison Williams", "editing"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Find more of AP’s coverage at https://apnews.com/hub/israel-hamas-war.",
        "Smith reported a loss of $5 million.",
        "He reported from Cairo.",
        "The company reported from Cairo.",
        "Follow Jane Doe on X.",
        "___",
        "",
        "Israel says it will keep fighting.",
    ],
)
def test_not_taglines(line: str) -> None:
    assert parse_tagline(line) == []
