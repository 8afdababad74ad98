"""``wirestream replay-deadletters``: send dead letters back to the input topic as they first arrived."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from wirestream.pipelines.cli._reading import assign_whole_topic, bytes_json, records_until_quiet
from wirestream.transforms.kafka.connection import ConnectionConfig


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "replay-deadletters",
        help="send dead letters back to the input topic (after a fix)",
        description="Send dead letters back to the input topic as they first arrived: the original key, "
        "value and headers, without the wirestream.* headers the pipeline added. Reads the dead-letter "
        "topic from the beginning (or from --group-id's committed offsets) until --timeout seconds pass "
        "with no new message.",
    )
    parser.add_argument("--deadletter-topic", default="wire.deadletter", help="read from (default: %(default)s)")
    parser.add_argument("--input-topic", default="wire.raw", help="send to (default: %(default)s)")
    parser.add_argument(
        "--reason", action="append", default=None, help="only dead letters with this reason (repeatable)"
    )
    parser.add_argument("--stage", action="append", default=None, help="only dead letters from this stage (repeatable)")
    parser.add_argument("--max", type=int, default=None, help="replay at most this many")
    parser.add_argument(
        "--group-id",
        default=None,
        help="resume from this consumer group's offsets on the dead-letter topic and commit them after "
        "sending (past everything read, filtered-out letters too), so the next replay goes on from there "
        "(default: read it all, commit nothing)",
    )
    parser.add_argument("--dry-run", action="store_true", help="list what would be replayed; send nothing")
    parser.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        help="stop after this many seconds with no new dead letter (default: %(default)s)",
    )
    ConnectionConfig.add_args(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, _rest: list[str]) -> int:
    from kafka import TopicPartition
    from kafka.structs import OffsetAndMetadata

    from wirestream.transforms.deadletters.letter import original_headers, read_headers
    from wirestream.transforms.kafka.clients import check_connection, new_consumer, new_producer

    connection = ConnectionConfig.from_options(args)
    check_connection(connection)  # a wrong address, password or CA: one line, at once, not a client's retries
    consumer = new_consumer(connection, group_id=args.group_id)
    tps = assign_whole_topic(consumer, args.deadletter_topic, connection.bootstrap_servers)
    if not tps:
        return 2
    if args.group_id is None:
        consumer.seek_to_beginning(*tps)
    else:
        for tp in tps:  # from the group's offsets, else the beginning
            committed = consumer.committed(tp)
            if committed is None:
                consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed)
    producer = None if args.dry_run else new_producer(connection)
    reasons, stages = set(args.reason or ()), set(args.stage or ())
    seen = chosen = 0
    futures = []
    next_offsets: dict[TopicPartition, int] = {}
    for record in records_until_quiet(consumer, args.timeout):
        seen += 1
        ours = read_headers(record.headers or ())
        next_offsets[TopicPartition(record.topic, record.partition)] = record.offset + 1
        if (reasons and ours.get("reason") not in reasons) or (stages and ours.get("stage") not in stages):
            continue
        chosen += 1
        original = original_headers(record.headers or ())
        if producer is None:
            print(json.dumps({
                "partition": record.partition, "offset": record.offset, "stage": ours.get("stage"),
                "reason": ours.get("reason"), "error": ours.get("error"),
                "key": bytes_json(record.key) if record.key is not None else None,
                "bytes": len(record.value or b""), "headers": [name for name, _ in original],
            }, ensure_ascii=False))  # fmt: skip
        else:
            futures.append(producer.send(args.input_topic, key=record.key, value=record.value or b"", headers=original))
        if args.max is not None and chosen >= args.max:
            break
    if producer is not None:
        producer.flush()
        failed = [future for future in futures if future.failed()]
        producer.close()
        if failed:
            print(
                f"{len(failed)} of {len(futures)} dead letter(s) were not acknowledged by {args.input_topic} "
                f"({failed[0].exception}); nothing committed, run again",
                file=sys.stderr,
            )
            consumer.close(autocommit=False)
            return 1
        if args.group_id is not None and next_offsets:
            consumer.commit({tp: OffsetAndMetadata(offset, "", -1) for tp, offset in next_offsets.items()})
    consumer.close(autocommit=False)
    verb = "would replay" if args.dry_run else "replayed"
    print(
        f"{verb} {chosen} of {seen} dead letter(s) from {args.deadletter_topic} to {args.input_topic}",
        file=sys.stderr,
    )
    return 0
