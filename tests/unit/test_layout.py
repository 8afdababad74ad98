"""The house's rules: one import root, plain logic without Beam, and a wheel holding only ``wirestream/``."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The folders at the top of the checkout and the import names they install as.
ROOTS = {"pipelines": "wirestream.pipelines", "transforms": "wirestream.transforms", "schemas": "wirestream.schemas"}
# The sub-packages of plain logic: parsing, extraction, records, Kafka client settings. Never Beam.
PLAIN = [
    "wirestream.transforms.deadletters",
    "wirestream.transforms.encoding",
    "wirestream.transforms.formats",
    "wirestream.transforms.kafka",
    "wirestream.transforms.nlp",
    "wirestream.transforms.parsing",
    "wirestream.transforms.places",
    "wirestream.transforms.newsroom",
    "wirestream.transforms.records",
    "wirestream.transforms.sandbox",
    "wirestream.transforms.subjects",
    "wirestream.transforms.telemetry",
]


def packages_on_disk() -> set[str]:
    found = set()
    for folder, name in ROOTS.items():
        for init in (REPO / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO / folder)
            found.add(".".join([name, *relative.parts]))
    return found


def test_every_package_on_disk_is_installed_under_the_one_root():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config["packages"]) == packages_on_disk()
    assert config["package-dir"] == {name: folder for folder, name in ROOTS.items()}


def test_plain_packages_cover_every_sub_package_of_transforms():
    subpackages = {p for p in packages_on_disk() if p.count(".") == 2 and p.startswith("wirestream.transforms.")}
    assert subpackages == set(PLAIN)


@pytest.mark.parametrize("package", PLAIN)
def test_importing_plain_logic_does_not_load_beam(package: str):
    """Every module of the package, imported in a fresh interpreter, leaves ``apache_beam`` unloaded."""
    folder = REPO / "transforms" / package.rsplit(".", 1)[1]
    modules = [package] + [
        ".".join([package, *path.relative_to(folder).with_suffix("").parts])
        for path in sorted(folder.rglob("*.py"))
        if path.name != "__init__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'apache_beam'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", check=True)
    assert out.stdout.strip() == "[]", f"{package} loads Beam"


@pytest.mark.slow
def test_the_wheel_holds_wirestream_and_nothing_else(tmp_path: Path):
    """Built from a copy of the sources, so that the build leaves nothing in the checkout."""
    source = tmp_path / "src"
    for folder in ROOTS:
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("wirestream-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")} == {"wirestream"}
    assert "wirestream/schemas/story.avsc" in names
    assert "wirestream/transforms/step2_decode.py" in names
    assert "wirestream/transforms/nlp/quotes/given_names.tsv" in names  # package data, as places.tsv.gz
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "wirestream = wirestream.pipelines.command:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def _product_modules() -> list[tuple[str, Path]]:
    """Every module we ship, by import name."""
    found = []
    for folder, name in ROOTS.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = path.relative_to(REPO / folder).with_suffix("").parts
            found.append((".".join([name, *(p for p in parts if p != "__init__")]), path))
    return found


MAX_PARAMETERS = 8


def test_no_function_or_constructor_takes_more_than_eight_parameters() -> None:
    """Settings travel as typed objects (``transforms/settings.py``), not as long lists of keywords."""
    import ast

    crowded = []
    for name, path in _product_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                named = [
                    a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.arg not in {"self", "cls"}
                ]
                if len(named) > MAX_PARAMETERS:
                    crowded.append(f"{name}.{node.name} ({len(named)})")
    assert crowded == []


def _package_imports() -> dict[str, set[str]]:
    """Which sub-packages of ``wirestream.transforms`` each one imports (at any level of its modules)."""
    import ast

    def package_of(module: str) -> str | None:
        parts = module.split(".")
        return ".".join(parts[:3]) if len(parts) > 3 and ".".join(parts[:3]) in PLAIN else None

    graph: dict[str, set[str]] = {package: set() for package in PLAIN}
    for name, path in _product_modules():
        source = package_of(name if path.name != "__init__.py" else f"{name}.__init__")
        if source is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                package = package_of(target) or (target if target in PLAIN else None)
                if package and package != source:
                    graph[source].add(package)
    return graph


def test_no_import_cycle_between_packages() -> None:
    """The data model (``records``) below everything, the encodings above it: no two packages need each other."""
    graph = _package_imports()
    cycles = []

    def visit(package: str, path: list[str]) -> None:
        for nxt in sorted(graph[package]):
            if nxt in path:
                cycles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif len(path) < len(graph):
                visit(nxt, [*path, nxt])

    for package in graph:
        visit(package, [package])
    assert cycles == []
    assert graph["wirestream.transforms.records"] == set()  # the data model imports no other package


def test_no_two_modules_share_a_name_in_different_packages_of_plain_logic() -> None:
    """``parsing/embargo.py`` beside ``newsroom/embargo.py`` sent readers to the wrong one."""
    seen: dict[str, list[str]] = {}
    for name, path in _product_modules():
        if path.name != "__init__.py" and name.startswith("wirestream.transforms.") and name.count(".") >= 3:
            seen.setdefault(path.stem, []).append(name)
    shared = {stem: names for stem, names in seen.items() if len(names) > 1}
    assert shared == {}
