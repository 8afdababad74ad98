"""Quotes in copy with no dependency parse (a blank pipeline, or a language the tree rules do not
read): quote marks, the language's cue words (``languages``) and a speaker only where the words
beside the quote name one plainly.

`„…“, sagte Bürgermeister Hans Weber` gives Hans Weber; `« … », a déclaré Marie Dupont` Marie
Dupont; `Selon le ministre, …` the minister as written; `« … », a-t-il ajouté` and EFE's bare
`dijo` the speaker of the quote just before, if it was named in the same or the paragraph before
and no other person leads in. Where a model found the story's names, the one person (or organisation)
in a subject that opens with an article speaks its cue, and the name before `, qui` a relative
clause's. Anything else keeps the quote and gives no speaker: a wrong speaker costs more than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wirestream.transforms.nlp.quotes.languages import Lexicon
from wirestream.transforms.nlp.quotes.marks import (
    PARTIAL,
    Marked,
    find_paired,
    is_short,
    is_title,
    kind_of,
    paragraph_end,
    paragraph_of,
    paragraph_starts,
    trimmed,
)
from wirestream.transforms.nlp.quotes.speakers import PERSON_OR_ORG, Mentions
from wirestream.transforms.records.story import Entity, Quote

# A word (with its apostrophes and hyphens: `a-t-il`, `l'avocat`) or one mark of punctuation.
_TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")
# `a-t-il`, `ajoute-t-elle`, `dit-il`: a French verb with its subject pronoun after it.
_INVERTED = re.compile(r"^(\w+?)(?:-t)?-(il|elle|ils|elles|on)$")
# `l'avocat`, `all'ANSA`: an elided article (or preposition and article) and its noun, one token.
_ELIDED = re.compile(r"^(\w*[ldLD][’'])(\w.*)$")
SENTENCE_ENDS = ".!?"
NAME_WORDS = 4  # at most this many capitalised words make a name
CONTINUES_WITHIN = 200  # characters: a quote with no speaker of its own goes on from one this close


@dataclass(frozen=True)
class Word:
    """One token of the text, with where it is."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() and self.text[:1].isalpha()


@dataclass(frozen=True)
class Found:
    """What the words beside a quote say: the cue, and the speaker (None: not plainly named).

    ``pronoun`` marks a cue with a pronoun or no subject at all (`a-t-il dit`, `dijo`): the speaker
    is the one of the quote before, if near.
    """

    cue: str
    speaker: str | None
    pronoun: bool = False


def words(text: str, start: int, end: int) -> list[Word]:
    return [Word(m.group(), start + m.start()) for m in _TOKEN.finditer(text[start:end])]


def quotes_from_text(text: str, entities: Sequence[Entity], lexicon: Lexicon) -> list[Quote]:
    """The quotes in marks of ``text`` (``Story.body``), each with its speaker where plainly named, in
    text order."""
    starts = paragraph_starts(text)
    mentions = Mentions(entities, text)
    quotes: list[Quote] = []
    previous: tuple[Marked, str] | None = None  # the last quote, when it had a speaker
    marks = find_paired(text, starts, lexicon.marks)
    for n, mark in enumerate(marks):
        start, end = trimmed(text, mark)
        if end <= start:
            continue
        lead_start, after_end = _sentence_around(text, starts, marks, n)
        found = _after(text, mark, after_end, lexicon, mentions) or _before(text, mark, lead_start, lexicon, mentions)
        kind = kind_of(text, mark, lead_start, lambda found=found: found is not None)
        speaker = found.speaker if found is not None else None
        # the speaker goes on to a quote with a pronoun or a bare cue, or to a whole quote with none, unless
        # another person leads in to it; a few quoted words with no cue of their own are nobody's
        goes_on = found.pronoun if found is not None else kind != PARTIAL
        if (
            speaker is None
            and previous is not None
            and goes_on
            and not mentions.before(mark.start, ("PERSON",), lead_start)
        ):
            speaker = _continued(text, starts, previous, mark)
        if speaker is None and kind == PARTIAL and (is_short(text, mark) or is_title(text, mark)):
            previous = None  # a word being mentioned, or a title (`die Zeitung «Bild»`): nobody's words
            continue
        quotes.append(
            Quote(
                text=text[start:end],
                speaker=speaker,
                kind=kind,
                cue=found.cue if found is not None else None,
                paragraph=paragraph_of(starts, start),
                start=start,
                end=end,
            )
        )
        previous = (mark, speaker) if speaker is not None else None
    return quotes


