"""Odd and hostile input found by probing: each is a clean refusal with its reason, or a record.

No input may raise anything but a ``DecodeError`` (a dead letter with its reason) or come out
as many times its own size.
"""

from __future__ import annotations

import json

import pytest

from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records import avro
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
