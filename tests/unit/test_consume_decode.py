"""``wirestream consume --decode``: every record type we write is decoded, picked by its schema fingerprint."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from wirestream.pipelines.cli._reading import bytes_json
from wirestream.pipelines.cli.consume import _json_default, _message_json
from wirestream.transforms.encoding import avro
from wirestream.transforms.encoding.outputs import story_records
from wirestream.transforms.records.story import Dateline, Entity, Quote, Source, Span, Story


def story() -> Story:
    return Story(
        id="sha1:abc",
        family_id="sha1:abc",
        format="TEXT",
        source=Source(topic="wire.raw", partition=0, offset=3),
        headline="Ferry runs aground",
        dateline=Dateline(raw="PORT ELLIS, Norland (FP) —", location="PORT ELLIS", region="Norland", agency="FP"),
        paragraphs=["A ferry ran aground, officials said.", "“We did everything by the book,” Marrow said."],
        entities=[Entity("Port Ellis", "GPE", 2, ["PORT ELLIS"], [Span(0, 10)])],
        quotes=[Quote("We did everything by the book,", "Marrow", "DIRECT", "said", 1, 40, 71)],
        word_count=13,
        pipeline_version="0.1.0",
    )


@pytest.fixture(scope="module")
def records():
    return story_records(story(), stories_topic="s", quotes_topic="q", entities_topic="e")


def test_each_record_is_decoded_with_the_schema_it_was_written_with(records):
    decoded = [avro.decode_any(r.value) for r in records]
    assert [name for name, _ in decoded] == ["story", "quote", "entity"]
    (_, story_record), (_, quote), (_, entity) = decoded
    assert story_record["headline"] == "Ferry runs aground"
    assert (quote["speaker"], quote["kind"], quote["story_id"]) == ("Marrow", "DIRECT", "sha1:abc")
    assert (entity["text"], entity["label"], entity["aliases"]) == ("Port Ellis", "GPE", ["PORT ELLIS"])


@pytest.mark.parametrize("data", [b"", b"plain text", b"\xc3\x01" + b"\x00" * 12, b"\xff\xfe"])
def test_bytes_of_no_schema_of_ours_are_refused(data):
    with pytest.raises(ValueError, match="not an Avro single-object message of any version of our schemas"):
        avro.decode_any(data)


def kafka_record(value: bytes) -> SimpleNamespace:
    return SimpleNamespace(topic="t", partition=0, offset=0, timestamp=1, key=b"sha1:abc", headers=[], value=value)


def test_consume_prints_story_quote_and_entity_records_decoded(records):
    values = [_message_json(kafka_record(r.value), decode=True)["value"] for r in records]
    assert values[0]["id"] == "sha1:abc"
    assert values[1]["text"] == "We did everything by the book,"
    assert values[2]["label"] == "GPE"
    for value in values:
        json.dumps(value, default=_json_default)  # printable as a JSON line


def test_consume_prints_anything_else_as_text_or_base64(records):
    assert _message_json(kafka_record(b"\xc3\x01\x00\xff"), decode=True)["value"] == {"base64": "wwEA/w=="}
    assert _message_json(kafka_record(b"hello"), decode=True)["value"] == "hello"
    assert _message_json(kafka_record(records[1].value), decode=False)["value"] == bytes_json(records[1].value)


@pytest.mark.parametrize("decode", [True, False])
def test_a_tombstone_prints_as_null_not_as_an_empty_value(decode):
    assert _message_json(kafka_record(None), decode=decode)["value"] is None
    assert _message_json(kafka_record(b""), decode=decode)["value"] == ""