def _sentence_around(text: str, starts: Sequence[int], marks: Sequence[Marked], n: int) -> tuple[int, int]:
    """Where the quote's sentence starts (after the sentence or quote before, in its paragraph), and where
    the words after it end (the sentence's end, the next quote, or the paragraph's end)."""
    mark = marks[n]
    para = paragraph_of(starts, mark.start)
    lead_start = max(starts[para], marks[n - 1].end + 1 if n and marks[n - 1].end < mark.start else 0)
    for i in range(mark.start - 2, lead_start - 1, -1):
        if text[i] in SENTENCE_ENDS and (i + 1 >= len(text) or text[i + 1].isspace()) and not _abbreviation(text, i):
            lead_start = i + 1
            break
    after_end = paragraph_end(starts, paragraph_of(starts, mark.end), len(text))
    if n + 1 < len(marks) and marks[n + 1].start - 1 < after_end:
        after_end = max(marks[n + 1].start - 1, mark.end + 1)
    for i in range(mark.end + 1, after_end):
        if text[i] in SENTENCE_ENDS and not _abbreviation(text, i):
            return lead_start, i
    return lead_start, after_end


def _abbreviation(text: str, dot: int) -> bool:
    """Is the full stop at ``dot`` the end of a title or an initial (`M.`, `Dr.`, `J.`)?"""
    word = re.search(r"[\w.]+$", text[max(0, dot - 8) : dot])
    return bool(word) and (len(word.group()) <= 3 and word.group()[:1].isupper())


def _after(text: str, mark: Marked, end: int, lexicon: Lexicon, mentions: Mentions) -> Found | None:
    """`„…“, sagte Hans Weber`, `« … », a déclaré Marie Dupont`, `"…", dijo.`, `„…“, so Weber`."""
    after = words(text, mark.end + 1, end)
    while after and after[0].text in ",—–-:":
        after = after[1:]
    if not after:
        return None
    cue, rest = _cue_at(after, lexicon)
    if cue is None and after[0].low in lexicon.after_only | lexicon.according:
        cue, rest = after[0].text, after[1:]
    if cue is not None:
        if rest and rest[0].low in lexicon.pronouns:
            return Found(cue, None, pronoun=True)
        speaker = _speaker(text, rest, lexicon, mentions)
        return Found(cue, speaker, pronoun=speaker is None and not rest)
    named, rest = _name_at(text, after, lexicon, mentions)  # `„…“, Weber sagte` is rare, but plain
    cue, _rest = _cue_at(rest, lexicon) if named is not None else (None, [])
    return Found(cue, named) if cue is not None else None


def _before(text: str, mark: Marked, lead_start: int, lexicon: Lexicon, mentions: Mentions) -> Found | None:
    """`Le ministre a déclaré : « … »`, `Weber sagte: „…“`, `Selon le ministre, « … »`: the lead-in's cue,
    and the source it opens with."""
    lead = words(text, lead_start, max(mark.start - 1, lead_start))
    if lead and lead[0].low in lexicon.according:
        return Found(lead[0].text, _speaker(text, lead[1:], lexicon, mentions))
    relative = _relative_speaker(text, lead, lexicon, mentions)
    if relative is not None:
        return relative
    named, rest = _name_at(text, lead, lexicon, mentions)
    for k in range(len(rest)):
        cue, _after_cue = _cue_at(rest[k:], lexicon)
        if cue is not None:  # `Die Polizei sagte: „…“` has a cue, and nobody plainly named
            speaker = _appositive(text, rest[:k], lexicon, mentions) or named
            return Found(cue, speaker or _subject_person(lead[: len(lead) - len(rest) + k], lexicon, mentions))
    return None


