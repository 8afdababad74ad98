"""Quotes with their speakers: kinds, cues, pronouns, split and multi-paragraph quotes, mentions."""

from __future__ import annotations

import json

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from wirestream.transforms.nlp.entities import entities_from_doc
from wirestream.transforms.nlp.model import load_model
from wirestream.transforms.nlp.quotes import DIRECT, PARTIAL, REPORTED, quotes_from_doc
from wirestream.transforms.nlp.quotes.attribution import (
    NOT_A_QUOTE,
    STRATEGIES,
    Case,
    attribute,
    continues_the_previous_quote,
    cue_in_the_quotes_sentences,
)
from wirestream.transforms.nlp.quotes.body import Body
from wirestream.transforms.nlp.quotes.cues import SPEECH_VERBS, Cues, cue_text, is_cue, subject_of
from wirestream.transforms.nlp.quotes.marks import (
    Marked,
    find_marked,
    is_short,
    is_title,
    kind_of,
    paragraph_starts,
    quoted_chars,
    trimmed,
)
from wirestream.transforms.nlp.quotes.speakers import Attribution, Speakers
from wirestream.transforms.records.story import Entity, Quote, Source, Span


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def quotes(nlp, *paragraphs: str) -> list[Quote]:
    doc = nlp("\n\n".join(paragraphs))
    return quotes_from_doc(doc, entities_from_doc(doc))


def quoted(nlp, *paragraphs: str) -> list[tuple[str, str | None, str]]:
    """(text, speaker, kind) of the quotes in quote marks."""
    return [(q.text, q.speaker, q.kind) for q in quotes(nlp, *paragraphs) if q.kind != REPORTED]


def speakers_of(nlp, *paragraphs: str) -> list[str | None]:
    """The speaker of each quote in marks, in text order."""
    return [speaker for _text, speaker, _kind in quoted(nlp, *paragraphs)]


# -- quote marks, no model -------------------------------------------------------------------


def test_marks_pair_per_paragraph_curly_and_straight():
    body = 'He said “one” and "two" and “three ‘four’ five.”\n\nNothing here.'
    marks = [body[m.start : m.end] for m in find_marked(body, paragraph_starts(body))]
    assert marks == ["one", "two", "three ‘four’ five."]


def test_a_quote_reopened_in_the_next_paragraph_continues():
    body = "“First part of it.\n\n“Second part,” she said.\n\nAfter."
    (mark,) = find_marked(body, paragraph_starts(body))
    assert body[mark.start : mark.end] == "First part of it.\n\n“Second part,"
    assert mark.paragraph == 0


def test_an_unclosed_quote_that_is_not_reopened_ends_with_its_paragraph():
    body = "He said “it never ends\n\nThe next paragraph."
    (mark,) = find_marked(body, paragraph_starts(body))
    assert body[mark.start : mark.end] == "it never ends"


def test_an_opening_mark_after_a_full_stop_or_colon_is_direct_and_lower_case_is_partial():
    text = "He said: “We won.” Then “we” won. Olsen said, “Go.” The plan, “Go.”"
    marks = find_marked(text, paragraph_starts(text))
    cued = {marks[2].start: True, marks[3].start: False}  # what the cue check would find before each
    kinds = [kind_of(text, m, 0, lambda m=m: cued[m.start]) for m in marks]
    assert kinds == [DIRECT, PARTIAL, DIRECT, PARTIAL]


def test_titles_short_mentions_and_trimmed_words():
    text = "on “Good Morning America” to vote “yes” and “a plan, not a hope, ”"
    title, yes, plan = find_marked(text, paragraph_starts(text))
    assert is_title(text, title) and not is_title(text, plan)
    assert is_short(text, yes) and not is_short(text, plan)
    start, end = trimmed(text, plan)
    assert text[start:end] == "a plan, not a hope"


def test_quoted_chars_cover_the_marks_themselves():
    text = "a “b” c"
    (mark,) = find_marked(text, paragraph_starts(text))
    assert [i for i, q in enumerate(quoted_chars(len(text), [mark])) if q] == [2, 3, 4]


