"""Kafka client settings: security (TLS, SASL) reaches every client, and exactly once is wired right.

No broker: kafka-python's clients are replaced by fakes that record the settings they are given.
"""

from __future__ import annotations

from typing import Any

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from wirestream.pipelines import ingest
from wirestream.pipelines.cli import main
from wirestream.pipelines.options import WirestreamOptions, kafka_security
from wirestream.transforms import kafka_io
from wirestream.transforms.kafka_io import (
    _ReadPartitionFn,
    _SharedProducer,
    _WriteFn,
    admin_config,
    consumer_config,
    ensure_topics,
    plan_reads,
    producer_config,
    security_config,
)

NO_ENV: dict[str, str] = {}
SCRAM = {
    "security_protocol": "SASL_SSL",
    "sasl_mechanism": "SCRAM-SHA-512",
    "sasl_plain_username": "wire",
    "sasl_plain_password": "s3cret",
    "ssl_cafile": "/etc/kafka/ca.pem",
}


def test_no_security_options_means_kafka_pythons_defaults():
    assert security_config(environ=NO_ENV) == {}
    assert "security_protocol" not in consumer_config("a:1")


def test_sasl_over_tls_with_scram():
    got = security_config(
        security_protocol="sasl_ssl",
        sasl_mechanism="scram-sha-512",
        sasl_username="wire",
        sasl_password="s3cret",
        ssl_cafile="/etc/kafka/ca.pem",
        environ=NO_ENV,
    )
    assert got == SCRAM


def test_credentials_can_come_from_the_environment():
    env = {"WIRESTREAM_KAFKA_SASL_USERNAME": "wire", "WIRESTREAM_KAFKA_SASL_PASSWORD": "from-env"}
    got = security_config(sasl_mechanism="PLAIN", environ=env)
    assert got == {
        "security_protocol": "SASL_SSL",  # implied by the mechanism
        "sasl_mechanism": "PLAIN",
        "sasl_plain_username": "wire",
        "sasl_plain_password": "from-env",
    }
    # The command line wins over the environment.
    assert security_config(sasl_mechanism="PLAIN", sasl_password="cli", environ=env)["sasl_plain_password"] == "cli"


def test_mutual_tls_implies_ssl_and_keeps_the_key_password():
    got = security_config(
        ssl_cafile="ca.pem",
        ssl_certfile="client.pem",
        ssl_keyfile="client.key",
        ssl_check_hostname=False,
        environ={"WIRESTREAM_KAFKA_SSL_PASSWORD": "kp"},
    )
    assert got == {
        "security_protocol": "SSL",
        "ssl_cafile": "ca.pem",
        "ssl_certfile": "client.pem",
        "ssl_keyfile": "client.key",
        "ssl_password": "kp",
        "ssl_check_hostname": False,
    }


def test_sasl_plaintext_defaults_to_plain():
    got = security_config(security_protocol="SASL_PLAINTEXT", sasl_username="u", sasl_password="p", environ=NO_ENV)
    assert got["sasl_mechanism"] == "PLAIN"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"security_protocol": "TLS"}, "unknown Kafka security protocol"),
        ({"sasl_mechanism": "DIGEST"}, "unknown SASL mechanism"),
        ({"security_protocol": "SSL", "sasl_mechanism": "PLAIN"}, "needs --kafka-security-protocol SASL_SSL"),
        ({"sasl_mechanism": "SCRAM-SHA-256", "sasl_username": "u"}, "needs a username and a password"),
    ],
)
def test_settings_that_cannot_work_are_refused_with_a_hint(settings, message):
    with pytest.raises(ValueError, match=message):
        security_config(environ=NO_ENV, **settings)


def test_client_configs_carry_security_and_overrides_win():
    for build in (consumer_config, producer_config, admin_config):
        config = build("k1:9093,k2:9093", SCRAM, client_id="x")
        assert config["bootstrap_servers"] == ["k1:9093", "k2:9093"]
        assert {k: config[k] for k in SCRAM} == SCRAM
        assert config["client_id"] == "x"
    assert producer_config("k:1", SCRAM)["acks"] == "all"
    assert consumer_config("k:1", SCRAM, isolation_level="read_committed")["isolation_level"] == "read_committed"


RUN_ARGS = [
    "--bootstrap-servers=k:9093",
    "--kafka-security-protocol=SASL_SSL",
    "--kafka-sasl-mechanism=SCRAM-SHA-512",
    "--kafka-sasl-username=wire",
    "--kafka-sasl-password=s3cret",
    "--kafka-ssl-cafile=/etc/kafka/ca.pem",
]


def test_run_options_build_the_security_settings(monkeypatch):
    monkeypatch.delenv("WIRESTREAM_KAFKA_SASL_PASSWORD", raising=False)
    opts = PipelineOptions(RUN_ARGS).view_as(WirestreamOptions)
    assert kafka_security(opts) == SCRAM
    assert kafka_security(PipelineOptions([]).view_as(WirestreamOptions)) == {}
    no_check = PipelineOptions(["--kafka-ssl-cafile=ca.pem", "--kafka-ssl-no-check-hostname"])
    assert kafka_security(no_check.view_as(WirestreamOptions))["ssl_check_hostname"] is False


