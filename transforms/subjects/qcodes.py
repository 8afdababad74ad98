"""One spelling for a subject's code, whatever the format wrote: ``<scheme>:<code>``.

IPTC's vocabularies are ``subj`` (Subject NewsCodes) and ``medtop`` (Media Topics) whether an item
names them by alias (``subj:15008000``), by URI (``http://cv.iptc.org/newscodes/subjectcode/15008000``)
or, as NITF, NewsML 1.2 and ninjs 1.x do, by a bare 8-digit code. ANPA's category letter is
``anpa-category`` under each alias agencies give it (AP's ``apcategorycode``, Reuters's
``a1312cat``). Any other vocabulary keeps the item's own alias; one named only by a URI keeps
the URI, which is itself ``<scheme>:<code>``.
"""

from __future__ import annotations

import re

__all__ = ["ANPA_CATEGORY", "MEDTOP", "SUBJ", "qcode_of"]

SUBJ = "subj"
MEDTOP = "medtop"
ANPA_CATEGORY = "anpa-category"

# Scheme URIs whose codes belong to a vocabulary we know under one alias (compared in lower case,
# with or without the trailing slash or an https scheme).
_SCHEME_URIS = {
    "cv.iptc.org/newscodes/subjectcode": SUBJ,
    "cv.iptc.org/newscodes/mediatopic": MEDTOP,
    # AP's own taxonomy: its NewsML-G2 items spell the same concepts ``apsubject:<id>``.
    "cv.ap.org/id": "apsubject",
}
# Aliases of those vocabularies (any case) → ours.
_ALIASES = {
    "subj": SUBJ,
    "subjectcode": SUBJ,
    "iptc": SUBJ,
    "medtop": MEDTOP,
    "mediatopic": MEDTOP,
    "anpa-category": ANPA_CATEGORY,
    "apcategorycode": ANPA_CATEGORY,
    "a1312cat": ANPA_CATEGORY,
}
_IPTC_CODE = re.compile(r"[0-9]{8}")
_ALIAS = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,63}")
_URI = re.compile(r"https?://(.{1,200})/([^/]{1,100})/?", re.I)
_MAX_CHARS = 300  # a code longer than this is a broken feed, not a subject


def qcode_of(value: object, *, scheme: object = None) -> str | None:
    """The qcode of a subject the item names by ``value`` (a qcode, a URI or a bare code), in
    ``scheme`` (an alias or a scheme URI) when the item gives one apart; None when it cannot be told
    which vocabulary the code belongs to (a bare code of no known scheme) or the value is no code."""
    if not isinstance(value, str) or not (text := value.strip()) or len(text) > _MAX_CHARS or " " in text:
        return None
    if isinstance(scheme, str) and scheme.strip():
        alias = _scheme_alias(scheme.strip())
        return _spelled(alias, text) if alias else None
    if uri := _URI.fullmatch(text):
        alias = _SCHEME_URIS.get(uri.group(1).lower().removeprefix("www."))
        return _spelled(alias, uri.group(2)) if alias else text
    alias, colon, code = text.partition(":")
    if colon and code and _ALIAS.fullmatch(alias):
        return _spelled(_ALIASES.get(alias.lower(), alias), code)
    return _spelled(SUBJ, text) if _IPTC_CODE.fullmatch(text) else None


def _scheme_alias(scheme: str) -> str | None:
    """Our alias for a scheme given apart: a known URI or alias, else the alias as written."""
    if uri := re.fullmatch(r"https?://(.{1,200}?)/?", scheme, re.I):
        return _SCHEME_URIS.get(uri.group(1).lower().removeprefix("www."))
    return _ALIASES.get(scheme.lower(), scheme) if _ALIAS.fullmatch(scheme) else None


def _spelled(alias: str, code: str) -> str | None:
    """``alias:code``, the category letter in lower case (``S`` and ``s`` are one category)."""
    code = code.strip()
    if not code or len(code) > _MAX_CHARS:
        return None
    return f"{alias}:{code.lower() if alias == ANPA_CATEGORY else code}"