def test_the_cue_list_is_comprehensive_and_inflected():
    for word in ("said", "says", "told", "added", "insisted", "tweeted", "wrote", "warned", "labeling", "quipped"):
        assert word in SPEECH_VERBS
    assert len(SPEECH_VERBS) > 300


# -- cues and speakers on hand-built parses, no model ------------------------------------------


def parsed(words: list[str], heads: list[int], deps: list[str]) -> Body:
    return Body.of(Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps))


def test_a_speech_verb_is_a_cue_only_as_a_verb_and_outside_quote_marks():
    body = parsed(
        ["Smith", "said", "“", "said", "”", "and", "the", "report", "went", "on"],
        [1, 1, 3, 1, 3, 1, 7, 8, 1, 8],
        ["nsubj", "ROOT", "punct", "ccomp", "punct", "cc", "det", "nsubj", "conj", "prt"],
    )
    cues = Cues(body)
    assert [t.text for t in cues.between(0, len(body.text))] == ["said", "went"]
    assert not is_cue(body.doc[7])  # `report` as a noun
    assert [cue_text(t) for t in cues.between(0, len(body.text))] == ["said", "went on"]
    assert [t.text for t in cues.between(body.doc[2].idx, len(body.text))] == ["went"]
    assert cues.any_between(0, body.doc[1].idx + 1) and not cues.any_between(body.doc[2].idx, body.doc[8].idx)


def test_the_subject_of_a_cue_and_of_according_to():
    body = parsed(
        ["Smith", "said", "it", "was", "close", ",", "according", "to", "Olsen"],
        [1, 1, 3, 1, 3, 1, 1, 6, 7],
        ["nsubj", "ROOT", "nsubj", "ccomp", "acomp", "punct", "prep", "prep", "pobj"],
    )
    said, according, close = body.doc[1], body.doc[6], body.doc[4]
    assert subject_of(body, said).text == "Smith"
    assert subject_of(body, according).text == "Olsen"
    assert cue_text(according) == "according to"
    assert Cues(body).governing(close, (0, len(body.text))) == [said]


def test_a_pronoun_goes_to_the_latest_name_of_its_gender():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Mr. Tom Reed met Ms. Ann Lowe. She spoke.")
    people = [
        Entity("Tom Reed", "PERSON", 1, spans=[Span(4, 12)]),
        Entity("Ann Lowe", "PERSON", 1, spans=[Span(21, 29)]),
    ]
    speakers = Speakers(Body.of(doc), people)
    assert speakers.genders == {"Tom Reed": "m", "Ann Lowe": "f"}
    assert speakers.resolve("she", 31) == ("Ann Lowe", "PERSON")
    assert speakers.resolve("he", 31) == ("Tom Reed", "PERSON")
    assert speakers.entity(doc[5]) == ("Ann Lowe", "PERSON")


# -- attribution strategies --------------------------------------------------------------------


def case_of(text: str, n: int, previous: tuple[Marked, Attribution] | None = None) -> Case:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    body = Body.of(nlp(text))
    mark = body.marks[n]
    return Case(body, Speakers(body, []), Cues(body), mark, PARTIAL, 0, len(text), previous)


def test_titles_and_mentioned_words_are_not_quotes_and_nobody_near_is_no_speaker():
    assert attribute(case_of("She hosts “Good Morning America” now.", 0)) is NOT_A_QUOTE
    assert attribute(case_of("They may vote “yes” on it.", 0)) is NOT_A_QUOTE
    assert attribute(case_of("The plan is “a long and winding road to nowhere” now.", 0)) is None


def test_a_quote_goes_on_from_the_one_just_before_only_when_close():
    text = "“It was falling,” a sailor said. “We did everything.”" + " Filler." * 30 + " “Late.”"
    first = find_marked(text, paragraph_starts(text))[0]
    sailor = Attribution("a sailor", "said")
    assert continues_the_previous_quote(case_of(text, 1, (first, sailor))) == sailor
    assert continues_the_previous_quote(case_of(text, 2, (first, sailor))) is None
    assert continues_the_previous_quote(case_of(text, 1)) is None


