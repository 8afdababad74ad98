"""Embargoes: held as the input message with its time, released once, never held twice."""

from __future__ import annotations

from wirestream.transforms.newsroom.embargo import (
    HELD_UNTIL,
    RELEASED,
    held_format,
    held_record,
    held_until,
    is_held,
    released,
)
from wirestream.transforms.records.story import Source, Story, WireMessage

NOW = 1_800_000_000_000
MESSAGE = WireMessage("wire.raw", 2, 41, NOW - 5, b"k", b"<raw bytes>", (("agency", b"fp"),))


def story(embargoed_until: int | None) -> Story:
    return Story(
        id="s",
        family_id="s",
        format="NINJS",
        source=Source(),
        paragraphs=["p"],
        embargoed_until=embargoed_until,
    )


def test_only_an_embargo_still_ahead_holds() -> None:
    assert is_held(story(NOW + 1), MESSAGE, NOW)
    assert not is_held(story(NOW), MESSAGE, NOW)
    assert not is_held(story(NOW - 1), MESSAGE, NOW)
    assert not is_held(story(None), MESSAGE, NOW)


def test_a_held_story_waits_as_its_input_message_with_its_time() -> None:
    record = held_record(MESSAGE, story(NOW + 60_000), "wire.held")
    assert (record.topic, record.key, record.value) == ("wire.held", b"k", b"<raw bytes>")
    assert held_until(record.headers) == NOW + 60_000
    assert held_format(record.headers) == "NINJS"
    assert ("agency", b"fp") in record.headers  # the sender's headers travel with it
    assert record.source_timestamp_ms == MESSAGE.timestamp_ms


def test_a_released_message_is_never_held_again_whatever_the_clock_says() -> None:
    held = held_record(MESSAGE, story(NOW + 60_000), "wire.held")
    headers = released(held.headers, "wire.held:0:7")
    assert HELD_UNTIL not in dict(headers) and dict(headers)[RELEASED] == b"wire.held:0:7"
    assert ("agency", b"fp") in headers
    back = WireMessage("wire.raw", 0, 99, NOW, b"k", b"<raw bytes>", tuple(headers))
    assert not is_held(story(NOW + 60_000), back, NOW)


def test_a_held_message_without_a_readable_time_is_due_at_once() -> None:
    assert held_until([(HELD_UNTIL, b"soon")]) is None
    assert held_until([]) is None
