"""Decode and parse cost time linear in the message, whatever shape the message has.

Each case grows one hostile shape (a run of spaces, brackets, comments, URLs…) to 10×, 100× and
1,000× a base size and runs it through ``formats.decode`` and ``parse_item`` as the pipeline
does; ``tests/growth.py`` says what bound holds and why.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.growth import assert_linear
from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import WirestreamError
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source

LEAD = "PORT ELLIS, Norland (FP) — A ferry ran aground on Tuesday, officials said.\n\n"
BASE = 100  # units of the shape in the 1× message


def decode_and_parse(raw: bytes) -> None:
    try:
        for item in formats.decode(raw):
            parse_item(item, Source(), pipeline_version="test")
    except WirestreamError:
        pass  # a refusal is an answer too; what matters here is how long it took


def ninjs(body_html: str) -> bytes:
    return json.dumps({"uri": "urn:fp:1", "headline": "Ferry aground", "body_html": body_html}).encode()


def iptc7901(body: str) -> bytes:
    return f"\x01fp001 4 pl 120 FP\r\n\x02Ferry aground=\r\n{body}\r\n\x03".encode()


def newsml12(content: str) -> bytes:
    return (
        "<NewsML><NewsItem><NewsComponent><ContentItem><DataContent>"
        f"{content}</DataContent></ContentItem></NewsComponent></NewsItem></NewsML>"
    ).encode()


# name → message of ``n`` units of the hostile shape
CASES: dict[str, Callable[[int], bytes]] = {
    "xml comments before the root": lambda n: b"<!---->" * n + b"<nitf><body/></nitf>",
    "xml comments and nothing else": lambda n: b"<!---->" * n,
    "url then closing brackets": lambda n: (LEAD + "See https://example.org/a" + ")" * n).encode(),
    "url then full stops": lambda n: (LEAD + "See https://example.org/a" + "." * n).encode(),
    "many urls": lambda n: (LEAD + " ".join(f"https://example.org/{i}" for i in range(n))).encode(),
    "byline with a run of spaces": lambda n: ("By MARA" + " " * n + "QUILL\n\n" + LEAD).encode(),
    "dateline date then spaces": lambda n: ("NEW YORK - March 3" + " " * n + "x\n\nMore.\n").encode(),
    "blank lines after a headline": lambda n: ("FERRY RUNS AGROUND OFF PORT ELLIS\n" + "\n" * n + LEAD).encode(),
    "iptc notebook link of brackets": lambda n: iptc7901("Berlin (fp) - Text.\r\n\r\n## Links\r\n" + "[" * n),
    "newsml 1.2 trailing newlines": lambda n: newsml12("PORT ELLIS (FP) - Text." + "\n" * n),
    "html of unclosed end tags": lambda n: ninjs("<p>Text.</p>" + "</" * n),
    "html of unclosed declarations": lambda n: ninjs("<p>Text.</p>" + "<?" * n),
    "html of unclosed comments": lambda n: ninjs("<p>Text.</p>" + "<!--" * n),
}


@pytest.mark.parametrize("shape", CASES)
def test_cost_grows_linearly(shape: str) -> None:
    assert_linear(shape, decode_and_parse, CASES[shape], BASE)
