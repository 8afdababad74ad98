"""``wirestream``: run the pipeline, and small tools to feed, read and try it.

wirestream run [--until-end] [--bootstrap-servers HOST:PORT] [Beam options…]
wirestream produce --topic wire.raw FILE...
wirestream consume --topic wire.stories --decode [--read-committed]
wirestream replay-deadletters [--reason R] [--stage S] [--max N] [--dry-run]
wirestream parse FILE...

Each command is a module here with ``register`` (its parser) and ``handle`` (what it does); this
module only dispatches and sets up logging.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence


class _WithoutBeamImportNoise(logging.Filter):
    """Drops the warning Beam logs on import about Google Cloud libraries we do not use."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "apitools not found" not in record.getMessage()


logging.getLogger().addFilter(_WithoutBeamImportNoise())

from wirestream.pipelines.cli import consume, parse, produce, replay, run  # noqa: E402 - after the filter

COMMANDS = (run, produce, consume, replay, parse)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wirestream", description="Streaming ingestion of news-agency wire stories.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)

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
