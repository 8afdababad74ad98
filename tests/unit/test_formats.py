"""Decoding bytes into wire items: plain text, ninjs, detection and the ways input goes wrong."""

from __future__ import annotations

import json

import pytest

from tests.wire_fixtures import fixture
from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats import FORMATS, _text, decode, detect, ninjs, text
from wirestream.transforms.formats._html import html_to_lines
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Byline, Source, Story, WireItem


def _reason(raw: bytes, **kwargs: object) -> str:
    with pytest.raises(DecodeError) as failure:
        decode(raw, **kwargs)  # type: ignore[arg-type]
    return failure.value.reason


# --- plain text -------------------------------------------------------------------------------


def test_text_lines_keep_blank_lines_and_normalise_endings() -> None:
    [item] = text.decode(b"PARIS (AFP) - One.\r\n\r\nTwo.\rThree.  \n\n")
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
    [item] = text.decode(raw)
    assert item.headline is None


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n  ", "\ufeff  ".encode()])
def test_empty(raw: bytes) -> None:
    assert _reason(raw) == "empty"
    with pytest.raises(DecodeError) as failure:
        text.decode(raw)
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
        text.decode(raw)
    assert failure.value.reason == "binary"


def test_invalid_utf8_is_bad_encoding() -> None:
    raw = "Caf\u00e9 society gathered in Z\u00fcrich.".encode("latin-1")
    assert _reason(raw) == "bad-encoding"
    with pytest.raises(DecodeError, match="offset 3") as failure:
        text.decode(raw)
    assert failure.value.reason == "bad-encoding"


@pytest.mark.parametrize(
    "raw",
    [b'<?xml version="1.0"?><rss/>', b"<html><body/></html>", b"\x01eca062 4 i 211 dpa 061\nno start of text here"],
)
def test_markup_and_transmission_envelopes_are_not_plain_text(raw: bytes) -> None:
    assert not text.can_decode(raw)
    assert _reason(raw) == "unknown-format"


@pytest.mark.parametrize(
    "raw",
    [
        b"<Exco International Plc> said it sold its stake.",
        b"<NOVA> WINS GOVERNMENT OKAY FOR HUSKY <HYO> DEAL\nCALGARY, Alberta, Feb 26 - Nova said.\n",
    ],
)
def test_a_reuters_ticker_in_angle_brackets_is_still_text(raw: bytes) -> None:
    assert text.can_decode(raw)


# --- ninjs ------------------------------------------------------------------------------------


def _ninjs(name: str) -> WireItem:
    """A fixture of tests/fixtures/ninjs, decoded (its parsed record is checked in test_formats_samples.py)."""
    [item] = decode(fixture(f"ninjs/{name}").read_bytes())
    return item


def test_ninjs_1_reads_guid_string_version_byline_located_and_ednote() -> None:
    item = _ninjs("fp-ninjs1-timetable.json")
    assert item.format == "NINJS"
    assert item.guid == "urn:newsml:example.org:2026-04-02T04:37:19:5b0c3f0e-8d7a-4c1e-9f2a-0d6c1b7e2a41"
    assert (item.version, item.language, item.slugline) == (2, "en", "norland-ferry-timetable")
    assert (item.byline, item.located) == ("Petra Almgren and Jonas Berg", "Port Ellis")
    assert item.editor_notes == ["Embargoed until 0600 NST"]


def test_ninjs_1_prefers_xhtml_paragraphs_to_run_on_text() -> None:
    item = _ninjs("fp-ninjs1-xhtml.json")
    assert item.guid == "http://example.org/fp/newsitems/20260409-tallmark-court"  # the uri
    assert item.body_lines[0].startswith("TALLMARK, Norland (FP) -- The trial of the former head")
    assert item.body_lines[-1] == "Stenvik denies wrongdoing."
    assert len(item.body_lines) == 4


def test_ninjs_2_takes_the_main_headline_and_the_html_body() -> None:
    item = _ninjs("fp-ninjs2-council-vote.json")
    assert item.headline == "Brenn closes its old river bridge to cars"  # not the "sub" headline
    assert item.byline == "By Hedda Sorvik, Fictional Press"
    assert (item.guid, item.version, item.language) == ("urn:newsml:example.org:20260510:260510-99-1001", 3, "en-GB")
    assert len(item.body_lines) == 4
    assert not any("<" in line for line in item.body_lines)
    assert '"safe for another twenty years"' in item.body_lines[1]  # &quot; unescaped


