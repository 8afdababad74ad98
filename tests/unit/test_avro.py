"""The Story schema and its single-object encoding."""

from __future__ import annotations

import json
import struct

import pytest
from fastavro.schema import fingerprint, to_parsing_canonical_form

from wirestream.transforms.deadletters.errors import EncodeError
from wirestream.transforms.encoding import avro
from wirestream.transforms.records.story import Contributor, Dateline, Entity, Quote, Source, Span, Story


def sample_story() -> Story:
    return Story(
        id="sha1:abc",
        family_id="sha1:abc",
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


# -- quote and entity records -----------------------------------------------------------------


def story_with_quotes_and_entities() -> Story:
    story = sample_story()
    story.headline = "Ferry runs aground"
    story.quotes = [
        Quote("We did everything by the book.", "Ilse Marrow", "DIRECT", "said", 1, 22, 52),
        Quote("a credit to every crew", None, "PARTIAL", None, 1, 60, 82),
    ]
    return story


@pytest.mark.parametrize("name", ["story", "quote", "entity"])
def test_every_field_of_every_schema_is_documented(name):
    schema = json.loads((avro.SCHEMA_DIR / f"{name}.avsc").read_text())
    assert schema.get("doc")
    undocumented = [f"{record}.{field['name']}" for record, field in _fields(schema) if not field.get("doc")]
    assert undocumented == []


def test_quote_and_entity_records_round_trip_and_carry_the_story():
    from wirestream.transforms.encoding.outputs import entity_records, quote_records

    story = story_with_quotes_and_entities()
    quotes = quote_records(story)
    entities = entity_records(story)
    assert [q["index"] for q in quotes] == [0, 1]
    assert quotes[0]["speaker"] == "Ilse Marrow"
    assert entities[0]["spans"] == [{"start": 0, "end": 10}, {"start": 30, "end": 40}]
    for record, schema in [*((q, "quote") for q in quotes), *((e, "entity") for e in entities)]:
        assert record["story_id"] == "sha1:abc"
        assert record["headline"] == "Ferry runs aground"
        assert record["dateline"] == "PORT ELLIS, Norland (FP) —"
        assert record["dateline_location"] == "PORT ELLIS"
        assert avro.decode(avro.encode(record, schema), schema) == record


def test_each_schema_has_its_own_fingerprint():
    prints = {avro.schema_fingerprint(name) for name in ("story", "quote", "entity")}
    assert len(prints) == 3
    record = story_with_quotes_and_entities()
    from wirestream.transforms.encoding.outputs import quote_records

    data = avro.encode(quote_records(record)[0], "quote")
    with pytest.raises(ValueError, match="single-object"):
        avro.decode(data, "story")


def test_encode_fans_out_story_quote_and_entity_records_keyed_by_story_id():
    import apache_beam as beam

    from wirestream.transforms.records.story import WireMessage
    from wirestream.transforms.settings import Topics
    from wirestream.transforms.step6_encode import ENTITIES, QUOTES, EncodeFn

    message = WireMessage("wire.raw", 0, 7, None, None, b"raw")
    fn = EncodeFn(Topics(stories="s", quotes="q", entities="e", latest=None))
    story = story_with_quotes_and_entities()
    out = list(fn.process((message, story)))
    main = [o for o in out if not isinstance(o, beam.pvalue.TaggedOutput)]
    tagged = [o for o in out if isinstance(o, beam.pvalue.TaggedOutput)]
    assert [(m.topic, r.topic) for m, r in main] == [("wire.raw", "s")]
    assert sorted(t.tag for t in tagged) == [ENTITIES, QUOTES, QUOTES]
    assert {t.value.key for t in tagged} == {b"sha1:abc"}
    quotes = [avro.decode(t.value.value, "quote") for t in tagged if t.tag == QUOTES and t.value.topic == "q"]
    entities = [avro.decode(t.value.value, "entity") for t in tagged if t.tag == ENTITIES and t.value.topic == "e"]
    assert [(q["story_id"], q["index"], q["text"], q["speaker"], q["kind"]) for q in quotes] == [
        ("sha1:abc", index, q.text, q.speaker, q.kind) for index, q in enumerate(story.quotes)
    ]
    assert [(e["story_id"], e["text"], e["label"]) for e in entities] == [
        ("sha1:abc", e.text, e.label) for e in story.entities
    ]


def test_encode_refuses_one_topic_for_two_outputs():
    from wirestream.transforms.settings import Topics

    with pytest.raises(ValueError, match="must differ"):
        Topics(stories="wire.stories", quotes="wire.stories")
