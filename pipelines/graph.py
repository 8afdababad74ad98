"""The ingest graph: Kafka → decode → parse → hold → enrich → encode → Kafka, dead letters beside.

Encode writes four outputs: stories, one record per quote and per entity on their own topics, and
each story family's latest version on the compacted latest topic. Hold sends stories under embargo
to the held topic, from which the releaser (``wirestream.pipelines.release``) puts them back on the
input at their time; urgent stories also take a fast lane (``wirestream.pipelines.urgent_lane``).

On the local runners everything from read to write stays one fused stage: no GroupByKey,
Reshuffle or Flatten. Beam's local FnApiRunner materialises those between stages, so in a streaming
run nothing after one ever runs, and in a bounded run the source would commit its offsets before
the writes happen. Each output therefore gets its own sink (they share one producer per process).
Flink streams through them: there a Reshuffle spreads the messages over the workers, and a
GroupByKey on the family brings each family's stories to one encode worker and its latest table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import apache_beam as beam
from apache_beam.transforms.util import ReshufflePerKey

from wirestream.transforms.deadletters.letter import DeadLetter
from wirestream.transforms.kafka.latest_topic import read_latest
from wirestream.transforms.kafka.topics import PartitionRead
from wirestream.transforms.newsroom.latest import LatestTable
from wirestream.transforms.records.version import VERSION
from wirestream.transforms.serve_metrics import ServeMetricsFn
from wirestream.transforms.settings import Settings
from wirestream.transforms.stage_fn import DEADLETTER, StageFn
from wirestream.transforms.step1_read import ReadFromKafka
from wirestream.transforms.step2_decode import DecodeFn
from wirestream.transforms.step3_parse import ParseFn
from wirestream.transforms.step4_hold import HELD, HoldFn
from wirestream.transforms.step5_enrich import EnrichStories
from wirestream.transforms.step6_encode import ENTITIES, LATEST, QUOTES, EncodeFn
from wirestream.transforms.step7_write import WriteToKafka

__all__ = ["DEADLETTERS", "SINKS", "STAGES", "STORIES", "ProcessMessages", "build", "deadletters_of"]

STORIES = "stories"
DEADLETTERS = "deadletters"  # the sinks' `output` label for the dead-letter topic
# Each output of ProcessMessages but the dead letters, and the sink that writes it.
SINKS = {
    STORIES: "WriteStories",
    QUOTES: "WriteQuotes",
    ENTITIES: "WriteEntities",
    LATEST: "WriteLatest",
    HELD: "WriteHeld",
}
# The stages that dead-letter what they cannot handle, in the order a message meets them.
STAGES = ("Decode", "Parse", "Enrich", "Encode")  # Hold never fails: it only reads a field


def deadletters_of(stage: str) -> str:
    """The key of ``stage``'s dead letters among ``ProcessMessages``' outputs."""
    return f"{stage}DeadLetters"


def build(pipeline: beam.Pipeline, settings: Settings, *, runner: str, metrics_port: int) -> list[PartitionRead]:
    """Add the ingest graph to ``pipeline``; returns the reads it plans, one per input partition.

    ``runner`` is the runner's name (``flink.runner_name``): metrics are labelled with it, and Flink
    gets its own graph (above). ``metrics_port`` is where each worker serves its metrics.
    """
    connection = settings.connection
    on_flink = runner == "FlinkRunner"
    reader = ReadFromKafka(
        connection,
        settings.topics.input,
        settings.group_id,
        until_end=settings.until_end,
        exactly_once=settings.exactly_once,
        # Flink streams through a Reshuffle (the FnApiRunner does not): partitions go to every worker.
        spread_partitions=True if on_flink else None,
        # Flink has no bundle finalization in batch mode: the launcher commits after the job succeeds.
        launcher_commits=on_flink and settings.until_end,
    )
    messages = pipeline | "ReadFromKafka" >> reader
    if on_flink:
        # Spread the messages over every worker, however the partitions fell: the model is the cost.
        # On Flink the offsets still commit only after the outputs: a checkpoint completes once every
        # operator has finished its bundle, and the sinks flush at a bundle's end.
        messages = messages | "SpreadMessages" >> beam.Reshuffle()
    latest = settings.topics.latest
    processed = (
        messages
        | "ServeMetrics" >> beam.ParDo(ServeMetricsFn(metrics_port, version=VERSION, runner=runner))
        | "Process"
        >> ProcessMessages(
            settings,
            load_latest=functools.partial(read_latest, connection, latest) if latest else None,
            # Several workers each hold a latest table: a family's stories must all meet the same one.
            by_family=on_flink and bool(latest),
        )
    )
    # With --exactly-once, every sink shares the one transactional producer whose per-bundle
    # transaction also commits the source's offsets (transforms/kafka/transaction.py).
    write = functools.partial(WriteToKafka, connection, transactional_id=settings.transactional_id)
    for output, sink in SINKS.items():
        processed[output] | sink >> write(output=output)
    for stage in STAGES:
        (
            processed[deadletters_of(stage)]
            | f"{stage}DeadLetterRecords" >> beam.Map(DeadLetter.to_record, settings.topics.deadletter)
            | f"Write{stage}DeadLetters" >> write(output=DEADLETTERS)
        )
    return reader.reads


class ProcessMessages(beam.PTransform):
    """Decode → Parse → Hold → Enrich → Encode: ``WireMessage``s in, records for every output topic out.

    The outputs (a dict of PCollections, never flattened) are ``STORIES`` (story ``OutRecord``s),
    ``QUOTES``, ``ENTITIES`` and ``LATEST`` (their ``OutRecord``s; ``LATEST`` empty without a
    latest topic), ``HELD`` (input messages under embargo, for the held topic), and each stage's
    ``DeadLetter``s under ``deadletters_of(stage)``. The pipeline and the tests build exactly this graph.
    ``load_latest`` reads the latest topic's table back when a worker sets up (``read_latest``).
    ``by_family`` sends the enriched stories of each family to one encode worker (a GroupByKey, so
    only for runners of several workers that stream through one, as Flink does).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        load_latest: Callable[[], LatestTable] | None = None,
        by_family: bool = False,
        pipeline_version: str = VERSION,
    ) -> None:
        super().__init__()
        self._by_family = by_family
        self._decode = DecodeFn(settings.limits, settings.wire_format, settings.agencies)
        self._parse = ParseFn(settings.limits, pipeline_version, settings.agencies)
        self._hold = HoldFn(settings.topics.held)
        self._enrich = EnrichStories(settings.nlp, settings.limits)
        self._encode = EncodeFn(settings.topics, settings.schema_ids, load_latest)

    @property
    def stages(self) -> tuple[StageFn, ...]:
        """The stages that may hold processes of their own: decode, parse, enrich."""
        return self._decode, self._parse, self._enrich.fn

    def expand(self, messages: beam.PCollection) -> dict[str, beam.PCollection]:
        decoded = (
            messages
            | "Pair" >> beam.Map(lambda message: (message, message.value))
            | "Decode" >> beam.ParDo(self._decode).with_outputs(DEADLETTER, main="items")
        )
        parsed = decoded.items | "Parse" >> beam.ParDo(self._parse).with_outputs(DEADLETTER, main="stories")
        free = parsed.stories | "Hold" >> beam.ParDo(self._hold).with_outputs(HELD, main="stories")
        enriched = free.stories | "Enrich" >> self._enrich
        stories = enriched.stories
        if self._by_family:
            stories = (
                stories
                | "KeyByFamily" >> beam.Map(lambda element: (element[1].family_id, element))
                | "GatherFamilies" >> ReshufflePerKey()
                | "Unkey" >> beam.Values()
            )
        encoded = stories | "Encode" >> beam.ParDo(self._encode).with_outputs(
            DEADLETTER, QUOTES, ENTITIES, LATEST, main="records"
        )
        outputs = {
            STORIES: encoded.records | "StoryRecords" >> beam.Values(),
            QUOTES: encoded[QUOTES],
            ENTITIES: encoded[ENTITIES],
            LATEST: encoded[LATEST],
            HELD: free[HELD],
        }
        for stage, stage_outputs in zip(STAGES, (decoded, parsed, enriched, encoded), strict=True):
            outputs[deadletters_of(stage)] = stage_outputs[DEADLETTER]
        return outputs
