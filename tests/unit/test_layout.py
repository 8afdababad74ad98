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
    "wirestream.transforms.newsroom",
    "wirestream.transforms.records",
    "wirestream.transforms.sandbox",
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
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "wirestream = wirestream.pipelines.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
