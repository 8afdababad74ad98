"""Encode stage: a ``Story`` → Avro records keyed by story id: the story, and one per quote and entity.

The story record is the main output; quote and entity records leave on tagged outputs so that
each goes to its own ``WriteToKafka`` (no Flatten: see ``pipelines.ingest``). A story is encoded
all or nothing: if any of its records does not fit its schema, the story is dead-lettered and
none of its records is written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms import avro, metrics
from transforms.kafka_io import OutRecord
from transforms.stage import Element, StageFn
from transforms.story import Story, WireMessage

QUOTES = "quotes"
ENTITIES = "entities"


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
        }
        for e in story.entities
    ]


class EncodeFn(StageFn):
    """Main output: ``(message, story OutRecord)``; tagged ``quotes`` / ``entities``: ``OutRecord``s.

    A topic of None leaves that kind of record out.
    """

    stage = "encode"

    def __init__(self, *, topic: str, quotes_topic: str | None = None, entities_topic: str | None = None) -> None:
        super().__init__()
        named = [t for t in (topic, quotes_topic, entities_topic) if t]
        if len(set(named)) != len(named):
            raise ValueError(f"the stories, quotes and entities topics must differ; got {named}")
        self._topic = topic
        self._quotes_topic = quotes_topic
        self._entities_topic = entities_topic
        self._processed = Metrics.counter("wirestream", "stories_processed")

    def handle(self, message: WireMessage, story: Story) -> Iterable[Any]:
        story.processed_at_ms = int(time.time() * 1000)
        key = story.id.encode()
        records = [OutRecord(self._topic, key, avro.encode(story.to_record(), "story"))]
        if self._quotes_topic:
            records += [OutRecord(self._quotes_topic, key, avro.encode(r, "quote")) for r in quote_records(story)]
        if self._entities_topic:
            records += [OutRecord(self._entities_topic, key, avro.encode(r, "entity")) for r in entity_records(story)]
        metrics.STORIES_PROCESSED.labels(story.format).inc()
        self._processed.inc()
        return records

    def process(self, element: Element) -> Iterator[Any]:
        for out in super().process(element):
            if isinstance(out, beam.pvalue.TaggedOutput):
                yield out  # a dead letter
                continue
            message, record = out
            if record.topic == self._topic:
                yield message, record
            elif record.topic == self._quotes_topic:
                yield beam.pvalue.TaggedOutput(QUOTES, record)
            else:
                yield beam.pvalue.TaggedOutput(ENTITIES, record)