def test_ninjs_3_reads_camel_case_fields() -> None:
    item = _ninjs("fp-ninjs3-tallmark-court.json")
    assert item.headline == "Tallmark court refuses bail for former harbour chief"
    assert item.byline == "Fictional Press staff"
    assert item.editor_notes == ["Updates with the court's ruling on bail."]
    assert len(item.body_lines) == 3  # the xhtml body, not the run-on text one


def test_html_to_lines_unescapes_and_drops_scripts() -> None:
    markup = "<p>Tom &amp; Jerry&nbsp;said <b>hi</b></p><script>alert(1)</script><p> </p>Tail<br>end"
    assert html_to_lines(markup) == ["Tom & Jerry said hi", "Tail", "end"]


def test_truncated_ninjs_is_bad_json() -> None:
    raw = fixture("ninjs/fp-ninjs1-timetable.json").read_bytes()
    assert _reason(raw[: len(raw) // 2]) == "bad-json"


def test_ninjs_refusals_say_why() -> None:
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


# --- XML safety and the shared text helpers ---------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;">]><nitf><body><body.content><p>&c;</p></body.content></body></nitf>',
        b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<nitf><body><body.content><p>&x;</p></body.content></body></nitf>",
        b'<!DOCTYPE newsItem [<!ENTITY % p SYSTEM "http://example.com/x.dtd"> %p;]><newsItem/>',
    ],
)
def test_xml_entity_declarations_are_refused(raw: bytes) -> None:
    assert _reason(raw) == "unsafe-xml"


def test_an_external_dtd_is_not_fetched_and_the_item_still_parses() -> None:
    raw = (
        b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "http://unreachable.invalid/nitf.dtd">'
        b"<nitf><body><body.head><hedline><hl1>Hi</hl1></hedline></body.head>"
        b"<body.content><p>PARIS (AFP) - Text.</p></body.content></body></nitf>"
    )
    [item] = decode(raw)
    assert (item.format, item.headline, item.body_lines) == ("NITF", "Hi", ["PARIS (AFP) - Text."])


@pytest.mark.parametrize(
    "raw",
    [b'<?xml version="1.0"?><nitf><body><body.content><p>cut', b"<newsItem><contentSet>", b"<NewsML><NewsItem>&nbsp;"],
)
def test_broken_xml_is_bad_xml(raw: bytes) -> None:
    assert _reason(raw) == "bad-xml"


def test_a_newsml_message_without_text_items_says_so() -> None:
    raw = b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet><newsItem guid="p"/></itemSet>'
    raw += b"</newsMessage>"
    assert _reason(raw) == "no-text-item"


def test_anpa_without_start_of_text() -> None:
    assert _reason(b"\x16\x16\x01W2870\x1fasian\nf l BC-LT--Cut 11-13 1049\n", format="ANPA1312") == "not-anpa"


def test_mojibake_is_repaired_and_latin1_decoded() -> None:
    assert _text.decode_text("Fu\u00c3\u0178ball in Z\u00c3\u00bcrich \u00e2\u20ac\u201d ok".encode()) == (
        "Fu\u00dfball in Z\u00fcrich \u2014 ok"
    )
    assert _text.decode_text("Caf\u00e9 \u201cquoted\u201d".encode("cp1252")) == "Caf\u00e9 \u201cquoted\u201d"
    assert _text.decode_text(b"\x81 undefined in cp1252") == "\x81 undefined in cp1252"
    assert _text.decode_text("Gr\u00fc\u00dfe".encode()) == "Gr\u00fc\u00dfe"  # good UTF-8 is left alone


def test_hard_wrapped_lines_are_joined_at_indents_blank_lines_and_short_lines() -> None:
    lines = [
        "BAHIA COCOA REVIEW",
        "SALVADOR, Feb 26 - Showers continued throughout the week in",
        "the Bahia cocoa zone, alleviating the drought since early",
        "January.",
        "    The temporao crop will be late this year, traders said, as",
        "farmers wait for the rains to return to the region's farms.",
        "",
        "Reuter",
    ]
    assert _text.is_hard_wrapped(lines)
    assert _text.join_wrapped(lines) == [
        "BAHIA COCOA REVIEW",
        "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia cocoa zone, alleviating the "
        "drought since early January.",
        "The temporao crop will be late this year, traders said, as farmers wait for the rains to return to "
        "the region's farms.",
        "",
        "Reuter",
    ]