def _relative_speaker(text: str, lead: Sequence[Word], lexicon: Lexicon, mentions: Mentions) -> Found | None:
    """`…, a indiqué son directeur, Mathias Delorme, qui promet néanmoins « … »`: the lead-in's last cue is a
    relative clause's, so the name just before `, qui` speaks."""
    for k in range(len(lead) - 1, 1, -1):
        cue, _rest = _cue_at(lead[k:], lexicon)
        if cue is None:
            continue
        if lead[k - 1].low not in lexicon.relatives or lead[k - 2].text != "," or k < 3:
            return None
        last = lead[k - 3]
        hit = mentions.at(last.start, last.end)
        if hit is not None and hit[1] in PERSON_OR_ORG:
            return Found(cue, hit[0])
        return None
    return None


def _subject_person(lead: Sequence[Word], lexicon: Lexicon, mentions: Mentions) -> str | None:
    """The one person (or, naming none, the one organisation) the model found in the subject before a cue: a
    lead-in that opens with an article and names them before its first comma (`Le conseiller d'opposition
    Marc-André Thibodeau, du parti …, a dénoncé`)."""
    if not lead or (lead[0].low not in lexicon.articles and _ELIDED.match(lead[0].text) is None):
        return None
    subject_end = next((w.start for w in lead if w.text == ","), lead[-1].end)
    for labels in (("PERSON",), ("ORG",)):  # `L'association d'usagers Rails Citoyens a dénoncé`: no person, one body
        named = {name for _start, name, _label in mentions.before(subject_end, labels, lead[0].start)}
        if named:
            return named.pop() if len(named) == 1 else None
    return None


def _cue_at(tokens: Sequence[Word], lexicon: Lexicon) -> tuple[str | None, list[Word]]:
    """The cue the tokens open with (`sagte`, `a déclaré`, `a-t-il déclaré`, `ha detto`), and the tokens after it."""
    if not tokens:
        return None, []
    first = tokens[0].low
    inverted = _INVERTED.match(first)
    verb, pronoun = (inverted.group(1), inverted.group(2)) if inverted else (first, None)
    if verb in lexicon.verbs:
        cue, rest = tokens[0].text, list(tokens[1:])
    elif verb in lexicon.auxiliaries and len(tokens) > 1 and tokens[1].low in lexicon.participles:
        cue, rest = f"{tokens[0].text} {tokens[1].text}", list(tokens[2:])
    else:
        return None, []
    if pronoun is not None:  # `a-t-il déclaré`: the pronoun is the subject
        return cue, [Word(pronoun, tokens[0].start), *rest]
    return cue, rest


def _speaker(text: str, tokens: Sequence[Word], lexicon: Lexicon, mentions: Mentions) -> str | None:
    """The source the tokens after a cue name: `Bürgermeister Hans Weber` → Hans Weber, `le ministre` as
    written, `la Policía` (no name, no role) → None. Whom it was said to comes first at times, and is
    passed over: `a déclaré à l'AFP Marie Dupont`, `ha detto all'ANSA il sindaco`."""
    tokens = _split_elisions(tokens)
    if tokens and tokens[0].low in lexicon.addressed:
        k = 1
        while k < len(tokens) and (tokens[k].low in lexicon.articles or tokens[k].low in lexicon.addressed):
            k += 1
        # `à l'AFP`, or people with no name before the one who spoke: `dijo a periodistas el comisionado …`
        if k < len(tokens) and (
            tokens[k].capitalised or (k + 1 < len(tokens) and tokens[k + 1].low in lexicon.articles)
        ):
            tokens = tokens[k + 1 :]
    named, rest = _name_at(text, tokens, lexicon, mentions)
    return _appositive(text, rest, lexicon, mentions) or named


def _appositive(text: str, tokens: Sequence[Word], lexicon: Lexicon, mentions: Mentions) -> str | None:
    """`la alcaldesa, Marta Soler,` / `le maire de Valmora, Pierre Lenoir, a affirmé`: a role's name, set off
    by commas after it (the first such name in the tokens)."""
    for k, token in enumerate(tokens):
        if token.text != ",":
            continue
        named, rest = _name_at(text, tokens[k + 1 :], lexicon, mentions)
        # a name, with its role or not (`, Me Sophie Marchal,`, `, il generale Roberto Esposti.`), not a role alone
        plain_name = named is not None and named.split()[0].lower() not in lexicon.articles
        if plain_name and (not rest or rest[0].text in ",.;"):
            return named
    return None


