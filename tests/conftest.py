"""Fixtures every test folder shares: where the shared test data and our samples are, and the model.

The shared data is agency copy for tests only and is never copied into the repo. Tests read it
from ``<repo>/../shared/data``, or from ``$WIRESTREAM_SHARED_DATA`` when that is set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]
# The fixtures' and samples' agencies are fictional: the parser knows them as a newsroom's private
# agencies (transforms/places/agencies.py), and so do the processes the tests start.
os.environ.setdefault("WIRESTREAM_AGENCIES", "FP,Northwire,NW")


@pytest.fixture(scope="session")
def repo_samples() -> Path:
    """The fictional sample feed shipped with the repo."""
    return REPO / "samples"


@pytest.fixture(scope="session")
def spacy_model() -> Language:
    """The default spaCy pipeline as the enrich stage loads it, loaded once for every test that reads with it
    (spaCy is imported only then, so tests without it start fast)."""
    from wirestream.transforms.nlp.model import load_model

    return load_model()


def shared_data_dir() -> Path:
    """The shared data folder: ``$WIRESTREAM_SHARED_DATA`` or ``<repo>/../shared/data``."""
    override = os.environ.get("WIRESTREAM_SHARED_DATA")
    return Path(override) if override else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder; skips the test when it is missing, saying how to provide it."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(
            f"shared test data not found at {path}: set WIRESTREAM_SHARED_DATA to the folder "
            "holding seed/ and wire-samples/ (it is agency copy and is not in the repo)"
        )
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The broker's tests first, then the other slow ones, in their order otherwise: ``make test`` hands
    whole files to its workers as they free up (pytest-xdist, ``--dist loadfile --no-loadscope-reorder``),
    so the long integration files start at once and the quick ones fill in around them, instead of one
    worker ending on all of them."""
    items.sort(key=lambda item: (item.get_closest_marker("kafka") is None, item.get_closest_marker("slow") is None))