def test_a_cue_after_a_quote_that_ends_its_sentence_belongs_to_the_next_sentence():
    body = parsed(
        ["Olsen", "wrote", "to", "him", ",", "“", "Stay", "!", "”", "Reed", "replied", "."],
        [1, 1, 1, 2, 1, 6, 1, 6, 6, 10, 10, 10],
        ["nsubj", "ROOT", "prep", "pobj", "punct", "punct", "ccomp", "punct", "punct", "nsubj", "ROOT", "punct"],
    )
    case = Case(body, Speakers(body, []), Cues(body), body.marks[0], DIRECT, 0, len(body.text), None)
    assert cue_in_the_quotes_sentences(case) == Attribution("Olsen", "wrote")


def test_every_strategy_says_which_case_it_handles():
    assert len(STRATEGIES) == len(set(STRATEGIES))
    assert all(strategy.__doc__ for strategy in STRATEGIES)


# -- attribution with the model ---------------------------------------------------------------


def test_name_after_and_before_the_verb(nlp):
    assert quoted(nlp, "“We did everything by the book,” said Captain Ilse Marrow, who sailed for 14 years.") == [
        ("We did everything by the book", "Ilse Marrow", DIRECT)
    ]
    assert quoted(nlp, "“The tide was falling fast,” Ilse Marrow said on Tuesday.") == [
        ("The tide was falling fast", "Ilse Marrow", DIRECT)
    ]
    assert quoted(nlp, "Mayor Oskar Fennimore said: “It was a credit to every crew on the water.”") == [
        ("It was a credit to every crew on the water.", "Oskar Fennimore", DIRECT)
    ]


def test_appositive_speaker(nlp):
    got = quoted(nlp, "Hugh Hill, a doctor at Nasser Hospital, said the wards were “full beyond anything we planned.”")
    assert got == [("full beyond anything we planned.", "Hugh Hill", PARTIAL)]


def test_according_to(nlp):
    got = quoted(
        nlp, "The talks are “close to collapse,” according to Margaret Olsen, a senior diplomat in the region."
    )
    assert got == [("close to collapse", "Margaret Olsen", PARTIAL)]


def test_pronoun_resolved_to_the_person_named_before(nlp):
    got = quoted(
        nlp,
        "Defense Minister Yoav Gallant said Tuesday that operations would take “months.”",
        "“We will not stop until we reach our goals,” he said.",
    )
    assert got == [
        ("months.", "Yoav Gallant", PARTIAL),
        ("We will not stop until we reach our goals", "Yoav Gallant", DIRECT),
    ]


def test_split_quote_keeps_its_speaker(nlp):
    got = quoted(nlp, "“The tide was falling,” said Ilse Marrow. “We did everything by the book.”")
    assert got == [
        ("The tide was falling", "Ilse Marrow", DIRECT),
        ("We did everything by the book.", "Ilse Marrow", DIRECT),
    ]


def test_speaker_named_in_the_previous_sentence(nlp):
    got = quoted(
        nlp,
        "Governor Anna Lindqvist spoke to reporters at the harbour on Friday morning.",
        "“Every crew did its job, and every passenger got home safely tonight.”",
    )
    assert got == [("Every crew did its job, and every passenger got home safely tonight.", "Anna Lindqvist", DIRECT)]


def test_quote_across_paragraphs_is_one_quote(nlp):
    (quote,) = quoted(
        nlp,
        "Olsen said: “We have waited for this agreement for many long years.",
        "“Now it is time to sign it and go home,” she told reporters.",
    )
    assert quote[0].startswith("We have waited") and quote[0].endswith("go home")
    assert quote[1] == "Olsen"


def test_straight_marks_and_single_quotes_inside(nlp):
    got = quoted(nlp, "\"People keep telling me 'feel the Bern,' but I am not sure,\" said Mona Lamberson, 59.")
    assert got == [("People keep telling me 'feel the Bern,' but I am not sure", "Mona Lamberson", DIRECT)]


