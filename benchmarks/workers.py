"""The benchmark's in-process variants, each run by ``bench.py`` in a fresh interpreter of its own
(so its peak memory is its own), reading the corpus from a pickle of the messages' bytes:

    python benchmarks/workers.py parse CORPUS.pickle [--rounds R]
    python benchmarks/workers.py pipe CORPUS.pickle --processes P [--batch-size 32]

``parse``: ``formats.decode`` (format detected) + ``parse_item`` of every message, ``rounds`` times.
``pipe``: bare ``nlp.pipe`` over the parsed bodies with the model the enrich stage loads
(``load_model``: its components), ``n_process=P``; the docs only, no entities or quotes.
Only the work is timed (not the imports, not loading the model). Prints one JSON line:
``{"stories": N, "seconds": S}``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from pathlib import Path

from wirestream.transforms import formats
from wirestream.transforms.nlp.model import load_model
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source


def parsed(messages: list[bytes]) -> list:
    return [
        parse_item(item, Source(topic="bench", partition=0, offset=n), pipeline_version="bench")
        for n, raw in enumerate(messages)
        for item in formats.decode(raw)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant", choices=["parse", "pipe"])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=1, help="parse: passes over the corpus")
    parser.add_argument("--processes", type=int, default=1, help="pipe: nlp.pipe's n_process")
    parser.add_argument("--batch-size", type=int, default=32, help="pipe: as --nlp-batch-size")
    args = parser.parse_args()
    messages = pickle.loads(args.corpus.read_bytes())
    if args.variant == "parse":
        parsed(messages[:50])  # warm up
        started = time.perf_counter()
        stories = sum(len(parsed(messages)) for _ in range(args.rounds))
        seconds = time.perf_counter() - started
    else:
        bodies = [story.body for story in parsed(messages)]
        nlp = load_model()
        list(nlp.pipe(bodies[:4]))  # warm up
        started = time.perf_counter()
        stories = sum(1 for _doc in nlp.pipe(bodies, batch_size=args.batch_size, n_process=args.processes))
        seconds = time.perf_counter() - started
    print(json.dumps({"stories": stories, "seconds": seconds}))


if __name__ == "__main__":
    main()
