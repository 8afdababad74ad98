"""Read who wrote a story: bylines at the top (``By PAUL BYRNE`` / ``AP Sports Writer``) and
contributor taglines after the closing ``___`` rule (``Magdy reported from Cairo.``).

Both are strict on purpose: a name must look like a personal name (or a desk such as ``The
Associated Press`` or any agency's ``Fictional Press staff``), otherwise nothing is returned,
because a wrong credit is worse than none.

"By" is read in the agencies' languages: ``By``, German ``Von``, French ``Par``, Spanish ``Por``,
Italian ``di``, Dutch ``Door``, Norwegian ``Av``, Danish ``Af``. Some of those words also open a
headline (``Di Maio Quits Government``, ``Von Trapp Heirs Sell Villa``, ``Door Opens For Talks``),
so a line of the story that opens with one of them, capitalised, is a byline only with something
that says so: an affiliation after a comma (``Von Christian Hollmann, dpa``), a title line under
it, or the word in lower case as bylines write it (``di Mario Rossi``). A byline the format gives in
a field of its own (``parse_byline``) needs no such support: the field says what it is.
"""

from __future__ import annotations

import re

from wirestream.transforms.records.story import Byline, Contributor

__all__ = ["is_credit_line", "parse_byline", "parse_bylines", "parse_tagline"]

# "By" in the languages of the agencies we read (English, German, French, Spanish, Italian, Dutch,
# Norwegian/Swedish).
_BY = re.compile(
    r"(?P<word>By|BY|Par|PAR|par|Por|POR|por|Von|VON|von|Di|DI|di|Door|DOOR|door|Av|AV|av|Af|AF|af)\s+(?P<rest>\S.*)"
)
# "By" words that also open headlines (a surname particle, an English word): capitalised, they need support.
_AMBIGUOUS_BY = frozenset({"Von", "VON", "Di", "DI", "Door", "DOOR", "Av", "AV", "Af", "AF"})
_NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+|und\s+|et\s+|y\s+)?|\s+(?:and|und|et|y|&)\s+")
# In a byline set in capitals the conjunction is in capitals too: "By PAUL BYRNE AND ANA RUIZ".
_CAPITALS_SEPARATORS = re.compile(r"\s*,\s*(?:AND\s+|UND\s+|ET\s+|Y\s+)?|\s+(?:AND|UND|ET|Y|&)\s+")
# fmt: off
_PARTICLES = frozenset({
    "de", "da", "do", "dos", "das", "del", "della", "di", "du", "des", "la", "le", "van", "von",
    "der", "den", "ter", "ten", "al", "el", "bin", "ibn", "ben", "abu", "y", "e",
})
_NAME_WORD = re.compile(r"(?:[A-Za-z]{1,3}['\u2019])?[^\W\d_](?:[^\W\d_]|['\u2019.-])*")
_NOT_NAMES = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i",
    "you", "his", "her", "their", "our", "its", "in", "on", "at", "for", "and", "but", "or", "if",
    "when", "after", "before", "as", "with", "from", "to", "of", "by", "officials", "police",
    "authorities",
})
_MONTHS_AND_DAYS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
})
_AGENCIES = frozenset({
    "ap", "afp", "dpa", "reuters", "efe", "ansa", "aap", "pa", "apa", "sda", "ats", "ntb", "stt",
    "tt", "ritzau", "xinhua", "kyodo", "upi", "cnn", "bloomberg", "tass", "anp", "belga",
})
# A headline in title case capitalises its small words ("By Land And Sea"); a name never has them.
_TITLE_CASE_SMALL_WORDS = frozenset({
    "And", "Or", "But", "Of", "The", "In", "On", "At", "To", "For", "With", "From", "Into", "Over",
    "After", "Before", "Against", "Amid", "As", "Is", "Are", "Was", "Says", "Say", "Not", "Und",
    "Der", "Die", "Das", "Im", "Zu", "Mit", "Für", "Et", "Le", "Les", "Pour", "Avec", "Sur",
})
# fmt: on
_TITLE_WORDS = re.compile(
    r"\b(?:Writer|Correspondent|Editor|Reporter|Columnist|Critic|Analyst|Staff|Bureau|Chief|"
    r"Press|News|Newspaper|Times|Post|Tribune|Journal|Herald|Agency|Service|Contributor|"
    r"Producer|Photographer|Journalist|Redakteur|Korrespondent)s?\b",
    re.IGNORECASE,
)
# A desk credit: an agency (one we know, or a name that ends in an organisation word), or any
# capitalised name with a staff word (``Northwire staff``).
_ORGANISATION = (
    r"(?:(?i:Associated\s+Press|AP|Reuters|AFP|dpa)|(?:[A-Z][\w&.'\u2019-]*\s+){0,3}"
    r"(?:Press|Presse|News|Nachrichten|Agency|Agence|Agencia|Agenzia|Wire|Service|Media|Bureau|Newsroom|Desk))"
)
_STAFF = r"(?i:staff|correspondents?|reporters?|writers?)"
_DESK = re.compile(rf"(?:(?i:the)\s+)?(?:{_ORGANISATION}(?:\s+{_STAFF})?|(?:[A-Z][\w&.'\u2019-]*\s+){{1,4}}{_STAFF})")

