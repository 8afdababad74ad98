"""``wirestream run``'s launch and lifecycle: settle the settings, start the job and what runs beside it,
wait, report; and the process-wide state a signal acts on (``drain()``, ``cancel()``).

The graph is ``graph.py``'s; what differs on Flink is ``flink.py``'s; the schemas' ids are settled
here, before Kafka is touched, so a schema missing or refused fails the launch.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import (
    DirectOptions,
    FlinkRunnerOptions,
    PipelineOptions,
    PortableOptions,
    StandardOptions,
)

from wirestream.pipelines import flink, graph
from wirestream.pipelines.companions import start_companions
from wirestream.pipelines.options import WirestreamOptions, settings_from
from wirestream.pipelines.schema_ids import RegistrySettings, settle_schema_ids
from wirestream.transforms import step1_read
from wirestream.transforms.kafka.clients import check_connection
from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.held_topic import ensure_held_topic
from wirestream.transforms.kafka.latest_topic import ensure_latest_topic
from wirestream.transforms.kafka.topics import check_access, commit_reads, ensure_topics, run_access, unread_offsets
from wirestream.transforms.kafka.transaction import abort_pending_transaction
from wirestream.transforms.places.agencies import add_private_agencies
from wirestream.transforms.records.version import VERSION
from wirestream.transforms.serve_metrics import start_exporter
from wirestream.transforms.settings import Settings

__all__ = ["cancel", "counts", "drain", "draining", "run"]

_LOGGER = logging.getLogger(__name__)
COUNTERS = ("messages_consumed", "stories_processed", "deadletters", "embargoes_held", "records_produced")
# Sinks of records derived from a story (one per quote, one per entity, its family's latest). They are
# left out of the run's `records_produced`, which accounts for the input: one story, held message or
# dead letter per message. Prometheus counts them per topic (wirestream_records_produced_total).
FAN_OUT_SINKS = ("WriteQuotes", "WriteEntities", "WriteLatest")

# The process-wide state: the jobs this process runs, and whether it was asked to drain or cancel them.
_RUNNING: list[tuple[beam.runners.runner.PipelineResult, PipelineOptions]] = []
_DRAINING = threading.Event()
_CANCELLED = threading.Event()


def run(argv: list[str] | None = None) -> dict[str, int]:
    """Run the pipeline with ``argv`` (our options and Beam's) until it ends; returns its counts.

    A continuous run ends only when stopped; a bounded one (``--until-end``) when it has read
    up to the end offsets seen at launch. For a bounded run, ``offsets_unread`` counts the offsets
    between where the group's committed offsets stand at the end and those end offsets: 0 when
    the run did all it was launched to do.
    """
    options = PipelineOptions(argv)
    if flink.on_flink(options):
        until_end = options.view_as(WirestreamOptions).until_end
        options = PipelineOptions(flink.flink_argv(list(argv or []), continuous=not until_end))
        flink.flink_job_name(options)
    opts = options.view_as(WirestreamOptions)
    check_running_mode(options)
    settings = settings_from(opts)
    add_private_agencies(settings.agencies)  # the urgent lane parses here
    release = start_stage_processes(settings, options)
    try:
        return _run(options, settings)
    finally:
        release()


def start_stage_processes(settings: Settings, options: PipelineOptions) -> Callable[[], None]:
    """Start the stages' processes now, when the runner runs the stages in this process (the local
    runners): they load their models while the launch checks Kafka, settles the schemas and starts the
    job, whose stages then find them started (``sandbox.shared``). Returns what lets them go."""
    if flink.on_flink(options) or options.view_as(PortableOptions).environment_type not in (None, "LOOPBACK"):
        return lambda: None  # the stages run in workers elsewhere
    stages = [stage for stage in graph.ProcessMessages(settings).stages if stage.runs_in_processes]
    for stage in stages:
        stage.setup()

    def release() -> None:
        for stage in stages:
            stage.teardown()

    return release


def _run(options: PipelineOptions, settings: Settings) -> dict[str, int]:
    opts = options.view_as(WirestreamOptions)
    ConnectionConfig.forget_secrets(opts)  # the graph carries them; Beam would show the options
    options.view_as(StandardOptions).streaming = not settings.until_end
    registry = RegistrySettings(opts.schema_registry_url, opts.auto_register_schemas)
    ids = settle_schema_ids(registry, settings.topics)  # before Kafka: a schema missing or refused fails here
    settings = dataclasses.replace(settings, schema_ids=ids.pipeline)
    prepare_kafka(settings, options)
    pipeline = beam.Pipeline(options=options)
    runner = flink.runner_name(options)
    reads = graph.build(pipeline, settings, runner=runner, metrics_port=opts.metrics_port)
    if flink.on_flink(options):  # the workers serve theirs; the lane and the releaser count here
        start_exporter(opts.launcher_metrics_port, version=VERSION, runner=runner)
    companions = start_companions(settings, reads, ids.urgent)
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
        companions.stop(wait_for_lane=settings.until_end)
    totals = counts(result)
    totals["urgent_written"] = companions.urgent_written()
    if settings.until_end:
        if flink.on_flink(options):
            commit_reads(settings.connection, settings.group_id, reads)  # the job succeeded: all it read is written
        totals["offsets_unread"] = sum(unread_offsets(settings.connection, settings.group_id, reads).values())
    return totals


def prepare_kafka(settings: Settings, options: PipelineOptions) -> None:
    """The output topics, created if missing; with exactly once, what a crashed run left open, settled
    before the source reads the committed offsets. A broker, topic, group or transactional id the run
    cannot use fails here, in one line (KafkaSetupError), not in a worker."""
    check_connection(settings.connection)
    ensure_held_topic(settings.connection, settings.topics.held)  # first: made compacted, or refused if it expires
    ensure_topics(settings.connection, settings.topics.plain_outputs())
    if settings.topics.latest:
        ensure_latest_topic(settings.connection, settings.topics.latest)
    check_access(settings.connection, run_access(settings))
    if settings.exactly_once:
        check_exactly_once(options)
        abort_pending_transaction(settings.connection, settings.transactional_id)


def drain() -> bool:
    """Stop every run of this process cleanly (Ctrl-C, SIGTERM): readers stop at their next checkpoint,
    bundles in flight finish and commit; a Flink job, whose readers a drain cannot reach, is cancelled.
    Returns whether a Flink job was cancelled."""
    _DRAINING.set()
    step1_read.drain()
    return cancel()


def draining() -> bool:
    """Whether ``drain()`` was called: a bounded run that ends short then ended on request."""
    return _DRAINING.is_set()


def cancel() -> bool:
    """Cancel the Flink job this process runs; whether there was one.

    Offsets stay where the last checkpoint committed them: what came after is read again by the next
    run. A session cluster's job is cancelled through Flink's REST API (the job server's cancel does
    not reach it), found by its job name.
    """
    jobs = [(result, options) for result, options in _RUNNING if flink.on_flink(options)]
    if jobs:
        _CANCELLED.set()
    for result, options in jobs:
        try:
            flink.cancel_job(options.view_as(FlinkRunnerOptions).flink_master, flink.flink_job_name(options))
        except OSError as exc:
            _LOGGER.warning("could not cancel the job on the Flink cluster (%s): cancel it in Flink's web UI", exc)
        try:
            result.cancel()  # the embedded cluster's job, and the job server
        except Exception:  # already ended, or the job server went away
            _LOGGER.debug("cancelling the job failed", exc_info=True)
    return bool(jobs)


def check_exactly_once(options: PipelineOptions) -> None:
    """Exactly once needs a single worker: one transactional producer per transactional id."""
    if flink.on_flink(options):
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


def check_running_mode(options: PipelineOptions) -> None:
    """Refuse the DirectRunner's multi-processing mode, in which the reads never run: such a run
    read nothing and reported success."""
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
