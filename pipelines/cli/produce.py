"""``wirestream produce``: send files to a topic, one message per file (or per line)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wirestream.transforms.kafka.connection import ConnectionConfig


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "produce",
        help="send files to a topic, one message per file (or per line)",
        description="Send each FILE as one message (or each line with --lines).",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--lines", action="store_true", help="one message per non-empty line")
    ConnectionConfig.add_args(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, _rest: list[str]) -> int:
    """Send, then count only what the broker acknowledged: a refusal is raised for ``main`` to explain."""
    from wirestream.transforms.kafka.clients import check_connection, new_producer
    from wirestream.transforms.kafka.topics import Access, check_access, ensure_topics

    connection = ConnectionConfig.from_options(args)
    check_connection(connection)
    ensure_topics(connection, [args.topic])
    check_access(connection, Access(write=(args.topic,)))
    producer = new_producer(connection)
    futures = []
    for path in args.files:
        data = path.read_bytes()
        for value in (line for line in data.splitlines() if line.strip()) if args.lines else [data]:
            futures.append(producer.send(args.topic, value=value))
    producer.flush()
    producer.close()
    failed = [future.exception for future in futures if future.failed()]
    print(f"sent {len(futures) - len(failed)} message(s) to {args.topic}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} message(s) were not acknowledged", file=sys.stderr)
        raise failed[0]
    return 0
