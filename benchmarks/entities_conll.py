"""Entities on CoNLL-2003 Reuters copy: wirestream's parse + enrich beside raw spaCy ``doc.ents``.

    .venv/bin/python benchmarks/entities_conll.py [SET_DIR] [--out DIR] [--only wirestream|raw]

``SET_DIR`` holds ``NNN.txt`` and ``gold.jsonl`` as ``../shared/tools/entities/build_conll.py``
writes them (default ``$WIRESTREAM_CONLL`` or ``~/.cache/wirestream/conll2003/testa``). Each story
is decoded, parsed and enriched exactly as ``wirestream parse`` does (``enrich_stories``); its
entities, every name each is written as (canonical name and aliases, with the entity's label), go
to ``OUT/wirestream.jsonl``. The baseline runs the same model with its default components over the
file as it is, and writes every ``doc.ents`` to ``OUT/raw.jsonl``. Both are scored by
``score_entities.py`` and the last lines printed side by side; a story that raises is counted and
named. The sets are Reuters copy: keep them, and the outputs, out of the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]
SCORER = REPO.parent / "shared" / "tools" / "entities" / "score_entities.py"
DEFAULT_SET = Path("~/.cache/wirestream/conll2003/testa")


def default_set() -> Path:
    return Path(os.environ.get("WIRESTREAM_CONLL", str(DEFAULT_SET))).expanduser()


@dataclass
class Run:
    """One system's predictions over a set, and the documents it raised on."""

    lines: list[dict] = field(default_factory=list)
    raised: dict[str, str] = field(default_factory=dict)


def documents(set_dir: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(set_dir.glob("*.txt")):
        yield path.stem, path


def wirestream_run(set_dir: Path, nlp: Language | None = None) -> Run:
    """Each document through decode, parse and enrich, as ``wirestream parse`` runs them; with the
    default model, or ``nlp`` when the caller has it loaded already (a test session does)."""
    from wirestream.transforms import formats
    from wirestream.transforms.nlp.enrich import enrich_stories
    from wirestream.transforms.nlp.model import load_model
    from wirestream.transforms.parsing.story_parts import parse_item
    from wirestream.transforms.records.story import Source

    nlp = nlp or load_model()
    run = Run()
    for doc_id, path in documents(set_dir):
        try:
            items = formats.decode(path.read_bytes())
            stories = [parse_item(item, Source(path=str(path))) for item in items]
            enrich_stories(nlp, stories)
        except Exception:  # a story that raises is what we count
            run.raised[doc_id] = traceback.format_exc(limit=3)
            run.lines.append({"doc_id": doc_id, "entities": []})
            continue
        names = [
            {"text": name, "label": entity.label}
            for story in stories
            for entity in story.entities
            for name in [entity.text, *entity.aliases]
        ]
        run.lines.append({"doc_id": doc_id, "entities": names})
    return run


def raw_run(set_dir: Path) -> Run:
    """The model as it comes (default components) over each file as it is: ``doc.ents``."""
    import spacy

    from wirestream.transforms.nlp.model import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    run = Run()
    for doc_id, path in documents(set_dir):
        doc = nlp(path.read_text(encoding="utf-8"))
        run.lines.append({"doc_id": doc_id, "entities": [{"text": e.text, "label": e.label_} for e in doc.ents]})
    return run


def score(gold: Path, pred: Path, errors: Path | None = None) -> dict[str, float]:
    """``score_entities.py``'s strict F1s (and lenient micro) from its last line."""
    command = [sys.executable, str(SCORER), str(gold), str(pred)] + (["--errors", str(errors)] if errors else [])
    last = subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    strict, lenient = last.split("|")
    figures = {k: float(v) for k, v in (part.split("=") for part in strict.replace("(strict)", "").split())}
    figures["lenient_micro_f1"] = float(lenient.split("=")[1])
    return figures


def write(run: Run, path: Path) -> None:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in run.lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set_dir", nargs="?", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("/tmp/wirestream-conll"))
    parser.add_argument("--only", choices=("wirestream", "raw"), default=None)
    args = parser.parse_args(argv)
    set_dir = (args.set_dir or default_set()).expanduser()
    out = args.out / set_dir.name
    out.mkdir(parents=True, exist_ok=True)
    systems = {"raw": raw_run, "wirestream": wirestream_run}
    for name, system in systems.items():
        if args.only and name != args.only:
            continue
        run = system(set_dir)
        pred = out / f"{name}.jsonl"
        write(run, pred)
        figures = score(set_dir / "gold.jsonl", pred, out / f"{name}.errors.jsonl")
        shown = " ".join(f"{k}={v:.3f}" for k, v in figures.items())
        print(f"{set_dir.name} {name:<10} {len(run.lines)} docs, {len(run.raised)} raised | {shown}")
        for doc_id, trace in run.raised.items():
            print(f"  {doc_id} raised:\n{trace}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
