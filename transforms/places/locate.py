"""Which place a dateline means: ``ROME, Ga.`` is Rome, Georgia; ``ROME`` alone is Rome, Italy.

The choice, in this order:

1. **The region written after the place** (``Ga.``, ``Gaza Strip``, ``British Columbia``) keeps
   the places of that country, or that US state; any of them will do, down to GeoNames' places of
   500 people (``TRAIL, British Columbia``). Among them the place whose own name it is, then the
   most populous.
2. **Without a region** (or one we cannot read), only a city of 15,000 people or more, or a
   country's capital (``VATICAN CITY``), is taken: a village's name alone is too weak a sign.
   Among them, a place whose own name it is beats one only also called so (``ISLAMABAD`` is
   Pakistan's capital, not Chattogram, once called Islamabad); then a US city that AP's
   stylebook would date without its state (``WASHINGTON``, ``HOUSTON``) or any city outside the
   US beats a US city that would need one; then the most populous. So ``SAN JOSE`` alone is San
   José, Costa Rica, as foreign copy means it (AP writes ``SAN JOSE, Calif.``); ``ROME`` is Rome,
   Italy; ``SPRINGFIELD`` alone is the largest Springfield.
3. **A country that is one city** (under 3,000 km²: ``BAHRAIN``, ``SINGAPORE``) stands for its
   capital, when no city bears the name itself.
4. **Special places** (``special.py``): ``UNITED NATIONS`` is the headquarters in New York;
   ``ABOARD AIR FORCE ONE`` is a real dateline with no fixed point.

A commodity or market word standing alone (``GOLD``) is never a place (``special.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from wirestream.transforms.places.folding import fold
from wirestream.transforms.places.gazetteer import Hit, Place, countries, places_named
from wirestream.transforms.places.regions import Region, regions_named
from wirestream.transforms.places.special import is_never_a_place, special_place
from wirestream.transforms.records.story import Geo

__all__ = ["BY_NAME_ALONE", "CITY_STATE_KM2", "Located", "locate"]

# A place's name alone is enough for a city of this many people (GeoNames' cities15000).
BY_NAME_ALONE = 15_000
# A country this small (km²) is as good as one city: Bahrain, Singapore, Monaco, Luxembourg, Malta.
CITY_STATE_KM2 = 3_000
# fmt: off
# The US cities the AP Stylebook dates without their state ("datelines").
_AP_STANDALONE = frozenset(fold(city) for city in (
    "Atlanta", "Baltimore", "Boston", "Chicago", "Cincinnati", "Cleveland", "Dallas", "Denver",
    "Detroit", "Honolulu", "Houston", "Indianapolis", "Las Vegas", "Los Angeles", "Miami",
    "Milwaukee", "Minneapolis", "New Orleans", "New York", "Oklahoma City", "Philadelphia",
    "Phoenix", "Pittsburgh", "St. Louis", "Salt Lake City", "San Antonio", "San Diego",
    "San Francisco", "Seattle", "Washington",
))
# fmt: on


@dataclass(frozen=True)
class Located:
    """A dateline's place found: ``geo`` (None for a place with no fixed point) and how it was chosen
    (``region``, ``name``, ``country``, ``special``)."""

    geo: Geo | None
    how: str


@functools.lru_cache(maxsize=16_384)  # the wire repeats its datelines: LONDON, NEW YORK, WASHINGTON
def locate(location: str, region: str | None = None) -> Located | None:
    """The place ``location`` (with ``region`` written after it) means, or None when it is none we know."""
    special = special_place(location)
    if special is not None:
        return Located(_special_geo(special.at), "special")
    if "/" in location:  # "DALLAS/FORT WORTH, Texas": the first place we know
        return next(filter(None, (locate(part, region) for part in location.split("/") if part.strip())), None)
    hits = places_named(location)
    if not hits:
        return _city_state(location) if region is None else None
    regions = regions_named(region) if region else ()
    if regions:
        inside = [hit for hit in hits if any(_in(hit.place, r) for r in regions)]
        if not inside:
            return None  # "SCARBOROUGH, Ontario" is no English town, whatever else is called so
        best = max(inside, key=lambda hit: (hit.own, hit.place.population))
        return Located(_geo(best.place), "region")
    if region is None and is_never_a_place(location):
        return None
    best_known = _by_name(location, hits)
    return None if best_known is None else Located(_geo(best_known.place), "name")


def _city_state(location: str) -> Located | None:
    """``BAHRAIN``, ``SINGAPORE``: a country small enough to be one city stands for its capital."""
    for region in regions_named(location):
        country = countries().get(region.country_code) or {}
        if region.admin1 is None and 0 < float(country.get("areakm2") or 0) <= CITY_STATE_KM2:
            capital = [hit for hit in places_named(country.get("capital") or "") if _in(hit.place, region)]
            if capital:
                return Located(_geo(max(capital, key=lambda hit: hit.place.population).place), "country")
    return None


def _by_name(location: str, hits: list[Hit]) -> Hit | None:
    notable = [hit for hit in hits if hit.place.population >= BY_NAME_ALONE or _is_capital(hit.place)]
    if not notable:
        return None
    foreign = any(hit.place.country_code != "US" for hit in notable)
    standalone = fold(location) in _AP_STANDALONE

    def rank(hit: Hit) -> tuple[bool, bool, int]:
        needs_state = hit.place.country_code == "US" and not standalone
        return hit.own, not (needs_state and foreign), hit.place.population

    return max(notable, key=rank)


def _in(place: Place, region: Region) -> bool:
    return place.country_code == region.country_code and region.admin1 in (None, place.admin1)


def _is_capital(place: Place) -> bool:
    return fold(place.name) in _capitals().get(place.country_code, ())


@functools.cache
def _capitals() -> dict[str, frozenset[str]]:
    return {code: frozenset({fold(country.get("capital") or "")} - {""}) for code, country in countries().items()}


def _special_geo(at: tuple[str, str] | None) -> Geo | None:
    if at is None:
        return None
    hits = [hit for hit in places_named(at[0]) if hit.place.country_code == at[1]]
    return _geo(max(hits, key=lambda hit: hit.place.population).place) if hits else None


def _geo(place: Place) -> Geo:
    return Geo(
        geonames_id=place.geonames_id,
        name=place.name,
        country_code=place.country_code,
        admin1=place.admin1,
        latitude=place.latitude,
        longitude=place.longitude,
        timezone=place.timezone,
    )
