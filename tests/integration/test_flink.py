"""The unchanged pipeline on Flink, on the real broker: embedded, and on a session cluster of one
JobManager and two TaskManagers (``deploy/flink/flink.sh``), each with its own Python workers.

``make test-flink`` runs these (``-m flink``); ``make test`` leaves them out. The cluster starts once
for the module on ``WIRESTREAM_TEST_FLINK_PORT`` (default 28081) and the kill test, which takes a
TaskManager away, runs last.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import signal
import statistics
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient

from tests.integration.dashboard_preview import promql
from tests.integration.kafka_tools import (
    TopicReader,
    child_processes,
    free_port,
    metric,
    ninjs_story,
    pipeline_args,
    produce,
    run_cli,
    start_pipeline,
    stop,
    story_ids,
)
from tests.integration.prometheus_tools import running_prometheus
from tests.wire_fixtures import fixture
from wirestream.transforms.encoding import avro
from wirestream.transforms.kafka.clients import producer_config

pytestmark = [pytest.mark.kafka, pytest.mark.slow, pytest.mark.flink]

REPO = Path(__file__).resolve().parents[2]
FLINK_SH = REPO / "deploy" / "flink" / "flink.sh"
FLINK_PORT = int(os.environ.get("WIRESTREAM_TEST_FLINK_PORT", "28081"))
CLUSTER_DIR = Path.home() / ".cache" / "wirestream" / "flink" / f"cluster-{FLINK_PORT}"
FIXTURES = [
    "text/fp-kestrel-dock-strike.txt", "ninjs/fp-ninjs2-council-vote.json", "newsmlg2/fp-valmora-derby.xml",
    "nitf/fp-morkvik-cafe.xml", "anpa1312/fp-ferry-strike.tst", "iptc7901/fp-ferry-talks.txt",
    "apmedia/fp-media-ferry-deal.json", "newsml12/fp-port-ellis-shipyard.xml",
]  # fmt: skip


def flink(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLINK_PORT": str(FLINK_PORT)}
    return subprocess.run(["bash", str(FLINK_SH), *args], capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def cluster() -> Iterator[list[str]]:
    """The ``wirestream run`` options of a running session cluster (what ``make flink-up`` prints)."""
    started = flink("up")
    if started.returncode != 0:
        pytest.fail(f"the Flink cluster did not start:\n{started.stderr[-3000:]}")
    try:
        yield shlex.split(started.stdout.strip().splitlines()[-1])
    finally:
        flink("down", timeout=120)


@pytest.fixture(scope="module")
def job_server_jar() -> str:
    built = flink("jobserver-jar")
    assert built.returncode == 0, built.stderr[-3000:]
    return built.stdout.strip().splitlines()[-1]


def rest(path: str, method: str = "GET") -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{FLINK_PORT}{path}", method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def running_jobs() -> list[dict]:
    return [job for job in rest("/jobs/overview")["jobs"] if job["state"] == "RUNNING"]


def four_partitions(bootstrap: str, prefix: str) -> str:
    topic = f"{prefix}.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics({topic: {"num_partitions": 4, "replication_factor": 1}}, wait_for_metadata=True)
    admin.close()
    return topic


def stories_on(bootstrap: str, topic: str, count: int, timeout: float = 180) -> dict[str, dict]:
    with TopicReader(bootstrap, topic, timeout=timeout) as reader:
        records = reader.wait_for(count, timeout)
    return {story["id"]: story for story in (avro.decode(r.value) for r in records)}


def essentials(story: dict) -> tuple:
    """What must not depend on the runner: the parse and the enrichment."""
    return (
        story["id"], story["headline"], json.dumps(story["dateline"]), tuple(story["paragraphs"]),
        json.dumps(story["entities"], sort_keys=True), json.dumps(story["quotes"], sort_keys=True),
    )  # fmt: skip


def test_the_same_input_gives_the_same_stories_on_every_runner(kafka_bootstrap, cluster, job_server_jar):
    topic = four_partitions(kafka_bootstrap, "flink.same")
    values = [fixture(name).read_bytes() for name in FIXTURES] + [ninjs_story(topic, n) for n in range(8)]
    produce(kafka_bootstrap, topic, values)
    embedded = ["--runner", "FlinkRunner", "--flink_master=[local]", "--flink_job_server_jar", job_server_jar,
                "--environment_type", "LOOPBACK", "--nlp-processes", "1"]  # fmt: skip
    outputs = {}
    for name, options in (("direct", []), ("embedded", embedded), ("cluster", cluster)):
        out = f"{topic}.{name}"
        started = time.monotonic()
        done = run_cli(*pipeline_args(kafka_bootstrap, topic, out, "--until-end", *options), timeout=600)
        assert done.returncode == 0, f"{name}:\n{done.stderr[-4000:]}"
        assert f"read {len(values)} message(s)" in done.stderr, f"{name}:\n{done.stderr[-2000:]}"
        print(f"\n{name}: bounded run of {len(values)} messages in {time.monotonic() - started:.1f} s")
        outputs[name] = stories_on(kafka_bootstrap, f"{out}.stories", len(values))
        again = run_cli(*pipeline_args(kafka_bootstrap, topic, out, "--until-end", *options), timeout=600)
        assert again.returncode == 0 and "read 0 message(s)" in again.stderr, f"{name} committed:\n{again.stderr}"
    assert len(outputs["direct"]) == len(values)
    want = sorted(map(essentials, outputs["direct"].values()))
    assert sorted(map(essentials, outputs["embedded"].values())) == want
    assert sorted(map(essentials, outputs["cluster"].values())) == want


def taskmanager_stories(taskmanagers: int = 2) -> dict[str, float]:
    """Stories processed per TaskManager, from each one's Flink Prometheus reporter (Beam's counters)."""
    base = 9249 + FLINK_PORT - 8081
    counts = {}
    for i in range(1, taskmanagers + 1):
        with urllib.request.urlopen(f"http://127.0.0.1:{base + i}/metrics", timeout=5) as response:
            text = response.read().decode()
        counts[f"taskmanager-{i}"] = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("flink_taskmanager_job_task_operator_wirestream_stories_processed{")
        )
    return counts


FLASH = (REPO / "tests" / "sequences" / "ninjs" / "09-f-flash.json").read_bytes()


def panels_without_data(prometheus) -> list[str]:
    """The dashboard's queries with no finite value from a Prometheus scraping the cluster's workers
    (one endpoint serves the sums of every worker of the machine)."""
    dashboard = json.loads((REPO / "deploy" / "grafana" / "dashboards" / "wirestream.json").read_text())
    return [
        target["expr"]
        for panel in dashboard["panels"]
        for target in panel["targets"]
        if not any(math.isfinite(float(r["value"][1])) for r in prometheus.query(promql(target["expr"])))
    ]


def latencies(records: list) -> list[float]:
    """Output record's Kafka timestamp minus its input's (the story's source timestamp), seconds."""
    return [(r.timestamp - avro.decode(r.value)["source"]["timestamp_ms"]) / 1000 for r in records]


def test_a_continuous_run_on_the_cluster_spreads_the_work_delivers_and_stops_cleanly(
    kafka_bootstrap, cluster, tmp_path
):
    topic = four_partitions(kafka_bootstrap, "flink.live")
    out, metrics_port, launcher_port = f"{topic}.out", free_port(), free_port()
    log = tmp_path / "pipeline.log"
    # The workers' endpoint, and the launcher's (the urgent lane and the releaser run beside the job).
    with running_prometheus(tmp_path, [f"127.0.0.1:{metrics_port}", f"127.0.0.1:{launcher_port}"]) as prometheus:
        args = pipeline_args(
            kafka_bootstrap, topic, out, *cluster, f"--launcher-metrics-port={launcher_port}", metrics_port=metrics_port
        )
        pipeline = start_pipeline(args, log)
        try:
            produce(kafka_bootstrap, topic, [ninjs_story(topic, n) for n in range(4)])  # the warm-up
            with TopicReader(kafka_bootstrap, f"{out}.stories", timeout=240) as reader:
                reader.wait_for_keys(story_ids(topic, 4), timeout=240)
                assert len(reader.records) >= 4, log.read_text()[-4000:]
                warm = len(reader.records)
                for batch in range(6):  # fed while it runs: 36 stories over about 12 s
                    produce(kafka_bootstrap, topic, [ninjs_story(topic, 4 + batch * 6 + n) for n in range(6)])
                    time.sleep(2)
                produce(kafka_bootstrap, topic, [FLASH])  # for the urgent lane's panel
                keys = reader.wait_for_keys(story_ids(topic, 40), timeout=180)
                measured = latencies(reader.records[warm:])
            assert {key for key in keys if key.startswith("urn:test:")} == story_ids(topic, 40), log.read_text()[-4000:]
            time.sleep(4)  # a few more scrapes
            per_worker = taskmanager_stories()
            exposition = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).read().decode()
            empty = panels_without_data(prometheus)
            quantiles = statistics.quantiles(measured, n=100)
            print(
                f"\ncontinuous on the cluster: {len(measured)} stories after the warm-up, latency p50 "
                f"{statistics.median(measured):.2f} s, p99 {quantiles[98]:.2f} s; stories per TaskManager "
                f"{per_worker}; dashboard queries without data: {empty}"
            )
            assert all(count > 0 for count in per_worker.values()), per_worker
            assert empty == [], "dashboard queries with no data on a Flink run"
            assert metric(exposition, "wirestream_stories_processed_total") >= 40  # one endpoint for both workers
            assert pipeline.poll() is None, "a continuous run must keep running"
            assert len(running_jobs()) == 1
        finally:
            code = stop(pipeline, timeout=90)
    output = log.read_text()
    assert code == 0, output[-4000:]
    assert "cancelled the Flink job" in output
    assert running_jobs() == []


