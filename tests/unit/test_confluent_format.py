"""The Confluent wire format, offline: how records are framed, and that our readers resolve a writer
schema found by registry id into the current schema, as they do one found by fingerprint.

The registry here is a dict of id → schema; the real one is in tests/integration/test_schema_registry.py.
"""

from __future__ import annotations

import io
import json
import struct

import fastavro
import pytest
from fastavro.utils import generate_many

from tests.unit.test_consume_decode import kafka_record, story
from wirestream.pipelines.cli.consume import _json_default, _message_json
from wirestream.transforms.deadletters.errors import EncodeError
from wirestream.transforms.encoding import avro, confluent
from wirestream.transforms.encoding.outputs import LATEST_SCHEMA, story_records
from wirestream.transforms.encoding.registry import RegistryError
from wirestream.transforms.newsroom.latest import Action, Placement

IDS = {"story": 7, "quote": 8, "entity": 9}


class Registry:
    """Writer schemas by id, as a registry gives them (parsed from the registered text)."""

    def __init__(self, schemas: dict[int, dict]) -> None:
        self._schemas = {schema_id: fastavro.parse_schema(schema) for schema_id, schema in schemas.items()}

    def writer_schema(self, schema_id: int) -> dict:
        if schema_id not in self._schemas:
            raise RegistryError(f"no schema {schema_id}", status=404, code=40403)
        return self._schemas[schema_id]


def registered(name: str) -> dict:
    return json.loads((avro.SCHEMA_DIR / f"{name}.avsc").read_text())


CURRENT = Registry({IDS[name]: registered(name) for name in IDS})


@pytest.fixture(scope="module")
def framed():
    return story_records(story(), stories_topic="s", quotes_topic="q", entities_topic="e", schema_ids=IDS)


def test_a_record_is_a_zero_byte_its_schema_id_big_endian_and_the_same_avro_binary(framed):
    plain = story_records(story(), stories_topic="s", quotes_topic="q", entities_topic="e")
    for record, single_object, name in zip(framed, plain, ["story", "quote", "entity"], strict=True):
        assert record.value[:5] == b"\x00" + struct.pack(">I", IDS[name])
        # processed_at differs between the two calls; the quote and entity bodies do not
        if name != "story":
            assert record.value[5:] == single_object.value[10:]


def test_the_latest_topics_record_carries_the_id_registered_under_its_own_subject():
    placement = Placement(Action.WRITE, None, "new")
    records = story_records(
        story(), stories_topic="s", latest_topic="l", placement=placement, schema_ids={"story": 7, LATEST_SCHEMA: 70}
    )
    (stories,) = [r for r in records if r.topic == "s"]
    (latest,) = [r for r in records if r.topic == "l"]
    assert confluent.split(stories.value)[0] == 7 and confluent.split(latest.value)[0] == 70
    assert confluent.split(latest.value)[1] == confluent.split(stories.value)[1]  # one story, two subjects
    assert avro.decode(latest.value, "story", Registry({70: registered("story")}))["id"] == "sha1:abc"


def test_keys_stay_the_story_id_as_utf8_text(framed):
    assert {record.key for record in framed} == {b"sha1:abc"}


def test_each_record_is_read_back_with_the_writer_schema_its_id_names(framed):
    decoded = [avro.decode_any(record.value, CURRENT) for record in framed]
    assert [name for name, _ in decoded] == ["story", "quote", "entity"]
    assert decoded[0][1]["headline"] == "Ferry runs aground"
    assert (decoded[1][1]["speaker"], decoded[2][1]["label"]) == ("Marrow", "GPE")
    assert avro.decode(framed[1].value, "quote", CURRENT)["story_id"] == "sha1:abc"
    with pytest.raises(ValueError, match="Confluent wire-format message of schema 'quote', not 'story'"):
        avro.decode(framed[1].value, "story", CURRENT)


@pytest.mark.parametrize("version", range(len(avro.released_schemas("story"))))
def test_a_story_written_with_a_released_version_is_resolved_into_the_current_schema(version):
    """As a registry holds it: an older version under an older id, fetched by that id."""
    old = avro.released_schemas("story")[version]
    registry = Registry({1: old})
    current = {field["name"] for field in avro.load_schema("story")["fields"]}
    for record in generate_many(old, 10):
        out = io.BytesIO()
        fastavro.schemaless_writer(out, old, record)
        decoded = avro.decode(confluent.HEADER.pack(0, 1) + out.getvalue(), "story", registry)
        assert set(decoded) == current


def test_without_a_registry_a_framed_record_says_to_give_one(framed):
    with pytest.raises(ValueError, match=r"Confluent wire format \(schema id 7\).*--schema-registry-url"):
        avro.decode(framed[0].value)


def test_an_id_the_registry_lacks_or_a_schema_of_no_one_of_ours_is_refused(framed):
    with pytest.raises(RegistryError, match="no schema 7"):
        avro.decode(framed[0].value, registry=Registry({}))
    other = {"type": "record", "name": "Other", "namespace": "elsewhere", "fields": []}
    with pytest.raises(ValueError, match=r"'elsewhere\.Other', none of ours"):
        avro.decode_any(confluent.HEADER.pack(0, 5), Registry({5: other}))


def test_a_record_that_does_not_fit_is_an_encode_error():
    with pytest.raises(EncodeError, match=r"'wirestream.Story' \(id 7\)"):
        confluent.encode({"id": 1}, avro.load_schema("story"), 7)


@pytest.mark.parametrize("data", [b"", b"\x00\x00\x01", b"\xc3\x01" + b"\x00" * 12, b"plain"])
def test_only_a_zero_byte_and_a_whole_id_is_the_wire_format(data):
    assert not confluent.is_framed(data)
    with pytest.raises(ValueError, match="not a Confluent wire-format message"):
        confluent.split(data)


def test_consume_decodes_the_wire_format_given_a_registry_and_leaves_it_bytes_without(framed):
    values = [_message_json(kafka_record(r.value), decode=True, registry=CURRENT)["value"] for r in framed]
    assert [values[0]["id"], values[1]["text"], values[2]["label"]] == [
        "sha1:abc",
        "We did everything by the book,",
        "GPE",
    ]
    for value in values:
        json.dumps(value, default=_json_default)
    assert "base64" in _message_json(kafka_record(framed[0].value), decode=True)["value"]
    unknown = _message_json(kafka_record(framed[0].value), decode=True, registry=Registry({}))
    assert "base64" in unknown["value"]


def test_a_run_that_only_looks_ids_up_needs_a_registry_url():
    from wirestream.pipelines.schema_ids import RegistrySettings, SchemaIds, settle_schema_ids
    from wirestream.transforms.settings import Topics

    assert settle_schema_ids(RegistrySettings(), Topics()) == SchemaIds(None, None)
    with pytest.raises(ValueError, match="--no-auto-register-schemas needs --schema-registry-url"):
        RegistrySettings(auto_register=False)
