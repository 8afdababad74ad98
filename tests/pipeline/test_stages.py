"""Each stage on Beam's test runner: good input goes on, bad input becomes a counted dead letter."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from wirestream.pipelines.ingest import STORIES, ProcessMessages, deadletters_of
from wirestream.transforms.records import avro
from wirestream.transforms.records.story import WireMessage
from wirestream.transforms.stage_fn import DEADLETTER
from wirestream.transforms.step3_parse import ParseFn

STORY = (
    "PORT ELLIS, Norland (FP) — A ferry ran aground on Tuesday, officials said.\n"
    "Everyone was brought ashore by nightfall.\n"
).encode()


def message(value: bytes, offset: int = 0) -> WireMessage:
    return WireMessage(topic="wire.raw", partition=0, offset=offset, timestamp_ms=1, key=None, value=value)


def test_the_pipeline_graph_routes_each_failure_to_the_dead_letters():
    inputs = [message(STORY, 0), message(b"", 1), message(b"\xff\xfe\x00\x01" * 10, 2), message(b"x" * 501, 3)]
    with BeamTestPipeline() as p:
        out = p | beam.Create(inputs) | ProcessMessages(stories_topic="out", max_message_bytes=500)
        assert_that(
            out[STORIES] | beam.Map(lambda r: (r.topic, avro.decode(r.value)["dateline"]["location"])),
            equal_to([("out", "PORT ELLIS")]),
            label="stories",
        )
        assert_that(
            out[deadletters_of("Decode")] | beam.Map(lambda d: (d.message.offset, d.stage, d.reason)),
            equal_to([(1, "decode", "empty"), (2, "decode", "binary"), (3, "decode", "too-large")]),
            label="dead letters",
        )


def test_dead_letter_record_keeps_the_original_bytes_and_says_why():
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


def test_an_unexpected_exception_is_an_internal_error_not_a_crash():
    class BoomFn(ParseFn):
        def handle(self, message, item):
            raise KeyError("surprise")

    with BeamTestPipeline() as p:
        out = (
            p
            | beam.Create([(message(STORY), None)])
            | beam.ParDo(BoomFn(pipeline_version="t")).with_outputs(DEADLETTER, main="stories")
        )
        assert_that(out.stories, equal_to([]), label="no story")
        assert_that(out[DEADLETTER] | beam.Map(lambda d: d.reason), equal_to(["internal-error"]), label="letter")