def test_a_checkpoint_in_the_first_bundles_keeps_every_partition(kafka_bootstrap, cluster, tmp_path):
    """A checkpoint each second falls in the first bundle of the stages the Impulse feeds (Create's
    partitions). Without --finish_bundle_before_checkpointing (in the cluster's options) Beam kept
    those outputs in the snapshot's buffer for good, and the job never read: 3 stalls in 3 runs."""
    topic = four_partitions(kafka_bootstrap, "flink.early")
    out = f"{topic}.out"
    log = tmp_path / "pipeline.log"
    args = pipeline_args(kafka_bootstrap, topic, out, *cluster, "--checkpointing_interval=1000")
    pipeline = start_pipeline(args, log)
    try:
        producer = KafkaProducer(**producer_config(kafka_bootstrap))
        for partition in range(4):  # one story in each partition: each must reach a reader
            producer.send(topic, value=ninjs_story(topic, partition), partition=partition)
        producer.flush()
        producer.close()
        with TopicReader(kafka_bootstrap, f"{out}.stories", timeout=240) as reader:
            keys = reader.wait_for_keys(story_ids(topic, 4), timeout=240)
        assert set(keys) == story_ids(topic, 4), log.read_text()[-4000:]
        assert pipeline.poll() is None, "a continuous run must keep running"
    finally:
        code = stop(pipeline, timeout=90)
    assert code == 0, log.read_text()[-4000:]


