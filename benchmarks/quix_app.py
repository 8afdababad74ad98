"""The pipeline's job as a Quix Streams app, one process, as its users would write it:

    python benchmarks/quix_app.py --bootstrap-servers HOST:PORT --input-topic T --prefix P --group-id G

A ``StreamingDataFrame`` over ``T``: each message is decoded, parsed, enriched (``enrich_stories``
on that one story: Quix hands the app one message at a time) and encoded; its Avro records go to
``P.stories``, ``P.quotes``, ``P.entities`` (dead letters to ``P.deadletter``), each to the topic it
names, stamped with the time they are written (Quix would give them the input's timestamp). Quix
has no "until the end": the app stops itself (``Application.stop``) once it has
processed every partition up to the end offsets seen at launch. Prints one JSON line of counts.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from confluent_kafka import TopicPartition
from job import Topics, enrich_and_encode, job_arguments, parse_message
from quixstreams import Application, message_context
from quixstreams.models.serializers import Serializer

from wirestream.transforms.nlp.model import load_model
from wirestream.transforms.records.output import OutRecord
from wirestream.transforms.records.story import WireMessage


class RecordValue(Serializer):
    """An ``OutRecord``'s value: Avro bytes already."""

    def __call__(self, value: OutRecord, ctx: Any) -> bytes:
        return value.value


def main() -> None:
    parser = job_arguments(__doc__.splitlines()[0])
    args = parser.parse_args()
    topics = Topics(args.prefix)
    nlp = load_model()
    counts = {"consumed": 0, "stories": 0, "deadletters": 0}
    remaining: dict[int, int] = {}  # partition -> offset still to reach

    def processed(_topic: str, partition: int, offset: int) -> None:
        counts["consumed"] += 1
        if offset + 1 >= remaining.get(partition, 0):
            remaining.pop(partition, None)
        if not remaining:
            app.stop()

    app = Application(
        broker_address=args.bootstrap_servers,
        consumer_group=args.group_id,
        auto_offset_reset="earliest",
        on_message_processed=processed,
        loglevel=logging.WARNING,
    )
    raw = app.topic(args.input_topic, value_deserializer="bytes", key_deserializer="bytes")
    outputs = {
        name: app.topic(name, value_serializer=RecordValue(), key_serializer="bytes")
        for name in (topics.stories, topics.quotes, topics.entities, topics.deadletter)
    }
    with app.get_consumer() as consumer:
        partitions = consumer.list_topics(args.input_topic).topics[args.input_topic].partitions
        for p in partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(args.input_topic, p))
            if high > low:
                remaining[p] = high

    def records_of(value: bytes, key: bytes | None, timestamp: int, headers: Any) -> list[OutRecord]:
        context = message_context()
        message = WireMessage(
            context.topic, context.partition, context.offset, timestamp, key, value, tuple(headers or ())
        )
        stories, letters = parse_message(message, topics)
        records = letters + enrich_and_encode(nlp, stories, topics)
        counts["stories"] += sum(r.topic == topics.stories for r in records)
        counts["deadletters"] += sum(r.topic == topics.deadletter for r in records)
        return records

    sdf = app.dataframe(raw)
    sdf = sdf.apply(records_of, metadata=True, expand=True)
    sdf = sdf.set_headers(lambda record, _key, _ts, _headers: list(record.headers))  # a dead letter's: why
    # Quix gives an output the input's timestamp; the others' outputs carry the time they were written.
    sdf = sdf.set_timestamp(lambda _record, _key, _ts, _headers: int(time.time() * 1000))
    sdf.to_topic(lambda record, _key, _ts, _headers: outputs[record.topic], key=lambda record: record.key)
    if remaining:
        app.run()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
