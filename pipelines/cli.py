"""``wirestream``: run the pipeline, and small tools to feed, read and try it.

wirestream run [--until-end] [--bootstrap-servers HOST:PORT] [Beam options…]
wirestream produce --topic wire.raw FILE...
wirestream consume --topic wire.stories --decode [--read-committed]
wirestream replay-deadletters [--reason R] [--stage S] [--max N] [--dry-run]
wirestream parse FILE...
"""

from __future__ import annotations

import argparse
import base64
import datetime
import itertools
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any


class _WithoutBeamImportNoise(logging.Filter):
    """Drops the warning Beam logs on import about Google Cloud libraries we do not use."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "apitools not found" not in record.getMessage()


logging.getLogger().addFilter(_WithoutBeamImportNoise())

from wirestream.pipelines.options import WirestreamOptions, add_kafka_security_args, kafka_security  # noqa: E402 - after the filter

_LOGGER = logging.getLogger("wirestream")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wirestream", description="Streaming ingestion of news-agency wire stories.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run the pipeline: wire.raw → parsed, enriched Avro stories (and dead letters)",
        description="Run the ingest pipeline. Any option not listed here is a Beam pipeline option "
        "(--runner, --direct_num_workers, --prism_location, …) and is passed to Beam.",
    )
    WirestreamOptions._add_argparse_args(run)
    run.set_defaults(handler=_run)

    produce = commands.add_parser(
        "produce",
        help="send files to a topic, one message per file (or per line)",
        description="Send each FILE as one message (or each line with --lines).",
    )
    produce.add_argument("files", nargs="+", type=Path, metavar="FILE")
    produce.add_argument("--topic", required=True)
    produce.add_argument("--lines", action="store_true", help="one message per non-empty line")
    _add_bootstrap(produce)
    produce.set_defaults(handler=_produce)

    consume = commands.add_parser(
        "consume",
        help="print a topic's messages as JSON lines",
        description="Print messages from the beginning of a topic as JSON lines, "
        "until --max messages or --timeout seconds without a new one.",
    )
    consume.add_argument("--topic", required=True)
    consume.add_argument("--decode", action="store_true", help="decode Avro Story records")
    consume.add_argument("--max", type=int, default=None, help="stop after this many messages")
    consume.add_argument(
        "--after-ms",
        type=int,
        default=None,
        help="start at messages stamped at or after this time (ms since the epoch), not the beginning",
    )
    consume.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        help="stop after this many seconds with no new message (default: %(default)s)",
    )
    consume.add_argument(
        "--read-committed",
        action="store_true",
        help="show only records of committed transactions (isolation_level=read_committed), as a "
        "downstream consumer of an --exactly-once run should read",
    )
    _add_bootstrap(consume)
    consume.set_defaults(handler=_consume)

    replay = commands.add_parser(
        "replay-deadletters",
        help="send dead letters back to the input topic (after a fix)",
        description="Send dead letters back to the input topic as they first arrived: the original key, "
        "value and headers, without the wirestream.* headers the pipeline added. Reads the dead-letter "
        "topic from the beginning (or from --group-id's committed offsets) until --timeout seconds pass "
        "with no new message.",
    )
    replay.add_argument("--deadletter-topic", default="wire.deadletter", help="read from (default: %(default)s)")
    replay.add_argument("--input-topic", default="wire.raw", help="send to (default: %(default)s)")
    replay.add_argument(
        "--reason", action="append", default=None, help="only dead letters with this reason (repeatable)"
    )
    replay.add_argument("--stage", action="append", default=None, help="only dead letters from this stage (repeatable)")
    replay.add_argument("--max", type=int, default=None, help="replay at most this many")
    replay.add_argument(
        "--group-id",
        default=None,
        help="resume from this consumer group's offsets on the dead-letter topic and commit them after "
        "sending (past everything read, filtered-out letters too), so the next replay goes on from there "
        "(default: read it all, commit nothing)",
    )
    replay.add_argument("--dry-run", action="store_true", help="list what would be replayed; send nothing")
    replay.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        help="stop after this many seconds with no new dead letter (default: %(default)s)",
    )
    _add_bootstrap(replay)
    replay.set_defaults(handler=_replay_deadletters)

    parse = commands.add_parser(
        "parse",
        help="parse wire files locally and print their records (no Kafka, no Beam)",
        description="Print one JSON Story record per item in FILE order, exactly as the pipeline would write it.",
    )
    parse.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parse.add_argument("--no-nlp", action="store_true", help="skip the language model (no entities; fast)")
    parse.add_argument("--format", dest="wire_format", default=None, help="force a wire format")
    parse.add_argument("--spacy-model", default=None, help="spaCy pipeline to use")
    parse.set_defaults(handler=_parse)

    argv = list(sys.argv[1:] if argv is None else argv)
    args, rest = parser.parse_known_args(argv)
    # PipelineOptions reads our options and Beam's from the same flags: hand it all of them.
    args.pipeline_argv = argv[argv.index("run") + 1 :] if args.command == "run" else []
    if rest and args.command != "run":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.handler(args, rest)
    except KeyboardInterrupt:
        return 130


def _add_bootstrap(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bootstrap-servers", default="localhost:9092", help="Kafka (default: %(default)s)")
    add_kafka_security_args(parser)


def _run(args: argparse.Namespace, beam_args: list[str]) -> int:
    from wirestream.pipelines.ingest import run
    from wirestream.transforms.kafka_io import InputTopicError

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop_now)
    try:
        totals = run(args.pipeline_argv)
    except (InputTopicError, ValueError) as exc:  # ValueError: options that do not fit together
        _LOGGER.error("%s", exc)
        return 2
    print(
        f"read {totals['messages_consumed']} message(s) from {args.input_topic}: "
        f"{totals['stories_processed']} story(ies) to {args.stories_topic}, "
        f"{totals['deadletters']} dead letter(s) to {args.deadletter_topic}; "
        f"{totals['records_produced']} record(s) acknowledged",
        file=sys.stderr,
    )
    return 0


def _stop_now(signum: int, _frame: Any) -> None:
    """On Ctrl-C or SIGTERM, drain: readers stop at their next checkpoint and the run ends cleanly.

    Bundles in flight finish and commit their offsets, the summary is printed and the exit code is 0.
    A second signal exits at once; nothing is lost then either, since offsets are committed only for
    records the broker acknowledged (what was in flight is read again by the next run).
    """
    from wirestream.transforms.kafka_io import drain

    name = signal.Signals(signum).name
    if not _DRAINING.is_set():
        _DRAINING.set()
        _LOGGER.warning("%s: draining; the run ends after the bundles in flight (signal again to stop at once)", name)
        drain()
        return
    _LOGGER.warning("%s again: stopping now; records not yet acknowledged will be read again by the next run", name)
    logging.shutdown()
    os._exit(128 + signum)


_DRAINING = threading.Event()


def _produce(args: argparse.Namespace, _rest: list[str]) -> int:
    from kafka import KafkaProducer

    from wirestream.transforms.kafka_io import ensure_topics, producer_config

    security = kafka_security(args)
    ensure_topics(args.bootstrap_servers, [args.topic], security)
    producer = KafkaProducer(**producer_config(args.bootstrap_servers, security))
    sent = 0
    for path in args.files:
        data = path.read_bytes()
        for value in (line for line in data.splitlines() if line.strip()) if args.lines else [data]:
            producer.send(args.topic, value=value)
            sent += 1
    producer.flush()
    producer.close()
    print(f"sent {sent} message(s) to {args.topic}", file=sys.stderr)
    return 0


def _consume(args: argparse.Namespace, _rest: list[str]) -> int:
    from kafka import KafkaConsumer

    from wirestream.transforms.kafka_io import consumer_config
    from wirestream.transforms.records import avro

    isolation = "read_committed" if args.read_committed else "read_uncommitted"
    consumer = KafkaConsumer(**consumer_config(args.bootstrap_servers, kafka_security(args), isolation_level=isolation))
    tps = _assign_whole_topic(consumer, args.topic, args.bootstrap_servers)
    if not tps:
        return 2
    if args.after_ms is not None:
        _seek_to_time(consumer, tps, args.after_ms)
    decode = avro.decode if args.decode else None
    records = _records_until_quiet(consumer, args.timeout)
    for record in itertools.islice(records, args.max):
        print(json.dumps(_message_json(record, decode), ensure_ascii=False, default=_json_default))
    consumer.close(autocommit=False)
    return 0


def _replay_deadletters(args: argparse.Namespace, _rest: list[str]) -> int:
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    from wirestream.transforms.deadletters.letter import HEADER_PREFIX
    from wirestream.transforms.kafka_io import consumer_config, producer_config

    security = kafka_security(args)
    consumer = KafkaConsumer(**consumer_config(args.bootstrap_servers, security, group_id=args.group_id))
    tps = _assign_whole_topic(consumer, args.deadletter_topic, args.bootstrap_servers)
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
    producer = None if args.dry_run else KafkaProducer(**producer_config(args.bootstrap_servers, security))
    reasons, stages = set(args.reason or ()), set(args.stage or ())
    seen = chosen = 0
    futures = []
    next_offsets: dict[Any, int] = {}
    for record in _records_until_quiet(consumer, args.timeout):
        seen += 1
        headers = list(record.headers or [])
        ours = {name[len(HEADER_PREFIX) :]: (value or b"").decode("utf-8", "replace") for name, value in headers
                if name.startswith(HEADER_PREFIX)}  # fmt: skip
        next_offsets[TopicPartition(record.topic, record.partition)] = record.offset + 1
        if (reasons and ours.get("reason") not in reasons) or (stages and ours.get("stage") not in stages):
            continue
        chosen += 1
        original = [(name, value or b"") for name, value in headers if not name.startswith(HEADER_PREFIX)]
        if producer is None:
            print(json.dumps({
                "partition": record.partition, "offset": record.offset, "stage": ours.get("stage"),
                "reason": ours.get("reason"), "error": ours.get("error"),
                "key": _bytes_json(record.key) if record.key is not None else None,
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


def _assign_whole_topic(consumer: Any, topic: str, bootstrap_servers: str) -> list[Any]:
    """Assign every partition of ``topic`` to ``consumer``; [] (and says so) when the topic does not exist."""
    from kafka import TopicPartition

    partitions = consumer.partitions_for_topic(topic) or set()
    if not partitions:
        print(f"topic {topic!r} does not exist on {bootstrap_servers}", file=sys.stderr)
        return []
    tps = [TopicPartition(topic, p) for p in sorted(partitions)]
    consumer.assign(tps)
    return tps


def _seek_to_time(consumer: Any, tps: list[Any], timestamp_ms: int) -> None:
    found = consumer.offsets_for_times({tp: timestamp_ms for tp in tps})
    ends = consumer.end_offsets(tps)
    for tp in tps:
        consumer.seek(tp, found[tp].offset if found.get(tp) is not None else ends[tp])


def _records_until_quiet(consumer: Any, timeout: float) -> Iterator[Any]:
    """Records in partition order as they arrive, until ``timeout`` seconds pass without one."""
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < timeout:
        batch = consumer.poll(timeout_ms=200)
        for tp in sorted(batch, key=lambda tp: tp.partition):
            yield from batch[tp]
        if batch:
            quiet_since = time.monotonic()


def _message_json(record: Any, decode: Any) -> dict[str, Any]:
    value: Any
    if decode is not None and record.value:
        try:
            value = decode(record.value)
        except ValueError:
            value = _bytes_json(record.value)
    else:
        value = _bytes_json(record.value or b"")
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "timestamp": record.timestamp,
        "key": _bytes_json(record.key) if record.key is not None else None,
        "headers": {name: _bytes_json(v or b"") for name, v in (record.headers or [])},
        "value": value,
    }


def _bytes_json(data: bytes) -> Any:
    """Text as a string; anything else as ``{"base64": …}`` so no byte is lost."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _parse(args: argparse.Namespace, _rest: list[str]) -> int:
    from wirestream.transforms import formats
    from wirestream.transforms.deadletters.errors import WirestreamError
    from wirestream.transforms.nlp.model import DEFAULT_MODEL, load_model
    from wirestream.transforms.parsing.story_parts import parse_item
    from wirestream.transforms.records.story import Source
    from wirestream.transforms.records.version import VERSION
    from wirestream.transforms.step4_enrich import enrich_stories

    if args.wire_format and args.wire_format.upper() not in formats.FORMATS:
        print(f"unknown --format {args.wire_format!r}: choose one of {', '.join(formats.FORMATS)}", file=sys.stderr)
        return 2
    nlp = None if args.no_nlp else load_model(args.spacy_model or DEFAULT_MODEL)
    failed = 0
    for path in args.files:
        try:
            items = formats.decode(path.read_bytes(), format=args.wire_format)
            stories = [parse_item(item, Source(path=str(path)), pipeline_version=VERSION) for item in items]
        except WirestreamError as exc:
            print(f"{path}: {exc.reason}: {exc}", file=sys.stderr)
            failed += 1
            continue
        if nlp is not None:
            enrich_stories(nlp, stories)  # what the pipeline's enrich stage runs: entities, then quotes
        for story in stories:
            print(json.dumps(story.to_record(), ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