# "<agency> writer(s)" before the names: the agency is any capitalised name (``Fictional Press``).
_CREDIT_PREFIX = re.compile(
    r"(?:(?:The\s+)?(?:(?-i:[A-Z0-9][\w&.'\u2019-]*)\s+){1,4})?(?:staff\s+)?"
    r"(?:news\s+)?(?:writers?|reporters?|journalists?|correspondents?|contributors?|"
    r"photographers?|videojournalists?|video\s+journalists?|researchers?|producers?)\s+",
    re.IGNORECASE,
)
_AP_TAGLINE = re.compile(
    r"(?P<names>.+?)\s+(?P<role>reported|contributed|helped|wrote|compiled|researched)"
    r"(?:\s+(?:to|with)\s+this\s+(?:report|story|article)|\s+reporting|\s+this\s+report)?"
    r"(?:\s+from\s+(?P<location>.+?))?"
)
_ROLE_BY = re.compile(
    r"(?P<role>(?:additional\s+)?(?:reporting|writing|editing|research|compiled|graphics?|"
    r"production))\s+by\s+(?P<names>.+)",
    re.IGNORECASE,
)
_CONTRIBUTING = re.compile(r"Contributing:\s*(?P<names>.+)", re.IGNORECASE)


def parse_bylines(lines: list[str]) -> tuple[list[Byline], int]:
    """Bylines at the top of ``lines`` and how many lines (leading blanks included) they used.

    ``By PAUL BYRNE and ALMUDENA CALATRAVA`` + ``Associated Press`` gives two bylines sharing
    that title. Returns ``([], 0)`` when the first non-blank line is no byline, so callers can
    always slice ``lines[used:]``.
    """
    bylines: list[Byline] = []
    index = used = 0
    while index < len(lines):
        line = _clean_line(lines[index])
        if not line:
            index += 1
            continue
        match = _BY.fullmatch(line)
        names = parse_byline(match.group("rest")) if match else []
        if not names:
            break
        title = _clean_line(lines[index + 1]) if index + 1 < len(lines) else ""
        has_title = _is_title_line(title)
        if match and match.group("word") in _AMBIGUOUS_BY and not has_title and not any(b.title for b in names):
            break  # "Di Maio Quits Government": a headline, unless something says byline
        index += 1
        if has_title:
            names = [Byline(b.name, b.title or title) for b in names]
            index += 1
        bylines.extend(names)
        used = index
    return bylines, used


def parse_byline(text: str, *, given: bool = False) -> list[Byline]:
    """One byline as written, with or without ``By``: ``Von Christian Hollmann, dpa``.

    A trailing affiliation after a comma (``dpa``, ``The San Diego Union-Tribune``) becomes the
    title. Returns [] unless every name in it looks like a real name or a news desk: a whole name
    (given name and surname) in a line of the story; in a byline the format ``given`` in a field of
    its own, a one-word name too (``Peter and Jane``), since the field already says it is a credit.
    """
    text = _clean_line(text)
    if match := _BY.fullmatch(text):
        text = match.group("rest")
    text = text.strip(" ,;")
    if not text:
        return []
    if _DESK.fullmatch(text):
        return [Byline(name=text)]  # "By The Associated Press"
    title = None
    head, _, last = text.rpartition(",")
    if head and _is_title(last.strip()):
        text, title = head, last.strip()
    elif " / " in text:  # "Geir Molnes / Faktisk.no": the outlet after a slash
        head, _, last = text.rpartition(" / ")
        text, title = head, last.strip() or None
    if not text.isupper() and any(word in _TITLE_CASE_SMALL_WORDS for word in text.split()):
        return []  # a headline: "By Land And Sea"
    names = _split_names(text)
    looks_right = _looks_like_name if given else _looks_like_byline_name
    if not names or not all(looks_right(n) for n in names):
        return []
    return [Byline(name=n, title=title) for n in names]


def parse_tagline(line: str) -> list[Contributor]:
    """Contributors named in one tagline; [] when the line is not a tagline.

    Reads the AP form (``Associated Press writers Jane Doe in Paris and John Roe in Rome
    contributed to this report.``, ``Magdy reported from Cairo.``), the Reuters form
    (``Reporting by X; Editing by Y``) and ``Contributing: X in Paris``. ``role`` is the verb as
    written (``reported``, ``contributed``, ``reporting``...); ``raw`` is the whole line.
    """
    raw = line.strip()
    text = raw.strip("()").rstrip(".").strip()
    if not text or len(text) > 400:
        return []
    if _ROLE_BY.match(text):
        return _reuters_credits(text, raw)
    if match := _CONTRIBUTING.fullmatch(text):
        return _credits(match.group("names"), "contributed", None, raw)
    if match := _AP_TAGLINE.fullmatch(text):
        names = _CREDIT_PREFIX.sub("", match.group("names"), count=1)
        location = match.group("location")
        if location is not None and not _looks_like_place(location):
            return []
        return _credits(names, match.group("role"), location, raw)
    return []