def test_a_word_merely_mentioned_gets_no_speaker(nlp):
    got = quotes(nlp, "Talks continued in the hopes of getting the U.S. to abstain or vote “yes” on the resolution.")
    assert all(q.speaker is None for q in got if q.text == "yes")


def test_titles_of_works_are_not_quotes(nlp):
    got = quoted(nlp, "Margaret Olsen told NBC’s “Meet the Press” on Sunday that the talks were “going nowhere fast.”")
    assert got == [("going nowhere fast.", "Margaret Olsen", PARTIAL)]


def test_partial_quotes_in_an_attributed_sentence_are_the_sources_words(nlp):
    got = quoted(nlp, 'Hiring stayed "sluggish" in the spring, with "uneven" wage gains, the survey found.')
    assert got == [("sluggish", "the survey", PARTIAL), ("uneven", "the survey", PARTIAL)]
    got = quoted(nlp, "Interior Minister Karl Berg dismissed the report as “pure fiction” on Tuesday.")
    assert got == [("pure fiction", "Karl Berg", PARTIAL)]


def test_a_dash_signs_a_quote_and_a_colon_hands_it_over(nlp):
    got = quoted(nlp, "Readers wrote in after the debate.", "“He never answered a single question.” ― Pamela Padilla")
    assert got == [("He never answered a single question.", "Pamela Padilla", DIRECT)]
    got = quoted(nlp, "Governor Lena Voss was asked about the budget. Voss resisted: “We will not raise taxes.”")
    assert got == [("We will not raise taxes.", "Lena Voss", DIRECT)]


def test_a_colon_hands_over_from_the_clause_it_ends_and_across_a_paragraph(nlp):
    cheered = "The crowd cheered, and then Mayor Tomas Berg continued: “The harbour will open in May.”"
    assert speakers_of(nlp, cheered) == ["Tomas Berg"]
    put_it = ("As Senator Anna Lindqvist put it:", "“This budget will not pass the chamber as written.”")
    assert speakers_of(nlp, *put_it) == ["Anna Lindqvist"]


def test_a_title_in_the_writers_words_does_not_end_a_run_of_quotes(nlp):
    said = "“The tide turned fast,” Captain Ilse Marrow said on Friday. Her trawler, the “Grey Gull”, sank in 2019."
    assert speakers_of(nlp, said, "“We lost two nets before noon.”") == ["Ilse Marrow", "Ilse Marrow"]


def test_a_quote_does_not_go_on_past_someone_else_named_in_between(nlp):
    first = "“The vote was fair,” said Craig Robinson, who chairs the county party."
    agreed = quoted(nlp, first, "Dianne Bystrom agreed. “Nobody has shown any proof of fraud in this county.”")
    assert [speaker for _text, speaker, _kind in agreed] == ["Craig Robinson", "Dianne Bystrom"]
    undecided = quoted(nlp, first, "Mayor Ellen Park arrived late.", "“Nobody has shown any proof of fraud.”")
    assert [speaker for _text, speaker, _kind in undecided] == ["Craig Robinson", None]  # none rather than a guess


def test_a_statement_is_its_issuers_and_a_continued_quote_its_speakers(nlp):
    got = quoted(nlp, "The Harbour Workers Union issued a statement saying the deal was “a betrayal of every docker.”")
    assert got == [("a betrayal of every docker.", "Harbour Workers Union", PARTIAL)]
    got = quotes(nlp, "“We will rebuild the pier by spring,” Tom Reed said. “And we will pay for it,” he continued.")
    assert [(q.speaker, q.cue) for q in got] == [("Tom Reed", "said"), ("Tom Reed", "continued")]