def test_one_paragraph_per_line_is_not_hard_wrapped() -> None:
    lines = ["NEW YORK (AP) — Stocks rose.", "", "They fell later.", "", "Traders shrugged.", "", "Oil rose."]
    assert not _text.is_hard_wrapped(lines)


def test_a_reuters_1987_lead_parses_into_paragraphs() -> None:
    raw = (
        b"CLEVELAND, Feb 26 - Standard Oil Co and BP North America\n"
        b"Inc said they plan to form a venture to manage the money market\n"
        b"borrowing and investment activities of both companies.\n"
        b"    BP North America is a subsidiary of British Petroleum Co\n"
        b"Plc <BP>, which also owns a 55 pct interest in Standard Oil.\n"
        b" Reuter\n"
    )
    [item] = decode(raw)
    assert item.body_lines == [
        "CLEVELAND, Feb 26 - Standard Oil Co and BP North America Inc said they plan to form a venture to manage "
        "the money market borrowing and investment activities of both companies.",
        "BP North America is a subsidiary of British Petroleum Co Plc <BP>, which also owns a 55 pct interest in "
        "Standard Oil.",
        "Reuter",
    ]


def test_a_ninjs_1_item_with_altids_and_renditions_is_ninjs_not_ap_media() -> None:
    raw = json.dumps(
        {
            "uri": "u",
            "altids": {"x": "1"},
            "renditions": {"a": {}},
            "headline": "H",
            "body_text": "PARIS (AFP) - x.",
            "ednote": "Embargoed until 1200 GMT",
        }
    ).encode()
    [item] = decode(raw)
    assert (item.format, item.editor_notes) == ("NINJS", ["Embargoed until 1200 GMT"])


def test_hard_wrapped_anpa_is_joined_into_paragraphs() -> None:
    raw = (
        b"\x01a0123\x1fasian\nr a\x13\x11 BC-Storm     03-02 0120\n\x02^BC-Storm,120<\n"
        b"^Storm hits coast<\n^By JANE DOE=\n^Associated Press Writer=\n"
        b"\t   MIAMI (AP) _ A storm hit the coast on Monday, knocking out power to\n"
        b"thousands of homes and closing schools, officials said. ``It was\n"
        b"loud,'' one resident said.\n"
        b"\t   Crews worked through the night to restore power to the area.\n"
        b"\x03AP-WF-03-02-87 1200GMT<\n"
    )
    [item] = decode(raw)
    assert item.format == "ANPA1312"
    assert (item.headline, item.slugline) == ("Storm hits coast", "BC-Storm")
    assert item.body_lines == [
        "By JANE DOE",
        "Associated Press Writer",
        "MIAMI (AP) _ A storm hit the coast on Monday, knocking out power to thousands of homes and closing "
        "schools, officials said. \u201cIt was loud,\u201d one resident said.",
        "Crews worked through the night to restore power to the area.",
    ]


def test_anpa_selector_codes_alone_are_enough_to_tell_it_from_iptc7901() -> None:
    raw = b"\x01r a\x13\x11 BC-Storm 03-02 0120\n\x02^BC-Storm,120<\n\t   MIAMI (AP) _ Rain.\n\x03"
    assert detect(raw).NAME == "ANPA1312"


def test_absurdly_deep_xml_is_refused_not_a_crash() -> None:
    raw = b"<nitf><body><body.content>" + b"<p>" * 5000 + b"x" + b"</p>" * 5000 + b"</body.content></body></nitf>"
    assert _reason(raw) == "bad-xml"


