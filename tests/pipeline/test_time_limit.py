"""A message that runs past the stage's time limit is a counted ``too-slow`` dead letter, and the
messages after it go on."""

from __future__ import annotations

import time

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from wirestream.transforms import flow, formats
from wirestream.transforms.nlp.enrich import enrich_stories
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, WireMessage
from wirestream.transforms.settings import Limits, NlpSettings
from wirestream.transforms.stage_fn import DEADLETTER
from wirestream.transforms.step2_decode import DecodeFn
from wirestream.transforms.step5_enrich import EnrichFn

STALL = b"STALL"


def decode_or_stall(raw: bytes, *, limits: Limits, wire_format: str | None = None) -> list:
    """``formats.decode``, except that one message never finishes (as a runaway pattern would)."""
    if raw.startswith(STALL):
        while True:
            time.sleep(1)
    return flow.decode(raw, limits=limits, wire_format=wire_format)


class StallingDecodeFn(DecodeFn):
    def __init__(self, max_seconds: float) -> None:
        super().__init__(Limits(max_message_seconds=max_seconds))
        self._function = decode_or_stall


def message(value: bytes, offset: int) -> WireMessage:
    return WireMessage(topic="wire.raw", partition=0, offset=offset, timestamp_ms=1, key=b"k", value=value)


def test_a_stalled_message_is_a_too_slow_dead_letter_with_its_bytes_and_the_rest_go_on():
    story = "PORT ELLIS, Norland (FP) — A ferry ran aground on Tuesday, officials said.\n".encode()
    inputs = [message(story, 0), message(STALL + b" forever", 1), message(story, 2)]
    started = time.monotonic()
    with BeamTestPipeline() as p:
        out = (
            p
            | beam.Create(inputs)
            | beam.Map(lambda m: (m, m.value))
            | beam.ParDo(StallingDecodeFn(max_seconds=1)).with_outputs(DEADLETTER, main="items")
        )
        assert_that(out.items | beam.Map(lambda pair: pair[0].offset), equal_to([0, 2]), label="items")
        assert_that(
            out[DEADLETTER] | beam.Map(lambda d: (d.message.offset, d.stage, d.reason, d.message.value)),
            equal_to([(1, "decode", "too-slow", STALL + b" forever")]),
            label="dead letter",
        )
    assert time.monotonic() - started < 60


def sentence_model():
    """A blank English pipeline that only splits sentences: the enrich stage's functions need no more."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def enrich_or_stall(nlp, stories):
    """``enrich_stories``, except on a story that stalls (as spaCy's tokenizer does on 8,000 brackets)."""
    if any("STALL" in story.body for story in stories):
        while True:
            time.sleep(1)
    return enrich_stories(nlp, stories)


class StallingEnrichFn(EnrichFn):
    def __init__(self, max_seconds: float, processes: int = 1, batch_size: int = 32) -> None:
        super().__init__(
            NlpSettings(batch_size=batch_size, processes=processes), Limits(max_message_seconds=max_seconds)
        )
        self._function = enrich_or_stall
        self._context_setup = sentence_model


def parsed_leads(leads: list[str]) -> list[tuple]:
    """``(message, story)`` for each lead under a dateline, its offset its place in ``leads``."""
    batch = []
    for offset, lead in enumerate(leads):
        raw = f"PORT ELLIS, Norland (FP) — {lead}\n".encode()
        (item,) = formats.decode(raw)
        batch.append((message(raw, offset), parse_item(item, Source(offset=offset))))
    return batch


def test_a_story_that_stalls_the_model_is_a_too_slow_dead_letter_and_its_batch_neighbours_go_on():
    batch = parsed_leads(["The ferry left on time.", "STALL the model.", "The lighthouse stays lit."])
    with BeamTestPipeline() as p:
        out = (
            p
            | beam.Create(batch)
            | beam.ParDo(StallingEnrichFn(max_seconds=1)).with_outputs(DEADLETTER, main="stories")
        )
        assert_that(out.stories | beam.Map(lambda e: e[0].offset), equal_to([0, 2]), label="neighbours")
        assert_that(
            out[DEADLETTER] | beam.Map(lambda d: (d.message.offset, d.stage, d.reason)),
            equal_to([(1, "enrich", "too-slow")]),
            label="dead letter",
        )


def test_with_two_model_processes_every_story_comes_out_once_with_its_neighbours_dead_lettered_alone():
    batch = parsed_leads(["STALL the model." if n == 5 else f"Ferry number {n} left on time." for n in range(12)])
    with BeamTestPipeline() as p:
        out = (
            p
            | beam.Create(batch)
            | beam.ParDo(StallingEnrichFn(max_seconds=1, processes=2, batch_size=4)).with_outputs(
                DEADLETTER, main="stories"
            )
        )
        assert_that(
            out.stories | beam.Map(lambda e: e[0].offset), equal_to([n for n in range(12) if n != 5]), label="stories"
        )
        assert_that(out[DEADLETTER] | beam.Map(lambda d: (d.message.offset, d.reason)), equal_to([(5, "too-slow")]))


def no_gazetteer() -> None:
    raise RuntimeError("the gazetteer's index is missing")


class DecodeFnThatCannotStart(DecodeFn):
    prepare = staticmethod(no_gazetteer)


def test_a_stage_process_that_cannot_start_fails_the_run_not_the_messages():
    """The stages' processes start together, their setups awaited at the first bundle: one that fails
    there still fails the run (as a failed DoFn setup does), and no message becomes a dead letter."""
    story = "PORT ELLIS, Norland (FP) — A ferry ran aground on Tuesday, officials said.\n".encode()
    stage = DecodeFnThatCannotStart(Limits(max_message_seconds=5))
    with pytest.raises(Exception, match="gazetteer's index is missing"), BeamTestPipeline() as p:
        p | beam.Create([message(story, 0)]) | beam.Map(lambda m: (m, m.value)) | beam.ParDo(stage)
