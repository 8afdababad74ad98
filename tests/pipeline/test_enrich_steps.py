"""A failure in one enrichment step never discards what the others found (issue 18).

When the quote finder (or entity extraction) raises on a story, the story still goes out with what
the other step found, and the failure is recorded and counted: a ``quotes-failed`` dead letter
beside the story whose error names the step, and the Beam counter ``enrich_<step>_failures``.
"""

from __future__ import annotations

import apache_beam as beam
import pytest
import spacy
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to
from prometheus_client import REGISTRY

from wirestream.transforms.formats import decode
from wirestream.transforms.nlp import enrich
from wirestream.transforms.nlp.enrich import QUOTES, StepFailure, enrich_each
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story, WireMessage
from wirestream.transforms.settings import Limits, NlpSettings
from wirestream.transforms.stage_fn import DEADLETTER
from wirestream.transforms.step5_enrich import EnrichFn


def blank_model() -> spacy.language.Language:
    """Sentences and one ruled entity: all the enrich functions need, without the trained model."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Ilse Marrow"}])
    return nlp


def story(text: str, offset: int = 0) -> tuple[WireMessage, Story]:
    raw = text.encode()
    [item] = decode(raw)
    message = WireMessage(topic="wire.raw", partition=0, offset=offset, timestamp_ms=1, key=None, value=raw)
    return message, parse_item(item, Source(offset=offset))


@pytest.fixture
def quotes_fail_on_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    real = enrich.quotes_from_doc

    def quotes_from_doc(doc, entities, language="en"):
        if "BROKEN" in doc.text:
            raise IndexError("[E035] Error creating span")
        return real(doc, entities, language=language)

    monkeypatch.setattr(enrich, "quotes_from_doc", quotes_from_doc)


def test_the_story_keeps_its_entities_when_the_quote_finder_raises(quotes_fail_on_broken: None) -> None:
    _message, broken = story("PORT ELLIS, Norland (FP) — Ilse Marrow said “we sailed”. BROKEN.")
    (done,) = enrich_each(blank_model(), [broken])
    assert [e.text for e in done.story.entities] == ["Port Ellis", "Norland", "Ilse Marrow"]
    assert done.story.quotes == []
    assert done.failures == [StepFailure(QUOTES, "IndexError: [E035] Error creating span")]


class _EnrichWithBlankModel(EnrichFn):
    def __init__(self) -> None:
        super().__init__(NlpSettings(), Limits(max_message_seconds=None))

    def setup(self) -> None:
        self._context = (blank_model(),)


def test_the_stage_sends_the_story_and_a_dead_letter_naming_the_step_and_counts_it(quotes_fail_on_broken: None) -> None:
    batch = [
        story("PORT ELLIS, Norland (FP) — Ilse Marrow said “we sailed on time”.", 0),
        story("VALMORA, Norland (FP) — Ilse Marrow said “we sailed”. BROKEN.", 1),
    ]
    before = REGISTRY.get_sample_value("wirestream_enrich_step_failures_total", {"step": "quotes"}) or 0
    p = BeamTestPipeline()
    out = p | beam.Create(batch) | beam.ParDo(_EnrichWithBlankModel()).with_outputs(DEADLETTER, main="stories")
    assert_that(
        out.stories | beam.Map(lambda e: (e[0].offset, [x.text for x in e[1].entities][-1], len(e[1].quotes))),
        equal_to([(0, "Ilse Marrow", 1), (1, "Ilse Marrow", 0)]),
        label="both stories, with their entities",
    )
    assert_that(
        out[DEADLETTER] | beam.Map(lambda d: (d.message.offset, d.stage, d.reason, "quotes step failed" in d.error)),
        equal_to([(1, "enrich", "quotes-failed", True)]),
        label="the failed step beside its story",
    )
    result = p.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_name("enrich_quotes_failures"))["counters"]
    assert sum(c.committed for c in counters) == 1
    assert REGISTRY.get_sample_value("wirestream_enrich_step_failures_total", {"step": "quotes"}) == before + 1
