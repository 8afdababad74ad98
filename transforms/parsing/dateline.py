"""Split the dateline (``DEIR AL-BALAH, Gaza Strip (AP) —``) off the lead of a wire story.

A dateline is recognised only in shapes wire services really use, so an ordinary sentence that
starts with capitals is never mistaken for one:

* with an agency in parentheses: ``PLACE[, REGION][, DATE] (AGENCY) <sep>`` where ``<sep>`` is an
  em/en dash, ``-``, ``--``, ``_`` or ``.-``: ``CHATHAM, Mass. (AP) _``, ``Paris (AFP) -``,
  ``LONDON, Nov 24 (Reuters) -``, ``Tegucigalpa, Jan 2 (EFE).-``, ``Oslo (NTB):``, or agency first
  as ANSA writes it: ``(ANSA) - Rome, October 11 -``;
* with an agency and no place, as Reuters and Bloomberg send copy filed away from a bureau:
  ``March 3 (Reuters) -``, ``(Bloomberg) --``; the location is then empty (the record's
  ``location`` is a string: "" is its "no place", which the scorers read as null);
* without an agency only when the place is confirmed by a date (``NEW YORK, March 3 -``,
  ``Toronto, Feb 26 -``), an ALL-CAPS place by a region (``WOODBRIDGE, N.J. -``), or an ALL-CAPS
  city standing alone by an em or en dash (``WASHINGTON —``). A bare ``WASHINGTON -`` with a
  hyphen is left alone: it cannot be told from a headline such as ``OPEC DEAL - ...``.

Every place word must look like part of a proper name (capitalised, or a particle such as ``de``),
with no digits, at most five words: this is what keeps ``U.S. President Joe Biden said - ...`` out.
Section and column labels (``ANALYSIS —``, ``WORLD BRIEFS —``, ``THE LATEST —``) are never places:
see ``labels.py``.

The shape is not enough: a head is a dateline only when the gazetteer knows its place
(``transforms/places``: ``KHAN YOUNIS``, ``ROME, Ga.``, ``UNITED NATIONS``), or its parenthesis
names a news agency we know (``places/agencies.py``, the world's and a newsroom's private ones),
which vouches for a place no gazetteer has (``PORT ELLIS, Norland (FP) —``). So
``Microsoft Corp (MSFT.O) -``, ``Bayern Munich (Germany) -``, ``Beyonce (pictured) -``,
``THE TAKEAWAY —`` and ``CIA, NSA —`` stay in the body. A town too small for the gazetteer is
still read on a dated line in a region it knows (``KILLINGTON, Vt., March 2 -``). The place
found is the dateline's ``geo``.
"""

from __future__ import annotations

import dataclasses
import re

from wirestream.transforms.parsing.labels import FUNCTION_WORDS, NOT_PLACES, is_label
from wirestream.transforms.places.agencies import known_agency
from wirestream.transforms.places.locate import locate
from wirestream.transforms.places.regions import regions_named
from wirestream.transforms.records.story import Dateline

__all__ = ["geocoded", "parse_date", "read_dateline_field", "split_dateline"]

# fmt: off
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
# Words that may appear in lower case inside a place name (Rio de Janeiro, Dar es Salaam).
_PARTICLES = frozenset({
    "de", "da", "do", "dos", "das", "del", "della", "di", "du", "des", "la", "le", "les", "el",
    "al", "am", "an", "der", "den", "im", "on", "upon", "sur", "of", "y", "e", "en", "au", "aux",
    "van", "von", "bei", "es",
})
# fmt: on
_FOREIGN_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "janvier januar enero gennaio janeiro januari",
            "février fevrier februar febrero febbraio fevereiro februari",
            "mars märz maerz marzo março marco maart",
            "avril abril aprile",
            "mai mayo maggio maio mei",
            "juin juni junio giugno junho",
            "juillet juli julio luglio julho",
            "août aout agosto augustus",
            "septembre septiembre setiembre settembre setembro",
            "octobre oktober octubre ottobre outubro",
            "novembre noviembre novembro",
            "décembre decembre dezember diciembre dicembre dezembro",
        ),
        start=1,
    )
    for name in names.split()
}
_AGENCY_WORDS = frozenset({"reuter", "reuters"})
# Editors' one-word notes in parentheses, which have an agency's shape: ``(Recasts) -``.
# fmt: off
_NOTE_WORDS = frozenset({
    "adds", "updates", "recasts", "corrects", "changes", "rewrites", "refiles", "repeats", "fixes",
    "removes", "inserts", "refile", "repeat", "update", "corrected", "updated", "urgent", "advisory",
    "photo", "photos", "video", "graphic", "file", "eds",
})
# Days of the week, which open leads ("Monday, March 3 —") and are never places.
_WEEKDAYS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
})
# fmt: on

