"""Embargo times as editors write them in notes: ``Embargoed until 2026-12-01T18:00Z``,
``EMBARGOED UNTIL 0001 GMT Dec. 2, 2026``, ``Not for publication before 18:00 GMT on 1 December
2026``, ``Sperrfrist 1. Dezember 2026, 18.00 Uhr MEZ``.

A time is read only when the note gives all of it: a date with its year, a time of day and a
zone with a fixed offset (``Z``, ``UTC``/``GMT``, ``+01:00``, ``MEZ``/``CET``, ``EST``...). A
weekday (``Thursday``), a date without a year, a time without a zone, or an ambiguous zone
(``CST``, ``BST``, ``IST``) are not guessed at: the story is then ``embargoed`` with no time, and
the pipeline treats it as usable. Given the time zone of the dateline's place, a local time
(``embargoed until 0600 local``, ``Sperrfrist 10.00 Uhr``) is read there, and an ambiguous
abbreviation when it is that zone's own. Each phrase is read in a bounded window after its opening
words, so a note costs time linear in its length.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["read_embargo"]

# The words that open an embargo time; the time must follow within _WINDOW characters.
_OPENING = re.compile(
    r"\b(?:embargo(?:ed)?\s*(?::|until\b|till\b|to\b|before\b)|sperrfrist\b|"
    r"not\s+for\s+(?:publication|release|broadcast|use)\s+(?:before|until)\b|"
    r"(?:adv(?:ance)?\s+)?for\s+release\s+(?:at\b|on\b|after\b)?)",
    re.I,
)
_WINDOW = 80
_MAX_OPENINGS = 8  # a note is short; a text of a thousand "embargo"s is not read a thousand times
_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,9})?)?"
    r"\s*(Z|UTC|GMT|[+-][0-9]{2}:?[0-9]{2})\b",
    re.I,
)
# Offsets in hours of the zones wire copy names that mean one thing only.
_ZONES = {"Z": 0, "UTC": 0, "GMT": 0, "MEZ": 1, "CET": 1, "MESZ": 2, "CEST": 2}
_ZONES |= {"EST": -5, "EDT": -4, "PST": -8, "PDT": -7, "WEZ": 0, "WET": 0}
_ZONE = r"(Z|UTC|GMT|MESZ|MEZ|CEST|CET|EST|EDT|PST|PDT|WEZ|WET|[+-][0-9]{2}:?[0-9]{2})\b"
_CLOCK = re.compile(
    r"\b([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(?:(a\.?\s?m\.?|p\.?\s?m\.?)|Uhr)?\s*"
    + _ZONE
    + r"|\b([01][0-9]|2[0-3])([0-5][0-9])\s*"
    + _ZONE,
    re.I,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "januar", "january"),
            ("feb", "februar", "february"),
            ("mar", "march", "m\u00e4rz", "maerz"),
            ("apr", "april"),
            ("may", "mai"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "okt", "october", "oktober"),
            ("nov", "november"),
            ("dec", "dez", "december", "dezember"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"([A-Za-z\u00e4]{3,9})\.?"
_DATE = re.compile(
    rf"\b{_MONTH}\s+([0-9]{{1,2}}),?\s+([0-9]{{4}})\b"  # Dec. 2, 2026
    rf"|\b([0-9]{{1,2}})\.?\s+{_MONTH}\s+([0-9]{{4}})\b"  # 1 December 2026, 1. Dezember 2026
    r"|\b([0-9]{4})-([0-9]{2})-([0-9]{2})(?:\b|(?=T))"  # 2026-12-01, 2026-12-01T18:00
)


def read_embargo(text: str, zone: str | None = None, *, after_ms: int | None = None) -> int | None:
    """Epoch milliseconds (UTC) of the first embargo in ``text`` whose time is fully given.

    ``zone`` (the dateline's IANA zone, ``Europe/Berlin``) is where a time given without a zone,
    or as ``local``, is read (``embargoed until 0600 local``, ``Sperrfrist 10.00 Uhr``), and an
    ambiguous abbreviation only when it is that zone's own (``CST`` in ``America/Chicago``). A
    local time without a date is the first such time after ``after_ms`` (when the item was sent);
    without it, no time is read.
    """
    for count, opening in enumerate(_OPENING.finditer(text)):
        if count == _MAX_OPENINGS:
            break
        window = text[opening.end() : opening.end() + _WINDOW]
        moment = _iso(window) or _spelled(window) or (_local(window, zone, after_ms) if zone else None)
        if moment is not None:
            return int(moment.timestamp() * 1000)
    return None


_LOCAL_WORDS = r"(?:local(?:\s+time)?|lokal(?:e\s+Zeit)?|Ortszeit|heure\s+locale|hora\s+local|ora\s+locale)"
# A time of day with no fixed zone: "18:00", "10.00 Uhr", "6 a.m. CST", "0600 local" (four digits
# only before "local" or "Uhr", so a year is never a time).
_LOCAL_CLOCK = re.compile(
    r"(?:\b|(?<=T))([01]?[0-9]|2[0-3])[:.]([0-5][0-9])\s*(a\.?\s?m\.?|p\.?\s?m\.?|Uhr|h\b)?"
    r"|\b(1[0-2]|0?[1-9])\s*(a\.?\s?m\.?|p\.?\s?m\.?)"
    rf"|\b([01][0-9]|2[0-3])([0-5][0-9])\s*(?:Uhr\b|{_LOCAL_WORDS})",
    re.I,
)
# Days named without a date: which one is meant is a guess.
_DAY_WORDS = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\btomorrow\b|\btonight\b|"
    r"\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|morgen|heute)\b|"
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|lunes|martes|mi[eé]rcoles|jueves|"
    r"viernes|s[aá]bado|domingo|ma[nñ]ana)\b",
    re.I,
)
# What may follow the time: "local", or a zone's abbreviation.
_AFTER_CLOCK = re.compile(rf"\s*(?:(?i:{_LOCAL_WORDS})\b|([A-Z]{{2,5}})\b)?")


def _local(window: str, zone: str, after_ms: int | None) -> datetime | None:
    """The first time of day in ``window``, read in ``zone`` (or in the fixed zone it names), on
    the date it gives or else the first such time after ``after_ms``."""
    try:
        place = ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        return None
    clock = _LOCAL_CLOCK.search(window)
    if clock is None:
        return None
    time_of_day = _time_of_day(clock)
    if time_of_day is None:
        return None
    named = _AFTER_CLOCK.match(window, clock.end()).group(1)
    where = _offset(named) if named and named.upper() in _ZONES else place
    date = _DATE.search(window)
    if date is not None:
        day = _date(date)
        try:
            moment = datetime(*day, *time_of_day, tzinfo=where) if day else None
        except ValueError:
            moment = None
    elif after_ms is not None and not _DAY_WORDS.search(window):
        sent = datetime.fromtimestamp(after_ms / 1000, UTC).astimezone(where)
        moment = sent.replace(hour=time_of_day[0], minute=time_of_day[1], second=0, microsecond=0)
        if moment < sent:
            moment = (moment + timedelta(days=1)).replace(hour=time_of_day[0], minute=time_of_day[1])
    else:
        moment = None
    if moment is None or (named and where is place and named.upper() != (moment.tzname() or "").upper()):
        return None  # "18:00 CST" in a story from Berlin: not Berlin's zone, and not one we vouch for
    return moment.astimezone(UTC)


def _time_of_day(clock: re.Match[str]) -> tuple[int, int] | None:
    if clock.group(1):
        hour, minute, meridiem = int(clock.group(1)), int(clock.group(2)), clock.group(3) or ""
    elif clock.group(4):
        hour, minute, meridiem = int(clock.group(4)), 0, clock.group(5)
    else:
        hour, minute, meridiem = int(clock.group(6)), int(clock.group(7)), ""
    if meridiem[:1].lower() in ("a", "p"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem[:1].lower() == "p" else 0)
    return hour, minute


def _iso(window: str) -> datetime | None:
    match = _ISO.search(window)
    if not match:
        return None
    year, month, day, hour, minute = (int(match.group(n)) for n in range(1, 6))
    return utc_moment(year, month, day, hour, minute, int(match.group(6) or 0), match.group(7))


def _spelled(window: str) -> datetime | None:
    """A time with its zone and a date with its year, in either order (AP and dpa differ)."""
    clock, date = _CLOCK.search(window), _DATE.search(window)
    if not clock or not date:
        return None
    if clock.group(5):  # 0001 GMT
        hour, minute, zone = int(clock.group(5)), int(clock.group(6)), clock.group(7)
    else:
        hour, minute, zone = int(clock.group(1)), int(clock.group(2) or 0), clock.group(4)
        meridiem = (clock.group(3) or "").lower()
        if meridiem:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
        elif clock.group(2) is None:
            return None  # "18 GMT": a bare number is no time of day
    year_month_day = _date(date)
    return utc_moment(*year_month_day, hour, minute, 0, zone) if year_month_day else None


def _date(match: re.Match[str]) -> tuple[int, int, int] | None:
    if match.group(1):
        month, day, year = _MONTHS.get(match.group(1).lower()), match.group(2), match.group(3)
    elif match.group(4):
        day, month, year = match.group(4), _MONTHS.get(match.group(5).lower()), match.group(6)
    else:
        year, month, day = match.group(7), int(match.group(8)), match.group(9)
    return (int(year), month, int(day)) if month else None


def utc_moment(year: int, month: int, day: int, hour: int, minute: int, second: int, zone: str) -> datetime | None:
    """The moment in UTC, for a zone that means one offset (``Z``, ``GMT``, ``MEZ``, ``EST``, ``+01``,
    ``+0100``, ``+01:00``); None for an impossible date or offset, or a zone we cannot vouch for.

    Decoders read their formats' ISO times with it too (``formats._fields.epoch_millis``).
    """
    try:
        offset = _offset(zone)
        if offset is None:
            return None
        return datetime(year, month, day, hour, minute, second, tzinfo=offset).astimezone(UTC)
    except (ValueError, OverflowError):  # 31 February, 25:00, an offset of a day, past year 9999
        return None


def _offset(zone: str) -> timezone | None:
    name = zone.upper()
    if name in _ZONES:
        return timezone(timedelta(hours=_ZONES[name]))
    digits = name.replace(":", "")
    if len(digits) in (3, 5) and digits[0] in "+-" and digits[1:].isdigit():
        sign = -1 if digits[0] == "-" else 1
        return timezone(sign * timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5] or 0)))
    return None