def test_newsml_g2_takes_byline_and_dateline_from_inner_nitf_and_reads_inline_data() -> None:
    raw = (
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1" version="3">'
        b"<contentMeta><headline>Oil falls</headline></contentMeta><contentSet>"
        b'<inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">'
        b"<body><body.head><byline>By JANE DOE<byttl>AP Energy Writer</byttl></byline>"
        b"<dateline><location>HOUSTON</location></dateline></body.head>"
        b"<body.content><p>HOUSTON (AP) \xe2\x80\x94 Oil fell.</p></body.content></body></nitf></inlineXML>"
        b"</contentSet></newsItem>"
    )
    [item] = decode(raw)
    assert (item.guid, item.version, item.headline) == ("g1", 3, "Oil falls")
    assert (item.byline, item.byline_title, item.dateline) == ("By JANE DOE", "AP Energy Writer", "HOUSTON")
    text_item = b'<newsItem guid="g2"><contentSet><inlineData contenttype="text/plain">PARIS (AFP) - One.\r\n\r\nTwo.'
    [item] = decode(text_item + b"</inlineData></contentSet></newsItem>")
    assert item.body_lines == ["PARIS (AFP) - One.", "", "Two."]


def test_xml_declared_latin1_but_sent_as_utf8_comes_out_right() -> None:
    raw = (
        '<?xml version="1.0" encoding="iso-8859-1"?><NewsML><NewsItem><NewsComponent><NewsLines>'
        "<HeadLine>D\u00e9c\u00e8s \u00e0 Strasbourg</HeadLine>"
        "<DateLine>Strasbourg, 10 juil 2024 (AFP)</DateLine></NewsLines>"
        "<ContentItem><DataContent><p>L'op\u00e9ratrice est condamn\u00e9e.</p></DataContent></ContentItem>"
        "</NewsComponent></NewsItem></NewsML>"
    ).encode()
    [item] = decode(raw)
    assert (item.format, item.headline) == ("NEWSML12", "D\u00e9c\u00e8s \u00e0 Strasbourg")
    assert item.body_lines == ["L'op\u00e9ratrice est condamn\u00e9e."]
    really_latin1 = raw.decode().encode("latin-1")
    assert decode(really_latin1)[0].headline == "D\u00e9c\u00e8s \u00e0 Strasbourg"


def test_html_sent_as_text_inside_newsml_is_read_as_html() -> None:
    raw = (
        b"<NewsML><NewsItem><NewsComponent><NewsLines><HeadLine>H</HeadLine></NewsLines><ContentItem>"
        b"<DataContent><![CDATA[<P>One.</P>\n<P>Two &amp; three.</P>]]></DataContent></ContentItem>"
        b"</NewsComponent></NewsItem></NewsML>"
    )
    assert decode(raw)[0].body_lines == ["One.", "Two & three."]


def test_a_preformatted_story_in_one_paragraph_is_split_into_paragraphs() -> None:
    raw = (
        b'<newsItem guid="r"><contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body><p>'
        b"(Adds comments, detail)\n    * Spot gold may edge up\n\n    By Arpan Varghese\n"
        b"    Jan 30 (Reuters) - Gold rose on Tuesday on increased safe\nhaven demand.\n</p></body></html>"
        b"</inlineXML></contentSet></newsItem>"
    )
    assert decode(raw)[0].body_lines == [
        "(Adds comments, detail)",
        "* Spot gold may edge up",
        "By Arpan Varghese",
        "Jan 30 (Reuters) - Gold rose on Tuesday on increased safe haven demand.",
    ]


def test_a_ninjs_search_response_gives_an_item_per_entry() -> None:
    raw = json.dumps({"total": 2, "item": [{"uri": "a", "headline": "A"}, {"uri": "b", "headline": "B"}]})
    assert [item.headline for item in decode(raw.encode())] == ["A", "B"]


def test_iptc7901_markers_are_capitals_only() -> None:
    raw = b"\x01eca1 4 i 9 dpa\n\nYemen/\n\x02EXTRA\nUpdate on Yemen talks =\n\n   Washington (dpa) - Talks.\n\x03"
    [item] = decode(raw)
    assert (item.headline, item.editor_notes) == ("Update on Yemen talks", ["EXTRA"])


