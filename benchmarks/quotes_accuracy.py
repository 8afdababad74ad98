"""Quote and speaker accuracy on PolNeAR's train and dev splits (or the 30 dev stories), by the reference scorer.

    .venv/bin/python benchmarks/quotes_accuracy.py [--split dev30|polnear-dev|polnear-train|all|sample]
        [--part all|tune|holdout] [--details OUT.tsv] [--json OUT.json] [--write-figures] [--cache FILE]

Each article is decoded, parsed and enriched exactly as the pipeline does (``formats.decode``,
``parse_item``, ``enrich_stories`` with ``load_model()``); its quotes go to
``../shared/tools/score_quotes.py`` as PRED.jsonl, located by their text (the scorer's docstring
gives the matching rules and what counts as the right speaker). Printed: the scorer's report (quote
P/R/F1, speaker accuracy over named, pronoun and all sources, attribution F1), then how many quotes
were left with no speaker and how many matched quotes got a wrong one.

Pronoun sources are judged against referents read by hand (``tests/accuracy/quotes_dev_referents.json``
for the 30 dev stories, 29 of which are among train and dev; ``quotes_train_referents.json`` for every
other quoted attribution of train and dev with a pronoun source), not the scorer's silver CoreNLP hint,
which is often wrong; the hint is used only where a reader could not tell (2 cases). The pronoun
figure over the hand-read cases alone (``pronoun_hand``) is printed beside the one over all.

``--split all`` gives the whole-set figures; ``--split sample`` (dev and every tenth train article)
is what ``tests/accuracy/test_quotes_train.py`` runs. ``--write-figures`` records either in
``tests/accuracy/figures/quotes_polnear.json``, which that test holds and the docs cite.

``--part`` splits train and dev for tuning: ``holdout`` is every fifth article of each file (the
5th, 10th …), ``tune`` the rest. Tune on ``tune``; read only the figures of ``holdout``, never its
articles, to see whether a rule learnt the tuning articles rather than English.

The data is the publishers' and is for research only (``../shared/data/quotes-train/README.md``):
it is read from the shared folder (``$WIRESTREAM_SHARED_DATA`` overrides it), never copied here.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
REFERENTS = tuple(
    REPO / "tests" / "accuracy" / name for name in ("quotes_dev_referents.json", "quotes_train_referents.json")
)
TRAIN, DEV = "quotes-train/polnear_train_subset.json", "quotes-train/polnear_dev_subset.json"
# Each split: (file, every), the file's articles 0, every, 2 × every … in file order.
SPLITS = {
    "dev30": (("quotes-dev/polnear_dev_articles.json", 1),),
    "polnear-dev": ((DEV, 1),),
    "polnear-train": ((TRAIN, 1),),
    "all": ((TRAIN, 1), (DEV, 1)),
    # What tests/accuracy/test_quotes_train.py runs, fast enough for CI: PolNeAR's whole dev split
    # and every tenth train article (the 1st, 11th, 21st …: 67 of 667), fixed by their order in the file.
    "sample": ((DEV, 1), (TRAIN, 10)),
}
# The figures of "sample" and of "all", one source for the test and the docs (--write-figures).
FIGURES = REPO / "tests" / "accuracy" / "figures" / "quotes_polnear.json"
PARTS = ("all", "tune", "holdout")
HOLDOUT_EVERY = 5
STORIES_PER_CALL = 48  # enrich_stories is called on this many at a time: every Doc of a call is in memory


def shared_data() -> Path:
    override = os.environ.get("WIRESTREAM_SHARED_DATA")
    return Path(override) if override else REPO.parent / "shared" / "data"


def scorer_path(data: Path) -> Path:
    return data.parent / "tools" / "score_quotes.py"


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def in_part(index: int, part: str) -> bool:
    """Is the article at ``index`` of its file in ``part``? (``holdout``: every fifth.)"""
    held = index % HOLDOUT_EVERY == HOLDOUT_EVERY - 1
    return part == "all" or (part == "holdout") == held


def load_articles(data: Path, split: str, part: str = "all") -> list[dict]:
    """The articles of ``split`` (a key of ``SPLITS``) in ``part``, in file order."""
    articles = []
    for name, every in SPLITS[split]:
        documents = json.loads((data / name).read_text(encoding="utf-8"))["documents"]
        articles += [a for n, a in enumerate(documents) if n % every == 0 and in_part(n, part)]
    return articles


def predict(articles: Sequence[dict], nlp=None, cache: Path | None = None) -> list[dict]:
    """PRED.jsonl lines: each article through decode, parse and enrich as the pipeline runs them.

    With ``cache`` (a file), each story's parsed body, entities and language are kept there on the
    first run, and later runs only find the quotes again: for tuning the quote rules, not for figures
    that must follow the model or the entity rules.
    """
    if cache is not None and cache.is_file():
        return _predict_from_cache(articles, cache)
    from wirestream.transforms import formats
    from wirestream.transforms.nlp import enrich
    from wirestream.transforms.nlp.model import load_model
    from wirestream.transforms.parsing.story_parts import parse_item
    from wirestream.transforms.records.story import Source

    nlp = nlp if nlp is not None else load_model()
    seen: list[tuple] = []
    find_quotes = enrich.quotes_from_doc
    if cache is not None:  # keep what the quote step reads, as the stage hands it over

        def find_and_keep(doc, entities, language=None):
            seen.append((doc, list(entities), language))
            return find_quotes(doc, entities, language=language)

        enrich.quotes_from_doc = find_and_keep
    lines = []
    try:
        for first in range(0, len(articles), STORIES_PER_CALL):
            chunk = articles[first : first + STORIES_PER_CALL]
            stories = []
            for article in chunk:
                (item,) = formats.decode(article["text"].encode(), format="TEXT")
                stories.append(parse_item(item, Source(path=article["doc_id"]), pipeline_version="accuracy"))
            enrich.enrich_stories(nlp, stories)
            for article, story in zip(chunk, stories, strict=True):
                quotes = [{"text": q.text, "speaker": q.speaker, "kind": q.kind} for q in story.quotes]
                lines.append({"doc_id": article["doc_id"], "quotes": quotes})
            if cache is not None:
                bodies = [s.body for s in stories]
                seen[-len(chunk) :] = [(*kept, body) for kept, body in zip(seen[-len(chunk) :], bodies, strict=True)]
    finally:
        enrich.quotes_from_doc = find_quotes
    if cache is not None:
        _write_cache(cache, [a["doc_id"] for a in articles], seen)
    return lines


def _write_cache(cache: Path, doc_ids: list[str], seen: list[tuple]) -> None:
    import pickle

    from spacy.tokens import DocBin

    bin_ = DocBin(store_user_data=True)
    for doc, *_ in seen:
        bin_.add(doc)
    rest = [(entities, language, body) for _, entities, language, body in seen]
    cache.write_bytes(pickle.dumps({"doc_ids": doc_ids, "docs": bin_.to_bytes(), "rest": rest}))


def load_cache(cache: Path) -> tuple[list[str], list[tuple]]:
    """The doc ids and, per story, (doc, entities, language, body) kept by ``predict``."""
    import pickle

    from spacy.tokens import DocBin

    from wirestream.transforms.nlp.model import load_model

    kept = pickle.loads(cache.read_bytes())
    docs = list(DocBin().from_bytes(kept["docs"]).get_docs(load_model().vocab))
    return kept["doc_ids"], [(doc, *rest) for doc, rest in zip(docs, kept["rest"], strict=True)]


def quotes_of_cache(stories: Sequence[tuple]) -> list[list]:
    """The quote step alone on cached stories, as ``enrich`` runs it."""
    from dataclasses import replace

    from wirestream.transforms.nlp.quotes import quotes_from_doc

    found = []
    for doc, entities, language, body in stories:
        quotes = quotes_from_doc(doc, entities, language=language)
        found.append([replace(q, text=body[q.start : q.end]) for q in quotes])
    return found


def _predict_from_cache(articles: Sequence[dict], cache: Path) -> list[dict]:
    doc_ids, stories = load_cache(cache)
    if doc_ids != [a["doc_id"] for a in articles]:
        raise ValueError(f"{cache} holds other articles: remove it")
    return [
        {"doc_id": doc_id, "quotes": [{"text": q.text, "speaker": q.speaker, "kind": q.kind} for q in quotes]}
        for doc_id, quotes in zip(doc_ids, quotes_of_cache(stories), strict=True)
    ]


@dataclass(frozen=True)
class Speakerless:
    """Quotes in marks (DIRECT and PARTIAL) left with no speaker, and matched quotes given a wrong one."""

    predicted: int  # quotes in marks predicted
    no_speaker: int  # of those, with speaker null
    matched: int  # matched gold quotes that have a gold source
    matched_no_speaker: int  # of those, predicted with speaker null
    matched_wrong: int  # of those, predicted with a speaker, and the wrong one

    def as_dict(self) -> dict[str, float]:
        return {
            "no_speaker_share": self.no_speaker / self.predicted if self.predicted else 0.0,
            "matched_no_speaker_share": self.matched_no_speaker / self.matched if self.matched else 0.0,
            "matched_wrong_share": self.matched_wrong / self.matched if self.matched else 0.0,
        }


def judged_rows(details: Path) -> list[dict[str, str]]:
    """The rows of the scorer's details TSV whose speaker was judged: matched gold quotes with a source."""
    with details.open(encoding="utf-8") as rows:
        return [r for r in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE) if r["speaker"]]


