"""The IPTC vocabularies wirestream ships are exactly what ``deploy/iptc/build_vocab.py`` (``make
iptc-vocab``) builds from IPTC's own files in the shared data: nobody edited the shipped file by hand,
and a new release of the vocabularies is one rebuild away. Skipped without the shared data."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_vocabulary_is_what_the_build_makes_of_iptcs_files(shared_data: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_vocab", REPO / "deploy" / "iptc" / "build_vocab.py")
    assert spec and spec.loader
    build_vocab = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_vocab)
    shipped = resources.files("wirestream.transforms.subjects").joinpath("iptc.json").read_text(encoding="utf-8")
    assert shipped == build_vocab.build_from(shared_data / "iptc"), "run `make iptc-vocab` and commit the file"