def test_versions_of_a_family_on_different_partitions_leave_it_at_its_newest(kafka_bootstrap, cluster, tmp_path):
    """Messages are spread over the workers and each holds a latest table, so the pipeline gathers a
    family's stories to one encode worker first: once a family's version 3 is out, its versions 1
    and 2, sent later on other partitions, leave wire.latest as it is (with a table per worker, each
    had one chance in two of meeting a table that never saw version 3)."""
    topic = four_partitions(kafka_bootstrap, "flink.family")
    out, families = f"{topic}.out", range(10, 18)  # numbers no version is: a uri ending ":1" at version 1 is v1
    log = tmp_path / "pipeline.log"
    pipeline = start_pipeline(pipeline_args(kafka_bootstrap, topic, out, *cluster), log)
    producer = KafkaProducer(**producer_config(kafka_bootstrap))

    def send(versions: tuple[int, ...]) -> set[str]:
        for n in families:
            for version in versions:
                producer.send(topic, value=ninjs_story(topic, n, version), partition=(n + version) % 4)
        producer.flush()
        return {f"urn:test:{topic}:{n}:v{version}" for n in families for version in versions}

    try:
        with TopicReader(kafka_bootstrap, f"{out}.stories", timeout=240) as reader:
            produce(kafka_bootstrap, topic, [ninjs_story(topic, n) for n in range(4)])  # the warm-up
            for step in (lambda: story_ids(topic, 4), lambda: send((3,)), lambda: send((1, 2))):
                wanted = step()  # each step sent once the one before is out
                keys = reader.wait_for_keys(wanted, timeout=240)
                assert wanted <= set(keys), log.read_text()[-4000:]
        with TopicReader(kafka_bootstrap, f"{out}.latest", timeout=30) as reader:
            latest = reader.wait_for(None, timeout=10, quiet=3)
        written: dict[str, list[int | None]] = {}
        for record in latest:
            written.setdefault(record.key.decode(), []).append(avro.decode(record.value)["version"])
        print(f"\nwire.latest, the versions written per family, 3 first, then 1 and 2: {written}")
        assert {family: versions for family, versions in written.items() if int(family.rsplit(":")[-1]) >= 10} == {
            f"urn:test:{topic}:{n}": [3] for n in families
        }
    finally:
        producer.close()
        code = stop(pipeline, timeout=90)
    assert code == 0, log.read_text()[-4000:]


