"""Every fictional fixture (tests/fixtures/<format>/) and every sample (samples/), decoded and
parsed, field by field against what an editor reads out of it (tests/wire_fixtures.py says how the
expectations are kept).

A field the code is known to get wrong is a strict xfail with the reason, so the test fails the day
the parser is fixed and the mark has to go. The real agency samples are held to the same in
tests/accuracy/test_wire_samples.py when the shared data is there.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.wire_fixtures import (
    EXPECTED_SUFFIX,
    FIXTURES,
    FOLDER_FORMATS,
    VOLATILE,
    expectation,
    expected_path,
    label,
    parsed,
    wire_files,
    wire_fixtures,
)
from wirestream.transforms.deadletters.errors import WirestreamError
from wirestream.transforms.formats import decode, detect
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story

FIELDS = [f.name for f in dataclasses.fields(Story) if f.name not in VOLATILE]
# An item with no id of its own: a hash of its text, after its slug family's words when it has one.
TEXT_ID = re.compile(r"(?:slug:[^/]+/)?sha1:[0-9a-f]{20}")


def _files_with(key: str) -> list[Any]:
    """The wire files whose expectation has ``key`` (``records`` or ``fails``), xfail where it says so."""
    cases = []
    for path in wire_files():
        if key not in expectation(path):
            continue
        why = expectation(path).get("_xfail", {}).get(key)
        marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
        cases.append(pytest.param(path, marks=marks, id=label(path)))
    return cases


def _field_cases() -> Iterator[Any]:
    for path in wire_files():
        for index, record in enumerate(expectation(path).get("records", [])):
            known = record.get("_xfail", {})
            for field in FIELDS:
                marks = [pytest.mark.xfail(strict=True, reason=known[field])] if field in known else []
                yield pytest.param(path, index, field, marks=marks, id=f"{label(path)}[{index}].{field}")


def test_every_format_we_read_has_a_fixture() -> None:
    assert {path.parent.name for path in wire_fixtures()} == set(FOLDER_FORMATS)


def test_every_wire_file_has_an_expectation_and_every_expectation_a_wire_file() -> None:
    expected = {expected_path(path) for path in wire_files()}
    on_disk = set(FIXTURES.rglob(f"*{EXPECTED_SUFFIX}"))
    assert sorted(map(label, expected - on_disk)) == []  # wire files nobody has read yet
    assert sorted(map(label, on_disk - expected)) == []  # expectations whose file is gone


@pytest.mark.parametrize("path", wire_fixtures(), ids=label)
def test_each_fixture_is_detected_as_the_format_of_its_folder(path: Path) -> None:
    assert FOLDER_FORMATS[path.parent.name] == detect(path.read_bytes()).NAME


@pytest.mark.parametrize("path", _files_with("records"))
def test_each_file_gives_one_record_per_story_the_editor_counted(path: Path) -> None:
    assert len(parsed(path)) == len(expectation(path)["records"])


@pytest.mark.parametrize(("path", "index", "field"), list(_field_cases()))
def test_each_field_reads_as_the_editor_read_it(path: Path, index: int, field: str) -> None:
    expected = expectation(path)["records"][index]
    got = parsed(path)[index][field]
    if field in ("id", "family_id") and field not in expected:
        assert TEXT_ID.fullmatch(got), f"{got!r}: an item with no id of its own gets a hash of its text"
        return
    assert field in expected, f"{expected_path(path).name} says nothing of {field!r}: read the item and add it"
    assert got == expected[field]


@pytest.mark.parametrize("path", _files_with("fails"))
def test_a_refused_file_fails_at_its_stage_with_its_reason(path: Path) -> None:
    with pytest.raises(WirestreamError) as failure:
        for item in decode(path.read_bytes()):
            parse_item(item, Source())
    assert (failure.value.stage, failure.value.reason) == (
        expectation(path)["fails"]["stage"],
        expectation(path)["fails"]["reason"],
    )
