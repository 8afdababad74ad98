"""Records any Kafka tool can read: the pipeline writes the Confluent wire format through a real schema
registry (Apicurio, ``deploy/registry/``), a client we did not write reads every record the same as
``wirestream consume --decode``, and the registry holds our subjects to BACKWARD compatibility.

That client is confluent-kafka: its own consumer (librdkafka), ``SchemaRegistryClient`` and
``AvroDeserializer``, pointed at the registry's Confluent-compatible API.
"""

from __future__ import annotations

import copy
import io
import json
import time
import uuid
from typing import Any

import fastavro
import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringDeserializer
from fastavro.utils import generate_many

from tests.integration.kafka_tools import produce, run_cli, run_pipeline
from tests.wire_fixtures import fixture
from wirestream.pipelines.cli.consume import _json_default
from wirestream.transforms.encoding import avro, confluent
from wirestream.transforms.encoding.registry import (
    IncompatibleSchemaError,
    SchemaRegistry,
    output_schema_ids,
    schema_text,
    subject_for,
)

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

KINDS = ("stories", "quotes", "entities", "latest")
Records = dict[tuple[int, int], tuple[str, Any]]  # (partition, offset) → (key, value as JSON)


def as_json(value: Any) -> Any:
    """A decoded record as ``consume`` prints it (datetimes as ISO text)."""
    return json.loads(json.dumps(value, default=_json_default))


def read_with_confluent_kafka(bootstrap: str, topic: str, registry_url: str) -> tuple[Records, set[int]]:
    """Every record of ``topic`` read and decoded by confluent-kafka alone, and the schema ids they carry."""
    values = AvroDeserializer(SchemaRegistryClient({"url": registry_url}))
    keys = StringDeserializer("utf_8")
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"reader.{uuid.uuid4().hex[:8]}"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions}
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        records: Records = {}
        ids: set[int] = set()
        deadline = time.monotonic() + 30
        while len(records) < sum(ends.values()) and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            assert message.error() is None, message.error()
            context = SerializationContext(topic, MessageField.VALUE)
            ids.add(confluent.split(message.value())[0])
            key = keys(message.key(), SerializationContext(topic, MessageField.KEY))
            records[(message.partition(), message.offset())] = (key, as_json(values(message.value(), context)))
        return records, ids
    finally:
        consumer.close()


def read_with_consume(bootstrap: str, topic: str, registry_url: str) -> Records:
    done = run_cli(
        "consume", "--bootstrap-servers", bootstrap, "--topic", topic, "--decode",
        "--schema-registry-url", registry_url, "--timeout", "1.5",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {(line["partition"], line["offset"]): (line["key"], line["value"]) for line in lines}


def test_confluent_kafka_reads_every_record_we_write_as_consume_decode_does(
    kafka_bootstrap, schema_registry, new_topic
):
    inputs = [fixture("nitf/fp-tallmark-lighthouse.xml"), fixture("text/fp-kestrel-dock-strike.txt")]
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [path.read_bytes() for path in inputs])

    done = run_pipeline(kafka_bootstrap, topic, out, "--schema-registry-url", schema_registry)

    assert done.returncode == 0, done.stderr[-3000:]
    registry = SchemaRegistry(schema_registry)
    topics = {
        "story": f"{out}.stories",
        "quote": f"{out}.quotes",
        "entity": f"{out}.entities",
        "latest": f"{out}.latest",
    }
    # what --no-auto-register finds; the latest topic holds stories, under a subject of its own
    registered = output_schema_ids(registry, topics, auto_register=False, schemas={"latest": "story"})
    counts = {}
    for (name, out_topic), kind in zip(topics.items(), KINDS, strict=True):
        theirs, ids = read_with_confluent_kafka(kafka_bootstrap, out_topic, schema_registry)
        ours = read_with_consume(kafka_bootstrap, out_topic, schema_registry)
        assert theirs, f"nothing on {out_topic}"
        assert theirs == ours
        assert ids == {registered[name]}
        assert registry.compatibility(subject_for(out_topic)) == "BACKWARD"
        for key, value in theirs.values():  # keys: the story id (the family's on wire.latest) as UTF-8 text
            assert key == value[{"stories": "id", "latest": "family_id"}.get(kind, "story_id")]
        counts[kind] = len(theirs)
    assert counts["stories"] == len(inputs)
    print(f"read by confluent-kafka's AvroDeserializer, the same as consume --decode: {counts}")


