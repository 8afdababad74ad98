"""Metrics as operators see them: a real Prometheus scraping a real pipeline over the real broker.

Every dashboard panel's query must return data, every alert rule must evaluate, the exposition must
pass ``promtool check metrics``, and the counters must agree with what is on the topics.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from tests.integration.dashboard_preview import promql, render
from tests.integration.kafka_tools import (
    child_processes,
    free_port,
    pipeline_args,
    produce,
    read_topic,
    scrape,
    start_pipeline,
    stop,
)
from tests.integration.prometheus_tools import running_prometheus
from tests.wire_fixtures import fixture
from wirestream.transforms.records.version import VERSION

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DASHBOARD = json.loads((DEPLOY / "grafana" / "dashboards" / "wirestream.json").read_text())
ALERT_RULES = [
    r for g in yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())["groups"] for r in g["rules"]
]
BAD = [b"", b"\x00\x01\x02 not text", b'{"headline": "cut off', "caf\xe9 latin-1".encode("latin-1")]
BAD_REASONS = ("empty", "binary", "bad-json", "bad-encoding")  # the decode stage's reason for each of BAD
SEQUENCE = Path(__file__).resolve().parents[1] / "sequences" / "ninjs"
NEWSROOM_ITEMS = ("01-a-story.json", "02-a-writethru.json", "07-a-kill.json", "09-f-flash.json")
NEWSROOM = [(SEQUENCE / name).read_bytes() for name in NEWSROOM_ITEMS]
# What the run's input holds, known from the input itself (never read off the run's outputs, which
# would let an empty output pass): its formats, the sequence's signals (with the embargoed item's),
# quotes in quote marks, whole and in part, and people, organisations and places.
INPUT_FORMATS = ("NINJS", "TEXT")
INPUT_SIGNALS = sorted(
    {
        (signal, "NINJS")
        for name in (*NEWSROOM_ITEMS, "08-e-embargoed.json")
        for signal in json.loads((SEQUENCE / "expected.json").read_text(encoding="utf-8"))["items"][name]["signals"]
    }
)
INPUT_QUOTE_KINDS = ("DIRECT", "PARTIAL")
INPUT_ENTITY_LABELS = ("GPE", "ORG", "PERSON")


def embargoed(until: datetime) -> bytes:
    """The sequence's embargoed ninjs story, under embargo until ``until``."""
    stamp = until.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return (SEQUENCE / "08-e-embargoed.json").read_bytes().replace(b"{{EMBARGOED_UNTIL}}", stamp)


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
        *NEWSROOM,  # a story, its write-through, its kill and a flash
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
            produce(kafka_bootstrap, topic, [embargoed(datetime.now(UTC) + timedelta(seconds=6))])
            stories = read_topic(kafka_bootstrap, f"{out}.stories", expect=len(good) + 1, timeout=120)
            letters = read_topic(kafka_bootstrap, f"{out}.deadletter", expect=len(BAD), timeout=60)
            processes = len(child_processes(pipeline.pid))
            time.sleep(4)  # a few more scrapes after the last record
            exposition = scrape(metrics_port).encode()
            on_topics = {f"{out}.stories": stories, f"{out}.deadletter": letters}
            for kind in ("quotes", "entities", "latest", "urgent", "held"):
                on_topics[f"{out}.{kind}"] = read_topic(kafka_bootstrap, f"{out}.{kind}")
            yield {
                "prometheus": prometheus, "topic": topic, "out": out, "good": good, "stories": stories,
                "letters": letters, "on_topics": on_topics, "processes": processes, "exposition": exposition,
                "start": start, "log": work / "pipeline.log",
            }  # fmt: skip
    finally:
        stop(pipeline)


def test_counters_agree_with_what_is_on_the_topics(observed):
    p, topic, out = observed["prometheus"], observed["topic"], observed["out"]
    # The embargoed story is read twice (held, then released) and processed once.
    n, k = len(observed["good"]) + 1 + len(BAD), len(BAD)
    assert len(observed["stories"]) == n - k and len(observed["letters"]) == k, observed["log"].read_text()[-3000:]
    assert p.value(f'sum(wirestream_messages_consumed_total{{topic="{topic}"}})') == n + 1
    assert p.value("sum(wirestream_embargoes_held_total)") == p.value("sum(wirestream_embargoes_released_total)") == 1
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


def test_every_output_record_is_timed_under_its_topic(observed):
    """Per output topic: records on it = records acknowledged = end-to-end latency observations."""
    p = observed["prometheus"]
    for topic, records in observed["on_topics"].items():
        acked = p.value(f'sum(wirestream_records_produced_total{{topic="{topic}"}})')
        timed = p.value(f'sum(wirestream_end_to_end_latency_seconds_count{{topic="{topic}"}})')
        assert (len(records), acked, timed) == (len(records),) * 3, topic
    assert len(observed["on_topics"][f"{observed['out']}.quotes"]) > 0
    assert len(observed["on_topics"][f"{observed['out']}.entities"]) > 0


def test_one_endpoint_counts_the_work_of_every_process_of_the_run(observed):
    """The default run is several processes (the model's, one per core); the worker counts for them."""
    p, out = observed["prometheus"], observed["out"]
    assert observed["processes"] >= 2, "the default run should hold model processes beside the worker"
    entities, quotes = observed["on_topics"][f"{out}.entities"], observed["on_topics"][f"{out}.quotes"]
    assert p.value("sum(wirestream_entities_extracted_total)") == len(entities)
    assert p.value("sum(wirestream_quotes_extracted_total)") == len(quotes)