def test_a_clause_with_its_own_subject_has_its_own_speaker(nlp):
    """A cue above a coordinated or adverbial clause with a subject of its own is not the quote's cue."""
    got = quoted(nlp, "Mayor Tomas Berg praised the plan, but Governor Anna Lindqvist called it a “costly mistake.”")
    assert [speaker for _text, speaker, _kind in got] == ["Anna Lindqvist"]
    got = quoted(
        nlp,
        "The ferry schedule was announced by Mayor Tomas Berg long before Governor Anna Lindqvist described"
        " the delay as a “routine check.”",
    )
    assert [speaker for _text, speaker, _kind in got] == ["Anna Lindqvist"]
    got = quoted(
        nlp,
        "BERGEN (Reuters) - Mayor Tomas Berg said he was unlikely to back the plan because the governor called it"
        " “divisive and wrong” last week.",
    )
    assert [speaker for _text, speaker, _kind in got] == ["the governor"]
    # a condition is no speech of its own: what it holds is the speaker's
    got = quoted(
        nlp,
        "Mayor Tomas Berg says if voters believe the port will be saved by “quick fixes and slogans,” they are wrong.",
    )
    assert [speaker for _text, speaker, _kind in got] == ["Tomas Berg"]


def test_a_dateline_is_not_the_speaker():
    """The model reads `LONDON (Reuters) - Ann Lee said` as a verb with two subjects: the nearer one spoke."""
    words = ["LONDON", "(", "Reuters", ")", "-", "Ann", "Lee", "said", "no", "."]
    deps = ["nsubj", "punct", "appos", "punct", "punct", "compound", "nsubj", "ROOT", "dobj", "punct"]
    body = parsed(words, [7, 2, 0, 2, 0, 6, 7, 7, 7, 7], deps)
    assert subject_of(body, body.doc[7]).text == "Lee"


def test_speakers_no_rule_can_name_get_none(nlp):
    """`it said` stands for a statement, a report or a body far more often than for the nearest organisation;
    `I` in the writer's words is the writer; a function word names nobody."""
    got = quoted(nlp, "The Marlow Trust opposes the plan.", "“We will fight it in every court,” it said.")
    assert got == [("We will fight it in every court", None, DIRECT)]
    got = quoted(nlp, "Mayor Ellen Park opened the pier.", "“It is the finest in the north,” I wrote at the time.")
    assert [speaker for _text, speaker, _kind in got] == [None]


def test_a_passive_cues_subject_was_spoken_to_not_the_speaker(nlp):
    got = quoted(nlp, "In an interview on Monday, Mayor Tomas Berg was asked, “Would you close the harbour?”")
    assert [speaker for _text, speaker, _kind in got] == [None]
    got = quoted(nlp, "Mayor Tomas Berg was told the ferry would be “out of service until spring.”")
    assert [speaker for _text, speaker, _kind in got] == [None]
    got = quoted(nlp, "The plan was called “a disgrace” by Governor Anna Lindqvist.")
    assert [speaker for _text, speaker, _kind in got] == ["Anna Lindqvist"]
    called = "This part of the plan has been called “strategic ambiguity” by Anna Lindqvist, a professor."
    assert speakers_of(nlp, called) == ["Anna Lindqvist"]
    got = quoted(nlp, "Mayor Tomas Berg was quoted as saying the ferry was “a disgrace.”")
    assert [speaker for _text, speaker, _kind in got] == ["Tomas Berg"]


def test_a_quote_that_ends_its_sentence_is_not_the_next_sentences_speakers(nlp):
    text = "Mayor Tomas Berg called the harbour plan “reckless.” Anna Lindqvist, the governor, warned on Friday."
    assert speakers_of(nlp, text) == ["Tomas Berg"]


def test_a_partial_quote_in_a_sentence_with_its_own_subject_is_not_the_last_speakers(nlp):
    said = "“We will win the vote,” said Mayor Tomas Berg."
    charter = "The harbour charter protects pilots who serve in “good behavior” and forbids cuts to their pay."
    assert speakers_of(nlp, said + " " + charter) == ["Tomas Berg"]


