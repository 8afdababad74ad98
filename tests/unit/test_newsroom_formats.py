"""What NITF, NewsML-G2, NewsML 1.2, ninjs and AP Media API items say a story is, from their own
fields: urgency, publishing status, embargo, version, family and the version they replace.

The ninjs and NewsML-G2 sequences in tests/sequences/ are decoded and parsed as the pipeline does,
item by item against their expected.json. Then each format's field mapping on its own, with the
odd values a feed sends (off its scale, unknown codes, a time without a zone): those give None or
no signal, never a guess and never an exception.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.growth import assert_linear
from wirestream.transforms.formats import decode
from wirestream.transforms.formats._fields import epoch_millis, iptc_signals, pubstatus, revision_guid, urgency_number
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records import ids
from wirestream.transforms.records.story import Source, Story, WireItem

SEQUENCES = Path(__file__).resolve().parents[1] / "sequences"
FORMATS = {"ninjs": ".json", "newsmlg2": ".xml"}
FIELDS = ("id", "family_id", "version", "urgency", "pubstatus", "signals", "embargoed_until", "supersedes")
G2_GUID = "urn:newsml:example.org:20261201:fp-test"


def _ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def _expected(folder: str) -> dict[str, Any]:
    return json.loads((SEQUENCES / folder / "expected.json").read_text())


def _substituted(path: Path, placeholders: dict[str, str]) -> bytes:
    raw = path.read_bytes()
    for placeholder, value in placeholders.items():
        raw = raw.replace(placeholder.encode(), value.encode())
    return raw


def one(raw: bytes) -> WireItem:
    [item] = decode(raw)
    return item


def story(raw: bytes) -> Story:
    return parse_item(one(raw), Source())


# -- the sequences ------------------------------------------------------------------------------


def _sequence() -> list[Any]:
    return [
        pytest.param(folder, name, id=f"{folder}/{name}") for folder in FORMATS for name in _expected(folder)["items"]
    ]


@pytest.mark.parametrize(("folder", "name"), _sequence())
def test_each_item_of_a_sequence_reads_as_expected(folder: str, name: str) -> None:
    expected = _expected(folder)
    got = story(_substituted(SEQUENCES / folder / name, expected["placeholders"]))
    assert {field: getattr(got, field) for field in FIELDS} == expected["items"][name]


@pytest.mark.parametrize("folder", FORMATS)
def test_the_sequence_files_are_the_expected_ones_in_arrival_order(folder: str) -> None:
    files = sorted(p.name for p in (SEQUENCES / folder).glob(f"*{FORMATS[folder]}") if p.name != "expected.json")
    assert files == list(_expected(folder)["items"])


@pytest.mark.parametrize("folder", FORMATS)
def test_the_embargo_time_is_whatever_the_test_puts_in_the_placeholder(folder: str) -> None:
    [path] = (SEQUENCES / folder).glob("08-e-embargoed.*")
    got = story(_substituted(path, {"{{EMBARGOED_UNTIL}}": "2026-12-01T18:00:00Z"}))
    assert (got.embargoed_until, got.signals) == (_ms("2026-12-01T18:00:00Z"), ["embargoed"])


@pytest.mark.parametrize("folder", FORMATS)
def test_every_version_of_a_family_shares_its_family_id_and_no_two_share_an_id(folder: str) -> None:
    items = _expected(folder)["items"]
    families = {name[3]: set() for name in items}
    for name, record in items.items():
        families[name[3]].add(record["family_id"])
    assert all(len(ids) == 1 for ids in families.values())
    assert len({r["id"] for r in items.values()}) == len(items) - 1  # 06 is 04 again: the same record


# -- shared readers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01T18:00:00Z", _ms("2026-12-01T18:00:00Z")),
        ("2026-12-01T19:00:00+01:00", _ms("2026-12-01T18:00:00Z")),
        ("20131020T192751+1100", _ms("2013-10-20T08:27:51Z")),  # NITF's and NewsML 1.2's basic form
        ("2026-12-01T18:00:00.250-0500", _ms("2026-12-01T23:00:00Z")),
        ("2026-12-01T18:00Z", _ms("2026-12-01T18:00:00Z")),
        ("2026-12-01T18:00:00", None),  # no zone: not guessed
        ("2026-12-01", None),
        ("2026-13-01T18:00:00Z", None),
        ("2026-12-01T18:00:00+25:00", None),
        ("9999-12-31T23:59:59-01:00", None),  # past the last year a datetime holds
        ("0001-01-01T00:00:00+01:00", None),
        ("0000-01-01T00:00:00Z", None),
        ("tomorrow", None),
        ("", None),
        (20261201, None),
        ("2026-12-01T18:00:00Z" + " " * 100, None),
    ],
)
def test_an_embargo_time_is_read_only_when_it_gives_its_zone(value: object, expected: int | None) -> None:
    assert epoch_millis(value) == expected


@pytest.mark.parametrize(
    ("identifier", "revision", "family"),
    [
        ("urn:newsml:afp.com:20140829T135002Z:TX-PAR-FXW86:1", 1, "urn:newsml:afp.com:20140829T135002Z:TX-PAR-FXW86"),
        ("urn:newsml:example.org:20260411:TX-FP0701:12", 12, "urn:newsml:example.org:20260411:TX-FP0701"),
        ("urn:newsml:example.org:20260411:TX-FP0701:12", 2, "urn:newsml:example.org:20260411:TX-FP0701:12"),
        ("urn:newsml:example.org:20260411:TX-FP0701", 3, "urn:newsml:example.org:20260411:TX-FP0701"),
        (":3", 3, ":3"),  # nothing would be left
        ("urn:newsml:example.org:TX-FP0701:1", None, "urn:newsml:example.org:TX-FP0701:1"),
    ],
)
def test_a_newsml12_identifier_loses_only_its_own_revision(identifier: str, revision: int | None, family: str) -> None:
    assert revision_guid(identifier, revision) == family


# A guid that ends in what looks like its version, in every format whose guid does not carry one.
_GUID_ENDING_IN_ONE = "urn:example:desk:story:1"


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({"uri": _GUID_ENDING_IN_ONE, "version": "1", "headline": "Ferry strike ends"}).encode(),
        json.dumps({"guid": _GUID_ENDING_IN_ONE, "version": 1, "body_text": "PORT ELLIS (FP) - It ended."}).encode(),
        json.dumps(
            {
                "data": {
                    "item": {
                        "altids": {"itemid": _GUID_ENDING_IN_ONE},
                        "version": 1,
                        "headline": "Ends",
                        "editorialpriority": "r",
                        "datelinelocation": {},
                    }
                },
                "api_version": "1.1",
            }
        ).encode(),
        (
            f'<nitf><head><docdata><doc-id id-string="{_GUID_ENDING_IN_ONE}"/><du-key version="1"/></docdata></head>'
            "<body><body.content><p>PORT ELLIS (FP) - It ended.</p></body.content></body></nitf>"
        ).encode(),
        (
            f'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{_GUID_ENDING_IN_ONE}" version="1">'
            "<contentMeta><headline>Ends</headline></contentMeta><contentSet><inlineData>It ended.</inlineData>"
            "</contentSet></newsItem>"
        ).encode(),
    ],
    ids=["ninjs-uri", "ninjs-guid", "apmedia", "nitf", "newsmlg2"],
)
def test_a_guid_ending_in_its_version_number_is_kept_whole_where_the_format_keeps_versions_apart(raw: bytes) -> None:
    got = story(raw)
    assert (got.family_id, got.id) == (_GUID_ENDING_IN_ONE, f"{_GUID_ENDING_IN_ONE}:v1")


def test_two_stories_whose_guids_differ_by_a_version_like_ending_never_share_an_id_or_a_family() -> None:
    """``…:story`` at version 1 and ``…:story:1`` at version 1 are two stories: one must not replace
    the other on wire.latest (the family is its key)."""
    first = story(json.dumps({"uri": "urn:example:desk:story", "version": 1, "headline": "One"}).encode())
    second = story(json.dumps({"uri": "urn:example:desk:story:1", "version": 1, "headline": "Two"}).encode())
    assert first.family_id != second.family_id
    assert first.id != second.id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("usable", "usable"),
        ("stat:withheld", "withheld"),
        ("http://cv.iptc.org/newscodes/pubstatusg2/canceled", "canceled"),
        ("Canceled", "canceled"),
        ("cancelled", "canceled"),
        ("stat:embargoed", None),
        ("killed", None),
        ("xstat:usable", None),
        ("", None),
        (None, None),
        (["usable"], None),
    ],
)
def test_a_publishing_status_is_one_of_iptcs_three_or_none(value: object, expected: str | None) -> None:
    assert pubstatus(value) == expected


def test_only_iptc_signal_codes_name_our_signals() -> None:
    codes = ["sig:update", "http://cv.iptc.org/newscodes/signal/correction", "sig:cwarn", "apsig:consumerready"]
    assert iptc_signals([*codes, "edStat:U", "newscontent", 7, None, "correction", "sig:update"]) == [
        "update",
        "correction",
    ]


@pytest.mark.parametrize(("value", "expected"), [(1, 1), ("9", 9), (4.0, 4), (0, None), (10, None), (True, None)])
def test_urgency_is_iptcs_one_to_nine(value: object, expected: int | None) -> None:
    assert urgency_number(value) == expected


# -- NITF ---------------------------------------------------------------------------------------


def nitf(docdata: str, attrs: str = "", doc_id: str = "fp-nitf-1") -> bytes:
    return (
        f'<nitf><head><docdata {attrs}><doc-id id-string="{doc_id}"/>{docdata}</docdata></head>'
        "<body><body.head><hedline><hl1>Ferry strike ends</hl1></hedline></body.head>"
        "<body.content><p>PORT ELLIS, Norland (FP) \u2014 The strike ended on Monday.</p></body.content></body></nitf>"
    ).encode()


@pytest.mark.parametrize(("urgency", "expected"), [("1", 1), ("5", 5), ("8", 8), ("9", None), ("0", None), ("x", None)])
def test_nitf_ed_urg_is_iptc_urgency_on_nitfs_one_to_eight(urgency: str, expected: int | None) -> None:
    assert one(nitf(f'<urgency ed-urg="{urgency}"/>')).urgency == expected


@pytest.mark.parametrize(
    ("status", "pubstatus_", "signals"),
    [
        ("usable", "usable", []),
        ("withheld", "withheld", []),
        ("canceled", "canceled", []),
        ("embargoed", "usable", ["embargoed"]),
        ("rumoured", None, []),
    ],
)
def test_nitf_management_status(status: str, pubstatus_: str | None, signals: list[str]) -> None:
    item = one(nitf("", f'management-status="{status}"'))
    assert (item.pubstatus, item.signals, item.embargoed_until) == (pubstatus_, signals, None)


def test_nitf_release_date_after_the_issue_date_is_an_embargo_and_at_it_none() -> None:
    later = one(nitf('<date.issue norm="20261201T090000Z"/><date.release norm="20261201T180000Z"/>'))
    same = one(nitf('<date.issue norm="20131020T192751+1100"/><date.release norm="20131020T192751+1100"/>'))
    assert (later.embargoed_until, later.signals) == (_ms("2026-12-01T18:00:00Z"), ["embargoed"])
    assert (same.embargoed_until, same.signals) == (None, [])


def test_nitf_embargoed_status_takes_the_release_date_even_without_an_issue_date() -> None:
    item = one(nitf('<date.release norm="20261201T180000+0100"/>', 'management-status="embargoed"'))
    assert (item.pubstatus, item.embargoed_until, item.signals) == (
        "usable",
        _ms("2026-12-01T17:00:00Z"),
        ["embargoed"],
    )


@pytest.mark.parametrize(("kind", "signals"), [("Advisory", ["advisory"]), ("kill", ["kill"]), ("info", [])])
def test_nitf_ed_msg_type_names_a_signal_only_when_it_is_one_of_ours(kind: str, signals: list[str]) -> None:
    assert one(nitf(f'<ed-msg msg-type="{kind}" info="Eds: note"/>')).signals == signals


def test_nitf_doc_id_is_the_family_as_it_is_and_du_key_the_version() -> None:
    item = one(nitf('<du-key key="Ferry" version="3"/>', doc_id="fp-nitf-7:3"))
    assert (item.guid, item.version, story(nitf('<du-key version="3"/>', doc_id="fp-nitf-7:3")).id) == (
        "fp-nitf-7:3",
        3,
        "fp-nitf-7:3:v3",
    )


# -- NewsML-G2 ----------------------------------------------------------------------------------


def g2(item_meta: str = "", urgency: str = "", version: str = "3", guid: str = G2_GUID) -> bytes:
    content_meta = f"<urgency>{urgency}</urgency>" if urgency else ""
    return (
        f'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}">'
        f'<itemMeta><itemClass qcode="ninat:text"/>{item_meta}</itemMeta>'
        f"<contentMeta>{content_meta}<headline>Ferry strike ends</headline></contentMeta>"
        '<contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<p>PORT ELLIS, Norland (FP) \u2014 The strike ended on Monday.</p></body></html></inlineXML></contentSet>"
        "</newsItem>"
    ).encode()


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ('<pubStatus qcode="stat:canceled"/>', "canceled"),
        ('<pubStatus uri="http://cv.iptc.org/newscodes/pubstatusg2/withheld"/>', "withheld"),
        ('<pubStatus qcode="stat:draft"/>', None),
        ("", None),
    ],
)
def test_g2_pub_status(element: str, expected: str | None) -> None:
    assert one(g2(element)).pubstatus == expected


@pytest.mark.parametrize(("urgency", "expected"), [("1", 1), ("9", 9), ("0", None), ("10", None), ("high", None)])
def test_g2_urgency(urgency: str, expected: int | None) -> None:
    assert one(g2(urgency=urgency)).urgency == expected


@pytest.mark.parametrize(
    ("element", "until"),
    [
        ("<embargoed>2026-12-01T18:00:00Z</embargoed>", _ms("2026-12-01T18:00:00Z")),
        ("<embargoed/>", None),  # until further notice
        ("<embargoed>2026-12-01T18:00:00</embargoed>", None),  # no zone: embargoed, time unknown
    ],
)
def test_g2_embargoed_element_is_an_embargo_and_its_time_when_it_gives_one(element: str, until: int | None) -> None:
    item = one(g2(element))
    assert (item.embargoed_until, item.signals) == (until, ["embargoed"])


def test_g2_iptc_signals_map_and_providers_own_codes_do_not() -> None:
    meta = '<signal qcode="sig:correction"/><signal qcode="apsig:consumerready"/><signal qcode="edStat:U"/>'
    assert one(g2(meta + '<signal uri="http://cv.iptc.org/newscodes/signal/update"/>')).signals == [
        "correction",
        "update",
    ]


@pytest.mark.parametrize(
    ("link", "supersedes"),
    [
        (f'<link rel="irel:previousVersion" residref="{G2_GUID}" version="2"/>', f"{G2_GUID}:v2"),
        (f'<link guidref="{G2_GUID}" version="2"/>', f"{G2_GUID}:v2"),  # STT: its own guid, no rel
        ('<link rel="irel:previousVersion" residref="urn:fp:other" version="5"/>', "urn:fp:other:v5"),
        (f'<link rel="irel:previousVersion" residref="{G2_GUID}"/>', None),  # no version named
        (f'<link guidref="{G2_GUID}" version="3"/>', None),  # itself
        (f'<link guidref="{G2_GUID}" version="4"/>', None),  # a later version
        ('<link rel="irel:seeAlso" href="https://example.org/fp" version="1"/>', None),
        ('<link rel="irel:derivedFrom" residref="urn:fp:source" version="1"/>', None),
    ],
)
def test_g2_a_link_names_the_replaced_version_only_with_its_version(link: str, supersedes: str | None) -> None:
    assert one(g2(link)).supersedes == supersedes


def test_g2_item_meta_ed_notes_are_read_for_the_newsroom() -> None:
    got = story(g2('<pubStatus qcode="stat:canceled"/><edNote>Kill: the story is wrong.</edNote>'))
    assert (got.editor_notes, got.pubstatus, got.signals) == (["Kill: the story is wrong."], "canceled", ["kill"])


def test_g2_links_and_signals_cost_time_linear_in_their_number() -> None:
    def make(n: int) -> bytes:
        return g2(
            '<signal qcode="sig:update"/>' * n + f'<link rel="irel:seeAlso" residref="{G2_GUID}" version="1"/>' * n
        )

    assert_linear("NewsML-G2 signals and links", decode, make, 10)


# -- NewsML 1.2 ---------------------------------------------------------------------------------


def newsml12(management: str, revision: str = '<RevisionId PreviousRevision="1" Update="N">2</RevisionId>') -> bytes:
    return (
        "<NewsML><NewsItem><Identification><NewsIdentifier>"
        f"{revision}<PublicIdentifier>urn:newsml:example.org:20261201T090000Z:TX-FP0701:2</PublicIdentifier>"
        f"</NewsIdentifier></Identification><NewsManagement>{management}</NewsManagement>"
        "<NewsComponent><NewsLines><HeadLine>Ferry strike ends</HeadLine></NewsLines>"
        "<ContentItem><DataContent><p>PORT ELLIS, Norland (FP) -- The strike ended.</p></DataContent></ContentItem>"
        "</NewsComponent></NewsItem></NewsML>"
    ).encode()


def test_newsml12_identifier_revision_and_previous_revision() -> None:
    item = one(newsml12(""))
    family = "urn:newsml:example.org:20261201T090000Z:TX-FP0701"
    assert (item.guid, item.version, item.supersedes) == (family, 2, f"{family}:v1")
    first = one(newsml12("", '<RevisionId PreviousRevision="0" Update="N">2</RevisionId>'))
    assert first.supersedes is None


@pytest.mark.parametrize(
    ("status", "pubstatus_"), [("Usable", "usable"), ("Withheld", "withheld"), ("Canceled", "canceled"), ("Odd", None)]
)
def test_newsml12_status(status: str, pubstatus_: str | None) -> None:
    assert one(newsml12(f'<Status FormalName="{status}"/>')).pubstatus == pubstatus_


def test_newsml12_embargoed_status_holds_until_its_status_change() -> None:
    change = '<StatusWillChange><FutureStatus FormalName="Usable"/><DateAndTime>20261201T180000Z</DateAndTime>'
    item = one(newsml12(f'<Status FormalName="Embargoed"/>{change}</StatusWillChange>'))
    assert (item.pubstatus, item.embargoed_until, item.signals) == (
        "usable",
        _ms("2026-12-01T18:00:00Z"),
        ["embargoed"],
    )


@pytest.mark.parametrize(("urgency", "expected"), [("1", 1), ("9", 9), ("0", None), ("urgent", None)])
def test_newsml12_urgency(urgency: str, expected: int | None) -> None:
    assert one(newsml12(f'<Urgency FormalName="{urgency}"/>')).urgency == expected


@pytest.mark.parametrize(("kind", "signals"), [("Errata", ["correction"]), ("Advisory", ["advisory"]), ("Alert", [])])
def test_newsml12_item_type(kind: str, signals: list[str]) -> None:
    assert one(newsml12(f'<NewsItemType FormalName="{kind}"/>')).signals == signals


# -- ninjs --------------------------------------------------------------------------------------


def ninjs(**fields: Any) -> bytes:
    body = "<p>PORT ELLIS, Norland (FP) \u2014 The strike ended on Monday.</p>"
    return json.dumps({"uri": "urn:fp:ninjs-1", "headline": "Ferry strike ends", "body_html": body, **fields}).encode()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"pubstatus": "canceled"}, "canceled"),
        ({"pubStatus": "withheld"}, "withheld"),  # 3.x
        ({"pubstatus": "killed"}, None),
        ({"pubstatus": 1}, None),
    ],
)
def test_ninjs_pubstatus(fields: dict[str, Any], expected: str | None) -> None:
    assert one(ninjs(**fields)).pubstatus == expected


@pytest.mark.parametrize(("urgency", "expected"), [(1, 1), (3.0, 3), ("2", 2), (3.5, None), (0, None), (False, None)])
def test_ninjs_urgency(urgency: object, expected: int | None) -> None:
    assert one(ninjs(urgency=urgency)).urgency == expected


@pytest.mark.parametrize("key", ["embargoed", "embargoedUntil"])
def test_ninjs_embargo_in_either_name(key: str) -> None:
    item = one(ninjs(**{key: "2026-12-01T18:00:00Z"}))
    assert (item.embargoed_until, item.signals) == (_ms("2026-12-01T18:00:00Z"), ["embargoed"])


def test_ninjs_embargo_without_a_zone_is_an_embargo_of_unknown_time() -> None:
    item = one(ninjs(embargoed="2026-12-01T18:00:00"))
    assert (item.embargoed_until, item.signals) == (None, ["embargoed"])


def test_ninjs_a_uri_is_the_family_as_it_is_whatever_it_ends_in() -> None:
    got = story(ninjs(uri="urn:fp:ninjs-1:2", version="2"))
    assert (got.family_id, got.id) == ("urn:fp:ninjs-1:2", "urn:fp:ninjs-1:2:v2")


def test_ninjs_producers_signal_lists_are_read_for_iptc_codes_only() -> None:
    signals = [
        {"uri": "http://cv.iptc.org/newscodes/signal/correction"},
        {"name": "Content Warning", "code": "cwarn", "scheme": "http://cv.iptc.org/newscodes/signal/"},
        {"code": "update", "scheme": "http://example.org/own-codes/"},
        "sig:update",
        ["nested"],
    ]
    assert one(ninjs(signals=signals)).signals == ["correction", "update"]


# -- AP Media API -------------------------------------------------------------------------------


def apmedia(**fields: Any) -> bytes:
    item = {"altids": {"itemid": "fp0d4e8a2b", "etag": "fp0d4e8a2b_1"}, "headline": "Ferry strike ends", **fields}
    return json.dumps({"api_version": "2.0", "data": {"item": item}}).encode()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"editorialpriority": "f"}, 1),
        ({"editorialpriority": "B"}, 2),
        ({"editorialpriority": "u"}, 3),
        ({"editorialpriority": "r"}, 4),
        ({"editorialpriority": "d"}, 5),
        ({"editorialpriority": "a"}, None),
        ({"editorialpriority": 1}, None),
        ({"urgency": 2, "editorialpriority": "r"}, 2),  # AP's own IPTC urgency wins
        ({"urgency": 12, "editorialpriority": "r"}, 4),
    ],
)
def test_ap_urgency_then_editorial_priority(fields: dict[str, Any], expected: int | None) -> None:
    assert one(apmedia(**fields)).urgency == expected


def test_ap_status_embargo_and_version() -> None:
    item = one(apmedia(pubstatus="canceled", embargoed="2026-12-01T18:00:00Z", version=0, signals=["newscontent"]))
    assert (item.guid, item.version, item.pubstatus, item.embargoed_until, item.signals) == (
        "fp0d4e8a2b",
        0,
        "canceled",
        _ms("2026-12-01T18:00:00Z"),
        ["embargoed"],
    )


def test_ap_content_signals_are_none_of_ours() -> None:
    assert one(apmedia(signals=["newscontent", "explicitcontent", "withheld"])).signals == []


# -- hostile values -----------------------------------------------------------------------------

_ODD = [None, True, 7.5, -1, 10**40, "", "\x00", "\ud7ff" * 3, [], {}, [{"uri": {}}], {"code": 1}]


@pytest.mark.parametrize("value", _ODD, ids=repr)
def test_odd_json_values_in_every_newsroom_field_give_nothing_and_never_raise(value: object) -> None:
    fields = ("urgency", "pubstatus", "pubStatus", "embargoed", "embargoedUntil", "version", "signals", "signal")
    ninjs_item = one(ninjs(**dict.fromkeys(fields, value)))
    ap_item = one(
        apmedia(**dict.fromkeys(("urgency", "editorialpriority", "pubstatus", "embargoed", "signals"), value))
    )
    for item in (ninjs_item, ap_item):
        assert item.pubstatus is None and item.embargoed_until is None and item.supersedes is None
        assert item.signals in ([], ["embargoed"])


# -- ids ----------------------------------------------------------------------------------------

_GUIDS = st.text(alphabet=st.sampled_from("ab:v12~"), max_size=12)
_VERSIONS = st.none() | st.integers(min_value=0, max_value=12)


@given(_GUIDS, _VERSIONS, _GUIDS, _VERSIONS)
def test_no_two_guids_or_versions_share_a_story_id(
    guid: str, version: int | None, other: str, other_version: int | None
) -> None:
    """Guids over the characters ids are made of (``:v``, digits, ``~``), so look-alikes are tried."""
    assume((guid, version) != (other, other_version))
    assert ids.story_id(guid, version) != ids.story_id(other, other_version)


@given(_GUIDS, st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=3))
def test_a_guid_that_ends_like_a_version_is_never_that_version_of_another(guid: str, version: int, marks: int) -> None:
    """``…:v2`` (and ``…:v2~``, ``…:v2~~``) with no version of its own is not version 2 of ``…``."""
    look_alike = f"{guid}:v{version}" + "~" * marks
    assert ids.story_id(look_alike, None) != ids.story_id(guid, version)
    assert ids.story_id(look_alike, None) != ids.story_id(f"{guid}:v{version}" + "~" * (marks + 1), None)
