"""Decode and parse cost time linear in the message, whatever shape the message has.

Each case grows one hostile shape (a run of spaces, brackets, comments, URLs…) to 10×, 100× and
1,000× a base size and runs it through ``formats.decode`` and ``parse_item`` as the pipeline
does. A linear cost grows about 100× from the 10× to the 1,000× message; a quadratic one grows
about 10,000×. The bound allows 10× the linear growth, so a noisy machine does not fail it and
a quadratic pattern cannot pass it. Times are the best of three, measured side by side.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import WirestreamError
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source

LEAD = "PORT ELLIS, Norland (FP) — A ferry ran aground on Tuesday, officials said.\n\n"
SCALES = (10, 100, 1000)
BASE = 100  # units of the shape in the 1× message
# Below this a time is mostly clock and interpreter noise, so a ratio over it means nothing.
FLOOR_SECONDS = 5e-5


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


def best_time(raw: bytes) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        decode_and_parse(raw)
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.parametrize("shape", CASES)
def test_cost_grows_linearly(shape: str) -> None:
    make = CASES[shape]
    small, middle, large = (best_time(make(BASE * scale)) for scale in SCALES)
    growth = large / max(small, FLOOR_SECONDS)
    assert growth < 1000, (
        f"{shape}: at 10×, 100×, 1,000× the size it took {small:.4f} s, {middle:.4f} s, {large:.4f} s: "
        f"{growth:.0f}× from 10× to 1,000× (linear: about 100×)"
    )
