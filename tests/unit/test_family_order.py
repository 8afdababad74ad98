"""A story never leaves the enrich stage before an earlier story of its own family; others need not wait."""

from __future__ import annotations

from wirestream.transforms.newsroom.family_order import FamilyOrder


def test_a_later_version_that_finishes_first_waits_for_the_one_before() -> None:
    order: FamilyOrder[str] = FamilyOrder()
    v1, v2 = order.take("ferry"), order.take("ferry")
    assert order.finish(v2, ["ferry v2"]) == []
    assert order.finish(v1, ["ferry v1"]) == ["ferry v1", "ferry v2"]
    assert len(order) == 0


def test_another_family_leaves_as_soon_as_it_is_finished() -> None:
    order: FamilyOrder[str] = FamilyOrder()
    slow, other = order.take("ferry"), order.take("lighthouse")
    assert order.finish(other, ["lighthouse"]) == ["lighthouse"]
    assert len(order) == 1
    assert order.finish(slow, ["ferry"]) == ["ferry"]


def test_every_output_of_a_story_leaves_with_it_and_a_gap_holds_back_only_what_follows_it() -> None:
    order: FamilyOrder[str] = FamilyOrder()
    tickets = [order.take("ferry") for _ in range(4)]
    assert order.finish(tickets[0], ["v1", "v1 dead letter"]) == ["v1", "v1 dead letter"]
    assert order.finish(tickets[2], ["v3"]) == []
    assert order.finish(tickets[3], ["v4"]) == []
    assert order.finish(tickets[1], ["v2"]) == ["v2", "v3", "v4"]
    assert len(order) == 0


def test_a_family_seen_again_after_it_emptied_starts_afresh() -> None:
    order: FamilyOrder[str] = FamilyOrder()
    assert order.finish(order.take("ferry"), ["v1"]) == ["v1"]
    assert order.finish(order.take("ferry"), ["v2"]) == ["v2"]


def test_a_kill_that_names_no_agency_never_overtakes_its_story_which_does() -> None:
    order: FamilyOrder[str] = FamilyOrder()
    story, kill = order.take("slug:fp:tallmark-bridge"), order.take("slug:tallmark-bridge")
    assert order.finish(kill, ["kill"]) == []
    assert order.finish(story, ["story"]) == ["story", "kill"]


def test_stories_of_other_slugs_and_guids_do_not_wait() -> None:
    order: FamilyOrder[str] = FamilyOrder()
    first, other, guid = order.take("slug:fp:tallmark-bridge"), order.take("slug:morkvik"), order.take("urn:x")
    assert order.finish(other, ["other"]) == ["other"] and order.finish(guid, ["guid"]) == ["guid"]
    assert order.finish(first, ["first"]) == ["first"] and len(order) == 0