def _name_at(text: str, tokens: Sequence[Word], lexicon: Lexicon, mentions: Mentions) -> tuple[str | None, list[Word]]:
    """A source the tokens open with: [article] [roles] [title] Name, or an article and a role alone.

    Returns the name (an entity's canonical name where one is there; a role as written) and the
    tokens after it.
    """
    k, article, role_end = 0, None, None
    tokens = _split_elisions(tokens)
    if k < len(tokens) and tokens[k].low in lexicon.articles:
        article, k = tokens[k], k + 1
    while k < len(tokens) and lexicon.is_role(tokens[k].low):
        k += 1
        role_end = tokens[k - 1].end
    if article is not None and role_end is None and _unlisted_role(tokens, k, mentions):
        k += 1  # `la traileuse Léa Burnier`, `il generale Roberto Esposti`: a role the lexicon lacks
        role_end = tokens[k - 1].end
    while k < len(tokens) and tokens[k].low.rstrip(".") in lexicon.titles:
        k += 2 if k + 1 < len(tokens) and tokens[k + 1].text == "." else 1
    name_start, name_words = k, 0
    while k < len(tokens) and name_words < NAME_WORDS:
        if tokens[k].capitalised and not lexicon.is_role(tokens[k].low) and tokens[k].low not in lexicon.according:
            name_words, k = name_words + 1, k + 1
        elif name_words and tokens[k].low in lexicon.particles and _particle_run(tokens, k + 1, lexicon):
            k = _particle_run(tokens, k + 1, lexicon)
        else:
            break
    if name_words and (article is None or role_end is not None):  # `der Sprecher Hans Weber`, not `die Polizei`
        first, last = tokens[name_start], tokens[k - 1]
        hit = mentions.at(first.start, last.end)
        name = hit[0] if hit is not None and hit[1] in PERSON_OR_ORG else text[first.start : last.end]
        return name, list(tokens[k:])
    if role_end is not None and article is not None:
        return text[article.start : role_end], list(tokens[k:])
    return None, list(tokens)


def _unlisted_role(tokens: Sequence[Word], k: int, mentions: Mentions) -> bool:
    """Is ``tokens[k]`` a lower-case noun naming what the person after it is? Only where a person plainly
    follows: a name the model calls a person, or, with no model, a name of two capitalised words or more."""
    if not (k + 2 < len(tokens) and tokens[k].text.isalpha() and tokens[k].text.islower()):
        return False
    first = tokens[k + 1]
    if not first.capitalised:
        return False
    hit = mentions.at(first.start, first.end)
    if hit is not None:
        return hit[1] == "PERSON"
    return tokens[k + 2].capitalised and not mentions.spans


def _particle_run(tokens: Sequence[Word], k: int, lexicon: Lexicon) -> int:
    """After a name's particle (`von`, `de`), where its next capitalised word is: past one article
    (`von der Leyen`, `de la Fuente`); 0 when none follows."""
    if k < len(tokens) and tokens[k].low in lexicon.articles and k + 1 < len(tokens):
        k += 1
    return k if k < len(tokens) and tokens[k].capitalised else 0


def _split_elisions(tokens: Sequence[Word]) -> list[Word]:
    """`l'avocat` as the article `l'` and the noun `avocat` (`all'ANSA`: `all'` and `ANSA`)."""
    out = []
    for token in tokens:
        elided = _ELIDED.match(token.text)
        if elided:
            cut = len(elided.group(1))
            out += [Word(elided.group(1), token.start), Word(elided.group(2), token.start + cut)]
        else:
            out.append(token)
    return out


def _continued(text: str, starts: Sequence[int], previous: tuple[Marked, str], mark: Marked) -> str | None:
    """The speaker of the quote before, when it ended close by, in this paragraph or the one before."""
    before, speaker = previous
    near = mark.start - before.end < CONTINUES_WITHIN
    return speaker if near and paragraph_of(starts, before.end) >= paragraph_of(starts, mark.start) - 1 else None