# Words no mistyped place holds: function words, and the verbs of a sentence's opening.
_NOT_IN_PLACES = FUNCTION_WORDS | {"THE", "OF", "AS", "SAID", "SAYS", "ON", "SINCE", "UNTIL", "BEFORE", "AFTER"}

# A dateline is at most a few dozen characters; this many of a lead are enough to find one.
_SCAN_CHARS = 300
_SEP = r"(?:\.?-{1,2}|\.?[\u2014\u2013]|_{1,2})"
# ``Reuters``, ``tca/dpa``, ``Reuters Breakingviews``, ``Thomson Reuters Foundation``.
# Letters of any alphabet: ``ČTK``, ``Télam``, ``Agência Brasil``.
_LETTER = r"[^\W\d_]"
_NAME_PART = rf"(?:{_LETTER}|[.&]){{1,15}}"
_AGENCY_WORD = rf"{_LETTER}{_NAME_PART}(?:-{_LETTER}{_NAME_PART})?"  # dpa-AFX, never R-Texas
_AGENCY = rf"{_AGENCY_WORD}(?:/{_AGENCY_WORD}){{0,2}}(?: [A-Z\u00c0-\u00de]{_NAME_PART}){{0,2}}"
# NTB ends it with a colon: "Oslo (NTB): Bystyret ...".
_WITH_AGENCY = re.compile(
    rf"(?P<head>[^()\n]{{1,120}}?)\s*\((?P<agency>{_AGENCY})\)\s*(?P<sep>{_SEP}|:)(?:\s+|$|(?<=[\u2014\u2013]))"
)
# ANSA puts the agency first: "(ANSA) - Rome, October 11 - ".
_AGENCY_FIRST = re.compile(
    rf"\((?P<agency>{_AGENCY})\)\s*(?:-{{1,2}}|[\u2014\u2013])\s*(?P<head>[^()\n]{{1,120}}?)\s+(?P<sep>{_SEP})(?:\s+|$)"
)
# The dash must stand free (spaces around it, or right after a digit) so WILKES-BARRE stays whole.
# Bloomberg and others with no place at all: "(Bloomberg) -- ".
_AGENCY_ONLY = re.compile(rf"(?P<head>)\((?P<agency>{_AGENCY})\)\s*(?P<sep>{_SEP})(?:\s+|$)")
_WITHOUT_AGENCY = re.compile(
    r"(?P<head>[^()\n]{1,120}?)(?:\s+|(?<=\d)|(?=[\u2014\u2013]))"
    r"(?P<sep>-{1,2}|[\u2014\u2013]|_{1,2})(?:\s+|$|(?<=[\u2014\u2013]))"
)
_DATE_TEXT = r"(?:[^\W\d_]{3,10}\.?\s*\d{1,2}|\d{1,2}\.?\s+[^\W\d_]{3,10}\.?)(?:,?\s+(?:19|20)\d\d)?"
# "CHEVY CHASE, Md., - March 4 - ..." : a date between two dashes still belongs to the dateline.
_DATE_THEN_SEP = re.compile(rf"(?P<date>{_DATE_TEXT})(?:\s*,?\s*Reuters?)?\s*(?:-{{1,2}}|[\u2014\u2013])(?:\s+|$)")
_DATE_MD = re.compile(r"([^\W\d_]{3,10})\.?\s*(\d{1,2})(?:\s*,?\s*(?:19|20)\d\d)?")
_DATE_DM = re.compile(r"(\d{1,2})\.?\s*([^\W\d_]{3,10})\.?(?:\s*,?\s*(?:19|20)\d\d)?")
_TRAILING_DATE = re.compile(rf"(?P<place>.*?\S)[\s,]+(?P<date>{_DATE_TEXT})")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PLACE_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[.'\u2019&/-])*")


def split_dateline(text: str, *, label_first: bool = True) -> tuple[Dateline | None, str]:
    """Return the dateline at the start of ``text`` (or None) and the text that follows it.

    ``raw`` is the dateline as written, separator included, trailing space excluded. When no
    dateline is found the text comes back unchanged, so callers never lose words. ``label_first``:
    a dateline may follow one section label (``ANALYSIS — WASHINGTON (AP) —``).
    """
    lead = text.lstrip()
    offset = len(text) - len(lead)
    # Only the lead's first characters are read, so the patterns' cost is bounded whatever follows
    # (a run of spaces after "NEW YORK - March 3" made them quadratic); a match that runs into the
    # cut is not a dateline, since it only ended there because the text was cut.
    cut = len(lead) > _SCAN_CHARS
    lead_start = lead[:_SCAN_CHARS]
    patterns = ((_WITH_AGENCY, True), (_AGENCY_FIRST, True), (_AGENCY_ONLY, True), (_WITHOUT_AGENCY, False))
    for pattern, has_agency in patterns:
        match = pattern.match(lead_start)
        if match is None or (cut and match.end() == len(lead_start)):
            continue
        end = match.end()
        head = match.group("head")
        if not has_agency:
            extra = _DATE_THEN_SEP.match(lead_start, end)
            if extra is not None and not (cut and extra.end() == len(lead_start)):
                head = f"{head}, {extra.group('date')}"
                end = extra.end()
        agency = match.group("agency") if has_agency else None
        if pattern is _AGENCY_FIRST and _head_parts(head) in (None, ([head.strip()], None)):
            continue  # ANSA's place comes with a date: "(Bloomberg) -- Goldman Sachs Inc -" is no dateline
        dateline = _read_head(head, agency, lead[:end].rstrip())
        if dateline is not None:
            return dateline, text[offset + end :].lstrip()
    return _after_label(text, offset) if label_first else (None, text)


# A section or column label before a dash, as it opens a lead: `ANALYSIS — `, `WORLD BRIEFS -- `.
_LABEL_LEAD = re.compile(r"(?P<label>[A-Za-z][\w&'’ ]{0,40}?)\s*(?:—|–|--|-)\s+")


def _after_label(text: str, offset: int) -> tuple[Dateline | None, str]:
    """``ANALYSIS — WASHINGTON (AP) — …``: the dateline after a label, its ``raw`` keeping the label
    (so no word is lost); else no dateline and the text unchanged."""
    match = _LABEL_LEAD.match(text, offset)
    if match is None or not is_label(match.group("label")):
        return None, text
    dateline, rest = split_dateline(text[match.end() :], label_first=False)  # one label, not a chain
    if dateline is None:
        return None, text
    return dataclasses.replace(dateline, raw=f"{text[offset : match.end()]}{dateline.raw}"), rest


def read_dateline_field(text: str) -> Dateline | None:
    """A dateline given in a field of its own (NITF ``<dateline>``, NewsML ``DateLine``).

    The field says it is a dateline, so a place needs no agency or date to confirm it:
    ``Houston, Texas`` and ``FORT WASHINGTON, Pa.`` are read as they stand, ``London (dpa) -``
    as in a lead. None when the text names no place (a timestamp, a code).
    """
    text = " ".join(text.split())
    if not text:
        return None
    dateline, rest = split_dateline(text)
    if dateline is not None and not rest:
        return dateline
    dateline, rest = split_dateline(f"{text} -")  # "Strasbourg, 10 juil 2024 (AFP)": no dash
    if dateline is not None and not rest:
        return dataclasses.replace(dateline, raw=text)
    parts = _head_parts(text.rstrip(" -_\u2014\u2013"))
    if parts is not None:
        places, date = parts
        if places and len(places) <= 3 and all(_is_place(p) for p in places):
            location, region = places[0], ", ".join(places[1:]) or None
            located = locate(location, region)
            geo = located.geo if located else None
            return Dateline(raw=text, location=location, region=region, date=date, geo=geo)
    return None


def geocoded(dateline: Dateline) -> Dateline:
    """``dateline`` with the ``geo`` of its location and region, as they now stand (after a merge
    with a format's own dateline field, or a ``located`` standing in for the place)."""
    located = locate(dateline.location, dateline.region) if dateline.location else None
    return dataclasses.replace(dateline, geo=located.geo if located else None)


def parse_date(text: str) -> tuple[int, int] | None:
    """(month, day) for ``Nov 24``, ``Oct. 19``, ``2 March``, ``Aug 29, 2014``; None otherwise.

    Months may be any 3+ letter prefix in any case (``FEb``, ``Sept``), or a full name with one
    typo (``Narch``), because the wire's are.
    """
    text = text.strip(" ,.")
    if m := _DATE_MD.fullmatch(text):
        month, day = _month_number(m.group(1), foreign=True), int(m.group(2))
    elif m := _DATE_DM.fullmatch(text):
        month, day = _month_number(m.group(2), foreign=True), int(m.group(1))
    else:
        return None
    if month is None or not 1 <= day <= 31:
        return None
    return month, day


def _month_number(word: str, *, foreign: bool = False) -> int | None:
    """The month a word names: English (any 3+ letter prefix, or one typo in a full name), and
    with ``foreign`` also French, German, Spanish, Italian, Portuguese and Dutch names and their
    unambiguous prefixes (``juil``, ``März``, ``dic``): foreign ones only next to a day number,
    so a place such as County Mayo is never read as a month."""
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    for number, name in enumerate(_MONTHS, start=1):
        if name.startswith(word):
            return number
    if foreign:
        numbers = {number for name, number in _FOREIGN_MONTHS.items() if name.startswith(word)}
        if len(numbers) == 1:
            return numbers.pop()
    if len(word) >= 5:  # one typo in a full name: "Narch 2"
        for number, name in enumerate(_MONTHS, start=1):
            if _one_edit_apart(word, name):
                return number
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _read_head(head: str, agency: str | None, raw: str) -> Dateline | None:
    """Turn ``DEIR AL-BALAH, Gaza Strip`` (+ agency) into a Dateline, or None if it is no place.

    The head must name a place the gazetteer knows, or its parenthesis an agency we know
    (``places/agencies.py``); a parenthesis we do not know may still be an agency after a known
    place (``NEW YORK (HealthDay News) --``), but never a caption, a country or a ticker."""
    if agency is not None and agency.lower() in _NOTE_WORDS:
        return None
    parts = _head_parts(head)
    if parts is None:
        return None
    places, date = parts
    known = agency is not None and known_agency(agency) is not None
    if agency is not None and not known and not _may_be_an_agency(agency):
        return None  # "Beyonce (pictured) -", "Bayern Munich (Germany) -", "Microsoft Corp (MSFT.O) -"
    if not places and known:  # "March 3 (Reuters) -", "(Bloomberg) --": no place
        return Dateline(raw=raw, location=None, agency=agency, date=date)
    if not places or len(places) > 3 or not all(_is_place(p, case_typos=date is not None) for p in places):
        return None
    if len(places) == 1 and date is None and is_label(places[0]):
        return None  # "NEWS ANALYSIS —", "WORLD BRIEFS (AP) —": a section label
    if agency is not None and _is_acronym_of(agency, head):
        return None  # "The International Monetary Fund (IMF) —": a name and its initials, no agency
    location = places[0]
    region = ", ".join(places[1:]) or None
    if agency is None and not _confirmed_without_agency(location, region, date, raw.endswith(("\u2014", "\u2013"))):
        return None
    located = locate(location, region)
    if located is None and not known and not _town_in_a_known_region(region, date):
        return None  # "THE TAKEAWAY —", "CIA, NSA —": no place we know, and no agency to vouch for one
    geo = located.geo if located else None
    return Dateline(raw=raw, location=location, region=region, agency=agency, date=date, geo=geo)


def _town_in_a_known_region(region: str | None, date: str | None) -> bool:
    """``KILLINGTON, Vt., March 2 -``, ``Scarborough, Ontario, Feb 26 -``: a town too small (or too
    misspelt, or too merged into a city) for the gazetteer, in a region it knows, on a dated
    line: a dateline with no ``geo``."""
    return date is not None and region is not None and bool(regions_named(region))


def _may_be_an_agency(text: str) -> bool:
    """An agency we do not know may still be one (``HealthDay News``, ``KGO``), but a caption word
    (``pictured``), a place or country (``Germany``, ``R-Texas``) or a ticker (``MSFT.O``) is none."""
    if not text[:1].isupper() or any(ch.isdigit() or ch in ".:" for ch in text.rstrip(".")):
        return False
    parts = [part for part in re.split(r"[-/]", text) if part.strip()]
    return not any(regions_named(part) or locate(part) for part in parts)


def _head_parts(head: str) -> tuple[list[str], str | None] | None:
    """Split a dateline head on commas into places and at most one date; None if unreadable."""
    parts = [p.strip() for p in head.split(",")]
    parts = [p for p in parts if p.strip(" .") and p.lower().rstrip(".") not in _AGENCY_WORDS]
    places: list[str] = []
    dates: list[list[str]] = []  # each date as its comma-separated parts, joined once at the end
    previous_was_date = False
    for index, part in enumerate(parts):
        is_date = True
        if previous_was_date and _YEAR.fullmatch(part):
            dates[-1].append(part)  # "Aug 29, 2014"
        elif parse_date(part) or (index > 0 and part.rstrip(".").isalpha() and _month_number(part)):
            dates.append([part])
        elif (trailing := _trailing_date(part, first=index == 0)) is not None:
            places.append(trailing[0])  # "RICHMOND, Va. Feb 26"
            dates.append([trailing[1]])
        elif any(ch.isdigit() for ch in part):
            return None
        else:
            places.append(part)
            is_date = False
        previous_was_date = is_date
    if len(dates) > 1:
        return None
    return places, (", ".join(dates[0]) if dates else None)


def _trailing_date(part: str, *, first: bool) -> tuple[str, str] | None:
    """``Va. Feb 26`` -> (``Va.``, ``Feb 26``); in the first part only after capitals, so that
    ``As of April 7`` is not read as a place."""
    match = _TRAILING_DATE.fullmatch(part)
    if match is None or parse_date(match.group("date")) is None:
        return None
    place = match.group("place").strip()
    if first and not _mostly_upper(place):
        return None
    return place, match.group("date")


def _is_place(text: str, *, case_typos: bool = False) -> bool:
    """True for a capitalised name of at most five words: ``ELK GROVE VILLAGE``, ``N.J.``; never a
    weekday, nor a label made only of label words (``WORLD BRIEFS``; ``LIVE OAK`` is a place).

    With ``case_typos`` (a date confirms the dateline) a place of up to three words may be
    mistyped in lower case, as the wire's are: ``New york, March 2 -``, ``sioux falls, Feb 26 -``;
    never with a function word (``As of``, ``the``), so a sentence stays a sentence."""
    words = text.split()
    if not 1 <= len(words) <= 5 or not (words[0][:1].isupper() or case_typos):
        return False
    if words[0].lower() in _WEEKDAYS or all(w.upper() in NOT_PLACES for w in words):
        return False
    lenient = case_typos and len(words) <= 3 and not any(w.upper() in _NOT_IN_PLACES for w in words)
    for word in words:
        if not _PLACE_WORD.fullmatch(word):
            return False
        if not word[:1].isupper() and word.lower() not in _PARTICLES and not lenient:
            return False
    return sum(ch.isalpha() for ch in text) >= 2


def _confirmed_without_agency(location: str, region: str | None, date: str | None, em_dash: bool) -> bool:
    """Without ``(AP)`` a place needs a date, or capitals plus a region written like one, or
    (a city standing alone) capitals and an em or en dash: ``WASHINGTON —``, never ``BREAKING —``."""
    if date is not None:
        return True
    if region is None and em_dash:
        words = location.split()
        return (
            len(words) <= 4
            and location.isupper()
            and "." not in location
            and sum(ch.isalpha() for ch in location) >= 4
            and not any(w in NOT_PLACES for w in words)
        )
    if region is None or not _mostly_upper(location):
        return False
    # "WOODBRIDGE, N.J." or "CONWAY, Ark." - not "CHRYSLER, AMC TALKS" (a headline), nor
    # "NASA, SpaceX" (two names: a region has no capitals inside its words).
    if region.endswith(".") or len(region.replace(".", "")) <= 3:
        return True
    return not _mostly_upper(region) and all(not any(ch.isupper() for ch in word[1:]) for word in region.split())


def _is_acronym_of(agency: str, head: str) -> bool:
    """``IMF`` of ``The International Monetary Fund``: the initials of the head's capitalised words."""
    initials = "".join(word[0] for word in head.split() if word[:1].isupper() and word.lower() not in ("the", "a"))
    letters = agency.replace(".", "").replace("&", "")
    return len(letters) >= 2 and letters.upper() == initials.upper() and not _mostly_upper(head)


def _mostly_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
