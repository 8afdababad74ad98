"""Hold stage: a story under embargo leaves the graph here, as its input message, for the held topic.

It comes back through the input topic when the releaser puts it there at its time
(``wirestream.transforms.newsroom.embargo``), so no language model runs and no record is
written for it before then.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics

from wirestream.transforms.newsroom.embargo import held_record, is_held
from wirestream.transforms.stage_fn import Element
from wirestream.transforms.telemetry import metrics

HELD = "held"


class HoldFn(beam.DoFn):
    """Main output: ``(message, story)`` free to go on; tagged ``held``: the ``OutRecord`` that waits."""

    def __init__(self, held_topic: str) -> None:
        self._held_topic = held_topic
        self._held = Metrics.counter("wirestream", "embargoes_held")

    def process(self, element: Element) -> Iterator[object]:
        message, story = element
        if not is_held(story, message, int(time.time() * 1000)):
            yield element
            return
        metrics.EMBARGOES_HELD.labels(story.format).inc()
        self._held.inc()
        yield beam.pvalue.TaggedOutput(HELD, held_record(message, story, self._held_topic))
