"""``wirestream run``: the pipeline, until it is stopped or, with ``--until-end``, has read what was there."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import Any

from wirestream.pipelines.options import WirestreamOptions

_LOGGER = logging.getLogger("wirestream")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "run",
        help="run the pipeline: wire.raw → parsed, enriched Avro stories (and dead letters)",
        description="Run the ingest pipeline. Any option not listed here is a Beam pipeline option "
        "(--runner, --direct_num_workers, --prism_location, …) and is passed to Beam.",
    )
    WirestreamOptions._add_argparse_args(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, _beam_args: list[str]) -> int:
    from wirestream.pipelines.companions import LaneFailed
    from wirestream.pipelines.launch import run
    from wirestream.transforms.kafka.topics import InputTopicError

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop_now)
    try:
        totals = run(args.pipeline_argv)
    except (InputTopicError, ValueError) as exc:  # ValueError: options that do not fit together, Kafka's setup
        _LOGGER.error("%s", exc, exc_info=args.verbose)
        return 2
    except LaneFailed as exc:
        _LOGGER.error("%s", exc, exc_info=args.verbose)
        return 1
    if totals.get("cancelled"):
        print(f"cancelled the Flink job reading {args.input_topic} on request", file=sys.stderr)
        return 0
    print(
        f"read {totals['messages_consumed']} message(s) from {args.input_topic}: "
        f"{totals['stories_processed']} story(ies) to {args.stories_topic}, "
        f"{totals['deadletters']} dead letter(s) to {args.deadletter_topic}, "
        f"{totals['embargoes_held']} held until their embargo on {args.held_topic}; "
        f"{totals['records_produced']} record(s) acknowledged; "
        f"{totals['urgent_written']} urgent story(ies) to {args.urgent_topic or '(no urgent topic)'}",
        file=sys.stderr,
    )
    return _check_complete(totals.get("offsets_unread", 0), args)


def _check_complete(unread: int, args: argparse.Namespace) -> int:
    """0 when a bounded run read to the end offsets it saw at launch (or was asked to stop), else 1."""
    from wirestream.pipelines.launch import draining

    if not unread:
        return 0
    if draining():
        _LOGGER.warning("stopped on request with %d offset(s) of %s still to read; the next run reads them", unread,
                        args.input_topic)  # fmt: skip
        return 0
    _LOGGER.error(
        "the run ended %d offset(s) short of the end of %s it saw at launch: group %s has not committed them, so "
        "they were not (all) written. Nothing is lost: run again to read them; if a run keeps ending short, look "
        "above for failed offset commits or worker errors",
        unread,
        args.input_topic,
        args.group_id,
    )
    return 1


def _stop_now(signum: int, _frame: Any) -> None:
    """On Ctrl-C or SIGTERM, drain: readers stop at their next checkpoint and the run ends cleanly.

    Bundles in flight finish and commit their offsets, the summary is printed and the exit code is 0.
    A second signal exits at once; nothing is lost then either, since offsets are committed only for
    records the broker acknowledged (what was in flight is read again by the next run).
    """
    from wirestream.pipelines import launch

    name = signal.Signals(signum).name
    if not launch.draining():
        _LOGGER.warning("%s: draining; the run ends after the bundles in flight (signal again to stop at once)", name)
        if launch.drain():  # Flink: the readers run in its workers, out of a drain's reach, so the job is cancelled
            _LOGGER.warning("%s: cancelled the job; the next run reads on from its last checkpoint's offsets", name)
        return
    _LOGGER.warning("%s again: stopping now; records not yet acknowledged will be read again by the next run", name)
    logging.shutdown()
    os._exit(128 + signum)
