"""Decoding bytes into wire items: plain text, ninjs, detection and the ways input goes wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms import formats
from transforms.errors import DecodeError
from transforms.formats import FORMATS, decode, ninjs, text


def _reason(raw: bytes, **kwargs: object) -> str:
    with pytest.raises(DecodeError) as failure:
        decode(raw, **kwargs)  # type: ignore[arg-type]
    return failure.value.reason


# --- plain text -------------------------------------------------------------------------------


def test_text_lines_keep_blank_lines_and_normalise_endings() -> None:
    [item] = text.parse(b"PARIS (AFP) - One.\r\n\r\nTwo.\rThree.  \n\n")
    assert item.format == "TEXT"
    assert item.headline is None
    assert item.body_lines == ["PARIS (AFP) - One.", "", "Two.", "Three."]


def test_bom_is_dropped() -> None:
    [item] = decode("\ufeffNEW YORK (AP) — Stocks rose.".encode())
    assert item.body_lines == ["NEW YORK (AP) — Stocks rose."]


def test_a_clear_headline_is_split_off() -> None:
    [item] = decode(b"\n\nCaptain of wrecked cruise ship on trial in Italy\n\nGROSSETO, Italy (AP) -- The trial.")
    assert item.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert item.body_lines == ["GROSSETO, Italy (AP) -- The trial."]


@pytest.mark.parametrize(
    "raw",
    [
        "NEW YORK (AP) — Stocks rose sharply\n\nThey fell later.".encode(),  # a dateline lead
        b"Stocks rose sharply on Monday.\n\nThey fell later.",  # a sentence
        b"By JANE DOE\n\nPARIS (AP) - x",  # a byline
        b"Only a short line",  # nothing after it
        b"eca062 4 i 211 ccccb dpa 061\n\nBody text here.",  # a transmission header
        b"Eds: With AP Photos\n\nPARIS (AP) - x",  # an editor's note
    ],
)
def test_no_headline_unless_clear(raw: bytes) -> None:
    [item] = text.parse(raw)
    assert item.headline is None


def test_seed_story_has_no_headline(shared_data: Path) -> None:
    [item] = decode((shared_data / "seed" / "ap-haniyeh-cairo.txt").read_bytes())
    assert item.format == "TEXT"
    assert item.headline is None
    assert item.body_lines[0].startswith("DEIR AL-BALAH, Gaza Strip (AP) — Hamas’ top leader")
    assert item.body_lines[-1] == "Find more of AP’s coverage at https://apnews.com/hub/israel-hamas-war."


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n  ", "\ufeff  ".encode()])
def test_empty(raw: bytes) -> None:
    assert _reason(raw) == "empty"
    with pytest.raises(DecodeError) as failure:
        text.parse(raw)
    assert failure.value.reason == "empty"


@pytest.mark.parametrize(
    "raw",
    [
        bytes(range(256)),
        b"\x00\x01\x02\x03binary",
        bytes.fromhex("1f8b0800000000000003cb48cdc9c95728cf2fca49e10200d6f2ab7d0d000000"),  # gzip
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_binary(raw: bytes) -> None:
    assert _reason(raw) == "binary"
    with pytest.raises(DecodeError) as failure:
        text.parse(raw)
    assert failure.value.reason == "binary"


def test_invalid_utf8_is_bad_encoding() -> None:
    raw = "Caf\u00e9 society gathered in Z\u00fcrich.".encode("latin-1")
    assert _reason(raw) == "bad-encoding"
    with pytest.raises(DecodeError, match="offset 3") as failure:
        text.parse(raw)
    assert failure.value.reason == "bad-encoding"


@pytest.mark.parametrize(
    "raw",
    [b'<?xml version="1.0"?><rss/>', b"<html><body/></html>", b"\x01eca062 4 i 211 dpa 061\nno start of text here"],
)
def test_markup_and_transmission_envelopes_are_not_plain_text(raw: bytes) -> None:
    assert not text.can_parse(raw)
    assert _reason(raw) == "unknown-format"


@pytest.mark.parametrize(
    "raw",
    [
        b"<Exco International Plc> said it sold its stake.",
        b"<NOVA> WINS GOVERNMENT OKAY FOR HUSKY <HYO> DEAL\nCALGARY, Alberta, Feb 26 - Nova said.\n",
    ],
)
def test_a_reuters_ticker_in_angle_brackets_is_still_text(raw: bytes) -> None:
    assert text.can_parse(raw)


# --- ninjs ------------------------------------------------------------------------------------


def _sample(shared_data: Path, name: str) -> bytes:
    return (shared_data / "wire-samples" / "ninjs" / name).read_bytes()


def test_ninjs_1_with_body_html(shared_data: Path) -> None:
    [item] = decode(_sample(shared_data, "ninjs1.json"))
    assert item.format == "NINJS"
    assert item.headline == "headline"
    assert item.body_lines == ["The story so far."]
    assert item.guid == "urn:newsml:localhost:2017-08-24T14:37:19.783611:c044162e-7f40-4d04-b700-49b6a66e652c"
    assert (item.version, item.language, item.slugline) == (2, "fr", "slugline")
    assert (item.byline, item.located) == ("Peter and Jane", "Milton Keynes")


def test_ninjs_1_prefers_xhtml_paragraphs_to_run_on_text(shared_data: Path) -> None:
    [item] = decode(_sample(shared_data, "ninjsExSimpleText1.json"))
    assert item.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert item.guid == "http://ninjs.example.com/newsitems/20130709simp123"
    assert item.byline == "Paulo Santalucia and Frances d'Emilio"
    assert len(item.body_lines) == 4
    assert item.body_lines[0].startswith("GROSSETO, Italy (AP) -- The trial of the captain")
    assert item.body_lines[-1].endswith("Schettino has denied wrongdoing.")


def test_ninjs_2_headlines_and_bodies(shared_data: Path) -> None:
    [item] = decode(_sample(shared_data, "examples_2.1_dpa_text.json"))
    assert item.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert item.byline == "Von Christian Hollmann, dpa"
    assert (item.language, item.version) == ("de", 2)
    assert item.guid == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert len(item.body_lines) == 9
    assert item.body_lines[0].startswith("Für Lucien Favre war es «der größte Skandal")
    assert not any("<" in line for line in item.body_lines)


def test_ninjs_3_camel_case(shared_data: Path) -> None:
    [item] = decode(_sample(shared_data, "examples_3.0_ninjsExSimpleText_3.json"))
    assert item.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert item.byline == "Paulo Santalucia and Frances d'Emilio"
    assert len(item.body_lines) == 4  # the xhtml body, not the run-on text one


def test_html_to_lines_unescapes_and_drops_scripts() -> None:
    markup = "<p>Tom &amp; Jerry&nbsp;said <b>hi</b></p><script>alert(1)</script><p> </p>Tail<br>end"
    assert ninjs.html_to_lines(markup) == ["Tom & Jerry said hi", "Tail", "end"]


def test_truncated_ninjs_is_bad_json(shared_data: Path) -> None:
    raw = _sample(shared_data, "ninjs1.json")
    assert _reason(raw[: len(raw) // 2]) == "bad-json"


def test_ninjs_errors_without_shared_data() -> None:
    assert _reason(b'{"headline": "Hi", "body_text": "cut') == "bad-json"
    assert _reason(b'{"uri": "x", "type": "text"}') == "not-ninjs"
    assert _reason(b"[1, 2]", format="ninjs") == "not-ninjs"
    assert _reason(b'{"headline": "x"}\xff', format="NINJS") == "bad-json"


def test_ninjs_text_body_and_numeric_version() -> None:
    raw = json.dumps(
        {
            "guid": "g",
            "version": 4,
            "headlines": [{"role": "sub", "value": "Sub"}, {"role": "main", "value": "Main"}],
            "body_text": "A.\nB.",
        }
    ).encode()
    [item] = decode(raw)
    assert (item.guid, item.version, item.headline, item.body_lines) == ("g", 4, "Main", ["A.", "B."])


def test_json_without_ninjs_keys_is_unknown() -> None:
    assert _reason(b'{"foo": 1}') == "unknown-format"


# --- registry ---------------------------------------------------------------------------------


def test_registry_order_and_names() -> None:
    assert FORMATS == ("NEWSMLG2", "NEWSML12", "NITF", "APMEDIA", "NINJS", "ANPA1312", "IPTC7901", "TEXT")


def test_forced_format_skips_detection() -> None:
    [item] = decode(b'{"headline": "x"}', format="text")
    assert item.format == "TEXT"
    assert item.body_lines == ['{"headline": "x"}']


def test_unknown_forced_format_lists_the_valid_names() -> None:
    with pytest.raises(ValueError, match="NINJS, ANPA1312, IPTC7901, TEXT"):
        decode(b"x", format="NITF4")


def test_nothing_matching_is_unknown_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "REGISTRY", (ninjs,))
    assert _reason(b"Plain words only.") == "unknown-format"