def speakerless(lines: Sequence[dict], matched: Sequence[dict[str, str]]) -> Speakerless:
    """Count the speakerless quotes in ``lines`` and among the ``matched`` ones (``judged_rows``)."""
    marked = [q for line in lines for q in line["quotes"] if q["kind"] != "REPORTED"]
    wrong = [r for r in matched if r["speaker"] == "speaker-wrong"]
    return Speakerless(
        predicted=len(marked),
        no_speaker=sum(q["speaker"] is None for q in marked),
        matched=len(matched),
        matched_no_speaker=sum(r["pred_speaker"] == "None" for r in wrong),
        matched_wrong=sum(r["pred_speaker"] != "None" for r in wrong),
    )


def merged_referents() -> dict[str, dict[str, str]]:
    """The hand-read referents of every file of ``REFERENTS``, by article and attribution id."""
    merged: dict[str, dict[str, str]] = {}
    for path in REFERENTS:
        for doc_id, by_id in json.loads(path.read_text(encoding="utf-8")).items():
            if not doc_id.startswith("_"):
                merged.setdefault(doc_id, {}).update(by_id)
    return merged


def pronouns_read_by_hand(matched: Sequence[dict[str, str]], referents: dict[str, dict[str, str]]) -> tuple[int, int]:
    """(right, judged) speakers of ``matched`` quotes with a pronoun source whose referent was read by hand."""
    judged = [
        r["speaker"] for r in matched if r["pronoun"] == "pronoun" and referents.get(r["doc_id"], {}).get(r["attr"])
    ]
    return judged.count("speaker-ok"), len(judged)


