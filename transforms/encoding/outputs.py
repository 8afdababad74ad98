"""What one story becomes on the output topics: Kafka records of its Avro story, quotes and entities.

Plain (no Beam, no Kafka client), so the encode stage, ``wirestream parse`` and the tests build
the same records. Every record is keyed by story id, as UTF-8 text (what string key deserializers
expect). Values are Avro single-object messages, or in the Confluent wire format when given the
schemas' registry ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from wirestream.transforms.encoding import avro, confluent
from wirestream.transforms.newsroom.latest import Action, Placement
from wirestream.transforms.records.output import LATEST_SOURCE, LATEST_STORY_ID, LATEST_VERSION, OutRecord
from wirestream.transforms.records.story import Story, position_text

# The key in ``schema_ids`` of the story schema's id under the latest topic's own subject.
LATEST_SCHEMA = "latest"


def story_header(story: Story) -> dict[str, Any]:
    """The fields every quote and entity record repeats, so a consumer needs no join."""
    return {
        "story_id": story.id,
        "headline": story.headline,
        "dateline": story.dateline.raw if story.dateline else None,
        "dateline_location": story.dateline.location if story.dateline else None,
        "pipeline_version": story.pipeline_version,
    }


def quote_records(story: Story) -> list[dict[str, Any]]:
    """One ``schemas/quote.avsc`` record per quote of the story."""
    header = story_header(story)
    return [
        {
            **header,
            "index": index,
            "text": q.text,
            "speaker": q.speaker,
            "kind": q.kind,
            "cue": q.cue,
            "paragraph": q.paragraph,
            "start": q.start,
            "end": q.end,
        }
        for index, q in enumerate(story.quotes)
    ]


def entity_records(story: Story) -> list[dict[str, Any]]:
    """One ``schemas/entity.avsc`` record per entity of the story."""
    header = story_header(story)
    return [
        {
            **header,
            "text": e.text,
            "label": e.label,
            "mentions": e.mentions,
            "aliases": list(e.aliases),
            "spans": [{"start": s.start, "end": s.end} for s in e.spans],
            "country_code": e.country_code,
        }
        for e in story.entities
    ]


def story_records(
    story: Story,
    *,
    stories_topic: str,
    quotes_topic: str | None = None,
    entities_topic: str | None = None,
    schema_ids: Mapping[str, int] | None = None,
    source_timestamp_ms: int | None = None,
    latest_topic: str | None = None,
    placement: Placement | None = None,
) -> list[OutRecord]:
    """The story's record, then one per quote and one per entity (a topic of None leaves those out),
    then, with ``latest_topic`` and a ``placement`` that changes the family's latest, its record there.

    ``schema_ids`` (schema name → registry id, ``registry.output_schema_ids``; ``latest``: the story
    schema's id under the latest topic's subject) writes the Confluent wire format; without,
    single-object messages. All or nothing: EncodeError if any of them does not fit its schema.
    Stamps ``processed_at``. Every record carries ``source_timestamp_ms`` (the input message's
    Kafka timestamp), from which the sink measures its end-to-end latency.
    """
    story.processed_at = int(time.time() * 1000)
    key = story.id.encode()
    encode = _encoder(schema_ids)

    def record(topic: str, value: dict[str, Any], schema: str) -> OutRecord:
        return OutRecord(topic, key, encode(value, schema), source_timestamp_ms=source_timestamp_ms)

    if placement is not None:
        story.supersedes = placement.supersedes
    records = [record(stories_topic, story.to_record(), "story")]
    if quotes_topic:
        records += [record(quotes_topic, r, "quote") for r in quote_records(story)]
    if entities_topic:
        records += [record(entities_topic, r, "entity") for r in entity_records(story)]
    if latest_topic and placement is not None and placement.action is not Action.KEEP:
        latest_id = schema_ids.get(LATEST_SCHEMA) if schema_ids else None
        records.append(_latest_record(story, records[0], latest_topic, placement, latest_id))
    return records


def _latest_record(
    story: Story, story_record: OutRecord, topic: str, placement: Placement, schema_id: int | None
) -> OutRecord:
    """The family's record on the compacted latest topic: the story itself (with the schema id of
    that topic's subject, in the Confluent wire format), or a tombstone. Its version header is what
    the latest table keeps (for a tombstone, the highest version the family had), so that a worker
    reading the topic back has the table as it was."""
    source = story.source
    position = position_text(source.topic, source.partition, source.offset)
    kept = placement.kept_version
    headers = (
        (LATEST_STORY_ID, story.id.encode()),
        (LATEST_VERSION, str(kept if kept is not None else "").encode()),
        (LATEST_SOURCE, position.encode()),
    )
    value = story_record.value if placement.action is Action.WRITE else None
    if value is not None and schema_id is not None:
        value = confluent.with_schema_id(value, schema_id)
    return OutRecord(topic, story.family_id.encode(), value, headers, story_record.source_timestamp_ms)


def _encoder(schema_ids: Mapping[str, int] | None) -> Callable[[dict[str, Any], str], bytes]:
    if schema_ids is None:
        return avro.encode
    return lambda record, name: confluent.encode(record, avro.load_schema(name), schema_ids[name])
