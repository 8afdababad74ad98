"""What ANPA-1312, IPTC 7901 and plain text say a story is: urgency, status, embargo, signals.

The ANPA sequence in tests/sequences/anpa1312/ is decoded and parsed as the pipeline does, item
by item against its expected.json. Then each marker on its own, where editors write it (keyword
line, heading, ``Eds:`` note, leading headline), and each false positive: the same words in the
story, or in the middle of a note, are news and give no signal.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.growth import assert_linear
from wirestream.transforms.formats import anpa as anpa1312
from wirestream.transforms.formats import decode, iptc7901
from wirestream.transforms.parsing.embargo_notes import read_embargo
from wirestream.transforms.parsing.markers import note_signals
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story

SEQUENCE = Path(__file__).resolve().parents[1] / "sequences" / "anpa1312"
EXPECTED = json.loads((SEQUENCE / "expected.json").read_text())
FIELDS = ("family_id", "version", "urgency", "pubstatus", "signals", "embargoed_until", "supersedes")


def _ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def story(raw: bytes) -> Story:
    [item] = decode(raw)
    return parse_item(item, Source())


def anpa(
    *header: str,
    keyword: str = "BC-NL--Ferry Strike",
    priority: str = "r",
    body: str = "",
    trailer: str = "\x03FP-WF-04-16-26 1642GMT<\n",
) -> bytes:
    """An ANPA-1312 item: selector line with ``priority``, keyword line, ``^`` header lines, body,
    then ``trailer`` (ETX and the transmission trailer naming the agency)."""
    lead = body or "PORT ELLIS, Norland (FP) _ Ferry crews stopped work on Thursday, the union said."
    lines = [f"^{keyword},120<", *(f"^{line}<" for line in header), f"\t   {lead}"]
    text = "\n".join(["\x16\x16\x01Q4417\x1fnorld", f"{priority} a\x13\x11 BC-NL--FerryStrike   04-16 0120"])
    return (text + "\n\x02" + "\n".join(lines) + "\n" + trailer).encode("latin-1")


def iptc(
    *heading: str,
    priority: str = "4",
    keyword: str = "Norland/ferries/strike/",
    source: str = "  fp 0045",
    body: str = "Port Ellis (fp) - Talks to end the ferry strike broke off on Tuesday, officials said.",
) -> bytes:
    """An IPTC 7901 item: header with ``priority`` and ``source``, keyword line, heading lines, a body."""
    head = "\r\n".join([*heading[:-1], heading[-1] + " ="])
    return f"\x01fpe0044 {priority} i 380{source}\r\n\r\n{keyword}\r\n\x02{head}\r\n\r\n{body}\r\n\x03".encode()


def text(*top: str) -> bytes:
    """Plain text: ``top`` lines (markers, headline, notes) above a dateline lead."""
    lead = "KESTREL HARBOR, Norland (FP) \u2014 Dockworkers walked off the job on Monday, union leaders said."
    return "\n\n".join([*top, lead, "The harbor authority said talks would resume on Wednesday."]).encode()


# -- the sequence -------------------------------------------------------------------------------


def _sequence() -> list[Any]:
    return [pytest.param(name, id=name) for name in EXPECTED["items"]]


@pytest.mark.parametrize("name", _sequence())
def test_each_item_of_the_anpa_sequence_reads_as_expected(name: str) -> None:
    raw = (SEQUENCE / name).read_bytes()
    for placeholder, value in EXPECTED["placeholders"].items():
        raw = raw.replace(placeholder.encode(), value.encode())
    got = story(raw)
    assert {field: getattr(got, field) for field in FIELDS} == EXPECTED["items"][name]


def test_the_sequence_files_are_the_expected_ones_in_arrival_order() -> None:
    assert sorted(p.name for p in SEQUENCE.glob("*.tst")) == list(EXPECTED["items"])


def test_the_embargo_time_is_whatever_the_test_puts_in_the_placeholder() -> None:
    raw = (SEQUENCE / "08-e-embargoed.tst").read_bytes()
    got = story(raw.replace(b"{{EMBARGOED_UNTIL}}", b"2026-12-01T18:00:00Z"))
    assert got.embargoed_until == _ms("2026-12-01T18:00:00Z")
    untouched = story(raw)  # no time to read: embargoed, and usable as far as the record goes
    assert (untouched.embargoed_until, untouched.signals, untouched.pubstatus) == (None, ["embargoed"], "usable")


def test_the_late_original_is_the_same_record_as_the_first_and_older_than_the_write_through() -> None:
    first, write_through, late = (
        story((SEQUENCE / n).read_bytes()) for n in ("04-b-story.tst", "05-b-writethru.tst", "06-b-v1-late.tst")
    )
    assert late.id == first.id and late.family_id == write_through.family_id
    assert late.version is None and write_through.version == 1


# -- families: the envelope's agency --------------------------------------------------------------


def test_a_kill_without_a_dateline_is_still_in_its_story_s_family() -> None:
    kill = story(anpa("KILL", "Eds: Mandatory kill.", keyword="BC-NL--Ferry Strike, Kill", body="Do not use."))
    assert kill.family_id == story(anpa()).family_id == "slug:fp:ferry-strike"
    assert kill.pubstatus == "canceled"


def test_an_iptc_kill_without_a_dateline_is_still_in_its_story_s_family() -> None:
    kill = story(iptc("KILL", "Norland ferry talks", body="Do not use the story."))
    assert kill.family_id == story(iptc("Norland ferry talks")).family_id == "slug:fp:norland-ferries-strike"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(anpa(body="MORKVIK, Norland (vt/fp) _ Ferry crews stopped work on Thursday."), id="anpa"),
        pytest.param(iptc("Norland ferry talks", body="Mørkvik (vt/fp) - Talks broke off on Tuesday."), id="iptc"),
    ],
)
def test_the_envelope_s_agency_wins_over_a_member_paper_s_dateline(raw: bytes) -> None:
    """The kill carries the envelope and no dateline: a family keyed by ``vt/fp`` would not meet it."""
    got = story(raw)
    assert got.dateline is not None and got.dateline.agency == "vt/fp"
    assert got.family_id.startswith("slug:fp:")


@pytest.mark.parametrize(
    ("raw", "agency"),
    [
        pytest.param(anpa(), "FP", id="anpa-trailer"),
        pytest.param(anpa(trailer="\x03AP-WF-11-13-13 1509GMT<\r\n\r\n\x0c\r\n\x04"), "AP", id="anpa-ap-trailer"),
        pytest.param(iptc("Talks stall"), "fp", id="iptc-source"),
        pytest.param(iptc("Talks stall", source=" ccccb   fp 0071"), "fp", id="iptc-source-after-a-code"),
        pytest.param(iptc("Talks stall", source="  fp-tns 0908"), "fp-tns", id="iptc-service-agency"),
        pytest.param(text("Dockworkers strike"), None, id="plain-text"),
    ],
)
def test_the_envelope_s_agency_is_read_per_format(raw: bytes, agency: str | None) -> None:
    [item] = decode(raw)
    assert item.agency == agency


@pytest.mark.parametrize("dateline", ["(FP)", "(fp)", "(Fp)"])
def test_the_agency_is_normalised_alike_from_the_envelope_and_the_dateline(dateline: str) -> None:
    from_dateline = story(anpa(body=f"PORT ELLIS, Norland {dateline} _ Ferry crews stopped.", trailer="\x03"))
    assert from_dateline.family_id == story(anpa()).family_id == "slug:fp:ferry-strike"


@pytest.mark.parametrize(
    "trailer",
    [
        pytest.param("", id="no-etx"),
        pytest.param("\x03", id="nothing-after-etx"),
        pytest.param("\x03\x03\x04", id="only-controls"),
        pytest.param("\x03FP-WF-<\n", id="no-date"),
        pytest.param("\x03FP-WF-04-16 1642GMT<\n", id="short-date"),
        pytest.param("\x03-WF-04-16-26 1642GMT<\n", id="no-agency"),
        pytest.param("\x03FP WF 04-16-26 1642GMT<\n", id="spaces"),
        pytest.param("\x03" + "F" * 5000 + "-WF-04-16-26 1642GMT<\n", id="a-long-name"),
        pytest.param("\x03\n\n\n" + " " * 5000 + "FP-WF-04-16-26 1642GMT", id="far-after-etx"),
        pytest.param("\x03ÆØ-WF-04-16-26 1642GMT<\n", id="not-ascii"),
    ],
)
def test_an_odd_anpa_trailer_gives_no_agency(trailer: str) -> None:
    raw = anpa(body="Ferry crews stopped work on Thursday, the union said.", trailer=trailer)
    [item] = decode(raw)
    assert item.agency is None
    assert story(raw).family_id == "slug:ferry-strike"  # no agency anywhere: slug alone


@pytest.mark.parametrize(
    "header",
    ["", "fpe0044", "fpe0044 4 i 380", "fpe0044 4 i 380  0045 fp", "fpe0044 4 i 380  fp", "fpe0044 4 i 380  fp/x 0045"],
)
def test_an_odd_iptc_header_gives_no_agency(header: str) -> None:
    raw = f"\x01{header}\r\n\r\nNorland/ferries/\r\n\x02Talks stall =\r\n\r\nTalks broke off.\r\n\x03".encode()
    [item] = decode(raw)
    assert item.agency is None


# -- ANPA-1312 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "urgency"), [("f", 1), ("b", 2), ("u", 3), ("r", 4), ("d", 5), ("a", None), ("s", None)]
)
def test_the_anpa_priority_letter_is_iptc_urgency(priority: str, urgency: int | None) -> None:
    assert story(anpa(priority=priority)).urgency == urgency


@pytest.mark.parametrize(
    ("keyword", "signals", "version"),
    [
        ("BC-NL--Ferry Strike, Writethru", ["write-through"], None),
        ("BC-NL--Ferry Strike, 3rd Ld-Writethru", ["write-through"], 3),
        ("BC-NL--Ferry Strike, Correction", ["correction"], None),
        ("BC-NL--Ferry Strike, Kill", ["kill"], None),
        ("BC-NL--Ferry Strike, Mandatory Kill", ["kill"], None),
        ("BC-NL--Ferry Strike, Withdrawal", ["withdrawal"], None),
        ("BC-NL--Ferry Strike, Elimination", ["withdrawal"], None),
        ("BC-NL--Ferry Strike, Advisory", ["advisory"], None),
        ("BC-Advisory", ["advisory"], None),
        ("BC-NL--Ferry Strike, Sub", ["update"], None),
        ("BC-NL--Ferry Strike, 1st Add", ["update"], None),
        ("BC-NL--Ferry Strike, Adv06", ["embargoed"], None),
        ("BC-NL--Ferry Strike, Adv for Sunday", ["embargoed"], None),
        ("BC-NL--Kill Bill Review", [], None),  # a slug word is not a marker
    ],
)
def test_anpa_keyword_line_markers(keyword: str, signals: list[str], version: int | None) -> None:
    got = story(anpa(keyword=keyword))
    assert (got.signals, got.version) == (signals, version)
    assert got.pubstatus == ("canceled" if {"kill", "withdrawal"} & set(signals) else "usable")


def test_an_anpa_eds_line_gives_the_embargo_time() -> None:
    got = story(anpa("Ferry crews strike", "Eds: EMBARGOED UNTIL 0001 GMT Dec. 2, 2026. With FP Photos."))
    assert (got.signals, got.embargoed_until) == (["embargoed"], _ms("2026-12-02T00:01:00Z"))


def test_an_advance_for_release_at_a_full_time_is_an_embargo_with_that_time() -> None:
    got = story(anpa("Eds: Adv for release 6 p.m. EST Thursday, Dec. 3, 2026"))
    assert got.embargoed_until == _ms("2026-12-03T23:00:00Z")


# -- IPTC 7901 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("priority", ["1", "2", "3", "4", "5", "6"])
def test_the_iptc7901_priority_digit_is_iptc_urgency(priority: str) -> None:
    assert story(iptc("Ferry talks stall", priority=priority)).urgency == int(priority)


@pytest.mark.parametrize(
    ("marker", "signals"),
    [
        ("REFILE", ["refile"]),
        ("1ST LEAD", ["write-through"]),
        ("ZUSAMMENFASSUNG", ["write-through"]),
        ("BERICHTIGUNG", ["correction"]),
        ("KORREKTUR", ["correction"]),
        ("CORRECTION", ["correction"]),
        ("KILL", ["kill"]),
        ("WITHDRAWN", ["withdrawal"]),
        ("EMBARGO", ["embargoed"]),
        ("EIL", []),
        ("URGENT", []),
        ("ACHTUNG", []),  # dpa's "attention": a note to editors follows, no signal by itself
    ],
)
def test_iptc7901_heading_markers(marker: str, signals: list[str]) -> None:
    got = story(iptc(marker, "Ferry talks stall"))
    assert (got.signals, got.headline) == (signals, "Ferry talks stall")


@pytest.mark.parametrize(
    ("markers", "version"),
    [(["1ST LEAD"], 1), (["REFILE", "2ND LEAD"], 2), (["3RD WRITETHRU"], 3), (["LEAD"], None), (["REFILE"], None)],
)
def test_an_iptc7901_numbered_lead_is_the_items_version_as_anpas_is(markers: list[str], version: int | None) -> None:
    assert story(iptc(*markers, "Ferry talks stall")).version == version


@pytest.mark.parametrize(("marker", "urgency"), [("FLASH", 1), ("BLITZ", 1), ("EIL", 3), ("URGENT", 3)])
def test_an_iptc7901_urgency_marker_counts_only_without_a_priority_digit(marker: str, urgency: int) -> None:
    raw = iptc(marker, "Ferry talks stall").replace(b"fpe0044 4 i", b"fpe0044 i")
    assert story(raw).urgency == urgency
    assert story(iptc(marker, "Ferry talks stall", priority="4")).urgency == 4


def test_a_dpa_sperrfrist_line_gives_the_embargo_time_in_mez() -> None:
    got = story(iptc("Sperrfrist 1. Dezember 2026, 18.00 Uhr MEZ", "Ferry talks stall"))
    assert (got.signals, got.embargoed_until, got.headline) == (
        ["embargoed"],
        _ms("2026-12-01T17:00:00Z"),
        "Ferry talks stall",
    )


def test_an_iptc7901_keyword_part_that_is_a_marker_counts() -> None:
    assert story(iptc("Ferry talks stall", keyword="Norland/ferries/Berichtigung/")).signals == ["correction"]


# -- plain text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "signals", "urgency"),
    [
        (["KILL", "Dockworkers walk out at Kestrel Harbor"], ["kill"], None),
        (["MANDATORY KILL", "Dockworkers walk out at Kestrel Harbor"], ["kill"], None),
        (
            ["Dockworkers walk out at Kestrel Harbor", "Eds: Corrects spelling of union secretary's name."],
            ["correction"],
            None,
        ),
        (["CORRECTED-Dockworkers walk out at Kestrel Harbor"], ["correction"], None),
        (["UPDATE 2-Dockworkers walk out at Kestrel Harbor"], ["update"], None),
        (["WITHDRAWN - Dockworkers walk out at Kestrel Harbor"], ["withdrawal"], None),
        (["Advisory: coverage of the Kestrel Harbor strike"], ["advisory"], None),
        (["FLASH", "Dockworkers walk out at Kestrel Harbor"], [], 1),
        (["BULLETIN: Dockworkers walk out at Kestrel Harbor"], [], 2),
        (["URGENT - Dockworkers walk out at Kestrel Harbor"], [], 3),
        (
            ["Dockworkers walk out at Kestrel Harbor", "Eds: Updates with union statement. With FP Photos."],
            ["update"],
            None,
        ),
    ],
)
def test_plain_text_markers(top: list[str], signals: list[str], urgency: int | None) -> None:
    got = story(text(*top))
    assert (got.signals, got.urgency) == (signals, urgency)
    assert got.paragraphs[0].startswith("Dockworkers walked off")


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Embargoed until 2026-12-01T18:00Z", "2026-12-01T18:00:00Z"),
        ("EMBARGOED UNTIL 0001 GMT Dec. 2, 2026", "2026-12-02T00:01:00Z"),
        ("Not for publication before 18:00 GMT on 1 December 2026", "2026-12-01T18:00:00Z"),
        ("Sperrfrist 1. Dezember 2026, 18.00 Uhr MEZ", "2026-12-01T17:00:00Z"),
        ("Embargoed until 2026-12-01 19:00 +01:00", "2026-12-01T18:00:00Z"),
        ("Embargoed until 12:01 a.m. EST Thursday, Dec. 3, 2026", "2026-12-03T05:01:00Z"),
    ],
)
def test_a_plain_text_embargo_line_with_a_full_time(line: str, iso: str) -> None:
    got = story(text(line, "Dockworkers walk out at Kestrel Harbor"))
    assert (got.signals, got.embargoed_until, got.headline) == (
        ["embargoed"],
        _ms(iso),
        "Dockworkers walk out at Kestrel Harbor",
    )
    assert line in got.editor_notes


@pytest.mark.parametrize(
    "line",
    [
        "Embargoed until Thursday",  # a weekday: which one is a guess
        "Embargoed until 18:00 on 1 December",  # no year, no zone
        "Embargoed until 2026-12-01T18:00",  # no zone: local to whom?
        "Embargoed until 18:00 CST Dec. 1, 2026",  # US Central or China?
        "Sperrfrist 1. Dezember 2026, 18.00 Uhr",  # no zone
        "Embargoed until 2026-02-31T18:00Z",  # no such day
    ],
)
def test_an_embargo_without_a_full_time_is_embargoed_with_no_time(line: str) -> None:
    got = story(text(line, "Dockworkers walk out at Kestrel Harbor"))
    assert (got.signals, got.embargoed_until, got.pubstatus) == (["embargoed"], None, "usable")


# -- false positives ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "The minister was killed in the attack, police said.",
        "The update of the law takes effect in May.",
        "The withdrawal of troops began on Monday.",
        "An advisory board will review the corrections made to the budget.",
        "The report stays under embargo until ministers have read it.",
        "FLASH floods hit the harbor, officials said.",
    ],
)
def test_the_story_s_own_words_give_no_signal(body: str) -> None:
    for raw in (text("Dockworkers walk out at Kestrel Harbor", body), anpa(body=f"PORT ELLIS, Norland (FP) _ {body}")):
        got = story(raw)
        assert (got.signals, got.pubstatus, got.embargoed_until) == ([], "usable", None)


@pytest.mark.parametrize(
    ("note", "signals"),
    [
        ("Eds: Updates with the number of people killed.", {"update"}),
        ("Eds: With FP Photos of the withdrawal of troops.", set()),
        ("Eds: Adds comment from the advisory board.", {"update"}),
        ("Eds: APNewsNow. Changes short headline. New approach.", set()),
        ("Eds: This story will be updated.", set()),
        ("Eds: Heat 115, Hawks 111. Updates. With FP Photos.", {"update"}),
        ("Eds: Will be led.", set()),
        ("Eds: Kill. Fictional Press has withdrawn the story.", {"kill"}),
        ("Eds: Sub-Saharan coverage follows.", set()),
    ],
)
def test_a_note_gives_only_the_signals_that_open_its_sentences(note: str, signals: set[str]) -> None:
    assert note_signals(note) == signals


@pytest.mark.parametrize(
    "headline",
    [
        "Killer whale seen off Tallmark",
        "Update on talks expected Friday",
        "Correction officers strike in Valmora",
        "Advisory board backs port plan",
        "Flash floods hit Kestrel Harbor",
    ],
)
def test_a_headline_that_only_starts_with_a_marker_word_gives_nothing(headline: str) -> None:
    got = story(text(headline))
    assert (got.headline, got.signals, got.urgency) == (headline, [], None)


def test_the_kestrel_fixture_s_eds_note_is_an_update_and_nothing_else() -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "text" / "fp-kestrel-dock-strike.txt"
    assert story(fixture.read_bytes()).signals == ["update"]


# -- linear time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "make"),
    [
        ("many embargo openings", lambda n: "Eds: " + "embargoed until 18:00 GMT " * n),
        ("a long run of digits after an opening", lambda n: "Embargoed until " + "1" * (10 * n)),
        ("many clauses", lambda n: "Eds: " + "Updates with killed. " * n),
    ],
)
def test_note_reading_grows_linearly(shape: str, make: Any) -> None:
    assert_linear(shape, lambda note: (read_embargo(note), note_signals(note)), make, 10)


@pytest.mark.parametrize(
    ("shape", "decoder", "make"),
    [
        ("a long ANPA trailer", anpa1312, lambda n: anpa(trailer="\x03" + "FP-" * n)),
        ("many ETX after the text", anpa1312, lambda n: anpa(trailer="\x03" * n)),
        ("a long IPTC header", iptc7901, lambda n: iptc("Talks stall", source=" fp" * n)),
        ("many IPTC source-like fields", iptc7901, lambda n: iptc("Talks stall", source=" fp x" * n)),
    ],
)
def test_reading_the_envelope_s_agency_grows_linearly(shape: str, decoder: ModuleType, make: Any) -> None:
    """The decoder itself: detection would refuse such messages before the envelope is read."""
    assert_linear(shape, decoder.decode, make, 10)


def test_many_marker_lines_on_top_of_a_text_grow_linearly() -> None:
    assert_linear("marker lines", lambda raw: story(raw), lambda n: text(*["KILL"] * n, "Dockworkers strike"), 10)


def test_the_sequence_times_are_utc() -> None:
    assert datetime.fromtimestamp(
        EXPECTED["items"]["08-e-embargoed.tst"]["embargoed_until"] / 1000, UTC
    ).isoformat() == ("2030-01-01T00:00:00+00:00")


def test_an_embargo_past_the_last_representable_moment_is_no_time_not_a_crash() -> None:
    from wirestream.transforms.parsing.embargo_notes import read_embargo

    assert read_embargo("Eds: Embargoed until 9999-12-31T23:30-05:00") is None
