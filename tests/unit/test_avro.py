"""The Story schema and its single-object encoding."""

from __future__ import annotations

import json
import struct

import pytest
from fastavro.schema import fingerprint, to_parsing_canonical_form

from transforms import avro
from transforms.errors import EncodeError
from transforms.story import Contributor, Dateline, Entity, Source, Span, Story


def sample_story() -> Story:
    return Story(
        id="sha1:abc",
        format="TEXT",
        source=Source(topic="wire.raw", partition=1, offset=7, timestamp_ms=1_700_000_000_000),
        paragraphs=["A ferry ran aground.", "Everyone was saved."],
        dateline=Dateline(raw="PORT ELLIS, Norland (FP) —", location="PORT ELLIS", region="Norland", agency="FP"),
        contributors=[Contributor("Venn", "reported", "Lindqvist Bay", "Venn reported from Lindqvist Bay.")],
        entities=[Entity("Port Ellis", "GPE", 2, ["PORT ELLIS"], [Span(0, 10), Span(30, 40)])],
        word_count=7,
        pipeline_version="0.1.0",
    )


def test_a_story_round_trips_through_avro():
    record = sample_story().to_record()
    assert avro.decode(avro.encode(record)) == record


def test_single_object_header_is_magic_and_crc64_fingerprint_of_the_canonical_schema():
    data = avro.encode(sample_story().to_record())
    canonical = to_parsing_canonical_form(avro.load_schema("story"))
    expected = struct.pack("<Q", int(fingerprint(canonical, "CRC-64-AVRO"), 16))
    assert data[:2] == b"\xc3\x01"
    assert data[2:10] == expected


def test_bytes_without_the_header_are_refused_with_what_was_expected():
    with pytest.raises(ValueError, match="single-object"):
        avro.decode(b"{}")


def test_a_record_that_does_not_fit_is_an_encode_error():
    record = sample_story().to_record()
    record["word_count"] = "many"
    with pytest.raises(EncodeError):
        avro.encode(record)


def _fields(schema: dict) -> list[tuple[str, dict]]:
    """Every (record name, field) in a schema, nested ones included."""
    found = []
    if isinstance(schema, dict):
        for field in schema.get("fields", []):
            found.append((schema["name"], field))
            found.extend(_fields(field["type"]))
        found.extend(_fields(schema.get("items")))
    elif isinstance(schema, list):
        for branch in schema:
            found.extend(_fields(branch))
    return found


def test_every_record_and_field_of_the_schema_is_documented():
    schema = json.loads((avro.SCHEMA_DIR / "story.avsc").read_text())
    fields = _fields(schema)
    assert len(fields) > 30
    undocumented = [f"{record}.{field['name']}" for record, field in fields if not field.get("doc")]
    assert undocumented == []


def test_story_dataclass_and_schema_have_the_same_fields():
    schema = avro.load_schema("story")
    assert [f["name"] for f in schema["fields"]] == list(sample_story().to_record())
