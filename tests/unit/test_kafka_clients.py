"""Every Kafka client the pipeline and the CLI make gets the connection, and exactly once is wired right.

No broker: kafka-python's clients are replaced by fakes that record the settings they are given.
"""

from __future__ import annotations

import argparse
from typing import Any

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from kafka import TopicPartition

from tests.unit.kafka_examples import RUN_ARGS, SCRAM
from wirestream.pipelines import graph, launch
from wirestream.pipelines.cli import consume, main
from wirestream.pipelines.options import WirestreamOptions, settings_from
from wirestream.transforms.kafka import clients, topics
from wirestream.transforms.kafka.connection import ConnectionConfig, Secret
from wirestream.transforms.kafka.topics import PartitionRead, ensure_topics, plan_reads
from wirestream.transforms.kafka.transaction import abort_pending_transaction
from wirestream.transforms.step1_read import Checkpoints, _ReadPartitionFn
from wirestream.transforms.step7_write import _SharedProducer, _WriteFn

CONNECTION = ConnectionConfig(
    "k:9093",
    sasl_mechanism="SCRAM-SHA-512",
    sasl_username="wire",
    sasl_password=Secret("s3cret"),
    ssl_cafile="/etc/kafka/ca.pem",
)


class Recorder:
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
def fake_clients(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(clients, "KafkaConsumer", recorder.consumer)
    monkeypatch.setattr(clients, "KafkaProducer", recorder.producer)
    monkeypatch.setattr(clients, "KafkaAdminClient", recorder.admin)
    return recorder


def test_every_client_the_pipeline_makes_gets_the_connection(fake_clients):
    ensure_topics(CONNECTION, ["wire.stories"])
    plan_reads(CONNECTION, "wire.raw", "g", until_end=True, read_committed=True)
    reader = _ReadPartitionFn(CONNECTION, "g", Checkpoints(1, 1, 1), exactly_once=True)
    reader.setup()
    reader._consumer_at(TopicPartition("wire.raw", 0), 0)
    holder = _SharedProducer(CONNECTION, "wirestream.g")
    abort_pending_transaction(CONNECTION, "wirestream.g")

    kinds = [kind for kind, _ in fake_clients.configs]
    assert kinds == ["admin", "consumer", "consumer", "producer", "producer"]
    for _kind, config in fake_clients.configs:
        assert {k: config[k] for k in SCRAM} == SCRAM
    consumers = [config for kind, config in fake_clients.configs if kind == "consumer"]
    assert all(c["isolation_level"] == "read_committed" for c in consumers)
    producers = [config for kind, config in fake_clients.configs if kind == "producer"]
    assert all(p["transactional_id"] == "wirestream.g" for p in producers)
    assert holder.producer.transactions_initialised


def test_at_least_once_clients_are_not_transactional(fake_clients):
    plaintext = ConnectionConfig("k:9093")
    plan_reads(plaintext, "wire.raw", "g", until_end=False)
    _SharedProducer(plaintext)
    reader = _ReadPartitionFn(plaintext, "g", Checkpoints(1, 1, 1))
    reader.setup()
    reader._consumer_at(TopicPartition("wire.raw", 0), 0)
    (_, plan), (_, producer), (_, read) = fake_clients.configs
    assert plan["isolation_level"] == read["isolation_level"] == "read_uncommitted"
    assert "transactional_id" not in producer


def graph_fns(opts_args: list[str], monkeypatch) -> tuple[list[Any], list[Any]]:
    monkeypatch.setattr(topics, "plan_reads", lambda *a, **k: [PartitionRead("wire.raw", 0, 0)])
    opts = PipelineOptions(opts_args).view_as(WirestreamOptions)
    pipeline = beam.Pipeline()
    graph.build(pipeline, settings_from(opts), runner="DirectRunner", metrics_port=-1)
    fns: list[Any] = []

    class Visitor(beam.pipeline.PipelineVisitor):
        def visit_transform(self, node):
            fn = getattr(node.transform, "fn", None)
            if fn is not None:
                fns.append(fn)

    pipeline.visit(Visitor())
    return [f for f in fns if isinstance(f, _WriteFn)], [f for f in fns if isinstance(f, _ReadPartitionFn)]


def test_every_sink_and_the_source_of_the_graph_share_the_connection(monkeypatch):
    monkeypatch.delenv("WIRESTREAM_KAFKA_SASL_PASSWORD", raising=False)
    sinks, (source,) = graph_fns([*RUN_ARGS, "--exactly-once", "--group-id=news"], monkeypatch)
    # Stories, quotes, entities, latest, held, and the dead letters of decode, parse, enrich and encode.
    assert len(sinks) == 9
    for sink in sinks:
        assert sink._connection.kafka_settings() == SCRAM
        assert sink._transactional_id == "wirestream.news"
    assert source._connection.kafka_settings() == SCRAM and source._exactly_once

    sinks, (source,) = graph_fns(["--bootstrap-servers=k:1"], monkeypatch)
    assert {sink._transactional_id for sink in sinks} == {None}
    assert not source._exactly_once


def test_exactly_once_refuses_several_workers():
    with pytest.raises(ValueError, match="one worker"):
        launch.check_exactly_once(PipelineOptions(["--direct_num_workers=2"]))
    launch.check_exactly_once(PipelineOptions([]))


def test_cli_tools_accept_the_connection_options(monkeypatch):
    seen: dict[str, Any] = {}

    def fake_consume(args: argparse.Namespace, _rest: list[str]) -> int:
        seen["settings"] = ConnectionConfig.from_options(args).kafka_settings()
        seen["read_committed"] = args.read_committed
        return 0

    monkeypatch.setattr(consume, "handle", fake_consume)
    monkeypatch.setenv("WIRESTREAM_KAFKA_SASL_PASSWORD", "s3cret")
    args = ["consume", "--topic", "t", "--read-committed", *[a for a in RUN_ARGS if "password" not in a]]
    assert main(args) == 0
    assert seen == {"settings": SCRAM, "read_committed": True}
