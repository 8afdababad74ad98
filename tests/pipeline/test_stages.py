"""The stages on Beam's test runner: good input goes on, and input that fails a stage becomes a
counted dead letter of that stage, which holds up neither the rest nor its neighbours."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from wirestream.pipelines.graph import STAGES, STORIES, ProcessMessages, deadletters_of
from wirestream.transforms import step6_encode
from wirestream.transforms.encoding import avro
from wirestream.transforms.formats import decode
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story, WireMessage
from wirestream.transforms.settings import Limits, NlpSettings, Settings, Topics
from wirestream.transforms.stage_fn import DEADLETTER
from wirestream.transforms.step3_parse import ParseFn
from wirestream.transforms.step5_enrich import EnrichFn
from wirestream.transforms.step6_encode import LATEST

STORY = (
    "PORT ELLIS, Norland (FP) — A ferry ran aground on Tuesday, officials said.\n"
    "Everyone was brought ashore by nightfall.\n"
).encode()
# spaCy refuses a text over nlp.max_length (1,000,000 characters): a real story the model fails on.
TOO_LONG_FOR_THE_MODEL = "VALMORA, Norland (FP) — ".encode() + b"ferry " * 180_000
MAX_BYTES = 1_200_000
UNENCODABLE = "TALLMARK, Norland (FP) — The story whose record will not fit its schema.\n".encode()


def message(value: bytes, offset: int = 0) -> WireMessage:
    return WireMessage(topic="wire.raw", partition=0, offset=offset, timestamp_ms=1, key=None, value=value)


@pytest.fixture
def encoding_fails_for_tallmark(monkeypatch: pytest.MonkeyPatch) -> None:
    """No story that parses fails its schema, so make one: Tallmark's gets a version Avro's int cannot hold."""
    real = step6_encode.story_records

    def story_records(story: Story, **topics: Any) -> Any:
        if story.dateline is not None and story.dateline.location == "TALLMARK":
            story.version = 2**40
        return real(story, **topics)

    monkeypatch.setattr(step6_encode, "story_records", story_records)


def test_each_stage_routes_what_fails_it_to_its_own_dead_letters(encoding_fails_for_tallmark: None) -> None:
    inputs = [
        message(STORY, 0),
        message(b"", 1),  # decode: empty
        message(b"\xff\xfe\x00\x01" * 10, 2),  # decode: binary
        message(b"x" * (MAX_BYTES + 1), 3),  # decode: too large
        message(b"By Hedda Sorvik\nFictional Press Writer\n", 4),  # parse: a byline and nothing else
        message(TOO_LONG_FOR_THE_MODEL, 5),  # enrich
        message(UNENCODABLE, 6),  # encode
    ]
    with BeamTestPipeline() as p:
        out = (
            p
            | beam.Create(inputs)
            | ProcessMessages(Settings(topics=Topics(stories="out"), limits=Limits(max_message_bytes=MAX_BYTES)))
        )
        assert_that(
            out[STORIES] | beam.Map(lambda r: (r.topic, avro.decode(r.value)["dateline"]["location"])),
            equal_to([("out", "PORT ELLIS")]),
            label="stories",
        )
        expected = {
            "Decode": [(1, "decode", "empty"), (2, "decode", "binary"), (3, "decode", "too-large")],
            "Parse": [(4, "parse", "no-body")],
            "Enrich": [(5, "enrich", "too-long-for-nlp")],
            "Encode": [(6, "encode", "unencodable")],
        }
        assert set(expected) == set(STAGES)
        for stage, letters in expected.items():
            assert_that(
                out[deadletters_of(stage)] | f"{stage}Why" >> beam.Map(lambda d: (d.message.offset, d.stage, d.reason)),
                equal_to(letters),
                label=f"{stage} dead letters",
            )


# --- the enrich stage's fallback ----------------------------------------------------------------

# The size of every batch the model below was given, in order (the runner is in-process).
MODEL_CALLS: list[int] = []


class _ModelThatFailsOnPoison:
    """Fails a whole ``pipe`` call when any text in it says POISON, as spaCy fails a batch for one
    text over its length limit; otherwise a blank English pipeline that only splits sentences."""

    max_length = 1_000_000
    lang = "en"
    meta: ClassVar[dict[str, str]] = {"name": "fails_on_poison"}  # what Story.nlp_model names it by

    def __init__(self) -> None:
        import spacy

        self._nlp = spacy.blank("en")
        self._nlp.add_pipe("sentencizer")

    def pipe(self, texts: Iterable[str], batch_size: int = 32) -> Iterator[Any]:
        texts = list(texts)
        MODEL_CALLS.append(len(texts))
        if any("POISON" in text for text in texts):
            raise ValueError("the model cannot read POISON")
        return self._nlp.pipe(texts, batch_size=batch_size)


class _EnrichWithFailingModel(EnrichFn):
    """The stage run in the worker (no time limit, so no child) with the failing model as its context."""

    def __init__(self) -> None:
        super().__init__(NlpSettings(), Limits(max_message_seconds=None))

    def setup(self) -> None:
        self._context = (_ModelThatFailsOnPoison(),)


def _element(offset: int, text: str) -> tuple[WireMessage, Story]:
    raw = text.encode()
    [item] = decode(raw)
    return message(raw, offset), parse_item(item, Source(offset=offset))


def test_a_failed_batch_is_retried_story_by_story_so_only_the_bad_story_is_dead_lettered() -> None:
    MODEL_CALLS.clear()
    batch = [
        _element(0, "PORT ELLIS, Norland (FP) — The ferry left on time."),
        _element(1, "VALMORA, Norland (FP) — A story the model cannot read: POISON."),
        _element(2, "TALLMARK, Norland (FP) — The lighthouse stays lit."),
    ]
    with BeamTestPipeline() as p:
        out = p | beam.Create(batch) | beam.ParDo(_EnrichWithFailingModel()).with_outputs(DEADLETTER, main="stories")
        assert_that(
            out.stories | beam.Map(lambda e: (e[0].offset, e[1].entities[0].text if e[1].entities else None)),
            equal_to([(0, "Port Ellis"), (2, "Tallmark")]),  # enriched: the dateline's place is an entity
            label="neighbours",
        )
        assert_that(
            out[DEADLETTER] | beam.Map(lambda d: (d.message.offset, d.stage, d.reason)),
            equal_to([(1, "enrich", "enrich-failed")]),
            label="dead letter",
        )
    assert MODEL_CALLS == [3, 1, 1, 1]  # the batch once, then each story alone


# --- dead letters and bugs ----------------------------------------------------------------------


def test_dead_letter_record_keeps_the_original_bytes_and_says_why() -> None:
    from wirestream.transforms.deadletters.errors import DecodeError
    from wirestream.transforms.deadletters.letter import DeadLetter

    original = WireMessage("wire.raw", 2, 41, 7, b"k", b"\x00bad", (("agency", b"FP"),))
    record = DeadLetter.from_exception(original, "decode", DecodeError("not text", reason="binary")).to_record("dl")
    headers = dict(record.headers)
    assert (record.topic, record.key, record.value) == ("dl", b"k", b"\x00bad")
    assert headers["agency"] == b"FP"
    assert headers["wirestream.stage"] == b"decode"
    assert headers["wirestream.reason"] == b"binary"
    assert headers["wirestream.error"] == b"DecodeError: not text"
    assert headers["wirestream.source.offset"] == b"41"


def test_an_unexpected_exception_is_an_internal_error_not_a_crash() -> None:
    class BoomFn(ParseFn):
        def handle(self, message, item):
            raise KeyError("surprise")

    with BeamTestPipeline() as p:
        out = (
            p
            | beam.Create([(message(STORY), None)])
            | beam.ParDo(BoomFn(Limits(), pipeline_version="t")).with_outputs(DEADLETTER, main="stories")
        )
        assert_that(out.stories, equal_to([]), label="no story")
        assert_that(out[DEADLETTER] | beam.Map(lambda d: d.reason), equal_to(["internal-error"]), label="letter")


# --- gathering families (the graph for runners of several workers) -------------------------------


def versioned(n: int, version: int) -> WireMessage:
    item = {"uri": f"urn:fp:ferry-{'abc'[n]}", "type": "text", "version": str(version), "body_text": STORY.decode()}
    return message(json.dumps(item).encode(), offset=10 * n + version)


# The latest output in the order it was written (the test runner runs in this process): a compacted
# topic keeps each family's last record, so the order, not only the set, is what a reader gets.
LATEST_WRITES: list[tuple[str, int | None]] = []


def written(record: Any) -> Any:
    LATEST_WRITES.append((record.key.decode(), None if record.value is None else avro.decode(record.value)["version"]))
    return record


def test_gathered_by_family_each_family_ends_at_its_newest_version_on_the_latest_output() -> None:
    inputs = [versioned(n, version) for version in (3, 1, 2) for n in range(3)]
    LATEST_WRITES.clear()
    with BeamTestPipeline() as p:
        out = (
            p
            | beam.Create(inputs)
            | ProcessMessages(Settings(topics=Topics(stories="out", latest="latest")), by_family=True)
        )
        assert_that(
            out[STORIES] | beam.Map(lambda r: avro.decode(r.value)["id"]),
            equal_to([f"urn:fp:ferry-{n}:v{version}" for n in "abc" for version in (1, 2, 3)]),
            label="stories",
        )
        out[LATEST] | beam.Map(written)
    families = {f"urn:fp:ferry-{n}" for n in "abc"}
    last = dict(LATEST_WRITES)  # what a compacted read ends with
    assert last == dict.fromkeys(families, 3), LATEST_WRITES
    for family in families:  # never an older version after a newer one
        versions = [version for key, version in LATEST_WRITES if key == family]
        assert versions == sorted(set(versions)), (family, versions)
