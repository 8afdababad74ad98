"""Passwords never show: not in reprs, logs (kafka-python's DEBUG too), Beam display data, pipeline options,
error messages, nor the schema registry's."""

from __future__ import annotations

import logging
import pickle

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.transforms.display import DisplayData
from kafka.errors import KafkaConnectionError

from wirestream.pipelines.options import WirestreamOptions
from wirestream.transforms.encoding.registry import RegistryError, SchemaRegistry
from wirestream.transforms.kafka import clients, topics
from wirestream.transforms.kafka.connection import ConnectionConfig, KafkaSetupError, Secret
from wirestream.transforms.kafka.topics import InputTopicError, PartitionRead, plan_reads
from wirestream.transforms.step1_read import ReadFromKafka
from wirestream.transforms.step7_write import WriteToKafka

PASSWORD, KEY_PASSWORD = "s3cret-sasl", "s3cret-key"
CONNECTION = ConnectionConfig(
    "k:9093",
    sasl_mechanism="SCRAM-SHA-512",
    sasl_username="wire",
    sasl_password=Secret(PASSWORD),
    ssl_certfile="client.pem",
    ssl_password=Secret(KEY_PASSWORD),
)


def assert_hidden(text: str) -> None:
    assert PASSWORD not in text and KEY_PASSWORD not in text, text


def test_a_secret_prints_as_stars_but_keeps_its_value():
    secret = Secret(PASSWORD)
    assert repr(secret) == "'***'" and str(secret) == "***" and f"{secret}" == "***"
    assert secret.reveal() == PASSWORD
    assert secret == Secret(PASSWORD) and hash(secret) == hash(Secret(PASSWORD)) and secret != Secret("other")
    assert pickle.loads(pickle.dumps(secret)).reveal() == PASSWORD  # DoFns carry it to the workers


def test_the_connection_shows_no_password():
    assert_hidden(repr(CONNECTION))
    assert_hidden(str(CONNECTION))
    assert "sasl_password='***'" in repr(CONNECTION)
    assert_hidden(str(CONNECTION.describe()))
    assert pickle.loads(pickle.dumps(CONNECTION)) == CONNECTION
    # Only the client gets them.
    assert CONNECTION.kafka_settings()["sasl_plain_password"] == PASSWORD
    assert CONNECTION.kafka_settings()["ssl_password"] == KEY_PASSWORD


def test_a_password_given_as_a_str_is_held_as_a_secret():
    config = ConnectionConfig(sasl_mechanism="PLAIN", sasl_username="u", sasl_password=PASSWORD)
    assert isinstance(config.sasl_password, Secret)
    assert_hidden(repr(config))


@pytest.fixture
def transforms(monkeypatch) -> list[beam.PTransform]:
    monkeypatch.setattr(topics, "plan_reads", lambda *a, **k: [PartitionRead("wire.raw", 0, 0)])
    return [
        ReadFromKafka(CONNECTION, "wire.raw", "g", exactly_once=True),
        ReadFromKafka(CONNECTION, "wire.raw", "g", until_end=True),
        WriteToKafka(CONNECTION, output="stories", transactional_id="wirestream.g"),
        WriteToKafka(CONNECTION, output="stories"),
    ]


def test_the_transforms_and_their_dofns_show_no_password(transforms):
    for transform in transforms:
        assert_hidden(repr(transform))
        assert_hidden(repr(transform._fn))
        assert_hidden(repr(vars(transform._fn)))


def test_beam_display_data_shows_the_connection_without_credentials(transforms):
    for transform in transforms:
        for has_display_data in (transform, beam.ParDo(transform._fn)):
            items = {item.key: item.value for item in DisplayData.create_from(has_display_data).items}
            assert_hidden(repr(items))
            assert items["bootstrap_servers"] == "k:9093"
            assert items["security_protocol"] == "SASL_SSL" and items["sasl_mechanism"] == "SCRAM-SHA-512"
            assert "wire" not in items.values()  # nor the username


def test_the_graph_sent_to_the_runner_holds_no_password_in_the_clear(transforms):
    pipeline = beam.Pipeline()
    transforms[0].label = "Read"
    records = pipeline | transforms[0] | beam.Map(lambda message: message)
    records | "Write" >> transforms[2]
    proto = pipeline.to_runner_api()
    for transform in proto.components.transforms.values():
        assert_hidden(str(transform.display_data))