def score(scorer: ModuleType, articles: Sequence[dict], lines: Sequence[dict], details: Path | None = None) -> dict:
    """The scorer's figures (it prints its report) with the speakerless counts added."""
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred, figures = Path(tmp, "gold.json"), Path(tmp, "pred.jsonl"), Path(tmp, "figures.json")
        details = details or Path(tmp, "details.tsv")
        referents = Path(tmp, "referents.json")
        hand_read = merged_referents()
        referents.write_text(json.dumps(hand_read, ensure_ascii=False), encoding="utf-8")
        gold.write_text(json.dumps({"documents": list(articles)}, ensure_ascii=False), encoding="utf-8")
        pred.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        args = [str(gold), str(pred), "--referents", str(referents), "--json", str(figures), "--details", str(details)]
        if scorer.main(args) != 0:
            raise RuntimeError(f"the scorer refused {args}")
        measured = json.loads(figures.read_text())
        matched = judged_rows(details)
        counts = speakerless(lines, matched)
        right, judged = pronouns_read_by_hand(matched, hand_read)
    measured.update(counts.as_dict())
    measured.update({"speaker_acc_pronoun_hand": right / judged if judged else 0.0, "n_pronoun_hand": judged})
    measured.update({f"n_{name}": value for name, value in vars(counts).items()})
    return measured