def test_a_schema_not_registered_fails_the_launch_saying_what_to_register(kafka_bootstrap, schema_registry, new_topic):
    out = f"out.{uuid.uuid4().hex[:8]}"

    done = run_pipeline(
        kafka_bootstrap, new_topic("raw"), out, "--schema-registry-url", schema_registry, "--no-auto-register-schemas"
    )

    assert done.returncode == 2, done.stderr[-3000:]
    for name, kind in zip(("story", "quote", "entity", "story"), KINDS, strict=True):
        assert f"schemas/{name}.avsc under subject '{out}.{kind}-value'" in done.stderr
    assert not any(s.startswith(out) for s in SchemaRegistry(schema_registry).subjects())


def test_a_schema_the_subjects_rule_refuses_fails_the_launch(kafka_bootstrap, schema_registry, new_topic):
    out = f"out.{uuid.uuid4().hex[:8]}"
    registry = SchemaRegistry(schema_registry)
    subject = f"{out}.stories-value"
    registry.set_compatibility(subject)
    # An earlier story the current one cannot read: its fields have no defaults to fill in.
    earlier = {**json.loads(schema_text("story")), "fields": [{"name": "id", "type": "string"}]}
    registry.register(subject, json.dumps(earlier))

    done = run_pipeline(kafka_bootstrap, new_topic("raw"), out, "--schema-registry-url", schema_registry)

    assert done.returncode == 2, done.stderr[-3000:]
    assert f"refuses this schema under subject '{subject}'" in done.stderr


def story_without_default(field: str) -> str:
    broken = copy.deepcopy(json.loads(schema_text("story")))
    broken["fields"].append({"name": field, "type": "string", "doc": "No default: older records have none."})
    return json.dumps(broken)


def test_the_registry_refuses_an_incompatible_story_and_takes_a_compatible_one(schema_registry):
    registry = SchemaRegistry(schema_registry)
    topic = f"evolve.{uuid.uuid4().hex[:8]}"
    current = output_schema_ids(registry, {"story": topic})["story"]

    with pytest.raises(IncompatibleSchemaError) as refused:
        registry.register(subject_for(topic), story_without_default("desk"))
    assert refused.value.status == 409

    compatible = json.loads(schema_text("story"))
    compatible["fields"].append({"name": "desk", "type": ["null", "string"], "default": None})
    assert registry.register(subject_for(topic), json.dumps(compatible)) not in (None, current)
    print(f"refused with HTTP 409: {refused.value}")


def test_a_record_written_with_an_earlier_registered_version_is_read_as_the_current_schema(schema_registry):
    """The writer schema fetched by id, resolved into the current one (new fields take their defaults)."""
    registry = SchemaRegistry(schema_registry)
    subject = subject_for(f"evolve.{uuid.uuid4().hex[:8]}")
    first = avro.released_schemas("story")[0]
    first_id = registry.register(subject, (avro.RELEASED_DIR / "story.v1.avsc").read_text())
    record = {**next(iter(generate_many(first, 1))), "processed_at_ms": None}
    body = io.BytesIO()
    fastavro.schemaless_writer(body, first, record)

    decoded = avro.decode(confluent.HEADER.pack(0, first_id) + body.getvalue(), "story", registry)

    assert set(decoded) == {field["name"] for field in avro.load_schema("story")["fields"]}
    assert decoded["id"] == record["id"]
