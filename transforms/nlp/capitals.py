"""Lines in capitals, written in ordinary case again, so that the language model can read them.

Wire copy sets headlines, datelines (``CAIRO 1996-12-06``), subheads and some table rows in
capitals, and spaCy's small English model finds almost no names there: it learned names from
their capital letter. A capitals line is rewritten word by word: a word the story also writes in
ordinary case takes that form (``LEICESTERSHIRE`` → ``Leicestershire``, ``TAKE`` → ``take``),
small words go lower case, and any other word is capitalised as a name would be, its particles
kept low (``DEIR AL-BALAH`` → ``Deir al-Balah``). In a line in ordinary case, a word in capitals
is restored only when the story writes it in ordinary case elsewhere (``BALTIMORE 10 Seattle 5``),
so acronyms stay as they are. Only the case of letters changes: the text keeps its length, and
every offset the model gives is still an offset into the text as written.
"""

from __future__ import annotations

import re
from collections import Counter

from wirestream.transforms.parsing.story_parts import is_capitals  # the parser's test for a capitals line

__all__ = ["name_case", "restore_capitals"]

# A word: letters, with inner apostrophes, hyphens and dots (`O'NEILL`, `AL-BALAH`, `U.S.`).
WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?")
SENTENCE_ENDS = '.!?:"”'
# Words set low inside a headline or a name written in ordinary case. General English and the
# name particles of the languages wire copy meets most (Arabic, Dutch, French, German, Italian,
# Portuguese, Spanish); a particle opening a name is capitalised all the same (`Al-Aqsa`).
_SMALL = "a an and as at but by for from in into of off on onto or over per the to up upon via vs with is are was were"
SMALL_WORDS = frozenset(_SMALL.split())
PARTICLES = frozenset("al el de del della der den di da das do dos du la le van von y bin ibn bint ter".split())  # noqa: SIM905
# An acronym with dots, or a word too short to tell from one (`U.S.`, `UN`): left as written.
ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]?\.?$")


def _capitalised(part: str) -> str:
    """`NEILL` → `Neill`; `O'NEILL` → `O'Neill`; `LORD'S` → `Lord's`."""
    pieces = re.split(r"(['’])", part)
    out = [pieces[0][:1].upper() + pieces[0][1:].lower()]
    for k in range(1, len(pieces), 2):
        rest = pieces[k + 1]
        out.append(pieces[k] + (rest.lower() if len(rest) <= 1 else rest[:1].upper() + rest[1:].lower()))
    return "".join(out)


def name_case(word: str, *, first: bool) -> str:
    """A word in capitals as a name writes it: capitalised, its particles low unless it opens the name."""
    parts = word.split("-")
    out = []
    for k, part in enumerate(parts):
        opening = first and k == 0
        if part.lower() in PARTICLES and not opening and (len(parts) > 1 or k == 0):
            out.append(part.lower())
        else:
            out.append(_capitalised(part))
    return "-".join(out)


def _opens_sentence(line: str, start: int) -> bool:
    """Does the word at ``start`` open the line or a sentence? (Reads back over the gap before it only.)"""
    at = start - 1
    while at >= 0 and line[at].isspace():
        at -= 1
    return at < 0 or line[at] in SENTENCE_ENDS


class StoryCase:
    """How the story writes each word outside capitals: its ordinary-case forms, as counted."""

    def __init__(self, lines: list[str]) -> None:
        self.forms: dict[str, Counter[str]] = {}
        for line in lines:
            if is_capitals(line):
                continue
            for match in WORD.finditer(line):
                word = match.group()
                if word.isupper():
                    continue
                if word[:1].isupper() and _opens_sentence(line, match.start()):
                    continue  # a sentence's first word says nothing of its case
                self.forms.setdefault(word.casefold(), Counter())[word] += 1

    def written(self, word: str) -> str | None:
        """The story's usual ordinary-case form of ``word`` (same length), if it has one."""
        forms = self.forms.get(word.casefold())
        if not forms:
            return None
        best = max(forms, key=lambda f: (forms[f], f[:1].isupper()))
        return best if len(best) == len(word) else None


def _restore_line(line: str, case: StoryCase, *, whole: bool) -> str:
    out, at, first = [], 0, True
    for match in WORD.finditer(line):
        word = match.group()
        out.append(line[at : match.start()])
        at = match.end()
        restored = word
        if word.isupper() and len(word) > 1 and not ACRONYM.match(word):
            known = case.written(word)
            if known is not None:
                restored = known
            elif whole:
                restored = word.lower() if word.lower() in SMALL_WORDS and not first else name_case(word, first=first)
        out.append(restored)
        first = False
    out.append(line[at:])
    return "".join(out)


def restore_capitals(text: str) -> str:
    """``text`` with its capitals lines (and words in capitals the story writes otherwise) in ordinary case."""
    lines = text.split("\n")
    case = StoryCase(lines)
    restored = [_restore_line(line, case, whole=is_capitals(line)) for line in lines]
    out = "\n".join(restored)
    return out if len(out) == len(text) else text
