"""The ingest pipeline: Kafka → decode → parse → hold → enrich → encode → Kafka, dead letters beside.

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

With ``--schema-registry-url`` the records are in the Confluent wire format: the schemas' ids are
registered (or only looked up) at launch, so a missing or refused schema fails the launch, and the
workers carry the ids and never call the registry.
"""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from collections.abc import Callable, Mapping

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import (
    FlinkRunnerOptions,
    GoogleCloudOptions,
    PipelineOptions,
    StandardOptions,
)
from apache_beam.transforms.util import ReshufflePerKey

from wirestream.pipelines import flink_rest
from wirestream.pipelines.companions import start_companions
from wirestream.pipelines.options import WirestreamOptions
from wirestream.transforms.deadletters.letter import DeadLetter
from wirestream.transforms.encoding import registry
from wirestream.transforms.encoding.outputs import LATEST_SCHEMA
from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.latest_topic import ensure_latest_topic, read_latest
from wirestream.transforms.kafka.topics import PartitionRead, commit_reads, ensure_topics, unread_offsets
from wirestream.transforms.kafka.transaction import abort_pending_transaction, transactional_id_for
from wirestream.transforms.newsroom.latest import LatestTable
from wirestream.transforms.nlp.model import DEFAULT_MODEL
from wirestream.transforms.records.version import VERSION
from wirestream.transforms.serve_metrics import ServeMetricsFn, start_exporter
from wirestream.transforms.stage_fn import DEADLETTER, DEFAULT_MAX_SECONDS
from wirestream.transforms.step1_read import ReadFromKafka
from wirestream.transforms.step2_decode import DEFAULT_MAX_BYTES, DecodeFn
from wirestream.transforms.step3_parse import ParseFn
from wirestream.transforms.step4_hold import HELD, HoldFn
from wirestream.transforms.step5_enrich import EnrichStories, available_cores
from wirestream.transforms.step6_encode import ENTITIES, LATEST, QUOTES, EncodeFn
from wirestream.transforms.step7_write import WriteToKafka

_LOGGER = logging.getLogger(__name__)
COUNTERS = ("messages_consumed", "stories_processed", "deadletters", "embargoes_held", "records_produced")
# Sinks of records derived from a story (one per quote, one per entity, its family's latest). They are
# left out of the run's `records_produced`, which accounts for the input: one story, held message or
# dead letter per message. Prometheus counts them per topic (wirestream_records_produced_total).
FAN_OUT_SINKS = ("WriteQuotes", "WriteEntities", "WriteLatest")


def runner_name(opts: PipelineOptions) -> str:
    """The runner as the user named it (Beam's default is the DirectRunner)."""
    runner = opts.view_as(StandardOptions).runner
    return runner if isinstance(runner, str) else type(runner).__name__ if runner else "DirectRunner"


def on_flink(opts: PipelineOptions) -> bool:
    return runner_name(opts) == "FlinkRunner"


# Flink commits a continuous read's offsets when a checkpoint completes (its bundle finalization):
# without checkpoints nothing would ever be committed, so a run without the option gets this one.
DEFAULT_CHECKPOINT_MS = 10_000


# Otherwise Beam's Flink operators finish a bundle that a checkpoint interrupts inside the snapshot and
# keep its outputs until their next bundle or watermark. The stages fed by the Impulse (the partitions)
# never get another: a checkpoint during their one bundle left the job never reading.
FINISH_BUNDLE_BEFORE_CHECKPOINTING = "--finish_bundle_before_checkpointing"


def flink_argv(argv: list[str]) -> list[str]:
    """``argv`` with Flink's checkpoint interval when it names none, and bundles finished before each
    checkpoint (Beam passes both to the job server)."""
    extra = [] if FINISH_BUNDLE_BEFORE_CHECKPOINTING in argv else [FINISH_BUNDLE_BEFORE_CHECKPOINTING]
    if not any(arg.startswith("--checkpointing_interval") for arg in argv):
        extra.append(f"--checkpointing_interval={DEFAULT_CHECKPOINT_MS}")
    return [*argv, *extra]


