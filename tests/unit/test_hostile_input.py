"""Odd and hostile input found by probing: each is a clean refusal with its reason, or a record.

No input may raise anything but a ``DecodeError`` (a dead letter with its reason) or come out
as many times its own size.
"""

from __future__ import annotations

import json
import re

import pytest

from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.encoding import avro
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.nlp.model_input import MAX_SYMBOL_RUN, model_input
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source


def ninjs(**fields: object) -> bytes:
    return json.dumps({"uri": "urn:fp:ferry", "headline": "Ferry aground", "body_text": "It ran aground.", **fields})


@pytest.mark.parametrize("version", ["①", "²", "٣", "9" * 5000, 2**40, -1, "1e3", True])
def test_a_version_that_is_no_whole_number_the_record_can_hold_is_left_out(version: object) -> None:
    (item,) = formats.decode(ninjs(version=version).encode())
    assert item.version is None


@pytest.mark.parametrize("version", ["3", " 12 ", 7])
def test_a_plain_version_is_read(version: object) -> None:
    (item,) = formats.decode(ninjs(version=version).encode())
    assert item.version == int(str(version).strip())


def nitf(version: str) -> bytes:
    return (
        f'<nitf><head><docdata><du-key version="{version}"/></docdata></head>'
        "<body><body.content><p>The ferry ran aground.</p></body.content></body></nitf>"
    ).encode()


def test_an_xml_version_is_read() -> None:
    (item,) = formats.decode(nitf("4"))
    assert item.version == 4


@pytest.mark.parametrize("version", ["①", "99999999999999999999", "4.1"])
def test_an_xml_version_out_of_range_is_left_out_and_the_story_encodes(version: str) -> None:
    (item,) = formats.decode(nitf(version))
    assert item.version is None
    avro.encode(parse_item(item, Source(), pipeline_version="test").to_record())


def test_a_lone_surrogate_in_json_is_a_bad_encoding_not_a_crash() -> None:
    raw = b'{"uri": "urn:fp:1", "headline": "Ferry \\ud800 aground", "body_text": "It ran aground."}'
    with pytest.raises(DecodeError) as refused:
        formats.decode(raw)
    assert refused.value.reason == "bad-encoding"


@pytest.mark.parametrize("markup", ["<![foo[", "<p>a</p><![foo[ bar", "</", "<?", "<!-- unclosed"])
def test_broken_html_markup_is_text_not_an_exception(markup: str) -> None:
    (item,) = formats.decode(ninjs(body_html=f"<p>The ferry ran aground.</p>{markup}").encode())
    assert "The ferry ran aground." in item.body_lines


def test_an_html_reference_of_thousands_of_digits_is_a_replacement_character_not_a_crash() -> None:
    (item,) = formats.decode(ninjs(body_html="<p>Fare &#" + "1" * 5000 + "; up &#65;&#x42;&#0000067;</p>").encode())
    assert item.body_lines == ["Fare \ufffd up ABC"]


def test_an_html_body_without_its_optional_head_end_keeps_its_text() -> None:
    lines = html_to_lines("<html><head><title>Ferry</title><body><p>The ferry ran aground.</p></body></html>")
    assert lines == ["The ferry ran aground."]


def test_line_breaks_and_table_cells_keep_words_apart() -> None:
    markup = "<p>Denver Public Schools<br/>Aurora</p><table><tr><td>Bayern</td><td>3</td></tr></table>"
    assert html_to_lines(markup) == ["Denver Public Schools", "Aurora", "Bayern 3"]


def nested_newsml12(depth: int, words: int) -> bytes:
    inner = ""
    for level in range(depth):
        text = f"Level {level} of the envelope. " + "word " * words
        inner = (
            f"<NewsItem><NewsComponent><ContentItem><DataContent><p>{text}</p></DataContent></ContentItem>"
            f"</NewsComponent>{inner}</NewsItem>"
        )
    return f"<NewsML>{inner}</NewsML>".encode()


def nested_newsmlg2(depth: int, words: int) -> bytes:
    inner = ""
    for level in range(depth):
        text = f"Level {level} of the envelope. " + "word " * words
        inner = (
            f'<newsItem guid="urn:fp:{level}"><contentSet><inlineXML><html><body><p>{text}</p>'
            f"</body></html></inlineXML></contentSet>{inner}</newsItem>"
        )
    return f"<newsMessage><itemSet>{inner}</itemSet></newsMessage>".encode()


