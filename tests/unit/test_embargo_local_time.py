"""Embargo times given in local time (``embargoed until 0600 local``, ``Sperrfrist 10.00 Uhr``),
read in the time zone of the dateline's place (``parsing/embargo_notes.py``, ``dateline.geo``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wirestream.transforms.parsing.dateline import split_dateline
from wirestream.transforms.parsing.embargo_notes import read_embargo


def _ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso).astimezone(UTC).timestamp() * 1000)


SENT = _ms("2026-03-03T04:00:00+00:00")  # a Tuesday, 05:00 in Berlin, 09:30 in Delhi


@pytest.mark.parametrize(
    ("note", "zone", "iso"),
    [
        ("Embargoed until 0600 local", "Asia/Kolkata", "2026-03-04T00:30:00+00:00"),  # 06:00 is past: tomorrow's
        ("Sperrfrist 10.00 Uhr", "Europe/Berlin", "2026-03-03T09:00:00+00:00"),
        ("Sperrfrist 10.00 Uhr MEZ", "Europe/Berlin", "2026-03-03T09:00:00+00:00"),  # its own zone, named
        ("EMBARGOED UNTIL 0600 LOCAL", "Asia/Kolkata", "2026-03-04T00:30:00+00:00"),
        ("Embargoed until 6 a.m. local time", "America/New_York", "2026-03-03T11:00:00+00:00"),
        ("Sperrfrist 1. Dezember 2026, 18.00 Uhr", "Europe/Berlin", "2026-12-01T17:00:00+00:00"),
        ("Embargoed until 2026-12-01T18:00", "Europe/London", "2026-12-01T18:00:00+00:00"),
        ("Embargoed until 18:00 CST Dec. 1, 2026", "America/Chicago", "2026-12-02T00:00:00+00:00"),  # its own CST
        ("EMBARGOED UNTIL 0001 GMT Dec. 2, 2026", "Asia/Tokyo", "2026-12-02T00:01:00+00:00"),  # a zone given wins
    ],
)
def test_a_local_time_is_read_in_the_datelines_zone(note: str, zone: str, iso: str) -> None:
    assert read_embargo(note, zone, after_ms=SENT) == _ms(iso)


@pytest.mark.parametrize(
    ("note", "zone", "after_ms"),
    [
        ("Embargoed until 0600 local", None, SENT),  # no dateline zone: local to whom?
        ("Sperrfrist 10.00 Uhr", "Europe/Berlin", None),  # no date and no time sent: which day?
        ("Embargoed until 6 a.m. local Thursday", "America/New_York", SENT),  # a weekday is a guess
        ("Sperrfrist 10.00 Uhr morgen", "Europe/Berlin", SENT),
        ("Embargoed until 18:00 CST Dec. 1, 2026", "Europe/Berlin", SENT),  # not Berlin's zone
        ("Embargoed until 2026", "Europe/Berlin", SENT),  # a year is no time of day
        ("Embargoed until 0600 local", "Nowhere/Atlantis", SENT),
    ],
)
def test_what_cannot_be_placed_in_time_stays_unread(note: str, zone: str | None, after_ms: int | None) -> None:
    assert read_embargo(note, zone, after_ms=after_ms) is None


def test_the_zone_comes_from_the_dateline() -> None:
    dateline, _ = split_dateline("Köln (dpa) - Die Stadt plant eine Brücke.")
    assert dateline is not None and dateline.geo is not None and dateline.geo.timezone == "Europe/Berlin"
    assert read_embargo("Sperrfrist 10.00 Uhr", dateline.geo.timezone, after_ms=SENT) == _ms("2026-03-03T09:00Z")


def test_a_story_s_local_embargo_is_read_in_its_dateline_s_zone() -> None:
    """Through the parse stage's own functions: the note's time is Berlin's, because the dateline is."""
    from wirestream.transforms import flow
    from wirestream.transforms.records.story import Source
    from wirestream.transforms.settings import Limits

    lead = "BERLIN (dpa) - The council voted on Tuesday to close the old harbour bridge for repairs, officials said."
    for note, expected in (
        ("Eds: Embargoed until 10:00 local Dec. 9, 2026.", "2026-12-09T09:00:00+00:00"),  # CET: UTC+1
        ("Eds: Embargoed until 10:00 local June 9, 2026.", "2026-06-09T08:00:00+00:00"),  # CEST: UTC+2
    ):
        (story,) = flow.stories_of(f"{note}\n\n{lead}\n".encode(), Source(path="x"), limits=Limits())
        assert story.dateline is not None and story.dateline.geo is not None
        assert datetime.fromtimestamp(story.embargoed_until / 1000, UTC).isoformat() == expected
        assert "embargoed" in story.signals
