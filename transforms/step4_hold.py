"""Hold stage: an item under embargo leaves the graph here, as its input message, for the held topic.

Each item of a message is held on its own, and comes back alone through the input topic when the
releaser puts it there at its time (``wirestream.transforms.newsroom.embargo``), so no language
model runs and no record is written for it before then. An item marked embargoed whose time cannot
be read waits there for an editor. A kill goes on, and leaves a notice on the held topic so that
nothing it kills is released later. Our headers set by a producer are ignored, and counted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics

from wirestream.transforms.newsroom.embargo import Fate, editor_reason, fate, held_record, kill_notice, refused_headers
from wirestream.transforms.records.signals import CANCELED
from wirestream.transforms.stage_fn import Element
from wirestream.transforms.telemetry import metrics

HELD = "held"


class HoldFn(beam.DoFn):
    """Main output: ``(message, story)`` free to go on; tagged ``held``: the ``OutRecord``s for the held topic."""

    def __init__(self, held_topic: str) -> None:
        self._held_topic = held_topic
        self._held = Metrics.counter("wirestream", "embargoes_held")

    def process(self, element: Element) -> Iterator[object]:
        message, story = element
        decided = fate(story, message, int(time.time() * 1000), self._held_topic)
        for name in refused_headers(message, decided, self._held_topic):
            metrics.count_refused_header(name)
        if decided is Fate.DONE:
            return
        if decided is Fate.GO:
            if story.pubstatus == CANCELED:
                yield beam.pvalue.TaggedOutput(HELD, kill_notice(message, story, self._held_topic))
            yield element
            return
        reason = editor_reason(story) if decided is Fate.EDITOR else None
        if reason is not None:
            metrics.EMBARGOES_FOR_EDITOR.labels(story.format).inc()
        metrics.EMBARGOES_HELD.labels(story.format).inc()
        self._held.inc()
        yield beam.pvalue.TaggedOutput(HELD, held_record(message, story, self._held_topic, reason))
