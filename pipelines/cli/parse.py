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
    parser.add_argument(
        "--nlp-model", dest="nlp_models", action="append", default=[], metavar="LANG=MODEL",
        help="the spaCy pipeline for stories in language LANG (as `wirestream run`'s option)",
    )  # fmt: skip
    parser.add_argument("--spacy-model", default=None, help="the English model: the same as --nlp-model en=MODEL")
    parser.add_argument(
        "--agency", dest="agencies", action="append", default=[], metavar="NAME",
        help="a private news agency a dateline may name (the samples' fictional FP); repeat for several",
    )  # fmt: skip
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, _rest: list[str]) -> int:
    from wirestream.transforms import flow, formats
    from wirestream.transforms.deadletters.errors import WirestreamError
    from wirestream.transforms.nlp.enrich import enrich_each
    from wirestream.transforms.nlp.models import check_models, language_models, parse_model_option
    from wirestream.transforms.places.agencies import add_private_agencies
    from wirestream.transforms.records.story import Source
    from wirestream.transforms.settings import Limits, NlpSettings

    if args.wire_format and args.wire_format.upper() not in formats.FORMATS:
        print(f"unknown --format {args.wire_format!r}: choose one of {', '.join(formats.FORMATS)}", file=sys.stderr)
        return 2
    add_private_agencies(args.agencies)
    english = [f"en={args.spacy_model}"] if args.spacy_model else []
    try:
        settings = NlpSettings(parse_model_option([*english, *args.nlp_models]))
        if not args.no_nlp:
            check_models(settings.models)
        nlp = None if args.no_nlp else language_models(settings.models)
    except (ValueError, OSError) as exc:  # a bad --nlp-model, a model not installed
        print(f"wirestream parse: {exc}", file=sys.stderr)
        return 2
    failed = 0
    for path in args.files:
        try:  # what the decode and parse stages run, the size limit included
            stories = flow.stories_of(path.read_bytes(), Source(path=str(path)), limits=Limits(),
                                      wire_format=args.wire_format)  # fmt: skip
            # what the enrich stage runs: entities, then quotes; a step that fails leaves only its own field empty
            enriched = enrich_each(nlp, stories, batch_size=settings.batch_size) if nlp is not None else []
        except WirestreamError as exc:
            print(f"{path}: {exc.reason}: {exc}", file=sys.stderr)
            failed += 1
            continue
        for one in enriched:
            for failure in one.failures:
                print(f"{path}: {one.story.id}: {failure.as_error()}", file=sys.stderr)
                failed += 1
        for story in stories:
            print(json.dumps(story.to_record(), ensure_ascii=False))
    return 1 if failed else 0