@pytest.mark.parametrize("nested", [nested_newsml12, nested_newsmlg2])
def test_nested_items_share_no_text_so_output_stays_near_the_message_size(nested) -> None:
    raw = nested(60, 500)
    items = formats.decode(raw)
    assert len(items) == 60
    for item in items:
        assert sum(line.startswith("Level ") for line in item.body_lines) == 1, "an item holds another's text"
    encoded = sum(len(avro.encode(parse_item(i, Source(), pipeline_version="t").to_record())) for i in items)
    assert encoded < 2 * len(raw)


def record_words(raw: bytes) -> set[str]:
    """Every word anywhere in the records made of ``raw``."""
    words: set[str] = set()
    for item in formats.decode(raw):
        record = parse_item(item, Source(), pipeline_version="t").to_record()
        words.update(json.dumps(record, ensure_ascii=False).replace("\\n", " ").split())
    return {word.strip('",.:;()[]{}') for word in words}


def assert_no_words_lost(raw: bytes, visible: str) -> None:
    missing = {w.strip(",.:;()") for w in visible.split()} - record_words(raw) - {""}
    assert not missing, f"words lost: {sorted(missing)}"


def test_an_iptc_line_that_starts_with_a_hashtag_is_text_not_a_notebook_heading() -> None:
    body = "Berlin (fp) - The ferry ran aground.\r\n\r\n#FerryWatch trended all evening in Port Ellis."
    raw = f"\x01fp001 4 pl 120 FP\r\n\x02Ferry aground=\r\n{body}\r\n\x03".encode()
    (item,) = formats.decode(raw)
    assert item.trailer == []
    assert_no_words_lost(raw, body)


def test_an_iptc_scene_break_keeps_the_story_after_it() -> None:
    body = "Berlin (fp) - The ferry ran aground.\r\n\r\n* * *\r\n\r\nBy nightfall everyone was ashore."
    raw = f"\x01fp001 4 pl 120 FP\r\n\x02Ferry aground=\r\n{body}\r\n\x03".encode()
    assert_no_words_lost(raw, body.replace("* * *", ""))


def test_the_iptc_notebook_still_withholds_what_is_not_for_publication() -> None:
    body = (
        "Berlin (fp) - The ferry ran aground.\r\n\r\n# Notebook\r\n\r\n* * * *\r\n"
        "The following information is not intended for publication\r\n\r\n- Editing by: Desk Secret, +1 555"
    )
    raw = f"\x01fp001 4 pl 120 FP\r\n\x02Ferry aground=\r\n{body}\r\n\x03".encode()
    assert "Secret" not in record_words(raw)


def test_a_format_dateline_naming_another_place_leaves_the_lead_whole() -> None:
    raw = (
        "<nitf><body><body.head><dateline>VALMORA</dateline></body.head><body.content>"
        "<p>PORT ELLIS, Norland (FP) — The ferry ran aground.</p></body.content></body></nitf>"
    ).encode()
    (item,) = formats.decode(raw)
    story = parse_item(item, Source(), pipeline_version="t")
    assert story.dateline is not None and story.dateline.location == "VALMORA"
    assert story.paragraphs == ["PORT ELLIS, Norland (FP) — The ferry ran aground."]


def test_a_line_break_inside_an_xml_paragraph_keeps_words_apart() -> None:
    raw = b"<nitf><body><body.content><p>Denver Public Schools<br/>Aurora Schools</p></body.content></body></nitf>"
    (item,) = formats.decode(raw)
    assert item.body_lines == ["Denver Public Schools Aurora Schools"]


def test_newsmlg2_inline_xml_of_several_paragraphs_keeps_them_all() -> None:
    raw = (
        '<newsItem guid="urn:fp:1"><contentSet><inlineXML><p>PORT ELLIS (FP) — The ferry ran aground.</p>'
        "<p>Everyone was ashore by nightfall.</p></inlineXML></contentSet></newsItem>"
    ).encode()
    (item,) = formats.decode(raw)
    assert item.body_lines == ["PORT ELLIS (FP) — The ferry ran aground.", "Everyone was ashore by nightfall."]


def test_ap_media_nitf_body_keeps_headline_and_byline_apart_from_the_lead() -> None:
    nitf = (
        "<nitf><body.head><hedline><hl1>Ferry aground</hl1></hedline><byline>By MARA QUILL</byline></body.head>"
        "<body.content><block><p>PORT ELLIS (FP) — The ferry ran aground.</p></block></body.content></nitf>"
    )
    item = {"altids": {"itemid": "fp1"}, "headline": "Ferry aground", "signals": [], "body_nitf": nitf}
    raw = json.dumps({"api_version": "2", "data": {"item": item}}).encode()
    (decoded,) = formats.decode(raw)
    assert decoded.body_lines == ["Ferry aground", "By MARA QUILL", "PORT ELLIS (FP) — The ferry ran aground."]


