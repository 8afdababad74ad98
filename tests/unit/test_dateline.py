"""Dateline splitting: the wire shapes we must read, and sentences we must leave alone."""

from __future__ import annotations

import pytest

from wirestream.transforms.parsing.dateline import geocoded, parse_date, read_dateline_field, split_dateline
from wirestream.transforms.records.story import Dateline


@pytest.mark.parametrize(
    ("text", "expected", "rest"),
    [
        (
            "DEIR AL-BALAH, Gaza Strip (AP) — Hamas’ top leader arrived",
            Dateline("DEIR AL-BALAH, Gaza Strip (AP) —", "DEIR AL-BALAH", "Gaza Strip", "AP"),
            "Hamas’ top leader arrived",
        ),
        (
            "CHATHAM, Mass. (AP) _ A lobster died.",
            Dateline("CHATHAM, Mass. (AP) _", "CHATHAM", "Mass.", "AP"),
            "A lobster died.",
        ),
        ("NEW YORK (AP) — Stocks rose.", Dateline("NEW YORK (AP) —", "NEW YORK", None, "AP"), "Stocks rose."),
        (
            "LONDON, Nov 24 (Reuters) - Oil fell.",
            Dateline("LONDON, Nov 24 (Reuters) -", "LONDON", None, "Reuters", "Nov 24"),
            "Oil fell.",
        ),
        ("Paris (AFP) - Strikes spread.", Dateline("Paris (AFP) -", "Paris", None, "AFP"), "Strikes spread."),
        ("Berlin (dpa) - Negotiations", Dateline("Berlin (dpa) -", "Berlin", None, "dpa"), "Negotiations"),
        (
            "NEW YORK, March 3 - Shares rose.",
            Dateline("NEW YORK, March 3 -", "NEW YORK", None, None, "March 3"),
            "Shares rose.",
        ),
        (
            "STOCKHOLM, Aug 29, 2014 (AFP) -",
            Dateline("STOCKHOLM, Aug 29, 2014 (AFP) -", "STOCKHOLM", None, "AFP", "Aug 29, 2014"),
            "",
        ),
        (
            "GROSSETO, Italy (AP) -- The trial of the captain",
            Dateline("GROSSETO, Italy (AP) --", "GROSSETO", "Italy", "AP"),
            "The trial of the captain",
        ),
        (
            "BUENOS AIRES, Argentina (AP) _ For cancer patients",
            Dateline("BUENOS AIRES, Argentina (AP) _", "BUENOS AIRES", "Argentina", "AP"),
            "For cancer patients",
        ),
        (
            "KYIV, Ukraine (AP) – Drones struck.",  # en dash
            Dateline("KYIV, Ukraine (AP) –", "KYIV", "Ukraine", "AP"),
            "Drones struck.",
        ),
        (
            "Tegucigalpa, Jan 2 (EFE).- Honduras said",
            Dateline("Tegucigalpa, Jan 2 (EFE).-", "Tegucigalpa", None, "EFE", "Jan 2"),
            "Honduras said",
        ),
        (
            "San Diego (tca/dpa) - History says",
            Dateline("San Diego (tca/dpa) -", "San Diego", None, "tca/dpa"),
            "History says",
        ),
        (
            "WOODBRIDGE, N.J. - Sealed Air said",
            Dateline("WOODBRIDGE, N.J. -", "WOODBRIDGE", "N.J."),
            "Sealed Air said",
        ),
        (
            "RICHMOND, Va. Feb 26 - Reynolds said",
            Dateline("RICHMOND, Va. Feb 26 -", "RICHMOND", "Va.", None, "Feb 26"),
            "Reynolds said",
        ),
        (
            "CHEVY CHASE, Md., - March 4 - GEICO said",
            Dateline("CHEVY CHASE, Md., - March 4 -", "CHEVY CHASE", "Md.", None, "March 4"),
            "GEICO said",
        ),
        (
            "WILKES-BARRE, Pa., Feb 26 - A bank said",
            Dateline("WILKES-BARRE, Pa., Feb 26 -", "WILKES-BARRE", "Pa.", None, "Feb 26"),
            "A bank said",
        ),
        (
            "WASHINGTON \u2014 The Senate voted.",  # a city standing alone, before an em dash
            Dateline("WASHINGTON \u2014", "WASHINGTON"),
            "The Senate voted.",
        ),
        (
            "LOS ANGELES \u2013 Fires spread.",
            Dateline("LOS ANGELES \u2013", "LOS ANGELES"),
            "Fires spread.",
        ),
        (
            "CHATHAM, Massachusetts (AP) _ A lobster died.",  # the state spelled out
            Dateline("CHATHAM, Massachusetts (AP) _", "CHATHAM", "Massachusetts", "AP"),
            "A lobster died.",
        ),
        (
            "AMSTERDAM, 2 March - Dutch shares rose.",
            Dateline("AMSTERDAM, 2 March -", "AMSTERDAM", None, None, "2 March"),
            "Dutch shares rose.",
        ),
        (
            "(ANSA) - Rome, October 11 - Italian Foreign Minister Angelino Alfano said",
            Dateline("(ANSA) - Rome, October 11 -", "Rome", None, "ANSA", "October 11"),
            "Italian Foreign Minister Angelino Alfano said",
        ),
        (
            "Strasbourg, 10 juil. 2024 (AFP) - L'op\u00e9ratrice",  # a French month
            Dateline("Strasbourg, 10 juil. 2024 (AFP) -", "Strasbourg", None, "AFP", "10 juil. 2024"),
            "L'op\u00e9ratrice",
        ),
        (
            "    LONDON, 2 March - Gilts rose.",  # the 1987 wire's paragraph indent
            Dateline("LONDON, 2 March -", "LONDON", None, None, "2 March"),
            "Gilts rose.",
        ),
    ],
)
def test_wire_datelines_are_split(text: str, expected: Dateline, rest: str) -> None:
    assert split_dateline(text) == (expected, rest)


