"""The latest-version rule behind wire.latest: newer replaces, older waits out, a kill takes down."""

from __future__ import annotations

from typing import Any

import pytest
from apache_beam.pvalue import TaggedOutput

from wirestream.transforms.encoding import avro
from wirestream.transforms.encoding.outputs import story_records
from wirestream.transforms.newsroom.latest import Action, LatestTable, Placement, Seen
from wirestream.transforms.records import ids
from wirestream.transforms.records.output import LATEST_STORY_ID
from wirestream.transforms.records.story import Source, Story, WireMessage
from wirestream.transforms.settings import Topics
from wirestream.transforms.step6_encode import LATEST, EncodeFn


def story(
    version: int | None,
    *,
    family: str = "fam",
    pubstatus: str = "usable",
    supersedes: str | None = None,
    offset: int | None = None,
) -> Story:
    return Story(
        id=f"{family}:v{version}" if version is not None else f"{family}:text",
        family_id=family,
        version=version,
        pubstatus=pubstatus,
        supersedes=supersedes,
        format="NINJS",
        source=Source(topic="wire.raw", partition=0, offset=offset),
        paragraphs=["A ferry ran aground."],
    )


def place(table: LatestTable, story: Story) -> Placement:
    """Decide the story's place and commit it, as the encode stage does once its records are made."""
    placement = table.decide(story)
    table.commit(placement)
    return placement


def places(table: LatestTable, *stories: Story) -> list[tuple[str, str | None, str]]:
    return [(p.action.value, p.supersedes, p.why) for p in (place(table, story) for story in stories)]


def test_each_newer_version_replaces_the_one_before_and_names_it() -> None:
    assert places(LatestTable(), story(1), story(2), story(3)) == [
        ("write", None, "new"),
        ("write", "fam:v1", "newer"),
        ("write", "fam:v2", "newer"),
    ]


def test_an_older_version_arriving_late_keeps_the_latest() -> None:
    table = LatestTable()
    assert places(table, story(1), story(3), story(2))[-1] == ("keep", None, "older")
    assert table.get("fam") == Seen("fam:v3", 3)


def test_an_unnumbered_original_is_older_than_its_numbered_write_throughs() -> None:
    assert places(LatestTable(), story(1), story(None))[-1] == ("keep", None, "older")
    assert places(LatestTable(), story(None), story(1))[-1] == ("write", "fam:text", "newer")


def test_a_kill_writes_a_tombstone_and_only_a_newer_version_brings_the_family_back() -> None:
    table = LatestTable()
    assert places(table, story(2), story(3, pubstatus="canceled"), story(2), story(3), story(4)) == [
        ("write", None, "new"),
        ("tombstone", "fam:v2", "killed"),
        ("keep", None, "after-kill"),
        ("keep", None, "after-kill"),
        ("write", "fam:v3", "newer"),
    ]


def test_a_kill_of_a_family_never_seen_is_still_a_tombstone() -> None:
    assert places(LatestTable(), story(None, pubstatus="canceled")) == [("tombstone", None, "killed")]


def test_withheld_items_leave_the_latest_alone() -> None:
    table = LatestTable()
    assert places(table, story(1), story(2, pubstatus="withheld")) == [
        ("write", None, "new"),
        ("keep", None, "withheld"),
    ]
    assert table.get("fam") == Seen("fam:v1", 1)


def test_a_repeat_of_the_latest_is_kept_not_rewritten() -> None:
    assert places(LatestTable(), story(1), story(1))[-1] == ("keep", None, "repeat")


def test_what_the_item_says_it_supersedes_wins_over_what_was_seen() -> None:
    assert places(LatestTable(), story(1), story(2, supersedes="fam:v0"))[-1] == ("write", "fam:v0", "newer")


def test_families_are_apart() -> None:
    assert places(LatestTable(), story(5, family="a"), story(1, family="b")) == [
        ("write", None, "new"),
        ("write", None, "new"),
    ]