def build(
    pipeline: beam.Pipeline,
    opts: WirestreamOptions,
    connection: ConnectionConfig | None = None,
    schema_ids: Mapping[str, int] | None = None,
) -> list[PartitionRead]:
    """Add the ingest graph to ``pipeline``; returns the reads it plans, one per input partition.

    ``connection`` defaults to the one ``opts`` give, ``schema_ids`` to ``registry_schema_ids(opts)``.
    """
    if connection is None:
        connection = ConnectionConfig.from_options(opts)
    if schema_ids is None:
        schema_ids = registry_schema_ids(opts)
    # Every sink gets these: the connection and, with --exactly-once, the one transactional producer
    # whose per-bundle transaction also commits the source's offsets (transforms/kafka/transaction.py).
    sink_settings = {"transactional_id": transactional_id(opts)}
    flink = on_flink(opts)
    reader = ReadFromKafka(
        connection,
        opts.input_topic,
        opts.group_id,
        until_end=opts.until_end,
        exactly_once=opts.exactly_once,
        # Flink streams through a Reshuffle (the FnApiRunner does not): partitions go to every worker.
        spread_partitions=True if flink else None,
        # Flink has no bundle finalization in batch mode: the launcher commits after the job succeeds.
        launcher_commits=flink and opts.until_end,
    )
    messages = pipeline | "ReadFromKafka" >> reader
    if flink:
        # Spread the messages over every worker, however the partitions fell: the model is the cost.
        # On Flink the offsets still commit only after the outputs: a checkpoint completes once every
        # operator has finished its bundle, and the sinks flush at a bundle's end.
        messages = messages | "SpreadMessages" >> beam.Reshuffle()
    processed = (
        messages
        | "ServeMetrics" >> beam.ParDo(ServeMetricsFn(opts.metrics_port, version=VERSION, runner=runner_name(opts)))
        | "Process"
        >> ProcessMessages(
            wire_format=opts.wire_format,
            max_message_bytes=opts.max_message_bytes,
            max_message_seconds=opts.max_message_seconds,
            spacy_model=opts.spacy_model,
            nlp_batch_size=opts.nlp_batch_size,
            nlp_processes=opts.nlp_processes or available_cores(),
            stories_topic=opts.stories_topic,
            quotes_topic=opts.quotes_topic,
            entities_topic=opts.entities_topic,
            latest_topic=opts.latest_topic or None,
            load_latest=functools.partial(read_latest, connection, opts.latest_topic) if opts.latest_topic else None,
            held_topic=opts.held_topic,
            schema_ids=schema_ids,
            # Several workers each hold a latest table: a family's stories must all meet the same one.
            by_family=flink and bool(opts.latest_topic),
        )
    )
    for output, sink in SINKS.items():
        processed[output] | sink >> WriteToKafka(connection, output=output, **sink_settings)
    for stage in STAGES:
        (
            processed[deadletters_of(stage)]
            | f"{stage}DeadLetterRecords" >> beam.Map(DeadLetter.to_record, opts.deadletter_topic)
            | f"Write{stage}DeadLetters" >> WriteToKafka(connection, output=DEADLETTERS, **sink_settings)
        )
    return reader.reads


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


class ProcessMessages(beam.PTransform):
    """Decode → Parse → Hold → Enrich → Encode: ``WireMessage``s in, records for every output topic out.

    The outputs (a dict of PCollections, never flattened) are ``STORIES`` (story ``OutRecord``s),
    ``QUOTES``, ``ENTITIES`` and ``LATEST`` (their ``OutRecord``s; ``LATEST`` empty without a
    ``latest_topic``), ``HELD`` (input messages under embargo, for ``held_topic``), and each stage's
    ``DeadLetter``s under ``deadletters_of(stage)``. The pipeline and the tests build exactly this graph.
    ``load_latest`` reads the latest topic's table back when a worker sets up (``read_latest``).
    ``by_family`` sends the enriched stories of each family to one encode worker (a GroupByKey, so
    only for runners of several workers that stream through one, as Flink does).
    """

    def __init__(
        self,
        *,
        stories_topic: str,
        quotes_topic: str | None = None,
        entities_topic: str | None = None,
        latest_topic: str | None = None,
        load_latest: Callable[[], LatestTable] | None = None,
        held_topic: str = "wire.held",
        wire_format: str | None = None,
        max_message_bytes: int = DEFAULT_MAX_BYTES,
        max_message_seconds: float | None = DEFAULT_MAX_SECONDS,
        spacy_model: str = DEFAULT_MODEL,
        nlp_batch_size: int = 32,
        nlp_processes: int = 1,
        pipeline_version: str = VERSION,
        schema_ids: Mapping[str, int] | None = None,
        by_family: bool = False,
    ) -> None:
        super().__init__()
        self._by_family = by_family
        self._decode = DecodeFn(format=wire_format, max_bytes=max_message_bytes, max_seconds=max_message_seconds)
        self._parse = ParseFn(pipeline_version=pipeline_version, max_seconds=max_message_seconds)
        self._hold = HoldFn(held_topic)
        self._enrich = EnrichStories(
            model=spacy_model, batch_size=nlp_batch_size, max_seconds=max_message_seconds, processes=nlp_processes
        )
        self._encode = EncodeFn(
            topic=stories_topic,
            quotes_topic=quotes_topic,
            entities_topic=entities_topic,
            schema_ids=schema_ids,
            latest_topic=latest_topic,
            load_latest=load_latest,
        )

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