@pytest.mark.parametrize(
    "text",
    [
        "U.S. President Joe Biden said - and repeated - that the talks would go on.",
        "The visit by Ismail Haniyeh came a day after Hamas fired rockets.",
        "Hamas’ top leader arrived in Cairo on Wednesday.",
        "Captain of wrecked cruise ship on trial in Italy",
        "WASHINGTON - no date and no region cannot be told from a headline",
        "CHRYSLER, AMC TALKS - SOURCES SAY",
        "FEDERAL RESERVE WEEKLY REPORT 3 - FEB 26",
        "Sen. Ted Cruz (R-Texas) - a statement",
        "Officials in Gaza (the territory's health ministry) - said",
        "",
        "— an em dash first",
        "BREAKING \u2014 Senate votes",
        "NATO \u2014 the alliance said",
        "U.S. \u2014 a statement",
        "Paris \u2014 a city in lower case needs an agency or a date",
    ],
)
def test_sentences_and_headlines_get_no_dateline(text: str) -> None:
    assert split_dateline(text) == (None, text)


def test_dateline_on_a_line_of_its_own_leaves_nothing() -> None:
    dateline, rest = split_dateline("HONOLULU (AP) _ ")
    assert dateline is not None and dateline.location == "HONOLULU"
    assert rest == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov 24", (11, 24)),
        ("Oct. 19", (10, 19)),
        ("2 March", (3, 2)),
        ("FEb 26", (2, 26)),
        ("Aug 29, 2014", (8, 29)),
        ("Narch 2", (3, 2)),
        ("Sept 9", (9, 9)),
    ],
)
def test_wire_dates_are_read(text: str, expected: tuple[int, int]) -> None:
    assert parse_date(text) == expected


def test_foreign_months_need_a_day() -> None:
    assert parse_date("2. M\u00e4rz") == (3, 2)
    assert parse_date("5 dic") == (12, 5)
    assert read_dateline_field("CASTLEBAR, Mayo") == Dateline("CASTLEBAR, Mayo", "CASTLEBAR", "Mayo")


def test_dateline_fields_are_read_without_confirmation() -> None:
    assert read_dateline_field("Houston, Texas") == Dateline("Houston, Texas", "Houston", "Texas")
    assert read_dateline_field("Strasbourg, 10 juil 2024 (AFP)") == Dateline(
        "Strasbourg, 10 juil 2024 (AFP)", "Strasbourg", None, "AFP", "10 juil 2024"
    )
    assert read_dateline_field("2014-07-16 15:53:10 GMT+00:00") is None


@pytest.mark.parametrize("text", ["Md. 4", "March 32", "Gaza Strip", "3", "Mass."])
def test_non_dates_are_not_dates(text: str) -> None:
    assert parse_date(text) is None