def report(measured: dict) -> str:
    """The figures issue 31 asks for, on one screen."""
    return "\n".join(
        [
            f"quotes: P {measured['quote_p']:.3f}  R {measured['quote_r']:.3f}  F1 {measured['quote_f1']:.3f}"
            f"  (gold {measured['n_gold']})",
            f"speaker accuracy: all {measured['speaker_acc']:.3f}  named {measured['speaker_acc_named']:.3f}"
            f"  pronoun {measured['speaker_acc_pronoun']:.3f}"
            f" (read by hand: {measured['speaker_acc_pronoun_hand']:.3f} of {measured['n_pronoun_hand']})",
            f"attribution: P {measured['attr_p']:.3f}  R {measured['attr_r']:.3f}  F1 {measured['attr_f1']:.3f}",
            f"no speaker: {measured['n_no_speaker']} of {measured['n_predicted']} quotes in marks"
            f" ({measured['no_speaker_share']:.3f}); of {measured['n_matched']} matched quotes with a gold source,"
            f" {measured['n_matched_no_speaker']} without a speaker ({measured['matched_no_speaker_share']:.3f})"
            f" and {measured['n_matched_wrong']} with a wrong one ({measured['matched_wrong_share']:.3f})",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="all")
    parser.add_argument("--part", choices=PARTS, default="all", help="tune: 4 articles in 5; holdout: every 5th")
    parser.add_argument("--details", type=Path, help="the scorer's per-quote TSV")
    parser.add_argument("--json", type=Path, help="the figures as JSON")
    parser.add_argument("--write-figures", action="store_true", help=f"record them in {FIGURES.relative_to(REPO)}")
    parser.add_argument("--cache", type=Path, help="keep the parsed stories here; later runs redo only the quotes")
    args = parser.parse_args(argv)
    data = shared_data()
    if not scorer_path(data).is_file():
        print(f"the reference scorer is not at {scorer_path(data)}", file=sys.stderr)
        return 2
    articles = load_articles(data, args.split, args.part)
    started = time.perf_counter()
    lines = predict(articles, cache=args.cache)
    seconds = time.perf_counter() - started
    measured = score(load_scorer(scorer_path(data)), articles, lines, args.details)
    measured["seconds"] = seconds
    measured["part"] = args.part
    print(f"\n{args.split} ({args.part}): {len(articles)} articles, decoded, parsed and enriched in {seconds:.0f} s")
    print(report(measured))
    if args.json:
        args.json.write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
    if args.write_figures:
        write_figures(args.split, len(articles), measured)
    return 0


HELD = ("quote_f1", "speaker_acc", "speaker_acc_named", "speaker_acc_pronoun", "speaker_acc_pronoun_hand", "attr_f1")
SHARES = ("matched_wrong_share", "no_speaker_share", "matched_no_speaker_share")


def write_figures(split: str, articles: int, measured: dict) -> None:
    """Record ``split``'s figures in ``FIGURES`` (the other splits' stay): what the test holds, docs cite."""
    if split not in ("sample", "all") or measured.get("part", "all") != "all":
        raise ValueError("only the whole 'sample' and 'all' splits are recorded")
    kept = json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.is_file() else {}
    kept[split] = {
        "articles": articles,
        "n_gold": measured["n_gold"],
        "n_pronoun_hand": measured["n_pronoun_hand"],
        **{name: round(measured[name], 3) for name in HELD + SHARES},
    }
    FIGURES.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
