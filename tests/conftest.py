"""Fixtures every test folder shares: where the shared test data and our samples are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_samples() -> Path:
    """The fictional sample feed shipped with the repo."""
    return REPO / "samples"
