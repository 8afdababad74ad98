"""The pipeline's job as a plain kafka-python loop, one process, as its users would write it:

    python benchmarks/plain_loop.py --bootstrap-servers HOST:PORT --input-topic T --prefix P --group-id G

Reads every partition of ``T`` from the group's committed offsets (the earliest without) up to the
end offsets seen at launch, ``max_records`` (32, as ``--nlp-batch-size``) at a time; decodes, parses,
enriches the batch in one ``nlp.pipe`` call, encodes the Avro records, produces them to
``P.stories``, ``P.quotes``, ``P.entities`` (dead letters to ``P.deadletter``), waits for the
acknowledgements and commits the batch's offsets. Prints one JSON line of counts at the end.
"""

from __future__ import annotations

import json

from job import Topics, enrich_and_encode, job_arguments, parse_message
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

from wirestream.transforms.kafka.clients import consumer_config, producer_config
from wirestream.transforms.nlp.model import load_model
from wirestream.transforms.records.story import WireMessage


def main() -> None:
    parser = job_arguments(__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    topics = Topics(args.prefix)

    nlp = load_model()
    consumer = KafkaConsumer(**consumer_config(args.bootstrap_servers, group_id=args.group_id))
    producer = KafkaProducer(**producer_config(args.bootstrap_servers))
    partitions = [TopicPartition(args.input_topic, p) for p in sorted(consumer.partitions_for_topic(args.input_topic))]
    consumer.assign(partitions)
    ends = consumer.end_offsets(partitions)
    counts = {"consumed": 0, "stories": 0, "deadletters": 0}
    while any(consumer.position(tp) < end for tp, end in ends.items()):
        polled = consumer.poll(timeout_ms=1000, max_records=args.batch_size)
        parsed, records = [], []
        for batch in polled.values():
            for r in batch:
                message = WireMessage(r.topic, r.partition, r.offset, r.timestamp, r.key, r.value, tuple(r.headers))
                stories, letters = parse_message(message, topics)
                parsed += stories
                records += letters
        records += enrich_and_encode(nlp, parsed, topics)
        futures = [producer.send(rec.topic, key=rec.key, value=rec.value, headers=list(rec.headers)) for rec in records]
        producer.flush()
        if any(future.failed() for future in futures):
            raise SystemExit("records were not acknowledged; the batch's offsets stay uncommitted")
        if polled:
            consumer.commit({tp: OffsetAndMetadata(batch[-1].offset + 1, "", -1) for tp, batch in polled.items()})
        counts["consumed"] += sum(len(batch) for batch in polled.values())
        counts["stories"] += sum(rec.topic == topics.stories for rec in records)
        counts["deadletters"] += sum(rec.topic == topics.deadletter for rec in records)
    producer.close()
    consumer.close(autocommit=False)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
