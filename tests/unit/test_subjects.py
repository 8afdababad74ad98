"""Subjects: one qcode spelling for every format's codes, IPTC's labels and trees from the shipped
vocabulary, the item's own hierarchy for other vocabularies, and the build of the shipped file.

That the shipped ``iptc.json`` is what ``deploy/iptc/build_vocab.py`` makes of IPTC's files is
held in tests/accuracy/test_iptc_vocab.py, where the shared data is read.
"""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from wirestream.transforms.formats import decode
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Subject
from wirestream.transforms.subjects import ItemSubject, qcode_of, resolve
from wirestream.transforms.subjects.resolve import MAX_SUBJECTS

REPO = Path(__file__).resolve().parents[2]
BASKETBALL = Subject("medtop:20000851", "basketball", ["medtop:20000822", "medtop:15000000"])


def build_vocab() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_vocab", REPO / "deploy" / "iptc" / "build_vocab.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- one spelling ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "scheme", "qcode"),
    [
        ("subj:15008000", None, "subj:15008000"),
        ("http://cv.iptc.org/newscodes/subjectcode/15008000", None, "subj:15008000"),
        ("https://cv.iptc.org/newscodes/subjectcode/15008000/", None, "subj:15008000"),
        ("15008000", None, "subj:15008000"),  # NITF refnum, NewsML 1.2 FormalName, ninjs 1.x code
        ("http://cv.iptc.org/newscodes/mediatopic/20000851", None, "medtop:20000851"),
        ("medtop:20000851", None, "medtop:20000851"),
        ("20000851", "http://cv.iptc.org/newscodes/mediatopic/", "medtop:20000851"),
        ("apcategorycode:S", None, "anpa-category:s"),  # AP's NewsML-G2 category code
        ("a1312cat:s", None, "anpa-category:s"),  # Reuters's
        ("s", "anpa-category", "anpa-category:s"),
        ("94aaa8f8", "http://cv.ap.org/id/", "apsubject:94aaa8f8"),  # AP Media's taxonomy, as its G2 spells it
        ("N2:SOCC", None, "N2:SOCC"),  # another vocabulary keeps the item's alias
        ("F01001000", "EFE", "EFE:F01001000"),
        ("http://example.org/fp/places/brenn", None, "http://example.org/fp/places/brenn"),
        ("SOCC", None, None),  # a bare code of no known scheme
        ("", None, None),
        ("two words", None, None),
        (None, None, None),
        (15008000, None, None),
        ("x" * 400, None, None),
    ],
)
def test_a_code_gets_one_spelling_whatever_the_format_wrote(
    value: object, scheme: str | None, qcode: str | None
) -> None:
    assert qcode_of(value, scheme=scheme) == qcode


# -- IPTC's trees -------------------------------------------------------------------------------


def test_a_media_topic_brings_its_english_label_and_every_ancestor_nearest_first() -> None:
    assert resolve([ItemSubject("medtop:20000851", "Basketball")]) == [BASKETBALL]


def test_a_subject_newscode_brings_its_parents_by_its_code_and_the_media_topic_iptc_maps_it_to() -> None:
    assert resolve([ItemSubject("subj:15008000")]) == [
        Subject("subj:15008000", "basketball", ["subj:15000000"]),
        BASKETBALL,
    ]
    [nba] = resolve([ItemSubject("subj:15008001")])  # IPTC maps no Media Topic to this one
    assert (nba.qcode, nba.broader) == ("subj:15008001", ["subj:15008000", "subj:15000000"])


def test_iptc_labels_win_over_the_items_own_names_and_a_subject_comes_once() -> None:
    found = resolve([ItemSubject("medtop:20000851", "Basketball (de)"), ItemSubject("subj:15008000")])
    assert [s.qcode for s in found] == ["medtop:20000851", "subj:15008000"]
    assert found[0] == BASKETBALL


def test_an_unknown_iptc_code_keeps_what_the_item_says() -> None:
    assert resolve([ItemSubject("medtop:99999999", "harbour life")]) == [Subject("medtop:99999999", "harbour life")]


# -- other vocabularies: what the item says ----------------------------------------------------


def test_another_vocabulary_takes_its_ancestors_from_the_items_own_broader_chain() -> None:
    found = resolve(
        [
            ItemSubject("apsubject:strikes", "Labor strikes", ("apsubject:labor",)),
            ItemSubject("apsubject:labor", "Labor issues", ("apsubject:business",)),
            ItemSubject("apsubject:business", "Business"),
        ]
    )
    assert found[0] == Subject("apsubject:strikes", "Labor strikes", ["apsubject:labor", "apsubject:business"])
    assert found[2] == Subject("apsubject:business", "Business", [])