def test_as_someone_put_it(nlp):
    put_it = 'As Anna Lindqvist put it, "the harbour is unmoved, and the pilots are tired."'
    assert speakers_of(nlp, "Tomas Berg said the vote was close. " + put_it) == ["Anna Lindqvist"]


def test_a_name_then_an_aside_then_a_cue_after_the_quote(nlp):
    """The parse hangs `Tomas Berg III` on the quote's last name and leaves `tells` with no subject."""
    text = (
        "“Yes, I support Anna Lindqvist,” Tomas Berg III, founder of the Harbour Research Center, tells Gazette "
        "News in an exclusive interview."
    )
    assert speakers_of(nlp, text) == ["Tomas Berg III"]


def test_a_description_right_after_a_quote_speaks_as_written(nlp):
    editorial = "“The mayor should come to the pier,” the editorial read."
    assert speakers_of(nlp, "The Harbour Gazette ran an editorial on Friday.", editorial) == ["the editorial"]


def test_a_quantifier_speaks_with_its_group(nlp):
    got = quoted(nlp, "“The bridge is safe,” said some in the crowd.")
    assert got == [("The bridge is safe", "some in the crowd", DIRECT)]
    got = quoted(nlp, "“We were never asked,” said one of the fishermen who gathered at the pier.")
    assert got == [("We were never asked", "one of the fishermen", DIRECT)]


def test_a_cue_before_a_colon_names_its_subject_as_written(nlp):
    got = quoted(
        nlp,
        "Governor Anna Lindqvist wrote to the council on Monday.",
        "The letter continues: “The harbour cannot wait another winter for a decision.”",
    )
    assert [speaker for _text, speaker, _kind in got] == ["The letter"]


def test_a_given_name_tells_a_pronoun_whom_it_fits(nlp):
    got = quoted(
        nlp,
        "Brian Murphy met the mayor on Monday. Ellen Park told him the budget was balanced.",
        "“The budget is a mess,” he said.",
    )
    assert got == [("The budget is a mess", "Brian Murphy", DIRECT)]  # `him` is not Ellen Park


def test_reported_speech(nlp):
    (quote,) = quotes(nlp, "Hamas said in a statement that Haniyeh would discuss the war with Egyptian officials.")
    assert (quote.kind, quote.speaker, quote.cue) == (REPORTED, "Hamas", "said")
    assert quote.text.startswith("Haniyeh would discuss the war")


def test_a_quote_closing_its_paragraph_after_the_sentence_ended_keeps_its_speaker(nlp):
    """The parser ends the sentence before the closing mark, so the stretch after that mark is empty (was E035)."""
    paragraphs = ["A ferry ran aground off Port Ellis on Tuesday.", 'The spokesman said: "He is resolute."']
    doc = nlp("\n\n".join([*paragraphs, "The ferry was refloated."]))
    assert [t.is_sent_start for t in doc if t.text == '"'] == [False, True]  # the shape that raised
    got = quotes_from_doc(doc, entities_from_doc(doc))
    assert [(q.text, q.speaker, q.kind, q.cue) for q in got] == [("He is resolute.", "The spokesman", DIRECT, "said")]


def test_an_empty_or_reversed_range_has_no_tokens_and_no_cues():
    body = parsed(["Smith", "said", "so"], [1, 1, 1], ["nsubj", "ROOT", "dep"])
    assert body.tokens(8, 8) is None and body.tokens(9, 7) is None
    assert Cues(body).between(9, 7) == [] and not Cues(body).any_between(9, 7)


def test_the_indexed_parse_answers_as_spacy_does(nlp):
    doc = nlp(
        "Hugh Hill, a doctor at Nasser Hospital, said the wards were full and the staff, who had not slept, "
        "were tired. “We did everything,” he said, according to Margaret Olsen. Talks resumed."
    )
    tree = Body.of(doc).tree
    for token in doc:
        assert tree.sentence(token) == token.sent
        assert [t.i for t in tree.children(token)] == [t.i for t in token.children]
        assert [t.i for t in tree.subjects(token)] == [t.i for t in token.children if t.dep_ in ("nsubj", "nsubjpass")]
        assert tree.depth(token) == len(list(token.ancestors))
        assert [t.i for t in doc if tree.governs(token, t)] == [t.i for t in doc if token.is_ancestor(t)]
        first, last = tree.subtree_positions(token)
        in_order = sorted((t for t in doc if first <= tree.position(t) <= last), key=tree.position)
        assert [t.i for t in in_order] == [t.i for t in token.subtree]
    for sent in doc.sents:
        assert tree.root(sent) == sent.root