def test_pretty_printed_paragraphs_stay_whole() -> None:
    raw = (
        b"<nitf><body><body.content>\n      <p>\n        Handlingsplanen er tematisk beslektet med\n"
        b'        <a href="x">FNs Agenda 2030</a>\n        fra 2015.\n      </p>\n'
        b"      <p>A long paragraph that an XML formatter wrapped at a fixed width for us,\n"
        b"        and which goes on for a few more words on this second line of it,\n"
        b"        and ends here.</p></body.content></body></nitf>"
    )
    assert decode(raw)[0].body_lines == [
        "Handlingsplanen er tematisk beslektet med FNs Agenda 2030 fra 2015.",
        "A long paragraph that an XML formatter wrapped at a fixed width for us, and which goes on for a few "
        "more words on this second line of it, and ends here.",
    ]


# --- what agencies send beside the text, read wrong before (each a class) -------------------------


def _story(raw: bytes | str) -> Story:
    [item] = decode(raw.encode() if isinstance(raw, str) else raw)
    return parse_item(item, Source())


_G2_ITEM = (
    '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:fp:1" version="1">'
    "<itemMeta><itemClass qcode='ninat:text'/></itemMeta><contentMeta>{meta}</contentMeta>"
    "<contentSet><inlineXML>{document}</inlineXML></contentSet></newsItem>"
)


@pytest.mark.parametrize(
    "document",
    [
        "<nitf><head><title>Gulls move to the grain hall</title></head><body><body.content>"
        "<p>KESTREL HARBOR (NW) - The club moved.</p></body.content></body></nitf>",
        "<html xmlns='http://www.w3.org/1999/xhtml'><head><title>Gulls move to the grain hall</title></head>"
        "<body><p>KESTREL HARBOR (NW) - The club moved.</p></body></html>",
    ],
    ids=["nitf", "xhtml"],
)
def test_a_g2_items_only_headline_is_the_title_of_its_inline_document(document: str) -> None:
    story = _story(_G2_ITEM.format(meta="", document=document))
    assert (story.headline, story.decks) == ("Gulls move to the grain hall", [])


def test_a_g2_items_own_headline_wins_over_its_documents_title() -> None:
    document = (
        "<nitf><head><title>Old title</title></head><body><body.content><p>Text.</p></body.content></body></nitf>"
    )
    assert _story(_G2_ITEM.format(meta="<headline>Gulls move</headline>", document=document)).headline == "Gulls move"


def _anpa(header: list[str], selector: str = "r a\x13\x11 BC-NL--Budget   05-06 0233") -> bytes:
    lines = "\n".join(header)
    body = "\t   PORT ELLIS, Norland (FP) _ The assembly passed a budget, after a night of debate. \n"
    return f"\x16\x16\x01Q4502\x1fnorld\n{selector}\n\x02{lines}\n{body}\t   \x03FP-WF-05-06-26 0912GMT<\n".encode()


@pytest.mark.parametrize(
    ("header", "selector", "slugline", "headline"),
    [
        ([], "r a\x13\x11 BC-NL--Budget   05-06 0233", "BC-NL--Budget", None),  # the lead first
        (
            ["^Assembly passes the budget<"],
            "r a\x13\x11 BC-NL--Budget   05-06 0233",
            "BC-NL--Budget",
            "Assembly passes the budget",
        ),
        ([], "", None, None),  # no selector line either
        (
            ["^BC-NL--Budget,120<", "^Assembly passes the budget<"],
            "r a\x13\x11 BC-NL--Budget   05-06 0233",
            "BC-NL--Budget",
            "Assembly passes the budget",
        ),
        (["^BC-NL--Budget,120<"], "", "BC-NL--Budget", None),  # a keyword line by its shape
    ],
    ids=["lead-first", "headline-first", "no-selector", "keyword-line", "keyword-shape"],
)
def test_anpa_copy_without_a_keyword_line_keeps_its_lead(
    header: list[str], selector: str, slugline: str | None, headline: str | None
) -> None:
    story = _story(_anpa(header, selector))
    assert (story.slugline, story.headline) == (slugline, headline)
    assert story.paragraphs == ["The assembly passed a budget, after a night of debate."]
    assert story.dateline is not None and story.dateline.location == "PORT ELLIS"


@pytest.mark.parametrize(
    "note",
    [
        "(Eds: Organisers say a new date will be set next week; times in the standings moved on Tuesday stand.)",
        "(Eds: Updates with vote)",
        "[Editor's note: This story contains language some readers may find offensive, and a photo of the scene.]",
    ],
)
def test_an_anpa_editors_note_in_brackets_is_a_note_not_a_deck(note: str) -> None:
    story = _story(_anpa(["^BC-NL--Budget,120<", "^Assembly passes the budget<", f"^{note}<"]))
    assert (story.decks, story.editor_notes) == ([], [note])


