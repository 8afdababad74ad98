"""``wirestream``: run the pipeline, and small tools to feed, read and try it.

wirestream run [--until-end] [--bootstrap-servers HOST:PORT] [Beam options…]
wirestream produce --topic wire.raw FILE...
wirestream consume --topic wire.stories --decode [--read-committed]
wirestream replay-deadletters [--reason R] [--stage S] [--max N] [--dry-run]
wirestream parse FILE...
wirestream release-held [ITEM...] [--held-topic wire.held] [--input-topic wire.raw]

Each command is a module here with ``register`` (its parser) and ``handle`` (what it does); this
module dispatches, sets up logging, refuses connection settings that cannot work, and turns a
failure into one line: exit 2 for settings that cannot work (a refused login, a certificate, an
ACL, a topic missing), 1 for others. ``-v`` logs at DEBUG and shows the traceback of a failure.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from kafka.errors import AuthorizationError, KafkaError


class _WithoutBeamImportNoise(logging.Filter):
    """Drops the warning Beam logs on import about Google Cloud libraries we do not use."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "apitools not found" not in record.getMessage()


logging.getLogger().addFilter(_WithoutBeamImportNoise())

from wirestream.pipelines.cli import consume, parse, produce, release_held, replay, run  # noqa: E402 - after the filter
from wirestream.transforms.kafka.clients import explain  # noqa: E402
from wirestream.transforms.kafka.connection import ConnectionConfig, KafkaSetupError  # noqa: E402

COMMANDS = (run, produce, consume, replay, parse, release_held)
VERBOSE = ("-v", "--verbose")
_LOGGER = logging.getLogger("wirestream")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wirestream", description="Streaming ingestion of news-agency wire stories.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    for command_parser in commands.choices.values():
        command_parser.add_argument(*VERBOSE, action="store_true", help="log at DEBUG; show a failure's traceback")

    argv = list(sys.argv[1:] if argv is None else argv)
    args, rest = parser.parse_known_args(argv)
    # PipelineOptions reads our options and Beam's from the same flags: hand it all of them but ours.
    args.pipeline_argv = [a for a in argv[argv.index("run") + 1 :] if a not in VERBOSE] if args.command == "run" else []
    if rest and args.command != "run":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.verbose:  # Beam's import may have configured logging already: basicConfig changed nothing then
        logging.getLogger().setLevel(logging.DEBUG)
    connection = None
    try:
        if hasattr(args, "bootstrap_servers"):  # a command that talks to Kafka: settings that cannot work stop here
            connection = ConnectionConfig.from_options(args)
        return args.handler(args, rest)
    except KeyboardInterrupt:
        return 130
    except KafkaSetupError as exc:
        _LOGGER.error("%s", exc, exc_info=args.verbose)
        return 2
    except KafkaError as exc:
        if connection is None:
            raise
        _LOGGER.error("%s", explain(exc, connection), exc_info=args.verbose)
        return 2 if isinstance(exc, AuthorizationError) else 1
