"""The newsroom's fields of a story: family, urgency, status, embargo and signals.

The decoder gives what the format's own fields say (``WireItem.urgency``, ``pubstatus``, ...);
the text adds what editors write in marker places (``parsing/markers.py``): editor's notes and
keyword-line parts (``Kill``, ``1st Ld-Writethru``, ``Eds: Corrects ...``), slugline parts
(``BC-Advisory``) and a leading headline marker (``FLASH``, ``KILL``), never the story's own
words. Embargo times come from the notes (``parsing/embargo_notes.py``). A kill or withdrawal makes
the story canceled whatever the format's status said. A family without a guid is keyed by slug
and agency: the envelope's (``WireItem.agency``) before the dateline's, normalised alike by
``records.ids``.
"""

from __future__ import annotations

from dataclasses import dataclass

from wirestream.transforms.parsing.embargo_notes import read_embargo
from wirestream.transforms.parsing.markers import headline_marks, marker_urgency, note_signals, slug_signals
from wirestream.transforms.records import ids
from wirestream.transforms.records.signals import CANCELED, PUBSTATUSES, RETRACTIONS, SIGNALS, USABLE
from wirestream.transforms.records.story import Dateline, WireItem

__all__ = ["Newsroom", "newsroom_fields", "read_embargo"]


@dataclass(frozen=True)
class Newsroom:
    family_id: str
    urgency: int | None
    pubstatus: str
    embargoed_until: int | None
    signals: list[str]


def newsroom_fields(
    item: WireItem, notes: list[str], headline: str | None, dateline: Dateline | None, story_id: str
) -> Newsroom:
    """What the format and the text say, together; ``story_id`` (the text's hash, for an item with
    neither guid nor slugline) is the family of last resort.

    The format's own urgency and embargo win over the text's: they are fields, the text is read.
    """
    marks = [*item.editor_notes, *notes]
    signals = set(item.signals) | slug_signals(item.slugline)
    for mark in marks:
        signals |= note_signals(mark)
    headline_signals, headline_urgency = headline_marks(headline)
    signals |= headline_signals
    embargoed_until = item.embargoed_until
    if embargoed_until is None:
        # A time without a zone is the dateline's local time; one without a date, the next after the item was sent.
        zone = dateline.geo.timezone if dateline is not None and dateline.geo is not None else None
        sent = item.version_created or item.first_created
        embargoed_until = next(filter(None, (read_embargo(mark, zone, after_ms=sent) for mark in marks)), None)
    if embargoed_until is not None:
        signals.add("embargoed")
    urgency = item.urgency
    if urgency is None:
        urgency = next(filter(None, map(marker_urgency, marks)), headline_urgency)
    pubstatus = item.pubstatus if item.pubstatus in PUBSTATUSES else USABLE
    if signals & RETRACTIONS:
        pubstatus = CANCELED
    # The envelope's agency first: every version and the kill share it, where the dateline may be
    # missing (kills rarely have one) or a member paper's (``(vt/fp)``).
    agency = item.agency or (dateline.agency if dateline else None)
    family = item.guid or ids.family_from_slug(item.slugline, agency) or story_id
    return Newsroom(
        family_id=family,
        urgency=urgency,
        pubstatus=pubstatus,
        embargoed_until=embargoed_until,
        signals=[name for name in SIGNALS if name in signals],  # in the set's order, known names only
    )
