"""Structured fuzzing per wire format: any message is a record that encodes, or a typed refusal.

Each generator builds messages shaped like its format (the envelope, the elements and keys the
decoder reads) around hostile text, so the fuzzing reaches past the sniffing into the decoders
and the parser. The suite runs a few hundred examples per format; ``make fuzz`` runs
``WIRESTREAM_FUZZ_EXAMPLES`` (2,000 by default) of each.
"""

from __future__ import annotations

import json
import os
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import WirestreamError
from wirestream.transforms.encoding import avro
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source

EXAMPLES = int(os.environ.get("WIRESTREAM_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# Wire copy's raw material: the marks datelines, bylines, quotes and rules are made of.
PIECES = st.sampled_from(
    [
        "PORT ELLIS, Norland (FP) — ", "VALMORA (FP) _ ", "Berlin (fp) - ", "By MARA QUILL", "By ", "___", "* * *",
        "“", "”", '"', "'", "``", "''", "(", ")", "[", "]", "—", " - ", "--", "_", ".", ",", ":", ";", "=", "<", "&",
        "https://example.org/a", "www.example.org", "Mara Quill reported from Valmora.", "Reporting by Tobias Venn",
        "said", "MORE", "END", "Eds:", "REFILE", "1ST LEAD", "# Notizblock", "## Links", "- [a](https://e.org)",
        "Monday", "March 3", "3 March 2026", "①", "²", "\u00a0", "\t", " ", "  ", "\n", "\n\n", "\r\n", "\x7f",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)
LINES = st.lists(TEXT, max_size=12).map("\n".join)


def check(raw: bytes, *, format: str | None = None) -> None:
    """Decoding and parsing either refuse with a typed error or give records that fit the schema."""
    try:
        items = formats.decode(raw, format=format)
    except WirestreamError:
        return
    for item in items:
        try:
            story = parse_item(item, Source(), pipeline_version="fuzz")
        except WirestreamError:
            continue
        avro.encode(story.to_record())


def xml_text(value: str) -> str:
    """``value`` as XML character data: XML 1.0 has no way to carry most control characters."""
    return escape("".join(ch for ch in value if ch in "\t\n\r" or ch >= " "))


@FUZZ
@given(raw=st.binary(max_size=400))
def test_any_bytes(raw: bytes) -> None:
    check(raw)


@FUZZ
@given(body=LINES, headline=TEXT)
def test_text(body: str, headline: str) -> None:
    check(f"{headline}\n\n{body}".encode(), format="TEXT")


@FUZZ
@given(header=TEXT, body=LINES, keyword=TEXT)
def test_anpa1312(header: str, body: str, keyword: str) -> None:
    check(
        f"\x16\x16\x01a0001 r i BC-{keyword} 03-03 0412\r\n^{header}<\r\n\x02{body}\r\n\x03".encode(), format="ANPA1312"
    )


@FUZZ
@given(heading=TEXT, body=LINES, notebook=LINES)
def test_iptc7901(heading: str, body: str, notebook: str) -> None:
    raw = f"\x01fp001 4 pl 120 FP\r\n\x02{heading}=\r\n{body}\r\n\r\n## Links\r\n{notebook}\r\n\x03"
    check(raw.encode(), format="IPTC7901")


@FUZZ
@given(headline=TEXT, byline=TEXT, dateline=TEXT, paragraphs=st.lists(TEXT, max_size=8), version=TEXT)
def test_nitf(headline: str, byline: str, dateline: str, paragraphs: list[str], version: str) -> None:
    body = "".join(f"<p>{xml_text(p)}</p>" for p in paragraphs)
    raw = (
        f"<nitf><head><docdata><du-key version={quoteattr(xml_text(version))}/></docdata></head><body><body.head>"
        f"<hedline><hl1>{xml_text(headline)}</hl1></hedline><byline>{xml_text(byline)}</byline>"
        f"<dateline>{xml_text(dateline)}</dateline></body.head><body.content>{body}</body.content></body></nitf>"
    )
    check(raw.encode(), format="NITF")


@FUZZ
@given(headline=TEXT, dateline=TEXT, content=LINES, depth=st.integers(1, 4))
def test_newsml12(headline: str, dateline: str, content: str, depth: int) -> None:
    item = ""
    for _ in range(depth):
        item = (
            f"<NewsItem><NewsComponent><NewsLines><HeadLine>{xml_text(headline)}</HeadLine>"
            f"<DateLine>{xml_text(dateline)}</DateLine></NewsLines><ContentItem><DataContent>"
            f"{xml_text(content)}</DataContent></ContentItem></NewsComponent>{item}</NewsItem>"
        )
    check(f"<NewsML>{item}</NewsML>".encode(), format="NEWSML12")


@FUZZ
@given(headline=TEXT, by=TEXT, located=TEXT, paragraphs=st.lists(TEXT, max_size=6), items=st.integers(1, 3))
def test_newsmlg2(headline: str, by: str, located: str, paragraphs: list[str], items: int) -> None:
    body = "".join(f"<p>{xml_text(p)}</p>" for p in paragraphs)
    item = (
        f'<newsItem guid="urn:fp:1" version="2"><contentMeta><headline>{xml_text(headline)}</headline>'
        f"<by>{xml_text(by)}</by><located><name>{xml_text(located)}</name></located></contentMeta>"
        f"<contentSet><inlineXML><html><body>{body}</body></html></inlineXML></contentSet></newsItem>"
    )
    check(f"<newsMessage><itemSet>{item * items}</itemSet></newsMessage>".encode(), format="NEWSMLG2")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["value", "role", "type"]), inner),
    max_leaves=10,
)
HTML = st.lists(st.one_of(TEXT, st.sampled_from(["<p>", "</p>", "<br/>", "<td>", "</", "<?", "<![foo[", "<!--"])))


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["uri", "guid", "version", "headline", "headlines", "byline", "by", "located", "body_text"]),
        JSON_VALUES,
    ),
    html=HTML.map("".join),
)
def test_ninjs(fields: dict, html: str) -> None:
    check(json.dumps({"uri": "urn:fp:1", **fields, "body_html": html}).encode(), format="NINJS")


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["altids", "version", "headline", "title", "bylines", "datelinelocation", "ednote"]),
        JSON_VALUES,
    ),
    nitf=HTML.map("".join),
)
def test_apmedia(fields: dict, nitf: str) -> None:
    item = {"altids": {"itemid": "fp1"}, "headline": "Ferry", **fields, "body_nitf": nitf}
    check(json.dumps({"api_version": "2", "data": {"item": item}}).encode(), format="APMEDIA")