def test_a_name_that_only_repeats_the_code_is_no_name() -> None:
    assert resolve([ItemSubject("anpa-category:s", "s")]) == [Subject("anpa-category:s", None)]


def test_a_cycle_in_the_items_hierarchy_ends() -> None:
    found = resolve([ItemSubject("x:a", None, ("x:b",)), ItemSubject("x:b", None, ("x:a",))])
    assert [s.broader for s in found] == [["x:b"], ["x:a"]]


def test_a_hostile_number_of_subjects_is_cut_at_the_bound() -> None:
    chain = [ItemSubject(f"x:{n}", None, (f"x:{n + 1}",)) for n in range(5 * MAX_SUBJECTS)]
    found = resolve(chain)
    assert len(found) == MAX_SUBJECTS
    assert all(len(s.broader) <= MAX_SUBJECTS for s in found)


# -- every format that carries subjects -----------------------------------------------------------


def _subjects(raw: str) -> list[Subject]:
    [item] = decode(raw.encode())
    return parse_item(item, Source()).subjects


_G2 = (
    '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:fp:g2" version="1"><contentMeta>{}'
    "<headline>Gulls win</headline></contentMeta><contentSet><inlineData>They won.</inlineData></contentSet></newsItem>"
)
_NITF = (
    "<nitf><head><tobject>{}</tobject></head><body><body.head><hedline><hl1>Gulls win</hl1></hedline></body.head>"
    "<body.content><p>They won.</p></body.content></body></nitf>"
)
_NEWSML12 = (
    "<NewsML><NewsItem><NewsComponent><NewsLines><HeadLine>Gulls win</HeadLine></NewsLines>"
    "<DescriptiveMetadata>{}</DescriptiveMetadata><ContentItem><MediaType FormalName='Text'/>"
    "<DataContent><p>They won.</p></DataContent></ContentItem></NewsComponent></NewsItem></NewsML>"
)


@pytest.mark.parametrize(
    ("raw", "qcodes"),
    [
        (_G2.format('<subject qcode="medtop:20000851"><name>Basketball</name></subject>'), ["medtop:20000851"]),
        (
            _G2.format('<subject uri="http://cv.iptc.org/newscodes/subjectcode/15008000"/>'),
            ["subj:15008000", "medtop:20000851"],
        ),
        (
            _G2.format('<subject qcode="fpsport:7"><sameAs qcode="subj:15008000"/></subject>'),
            ["fpsport:7", "subj:15008000", "medtop:20000851"],
        ),
        (_NITF.format('<tobject.subject tobject.subject.refnum="15008000"/>'), ["subj:15008000", "medtop:20000851"]),
        (_NITF.format('<tobject.subject tobject.subject.ipr="FP" tobject.subject.refnum="B7"/>'), ["FP:B7"]),
        (
            _NEWSML12.format('<SubjectCode><SubjectMatter FormalName="15008000"/></SubjectCode>'),
            ["subj:15008000", "medtop:20000851"],
        ),
        (
            json.dumps({"headline": "Gulls win", "subject": [{"code": "15008000", "name": "basketball"}]}),
            ["subj:15008000", "medtop:20000851"],
        ),
        (
            json.dumps(
                {"headline": "Gulls win", "subjects": [{"uri": "http://cv.iptc.org/newscodes/mediatopic/20000851"}]}
            ),
            ["medtop:20000851"],
        ),
        (
            json.dumps(
                {
                    "api_version": "1.1",
                    "data": {
                        "item": {
                            "headline": "Gulls win",
                            "editorialpriority": "r",
                            "subject": [
                                {"code": "s", "name": "s", "rels": ["category"]},
                                {
                                    "code": "a1",
                                    "name": "Basketball",
                                    "scheme": "http://cv.ap.org/id/",
                                    "parentids": ["a0"],
                                },
                                {"code": "a0", "name": "Sports", "scheme": "http://cv.ap.org/id/"},
                            ],
                        }
                    },
                }
            ),
            ["anpa-category:s", "apsubject:a1", "apsubject:a0"],
        ),
        (
            "\x16\x16\x01Q1\x1fx\nr s\x13\x11 BC-BKN--Gulls   06-02 0100\n\x02^BC-BKN--Gulls,3<\n\t   They won.\n\x03",
            ["anpa-category:s"],
        ),
    ],
    ids=[
        "g2-medtop",
        "g2-subj-uri",
        "g2-sameas",
        "nitf",
        "nitf-own-scheme",
        "newsml12",
        "ninjs1",
        "ninjs2",
        "apmedia",
        "anpa",
    ],
)
def test_every_format_that_carries_subjects_gives_them(raw: str, qcodes: list[str]) -> None:
    found = _subjects(raw)
    assert [s.qcode for s in found] == qcodes
    if "medtop:20000851" in qcodes:
        assert found[qcodes.index("medtop:20000851")] == BASKETBALL


