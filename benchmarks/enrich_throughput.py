"""Enrichment throughput beside bare ``nlp.pipe``, measured in one run on the same texts.

    .venv/bin/python benchmarks/enrich_throughput.py [--repeat 1] [--batch-size 32] [--rounds 2] [--references]

The texts are the 30 PolNeAR dev stories and the seed story from the shared data folder
(``$WIRESTREAM_SHARED_DATA`` or ``../shared/data``), decoded and parsed as the pipeline does,
repeated ``--repeat`` times. Three things are timed, best of ``--rounds`` each, interleaved:

- bare: ``nlp.pipe`` over the bodies with the components the enrich stage runs (tok2vec, parser,
  ner and the paragraph-break marker), the docs only;
- enrich: ``wirestream.transforms.step5_enrich.enrich_stories``, the stage's own function: the same ``nlp.pipe``
  plus entity clean-up and grouping and quote finding with speakers;
- with ``--references``, also bare ``nlp.pipe`` with NER only (tok2vec, ner) and with every
  component the model enables by default: what the parser costs, and what the others would.

Not part of ``make test``: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

from wirestream.transforms import formats
from wirestream.transforms.nlp.enrich import enrich_stories
from wirestream.transforms.nlp.model import DEFAULT_MODEL, load_model
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story

REPO = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    override = os.environ.get("WIRESTREAM_SHARED_DATA")
    return Path(override) if override else REPO.parent / "shared" / "data"


def load_stories(data: Path) -> list[Story]:
    import json

    raws = [article["text"].encode() for article in json.loads(
        (data / "quotes-dev" / "polnear_dev_articles.json").read_text())["documents"]]  # fmt: skip
    raws.append((data / "seed" / "ap-haniyeh-cairo.txt").read_bytes())
    stories = []
    for n, raw in enumerate(raws):
        for item in formats.decode(raw, format="TEXT"):
            stories.append(parse_item(item, Source(path=f"bench-{n}"), pipeline_version="bench"))
    return stories


def best_of(rounds: int, run: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="times the text set is repeated (default: 1)")
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size, as --nlp-batch-size")
    parser.add_argument("--rounds", type=int, default=2, help="timings per variant; the best is kept (default: 2)")
    parser.add_argument("--references", action="store_true", help="also time NER-only and default pipelines")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)

    import spacy

    base = load_stories(shared_data())
    stories = [Story(**{**vars(s), "entities": [], "quotes": []}) for _ in range(args.repeat) for s in base]
    bodies = [s.body for s in stories]
    words = sum(len(b.split()) for b in bodies)
    nlp = load_model(args.model)
    list(nlp.pipe(bodies[:10]))  # warm up

    def bare() -> None:
        for _doc in nlp.pipe(bodies, batch_size=args.batch_size):
            pass

    def enrich() -> None:
        enrich_stories(nlp, stories, batch_size=args.batch_size)

    timings = {"bare": float("inf"), "enrich": float("inf")}
    for _ in range(args.rounds):  # interleaved, so both see the same machine state
        timings["bare"] = min(timings["bare"], best_of(1, bare))
        timings["enrich"] = min(timings["enrich"], best_of(1, enrich))

    n = len(stories)
    quotes = sum(len(s.quotes) for s in stories)
    entities = sum(len(s.entities) for s in stories)
    bare_rate, enrich_rate = n / timings["bare"], n / timings["enrich"]
    added = 100 * (timings["enrich"] / timings["bare"] - 1)
    print(f"{n} stories ({len(base)} distinct x {args.repeat}), {words} words, batch size {args.batch_size}")
    print(f"model {args.model}, components {', '.join(nlp.pipe_names)}; best of {args.rounds}")
    print(f"{entities} entities and {quotes} quotes found")
    print(f"bare nlp.pipe  {bare_rate:8.1f} stories/s  {words / timings['bare']:9.0f} words/s")
    print(f"enrichment     {enrich_rate:8.1f} stories/s  {words / timings['enrich']:9.0f} words/s")
    print(f"ratio enrichment / bare nlp.pipe: {enrich_rate / bare_rate:.3f} (entities and quotes add {added:.1f}%)")
    if args.references:
        all_components = spacy.load(args.model).component_names
        for label, pipeline in (
            ("NER only", spacy.load(args.model, exclude=[c for c in all_components if c not in ("tok2vec", "ner")])),
            ("the model's defaults", spacy.load(args.model)),
        ):
            list(pipeline.pipe(bodies[:10]))
            seconds = best_of(args.rounds, lambda p=pipeline: list(p.pipe(bodies, batch_size=args.batch_size)))
            print(
                f"reference, bare nlp.pipe with {label} ({', '.join(pipeline.pipe_names)}): {n / seconds:.1f} stories/s"
            )


if __name__ == "__main__":
    main()