def test_killing_a_taskmanager_mid_stream_loses_no_story(kafka_bootstrap, cluster, tmp_path):
    topic = four_partitions(kafka_bootstrap, "flink.kill")
    out, count = f"{topic}.out", 60
    log = tmp_path / "pipeline.log"
    args = pipeline_args(kafka_bootstrap, topic, out, *cluster, "--checkpointing_interval=3000")
    pipeline = start_pipeline(args, log)
    try:
        produce(kafka_bootstrap, topic, [ninjs_story(topic, n) for n in range(count // 2)])
        with TopicReader(kafka_bootstrap, f"{out}.stories", timeout=240) as reader:
            deadline = time.monotonic() + 240
            while len(reader.records) < 10 and time.monotonic() < deadline:
                reader.poll()
            assert len(reader.records) >= 10, log.read_text()[-4000:]
            victim = int((CLUSTER_DIR / "taskmanager-2.pid").read_text())
            workers = child_processes(victim)
            for pid in [victim, *workers]:
                os.kill(pid, signal.SIGKILL)
            killed_at = time.monotonic()
            produce(kafka_bootstrap, topic, [ninjs_story(topic, n) for n in range(count // 2, count)])
            keys = reader.wait_for_keys(story_ids(topic, count), timeout=300)
            recovered = time.monotonic() - killed_at
        missing = story_ids(topic, count) - set(keys)
        duplicates = sum(keys.values()) - len(keys)
        print(
            f"\nkill -9 of taskmanager-2 and its {len(workers)} worker process(es): all {count} stories out "
            f"{recovered:.0f} s later, {duplicates} duplicate(s) (at least once: a recovery replays from the "
            f"last checkpoint); missing {sorted(missing)}"
        )
        assert not missing, log.read_text()[-4000:]
        assert pipeline.poll() is None, "the job recovers; the launcher keeps running"
    finally:
        code = stop(pipeline, timeout=90)
    assert code == 0, log.read_text()[-4000:]