class _Recorder:
    """Fake kafka-python clients: record the settings, answer what the code under test asks."""

    configs: list[tuple[str, dict[str, Any]]]

    def __init__(self) -> None:
        self.configs = []
        recorder = self

        class FakeConsumer:
            def __init__(self, **config: Any) -> None:
                recorder.configs.append(("consumer", config))

            def partitions_for_topic(self, topic):
                return {0}

            def beginning_offsets(self, tps):
                return dict.fromkeys(tps, 0)

            def end_offsets(self, tps):
                return dict.fromkeys(tps, 5)

            def committed(self, tp):
                return None

            def assign(self, tps):
                pass

            def seek(self, tp, offset):
                pass

            def close(self, **_):
                pass

        class FakeProducer:
            def __init__(self, **config: Any) -> None:
                recorder.configs.append(("producer", config))
                self.transactions_initialised = False

            def init_transactions(self):
                self.transactions_initialised = True

            def close(self, **_):
                pass

        class FakeAdmin:
            def __init__(self, **config: Any) -> None:
                recorder.configs.append(("admin", config))

            def list_topics(self):
                return ["wire.raw"]

            def create_topics(self, *_, **__):
                return None

            def close(self):
                pass

        self.consumer, self.producer, self.admin = FakeConsumer, FakeProducer, FakeAdmin


@pytest.fixture
def clients(monkeypatch) -> _Recorder:
    recorder = _Recorder()
    monkeypatch.setattr(kafka_io, "KafkaConsumer", recorder.consumer)
    monkeypatch.setattr(kafka_io, "KafkaProducer", recorder.producer)
    monkeypatch.setattr(kafka_io, "KafkaAdminClient", recorder.admin)
    return recorder


def test_every_client_the_pipeline_makes_gets_the_security_settings(clients):
    ensure_topics("k:9093", ["wire.stories"], SCRAM)
    plan_reads("k:9093", "wire.raw", "g", until_end=True, security=SCRAM, read_committed=True)
    reader = _ReadPartitionFn("k:9093", "g", max_records=1, max_seconds=1, poll_ms=1, security=SCRAM, exactly_once=True)
    reader.setup()
    reader._consumer_at(kafka_io.TopicPartition("wire.raw", 0), 0)
    holder = _SharedProducer("k:9093", SCRAM, "wirestream.g")
    kafka_io.abort_pending_transaction("k:9093", "wirestream.g", SCRAM)

    kinds = [kind for kind, _ in clients.configs]
    assert kinds == ["admin", "consumer", "consumer", "producer", "producer"]
    for _kind, config in clients.configs:
        assert {k: config[k] for k in SCRAM} == SCRAM
    consumers = [config for kind, config in clients.configs if kind == "consumer"]
    assert all(c["isolation_level"] == "read_committed" for c in consumers)
    producers = [config for kind, config in clients.configs if kind == "producer"]
    assert all(p["transactional_id"] == "wirestream.g" for p in producers)
    assert holder.producer.transactions_initialised


def test_at_least_once_clients_are_not_transactional(clients):
    plan_reads("k:9093", "wire.raw", "g", until_end=False)
    _SharedProducer("k:9093", {})
    reader = _ReadPartitionFn("k:9093", "g", max_records=1, max_seconds=1, poll_ms=1)
    reader.setup()
    reader._consumer_at(kafka_io.TopicPartition("wire.raw", 0), 0)
    (_, plan), (_, producer), (_, read) = clients.configs
    assert plan["isolation_level"] == read["isolation_level"] == "read_uncommitted"
    assert "transactional_id" not in producer


def _graph_fns(opts_args: list[str], monkeypatch) -> tuple[list[Any], list[Any]]:
    monkeypatch.setattr(kafka_io, "plan_reads", lambda *a, **k: [kafka_io.PartitionRead("wire.raw", 0, 0)])
    opts = PipelineOptions(opts_args).view_as(WirestreamOptions)
    pipeline = beam.Pipeline()
    ingest.build(pipeline, opts)
    fns: list[Any] = []

    class Visitor(beam.pipeline.PipelineVisitor):
        def visit_transform(self, node):
            fn = getattr(node.transform, "fn", None)
            if fn is not None:
                fns.append(fn)

    pipeline.visit(Visitor())
    return [f for f in fns if isinstance(f, _WriteFn)], [f for f in fns if isinstance(f, _ReadPartitionFn)]


def test_every_sink_and_the_source_of_the_graph_share_the_settings(monkeypatch):
    monkeypatch.delenv("WIRESTREAM_KAFKA_SASL_PASSWORD", raising=False)
    sinks, (source,) = _graph_fns([*RUN_ARGS, "--exactly-once", "--group-id=news"], monkeypatch)
    assert len(sinks) >= 5  # stories and every dead-letter output, at least
    for sink in sinks:
        assert sink._security == SCRAM
        assert sink._transactional_id == "wirestream.news"
    assert source._security == SCRAM and source._exactly_once

    sinks, (source,) = _graph_fns(["--bootstrap-servers=k:1"], monkeypatch)
    assert {sink._transactional_id for sink in sinks} == {None}
    assert not source._exactly_once


def test_exactly_once_refuses_several_workers():
    with pytest.raises(ValueError, match="one worker"):
        ingest.check_exactly_once(PipelineOptions(["--direct_num_workers=2"]))
    ingest.check_exactly_once(PipelineOptions([]))


def test_cli_tools_accept_the_security_options(monkeypatch, capsys):
    import argparse

    seen: dict[str, Any] = {}

    def fake_consume(args: argparse.Namespace, _rest: list[str]) -> int:
        seen["security"] = kafka_security(args)
        seen["read_committed"] = args.read_committed
        return 0

    from wirestream.pipelines import cli

    monkeypatch.setattr(cli, "_consume", fake_consume)
    monkeypatch.setenv("WIRESTREAM_KAFKA_SASL_PASSWORD", "s3cret")
    args = ["consume", "--topic", "t", "--read-committed", *[a for a in RUN_ARGS if "password" not in a]]
    assert main(args) == 0
    assert seen == {"security": SCRAM, "read_committed": True}
