"""A clone runs its own tests: outside tests/accuracy/ no test needs the shared agency copy.

Agency copy is licensed for testing only and never enters the repo, so a test that reads it skips
on a clone. Only accuracy measurements, which are about that copy, may; everything else runs on
the fictional fixtures in tests/fixtures/. The check reads the test modules' source: a function
(test or fixture) that takes ``shared_data``, asks for it by name, or finds the folder itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
# Accuracy measurements against agency copy, on purpose.
ACCURACY = TESTS / "accuracy"
# A seed-story check in a file another engineer owns; it belongs in tests/accuracy/ too.
OWNED_ELSEWHERE = {TESTS / "unit" / "test_quotes.py"}
# Where the fixture and the folder's location are defined.
DEFINES_IT = TESTS / "conftest.py"
FIXTURE = "shared_data"
# Ways to reach the folder without the fixture.
BYPASSES = ("shared_data_dir", "WIRESTREAM_SHARED_DATA", "shared/data")


def uses_of_shared_data(source: str) -> list[str]:
    """What in ``source`` needs the shared data: ``def name(shared_data)``, ``usefixtures`` or
    ``getfixturevalue`` naming it, or a way around the fixture (``BYPASSES``); one line each."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            if any(argument.arg == FIXTURE for argument in arguments):
                found.append(f"line {node.lineno}: {node.name}() takes {FIXTURE}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value == FIXTURE or any(bypass in node.value for bypass in BYPASSES):
                found.append(f"line {node.lineno}: {node.value!r}")
        elif isinstance(node, ast.Name | ast.alias):
            name = node.id if isinstance(node, ast.Name) else node.name
            if name in BYPASSES:
                found.append(f"line {node.lineno}: {name}")
    return found


def modules_that_must_not() -> list[Path]:
    return sorted(
        path
        for path in TESTS.rglob("*.py")
        if ACCURACY not in path.parents and path not in OWNED_ELSEWHERE | {DEFINES_IT, Path(__file__).resolve()}
    )


def test_no_module_outside_tests_accuracy_needs_the_shared_data() -> None:
    offenders = {
        str(path.relative_to(TESTS.parent)): uses
        for path in modules_that_must_not()
        if (uses := uses_of_shared_data(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "move these to tests/accuracy/, or onto the fixtures in tests/fixtures/"


@pytest.mark.parametrize(
    "source",
    [
        "def test_x(shared_data):\n    pass\n",
        "@pytest.fixture\ndef seed(tmp_path, shared_data):\n    return 1\n",
        "pytestmark = pytest.mark.usefixtures('shared_data')\n",
        "def test_x(request):\n    request.getfixturevalue('shared_data')\n",
        "from tests.conftest import shared_data_dir\n",
        "DATA = Path('../shared/data/seed')\n",
    ],
)
def test_the_check_sees_each_way_a_module_can_need_the_shared_data(source: str) -> None:
    assert uses_of_shared_data(source)


def test_the_check_passes_a_module_that_needs_only_fixtures() -> None:
    source = "from tests.wire_fixtures import fixture\n\ndef test_x(tmp_path):\n    fixture('text/a.txt')\n"
    assert uses_of_shared_data(source) == []
