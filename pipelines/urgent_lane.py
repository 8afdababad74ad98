"""The fast lane: stories of urgency 1-3 out on the urgent topic without waiting behind a backlog.

The pipeline reads each partition in order, so a flash that arrives behind a thousand routine
items would wait until all of them had been through the language model. The lane reads the same
input on its own consumer group (``<group id>.urgent``), starting where the pipeline stands,
decodes and parses every message (about a millisecond each), and runs the model only on the
urgent ones, in a model process of its own; a flash is out in about a second however long the
backlog (docs/newsroom.md, "Urgent stories jump the queue"). The pipeline still writes every urgent
story to the stories, quotes, entities and latest topics; the urgent topic is the lane's alone. A message the lane
cannot read is the pipeline's to dead-letter, and one under embargo the pipeline's to hold: the
lane passes over both, and sees a held story again when it is released. A killed story is never
urgent: the lane keeps its own latest table (read back from the latest topic when it starts, then
fed every story it reads), and passes over a story its family's kill keeps down. Offsets are
committed after the urgent records are acknowledged, so a restart loses nothing.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from kafka import TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from wirestream.transforms import flow
from wirestream.transforms.encoding.outputs import story_records
from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.latest_topic import read_latest
from wirestream.transforms.kafka.messages import send_record, wire_message
from wirestream.transforms.kafka.topics import PartitionRead
from wirestream.transforms.newsroom.latest import LatestTable
from wirestream.transforms.nlp.enrich import enrich_each
from wirestream.transforms.nlp.models import language_models
from wirestream.transforms.records.story import Story, WireMessage
from wirestream.transforms.sandbox import Sandbox
from wirestream.transforms.settings import Settings
from wirestream.transforms.telemetry import metrics

__all__ = ["URGENT", "UrgentLane", "is_urgent"]

_LOGGER = logging.getLogger(__name__)
URGENT = "urgent"  # the `output` label of the urgent topic's records
MOST_URGENT = 3  # IPTC urgency 1 (flash) to 3 take the lane


def is_urgent(story: Story) -> bool:
    return story.urgency is not None and 1 <= story.urgency <= MOST_URGENT


def positions(consumer: Any, parts: list[TopicPartition]) -> dict[TopicPartition, OffsetAndMetadata]:
    return {tp: OffsetAndMetadata(consumer.position(tp), "", -1) for tp in parts}


def commit_or_warn(consumer: Any, parts: list[TopicPartition]) -> bool:
    """Commit the lane's positions; False, with a warning, when the broker is away (a restart): the lane
    goes on, and its next commit covers these offsets. Its records are acknowledged already, so a crash
    before then only sends them again (at least once)."""
    try:
        consumer.commit(positions(consumer, parts))
    except KafkaError as exc:
        _LOGGER.warning("the urgent lane could not commit its offsets (%s); it commits them with its next batch", exc)
        return False
    return True


class UrgentLane(threading.Thread):
    """Read ``reads``' partitions from their start, write their urgent stories to the urgent topic.

    A bounded run's lane (``settings.until_end``) ends at the reads' stops, else when ``stop()`` is
    called. ``schema_ids``: the story schema's registry id under the urgent topic, if any.
    """

    def __init__(
        self, settings: Settings, reads: list[PartitionRead], schema_ids: Mapping[str, int] | None = None
    ) -> None:
        super().__init__(name="wirestream-urgent-lane", daemon=True)
        if not settings.topics.urgent:
            raise ValueError("the urgent lane needs an urgent topic")
        self._settings = settings
        self._connection = settings.connection
        self._reads = reads
        self._urgent_topic = settings.topics.urgent
        self._group_id = f"{settings.group_id}.urgent"
        self._schema_ids = schema_ids
        self._until_end = settings.until_end
        setup = functools.partial(language_models, settings.nlp.models)
        self._model = Sandbox(enrich_each, setup=setup, name="wirestream-urgent")
        self._stopping = threading.Event()
        self._latest = LatestTable()
        self.written = 0
        self.error: BaseException | None = None

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # the launcher reports it: the run did not do this part of its work
            _LOGGER.exception("the urgent lane stopped")
            self.error = exc
        finally:
            self._model.close()

    def _run(self) -> None:
        # The lane's series from zero, so that the first flash shows in rate() and its quantiles.
        metrics.RECORDS_PRODUCED.labels(self._urgent_topic, URGENT)
        metrics.END_TO_END_SECONDS.labels(self._urgent_topic, URGENT)
        if not self._until_end:
            self._model.start()  # the model loads now, not when the first flash comes
        if self._settings.topics.latest:  # the kills before this run
            self._latest = read_latest(self._connection, self._settings.topics.latest)
        consumer = clients.new_consumer(self._connection, group_id=self._group_id)
        producer = clients.new_producer(self._connection)
        try:
            parts = self._assign(consumer)
            uncommitted = False
            while not self._stopping.is_set() and not self._done(consumer, parts):
                batch = consumer.poll(timeout_ms=200)
                pending = [self._send(producer, wire_message(r)) for records in batch.values() for r in records]
                producer.flush()
                failed = [f.exception for futures in pending for f in futures if f.failed()]
                if failed:
                    raise RuntimeError(f"{len(failed)} urgent record(s) were not acknowledged: {failed[0]}")
                self.written += sum(map(len, pending))
                if batch or uncommitted:
                    uncommitted = not commit_or_warn(consumer, parts)
            if uncommitted:  # the lane ends: its offsets must stand, or the next run sends these again
                consumer.commit(positions(consumer, parts))
        finally:
            consumer.close(autocommit=False)
            producer.close(timeout=5)

    def _assign(self, consumer: Any) -> list[TopicPartition]:
        """The lane's committed offsets, else where the pipeline starts (its group's, else the earliest)."""
        parts = [TopicPartition(read.topic, read.partition) for read in self._reads]
        consumer.assign(parts)
        for read, tp in zip(self._reads, parts, strict=True):
            committed = consumer.committed(tp)
            consumer.seek(tp, committed if committed is not None else read.start)
        return parts

    def _done(self, consumer: Any, parts: list[TopicPartition]) -> bool:
        if not self._until_end:
            return False
        return all(consumer.position(tp) >= (read.stop or 0) for read, tp in zip(self._reads, parts, strict=True))

    def _live(self, story: Story) -> bool:
        """Whether the story may go out as urgent: not a version its family's kill keeps down."""
        placement = self._latest.decide(story)
        self._latest.commit(placement)
        return placement.why != "after-kill"

    def _send(self, producer: Any, message: WireMessage) -> list[Any]:
        """The urgent stories of ``message`` sent to the urgent topic (their futures); none for the others."""
        settings = self._settings
        try:
            stories = flow.stories_of(
                message.value, flow.source_of(message), limits=settings.limits, wire_format=settings.wire_format
            )
        except Exception:  # the pipeline dead-letters it, with the reason
            return []
        free = flow.free_stories(stories, message, int(time.time() * 1000))
        urgent = [s for s in free if self._live(s) and is_urgent(s)]
        if not urgent:
            return []
        try:
            seconds = settings.limits.batch_seconds(len(urgent))
            enriched = [one.story for one in self._model.call(seconds, urgent)]
        except Exception as exc:  # too slow, or the model process died: the pipeline dead-letters it
            _LOGGER.warning("the urgent lane passed over %s at %s:%d:%d (%s); the pipeline handles it as usual",
                            urgent[0].id, message.topic, message.partition, message.offset, exc)  # fmt: skip
            return []
        futures = []
        for story in enriched:
            (record,) = story_records(
                story,
                stories_topic=self._urgent_topic,
                schema_ids=self._schema_ids,
                source_timestamp_ms=message.timestamp_ms,
            )
            futures.append(send_record(producer, record, URGENT))
        return futures