def panel_series(observed) -> dict[str, list[dict[str, str]]]:
    """For each dashboard panel, the series each of its queries must show on the observed run's input."""
    topic, out = observed["topic"], observed["out"]
    outputs = {
        "stories": "stories", "deadletter": "deadletters", "quotes": "quotes", "entities": "entities",
        "latest": "latest", "urgent": "urgent", "held": "held",
    }  # fmt: skip
    return {
        "Messages in": [{"topic": topic}],
        "Records out": [{"topic": f"{out}.{suffix}"} for suffix in outputs],
        "Bytes in": [{"topic": topic}],
        "Dead letters by reason": [{"stage": "decode", "reason": reason} for reason in BAD_REASONS],
        "Stage latency": [{"stage": stage} for stage in ("decode", "parse", "enrich", "encode")],
        "Story latency, end to end": [{"output": "stories"}],
        "End-to-end p99 by output": [{"output": output} for output in outputs.values()],
        "Consumer lag by partition": [{"topic": topic, "partition": str(n)} for n in range(3)],
        "Stories by format": [{"format": f} for f in INPUT_FORMATS],
        "Dead-letter ratio": [{}],
        "Entities per minute": [{"label": label} for label in INPUT_ENTITY_LABELS],
        "Quotes per minute": [{"kind": kind} for kind in INPUT_QUOTE_KINDS],
        "Build": [{"version": VERSION, "runner": "DirectRunner"}],
        "Exporters up": [{}],
        "Kills and withdrawals": [{}],
        "Newsroom signals": [{"signal": signal, "format": f} for signal, f in INPUT_SIGNALS],
        "Embargoes": [{"format": "NINJS"}],
        "Embargoes waiting": [{}],
        # The write-through is "newer", or "after-kill" when the kill, on another partition, came first.
        "Latest versions": [{"placement": placement} for placement in ("new", "killed")],
        "Urgent latency, end to end": [{"output": "urgent"}],
        "Stories by agency": [{"agency": "FP"}],  # the fictional agency tests/conftest.py names
        "Top datelined countries": [],  # the input's places are fictional: no country
        "Stories by language": [{"language": "en"}],
    }


# Panels of series the run starts at zero (metrics.describe_build, so that a first count shows in
# rate()) or that fall back to 0: they show them whether or not anything was counted, so there each
# series must have shown a value other than 0. Elsewhere a series appears only once counted.
STARTED_AT_ZERO = {
    "Dead letters by reason", "Dead-letter ratio", "Stories by format", "Quotes per minute", "Newsroom signals",
    "Kills and withdrawals", "Embargoes", "Latest versions", "Stories by agency",
}  # fmt: skip


def shown_during_the_run(observed, expr: str) -> list[tuple[dict[str, str], bool]]:
    """Each series ``expr`` gave while the run was observed, and whether it ever showed a value other than 0."""
    answer = observed["prometheus"].api("query_range", query=expr, start=observed["start"], end=time.time(), step="1")
    return [
        (series["metric"], any(math.isfinite(float(v)) and float(v) != 0 for _, v in series["values"]))
        for series in answer["result"]
    ]


def test_every_dashboard_panel_has_what_each_of_its_series_is_for(observed):
    """A panel passes only if each query showed, during the run, each series it is for, not merely
    some data (and a value other than 0 where a series is there from the start)."""
    wanted = panel_series(observed)
    assert sorted(wanted) == sorted(panel["title"] for panel in DASHBOARD["panels"]), "name each panel's series"
    missing = {}
    for panel in DASHBOARD["panels"]:
        for target in panel["targets"]:
            shown = shown_during_the_run(observed, promql(target["expr"]))
            counted = [labels for labels, nonzero in shown if nonzero or panel["title"] not in STARTED_AT_ZERO]
            absent = [w for w in wanted[panel["title"]] if not any(w.items() <= s.items() for s in counted)]
            if absent:
                missing[f"{panel['title']}: {target['expr']}"] = {"missing": absent, "shown": shown}
    assert missing == {}


@pytest.mark.parametrize("rule", ALERT_RULES, ids=lambda rule: rule["alert"])
def test_every_alert_expression_evaluates(observed, rule):
    observed["prometheus"].query(rule["expr"])  # raises unless Prometheus accepts and evaluates it
    deadline = time.monotonic() + 30  # rules are evaluated every second; "unknown" is not evaluated yet
    while True:
        groups = observed["prometheus"].api("rules", type="alert")["groups"]
        (loaded,) = [r for g in groups for r in g["rules"] if r["name"] == rule["alert"]]
        if loaded["health"] != "unknown" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert loaded["health"] == "ok", loaded
    assert loaded.get("lastError", "") == ""


def test_the_kill_pages_and_no_other_alert_fires_on_a_healthy_run(observed):
    observed["prometheus"].wait_for('ALERTS{alertname="WirestreamStoryKilled", alertstate="firing"}', timeout=30)
    firing = [a for a in observed["prometheus"].api("alerts")["alerts"] if a["state"] == "firing"]
    assert [(a["labels"]["alertname"], a["labels"]["signal"], a["labels"]["format"]) for a in firing] == [
        ("WirestreamStoryKilled", "kill", "NINJS")
    ]


def test_dashboard_preview_renders_every_panel(observed, tmp_path):
    path = Path(os.environ.get("WIRESTREAM_PREVIEW") or tmp_path / "dashboard-preview.png")
    render(observed["prometheus"], DASHBOARD, observed["start"] - 5, time.time(), path)
    assert path.stat().st_size > 20_000
