"""Every pattern and loop that reads message text in decode and parse costs time linear in it.

``test_growth.py`` grows the shapes that once stalled the pipeline; this module goes through
``transforms/formats/`` and ``transforms/parsing/`` one regular expression and one text loop at
a time and grows each one's worst input: long runs of what its quantifiers accept, a near-match
repeated many times, many lines, many elements. Each case is named for the pattern or loop it
drives (``module.NAME`` or ``module.function``) and goes in through the decoder of a format
whose path reaches it, through ``formats.decode`` and ``parse_item`` as the pipeline does.
``tests/growth.py`` says what bound holds and why. Patterns that only ever see a bounded slice
(the sniffers' first bytes, a dateline's first 300 characters, a tagline's 400) are grown too:
what must stay linear there is the code around the slice.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.growth import assert_linear
from tests.unit.test_growth import LEAD, decode_and_parse, iptc7901, newsml12, ninjs

BASE = 10  # units of the shape in the 1× message
RUN = 10  # a unit of a run (of one to three characters) is ten of them: ~100 KB at 1,000×


def text(message: str) -> bytes:
    return message.encode()


def anpa(*lines: str, keyword: str = "BC-NL--Ferry Aground,480") -> bytes:
    """An ANPA-1312 transmission: SYN SYN SOH, service and selector lines, STX, ``lines``, ETX."""
    block = "\r\n".join([f"^{keyword}<", "^Ferry runs aground off Port Ellis<", *lines])
    return f"\x16\x16\x01Q4417\x1fnorld\r\nr a\x13\x11 BC-NL--Ferry 04-16 0512\r\n\x02{block}\r\n\x03".encode()


def iptc7901_headed(heading: str, body: str = "Berlin (fp) - Text.") -> bytes:
    """An IPTC 7901 item whose heading lines (up to the one ending in ``=``) are ``heading``."""
    return f"\x01fp001 4 pl 120 FP\r\n\x02{heading}\r\n{body}\r\n\x03".encode()


def latin1(message: bytes) -> bytes:
    """The same message in Latin-1, as IPTC 7901 and ANPA senders often send it."""
    return message.decode().encode("latin-1")


def newsml12_item(components: str, news_lines: str = "") -> bytes:
    """A NewsML 1.2 envelope of one NewsItem: ``news_lines`` in NewsLines, then ``components``."""
    return (
        "<NewsML><NewsItem><NewsComponent>"
        f"<NewsLines><HeadLine>Ferry aground</HeadLine>{news_lines}</NewsLines>"
        f"{components}</NewsComponent></NewsItem></NewsML>"
    ).encode()


def newsmlg2(
    body: str = "<p>Text.</p>", *, meta: str = "", content: str | None = None, attributes: str = "", after: str = ""
) -> bytes:
    """A NewsML-G2 newsItem: ``meta`` in contentMeta, ``body`` as its XHTML (or a whole ``content``
    set), then ``after`` (more children of the newsItem)."""
    if content is None:
        content = f'<inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML>'
    return (
        f'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:fp:1" version="1"{attributes}>'
        f"<contentMeta><headline>Ferry aground</headline>{meta}</contentMeta>"
        f"<contentSet>{content}</contentSet>{after}</newsItem>"
    ).encode()


def nitf(content: str = "<p>Text.</p>", *, head: str = "", end: str = "") -> bytes:
    """A NITF document: ``head`` after the hedline in body.head, ``content``, ``end`` in body.end."""
    return (
        "<nitf><head/><body><body.head><hedline><hl1>Ferry aground</hl1></hedline>"
        f"{head}</body.head><body.content>{content}</body.content><body.end>{end}</body.end></body></nitf>"
    ).encode()


def ninjs_item(**fields: object) -> bytes:
    return json.dumps({"uri": "urn:fp:1", **fields}).encode()


def story(body: str) -> bytes:
    """A ninjs item whose ``body_text`` lines reach the parser as they stand (plain text that looks
    hard-wrapped would have its lines joined first)."""
    return ninjs_item(headline="Ferry aground", body_text=body)


def apmedia(**fields: object) -> bytes:
    return json.dumps(
        {"api_version": "2", "data": {"item": {"etag": "e1", "headline": "Ferry aground", **fields}}}
    ).encode()


WRAPPED = "the ferry ran aground off the coast of port ellis on tuesday and"  # a hard-wrapped line

# name → message of ``n`` units of the shape; each name says what it drives
CASES: dict[str, Callable[[int], bytes]] = {
    # formats/_xml.py: the prolog scan, the safety checks, the readers
    "xml root name (_xml._NAME): a root tag name that runs on": lambda n: text(
        "<ferry" + "x" * (RUN * n) + ">Aground."
    ),
    "xml prolog (_xml._BLANKS): whitespace before the root": lambda n: (
        b'<?xml version="1.0"?>' + b"\n" * (RUN * n) + newsmlg2()
    ),
    "xml prolog (_xml.sniff_root): many processing instructions": lambda n: b"<?fp x?>" * n + newsmlg2(),
    "xml prolog (_xml._doctype_end): a DOCTYPE's internal subset that runs on": lambda n: (
        b"<!DOCTYPE newsItem [" + b"<!ELEMENT p ANY>" * n + b"]>" + newsmlg2()
    ),
    "xml prolog (_xml._LATIN_DECLARATION): spaces before a Latin-1 encoding": lambda n: (
        b'<?xml version="1.0"' + b" " * (RUN * n) + b' encoding="ISO-8859-1"?>' + newsmlg2("<p>Caf\u00e9.</p>")
    ),
    "xml safety (_xml._ENTITY_DECLARATION): near-misses of <!ENTITY": lambda n: newsmlg2(
        "<p>Text.</p><!-- " + "<!ENTIT " * n + "-->"
    ),
    "xml depth (_xml._depth): elements nested far deeper than read": lambda n: newsmlg2(
        "<div>" * n + "x" + "</div>" * n
    ),
    "xml attributes (_xml.attr): an item with many attributes": lambda n: newsmlg2(
        attributes="".join(f' a{i}="x"' for i in range(n))
    ),
    "xml fields (_xml.find_text): many empty headlines before one": lambda n: newsml12_item(
        "<ContentItem><DataContent><p>Text.</p></DataContent></ContentItem>",
        news_lines="<ByLine/>" * n + "<ByLine>By Mara Quill</ByLine>",
    ),
    "xml text (_xml._raw_text): a paragraph of many inline elements": lambda n: newsmlg2(
        "<p>" + "<b>x</b> " * n + "</p>"
    ),
    "xml text (_xml._SPACES): a long run of spaces and tabs in a paragraph": lambda n: newsmlg2(
        "<p>Ferry" + " \t" * (RUN * n) + "aground.</p>"
    ),
    "xml blocks (_xml._block_text): a preformatted paragraph of many lines": lambda n: newsmlg2(
        "<p>" + "Ferry ran aground off Port Ellis.\n\n" * n + "</p>"
    ),
    "xml blocks (_xml._walk): many table rows": lambda n: newsmlg2(
        "<table>" + "<tr><td>Valmora</td><td>3</td></tr>" * n + "</table>"
    ),
    "xml blocks (_xml._walk): a block of many inline elements, then a block": lambda n: newsmlg2(
        "<div>" + "<b>x</b>" * n + "<p>Text.</p></div>"
    ),
    "xml blocks (_xml._walk): loose text between many blocks": lambda n: newsmlg2("<p>Text.</p>More." * n),
    "xml namespaces (_xml.parse_xml): many namespaced paragraphs": lambda n: newsmlg2("<p>Ferry aground.</p>" * n),
    "xml items (_xml.items_apart): many items nested in one, after its other elements": lambda n: newsmlg2(
        after="<x/><x/>" * n + "<newsItem/>" * n  # items with no contentSet: only taking them apart costs
    ),
    "xml items (_xml.items_apart): many items side by side": lambda n: (
        b"<newsMessage><itemSet>"
        + b"<newsItem><contentMeta><headline>Aground</headline></contentMeta><contentSet/></newsItem>" * n
        + b"</itemSet></newsMessage>"
    ),
    # formats/newsmlg2.py
    "newsml-g2 body (newsmlg2._content): many scripts after many paragraphs": lambda n: newsmlg2(
        "<p>Text.</p>" * n + "<script>x</script>" * n
    ),
    "newsml-g2 body (newsmlg2._content): many empty inlineXML before the text": lambda n: newsmlg2(
        content="<inlineXML/>" * n + "<inlineData>Text.</inlineData>"
    ),
    "newsml-g2 body (newsmlg2._content): inline text of many wrapped lines": lambda n: newsmlg2(
        content="<inlineData>" + (WRAPPED + "\n") * n + "</inlineData>"
    ),
    "newsml-g2 body (newsmlg2._content): inline HTML sent as text": lambda n: newsmlg2(
        content="<inlineData>" + "&lt;p&gt;Text.&lt;/p&gt;" * n + "</inlineData>"
    ),
    "newsml-g2 notes (newsmlg2._editor_notes): many editor's notes": lambda n: newsmlg2(
        meta="<edNote>Note.</edNote>" * n
    ),
    "newsml-g2 decks (newsmlg2._decks): many headlines": lambda n: newsmlg2(
        meta="".join(f"<headline>Deck {i}</headline>" for i in range(n))
    ),
    # formats/newsml12.py
    "newsml 1.2 closing (newsml12._INITIALS): many lines of initials": lambda n: newsml12(
        "<p>Text.</p>" + "<p>hh/ph</p>" * n
    ),
    "newsml 1.2 closing (newsml12._INITIALS): initials that run on": lambda n: newsml12(
        "<p>Text.</p><p>" + "hh/" * (RUN * n) + "X</p>"
    ),
    "newsml 1.2 body (newsml12._body): many empty DataContent before the text": lambda n: newsml12_item(
        "<ContentItem><DataContent> </DataContent></ContentItem>" * n
        + "<ContentItem><DataContent><p>Text.</p></DataContent></ContentItem>"
    ),
    "newsml 1.2 body (newsml12._body): escaped HTML": lambda n: newsml12("&lt;p&gt;Text.&lt;/p&gt;" * n),
    "newsml 1.2 body (newsml12._body): plain text of many wrapped lines": lambda n: newsml12((WRAPPED + "\n") * n),
    # formats/nitf.py
    "nitf taglines (nitf.read_nitf): many taglines": lambda n: nitf(
        end="<tagline>Mara Quill reported from Port Ellis.</tagline>" * n
    ),
    "nitf decks (nitf.read_nitf): many decks": lambda n: nitf(
        head="<hedline>" + "".join(f"<hl2>Deck {i}</hl2>" for i in range(n)) + "</hedline>"
    ),
    "nitf dateline field (nitf._place): a place that runs on": lambda n: nitf(
        head="<dateline>PORT " + "ELLIS " * n + "</dateline>"
    ),
    # formats/_html.py (ninjs body_html)
    "html tag (_html._TAG): a tag name that runs on, never closed": lambda n: ninjs("<p>Text.</p><p" + "a" * (RUN * n)),
    "html tag (_html._TAG): attributes that run on, never closed": lambda n: ninjs("<p>Text.</p><p " + "a=b " * n),
    "html tags (_html.html_to_lines): many paragraphs": lambda n: ninjs("<p>Ferry aground.</p>" * n),
    "html tags (_html.html_to_lines): many inline tags in a paragraph": lambda n: ninjs(
        "<p>" + "<b>x</b> " * n + "</p>"
    ),
    "html text (_html._markup_at): many '<' that open no tag": lambda n: ninjs("<p>" + "a < b " * n + "</p>"),
    "html text (_html._markup_at): unclosed CDATA sections": lambda n: ninjs("<p>Text.</p>" + "<![CDATA[" * n),
    "html text (_html._markup_at): many closed declarations": lambda n: ninjs("<p>Text.</p>" + "<!x>" * n),
    "html hidden (_html._Finder): many scripts": lambda n: ninjs("<script>x</script><p>Text.</p>" * n),
    "html hidden (_html._Finder): script end tags without '>'": lambda n: ninjs(
        "<p>Text.</p>" + "<script></script" * n
    ),
    "html table (_html._CELL_TAGS): a row of many cells": lambda n: ninjs("<tr>" + "<td>x</td>" * n + "</tr>"),
    "html entities (html.unescape): many named references": lambda n: ninjs("<p>" + "&amp; " * n + "</p>"),
    "html entities (html.unescape): ampersands that start no reference": lambda n: ninjs(
        "<p>" + "&" * (RUN * n) + "</p>"
    ),
    "html text (_html._SPACES): a long run of spaces and tabs": lambda n: ninjs(
        "<p>Ferry" + " \t" * (RUN * n) + "aground.</p>"
    ),
    # formats/_json.py, ninjs.py, apmedia.py
    "json (_json._SURROGATE_ESCAPE): escapes that are nearly surrogates": lambda n: ninjs_item(
        headline="Ferry aground", body_text="\ud7ff " * n
    ),
    "json (_json.load_json): many escaped surrogate pairs": lambda n: ninjs_item(
        headline="Ferry aground", body_text="\U0001f6a2 " * n
    ),
    "ninjs sniff (ninjs._NINJS_KEYS): many other keys before a ninjs key": lambda n: (
        b"{" + b'"x":1,' * n + b'"uri": "urn:fp:1", "headline": "Ferry aground"}'  # within the 64 KB sniffed
    ),
    "ninjs bodies (ninjs._body_lines): many bodies": lambda n: ninjs_item(
        headline="Ferry aground", bodies=[{"role": "main", "contenttype": "text/plain", "value": "Text."}] * n
    ),
    "ninjs headlines (ninjs._headline): many headlines": lambda n: ninjs_item(
        headlines=[{"role": "sub", "value": f"Deck {i}"} for i in range(n)], body_text="Text."
    ),
    "ap media sniff (apmedia._AP_KEYS): spaces before a key's colon": lambda n: (
        b'{"api_version"' + b" " * n + b': "2", "etag": "e1", "data": {"item": {"headline": "Ferry aground"}}}'
    ),
    "ap media bylines (apmedia._item): many bylines": lambda n: apmedia(
        bylines=[{"by": "Mara Quill", "title": "Writer"}] * n, body_text="Text."
    ),
    "ap media body (apmedia._body): a body_text of many lines": lambda n: apmedia(body_text="Text.\n" * n),
    # formats/_text.py
    "charset (_text.decode_text): Latin-1 text with a byte cp1252 leaves undefined": lambda n: latin1(
        iptc7901("\x81 " + "Caf\u00e9 " * n)
    ),
    "charset (_text.decode_text): Windows-1252 text": lambda n: latin1(iptc7901("Caf\u00e9 " * n)),
    "mojibake (_text._MOJIBAKE): UTF-8 read as Windows-1252": lambda n: text(LEAD + "Fu\u00c3\u0178ball " * n),
    "mojibake (_text._MOJIBAKE): lead characters with no continuation": lambda n: text(LEAD + "\u00c3x " * n),
    "wrapped text (_text.join_wrapped): one paragraph of many wrapped lines": lambda n: text((WRAPPED + "\n") * n),
    "wrapped text (_text.join_wrapped): many wrapped lines in capitals": lambda n: text((WRAPPED.upper() + "\n") * n),
    "wrapped text (_text.join_wrapped): many indented lines": lambda n: iptc7901(("  " + WRAPPED + "\r\n") * n),
    # formats/text.py
    "text sniff (text._OPENING_TAG): a tag-like start of attribute names": lambda n: text("<NOVA" + " x" * (RUN * n)),
    "binary sniff (text._CONTROLS): control codes under the binary share": lambda n: text(LEAD + "Aground.\x07 " * n),
    # formats/anpa.py
    "anpa keyword (anpa._WRITETHRU_NUMBER): a write-through note of many digits": lambda n: anpa(
        "\tText.", keyword="BC-NL--Ferry Aground, Writethru " + "1" * n + ",480"
    ),
    "anpa keyword (anpa._keyword): many write-through notes": lambda n: anpa(
        "\tText.", keyword="BC-NL--Ferry Aground, " + "1st Ld-Writethru, " * n + "480"
    ),
    "anpa header (anpa._HEADER_END): end marks then spaces, many times": lambda n: anpa(
        "^Eds: Updates" + "<   " * n + "<", "\tText."
    ),
    "anpa header (anpa._strip_marks): a header line of many end marks": lambda n: anpa(
        "^Eds: Updates" + "<=" * (RUN * n), "\tT."
    ),
    "anpa header (anpa._header): many header lines": lambda n: anpa(*["^Eds: Updates.<"] * n, "\tText."),
    "anpa agate (anpa._AGATE_CELL): a row of many cells": lambda n: anpa("\x08" + "Valmora Rovers\x1e 3 " * n),
    "anpa body (anpa._CONTROL): control codes through the body": lambda n: anpa("\t" + "Ferry aground\x07 " * n),
    "anpa body (anpa._typography): many ' _ ' dashes": lambda n: anpa("\tPORT ELLIS (FP) _ " + "crews _ strike " * n),
    "anpa body (anpa._typography): many typewriter quotes": lambda n: anpa("\t" + "``Aground,'' " * n),
    "anpa body (anpa._body): many tab-indented paragraphs": lambda n: anpa(*["\tFerry crews stopped work."] * n),
    "anpa body (_text.split_lines): a run of carriage returns": lambda n: anpa(
        "\tText." + "\r" * (RUN * n) + "\tMore."
    ),
    "anpa dateline (dateline._WITH_AGENCY): a long run of spaces before the agency": lambda n: anpa(
        "\tPORT ELLIS" + " " * (RUN * n) + "(FP) _ Text."
    ),
    # formats/iptc7901.py
    "iptc heading (iptc7901._MARKER): a marker line in capitals that runs on": lambda n: iptc7901_headed(
        "UPDATE " + "A1 " * (RUN * n) + "x\r\nFerry aground ="
    ),
    "iptc heading (iptc7901._heading): a headline line that runs on": lambda n: iptc7901_headed("Ferry " * n + "="),
    "iptc closing line (iptc7901._INITIALS): initials that run on": lambda n: iptc7901(
        "Berlin (fp) - Text.\r\ndpa" + " ab" * (RUN * n) + " X"
    ),
    "iptc scene breaks (iptc7901._NOT_FOR_PUBLICATION): many, each near-withheld": lambda n: iptc7901(
        "Berlin (fp) - Text.\r\n" + "* * *\r\nnot for publicatio\r\n" * n
    ),
    "iptc scene break (iptc7901._NOT_FOR_PUBLICATION): a star then a long run of spaces": lambda n: iptc7901(
        "Berlin (fp) - Text.\r\n*" + " " * (RUN * n) + "x"
    ),
    "iptc notebook (iptc7901._HEADING): many headings": lambda n: iptc7901(
        "Berlin (fp) - Text.\r\n# Notebook\r\n" + "## Note to editors\r\n- adds detail\r\n" * n
    ),
    "iptc notebook (iptc7901._MARKDOWN_LINK): many links": lambda n: iptc7901(
        "Berlin (fp) - Text.\r\n# Notebook\r\n## Internet links\r\n" + "- [Ferry](https://example.org/a)\r\n" * n
    ),
    "iptc body (iptc7901._CONTROL): control codes through the body": lambda n: iptc7901(
        "Berlin (fp) - " + "Aground.\x07 " * n
    ),
    # parsing/byline.py
    "byline (byline._NAME_SEPARATORS): a byline of many names": lambda n: text(
        "By " + "Mara Quill, " * n + "Ada Lind\n\n" + LEAD
    ),
    "byline (byline._CAPITALS_SEPARATORS): a byline in capitals of many names": lambda n: text(
        "BY " + "MARA QUILL AND " * n + "ADA LIND\n\n" + LEAD
    ),
    "bylines (byline.parse_bylines): many byline lines": lambda n: story("By Mara Quill\n" * n + "\n" + LEAD),
    "byline (byline._DESK): a desk name that runs on": lambda n: story(
        "By The Associated Press" + " Staff" * n + "\n\n" + LEAD
    ),
    "byline (byline._is_title_line): a title line that runs on": lambda n: text(
        "By Mara Quill\n" + "Fictional Press Writer " * n + "\n\n" + LEAD
    ),
    "byline field (byline.parse_byline): a format byline of many names": lambda n: newsmlg2(
        meta="<by>" + "Mara Quill, " * n + "Ada Lind</by>"
    ),
    "taglines (byline._AP_TAGLINE): many tagline lines after a rule": lambda n: text(
        LEAD + "___\n" + "Mara Quill reported from Port Ellis.\n" * n
    ),
    "taglines (byline._AP_TAGLINE): many near-taglines of the longest read, after a rule": lambda n: text(
        LEAD + "___\n" + ("word " * 78 + "reported\n") * n  # 400 characters a line
    ),
    "taglines (byline._ROLE_BY): many Reuters credit lines": lambda n: story(
        LEAD + "___\n" + "Reporting by Mara Quill; Editing by Ada Lind\n" * n
    ),
    "taglines (byline._CONTRIBUTING): many contributing lines": lambda n: story(
        LEAD + "___\n" + "Contributing: Mara Quill in Port Ellis\n" * n
    ),
    # parsing/dateline.py
    "dateline (dateline._WITH_AGENCY): agency in brackets, long run of capitals": lambda n: text(
        "PORT " + "ELLIS " * n + "(FP) \u2014 Text.\n"
    ),
    "dateline (dateline._AGENCY_FIRST): agency first, then a place that runs on": lambda n: text(
        "(FP) - Port " + "Ellis " * n + "- Text.\n"
    ),
    "dateline (dateline._WITHOUT_AGENCY): a place then a long run of dashes": lambda n: text(
        "NEW YORK " + "- " * (RUN * n) + "x\n"
    ),
    "dateline (dateline._DATE_THEN_SEP): a place, a dash, then many dates": lambda n: text(
        "CHEVY CHASE, Md. - " + "March 4 - " * n + "x\n"
    ),
    "dateline field (dateline._head_parts): a date then many years": lambda n: newsmlg2(
        meta="<dateline>PORT ELLIS, Feb 26" + ", 2014" * n + "</dateline>"
    ),
    "dateline field (dateline._head_parts): many comma-separated places": lambda n: newsmlg2(
        meta="<dateline>PORT ELLIS" + ", Norland" * n + "</dateline>"
    ),
    "dateline field (dateline._TRAILING_DATE): a place that runs on, then a date": lambda n: newsmlg2(
        meta="<dateline>PORT " + "ELLIS " * n + "Feb 26</dateline>"
    ),
    "dateline field (dateline._PLACE_WORD): a place word that runs on": lambda n: newsmlg2(
        meta="<dateline>Port E" + "l.-" * n + "</dateline>"
    ),
    "dateline field (dateline.parse_date): a long month-like word, then a day": lambda n: newsmlg2(
        meta="<dateline>PORT ELLIS, Fe" + "b" * (RUN * n) + " 26</dateline>"
    ),
    "dateline field (dateline.read_dateline_field): a place then many dashes": lambda n: newsmlg2(
        meta="<dateline>PORT ELLIS" + " -" * (RUN * n) + "</dateline>"
    ),
    # parsing/story_parts.py
    "rule (story_parts._RULE): underscores that end in a letter": lambda n: text(LEAD + "_" * (RUN * n) + "x\n"),
    "rules (story_parts._split_tail): many rules between body sections": lambda n: story(LEAD + "___\nMore.\n" * n),
    "editor's note (story_parts._EDITOR_NOTE): '(adds' never closed": lambda n: story(
        "(adds " + "detail " * n + "\n\n" + LEAD
    ),
    "editor's note (story_parts._EDITOR_NOTE): UPDATE then a long number": lambda n: story(
        "UPDATE " + "1" * (RUN * n) + "x\n\n" + LEAD
    ),
    "editor's notes (story_parts._take_editor_notes): many note lines": lambda n: text("Eds: Updates.\n" * n + LEAD),
    "trailer (story_parts._TRAILER): 'find more' then near-misses of 'at https://'": lambda n: text(
        LEAD + "Find more " + "at http " * n + "\n"
    ),
    "trailer (story_parts._TRAILER): near-misses of 'all rights reserved'": lambda n: text(
        LEAD + "More. " + "all rights " * n + "\n"
    ),
    "trailer (story_parts._take_closing_lines): many closing lines": lambda n: text(
        LEAD + "Copyright 2026 Fictional Press.\n" * n
    ),
    "headline (story_parts._headline_above_dateline): a long line above a dateline": lambda n: text(
        "Ferry " * n + "\n\n" + LEAD
    ),
    "subheads (story_parts._split_subheads): many subheads": lambda n: text(LEAD + "WHAT COMES NEXT\n\nText.\n\n" * n),
    "words (story_parts.count_words): many lone dashes": lambda n: text(LEAD + "- " * (RUN * n)),
    "text id (story_parts.text_id): many combining accents": lambda n: text(LEAD + "Cafe\u0301 " * n),
    "links (story_parts._URL): many near-misses of www.": lambda n: text(LEAD + "www " * n),
    "links (story_parts._strip_url): a URL then opening brackets": lambda n: text(
        LEAD + "See https://example.org/a" + "(" * (RUN * n)
    ),
}

# Shapes whose unit is a whole news item or a long line take a smaller base, so that the 1,000×
# message stays near 1 MB and the module quick.
SMALLER_BASE: dict[str, int] = {
    "xml items (_xml.items_apart): many items side by side": 2,
    "taglines (byline._AP_TAGLINE): many near-taglines of the longest read, after a rule": 1,
}


@pytest.mark.parametrize("shape", CASES)
def test_cost_grows_linearly(shape: str) -> None:
    assert_linear(shape, decode_and_parse, CASES[shape], SMALLER_BASE.get(shape, BASE))
