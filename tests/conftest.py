"""Fixtures every test folder shares: where the shared test data and our samples are.

The shared data is agency copy for tests only and is never copied into the repo. Tests read it
from ``<repo>/../shared/data``, or from ``$WIRESTREAM_SHARED_DATA`` when that is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_samples() -> Path:
    """The fictional sample feed shipped with the repo."""
    return REPO / "samples"


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
