"""With two model processes, a write-through that the model finishes first still leaves the enrich
stage after the version it replaces, while a story of another family does not wait for either."""

from __future__ import annotations

import time
from typing import Any

from apache_beam.utils.windowed_value import WindowedValue

from wirestream.transforms import formats
from wirestream.transforms.nlp.enrich import enrich_stories
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story, WireMessage
from wirestream.transforms.settings import Limits, NlpSettings
from wirestream.transforms.step5_enrich import EnrichFn

from .test_time_limit import sentence_model


def enrich_slowly(nlp: Any, stories: list[Story]) -> Any:
    """``enrich_stories``, three seconds late on a story that says SLOWLY."""
    if any("SLOWLY" in story.body for story in stories):
        time.sleep(3)
    return enrich_stories(nlp, stories)


class SlowEnrichFn(EnrichFn):
    def __init__(self) -> None:
        super().__init__(NlpSettings(batch_size=8, processes=2), Limits(max_message_seconds=60))
        self._function = enrich_slowly
        self._context_setup = sentence_model


def element(offset: int, lead: str, family: str) -> tuple[WireMessage, Story]:
    raw = f"PORT ELLIS, Norland (FP) — {lead}\n".encode()
    (item,) = formats.decode(raw)
    story = parse_item(item, Source(topic="wire.raw", partition=0, offset=offset))
    story.family_id = family
    message = WireMessage(topic="wire.raw", partition=0, offset=offset, timestamp_ms=1, key=None, value=raw)
    return message, story


def wait_for_an_idle_process(fn: EnrichFn, out: list[Any]) -> None:
    """Take what has finished meanwhile, until a process is free (each story then gets its own share)."""
    deadline = time.monotonic() + 60
    while not fn.has_idle_process:
        assert time.monotonic() < deadline, "no model process came free in 60 s"
        out.extend(fn._outputs(wait=False))
        time.sleep(0.05)


def test_a_write_through_never_overtakes_its_first_version_and_other_families_do_not_wait() -> None:
    fn = SlowEnrichFn()
    fn.setup()
    try:
        fn.start_bundle()
        out: list[Any] = []
        for element_ in (
            element(0, "The ferry ran aground, SLOWLY.", "ferry"),  # v1, three seconds in the model
            element(1, "The ferry ran aground; all were saved.", "ferry"),  # its write-through, done at once
            element(2, "The lighthouse stays lit.", "lighthouse"),
        ):
            wait_for_an_idle_process(fn, out)
            out.extend(fn.process(element_, timestamp=0, window=None))
        out.extend(fn.finish_bundle())
    finally:
        fn.teardown()
    offsets = [value.value[0].offset for value in out if isinstance(value, WindowedValue)]
    assert offsets == [2, 0, 1]
