"""Field values that every format writes in its own way, read one way: versions, urgency,
publishing status, times, IPTC signal codes, and a NewsML 1.2 identifier without its revision.

Each reader is strict: a value it cannot vouch for is None (or no signal), never a guess, and
never an exception, whatever a hostile feed sends. Each looks at a bounded prefix of its input.
"""

from __future__ import annotations

import re

from wirestream.transforms.parsing.embargo_notes import utc_moment
from wirestream.transforms.records.signals import CANCELED, USABLE, WITHHELD

__all__ = [
    "AP_PRIORITY_URGENCY",
    "MAX_VERSION",
    "epoch_millis",
    "iptc_signals",
    "pubstatus",
    "revision_guid",
    "urgency_number",
    "version_number",
]

# AP's priority letters (ANPA's selector line, the Media API's ``editorialpriority``) on IPTC's
# urgency scale, in AP's order: flash, bulletin, urgent, routine (AP's own items pair "r" with
# urgency 4), deferred. Other letters (``a``, ``s``...) are not priorities we can vouch for.
AP_PRIORITY_URGENCY = {"f": 1, "b": 2, "u": 3, "r": 4, "d": 5}

# The Avro ``int`` the record keeps it in.
MAX_VERSION = 2**31 - 1
# IPTC publishing status codes (NewsML-G2 ``stat:``, ninjs, NITF, NewsML 1.2 ``Status``), any case;
# British ``cancelled`` is the same status.
_PUBSTATUSES = {"usable": USABLE, "withheld": WITHHELD, "canceled": CANCELED, "cancelled": CANCELED}
_PUBSTATUS_CODE = re.compile(r"(?:stat:|https?://cv\.iptc\.org/newscodes/pubstatusg2/)?([a-z]+)/?", re.I)
# IPTC signal NewsCodes (cv.iptc.org/newscodes/signal/) that name one of our signals; ``cwarn``
# (a content warning) and providers' own codes (AP ``apsig:``, Reuters ``edStat:``) name none.
_IPTC_SIGNALS = {"update": "update", "correction": "correction"}
_SIGNAL_CODE = re.compile(r"(?:sig:|https?://cv\.iptc\.org/newscodes/signal/)?([a-z]+)/?", re.I)
# An ISO 8601 date and time with its zone, extended (``2026-12-01T18:00:00Z``) or basic
# (``20131020T192751+1100``, NITF's ``norm``). A time without a zone is not guessed at.
_ISO_TIME = re.compile(
    r"\s*([0-9]{4})(-?)([0-9]{2})\2([0-9]{2})[T ]([0-9]{2})(?::?([0-9]{2}))(?::?([0-9]{2})(?:[.,][0-9]{1,9})?)?"
    r"\s*(Z|[+-][0-9]{2}(?::?[0-9]{2})?)\s*",
    re.I,
)
_TIME_MAX = 64  # characters; any real timestamp is shorter


def version_number(value: object) -> int | None:
    """A version as a whole number (``3``, ``"3"``, ``" 3 "``); None for anything else.

    Only ASCII digits count (``"①"`` and ``"²"`` pass ``str.isdigit`` but are no version), and only
    values the record can hold: a version of a thousand digits is a broken feed, not version 10^999.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_VERSION)):
            return None
        value = int(text)
    if isinstance(value, int) and 0 <= value <= MAX_VERSION:
        return value
    return None


def urgency_number(value: object, *, lowest: int = 9) -> int | None:
    """IPTC urgency 1 (most urgent) to ``lowest`` from ``4``, ``"4"`` or ``4.0``; None otherwise.

    The caller passes its format's own bottom (NITF's ``ed-urg`` stops at 8): a value off the
    format's scale is a broken field, and its urgency is unknown rather than clamped.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = version_number(value)
    return number if number is not None and 1 <= number <= lowest else None


def pubstatus(value: object) -> str | None:
    """``usable``, ``withheld`` or ``canceled`` from a bare code, a ``stat:`` qcode or IPTC's URI;
    None for anything else (the parser then takes the story as usable)."""
    if not isinstance(value, str):
        return None
    match = _PUBSTATUS_CODE.fullmatch(value.strip()[:_TIME_MAX])
    return _PUBSTATUSES.get(match.group(1).lower()) if match else None


def iptc_signals(codes: list[object]) -> list[str]:
    """Our signal names for the IPTC signal codes among ``codes`` (``sig:update``, a URI, or a bare
    ``correction``), in order and once each; other codes and non-strings give nothing."""
    found: list[str] = []
    for code in codes:
        match = _SIGNAL_CODE.fullmatch(code.strip()[:_TIME_MAX]) if isinstance(code, str) else None
        name = _IPTC_SIGNALS.get(match.group(1).lower()) if match else None
        if name and name not in found:
            found.append(name)
    return found


def epoch_millis(value: object) -> int | None:
    """Epoch milliseconds (UTC) of an ISO 8601 date-time that gives its zone; None otherwise."""
    if not isinstance(value, str) or len(value) > _TIME_MAX:
        return None
    match = _ISO_TIME.fullmatch(value)
    if match is None:
        return None
    year, _, month, day, hour, minute, second, zone = match.groups()
    moment = utc_moment(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), zone)
    return int(moment.timestamp() * 1000) if moment else None


def revision_guid(identifier: str | None, revision: int | None) -> str | None:
    """A NewsML 1.2 ``PublicIdentifier`` without its ``:<RevisionId>`` (``urn:newsml:…:FP0412:2`` at
    revision 2 → ``urn:newsml:…:FP0412``), so that every revision shares one family id.

    Only NewsML 1.2 says its identifier ends in the revision; no other format's guid is cut, since
    ``urn:…:story:1`` at version 1 may be a story's whole name, and cutting it would give two
    stories one family. An identifier that does not end in its own revision is kept whole.
    """
    if identifier is None or revision is None:
        return identifier
    suffix = f":{revision}"
    if identifier.endswith(suffix) and len(identifier) > len(suffix):
        return identifier[: -len(suffix)]
    return identifier