def test_the_pipeline_options_forget_the_passwords_once_read(monkeypatch):
    monkeypatch.delenv("WIRESTREAM_KAFKA_SASL_PASSWORD", raising=False)
    args = [
        "--kafka-sasl-mechanism=PLAIN",
        "--kafka-sasl-username=wire",
        f"--kafka-sasl-password={PASSWORD}",
        "--kafka-ssl-certfile=client.pem",
        f"--kafka-ssl-password={KEY_PASSWORD}",
    ]
    opts = PipelineOptions(args).view_as(WirestreamOptions)
    connection = ConnectionConfig.from_options(opts)
    ConnectionConfig.forget_secrets(opts)
    assert_hidden(repr(opts.display_data()))
    assert_hidden(repr(opts.get_all_options()))
    assert connection.kafka_settings()["sasl_plain_password"] == PASSWORD


def test_error_messages_and_logs_show_no_password(monkeypatch, caplog):
    def unreachable(**_config):
        raise KafkaConnectionError("no brokers available")

    monkeypatch.setattr(clients, "KafkaConsumer", unreachable)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InputTopicError) as error:
        plan_reads(CONNECTION, "wire.raw", "g", until_end=True)
    assert "k:9093" in str(error.value)
    assert_hidden(str(error.value))
    with pytest.raises(ValueError) as refused:
        ConnectionConfig(sasl_mechanism="SCRAM-SHA-256", sasl_password=Secret(PASSWORD))  # no username
    assert_hidden(str(refused.value))
    assert_hidden(caplog.text)


def test_kafka_python_gets_the_passwords_as_strings_that_print_as_stars():
    settings = CONNECTION.kafka_settings()
    assert settings["sasl_plain_password"] == PASSWORD and settings["ssl_password"] == KEY_PASSWORD
    assert settings["sasl_plain_password"].encode() == PASSWORD.encode()  # what SCRAM and PLAIN use
    assert "\0".join(["wire", settings["sasl_plain_password"]]) == f"wire\0{PASSWORD}"
    logged = "%s" % (settings,)  # noqa: UP031 - as logging formats its arguments
    for shown in (repr(settings), str(settings), f"{settings}", logged, f"{settings['ssl_password']}"):
        assert_hidden(shown)
    assert pickle.loads(pickle.dumps(settings))["sasl_plain_password"] == PASSWORD


def test_kafka_pythons_debug_logs_show_no_password(caplog):
    """Its admin client logs its settings at DEBUG; its protocol parser the bytes it sends, which for
    SASL PLAIN hold the password. Every client made here guards kafka-python's loggers first."""
    clients.guard_logs(CONNECTION)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("kafka.admin.client").debug("Starting KafkaAdminClient with configuration: %s",
                                                   clients.admin_config(CONNECTION))  # fmt: skip
    plain_login = b"\0wire\0" + PASSWORD.encode()
    logging.getLogger("kafka.protocol.parser").debug("%s Send: %r", "<conn>", plain_login)
    logging.getLogger("kafka.net.connection").debug("key %s", KEY_PASSWORD)
    assert_hidden(caplog.text)
    assert "'sasl_plain_password': '***'" in caplog.text and "\\x00wire\\x00***" in caplog.text


def test_a_password_with_characters_a_repr_escapes_is_hidden_too(caplog):
    odd = "pä$s\\wörd"
    connection = ConnectionConfig(sasl_mechanism="PLAIN", sasl_username="u", sasl_password=odd)
    clients.guard_logs(connection)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("kafka.protocol.parser").debug("Send: %r", b"\0u\0" + odd.encode())
    logging.getLogger("kafka.protocol.parser").debug("Request %r", {"password": odd})
    assert odd not in caplog.text and repr(odd.encode())[2:-1] not in caplog.text and repr(odd)[1:-1] not in caplog.text


def test_check_connection_errors_show_no_password(monkeypatch):
    with pytest.raises(KafkaSetupError) as refused:
        clients.check_connection(ConnectionConfig("127.0.0.1:1", sasl_mechanism="PLAIN", sasl_username="u",
                                                  sasl_password=PASSWORD), timeout=1)  # fmt: skip
    assert_hidden(str(refused.value))


def test_the_schema_registrys_password_never_shows(monkeypatch):
    monkeypatch.setenv("WIRESTREAM_SCHEMA_REGISTRY_USERNAME", "wire")
    monkeypatch.setenv("WIRESTREAM_SCHEMA_REGISTRY_PASSWORD", PASSWORD)
    registry = SchemaRegistry("http://127.0.0.1:1/apis/ccompat/v7", timeout=1)
    assert registry.password == Secret(PASSWORD)
    assert_hidden(repr(registry))
    with pytest.raises(RegistryError) as unreachable:
        registry.subjects()
    assert_hidden(str(unreachable.value))
    with pytest.raises(RegistryError) as in_url:
        SchemaRegistry(f"https://wire:{PASSWORD}@registry.example:8443/apis/ccompat/v7")
    assert_hidden(str(in_url.value))
    assert "https://registry.example:8443/apis/ccompat/v7" in str(in_url.value)
