"""Embargoes: each item held on its own as its input message with its time, released once and alone;
our headers set by a producer never free anything; a kill ends what it covers; nothing expires."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import pytest

from wirestream.pipelines.release import released_headers
from wirestream.transforms.kafka.held_topic import HeldLedger, expiry_of
from wirestream.transforms.newsroom.embargo import (
    HELD_KEY,
    HELD_REASON,
    HELD_UNTIL,
    RELEASED,
    RELEASED_ITEM,
    Fate,
    editor_reason,
    fate,
    foreign_headers,
    held_format,
    held_record,
    held_until,
    is_held,
    kill_notice,
    refused_headers,
)
from wirestream.transforms.records.story import Source, Story, WireMessage

NOW = 1_800_000_000_000
MESSAGE = WireMessage("wire.raw", 2, 41, NOW - 5, b"k", b"<raw bytes>", (("agency", b"fp"),))


def story(
    embargoed_until: int | None,
    *,
    id: str = "s",
    family: str = "fam",
    version: int | None = None,
    signals: tuple[str, ...] = (),
    pubstatus: str = "usable",
    notes: tuple[str, ...] = (),
) -> Story:
    return Story(
        id=id,
        family_id=family,
        version=version,
        format="NINJS",
        source=Source(),
        paragraphs=["p"],
        embargoed_until=embargoed_until,
        signals=list(signals),
        pubstatus=pubstatus,
        editor_notes=list(notes),
    )


def with_headers(*headers: tuple[str, bytes]) -> WireMessage:
    return replace(MESSAGE, headers=(*MESSAGE.headers, *headers))


def test_only_an_embargo_still_ahead_holds() -> None:
    assert fate(story(NOW + 1), MESSAGE, NOW) is Fate.HOLD
    assert fate(story(NOW), MESSAGE, NOW) is Fate.GO
    assert fate(story(NOW - 1), MESSAGE, NOW) is Fate.GO
    assert fate(story(None), MESSAGE, NOW) is Fate.GO


def test_each_item_of_a_message_waits_under_its_own_key_as_the_whole_message_with_its_own_time() -> None:
    first, second = story(NOW + 60_000, id="a"), story(NOW + 120_000, id="b")
    one, two = held_record(MESSAGE, first, "wire.held"), held_record(MESSAGE, second, "wire.held")
    assert one.key == b"item/wire.raw:2:41/a" and two.key == b"item/wire.raw:2:41/b"
    assert one.value == two.value == b"<raw bytes>" and one.topic == "wire.held"
    assert (held_until(one.headers), held_until(two.headers)) == (NOW + 60_000, NOW + 120_000)
    assert held_format(one.headers) == "NINJS" and dict(one.headers)[HELD_KEY] == b"k"
    assert ("agency", b"fp") in one.headers  # the sender's headers travel with it
    assert one.source_timestamp_ms == MESSAGE.timestamp_ms


@pytest.mark.parametrize(
    "theirs",
    [
        ((RELEASED, b"wire.held:0:7"),),
        ((RELEASED, b"anything"), (RELEASED_ITEM, b"s")),
        ((HELD_UNTIL, b"0"),),
        ((RELEASED, b"wire.held:0:7"), (RELEASED_ITEM, b"s"), (RELEASED_ITEM, b"s")),
    ],
)
def test_a_producers_copy_of_our_headers_never_frees_an_embargoed_item_and_is_named(
    theirs: tuple[tuple[str, bytes], ...],
) -> None:
    message = with_headers(*theirs)
    assert fate(story(NOW + 60_000), message, NOW, "wire.held") is Fate.HOLD
    assert sorted(foreign_headers(message.headers, "wire.held")) == sorted(name for name, _ in theirs)


def test_a_full_release_naming_an_item_still_under_embargo_is_counted_as_a_producers() -> None:
    forged = released_copy("s")
    assert refused_headers(forged, Fate.HOLD, "wire.held") == [RELEASED, RELEASED_ITEM]
    assert refused_headers(forged, Fate.GO, "wire.held") == []  # at its time: a release of ours


def test_a_producers_embargo_header_never_reaches_the_held_topic() -> None:
    record = held_record(with_headers((HELD_UNTIL, b"0"), ("wirestream-format", b"TEXT")), story(NOW + 5), "h")
    assert held_until(record.headers) == NOW + 5 and held_format(record.headers) == "NINJS"
    assert [v for n, v in record.headers if n == HELD_UNTIL] == [str(NOW + 5).encode()]


def released_copy(item: str, held_topic: str = "wire.held") -> WireMessage:
    return with_headers((RELEASED, f"{held_topic}:0:7".encode()), (RELEASED_ITEM, item.encode()))


def test_a_released_message_brings_back_its_one_item_and_passes_over_the_others() -> None:
    back = released_copy("b")
    assert fate(story(NOW - 1, id="b"), back, NOW, "wire.held") is Fate.GO
    assert fate(story(None, id="a"), back, NOW, "wire.held") is Fate.DONE  # published when it first came
    assert fate(story(NOW + 60_000, id="c"), back, NOW, "wire.held") is Fate.DONE  # waits on its own
    assert foreign_headers(back.headers, "wire.held") == []


def test_a_release_never_frees_an_item_before_its_time() -> None:
    assert fate(story(NOW + 60_000, id="b"), released_copy("b"), NOW, "wire.held") is Fate.HOLD


def test_a_release_from_another_held_topic_is_no_release() -> None:
    back = released_copy("b", held_topic="their.held")
    assert fate(story(None, id="a"), back, NOW, "wire.held") is Fate.GO
    assert sorted(foreign_headers(back.headers, "wire.held")) == [RELEASED, RELEASED_ITEM]


def test_an_item_marked_embargoed_without_a_readable_time_waits_for_an_editor_with_a_reason() -> None:
    note = "Eds: Embargoed until 6 p.m. ET Thursday."
    marked = story(None, signals=("embargoed",), notes=(note,))
    assert fate(marked, MESSAGE, NOW) is Fate.EDITOR and is_held(marked, MESSAGE, NOW)
    record = held_record(MESSAGE, marked, "wire.held", editor_reason(marked))
    assert held_until(record.headers) is None
    assert "6 p.m. ET Thursday" in dict(record.headers)[HELD_REASON].decode()
    assert fate(marked, released_copy("s"), NOW, "wire.held") is Fate.GO  # an editor released it
    assert fate(replace(marked, pubstatus="canceled"), MESSAGE, NOW) is Fate.GO  # a kill is never held


def test_nothing_is_held_without_a_time_or_a_reason() -> None:
    with pytest.raises(ValueError, match="neither"):
        held_record(MESSAGE, story(None), "wire.held")


def test_a_released_message_goes_back_with_the_senders_headers_and_the_release_alone() -> None:
    ledger = HeldLedger()
    record = held_record(with_headers((RELEASED, b"x")), story(NOW + 5, id="b"), "wire.held")
    ledger.apply(Record(record.key, record.value, list(record.headers), 0, 7, NOW))
    (item,) = ledger.items.values()
    assert released_headers(item, "wire.held") == [
        ("agency", b"fp"),
        (RELEASED, b"wire.held:0:7"),
        (RELEASED_ITEM, b"b"),
    ]
    assert item.original_key == b"k" and item.due_ms == NOW + 5


class Record(NamedTuple):
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    partition: int
    offset: int
    timestamp: int


def ledger_of(*records: Record) -> HeldLedger:
    ledger = HeldLedger()
    for record in records:
        ledger.apply(record)
    return ledger


def held(item: Story, offset: int, at: int = NOW) -> Record:
    message = replace(MESSAGE, offset=offset)
    if item.embargoed_until is None:
        out = held_record(message, item, "wire.held", editor_reason(item))
    else:
        out = held_record(message, item, "wire.held")
    return Record(out.key, out.value, list(out.headers), 0, offset, at)


def killed(kill: Story, offset: int, at: int = NOW) -> Record:
    out = kill_notice(replace(MESSAGE, offset=offset), kill, "wire.held")
    return Record(out.key, out.value, list(out.headers), 0, offset, at)


def test_the_ledger_keeps_what_waits_until_its_tombstone_and_never_makes_an_editors_item_due() -> None:
    first, second = held(story(NOW - 10, id="a"), 1), held(story(NOW + 10, id="b"), 2)
    editor = held(story(None, id="c", signals=("embargoed",)), 3)
    ledger = ledger_of(first, second, editor)
    assert [item.item for item in ledger.due(NOW)] == ["a"]
    assert ledger.waiting() == 2
    ledger.apply(first._replace(value=None, headers=[]))  # its tombstone: released
    assert ledger.due(NOW + 60_000) == [ledger.items[second.key]]
    assert ledger.items[editor.key].due_ms is None


def test_a_record_of_a_key_we_do_not_write_waits_for_an_editor() -> None:
    ledger = ledger_of(Record(None, b"old", [(HELD_UNTIL, str(NOW - 1).encode())], 0, 0, NOW))
    (item,) = ledger.items.values()
    assert item.due_ms is None and item.reason and ledger.due(NOW) == []


@pytest.mark.parametrize(
    ("held_item", "kill", "is_killed"),
    [
        ((None, 5), (None, 9), True),  # held before the kill: killed, whatever their versions
        ((3, 5), (2, 9), True),
        ((3, 12), (2, 9), False),  # after the kill, above it: brings the story back
        ((2, 12), (2, 9), True),  # after the kill, not above it: a late copy
        ((None, 12), (2, 9), True),
    ],
)
def test_a_kill_covers_what_came_before_it_and_what_came_after_it_unnumbered_or_no_higher(
    held_item: tuple[int | None, int], kill: tuple[int | None, int], is_killed: bool
) -> None:
    (version, offset), (kill_version, kill_offset) = held_item, kill
    record = held(story(NOW + 5, id="x", family="fam", version=version), offset)
    ledger = ledger_of(record, killed(story(None, id="k", family="fam", version=kill_version), kill_offset))
    assert (ledger.killer(ledger.items[record.key]) is not None) is is_killed


def test_a_kill_that_names_no_agency_covers_its_slugs_story_and_no_other() -> None:
    mine = held(story(NOW + 5, id="a", family="slug:fp:tallmark-bridge"), 1)
    other = held(story(NOW + 5, id="b", family="slug:fp:morkvik-bridge"), 2)
    ledger = ledger_of(mine, other, killed(story(None, id="k", family="slug:tallmark-bridge"), 3))
    assert ledger.killer(ledger.items[mine.key]) is not None
    assert ledger.killer(ledger.items[other.key]) is None


@pytest.mark.parametrize(
    ("configs", "expires"),
    [
        ({"cleanup.policy": "compact", "retention.ms": "604800000"}, False),
        ({"cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "-1"}, False),
        ({"cleanup.policy": "delete", "retention.ms": "604800000", "retention.bytes": "-1"}, True),
        ({"cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "1073741824"}, True),
        ({"cleanup.policy": "compact,delete", "retention.ms": "604800000", "retention.bytes": "-1"}, True),
        ({"retention.ms": "604800000"}, True),  # delete is the broker's default policy
    ],
)
def test_a_held_topic_whose_records_can_expire_is_told_apart(configs: dict[str, str], expires: bool) -> None:
    assert bool(expiry_of(configs)) is expires
