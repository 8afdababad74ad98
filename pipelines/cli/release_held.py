"""``wirestream release-held``: list what waits on the held topic; release an item held for an editor.

An item marked embargoed whose time could not be read (``Embargoed until 6 p.m. ET Thursday``)
waits on the held topic with a reason, never released by itself: an editor reads the note and
releases it with this command, once (the release and the item's tombstone are one transaction,
as the releaser's are). An item with an embargo time goes at its time, never before: it is refused
here, and so is one whose story was killed while it waited.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from wirestream.transforms.kafka.connection import ConnectionConfig


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "release-held",
        help="list held items; release those held for an editor",
        description="Without ITEM, list every item waiting on the held topic as JSON lines (its key, story id, "
        "family, format, embargo time or the reason it waits for an editor). With ITEMs (a key as listed, or a "
        "story id), put each item that waits for an editor back on the input topic, once. Items with an "
        "embargo time go at their time and are refused here, as are items killed while they waited.",
    )
    parser.add_argument("items", nargs="*", metavar="ITEM", help="a held key (item/...) or a story id")
    parser.add_argument("--held-topic", default="wire.held", help="read from (default: %(default)s)")
    parser.add_argument("--input-topic", default="wire.raw", help="release to (default: %(default)s)")
    parser.add_argument(
        "--group-id",
        default="wirestream",
        help="the pipeline's group id: the transactional id's (default: %(default)s)",
    )
    ConnectionConfig.add_args(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, _rest: list[str]) -> int:
    from wirestream.pipelines.release import release_producer
    from wirestream.transforms.kafka.clients import check_connection
    from wirestream.transforms.kafka.held_topic import HeldLedger, HeldReader

    connection = ConnectionConfig.from_options(args)
    check_connection(connection)  # a wrong address, password or CA: one line, at once, not a client's retries
    producer = release_producer(connection, f"wirestream.{args.group_id}.release-held") if args.items else None
    reader = HeldReader(connection, args.held_topic)
    ledger = HeldLedger()
    try:
        if not reader.assign(timeout=10):
            print(f"topic {args.held_topic!r} does not exist on {connection.bootstrap_servers}", file=sys.stderr)
            return 2
        reader.read_to_end(ledger)  # after init_transactions: what an earlier release committed is seen
        if not args.items:
            for item in sorted(ledger.items.values(), key=lambda i: (i.partition, i.offset)):
                print(json.dumps(_listed(item), ensure_ascii=False))
            return 0
        failed = 0
        for wanted in args.items:
            failed += not _release(producer, ledger, wanted, args)
        return 1 if failed else 0
    finally:
        reader.close()
        if producer is not None:
            producer.close(timeout=5)


def _release(producer: Any, ledger: Any, wanted: str, args: argparse.Namespace) -> bool:
    from wirestream.pipelines.release import release_item

    found = [i for i in ledger.items.values() if wanted in (i.key.decode("utf-8", "replace"), i.item)]
    if len(found) != 1:
        said = "nothing waits" if not found else f"{len(found)} items wait"
        print(f"{wanted}: {said} under that key or story id on {args.held_topic}; see the list", file=sys.stderr)
        return False
    (item,) = found
    if item.due_ms is not None:
        print(f"{wanted}: it is embargoed until {_iso(item.due_ms)} and goes then, not before", file=sys.stderr)
        return False
    if ledger.killer(item) is not None:
        print(f"{wanted}: its story was killed while it waited; it is not released", file=sys.stderr)
        return False
    release_item(producer, item, args.input_topic, args.held_topic)
    print(f"{wanted}: released to {args.input_topic}", file=sys.stderr)
    return True


def _listed(item: Any) -> dict[str, Any]:
    return {
        "key": item.key.decode("utf-8", "replace"),
        "item": item.item,
        "family": item.family,
        "format": item.wire_format,
        "embargoed_until": _iso(item.due_ms) if item.due_ms is not None else None,
        "reason": item.reason or None,
    }


def _iso(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
