"""Encode stage: a ``Story`` → Avro records keyed by story id: the story, and one per quote and entity.

The story record is the main output; quote, entity and latest-topic records leave on tagged
outputs so that each goes to its own ``WriteToKafka`` (no Flatten: see ``wirestream.pipelines.graph``).
With a latest topic, the stage holds the table of each family's latest version
(``wirestream.transforms.newsroom.latest``), read back from that topic when the worker sets up:
it decides what the story supersedes and whether it replaces its family's record there. A story is encoded
all or nothing: if any of its records does not fit its schema, the story is dead-lettered and
none of its records is written. With the schemas' registry ids (looked up or registered at launch:
``wirestream.pipelines.schema_ids``) the values are in the Confluent wire format, else
Avro single-object messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

from wirestream.transforms.encoding.outputs import story_records
from wirestream.transforms.newsroom.latest import LatestTable
from wirestream.transforms.places.agencies import agency_names, known_agency
from wirestream.transforms.records.story import Story, WireMessage
from wirestream.transforms.settings import Topics
from wirestream.transforms.stage_fn import Element, StageFn
from wirestream.transforms.telemetry import metrics

QUOTES = "quotes"
ENTITIES = "entities"
LATEST = "latest"


class EncodeFn(StageFn):
    """Main output: ``(message, story OutRecord)``; tagged ``quotes`` / ``entities`` / ``latest``: ``OutRecord``s.

    ``topics.latest`` None leaves the latest records out. ``schema_ids`` (schema name → registry id)
    writes the Confluent wire format. ``load_latest`` reads the latest topic's table (once per
    worker); without it every story is placed as if its family were new.
    """

    stage = "encode"

    def __init__(
        self,
        topics: Topics,
        schema_ids: Mapping[str, int] | None = None,
        load_latest: Callable[[], LatestTable] | None = None,
    ) -> None:
        super().__init__(story_records)  # no limits: Avro encoding is linear, in C: nothing to bound
        self._topic = topics.stories
        self._quotes_topic = topics.quotes
        self._entities_topic = topics.entities
        self._latest_topic = topics.latest
        self._load_latest = load_latest
        self._latest = LatestTable()
        self._schema_ids = dict(schema_ids) if schema_ids is not None else None
        self._processed = Metrics.counter("wirestream", "stories_processed")

    def setup(self) -> None:
        super().setup()
        for agency in [*agency_names(), "none"]:  # at zero, so an agency's first story shows in increase()
            metrics.STORIES_BY_AGENCY.labels(agency)
        if self._load_latest and self._latest_topic:
            self._latest = self._load_latest()

    def handle(self, message: WireMessage, story: Story) -> Iterable[Any]:
        placement = self._latest.decide(story)
        records = self.run(
            story,
            stories_topic=self._topic,
            quotes_topic=self._quotes_topic,
            entities_topic=self._entities_topic,
            schema_ids=self._schema_ids,
            source_timestamp_ms=message.timestamp_ms,
            latest_topic=self._latest_topic,
            placement=placement,
        )
        self._latest.commit(placement)  # only now: a story that failed to encode changed nothing
        metrics.STORIES_PROCESSED.labels(story.format).inc()
        count_story(story)
        metrics.LATEST_PLACEMENTS.labels(placement.why).inc()
        for signal in story.signals:
            metrics.SIGNALS.labels(signal, story.format).inc()
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
            elif record.topic == self._latest_topic:
                yield beam.pvalue.TaggedOutput(LATEST, record)
            else:
                yield beam.pvalue.TaggedOutput(ENTITIES, record)


def count_story(story: Story) -> None:
    """The story in the per-agency, per-country and per-language series (``metrics.STORIES_BY_*``)."""
    dateline = story.dateline
    agency = known_agency(dateline.agency) if dateline and dateline.agency else None
    metrics.STORIES_BY_AGENCY.labels(agency.name if agency else "none").inc()
    geo = dateline.geo if dateline else None
    metrics.STORIES_BY_COUNTRY.labels(geo.country_code if geo and geo.country_code else "none").inc()
    metrics.STORIES_BY_LANGUAGE.labels(story.language or "none", story.nlp_model or "none").inc()
