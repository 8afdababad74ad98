"""The fictional wire fixtures (``tests/fixtures/<format>/``) and the repo's samples, with what an
editor reads out of each, so that a clone runs its tests without the shared agency copy.

Every wire file has a ``<stem>.expected.json`` (for ``samples/`` in ``tests/fixtures/samples/``):
either ``records``, the records ``wirestream parse --no-nlp`` prints for it in order, without the
fields that depend on the run (``VOLATILE``) and without ``id`` where the item has no id of its own
(its id is then a hash of its text); or ``fails``, the stage and reason it is refused with. A
record's ``_xfail`` names fields the code is known to get wrong, each with why; a file's ``_xfail``
does the same for its record count.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from wirestream.transforms.formats import decode
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SAMPLES = REPO / "samples"
# Each fixture folder holds items of one wire format.
FOLDER_FORMATS = {
    "text": "TEXT",
    "anpa1312": "ANPA1312",
    "iptc7901": "IPTC7901",
    "nitf": "NITF",
    "newsml12": "NEWSML12",
    "newsmlg2": "NEWSMLG2",
    "ninjs": "NINJS",
    "apmedia": "APMEDIA",
}
# Record fields that say how and when a record was made, not what the item says.
VOLATILE = ("source", "processed_at", "pipeline_version")
EXPECTED_SUFFIX = ".expected.json"


def wire_fixtures() -> list[Path]:
    """Every fixture item, in a stable order."""
    return sorted(
        path
        for folder in FOLDER_FORMATS
        for path in (FIXTURES / folder).iterdir()
        if path.is_file() and not path.name.endswith(EXPECTED_SUFFIX)
    )


def sample_files() -> list[Path]:
    """Every item in ``samples/`` (the feed of ``make run``)."""
    return sorted(path for path in SAMPLES.iterdir() if path.is_file() and path.name != "README.md")


def wire_files() -> list[Path]:
    return wire_fixtures() + sample_files()


def fixture(name: str) -> Path:
    """``tests/fixtures/<name>``, e.g. ``fixture("text/fp-kestrel-dock-strike.txt")``."""
    path = FIXTURES / name
    assert path.is_file(), f"no fixture {name}"
    return path


def label(path: Path) -> str:
    """The path from the repo's root, as test ids and messages show it."""
    return str(path.relative_to(REPO))


def expected_path(path: Path) -> Path:
    folder = "samples" if path.parent == SAMPLES else path.parent.name
    return FIXTURES / folder / f"{path.stem}{EXPECTED_SUFFIX}"


@functools.cache
def expectation(path: Path) -> dict[str, Any]:
    """What the editor expects of ``path``: ``{"records": [...]}`` or ``{"fails": {...}}``."""
    return json.loads(expected_path(path).read_text(encoding="utf-8"))


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A Story record without its ``VOLATILE`` fields."""
    return {key: value for key, value in record.items() if key not in VOLATILE}


@functools.cache
def parsed(path: Path) -> tuple[dict[str, Any], ...]:
    """The records the pipeline makes of ``path`` (decode, then parse; no language model)."""
    items = decode(path.read_bytes())
    return tuple(comparable(parse_item(item, Source(path=label(path))).to_record()) for item in items)