def _where(text: str) -> str | None:
    dateline, _ = split_dateline(text)
    assert dateline is not None, text
    return None if dateline.geo is None else "/".join(filter(None, (dateline.geo.country_code, dateline.geo.admin1)))


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("DEIR AL-BALAH, Gaza Strip (AP) — Aid arrived.", "PS/GZ"),
        ("KHAN YOUNIS (AP) — Aid arrived.", "PS/GZ"),
        ("KYIV, Ukraine (AP) — Sirens sounded.", "UA/12"),
        ("SPRINGFIELD, Ill. (AP) — Lawmakers met.", "US/IL"),
        ("ROME, Ga. (AP) — A mill closed.", "US/GA"),
        ("ROME (AP) — The pope spoke.", "IT/07"),
        ("LONDON, Nov 24 (Reuters) - Oil fell.", "GB/ENG"),
        ("Berlin (dpa) - Die Koalition tagte.", "DE/16"),
        ("PARIS, 3 mars 2026 (AFP) - Le gouvernement a parlé.", "FR/11"),
        ("Köln (dpa) - Der Dom bleibt zu.", "DE/07"),
        ("Barcelona, 12 ene (EFE).- El alcalde habló.", "ES/56"),
        ("(ANSA) - MILANO, 3 MAR - Il sindaco ha parlato.", "IT/09"),
        ("Oslo (NTB): Bystyret vedtok budsjettet.", "NO/12"),
        ("ABOARD AIR FORCE ONE (AP) — The president spoke.", None),
    ],
)
def test_every_modern_dateline_is_geocoded(text: str, where: str | None) -> None:
    assert _where(text) == where


def test_the_other_languages_datelines_keep_their_parts() -> None:
    assert split_dateline("Barcelona, 12 ene (EFE).- El alcalde habló.") == (
        Dateline("Barcelona, 12 ene (EFE).-", "Barcelona", None, "EFE", "12 ene"),
        "El alcalde habló.",
    )
    assert split_dateline("(ANSA) - MILANO, 3 MAR - Il sindaco ha parlato.") == (
        Dateline("(ANSA) - MILANO, 3 MAR -", "MILANO", None, "ANSA", "3 MAR"),
        "Il sindaco ha parlato.",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Microsoft Corp (MSFT.O) - the software maker - said it would hire.",
        "Bayern Munich (Germany) - the champions - lost.",
        "Barcelona (Spain) – the visitors – scored twice.",  # a real city, with its country: a team
        "Beyonce (pictured) - the singer - arrived.",
        "Florence (left) — the eldest sister — runs the bakery.",
        "THE TAKEAWAY — Rates will not fall soon.",
        "On Friday, June 5 — The council votes.",
        "CIA, NSA — The agencies declined to comment.",
        "GOLD — Prices rose.",
        "PORT ELLIS, Norland (Northland News) — an unknown agency and an unknown place",
        "TALLMARK, March 3 - a fictional place with no agency",
    ],
)
def test_ordinary_leads_stay_in_the_body(text: str) -> None:
    assert split_dateline(text) == (None, text)


def test_a_private_agency_vouches_for_a_place_no_gazetteer_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_AGENCIES", "Harbour Wire")
    dateline, rest = split_dateline("PORT ELLIS, Norland (Harbour Wire) — The ferry ran aground.")
    assert dateline == Dateline("PORT ELLIS, Norland (Harbour Wire) —", "PORT ELLIS", "Norland", "Harbour Wire")
    assert dateline.geo is None and rest == "The ferry ran aground."
    monkeypatch.setenv("WIRESTREAM_AGENCIES", "")
    assert split_dateline("PORT ELLIS, Norland (Harbour Wire) — x")[0] is None


def test_a_town_too_small_for_the_gazetteer_is_read_on_a_dated_line_in_a_known_region() -> None:
    dateline, _ = split_dateline("KILLINGTON, Vt., March 2 - Shr 81 cts vs 57 cts")
    assert dateline == Dateline("KILLINGTON, Vt., March 2 -", "KILLINGTON", "Vt.", None, "March 2")
    assert dateline.geo is None


def test_a_dateline_field_is_geocoded_too() -> None:
    dateline = read_dateline_field("Houston, Texas")
    assert dateline is not None and dateline.geo is not None
    assert (dateline.geo.name, dateline.geo.country_code, dateline.geo.admin1) == ("Houston", "US", "TX")


def test_geo_is_derived_so_it_takes_no_part_in_equality() -> None:
    dateline, _ = split_dateline("ROME (AP) — x")
    assert dateline is not None and dateline.geo is not None
    assert dateline == Dateline("ROME (AP) —", "ROME", None, "AP")


def test_a_dateline_pieced_together_elsewhere_is_geocoded_as_it_stands() -> None:
    assert geocoded(Dateline("HOUSTON", "HOUSTON")).geo.admin1 == "TX"  # a format's `located` alone
    assert geocoded(Dateline("x", "PORT ELLIS", "Norland")).geo is None
    assert geocoded(Dateline("(AP) —", None, agency="AP")).geo is None
