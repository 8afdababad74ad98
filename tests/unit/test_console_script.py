"""The ``wirestream`` script imports nothing heavy before it runs: every spawned process re-runs it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from wirestream.pipelines import command

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_console_script_is_the_light_entry_point():
    scripts = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["wirestream"] == f"{command.__name__}:main"


def test_importing_the_entry_point_loads_neither_beam_nor_spacy():
    """What a stage's process or a model process pays before its own work (``pipelines/command.py``)."""
    check = f"import sys, {command.__name__}; print(sorted(m for m in ('apache_beam', 'spacy') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
