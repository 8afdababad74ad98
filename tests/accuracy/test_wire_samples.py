"""Every real agency sample in ../shared/data/wire-samples still decodes and parses as an editor
read it: headline, byline, dateline wherever the source has them, and the parts each format is
known for.

These measure the decoders on agency copy on purpose, so they need the shared data (the
``shared_data`` fixture skips without it); the same features are held to fictional fixtures in
tests/unit/test_formats_samples.py, which every clone runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats import decode, detect
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Byline, Dateline, Source, Story


def stories(shared_data: Path, name: str) -> list[Story]:
    raw = (shared_data / "wire-samples" / name).read_bytes()
    return [parse_item(item, Source(path=name)) for item in decode(raw)]


def story(shared_data: Path, name: str) -> Story:
    [only] = stories(shared_data, name)
    return only


def sample_files(shared_data: Path) -> list[Path]:
    root = shared_data / "wire-samples"
    return sorted(
        p for p in root.rglob("*") if p.is_file() and "ninjs-schemas" not in p.parts and p.name != "README.md"
    )


def test_every_sample_parses_and_is_detected_as_its_folder_says(shared_data: Path) -> None:
    folders = {
        "anpa1312": "ANPA1312",
        "ap-media-api": "APMEDIA",
        "iptc7901": "IPTC7901",
        "newsml-g2": "NEWSMLG2",
        "newsml12": "NEWSML12",
        "ninjs": "NINJS",
        "nitf": "NITF",
    }
    files = sample_files(shared_data)
    assert len(files) >= 25
    for path in files:
        raw = path.read_bytes()
        assert (path.parent.name, detect(raw).NAME) in folders.items(), path
        parsed = stories(shared_data, str(path.relative_to(shared_data / "wire-samples")))
        assert parsed, path
        for s in parsed:
            assert s.headline or s.paragraphs, path
            assert not any("\ufffd" in p or "Ã" in p for p in s.paragraphs), path  # no mojibake


def test_json_schemas_are_refused_with_a_reason(shared_data: Path) -> None:
    for path in sorted((shared_data / "wire-samples" / "ninjs-schemas").glob("*.json")):
        with pytest.raises(DecodeError, match="JSON Schema") as failure:
            decode(path.read_bytes())
        assert failure.value.reason == "not-ninjs"


# --- ANPA-1312 --------------------------------------------------------------------------------


def test_anpa_story_with_two_bylines_photo_note_and_tagline(shared_data: Path) -> None:
    s = story(shared_data, "anpa1312/anpa-1.tst")
    assert s.format == "ANPA1312"
    assert s.headline == "For Argentine chemo patients, mirrors can hurt"
    assert s.slugline == "BC-LT--Argentina-Cancer Beauty"
    assert s.bylines == [Byline("PAUL BYRNE", "Associated Press"), Byline("ALMUDENA CALATRAVA", "Associated Press")]
    assert s.dateline == Dateline("BUENOS AIRES, Argentina (AP) _", "BUENOS AIRES", "Argentina", "AP")
    assert s.editor_notes == ["AP Photo XNP101, XNP102, XNP103, XNP104, XNP105, XNP106", "Eds: With AP Photos."]
    assert s.paragraphs[0].startswith("For cancer patients dealing with")
    assert s.paragraphs[1].startswith("\u201cLook Good Feel Better\u201d is a program")  # `` '' → “ ”
    assert [(c.name, c.role, c.location) for c in s.contributors] == [("Kacey Cherry", "helped", "Buenos Aires")]
    assert len(s.paragraphs) == 13


def test_anpa_write_through_sports_story(shared_data: Path) -> None:
    s = story(shared_data, "anpa1312/ap_anpa-1.tst")
    assert s.headline == "Deng has 30 points, short-handed Heat beat Hawks 115-111"
    assert s.version == 1
    assert s.editor_notes[0] == "1st Ld-Writethru"
    assert s.bylines == [Byline("CHARLES ODUM", "AP Sports Writer")]
    assert s.dateline == Dateline("ATLANTA (AP) _", "ATLANTA", None, "AP")
    assert "19 \u2014 season highs for each player \u2014 and" in s.paragraphs[0]  # " _ " is an em dash
    assert s.subheads == ["TIP-INS", "UP NEXT"]


@pytest.mark.parametrize(
    ("name", "headline", "dateline"),
    [
        ("ap_anpa-3.tst", "$210 lobster is found dead", Dateline("CHATHAM, Mass. (AP) _", "CHATHAM", "Mass.", "AP")),
        ("ap_anpa-5.tst", None, Dateline("HONOLULU (AP) _", "HONOLULU", None, "AP")),
        ("anpa-3.tst", None, Dateline("NEW YORK (AP) _", "NEW YORK", None, "AP")),
    ],
)
def test_anpa_short_items(shared_data: Path, name: str, headline: str | None, dateline: Dateline) -> None:
    s = story(shared_data, f"anpa1312/{name}")
    assert (s.headline, s.dateline) == (headline, dateline)
    assert s.paragraphs


def test_anpa_agate_tables(shared_data: Path) -> None:
    standings = story(shared_data, "anpa1312/ap_anpa-2.tst")
    assert standings.headline == "Baseball Expanded Standings"
    assert standings.bylines == [Byline("The Associated Press")]
    assert standings.dateline is None
    assert "Baltimore;23;13;.639;_;_;8-2;L-1;16-6;7-7" in standings.paragraphs
    assert "Toronto;19;21;.475;6;3\u00bd;4-6;L-3;9-11;10-10" in standings.paragraphs  # "{" is a half
    glance = story(shared_data, "anpa1312/ap_anpa-6.tst")
    assert "Tampa Bay;73;52;.584;_" in glance.paragraphs
    assert glance.editor_notes == ["All Times EDT"]


def test_anpa_headline_list(shared_data: Path) -> None:
    s = story(shared_data, "anpa1312/anpa-4.tst")
    assert s.headline == "AP Top Entertainment News at 11:23 p.m. EST"
    assert s.paragraphs[0] == "Ex-bodyguard testifies about lewd messages sent to Paltrow"
    assert len(s.paragraphs) == 10


# --- IPTC 7901 --------------------------------------------------------------------------------


def test_iptc7901_joins_wrapped_lines(shared_data: Path) -> None:
    s = story(shared_data, "iptc7901/IPTC7901.txt")
    assert s.format == "IPTC7901"
    assert s.headline == "Germany Social Democrats: Coalition talks with Merkel could fail"
    assert s.slugline == "Germany-politics"
    assert s.dateline == Dateline("Berlin (dpa) -", "Berlin", None, "dpa")
    assert s.paragraphs[0] == (
        "Negotiations between German conservatives headed by Chancellor Angela Merkel and the left-leaning "
        "Social Democrats (SPD) on forming a coalition government could fail, a senior SPD member warned Wednesday."
    )
    assert len(s.paragraphs) == 5
    assert not any("not for publication" in p or "Reporting by" in p for p in s.paragraphs)


def test_iptc7901_markers_byline_notebook_and_latin1(shared_data: Path) -> None:
    s = story(shared_data, "iptc7901/dpa_four_line.txt")
    assert s.headline == "Switzerland joins list of countries resisting UN migration pact"
    assert s.editor_notes == ["REFILE", "1ST LEAD", "adds head of UNGA in grafs 7-11"]
    assert s.bylines == [Byline("dpa correspondents")]
    assert s.dateline == Dateline("Geneva (dpa) -", "Geneva", None, "dpa")
    assert s.trailer == ["Swiss government statement: http://dpaq.de/EM405", "UN migration pact: http://dpaq.de/hKivX"]
    assert s.links == ["http://dpaq.de/EM405", "http://dpaq.de/hKivX"]
    assert s.paragraphs[-1].endswith("Poland and the United States.")


def test_iptc7901_byline_with_affiliation(shared_data: Path) -> None:
    s = story(shared_data, "iptc7901/dpa_two_by_line.txt")
    assert s.headline == "Chiefs-Rams 2.0? Would be a fun Super Bowl, but don't count on it"
    assert s.bylines == [Byline("Tom Krasovic", "The San Diego Union-Tribune")]
    assert s.dateline == Dateline("San Diego (tca/dpa) -", "San Diego", None, "tca/dpa")


# --- NITF -------------------------------------------------------------------------------------


def test_nitf_ap_byline_title_and_location(shared_data: Path) -> None:
    s = story(shared_data, "nitf/ap-nitf.xml")
    assert s.format == "NITF"
    assert s.headline == "Can trading pollution like stocks help fight climate change?"
    assert s.bylines == [Byline("BERNARD CONDON", "AP Business Writer")]
    assert s.dateline == Dateline("NEW YORK", "NEW YORK", None, "AP")  # <location>, agency from the lead
    assert s.paragraphs[0].startswith("The gas produced by hog manure")
    assert s.trailer[0].startswith("Bernard Condon can be reached at")
    assert "http://twitter.com/BernardFCondon" in s.links


@pytest.mark.parametrize(
    ("name", "headline", "byline", "dateline", "guid"),
    [
        (
            "aap.xml",
            "The main stories on today's 1900 ABC TV news",
            [Byline("John Doe")],
            Dateline("Sydney", "Sydney"),
            "AAP.115314987.5417374",
        ),
        (
            "efe_nitf.xml",
            "Honduran president announces Cabinet changes",
            [],  # "gr/bp": editors' initials, not a name
            Dateline("Tegucigalpa, Jan 2 (EFE).-", "Tegucigalpa", None, "EFE", "Jan 2"),
            "22751909",
        ),
        (
            "nitf-ntb.xml",
            "Faktisk.no: Nei, dette dokumentet beskriver ikke FNs Agenda 21 eller Agenda 2030",
            [Byline("Geir Molnes", "Faktisk.no")],
            Dateline("Oslo", "Oslo"),
            "faktisk-d9cde75b-256e-4989-b6a3-b8ad27f43a5c_47:v48",
        ),
        ("pa1.xml", "PA SPORT TRIVIA (OCTOBER 14)", [], None, "af1f7ad5-5619-49de-84cc-2e608538c77fSSS-3-1"),
    ],
)
def test_nitf_agencies(
    shared_data: Path, name: str, headline: str, byline: list[Byline], dateline: Dateline | None, guid: str
) -> None:
    s = story(shared_data, f"nitf/{name}")
    assert (s.headline, s.bylines, s.dateline, s.id) == (headline, byline, dateline, guid)
    assert s.paragraphs


def test_nitf_declared_latin1_comes_out_right(shared_data: Path) -> None:
    s = story(shared_data, "nitf/nitf-ntb.xml")
    assert (s.language, s.language_declared) == ("nb", "nb-NO")
    assert s.version == 48
    assert "P\u00e5stand" in s.paragraphs + s.subheads  # declared ISO-8859-1, read right


# --- NewsML-G2 --------------------------------------------------------------------------------


def test_newsml_g2_message_with_three_items(shared_data: Path) -> None:
    parsed = stories(shared_data, "newsml-g2/ap.xml")
    assert [s.headline for s in parsed] == [
        "Nutrisystem beats 4Q earnings and revenue expectations",
        "DiamondRock Hospitality posts 4Q FFO of $50.7 million, results top expectations",
        "Scripps Networks tops 4Q profit and revenue expectations",
    ]
    assert [s.dateline.raw for s in parsed if s.dateline] == [
        "FORT WASHINGTON, Pa.",
        "BETHESDA, Md.",
        "KNOXVILLE, Tenn.",
    ]
    first = parsed[0]
    assert first.format == "NEWSMLG2"
    assert first.id == "tag:ap.org,2011:5e565888b587889c5c8bd62b6164118c-text:v2"
    assert first.version == 2
    assert first.dateline == Dateline("FORT WASHINGTON, Pa.", "FORT WASHINGTON", "Pa.", "AP")
    assert (
        first.paragraphs[0] == "Nutrisystem Inc. (NTRI) on Monday reported fourth-quarter net income of $10.9 million."
    )
    assert first.trailer[0].startswith("This story was generated by Automated Insights")


def test_newsml_g2_reuters_timestamp_dateline_and_body_byline(shared_data: Path) -> None:
    s = story(shared_data, "newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NN_version_5")
    assert s.headline == "Confident Assad launches new term in stronger position"
    assert s.bylines == [Byline("Marwan Makdisi")]
    # the date the lead leaves out is the item's firstCreated, as Reuters would have written it
    assert s.dateline == Dateline("DAMASCUS (Reuters) -", "DAMASCUS", None, "Reuters", "July 16")
    assert (s.slugline, s.version, s.language, s.language_declared) == ("US-SYRIA-CRISIS-ASSAD", 5, "en", "en-US")
    assert s.paragraphs[0].startswith("Bashar al-Assad was sworn in")


def test_newsml_g2_dpa_german(shared_data: Path) -> None:
    s = story(shared_data, "newsml-g2/dpa.xml")
    assert s.headline == "Eintracht in London: Hintereggers Tr\u00e4nen und Attacke auf Reporter"
    assert s.dateline == Dateline("London (dpa) -", "London", None, "dpa")
    assert s.language == "de"
    assert s.paragraphs[0].startswith("2019 gab es bittere Tr\u00e4nen in der Kurve")
    assert not any("Veröffentlichung" in note or "reichardt" in note for note in s.editor_notes)


def test_newsml_g2_stt_and_headline_only_reuters(shared_data: Path) -> None:
    stt = story(shared_data, "newsml-g2/stt_newsml_test.xml")
    # the agency from <infoSource>, the date from firstCreated: the text has neither
    assert stt.dateline == Dateline("Helsinki, Dec 19 (STT)", "Helsinki", None, "STT", "Dec 19")
    assert stt.headline is not None and stt.headline.startswith("Parliament passed the Alcohol Act")
    reuters = story(shared_data, "newsml-g2/text.xml")
    assert reuters.headline == "Soccer-Smiling Benitez pleads for support after midweek outburst against opponent"
    assert reuters.bylines == [Byline("Toby Davis")]
    # no dateline in the text: the place from <located>, agency and date from <creator> and firstCreated
    assert reuters.dateline == Dateline("March 1 (Reuters)", "Bangalore", None, "Reuters", "March 1")
    assert reuters.paragraphs == []  # the sample's body holds only the byline


# --- NewsML 1.2 -------------------------------------------------------------------------------


def test_newsml12_afp(shared_data: Path) -> None:
    s = story(shared_data, "newsml12/afp.xml")
    assert s.format == "NEWSML12"
    assert s.headline == "Sweden court accepts receivership for Saab carmaker"
    assert s.dateline == Dateline("STOCKHOLM, Aug 29, 2014 (AFP) -", "STOCKHOLM", None, "AFP", "Aug 29, 2014")
    assert (s.id, s.version, s.slugline, s.language) == (
        "urn:newsml:afp.com:20140829T135002Z:TX-PAR-FXW86:v1",
        1,
        "Sweden-SAAB",
        "en",
    )
    assert len(s.paragraphs) == 9  # the editors' initials "hh/ph/ts/hd" are not a paragraph
    assert s.paragraphs[-1].startswith("Saab automobile offers only one model today")


# --- AP Media API ------------------------------------------------------------------------------


def test_ap_media_item_without_text_is_a_headline_story(shared_data: Path) -> None:
    s = story(shared_data, "ap-media-api/ap_media_text_item.json")
    assert s.format == "APMEDIA"
    assert (s.headline, s.slugline, s.id, s.version, s.language) == (
        "BC-BBN--Top Ten",
        "BC-BBN--Top Ten",
        "5ee9b4b40ea5fe9c9ca60f890fb2e1d9:v0",
        0,
        "en",
    )
    assert s.paragraphs == []


# --- ninjs ------------------------------------------------------------------------------------


def test_ninjs_samples(shared_data: Path) -> None:
    dpa = story(shared_data, "ninjs/examples_2.1_dpa_text.json")
    assert dpa.bylines == [Byline("Christian Hollmann", "dpa")]  # "Von Christian Hollmann, dpa"
    ap = story(shared_data, "ninjs/ninjsExSimpleText1.json")
    assert ap.dateline == Dateline("GROSSETO, Italy (AP) --", "GROSSETO", "Italy", "AP")
    assert ap.bylines == [Byline("Paulo Santalucia"), Byline("Frances d'Emilio")]
    v3 = story(shared_data, "ninjs/examples_3.0_ninjsExSimpleText_3.json")
    assert v3.headline == "Captain of wrecked cruise ship on trial in Italy"


# --- ninjs, as decoded (before parsing) ----------------------------------------------------------


def _ninjs(shared_data: Path, name: str) -> bytes:
    return (shared_data / "wire-samples" / "ninjs" / name).read_bytes()


def _reason(raw: bytes) -> str:
    with pytest.raises(DecodeError) as failure:
        decode(raw)
    return failure.value.reason


def test_ninjs_1_with_body_html(shared_data: Path) -> None:
    [item] = decode(_ninjs(shared_data, "ninjs1.json"))
    assert item.format == "NINJS"
    assert item.headline == "headline"
    assert item.body_lines == ["The story so far."]
    assert item.guid == "urn:newsml:localhost:2017-08-24T14:37:19.783611:c044162e-7f40-4d04-b700-49b6a66e652c"
    assert (item.version, item.language, item.slugline) == (2, "fr", "slugline")
    assert (item.byline, item.located) == ("Peter and Jane", "Milton Keynes")


def test_ninjs_1_prefers_xhtml_paragraphs_to_run_on_text(shared_data: Path) -> None:
    [item] = decode(_ninjs(shared_data, "ninjsExSimpleText1.json"))
    assert item.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert item.guid == "http://ninjs.example.com/newsitems/20130709simp123"
    assert item.byline == "Paulo Santalucia and Frances d'Emilio"
    assert len(item.body_lines) == 4
    assert item.body_lines[0].startswith("GROSSETO, Italy (AP) -- The trial of the captain")
    assert item.body_lines[-1].endswith("Schettino has denied wrongdoing.")


def test_ninjs_2_headlines_and_bodies(shared_data: Path) -> None:
    [item] = decode(_ninjs(shared_data, "examples_2.1_dpa_text.json"))
    assert item.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert item.byline == "Von Christian Hollmann, dpa"
    assert (item.language, item.version) == ("de", 2)
    assert item.guid == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert len(item.body_lines) == 9
    assert item.body_lines[0].startswith("Für Lucien Favre war es «der größte Skandal")
    assert not any("<" in line for line in item.body_lines)


def test_ninjs_3_camel_case(shared_data: Path) -> None:
    [item] = decode(_ninjs(shared_data, "examples_3.0_ninjsExSimpleText_3.json"))
    assert item.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert item.byline == "Paulo Santalucia and Frances d'Emilio"
    assert len(item.body_lines) == 4  # the xhtml body, not the run-on text one


def test_truncated_ninjs_is_bad_json(shared_data: Path) -> None:
    raw = _ninjs(shared_data, "ninjs1.json")
    assert _reason(raw[: len(raw) // 2]) == "bad-json"


# The newsroom fields of the samples that carry them: each format's own scale read as IPTC's, the
# version and what it replaces, and the signals editors wrote (docs/newsroom.md).
NEWSROOM = [
    # file, item, urgency, version, signals, supersedes
    ("anpa1312/anpa-1.tst", 0, 1, None, [], None),  # selector priority f
    ("anpa1312/anpa-3.tst", 0, 3, None, [], None),  # u
    ("anpa1312/ap_anpa-1.tst", 0, 4, 1, ["write-through", "update"], None),  # r, 1st Ld-Writethru
    ("anpa1312/ap_anpa-5.tst", 0, 2, None, [], None),  # b: an alert
    ("iptc7901/dpa_four_line.txt", 0, 3, 1, ["write-through", "update", "refile"], None),  # 1ST LEAD
    ("iptc7901/IPTC7901.txt", 0, 4, None, [], None),
    ("ap-media-api/ap_media_text_item.json", 0, 4, 0, [], None),
    ("newsml-g2/stt_newsml_test.xml", 0, 3, 4, ["update"], "urn:newsml:stt.fi:20171219:101801633:v3"),
    ("newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NN_version_5", 0, 4, 5, [], None),
    ("nitf/aap.xml", 0, 5, None, [], None),
    ("ninjs/ninjs1.json", 0, 3, 2, [], None),
]


@pytest.mark.parametrize(("name", "index", "urgency", "version", "signals", "supersedes"), NEWSROOM)
def test_the_newsroom_fields_of_the_samples(
    shared_data: Path,
    name: str,
    index: int,
    urgency: int,
    version: int | None,
    signals: list[str],
    supersedes: str | None,
) -> None:
    s = stories(shared_data, name)[index]
    assert (s.urgency, s.version, s.signals, s.supersedes, s.pubstatus) == (
        urgency,
        version,
        signals,
        supersedes,
        "usable",
    )
    assert s.embargoed_until is None
    if "sha1:" not in s.id:  # an item with a guid (one without has its text's hash in its id): family and version
        assert s.id == (s.family_id if s.version is None else f"{s.family_id}:v{s.version}")


def test_the_versions_of_a_story_share_its_family(shared_data: Path) -> None:
    """The Reuters item's guid has no version, the STT one's previous version is named by guid."""
    stt = stories(shared_data, "newsml-g2/stt_newsml_test.xml")[0]
    assert stt.supersedes == f"{stt.family_id}:v3"
