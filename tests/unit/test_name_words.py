"""The French words around names (transforms/nlp/name_words.py), read on a blank French pipeline whose
entity ruler plays the model: each case says what the model found and what the record keeps."""

from __future__ import annotations

import pytest
import spacy

from wirestream.transforms.nlp.entities import mentions_from_doc


def mentions(text: str, found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What the record keeps of ``text`` when the model found ``found`` (label, words) in it."""
    nlp = spacy.blank("fr")
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": label, "pattern": [{"TEXT": token.text} for token in nlp.make_doc(words)]} for label, words in found]
    )
    return [(m.text, m.label) for m in mentions_from_doc(nlp(text))]


@pytest.mark.parametrize(
    ("text", "found", "kept"),
    [
        # a generic head opens the name, through adjectives and joining words
        (
            "Le tribunal correctionnel de Lille a jugé l'affaire.",
            [("LOC", "Lille")],
            [("tribunal correctionnel de Lille", "ORG")],
        ),
        (
            "Le conseil départemental de la Haute-Savoie paie.",
            [("LOC", "Haute-Savoie")],
            [("conseil départemental de la Haute-Savoie", "ORG")],
        ),
        (
            "Le conseil d'arrondissement du Plateau a voté.",
            [("LOC", "Plateau")],
            [("conseil d'arrondissement du Plateau", "ORG")],
        ),
        # and takes in what the model found inside it
        (
            "L'Association des commerçants du Plateau proteste.",
            [("ORG", "Association des commerçants"), ("LOC", "Plateau")],
            [("Association des commerçants du Plateau", "ORG")],
        ),
        # a street's name is the whole phrase, even when it honours a person
        ("Il habite rue des Postes depuis dix ans.", [("ORG", "Postes")], [("rue des Postes", "LOC")]),
        (
            "Elle vit avenue Franklin-Roosevelt.",
            [("PER", "Franklin-Roosevelt")],
            [("avenue Franklin-Roosevelt", "LOC")],
        ),
        # the small words the model took in before a name are not part of it
        (
            "Les eaux du Rhône montent vers la France.",
            [("LOC", "du Rhône"), ("LOC", "la France")],
            [("Rhône", "LOC"), ("France", "LOC")],
        ),
        ("Il arrive à l'Élysée.", [("LOC", "l'Élysée")], [("Élysée", "LOC")]),
    ],
)
def test_a_generic_head_opens_the_name_it_belongs_to(text, found, kept):
    assert mentions(text, found) == kept


@pytest.mark.parametrize(
    ("text", "found", "kept"),
    [
        # a verb after the head, however the parser reads it, opens nothing
        ("Le syndicat réclame des Parisiens un effort.", [("LOC", "Parisiens")], [("Parisiens", "LOC")]),
        # a person after a joining word is that person (his place, not a square)
        ("Il a pris la place de Martin Dupuis.", [("PER", "Martin Dupuis")], [("Martin Dupuis", "PERSON")]),
        # an organisation's head right before a name leaves the name its own
        ("Le groupe Renault recrute.", [("ORG", "Renault")], [("Renault", "ORG")]),
        # too far from its head: more lower-case words than a name's description holds
        (
            "Le conseil a enfin voté la fin de Lyon.",
            [("LOC", "Lyon")],
            [("Lyon", "LOC")],
        ),
        # a place whose head is one of the small words (lac, la) keeps its whole name
        ("Ils courent autour du lac d'Annecy.", [("LOC", "lac d'Annecy")], [("lac d'Annecy", "LOC")]),
        # a mention with no capital letter is no name
        ("Il faut faire vite.", [("LOC", "faire")], []),
    ],
)
def test_what_a_head_does_not_open(text, found, kept):
    assert mentions(text, found) == kept