def is_credit_line(line: str) -> bool:
    """A credit line that names itself as one (``(Reporting by X; Editing by Y)``, ``Contributing:
    X in Paris``), so it closes a story with or without a ``___`` rule before it."""
    text = line.strip().strip("()").strip()
    return bool(_ROLE_BY.match(text) or _CONTRIBUTING.fullmatch(text.rstrip("."))) and bool(parse_tagline(line))


def _reuters_credits(text: str, raw: str) -> list[Contributor]:
    contributors: list[Contributor] = []
    for segment in text.split(";"):
        match = _ROLE_BY.fullmatch(segment.strip())
        if match is None:
            return []
        found = _credits(match.group("names"), match.group("role").lower(), None, raw)
        if not found:
            return []
        contributors.extend(found)
    return contributors


def _credits(names: str, role: str, location: str | None, raw: str) -> list[Contributor]:
    """``Jane Doe in Paris and John Roe in Rome`` -> contributors; [] if any name is doubtful."""
    people: list[tuple[str, str | None]] = []
    for piece in _split_names(names):
        name, _, place = piece.partition(" in ")
        name, place = name.strip(), place.strip() or None
        if place is None and people and people[-1][1] and len(name.split()) == 1:
            people[-1] = (people[-1][0], f"{people[-1][1]}, {name}")  # "in Tel Aviv, Israel"
            continue
        if not _looks_like_name(name) or (place is not None and not _looks_like_place(place)):
            return []
        people.append((name, place))
    return [Contributor(name=name, role=role, location=place or location, raw=raw) for name, place in people]


def _split_names(text: str) -> list[str]:
    separators = _CAPITALS_SEPARATORS if text.isupper() else _NAME_SEPARATORS
    return [p.strip() for p in separators.split(text.strip()) if p and p.strip()]


def _looks_like_byline_name(text: str) -> bool:
    """A whole name: a given name and a surname, where a tagline may use a surname alone.

    So ``BY LAND AND SEA`` (two one-word "names") and ``Von der Leyen Visits Kyiv`` (a name that
    starts with a particle, read after the German ``Von``) are headlines, not bylines.
    """
    words = text.split()
    if len(words) < 2 or words[0] in _PARTICLES:
        return False
    return _looks_like_name(text)


def _looks_like_name(text: str) -> bool:
    """1-5 capitalised words (particles such as ``de`` or ``al`` allowed): ``Frances d'Emilio``."""
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 60:
        return False
    if words[0].lower() in _NOT_NAMES or any(w.lower() in _MONTHS_AND_DAYS for w in words):
        return False
    capitalised = 0
    for word in words:
        if not _NAME_WORD.fullmatch(word):
            return False
        if word.lower() in _PARTICLES:
            continue
        core = re.sub(r"^[A-Za-z]{1,3}['\u2019]", "", word)
        if not core[:1].isupper():
            return False
        capitalised += 1
    return capitalised >= 1 and words[-1].lower() not in _PARTICLES


def _looks_like_place(text: str) -> bool:
    """``Cairo``, ``Tel Aviv, Israel``, ``Cairo and Jerusalem`` - capitalised, short, no digits."""
    parts = [p.strip() for p in text.split(",")]
    return 1 <= len(parts) <= 3 and all(
        p
        and len(p.split()) <= 5
        and not any(ch.isdigit() for ch in p)
        and all(w[:1].isupper() or w in _PARTICLES or w == "and" for w in p.split())
        for p in parts
    )


def _is_title(text: str) -> bool:
    """An affiliation or job title: ``AP Sports Writer``, ``Associated Press``, ``dpa``."""
    if not text or len(text) > 60 or len(text.split()) > 8:
        return False
    if text.lower().strip(".") in _AGENCIES or _DESK.fullmatch(text):
        return True
    return bool(_TITLE_WORDS.search(text)) and text[:1].isupper()


def _is_title_line(line: str) -> bool:
    return bool(line) and not line.endswith(".") and "(" not in line and _is_title(line)


def _clean_line(line: str) -> str:
    """One space between words, without the ``=``/``<`` end-of-line marks that ANPA and IPTC 7901 leave.

    Squeezing the spaces first also keeps every pattern here linear: a run of spaces that no
    separator follows would otherwise be rescanned from each of its positions.
    """
    return " ".join(line.split()).rstrip("=<").rstrip()