def test_g2_broader_nesting_and_ap_parentids_give_ancestors_nearest_first() -> None:
    g2 = _subjects(
        _G2.format(
            '<subject qcode="fparea:12"><name>Valmora</name>'
            '<broader qcode="fpcountry:9"><broader qcode="fpgeo:44"/></broader></subject>'
        )
    )
    assert g2 == [Subject("fparea:12", "Valmora", ["fpcountry:9", "fpgeo:44"])]


# -- the shipped vocabulary and its build ---------------------------------------------------------


def test_the_shipped_vocabulary_credits_iptc_and_its_licence() -> None:
    data = json.loads(resources.files("wirestream.transforms.subjects").joinpath("iptc.json").read_text("utf-8"))
    assert "IPTC" in data["about"] and "CC BY 4.0" in data["about"]
    assert data["medtop"]["20000851"] == ["basketball", "20000822"]
    assert data["subj"]["15008000"] == ["basketball", "20000851"]


def _concept(code: str, label: str, broader: str | None = None, matches: tuple[str, ...] = (), retired: bool = False):
    concept = {
        "uri": f"http://cv.iptc.org/newscodes/mediatopic/{code}",
        "qcode": f"medtop:{code}",
        "prefLabel": {"de": f"{label} (de)", "en-GB": label},
        "exactMatch": [f"http://cv.iptc.org/newscodes/subjectcode/{m}" for m in matches],
    }
    if broader:
        concept["broader"] = [f"http://cv.iptc.org/newscodes/mediatopic/{broader}"]
    if retired:
        concept["retired"] = "2020-01-01T00:00:00+00:00"
    return concept


def test_the_build_keeps_labels_parents_and_the_live_exact_match() -> None:
    """A tiny scheme in IPTC's shape (invented codes): a live topic wins over a retired one for the
    same Subject NewsCode; two live ones are no mapping; one with no match maps to nothing."""
    scheme = {
        "dateReleased": "2030-01-01T00:00:00+00:00",
        "conceptSet": [
            _concept("90000000", "harbours"),
            _concept("90000001", "ferries", "90000000", matches=("91001000",)),
            _concept("90000002", "old ferries", "90000000", matches=("91001000", "91002000"), retired=True),
            _concept("90000003", "quays", "90000000", matches=("91003000",)),
            _concept("90000004", "piers", "90000000", matches=("91003000",)),
        ],
    }
    names = {
        "91000000": "harbour life",
        "91001000": "ferry",
        "91002000": "old ferry",
        "91003000": "quay",
        "91004000": "dock",
    }
    module = build_vocab()
    built = module.build(scheme, names)
    assert built["medtop"] == {
        "90000000": ["harbours", None],
        "90000001": ["ferries", "90000000"],
        "90000002": ["old ferries", "90000000"],
        "90000003": ["quays", "90000000"],
        "90000004": ["piers", "90000000"],
    }
    assert built["subj"] == {
        "91000000": ["harbour life", None],
        "91001000": ["ferry", "90000001"],
        "91002000": ["old ferry", "90000002"],
        "91003000": ["quay", None],
        "91004000": ["dock", None],
    }
    assert "2030-01-01" in built["about"]
    text = module.render(built)
    assert json.loads(text) == built
    assert text == module.render(module.build(scheme, names))  # the same bytes each time


def test_the_build_script_writes_where_it_is_told(tmp_path: Path) -> None:
    module = build_vocab()
    data = tmp_path / "iptc"
    data.mkdir()
    (data / module.MEDIA_TOPICS).write_text(json.dumps({"conceptSet": [_concept("90000000", "harbours")]}))
    (data / module.SUBJECT_CODES).write_text(json.dumps({"91000000": "harbour life"}))
    assert module.main([str(data), "--output", str(tmp_path / "out.json")]) == 0
    assert json.loads((tmp_path / "out.json").read_text())["medtop"] == {"90000000": ["harbours", None]}
    assert module.main([str(tmp_path / "missing")]) == 2
