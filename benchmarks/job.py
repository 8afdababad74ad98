"""The pipeline's job written without Beam, for the plain-loop and Quix Streams variants of the benchmark:
decode → parse → ``enrich_stories`` → Avro records (``wirestream.transforms.records``), dead letters
for what fails, with the same functions the pipeline's stages call."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import WirestreamError
from wirestream.transforms.deadletters.letter import DeadLetter
from wirestream.transforms.encoding.outputs import story_records
from wirestream.transforms.flow import source_of
from wirestream.transforms.nlp.enrich import enrich_stories
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.output import OutRecord
from wirestream.transforms.records.story import Story, WireMessage
from wirestream.transforms.records.version import VERSION


@dataclass(frozen=True)
class Topics:
    """The output topics of one run: ``<prefix>.stories``, ``.quotes``, ``.entities``, ``.deadletter``."""

    prefix: str

    @property
    def stories(self) -> str:
        return f"{self.prefix}.stories"

    @property
    def quotes(self) -> str:
        return f"{self.prefix}.quotes"

    @property
    def entities(self) -> str:
        return f"{self.prefix}.entities"

    @property
    def deadletter(self) -> str:
        return f"{self.prefix}.deadletter"


def job_arguments(description: str) -> argparse.ArgumentParser:
    """The options both stand-alone jobs take: where to read, where to write, as which group."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--input-topic", required=True)
    parser.add_argument("--prefix", required=True, help="output topics: PREFIX.stories, .quotes, …")
    parser.add_argument("--group-id", required=True)
    return parser


def parse_message(message: WireMessage, topics: Topics) -> tuple[list[tuple[WireMessage, Story]], list[OutRecord]]:
    """The message's stories, or its dead letter as a record."""
    stage = "decode"
    try:
        items = formats.decode(message.value)
        stage = "parse"
        return [(message, parse_item(item, source_of(message), pipeline_version=VERSION)) for item in items], []
    except WirestreamError as exc:
        return [], [DeadLetter.from_exception(message, stage, exc).to_record(topics.deadletter)]


def enrich_and_encode(nlp: Any, parsed: Sequence[tuple[WireMessage, Story]], topics: Topics) -> list[OutRecord]:
    """The records of a batch of stories (one ``nlp.pipe`` call); a failing batch is retried story by story."""
    if not parsed:
        return []
    try:
        enrich_stories(nlp, [story for _, story in parsed])
    except Exception as exc:
        if len(parsed) > 1:
            return [record for one in parsed for record in enrich_and_encode(nlp, [one], topics)]
        return [DeadLetter.from_exception(parsed[0][0], "enrich", exc).to_record(topics.deadletter)]
    records: list[OutRecord] = []
    for message, story in parsed:
        try:
            records += story_records(
                story, stories_topic=topics.stories, quotes_topic=topics.quotes, entities_topic=topics.entities
            )
        except WirestreamError as exc:
            records.append(DeadLetter.from_exception(message, "encode", exc).to_record(topics.deadletter))
    return records
