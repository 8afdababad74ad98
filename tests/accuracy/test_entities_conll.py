"""Entity accuracy on unseen-style Reuters copy: CoNLL-2003 ``eng.testa`` rebuilt as wire stories.

The set is ``conll2003/testa/`` in the shared data (``NNN.txt`` and ``gold.jsonl``, built by
``../shared/tools/entities/build_conll.py``; Reuters copy, so never in the repository), read through
the ``shared_data`` fixture. Every story goes through decode, parse and enrich as ``wirestream parse``
runs them (``benchmarks/entities_conll.py``, which prints the same table), scored by the reference
scorer ``score_entities.py`` (strict document-level F1 over PER, ORG and LOC).

The figures are ``figures/entities_conll.json``, the one source the README's table cites: each F1
measured here must be within its ``margin`` under the figure. Raw spaCy's figures (the model as it
comes, ``doc.ents`` over the file) are there too, measured by the benchmark; our code does not change
them, so the test does not spend half a minute measuring them again. Never point this at ``eng.testb``:
that is how we are measured.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from spacy.language import Language

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIGURES = Path(__file__).parent / "figures" / "entities_conll.json"
F1S = ("per_f1", "org_f1", "loc_f1", "micro_f1")


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    return json.loads(FIGURES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("entities_conll", REPO / "benchmarks" / "entities_conll.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def testa(shared_data: Path, bench: ModuleType) -> Path:
    set_dir = shared_data / "conll2003" / "testa"
    assert (set_dir / "gold.jsonl").is_file(), f"the shared data has no CoNLL-2003 testa at {set_dir}"
    assert bench.SCORER.is_file(), f"the entity scorer is not at {bench.SCORER}"
    return set_dir


def test_entities_on_conll_testa_hold_the_published_figures(
    bench: ModuleType, testa: Path, spacy_model: Language, figures: dict[str, Any], tmp_path: Path
) -> None:
    run = bench.wirestream_run(testa, spacy_model)
    assert not run.raised, f"{len(run.raised)} stories raised: {sorted(run.raised)[:10]}"
    assert len(run.lines) == figures["stories"]
    predictions = tmp_path / "wirestream.jsonl"
    bench.write(run, predictions)
    measured = bench.score(testa / "gold.jsonl", predictions)
    print("testa wirestream", " ".join(f"{key}={measured[key]:.3f}" for key in F1S))
    published, margin = figures["wirestream"], figures["margin"]
    below = {key: (round(measured[key], 3), published[key]) for key in F1S if measured[key] < published[key] - margin}
    assert below == {}, f"under {FIGURES.name}'s figures by more than {margin} (measured, published)"


def test_the_published_figures_put_wirestream_ahead_of_raw_spacy(figures: dict[str, Any]) -> None:
    ours, raw = figures["wirestream"], figures["raw_spacy"]
    assert all(ours[key] >= raw[key] for key in F1S)
    assert ours["micro_f1"] >= raw["micro_f1"] + figures["lead_over_raw_micro"]