def registry_schema_ids(opts: WirestreamOptions) -> dict[str, int] | None:
    """The registry ids of the story, quote and entity schemas with ``--schema-registry-url``, else None;
    ``latest``: the story schema's id under the latest topic's own subject.

    Registers them (``--no-auto-register-schemas``: only looks them up), so that a schema missing or
    refused fails here, at launch, with a RegistryError (a ValueError: exit 2) that says what to do.
    """
    if not opts.schema_registry_url:
        if not opts.auto_register_schemas:
            raise ValueError(
                "--no-auto-register-schemas needs --schema-registry-url: without a registry the records are Avro "
                "single-object messages and no schema is registered"
            )
        return None
    topics = {
        "story": opts.stories_topic,
        "quote": opts.quotes_topic,
        "entity": opts.entities_topic,
        LATEST_SCHEMA: opts.latest_topic,
    }
    ids = registry.output_schema_ids(
        registry.SchemaRegistry(opts.schema_registry_url),
        topics,
        auto_register=opts.auto_register_schemas,
        schemas={LATEST_SCHEMA: "story"},
    )
    _LOGGER.info(
        "writing the Confluent wire format; schema ids at %s: %s",
        opts.schema_registry_url,
        ", ".join(f"{registry.subject_for(topics[name])}={schema_id}" for name, schema_id in ids.items()),
    )
    return ids


def transactional_id(opts: WirestreamOptions) -> str | None:
    """The producer's transactional id with ``--exactly-once``, else None."""
    if not opts.exactly_once:
        return None
    return opts.transactional_id or transactional_id_for(opts.group_id)


def check_exactly_once(options: PipelineOptions) -> None:
    """Exactly once needs a single worker: one transactional producer per transactional id."""
    from apache_beam.options.pipeline_options import DirectOptions

    if on_flink(options):
        raise ValueError(
            "--exactly-once is not supported on Flink: after a failure Flink resumes the reads from its last "
            "checkpoint, which may be before bundles whose outputs and offsets were already committed in a "
            "transaction, so those outputs would be written twice. Run exactly once on the local runners, or on "
            "Flink at least once (leave the option out; a repeated story has the same id)"
        )
    workers = options.view_as(DirectOptions).direct_num_workers or 1
    if workers != 1:
        raise ValueError(
            f"--exactly-once runs with one worker (--direct_num_workers 1), not {workers}: each bundle is "
            f"one transaction of one producer"
        )


