"""Encode stage: a ``Story`` → Avro records keyed by story id: the story, and one per quote and entity.

The story record is the main output; quote and entity records leave on tagged outputs so that
each goes to its own ``WriteToKafka`` (no Flatten: see ``wirestream.pipelines.ingest``). A story is encoded
all or nothing: if any of its records does not fit its schema, the story is dead-lettered and
none of its records is written. With the schemas' registry ids (looked up or registered at launch:
``wirestream.pipelines.ingest.registry_schema_ids``) the values are in the Confluent wire format, else
Avro single-object messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

from wirestream.transforms.records.outputs import story_records
from wirestream.transforms.records.story import Story, WireMessage
from wirestream.transforms.stage_fn import Element, StageFn
from wirestream.transforms.telemetry import metrics

QUOTES = "quotes"
ENTITIES = "entities"


class EncodeFn(StageFn):
    """Main output: ``(message, story OutRecord)``; tagged ``quotes`` / ``entities``: ``OutRecord``s.

    A topic of None leaves that kind of record out. ``schema_ids`` (schema name → registry id)
    writes the Confluent wire format.
    """

    stage = "encode"

    def __init__(
        self,
        *,
        topic: str,
        quotes_topic: str | None = None,
        entities_topic: str | None = None,
        schema_ids: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(story_records, max_seconds=None)  # Avro encoding is linear, in C: nothing to bound
        named = [t for t in (topic, quotes_topic, entities_topic) if t]
        if len(set(named)) != len(named):
            raise ValueError(f"the stories, quotes and entities topics must differ; got {named}")
        self._topic = topic
        self._quotes_topic = quotes_topic
        self._entities_topic = entities_topic
        self._schema_ids = dict(schema_ids) if schema_ids is not None else None
        self._processed = Metrics.counter("wirestream", "stories_processed")

    def handle(self, message: WireMessage, story: Story) -> Iterable[Any]:
        records = self.run(
            story,
            stories_topic=self._topic,
            quotes_topic=self._quotes_topic,
            entities_topic=self._entities_topic,
            schema_ids=self._schema_ids,
            source_timestamp_ms=message.timestamp_ms,
        )
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