def test_an_anpa_summary_line_under_the_headline_is_its_deck() -> None:
    deck = "Crews walked off every ferry in Norland at dawn, leaving thousands of commuters stranded on the quays"
    raw = (
        "\x16\x16\x01a0401 r f BC-NL--Ferry Strike\x02^BC-NL--Ferry Strike,480<\r\n"
        f"^Ferry crews strike in Norland<\r\n^{deck}<\r\n\tPORT ELLIS, Norland (FP) _ The ferries stopped.\r\n\x03"
    ).encode()
    story = parse_item(formats.decode(raw)[0], Source(), pipeline_version="t")
    assert story.decks == [deck]
    assert_no_words_lost(raw, deck)


def test_the_nitf_deck_under_the_headline_is_read_and_a_repeat_of_the_headline_is_not() -> None:
    raw = (
        "<nitf><body><body.head><hedline><hl1>Ferry aground</hl1><hl2>Nobody hurt as the Port Ellis ferry "
        "runs onto a sandbank</hl2><hl2>Ferry aground</hl2></hedline></body.head>"
        "<body.content><p>PORT ELLIS (FP) — The ferry ran aground.</p></body.content></body></nitf>"
    ).encode()
    story = parse_item(formats.decode(raw)[0], Source(), pipeline_version="t")
    assert story.decks == ["Nobody hurt as the Port Ellis ferry runs onto a sandbank"]


@pytest.mark.parametrize("headline", ["By Land And Sea", "Von der Leyen Visits Kyiv", "BY LAND AND SEA"])
def test_a_headline_that_starts_like_a_byline_stays_the_headline(headline: str) -> None:
    raw = f"{headline}\n\nPORT ELLIS, Norland (FP) — The ferry ran aground.\n".encode()
    story = parse_item(formats.decode(raw)[0], Source(), pipeline_version="t")
    assert (story.headline, story.bylines) == (headline, [])
    assert_no_words_lost(raw, raw.decode())


@pytest.mark.parametrize(
    "lead",
    [
        "The International Monetary Fund (IMF) — long a champion of austerity — said it would wait.",
        "The Norland Coast Guard (NCG) — which sent three boats — said everyone was safe.",
        "NASA, SpaceX - the two partners said the launch would slip.",
        "Monday, March 3 — The ferry ran aground outside Port Ellis.",
        "WORLD BRIEFS — The ferry ran aground outside Port Ellis.",
        "SNAPSHOT — The ferry ran aground outside Port Ellis.",
    ],
)
def test_an_ordinary_lead_gets_no_dateline_and_keeps_every_word(lead: str) -> None:
    (item,) = formats.decode(lead.encode())
    story = parse_item(item, Source(), pipeline_version="t")
    assert story.dateline is None
    assert story.paragraphs == [lead]


@pytest.mark.parametrize(
    ("lead", "location"),
    [
        ("LIVE OAK, Fla. - The ferry ran aground.", "LIVE OAK"),
        ("NATIONAL CITY, Calif. (AP) — The ferry ran aground.", "NATIONAL CITY"),
        ("THE HAGUE, Netherlands (AP) — The ferry ran aground.", "THE HAGUE"),
        ("Berlin (dpa) - The ferry ran aground.", "Berlin"),
    ],
)
def test_real_datelines_next_to_those_still_read(lead: str, location: str) -> None:
    (item,) = formats.decode(lead.encode())
    story = parse_item(item, Source(), pipeline_version="t")
    assert story.dateline is not None and story.dateline.location == location


def test_a_deeply_nested_json_array_is_a_story_the_model_reads_cut_short() -> None:
    """``[[[…]]]`` is no ninjs, so it is text; spaCy's tokenizer is quadratic on a run of brackets, and
    400,000 of them once stalled a run for hours. The model reads each run cut short, the record keeps it."""
    depth = 100_000
    (item,) = formats.decode(b"[" * depth + b"1" + b"]" * depth)
    story = parse_item(item, Source(), pipeline_version="t")
    assert item.format == "TEXT" and "[" * depth + "1" + "]" * depth in story.body
    runs = re.findall(r"(?:[^\w\s]|_)+", model_input(story.body))
    assert max(map(len, runs)) <= MAX_SYMBOL_RUN
    assert len(model_input(story.body)) == len(story.body)  # the model's offsets are the body's