def run(argv: list[str] | None = None) -> dict[str, int]:
    """Run the pipeline with ``argv`` (our options and Beam's) until it ends; returns its counts.

    A continuous run ends only when stopped; a bounded one (``--until-end``) when it has read
    up to the end offsets seen at launch. For a bounded run, ``offsets_unread`` counts the offsets
    between where the group's committed offsets stand at the end and those end offsets: 0 when
    the run did all it was launched to do.
    """
    options = PipelineOptions(argv)
    if on_flink(options) and not options.view_as(WirestreamOptions).until_end:
        options = PipelineOptions(flink_argv(list(argv or [])))
    opts = options.view_as(WirestreamOptions)
    check_running_mode(options)
    options.view_as(StandardOptions).streaming = not opts.until_end
    if on_flink(options):
        flink_job_name(options)
    connection = ConnectionConfig.from_options(opts)
    ConnectionConfig.forget_secrets(opts)  # the graph carries them; Beam would show the options
    schema_ids = registry_schema_ids(opts)  # before Kafka: a schema missing or refused fails the launch
    outputs = [opts.stories_topic, opts.quotes_topic, opts.entities_topic, opts.deadletter_topic, opts.held_topic]
    ensure_topics(connection, [*outputs, *([opts.urgent_topic] if opts.urgent_topic else [])])
    if opts.latest_topic:
        ensure_latest_topic(connection, opts.latest_topic)
    if opts.exactly_once:
        check_exactly_once(options)
        # Settle what a crashed run left open before the source reads the committed offsets.
        abort_pending_transaction(connection, transactional_id(opts))
    pipeline = beam.Pipeline(options=options)
    reads = build(pipeline, opts, connection, schema_ids)
    if on_flink(options):  # the workers serve theirs; the lane and the releaser count here
        start_exporter(opts.launcher_metrics_port, version=VERSION, runner="FlinkRunner")
    companions = start_companions(opts, connection, reads)
    result = pipeline.run()
    _RUNNING.append((result, options))
    try:
        result.wait_until_finish()
    except Exception:
        if not _CANCELLED.is_set():
            raise
        _LOGGER.warning("the job was cancelled on request: offsets stand at its last checkpoint; its counts are on "
                        "the dashboard (a cancelled job's metrics are not returned)")  # fmt: skip
        return {"cancelled": 1}
    finally:
        _RUNNING.pop()
        companions.stop(wait_for_lane=opts.until_end)
    totals = counts(result)
    totals["urgent_written"] = companions.urgent_written()
    if opts.until_end:
        if on_flink(opts):
            commit_reads(connection, opts.group_id, reads)  # the job succeeded: all it read is written
        totals["offsets_unread"] = sum(unread_offsets(connection, opts.group_id, reads).values())
    return totals


_RUNNING: list[tuple[beam.runners.runner.PipelineResult, PipelineOptions]] = []
_CANCELLED = threading.Event()


def cancel_remote_jobs() -> bool:
    """Cancel the Flink job this process runs, whose readers a drain cannot reach; whether there was one.

    Offsets stay where the last checkpoint committed them: what came after is read again by the next
    run. A session cluster's job is cancelled through Flink's REST API (the job server's cancel does
    not reach it), found by its job name.
    """
    jobs = [(result, options) for result, options in _RUNNING if on_flink(options)]
    if jobs:
        _CANCELLED.set()
    for result, options in jobs:
        try:
            flink_rest.cancel_job(options.view_as(FlinkRunnerOptions).flink_master, flink_job_name(options))
        except OSError as exc:
            _LOGGER.warning("could not cancel the job on the Flink cluster (%s): cancel it in Flink's web UI", exc)
        try:
            result.cancel()  # the embedded cluster's job, and the job server
        except Exception:  # already ended, or the job server went away
            _LOGGER.debug("cancelling the job failed", exc_info=True)
    return bool(jobs)


def flink_job_name(options: PipelineOptions) -> str:
    """The job's name on Flink, given (``--job_name``) or set here, by which it can be cancelled."""
    cloud = options.view_as(GoogleCloudOptions)
    if not cloud.job_name:
        cloud.job_name = f"wirestream-{uuid.uuid4().hex[:12]}"
    return cloud.job_name


def check_running_mode(options: PipelineOptions) -> None:
    """Refuse the DirectRunner's multi-processing mode, in which the reads never run: such a run
    read nothing and reported success."""
    from apache_beam.options.pipeline_options import DirectOptions

    if options.view_as(DirectOptions).direct_running_mode == "multi_processing":
        raise ValueError(
            "--direct_running_mode=multi_processing is not supported: its worker processes never run the "
            "Kafka reads, so nothing would be read. The language model already runs on every core "
            "(--nlp-processes, one per core by default); leave the running mode out, or use "
            "--runner PrismRunner or FlinkRunner to spread the reads"
        )


def counts(result: beam.runners.runner.PipelineResult) -> dict[str, int]:
    """The run's committed ``wirestream`` counters (consumed, processed, dead letters, produced).

    ``records_produced`` counts the stories and dead letters acknowledged, not the quote and entity
    records fanned out from the stories, so that consumed == processed + dead letters == produced.
    """
    totals = dict.fromkeys(COUNTERS, 0)
    for counter in result.metrics().query(MetricsFilter().with_namespace("wirestream"))["counters"]:
        if any(sink in counter.key.step for sink in FAN_OUT_SINKS):
            continue  # the FnApiRunner names the step `WriteQuotes/…`, Prism `ref_AppliedPTransform_WriteQuotes-…`
        if counter.key.metric.name in totals:
            totals[counter.key.metric.name] += counter.committed or 0
    return totals
