"""The seed story (the AP story wirestream was specified from) parses as its editor read it:
``seed/ap-haniyeh-cairo.expected.json`` in the shared data, field by field, without NLP.

Agency copy, so the ``shared_data`` fixture skips these without it; the same structure is held to
fictional stories in tests/unit/test_formats_samples.py. The seed's entities and quotes are checked
in tests/unit/test_entities.py and tests/unit/test_quotes.py.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from wirestream.transforms.formats import decode
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story

SOURCE = Source(topic="wire.raw", partition=0, offset=42, timestamp_ms=1)


@pytest.fixture(scope="module")
def seed_raw(shared_data: Path) -> bytes:
    return (shared_data / "seed" / "ap-haniyeh-cairo.txt").read_bytes()


@pytest.fixture(scope="module")
def seed(shared_data: Path, seed_raw: bytes) -> tuple[Story, dict]:
    expected = json.loads((shared_data / "seed" / "ap-haniyeh-cairo.expected.json").read_text("utf-8"))
    [item] = decode(seed_raw)
    return parse_item(item, SOURCE, pipeline_version="test"), expected


def test_seed_story_has_no_headline(seed_raw: bytes) -> None:
    [item] = decode(seed_raw)
    assert item.format == "TEXT"
    assert item.headline is None
    assert item.body_lines[0].startswith("DEIR AL-BALAH, Gaza Strip (AP) — Hamas’ top leader")
    assert item.body_lines[-1] == "Find more of AP’s coverage at https://apnews.com/hub/israel-hamas-war."


def test_seed_dateline(seed: tuple[Story, dict]) -> None:
    story, expected = seed
    assert story.dateline is not None
    written = {key: value for key, value in dataclasses.asdict(story.dateline).items() if key != "geo"}
    assert written == expected["dateline"]
    assert story.dateline.geo is not None and story.dateline.geo.country_code == "PS"  # Deir al-Balah, Gaza


def test_seed_body_starts_and_ends(seed: tuple[Story, dict]) -> None:
    story, expected = seed
    assert story.paragraphs[0].startswith(expected["body_starts_with"])
    assert story.paragraphs[-1].endswith(expected["body_ends_with"])


def test_seed_paragraphs_and_subheads(seed: tuple[Story, dict]) -> None:
    story, expected = seed
    assert story.subheads == expected["subheads"]
    assert len(story.paragraphs) == expected["paragraph_count"] == 13
    assert not set(story.subheads) & set(story.paragraphs)


def test_seed_contributors_trailer_links(seed: tuple[Story, dict]) -> None:
    story, expected = seed
    assert [dataclasses.asdict(c) for c in story.contributors] == expected["contributors"]
    assert story.trailer == expected["trailer"]
    assert story.links == expected["links"]


def test_seed_bookkeeping(seed: tuple[Story, dict]) -> None:
    story, _ = seed
    assert story.headline is None  # the first line is the dateline lead, not a headline
    assert story.bylines == []
    assert story.format == "TEXT"
    assert story.source == SOURCE
    assert story.pipeline_version == "test"
    assert story.id.startswith("sha1:") and len(story.id) == len("sha1:") + 20
    assert story.word_count == sum(len(p.split()) for p in story.paragraphs) - sum(
        p.split().count("—") for p in story.paragraphs
    )
    assert not any("___" in p or "Magdy reported" in p for p in story.paragraphs)
