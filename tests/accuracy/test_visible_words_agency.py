"""No visible word lost on the agencies' own items: every word a reader sees in each real sample of
../shared/data/wire-samples is in its records (the rules of what is visible, and the fictional
fixtures' check, are in tests/unit/test_visible_words.py). Skipped without the shared data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.unit.test_visible_words import record_words, visible_blocks, visible_words
from tests.wire_fixtures import comparable
from wirestream.transforms.formats import decode
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source


def test_every_visible_word_of_every_agency_sample_is_in_its_records(shared_data: Path) -> None:
    samples = sorted(
        path
        for path in (shared_data / "wire-samples").rglob("*")
        if path.is_file() and path.name != "README.md" and "ninjs-schemas" not in path.parts
    )
    assert len(samples) >= 25
    lost = {}
    for path in samples:
        kept: Counter[str] = Counter()
        for item in decode(path.read_bytes()):
            kept += record_words(comparable(parse_item(item, Source()).to_record()))
        if missing := visible_words(visible_blocks(path)) - kept:
            lost[path.name] = dict(missing)
    assert lost == {}
