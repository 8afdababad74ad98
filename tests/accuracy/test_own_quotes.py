"""Quote and speaker accuracy on our own fictional stories (``own_quotes.json``), by the reference scorer.

The PolNeAR dev set is what the rules were tuned on; these stories were written for this project
(places, people and agencies invented) with the attributions the dev set has too few of: the cue
before the quote (`X said: “…”`, `According to X, …`), a pronoun or a description (`the
spokeswoman`, `the official`) naming a speaker one or more paragraphs after they were introduced,
a surname alone, an appositive (`Its chief executive, Tobias Venn, said`). The gold is in the
scorer's GOLD_SUBSET form; ``own_quotes_referents.json`` says whom each pronoun names.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.accuracy.test_quotes import scorer  # noqa: F401 (a fixture)
from wirestream.transforms import formats
from wirestream.transforms.nlp.enrich import enrich_stories
from wirestream.transforms.nlp.model import load_model
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source

pytestmark = pytest.mark.slow

GOLD = Path(__file__).with_name("own_quotes.json")
REFERENTS = Path(__file__).with_name("own_quotes_referents.json")
# Measured when written: quote F1 1.0, speaker accuracy 1.0 (19 quotes, 5 with a pronoun source).
THRESHOLDS = {"quote_f1": 0.95, "speaker_acc": 0.94, "attr_f1": 0.94}


def test_quotes_and_speakers_on_our_own_stories(scorer: ModuleType, tmp_path: Path, capsys) -> None:  # noqa: F811
    articles = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    stories = []
    for article in articles:
        (item,) = formats.decode(article["text"].encode(), format="TEXT")
        stories.append(parse_item(item, Source(path=article["doc_id"]), pipeline_version="accuracy"))
    enrich_stories(load_model(), stories)
    predictions = tmp_path / "pred.jsonl"
    with predictions.open("w", encoding="utf-8") as out:
        for article, story in zip(articles, stories, strict=True):
            quotes = [{"text": q.text, "speaker": q.speaker, "kind": q.kind} for q in story.quotes]
            out.write(json.dumps({"doc_id": article["doc_id"], "quotes": quotes}, ensure_ascii=False) + "\n")
    figures = tmp_path / "figures.json"
    args = [str(GOLD), str(predictions), "--referents", str(REFERENTS), "--json", str(figures)]
    assert scorer.main(args) == 0
    with capsys.disabled():
        print("\n" + capsys.readouterr().out)
    measured = json.loads(figures.read_text())
    low = {name: round(measured[name], 3) for name, floor in THRESHOLDS.items() if measured[name] < floor}
    assert low == {}, f"below the thresholds {THRESHOLDS}"
