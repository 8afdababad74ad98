"""Given names: the sex a name tells, and whether two words are a person's name (``given_names``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from wirestream.transforms.nlp.quotes.given_names import SSA_NAMES, gender_of, looks_like_a_person

BUILDER = Path(__file__).resolve().parents[2] / "deploy" / "names" / "build_given_names.py"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_given_names", BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_names_beyond_the_hand_made_lists_tell_a_sex():
    assert gender_of("Sebastian Gorka") == "m"
    assert gender_of("Carly Fiorina") == "f"
    assert gender_of("Dexter Wakefield") == "m"
    assert gender_of("Hillary Clinton") == "f"


def test_a_name_given_to_either_sex_tells_none():
    assert gender_of("Jordan Peele") is None
    assert gender_of("Chris Murphy") is None
    assert gender_of("Kelly Ayotte") is None


def test_a_name_that_is_also_a_place_tells_a_sex_but_not_a_person():
    assert gender_of("Austin Reed") == "m"
    assert looks_like_a_person("Carly Fiorina")
    assert not looks_like_a_person("Austin Texas")
    assert not looks_like_a_person("Madison Square")


def test_the_shipped_list_is_one_sorted_name_a_line(builder: ModuleType):
    lines = [line.split("\t") for line in SSA_NAMES.read_text(encoding="utf-8").splitlines()[1:]]
    names = [name for name, _sex, _place in lines]
    assert names == sorted(set(names)) and len(names) > 4_000
    assert {sex for _name, sex, _place in lines} == {"m", "f"}
    assert {place for _name, _sex, place in lines} == {"", "place"}


def test_the_builder_keeps_names_nearly_all_of_one_sex_since_1930(builder: ModuleType):
    rows = [
        ["ada", "f", "3000", "1950"],
        ["ada", "m", "50", "1950"],  # under 2 % boys: kept, f
        ["lin", "f", "3000", "1950"],
        ["lin", "m", "100", "1950"],  # 3 % boys: left out
        ["kim", "f", "2000", "1960"],
        ["kim", "m", "1500", "1960"],  # either sex: left out
        ["olaf", "m", "5000", "1900"],  # only before 1930: left out
        ["rare", "m", "10", "1990"],  # too few
        ["bo", "m", "2500", "1999"],
    ]
    assert builder.given_names(rows) == {"Ada": "f", "Bo": "m"}
