"""``wirestream``: run the pipeline, and small tools to feed, read and try it.

wirestream run [--until-end] [--bootstrap-servers HOST:PORT] [Beam options…]
wirestream produce --topic wire.raw FILE...
wirestream consume --topic wire.stories --decode
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

from pipelines.options import WirestreamOptions  # noqa: E402 - after the filter, which it needs

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
    _add_bootstrap(consume)
    consume.set_defaults(handler=_consume)

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


def _run(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.ingest import run
    from transforms.kafka_io import InputTopicError

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop_now)
    try:
        totals = run(args.pipeline_argv)
    except InputTopicError as exc:
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
    from transforms.kafka_io import drain

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

    from transforms.kafka_io import ensure_topics, producer_config

    ensure_topics(args.bootstrap_servers, [args.topic])
    producer = KafkaProducer(**producer_config(args.bootstrap_servers))
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
    from kafka import KafkaConsumer, TopicPartition

    from transforms import avro
    from transforms.kafka_io import consumer_config

    consumer = KafkaConsumer(**consumer_config(args.bootstrap_servers))
    partitions = consumer.partitions_for_topic(args.topic) or set()
    if not partitions:
        print(f"topic {args.topic!r} does not exist on {args.bootstrap_servers}", file=sys.stderr)
        return 2
    tps = [TopicPartition(args.topic, p) for p in sorted(partitions)]
    consumer.assign(tps)
    if args.after_ms is not None:
        _seek_to_time(consumer, tps, args.after_ms)
    decode = avro.decode if args.decode else None
    records = _records_until_quiet(consumer, args.timeout)
    for record in itertools.islice(records, args.max):
        print(json.dumps(_message_json(record, decode), ensure_ascii=False, default=_json_default))
    consumer.close(autocommit=False)
    return 0


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
    from transforms import formats
    from transforms.entities import DEFAULT_MODEL, extract_entities, load_model
    from transforms.errors import WirestreamError
    from transforms.story import Source
    from transforms.structure import parse_item
    from transforms.version import VERSION

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
            for story, entities in zip(stories, extract_entities(nlp, [s.body for s in stories]), strict=True):
                story.entities = entities
        for story in stories:
            print(json.dumps(story.to_record(), ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
