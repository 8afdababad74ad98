"""Encode stage: a ``Story`` → an Avro record keyed by story id for the stories topic."""

from __future__ import annotations

import time
from collections.abc import Iterable

from apache_beam.metrics import Metrics

from transforms import avro, metrics
from transforms.kafka_io import OutRecord
from transforms.stage import StageFn
from transforms.story import Story, WireMessage


class EncodeFn(StageFn):
    stage = "encode"

    def __init__(self, *, topic: str) -> None:
        super().__init__()
        self._topic = topic
        self._processed = Metrics.counter("wirestream", "stories_processed")

    def handle(self, message: WireMessage, story: Story) -> Iterable[OutRecord]:
        story.processed_at_ms = int(time.time() * 1000)
        value = avro.encode(story.to_record(), "story")
        metrics.STORIES_PROCESSED.labels(story.format).inc()
        self._processed.inc()
        yield OutRecord(self._topic, story.id.encode(), value, source_timestamp_ms=message.timestamp_ms)
