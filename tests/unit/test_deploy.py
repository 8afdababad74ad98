"""deploy/ is consistent: compose file, Prometheus config and alerts, Grafana provisioning and dashboard.

There is no Docker engine on our machines, so docker-compose.yml is checked by construction: every
file it mounts exists, the names and ports it wires together agree with the other configs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
PROMETHEUS = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
DASHBOARD = json.loads((DEPLOY / "grafana" / "dashboards" / "wirestream.json").read_text())


def promtool() -> str:
    found = shutil.which("promtool")
    if not found:
        pytest.fail(
            "promtool not found: `make prometheus` installs Debian's prometheus package (apt-get install prometheus)"
        )
    return found


def test_compose_has_the_services_users_expect():
    assert set(COMPOSE["services"]) == {"kafka", "topics", "pipeline", "prometheus", "grafana"}
    assert COMPOSE["services"]["kafka"]["image"].startswith("apache/kafka:")


def test_every_mounted_path_and_the_build_context_exist():
    for name, service in COMPOSE["services"].items():
        for volume in service.get("volumes", []):
            host = volume.split(":")[0]
            assert (DEPLOY / host).exists(), f"{name} mounts {host}, which does not exist"
    build = COMPOSE["services"]["pipeline"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).is_file()


def test_the_pipeline_talks_to_the_compose_kafka_and_prometheus_scrapes_its_metrics_port():
    pipeline = COMPOSE["services"]["pipeline"]
    command = pipeline["command"]
    assert command[0] == "run"
    assert command[command.index("--bootstrap-servers") + 1] == "kafka:9092"
    port = command[command.index("--metrics-port") + 1]
    (job,) = PROMETHEUS["scrape_configs"]
    assert job["job_name"] == "wirestream"
    assert job["static_configs"][0]["targets"] == [f"pipeline:{port}"]
    assert f"{port}:{port}" in pipeline["ports"]
    kafka_env = COMPOSE["services"]["kafka"]["environment"]
    assert "INTERNAL://kafka:9092" in kafka_env["KAFKA_ADVERTISED_LISTENERS"]


def test_grafana_provisioning_points_at_the_mounted_dashboards_and_prometheus():
    grafana = COMPOSE["services"]["grafana"]
    mounts = dict(volume.split(":")[:2] for volume in grafana["volumes"])
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/wirestream.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == mounts["./grafana/dashboards"]
    (source,) = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text())["datasources"]
    assert source["url"] == "http://prometheus:9090" and "prometheus" in COMPOSE["services"]


def test_prometheus_config_and_its_rules_are_valid():
    done = subprocess.run([promtool(), "check", "config", str(DEPLOY / "prometheus" / "prometheus.yml")],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_alert_rules_unit_tests_pass():
    done = subprocess.run([promtool(), "test", "rules", "alerts_test.yml"], cwd=DEPLOY / "prometheus",
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_is_unit_tested():
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    tested = yaml.safe_load((DEPLOY / "prometheus" / "alerts_test.yml").read_text())
    covered = {case["alertname"] for test in tested["tests"] for case in test["alert_rule_test"] if case["exp_alerts"]}
    assert alerts == covered


def test_every_dashboard_panel_queries_prometheus_with_the_datasource_variable():
    panels = DASHBOARD["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    for panel in panels:
        assert panel["targets"], panel["title"]
        assert panel["datasource"]["uid"] == "${datasource}"
        assert all(t["expr"].strip() for t in panel["targets"])
    titles = {p["title"] for p in panels}
    assert {"Messages in", "Records out", "Dead letters by reason", "Stage latency", "Consumer lag by partition",
            "Entities per minute", "Quotes per minute", "Stories by format", "Build"} <= titles  # fmt: skip