@pytest.mark.parametrize(("pubstatus", "value_is_story"), [("usable", True), ("canceled", False)])
def test_the_latest_record_is_keyed_by_family_and_carries_the_story_id(pubstatus: str, value_is_story: bool) -> None:
    one = story(2, pubstatus=pubstatus)
    placement = place(LatestTable({"fam": Seen("fam:v1", 1)}), one)
    records = story_records(one, stories_topic="s", latest_topic="latest", placement=placement)
    (latest,) = [r for r in records if r.topic == "latest"]
    assert latest.key == b"fam"
    assert (latest.value == records[0].value) is value_is_story and (latest.value is None) is not value_is_story
    assert dict(latest.headers)[LATEST_STORY_ID] == b"fam:v2"
    assert one.supersedes == "fam:v1"


def test_a_story_that_keeps_the_latest_writes_nothing_there() -> None:
    one = story(1)
    placement = place(LatestTable({"fam": Seen("fam:v2", 2)}), one)
    assert placement.action is Action.KEEP
    assert [r.topic for r in story_records(one, stories_topic="s", latest_topic="latest", placement=placement)] == ["s"]


def test_arrival_is_read_from_the_offsets_not_from_the_order_stories_are_placed_in() -> None:
    """The enrich stage may finish a later story first: an ANPA original, its 1st Ld and an
    unversioned kill, placed kill first, still end killed; and of two unnumbered versions the one
    sent later wins whatever came back first."""
    table = LatestTable()
    kill = story(None, pubstatus="canceled", offset=7)
    assert places(table, story(None, offset=1), kill, story(1, offset=2))[1:] == [
        ("tombstone", "fam:text", "killed"),
        ("keep", None, "after-kill"),
    ]
    table = LatestTable()
    later, earlier = story(None, family="t", offset=9), story(None, family="t", offset=4)
    earlier = Story(**{**vars(earlier), "id": "t:first"})
    assert places(table, later, earlier) == [("write", None, "new"), ("keep", None, "older")]


def test_a_decided_placement_changes_the_table_only_once_committed() -> None:
    table = LatestTable()
    placement = table.decide(story(1))
    assert len(table) == 0 and table.decide(story(1)).why == "new"
    table.commit(placement)
    assert table.get("fam") == Seen("fam:v1", 1)
    table.commit(table.decide(story(1)))  # a repeat keeps the latest: nothing to remember
    assert table.get("fam") == Seen("fam:v1", 1)


def test_a_story_that_fails_to_encode_leaves_its_family_as_the_topic_has_it() -> None:
    fn = EncodeFn(Topics(stories="s", latest="l"))
    fn.setup()

    def encode(one: Story) -> list[Any]:
        message = WireMessage(topic="wire.raw", partition=0, offset=0, timestamp_ms=1, key=None, value=b"")
        return list(fn.process((message, one)))

    def latest_of(out: list[Any]) -> Any:
        return next((o.value for o in out if isinstance(o, TaggedOutput) and o.tag == LATEST), None)

    assert dict(latest_of(encode(story(1))).headers)[LATEST_STORY_ID] == b"fam:v1"
    (dead_letter,) = encode(story(2**40))  # a version Avro's int cannot hold: nothing of it is written
    assert dead_letter.value.reason == "unencodable"
    v3 = latest_of(encode(story(3)))
    assert v3 is not None, "v3 was placed as older than the version that failed to encode"
    assert dict(v3.headers)[LATEST_STORY_ID] == b"fam:v3"
    assert avro.decode(v3.value)["supersedes"] == "fam:v1"  # not the version that never went out


def test_a_correction_of_the_current_version_replaces_it_and_a_repeat_after_it_does_not() -> None:
    table = LatestTable()
    corrected = story(3, offset=5)
    corrected.signals = ["correction"]
    assert places(table, story(3, offset=1), corrected, story(3, offset=9)) == [
        ("write", None, "new"),
        ("write", None, "corrected"),  # the same id: it names no other record
        ("keep", None, "repeat"),
    ]
    assert table.get("fam") == Seen("fam:v3", 3, position=("wire.raw", 0, 5))


def test_a_correction_with_its_own_id_names_the_record_it_replaces() -> None:
    table = LatestTable()
    first = Story(**{**vars(story(2, offset=1)), "id": "sha1:first"})
    fixed = Story(**{**vars(story(2, offset=2)), "id": "sha1:fixed", "signals": ["correction"]})
    assert places(table, first, fixed) == [("write", None, "new"), ("write", "sha1:first", "corrected")]


