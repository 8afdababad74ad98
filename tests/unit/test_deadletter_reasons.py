"""Dead-letter reasons are defined once: the code, the metric's zero series and the README agree."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from wirestream.transforms.deadletters.errors import DecodeError, ParseError
from wirestream.transforms.deadletters.reasons import CODES, REASONS, STAGES, markdown_table, reasons_of

REPO = Path(__file__).resolve().parents[2]


def reason_literals() -> dict[str, list[str]]:
    """Every string passed as ``reason=`` in our code, with where it is."""
    found: dict[str, list[str]] = {}
    for path in sorted([*(REPO / "transforms").rglob("*.py"), *(REPO / "pipelines").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.keyword) and node.arg == "reason" and isinstance(node.value, ast.Constant):
                found.setdefault(node.value.value, []).append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def test_every_reason_the_code_gives_is_defined():
    literals = reason_literals()
    assert literals, "the scan found no reasons at all"
    assert {code: where for code, where in literals.items() if code not in CODES} == {}


def test_codes_are_unique_and_every_stage_has_internal_error():
    assert len(CODES) == len(REASONS)
    for stage in STAGES:
        assert "internal-error" in reasons_of(stage)


def test_a_typed_error_refuses_a_reason_its_stage_does_not_define():
    assert DecodeError("cut off", reason="bad-json").reason == "bad-json"
    with pytest.raises(ValueError, match="not a parse reason"):
        ParseError("no text", reason="bad-json")
    with pytest.raises(ValueError, match="add it to"):
        DecodeError("?", reason="no-such-reason")


# In a fresh process: in this one, other tests may have counted dead letters (or made the series).
AT_START = """
import json
from prometheus_client import REGISTRY
from wirestream.transforms.deadletters.reasons import STAGES, reasons_of
from wirestream.transforms.telemetry.metrics import describe_build

describe_build(version="test", runner="test", beam_version="test", formats=())
labels = [{"stage": stage, "reason": reason} for stage in STAGES for reason in reasons_of(stage)]
values = {"{stage}/{reason}".format(**l): REGISTRY.get_sample_value("wirestream_deadletters_total", l) for l in labels}
print(json.dumps(values))
"""


def test_every_stage_and_reason_starts_at_zero_on_the_metric():
    done = subprocess.run([sys.executable, "-c", AT_START], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    values = json.loads(done.stdout.splitlines()[-1])
    assert values == {f"{stage}/{reason}": 0.0 for stage in STAGES for reason in reasons_of(stage)}


def test_the_readme_table_is_the_list():
    assert markdown_table() in (REPO / "README.md").read_text(), (
        "README.md's table of dead-letter reasons is out of date: paste the output of "
        "`python -m wirestream.transforms.deadletters.reasons` into its Dead letters section"
    )