def test_offsets_point_into_the_body(nlp):
    paragraphs = ["A ferry ran aground.", "“We did everything by the book,” said Ilse Marrow."]
    body = "\n\n".join(paragraphs)
    (quote,) = quotes(nlp, *paragraphs)
    assert body[quote.start : quote.end] == quote.text
    assert quote.paragraph == 1


# -- the seed story ---------------------------------------------------------------------------


def test_the_seed_story_quotes_hold(nlp, shared_data):
    from wirestream.transforms import formats
    from wirestream.transforms.parsing.story_parts import parse_item

    expected = json.loads((shared_data / "seed" / "ap-haniyeh-cairo.expected.json").read_text())
    (item,) = formats.decode((shared_data / "seed" / "ap-haniyeh-cairo.txt").read_bytes())
    story = parse_item(item, Source(path="seed"), pipeline_version="test")
    doc = nlp(story.body)
    found = quotes_from_doc(doc, entities_from_doc(doc, story.dateline))

    def norm(text: str) -> str:
        return text.strip(" ,.").casefold()

    for want in expected["quotes"]:
        (got,) = [q for q in found if norm(q.text) == norm(want["text"])]
        assert got.speaker == want["speaker"]
        assert got.kind == want["kind"].upper()
        if "cue" in want:
            assert got.cue == want["cue"]
        assert story.body[got.start : got.end] == got.text
    for wrong in expected["quotes_must_not"]:
        assert not [q for q in found if q.text.strip(" ,.") == wrong["text"] and q.speaker], wrong["why"]
    reported = [q for q in found if q.kind == REPORTED]
    for example in expected["reported_speech_examples"]:
        hits = [q for q in reported if q.text.startswith(example["starts"])]
        assert hits, example
        assert hits[0].cue == example["cue"]
        assert hits[0].speaker in example["speaker"] or example["speaker"].endswith(hits[0].speaker)


# -- no story lost to the quote finder (issue 18) ---------------------------------------------


def test_a_colon_quote_between_two_paragraphs_does_not_raise(nlp):
    """spaCy raised E035 (a span ending before it starts) on this once: the empty range after the quote."""
    found = quoted(nlp, "The minister resigned on Monday.", 'The spokesman said: "He is resolute."', "Talks resume.")
    assert found == [("He is resolute.", "The spokesman", DIRECT)]


SENTENCES = [
    "The minister resigned on Monday",
    "The spokesman said",
    "He is resolute",
    "Talks resume next week, officials said",
    "Ilse Marrow, the captain, told reporters",
    "according to the coast guard",
    "We did everything by the book",
    "said Mayor Oskar Fennimore",
]
PIECES = ['"', "“", "”", "‘", "’", "'", ":", ",", ".", " ", "\n\n", "\n", " said ", " told ", " according to ", " — "]


@st.composite
def copy_with_stray_marks(draw: st.DrawFn) -> str:
    """Real sentences with quote marks, colons, cues and paragraph breaks dropped in anywhere between them."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        parts.extend(draw(st.lists(st.sampled_from(PIECES), max_size=4)))
        parts.append(draw(st.sampled_from(SENTENCES)))
    parts.extend(draw(st.lists(st.sampled_from(PIECES), max_size=4)))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=copy_with_stray_marks())
def test_quote_finding_never_raises_on_copy_with_stray_marks(nlp, text):
    doc = nlp(text)
    for quote in quotes_from_doc(doc, entities_from_doc(doc)):
        assert 0 <= quote.start <= quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