def test_a_correction_of_an_older_version_or_sent_before_it_keeps_the_latest() -> None:
    old = story(2, offset=8)
    old.signals = ["correction"]
    assert places(LatestTable(), story(3, offset=1), old)[-1] == ("keep", None, "older")
    early = story(3, offset=1)
    early.signals = ["correction"]
    assert places(LatestTable(), story(3, offset=5), early)[-1] == ("keep", None, "repeat")


def test_a_kill_keeps_the_highest_version_its_family_had_so_a_repeat_of_it_stays_down() -> None:
    table = LatestTable()
    kill = story(2, pubstatus="canceled", offset=3)
    assert places(table, story(1, offset=1), story(3, offset=2), kill, story(3, offset=4), story(4, offset=5)) == [
        ("write", None, "new"),
        ("write", "fam:v1", "newer"),
        ("tombstone", "fam:v3", "killed"),
        ("keep", None, "after-kill"),
        ("write", "fam:v2", "newer"),
    ]


def test_a_kill_without_a_version_is_undone_by_a_numbered_version_above_what_the_family_had() -> None:
    kill = story(None, pubstatus="canceled", offset=2)
    assert places(LatestTable(), story(1, offset=1), kill, story(1, offset=3), story(2, offset=4))[2:] == [
        ("keep", None, "after-kill"),
        ("write", "fam:text", "newer"),
    ]
    kill = story(None, pubstatus="canceled", offset=2)
    assert places(LatestTable(), story(None, offset=1), kill, story(1, offset=3))[-1] == (
        "write",
        "fam:text",
        "newer",
    )


def test_what_a_placement_keeps_is_what_a_tombstone_must_carry() -> None:
    table = LatestTable()
    place(table, story(5))
    assert table.decide(story(2, pubstatus="canceled")).kept_version == 5
    assert table.decide(story(7, pubstatus="canceled")).kept_version == 7
    assert table.decide(story(1)).kept_version is None  # kept as it was: nothing to carry


@pytest.mark.parametrize(
    ("story_family", "kill_family"),
    [
        ("slug:fp:tallmark-bridge", "slug:tallmark-bridge"),  # the kill has neither trailer nor dateline
        ("slug:tallmark-bridge", "slug:fp:tallmark-bridge"),  # the story had neither
    ],
)
def test_a_kill_finds_its_story_by_slug_whichever_of_the_two_names_the_agency(
    story_family: str, kill_family: str
) -> None:
    table = LatestTable()
    kill = story(None, family=kill_family, pubstatus="canceled", offset=2)
    assert places(table, story(None, family=story_family, offset=1), kill)[-1] == ("tombstone", f"{story_family}:text",
                                                                                  "killed")  # fmt: skip
    assert kill.family_id == story_family  # its records carry the family the table knows
    assert table.get(story_family).canceled and table.get(kill_family) is None


def test_a_kill_naming_no_agency_guesses_nothing_when_two_agencies_share_the_slug() -> None:
    table = LatestTable()
    place(table, story(1, family="slug:fp:harbour"))
    place(table, story(1, family="slug:vt:harbour"))
    kill = story(None, family="slug:harbour", pubstatus="canceled")
    assert place(table, kill).family_id == "slug:harbour"
    assert not table.get("slug:fp:harbour").canceled and not table.get("slug:vt:harbour").canceled


def test_two_agencies_with_the_same_slug_are_two_families() -> None:
    table = LatestTable()
    place(table, story(1, family="slug:fp:harbour"))
    assert place(table, story(1, family="slug:vt:harbour", pubstatus="canceled")).family_id == "slug:vt:harbour"
    assert not table.get("slug:fp:harbour").canceled


def test_the_same_text_sent_for_two_slug_stories_gets_two_ids_whatever_the_agency_says() -> None:
    kill_a = ids.text_story_id("sha1:boilerplate", "slug:fp:valmora-tram")
    kill_b = ids.text_story_id("sha1:boilerplate", "slug:kestrel-dock")
    assert kill_a != kill_b
    assert kill_a == ids.text_story_id("sha1:boilerplate", "slug:valmora-tram")  # with or without its trailer
    assert ids.text_story_id("sha1:x", "sha1:x") == "sha1:x"  # no slug: the hash is its own family
