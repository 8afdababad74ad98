"""``wirestream consume``: print a topic's messages as JSON lines, our Avro records decoded if asked.

``--decode`` reads both encodings we write: single-object messages (the writer schema known by its
fingerprint) and, with ``--schema-registry-url``, the Confluent wire format (the writer schema fetched
by id); either way the record is resolved to the current schema, as any later reader would see it.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import sys
from typing import Any

from wirestream.pipelines.cli._reading import assign_whole_topic, bytes_json, records_until_quiet
from wirestream.transforms.encoding import avro, confluent
from wirestream.transforms.encoding.registry import (
    ENV_REGISTRY_CAFILE,
    ENV_REGISTRY_PASSWORD,
    ENV_REGISTRY_USERNAME,
    RegistryError,
    RegistryUnusableError,
    SchemaRegistry,
)
from wirestream.transforms.kafka.connection import ConnectionConfig


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "consume",
        help="print a topic's messages as JSON lines",
        description="Print messages from the beginning of a topic as JSON lines, "
        "until --max messages or --timeout seconds without a new one.",
    )
    parser.add_argument("--topic", required=True)
    parser.add_argument(
        "--decode", action="store_true", help="decode Avro records: stories, quotes and entities (others stay bytes)"
    )
    parser.add_argument(
        "--schema-registry-url",
        default=None,
        help="with --decode, also decode records in the Confluent wire format, their writer schemas fetched by id "
        "from this schema registry's Confluent-compatible API (Apicurio: http://HOST:PORT/apis/ccompat/v7)",
    )
    parser.add_argument(
        "--schema-registry-username",
        default=None,
        help=f"HTTP basic auth username for the schema registry (or ${ENV_REGISTRY_USERNAME})",
    )
    parser.add_argument(
        "--schema-registry-password",
        default=None,
        help=f"its password; prefer ${ENV_REGISTRY_PASSWORD}, which `ps` does not show",
    )
    parser.add_argument(
        "--schema-registry-cafile",
        default=None,
        help=f"CA certificates (PEM) to verify an https:// schema registry with (or ${ENV_REGISTRY_CAFILE})",
    )
    parser.add_argument("--max", type=int, default=None, help="stop after this many messages")
    parser.add_argument(
        "--after-ms",
        type=int,
        default=None,
        help="start at messages stamped at or after this time (ms since the epoch), not the beginning",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        help="stop after this many seconds with no new message (default: %(default)s)",
    )
    parser.add_argument(
        "--read-committed",
        action="store_true",
        help="show only records of committed transactions (isolation_level=read_committed), as a "
        "downstream consumer of an --exactly-once run should read",
    )
    ConnectionConfig.add_args(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, _rest: list[str]) -> int:
    from wirestream.transforms.kafka.clients import check_connection, new_consumer
    from wirestream.transforms.kafka.topics import Access, check_access

    connection = ConnectionConfig.from_options(args)
    try:
        registry = _registry(args)
    except RegistryError as exc:  # credentials or a CA file that cannot work
        print(exc, file=sys.stderr)
        return 2
    check_connection(connection)
    check_access(connection, Access(read=(args.topic,)))
    isolation = "read_committed" if args.read_committed else "read_uncommitted"
    consumer = new_consumer(connection, isolation_level=isolation)
    tps = assign_whole_topic(consumer, args.topic, connection.bootstrap_servers)
    if not tps:
        return 2
    if args.after_ms is not None:
        _seek_to_time(consumer, tps, args.after_ms)
    framed = 0  # records that look like the Confluent wire format, left undecoded for want of a registry
    try:
        for record in itertools.islice(records_until_quiet(consumer, args.timeout), args.max):
            message = _message_json(record, decode=args.decode, registry=registry)
            framed += args.decode and registry is None and confluent.is_framed(record.value or b"")
            print(json.dumps(message, ensure_ascii=False, default=_json_default))
    except RegistryUnusableError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        consumer.close(autocommit=False)
    if framed:
        print(
            f"{framed} value(s) look like the Confluent wire format (a 0 byte, then a schema id) and were left as "
            "bytes: give --schema-registry-url to decode them",
            file=sys.stderr,
        )
    return 0


def _registry(args: argparse.Namespace) -> SchemaRegistry | None:
    """The registry of ``--schema-registry-url``, its credentials from the options, else the environment."""
    if not args.schema_registry_url:
        return None
    given = {
        "username": args.schema_registry_username,
        "password": args.schema_registry_password,
        "cafile": args.schema_registry_cafile,
    }
    return SchemaRegistry(args.schema_registry_url, **{key: value for key, value in given.items() if value})


def _seek_to_time(consumer: Any, tps: list[Any], timestamp_ms: int) -> None:
    found = consumer.offsets_for_times({tp: timestamp_ms for tp in tps})
    ends = consumer.end_offsets(tps)
    for tp in tps:
        consumer.seek(tp, found[tp].offset if found.get(tp) is not None else ends[tp])


def _message_json(record: Any, *, decode: bool, registry: SchemaRegistry | None = None) -> dict[str, Any]:
    """The record as JSON; with ``decode``, a value written with one of our Avro schemas as its record
    (in the Confluent wire format too, given the ``registry`` that has its writer schema)."""
    value: Any
    if record.value is None:
        value = None  # a tombstone: the latest topic's record of a killed story
    elif decode and record.value:
        try:
            _schema, value = avro.decode_any(record.value, registry)
        except RegistryUnusableError:
            raise  # every record would fail the same way
        except ValueError:  # a RegistryError too: no such schema id there
            value = bytes_json(record.value)
    else:
        value = bytes_json(record.value)
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "timestamp": record.timestamp,
        "key": bytes_json(record.key) if record.key is not None else None,
        "headers": {name: bytes_json(v or b"") for name, v in (record.headers or [])},
        "value": value,
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
