"""Language tags as items write them, reduced to the code a story records: ``de-DE`` → ``de``.

A tag's primary subtag (BCP 47), in lower case. Some feeds send ISO 639-2's three-letter codes
(``ger``, ``deu``, ``fre``) or codes ISO has withdrawn (``iw``, ``in``): each reads as its ISO 639-1
code, so one language has one code whatever the feed. ``und``, ``mul``, ``mis`` and ``zxx`` declare
no language. ``kin`` tells the languages a character-level detector cannot be trusted to tell apart.
"""

from __future__ import annotations

import re

__all__ = ["kin", "primary_subtag"]

# BCP 47's special codes: undetermined, multiple languages, uncoded, no linguistic content.
NO_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})
WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
# ISO 639-1 code, then its ISO 639-2 codes (terminology, then bibliographic where it differs).
_ISO_639_2 = """
af afr, am amh, ar ara, as asm, az aze, ba bak, be bel, bg bul, bn ben, bo bod tib, br bre, bs bos,
ca cat, cs ces cze, cy cym wel, da dan, de deu ger, el ell gre, en eng, eo epo, es spa, et est,
eu eus baq, fa fas per, fi fin, fo fao, fr fra fre, fy fry, ga gle, gd gla, gl glg, gu guj, ha hau,
he heb, hi hin, hr hrv, ht hat, hu hun, hy hye arm, id ind, ig ibo, is isl ice, it ita, ja jpn,
jv jav, ka kat geo, kk kaz, km khm, kn kan, ko kor, ku kur, ky kir, la lat, lb ltz, lg lug, ln lin,
lo lao, lt lit, lv lav, mg mlg, mk mkd mac, ml mal, mn mon, mr mar, ms msa may, mt mlt, my mya bur,
nb nob, ne nep, nl nld dut, nn nno, no nor, oc oci, om orm, or ori, pa pan, pl pol, ps pus, pt por,
qu que, ro ron rum, ru rus, rw kin, sa san, se sme, si sin, sk slk slo, sl slv, sn sna, so som,
sq sqi alb, sr srp, st sot, sv swe, sw swa, ta tam, te tel, tg tgk, th tha, tk tuk, tl tgl, tr tur,
tt tat, ug uig, uk ukr, ur urd, uz uzb, vi vie, xh xho, yi yid, yo yor, zh zho chi, zu zul
"""
THREE_LETTER = {code: two for entry in _ISO_639_2.split(",") for two, *codes in [entry.split()] for code in codes}
# A macrolanguage and its members (ISO 639-3), and written neighbours a character-level detector
# confuses even on clean text (measured: Czech and Slovak, Danish and Norwegian, Portuguese and
# Galician). A detection inside the declared language's group does not contradict it.
KIN = (
    frozenset({"no", "nb", "nn", "da"}),
    frozenset({"sh", "sr", "hr", "bs", "cnr"}),
    frozenset({"cs", "sk"}),
    frozenset({"ms", "id"}),
    frozenset({"zh", "wuu", "yue"}),
    frozenset({"ar", "arz", "ary"}),
    frozenset({"pt", "gl"}),
    frozenset({"uz", "uzs"}),
    frozenset({"ku", "sdh", "kmr"}),
    frozenset({"tl", "fil"}),
)
_PRIMARY = re.compile(r"[a-z]{2,3}")


def primary_subtag(tag: str | None) -> str | None:
    """The tag's language as ISO 639-1 where it has a code there (``fi-FI`` → ``fi``, ``ger`` → ``de``);
    None for no tag, a special code (``und``) or one that is not a language code (``x-klingon``, ``English``)."""
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    if not _PRIMARY.fullmatch(primary) or primary in NO_LANGUAGE:
        return None
    return WITHDRAWN.get(primary) or THREE_LETTER.get(primary, primary)


def kin(one: str, other: str) -> bool:
    """The same language, or two a detector cannot be trusted to tell apart (``nb`` and ``no``)."""
    return one == other or any(one in group and other in group for group in KIN)
