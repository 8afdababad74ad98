"""The figures the docs print are the ones the accuracy tests hold: one source, the JSON beside the tests.

``tests/accuracy/figures/*.json`` hold what was measured; the accuracy tests fail when a measurement
falls more than their margin under it, and this test fails when a docs table says anything else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIGURES = REPO / "tests" / "accuracy" / "figures"


def table_row(page: str, first_cell: str) -> list[str]:
    """The cells after ``first_cell`` of the first table row of ``docs/<page>`` (or the README) starting with it."""
    for line in (REPO / page if page == "README.md" else REPO / "docs" / page).read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell:
            return cells[1:]
    raise AssertionError(f"docs/{page} has no table row for {first_cell!r}")


def test_the_entity_table_is_the_measured_one() -> None:
    figures = json.loads((FIGURES / "entities_conll.json").read_text())
    for system, row in (("wirestream", "wirestream"), ("raw_spacy", "raw spaCy")):
        measured = figures[system]
        expected = [f"{measured[key]:.3f}" for key in ("per_f1", "org_f1", "loc_f1", "micro_f1")]
        assert table_row("nlp.md", row) == expected


def test_the_quote_table_is_the_measured_one() -> None:
    measured = json.loads((FIGURES / "quotes_polnear.json").read_text())["all"]
    keys = ("quote_f1", "speaker_acc", "speaker_acc_named", "attr_f1")
    expected = [str(measured["articles"]), *(f"{measured[key]:.3f}" for key in keys)]
    expected.append(f"{measured['no_speaker_share']:.1%}")
    assert table_row("nlp.md", "PolNeAR train + dev") == expected


def test_the_readme_quote_table_is_the_measured_one() -> None:
    measured = json.loads((FIGURES / "quotes_polnear.json").read_text())["all"]
    keys = ("quote_f1", "speaker_acc", "speaker_acc_named", "speaker_acc_pronoun_hand", "attr_f1")
    expected = [str(measured["articles"]), *(f"{measured[key]:.3f}" for key in keys)]
    expected.append(f"{measured['no_speaker_share']:.1%}")
    assert table_row("README.md", "PolNeAR train + dev") == expected


def test_the_languages_entity_table_is_the_measured_one() -> None:
    figures = json.loads((FIGURES / "entities_languages.json").read_text())
    for key, name in (("fr", "French"), ("en", "English"), ("all", "both")):
        measured = figures[key]
        expected = [str(measured["entities"]), *(f"{measured[k]:.3f}" for k in ("precision", "recall", "f1"))]
        assert table_row("nlp.md", f"{name} ({measured['stories']})") == expected


def test_every_figures_file_is_cited_by_the_docs() -> None:
    docs = "\n".join(page.read_text() for page in (REPO / "docs").glob("*.md"))
    for path in FIGURES.glob("*.json"):
        assert re.search(rf"tests/accuracy/figures/{re.escape(path.name)}", docs), f"no docs page cites {path.name}"