def test_an_anpa_summary_line_under_the_headline_is_still_a_deck() -> None:
    summary = "The assembly voted 41 to 38 for a budget that raises ferry subsidies by a third after a night of debate"
    story = _story(_anpa(["^BC-NL--Budget,120<", "^Assembly passes the budget<", f"^{summary}<"]))
    assert story.decks == [summary]


def _iptc7901(heading: str) -> bytes:
    return (
        f"\x01fpe0112 4 s 210  fp 0112\r\n\r\nNorland/Fussball/\r\n\x02{heading} =\r\n\r\n"
        "   Valmora (fp) - Der FC Valmora hat gewonnen.\r\n\x03091530 MEZ Mai 26\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("heading", "headline", "notes"),
    [
        ("(Achtung)\nValmora gewinnt das Derby", "Valmora gewinnt das Derby", ["(Achtung)"]),
        ("Valmora gewinnt das Derby\n(Achtung)", "Valmora gewinnt das Derby", ["(Achtung)"]),
        ("Valmora gewinnt das Derby (Zusammenfassung)", "Valmora gewinnt das Derby", ["(Zusammenfassung)"]),
        ("EXTRA\nValmora gewinnt das Derby", "Valmora gewinnt das Derby", ["EXTRA"]),
        ("Valmora gewinnt das Derby (in Brenn)", "Valmora gewinnt das Derby (in Brenn)", []),  # no marker: headline
    ],
    ids=["line-before", "line-after", "closing-marker", "extra", "not-a-marker"],
)
def test_a_bracketed_iptc7901_heading_word_is_a_note_like_extra_never_headline(
    heading: str, headline: str, notes: list[str]
) -> None:
    story = _story(_iptc7901(heading))
    assert (story.headline, story.editor_notes) == (headline, notes)


@pytest.mark.parametrize(
    "notice",
    [
        "© 2026 Fictional Press",
        "© Fictional Press 2026",
        "(c) Copyright Northwire 2026. Click for restrictions",
        "Copyright Fictional Press 2026",
        "Copyright 2026 Northwire. All rights reserved.",
    ],
)
def test_an_agencys_copyright_notice_closing_the_body_is_trailer_not_story(notice: str) -> None:
    story = _story(f"VALMORA, Norland (FP) — The council voted on Monday.\n\nThe vote was close.\n\n{notice}\n")
    assert (story.paragraphs, story.trailer, story.word_count) == (
        ["The council voted on Monday.", "The vote was close."],
        [notice],
        9,
    )


def test_a_last_paragraph_about_copyright_is_still_story() -> None:
    last = "Copyright law in Norland changed in 2024."
    assert _story(f"VALMORA, Norland (FP) — The council voted.\n\n{last}\n").paragraphs[-1] == last


_TEXT_ITEM = {"uri": "urn:fp:text", "type": "text", "headline": "Bridge closes", "body_text": "BRENN (FP) - It closed."}


@pytest.mark.parametrize(
    "media",
    [
        {"uri": "urn:fp:pic", "type": "picture", "headline": "The bridge", "description_text": "The bridge."},
        {"uri": "urn:fp:video", "type": "video"},  # no headline, no body
        {"uri": "urn:fp:audio", "type": "audio", "renditions": {}},
    ],
    ids=["picture", "video", "audio"],
)
def test_a_text_item_beside_media_items_keeps_its_story(media: dict[str, object]) -> None:
    ninjs_page = json.dumps({"total": 2, "item": [media, _TEXT_ITEM]}).encode()
    assert [item.headline for item in decode(ninjs_page)] == ["Bridge closes"]
    ap_page = {
        "api_version": "1.1",
        "data": {
            "items": [
                {"item": {**media, "altids": {"itemid": "m"}}},
                {"item": {**_TEXT_ITEM, "altids": {"itemid": "t"}}},
            ]
        },
    }
    assert [item.headline for item in decode(json.dumps(ap_page).encode(), format="APMEDIA")] == ["Bridge closes"]


