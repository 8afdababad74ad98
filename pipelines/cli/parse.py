"""``wirestream parse``: the records the pipeline would write for local files, with no Kafka and no Beam run."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "parse",
        help="parse wire files locally and print their records (no Kafka, no Beam)",
        description="Print one JSON Story record per item in FILE order, exactly as the pipeline would write it.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--no-nlp", action="store_true", help="skip the language model (no entities; fast)")
    parser.add_argument("--format", dest="wire_format", default=None, help="force a wire format")
    parser.add_argument("--spacy-model", default=None, help="spaCy pipeline to use")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, _rest: list[str]) -> int:
    from wirestream.transforms import formats
    from wirestream.transforms.deadletters.errors import WirestreamError
    from wirestream.transforms.nlp.enrich import enrich_stories
    from wirestream.transforms.nlp.model import DEFAULT_MODEL, load_model
    from wirestream.transforms.parsing.story_parts import parse_item
    from wirestream.transforms.records.story import Source
    from wirestream.transforms.records.version import VERSION

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
