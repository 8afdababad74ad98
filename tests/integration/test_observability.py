"""Metrics as operators see them: a real Prometheus scraping a real pipeline over the real broker.

Every dashboard panel's query must return data, every alert rule must evaluate, the exposition must
pass ``promtool check metrics``, and the counters must agree with what is on the topics.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import yaml

from tests.integration.dashboard_preview import promql, render
from tests.integration.kafka_tools import free_port, pipeline_args, produce, read_topic, scrape, start_pipeline, stop
from tests.integration.prometheus_tools import running_prometheus
from tests.wire_fixtures import fixture

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DASHBOARD = json.loads((DEPLOY / "grafana" / "dashboards" / "wirestream.json").read_text())
ALERT_RULES = [
    r for g in yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())["groups"] for r in g["rules"]
]
BAD = [b"", b"\x00\x01\x02 not text", b'{"headline": "cut off', "caf\xe9 latin-1".encode("latin-1")]


@pytest.fixture(scope="module")
def observed(kafka_bootstrap, repo_samples, tmp_path_factory):
    """A continuous run with Prometheus scraping it: (prometheus, run facts) while both still run."""
    work = tmp_path_factory.mktemp("observed")
    topic, out = f"obs.{uuid.uuid4().hex[:8]}", f"obsout.{uuid.uuid4().hex[:8]}"
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    admin.create_topics({topic: {"num_partitions": 3, "replication_factor": 1}}, wait_for_metadata=True)
    admin.close()
    good = [
        (repo_samples / "fp-port-ellis-ferry.txt").read_bytes(),
        (repo_samples / "fp-valmora-vote.json").read_bytes(),
        fixture("text/fp-kestrel-dock-strike.txt").read_bytes(),
    ] + [f"PORT ELLIS, Norland (FP) — Ferry {n} left on time, “on the dot,” the harbour master said.\n".encode()
         for n in range(20)]  # fmt: skip
    metrics_port = free_port()
    args = pipeline_args(kafka_bootstrap, topic, out, metrics_port=metrics_port)
    pipeline = start_pipeline(args, work / "pipeline.log")
    try:
        with running_prometheus(work, [f"127.0.0.1:{metrics_port}"]) as prometheus:
            prometheus.wait_for('up{job="wirestream"} == 1', timeout=120)
            start = time.time()
            for i in range(0, len(good), 4):  # a few batches, so rates have something to show
                produce(
                    kafka_bootstrap, topic, good[i : i + 4] + (BAD[i // 4 : i // 4 + 1] if i // 4 < len(BAD) else [])
                )
                time.sleep(1.5)
            stories = read_topic(kafka_bootstrap, f"{out}.stories", expect=len(good), timeout=120)
            letters = read_topic(kafka_bootstrap, f"{out}.deadletter", expect=len(BAD), timeout=60)
            time.sleep(4)  # a few more scrapes after the last record
            exposition = scrape(metrics_port).encode()
            yield {
                "prometheus": prometheus, "topic": topic, "out": out, "good": good, "stories": stories,
                "letters": letters, "exposition": exposition, "start": start, "log": work / "pipeline.log",
            }  # fmt: skip
    finally:
        stop(pipeline)


def test_counters_agree_with_what_is_on_the_topics(observed):
    p, topic, out = observed["prometheus"], observed["topic"], observed["out"]
    n, k = len(observed["good"]) + len(BAD), len(BAD)
    assert len(observed["stories"]) == n - k and len(observed["letters"]) == k, observed["log"].read_text()[-3000:]
    assert p.value(f'sum(wirestream_messages_consumed_total{{topic="{topic}"}})') == n
    assert p.value("sum(wirestream_stories_processed_total)") == n - k
    assert p.value("sum(wirestream_deadletters_total)") == k
    assert p.value(f'sum(wirestream_records_produced_total{{topic="{out}.stories"}})') == n - k
    assert p.value(f'sum(wirestream_records_produced_total{{topic="{out}.deadletter"}})') == k
    assert p.value(f'sum(wirestream_consumer_lag_messages{{topic="{topic}"}})') == 0


def test_promtool_finds_the_exposition_clean(observed):
    promtool = shutil.which("promtool")
    assert promtool, "promtool not found: `make setup` installs Debian's prometheus package"
    done = subprocess.run([promtool, "check", "metrics"], input=observed["exposition"], capture_output=True)
    assert done.returncode == 0, (done.stdout + done.stderr).decode()


@pytest.mark.parametrize("panel", DASHBOARD["panels"], ids=lambda panel: panel["title"])
def test_every_dashboard_panel_returns_data(observed, panel):
    for target in panel["targets"]:
        assert observed["prometheus"].query(promql(target["expr"])), f"no data for {target['expr']}"


@pytest.mark.parametrize("rule", ALERT_RULES, ids=lambda rule: rule["alert"])
def test_every_alert_expression_evaluates(observed, rule):
    observed["prometheus"].query(rule["expr"])  # raises unless Prometheus accepts and evaluates it
    groups = observed["prometheus"].api("rules", type="alert")["groups"]
    (loaded,) = [r for g in groups for r in g["rules"] if r["name"] == rule["alert"]]
    assert loaded["health"] in ("ok", "unknown"), loaded
    assert loaded.get("lastError", "") == ""


def test_no_alert_fires_on_a_healthy_run(observed):
    firing = [a for a in observed["prometheus"].api("alerts")["alerts"] if a["state"] == "firing"]
    assert firing == []


def test_dashboard_preview_renders_every_panel(observed, tmp_path):
    path = Path(os.environ.get("WIRESTREAM_PREVIEW") or tmp_path / "dashboard-preview.png")
    render(observed["prometheus"], DASHBOARD, observed["start"] - 5, time.time(), path)
    assert path.stat().st_size > 20_000