@pytest.mark.parametrize(
    ("raw", "format"),
    [
        (json.dumps({"uri": "urn:fp:pic", "type": "picture", "headline": "The bridge"}).encode(), None),
        (
            json.dumps(
                {
                    "api_version": "1.1",
                    "org_name": "FP",
                    "data": {"item": {"type": "graphic", "headline": "Map", "altids": {"itemid": "g"}}},
                }
            ).encode(),
            None,
        ),
        (
            _G2_ITEM.replace("ninat:text", "ninat:picture")
            .format(meta="<headline>The bridge</headline>", document="<p>x</p>")
            .encode(),
            None,
        ),
        (
            b"<NewsML><NewsItem><NewsComponent><NewsLines><HeadLine>The bridge</HeadLine></NewsLines><ContentItem>"
            b"<MediaType FormalName='Photo'/><DataContent><p>Caption.</p></DataContent></ContentItem></NewsComponent>"
            b"</NewsItem></NewsML>",
            None,
        ),
    ],
    ids=["ninjs", "apmedia", "newsmlg2", "newsml12"],
)
def test_a_picture_is_refused_as_no_text_item_in_every_format(raw: bytes, format: str | None) -> None:
    """wirestream carries text stories: a picture, graphic, video or audio item is refused whole,
    with the reason that says so, in every format (its caption is not made a story)."""
    assert _reason(raw, format=format) == "no-text-item"


@pytest.mark.parametrize(
    "first_line",
    [
        "Di Maio Quits Italian Government",
        "Von Trapp Heirs Sell the Villa",
        "Door Opens For Ferry Talks",
        "DI MAIO QUITS",
    ],
)
def test_a_plain_text_headline_that_starts_with_a_surname_particle_is_a_headline(first_line: str) -> None:
    story = _story(f"{first_line}\n\nROME (FP) — He resigned on Monday.\n")
    assert (story.headline, story.bylines) == (first_line, [])


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("Von Christian Hollmann, dpa", Byline("Christian Hollmann", "dpa")),
        ("Par Jean Dupont", Byline("Jean Dupont")),
        ("Por Juan Pérez", Byline("Juan Pérez")),
        ("di Mario Rossi", Byline("Mario Rossi")),
        ("Di Mario Rossi, ANSA", Byline("Mario Rossi", "ANSA")),
    ],
)
def test_bylines_in_the_agencies_languages(line: str, byline: Byline) -> None:
    assert _story(f"{line}\n\nROMA (FP) - Il governo ha detto.\n").bylines == [byline]


# --- the item's own times, keywords, summary, genres and usage terms, per format -------------------

_G2_META = (
    '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:fp:g2" version="2">'
    "<rightsInfo><usageTerms xml:lang='de'>Nur redaktionell</usageTerms>"
    "<usageTerms xml:lang='en'>Editorial use only</usageTerms></rightsInfo>"
    "<itemMeta><itemClass qcode='ninat:text'/><versionCreated>2026-06-02T10:00:00+02:00</versionCreated>"
    "<firstCreated>2026-06-02T07:30:00Z</firstCreated></itemMeta>"
    "<contentMeta><keyword>ferries</keyword><keyword>Norland</keyword><genre qcode='genre:Interview'/>"
    "<description role='drol:summary'>The ferries run again.</description>"
    "<headline>Ferries run</headline></contentMeta>"
    "<contentSet><inlineData>They run.</inlineData></contentSet></newsItem>"
)
_NITF_META = (
    "<nitf><head><tobject><tobject.property tobject.property.type='Interview'/></tobject><docdata>"
    "<date.issue norm='20260602T080000Z'/><key-list><keyword key='ferries'/><keyword key='Norland'/></key-list>"
    "<doc.rights limitations='Editorial use only'/></docdata></head><body><body.head><hedline><hl1>Ferries run</hl1>"
    "</hedline><abstract><p>The ferries run again.</p></abstract></body.head><body.content><p>They run.</p>"
    "</body.content></body></nitf>"
)
_NEWSML12_META = (
    "<NewsML><NewsItem><NewsManagement><FirstCreated>20260602T073000Z</FirstCreated>"
    "<ThisRevisionCreated>20260602T080000+0000</ThisRevisionCreated></NewsManagement><NewsComponent><NewsLines>"
    "<HeadLine>Ferries run</HeadLine></NewsLines><RightsMetadata><UsageRights><UsageType>Editorial use only</UsageType>"
    "</UsageRights></RightsMetadata><DescriptiveMetadata><Genre FormalName='Interview'/>"
    "<Property FormalName='Keyword' Value='ferries'/><Property FormalName='Keyword' Value='Norland'/>"
    "</DescriptiveMetadata><ContentItem><DataContent><nitf><body><body.head><abstract><p>The ferries run again.</p>"
    "</abstract></body.head><body.content><p>They run.</p></body.content></body></nitf></DataContent></ContentItem>"
    "</NewsComponent></NewsItem></NewsML>"
)
_NINJS_META = json.dumps(
    {
        "uri": "urn:fp:n",
        "headline": "Ferries run",
        "body_text": "They run.",
        "firstcreated": "2026-06-02T07:30:00Z",
        "versioncreated": "2026-06-02T08:00:00Z",
        "keywords": ["ferries", "Norland"],
        "description_text": "The ferries run again.",
        "genre": [{"code": "Interview", "name": "Interview"}],
        "usageterms": "Editorial use only",
    }
)
_NINJS3_META = json.dumps(
    {
        "uri": "urn:fp:n",
        "headlines": [{"value": "Ferries run"}],
        "bodies": [{"value": "They run."}],
        "firstCreated": "2026-06-02T07:30:00Z",
        "versionCreated": "2026-06-02T08:00:00Z",
        "keywords": ["ferries", "Norland"],
        "descriptions": [{"role": "summary", "value": "The ferries run again."}],
        "genres": [{"uri": "http://cv.iptc.org/newscodes/genre/Interview"}],
        "usageTerms": "Editorial use only",
    }
)
_APMEDIA_META = json.dumps(
    {
        "api_version": "1.1",
        "data": {
            "item": {
                "headline": "Ferries run",
                "editorialpriority": "r",
                "altids": {"itemid": "a"},
                "firstcreated": "2026-06-02T07:30:00Z",
                "versioncreated": "2026-06-02T08:00:00Z",
                "keywords": ["ferries", "Norland"],
                "description_summary": "The ferries run again.",
                "usageterms": ["Editorial use only"],
            }
        },
    }
)
_SENT = 1780387200000  # 2026-06-02T08:00:00Z
_FIRST = 1780385400000  # 2026-06-02T07:30:00Z
_ANPA_SENT = 1778058720000  # the trailer's 05-06-26 0912GMT; no marker, so the first version too
_ABOUT = {
    "newsmlg2": (
        _G2_META,
        (_FIRST, _SENT, ["ferries", "Norland"], "The ferries run again.", ["Interview"], "Editorial use only"),
    ),
    "nitf": (
        _NITF_META,
        (None, _SENT, ["ferries", "Norland"], "The ferries run again.", ["Interview"], "Editorial use only"),
    ),
    "newsml12": (
        _NEWSML12_META,
        (_FIRST, _SENT, ["ferries", "Norland"], "The ferries run again.", ["Interview"], "Editorial use only"),
    ),
    "ninjs1": (
        _NINJS_META,
        (_FIRST, _SENT, ["ferries", "Norland"], "The ferries run again.", ["Interview"], "Editorial use only"),
    ),
    "ninjs3": (
        _NINJS3_META,
        (_FIRST, _SENT, ["ferries", "Norland"], "The ferries run again.", ["Interview"], "Editorial use only"),
    ),
    "apmedia": (
        _APMEDIA_META,
        (_FIRST, _SENT, ["ferries", "Norland"], "The ferries run again.", [], "Editorial use only"),
    ),
    "anpa": (_anpa(["^BC-NL--Budget,120<"]).decode("latin-1"), (_ANPA_SENT, _ANPA_SENT, [], None, [], None)),
}
_FIELDS = ("first_created", "version_created", "keywords", "abstract", "genres", "usage_terms")


@pytest.mark.parametrize(("name", "field"), [(name, field) for name in _ABOUT for field in _FIELDS])
def test_each_format_gives_the_items_own_fields(name: str, field: str) -> None:
    raw, expected = _ABOUT[name]
    assert getattr(_story(raw), field) == expected[_FIELDS.index(field)]
