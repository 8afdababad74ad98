"""The Kafka connection: one declaration gives the options, reads them back and makes kafka-python's settings."""

from __future__ import annotations

import argparse

import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from tests.unit.kafka_examples import RUN_ARGS, SCRAM
from wirestream.pipelines.options import WirestreamOptions
from wirestream.transforms.kafka.clients import admin_config, consumer_config, producer_config
from wirestream.transforms.kafka.connection import ConnectionConfig, Secret

NO_ENV: dict[str, str] = {}


def parsed(*args: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    ConnectionConfig.add_args(parser)
    return parser.parse_args(args)


def test_no_security_options_means_kafka_pythons_defaults():
    assert ConnectionConfig.from_options(parsed(), NO_ENV).kafka_settings() == {"bootstrap_servers": ["localhost:9092"]}
    assert "security_protocol" not in consumer_config("a:1")


def test_sasl_over_tls_with_scram():
    got = ConnectionConfig(
        "k:9093",
        security_protocol="sasl_ssl",
        sasl_mechanism="scram-sha-512",
        sasl_username="wire",
        sasl_password=Secret("s3cret"),
        ssl_cafile="/etc/kafka/ca.pem",
    )
    assert got.kafka_settings() == SCRAM
    assert ConnectionConfig.from_options(parsed(*RUN_ARGS), NO_ENV) == got


def test_credentials_can_come_from_the_environment():
    env = {"WIRESTREAM_KAFKA_SASL_USERNAME": "wire", "WIRESTREAM_KAFKA_SASL_PASSWORD": "from-env"}
    got = ConnectionConfig.from_options(parsed("--kafka-sasl-mechanism=PLAIN"), env).kafka_settings()
    assert got == {
        "bootstrap_servers": ["localhost:9092"],
        "security_protocol": "SASL_SSL",  # implied by the mechanism
        "sasl_mechanism": "PLAIN",
        "sasl_plain_username": "wire",
        "sasl_plain_password": "from-env",
    }
    # The command line wins over the environment.
    cli = ConnectionConfig.from_options(parsed("--kafka-sasl-mechanism=PLAIN", "--kafka-sasl-password=cli"), env)
    assert cli.kafka_settings()["sasl_plain_password"] == "cli"


def test_mutual_tls_implies_ssl_and_keeps_the_key_password():
    options = parsed(
        "--kafka-ssl-cafile=ca.pem",
        "--kafka-ssl-certfile=client.pem",
        "--kafka-ssl-keyfile=client.key",
        "--kafka-ssl-no-check-hostname",
    )
    got = ConnectionConfig.from_options(options, {"WIRESTREAM_KAFKA_SSL_PASSWORD": "kp"}).kafka_settings()
    assert got == {
        "bootstrap_servers": ["localhost:9092"],
        "security_protocol": "SSL",
        "ssl_cafile": "ca.pem",
        "ssl_certfile": "client.pem",
        "ssl_keyfile": "client.key",
        "ssl_password": "kp",
        "ssl_check_hostname": False,
    }


def test_settings_that_do_not_apply_are_left_out():
    # A key password without a client certificate, SASL credentials without SASL.
    config = ConnectionConfig(ssl_cafile="ca.pem", ssl_password=Secret("kp"), sasl_username="u")
    assert config.kafka_settings() == {
        "bootstrap_servers": ["localhost:9092"],
        "security_protocol": "SSL",
        "ssl_cafile": "ca.pem",
    }


def test_sasl_plaintext_defaults_to_plain():
    got = ConnectionConfig(security_protocol="SASL_PLAINTEXT", sasl_username="u", sasl_password=Secret("p"))
    assert got.sasl_mechanism == "PLAIN"
    assert got.kafka_settings()["sasl_mechanism"] == "PLAIN"


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
        ConnectionConfig(**settings)


def test_client_configs_carry_the_connection_and_overrides_win():
    connection = ConnectionConfig.from_options(parsed(*RUN_ARGS), NO_ENV)
    for build in (consumer_config, producer_config, admin_config):
        config = build(connection, client_id="x")
        assert {k: config[k] for k in SCRAM} == SCRAM
        assert config["client_id"] == "x"
        assert build("k1:9093,k2:9093")["bootstrap_servers"] == ["k1:9093", "k2:9093"]  # a str: plaintext
    assert producer_config(connection)["acks"] == "all"
    assert consumer_config(connection, isolation_level="read_committed")["isolation_level"] == "read_committed"


def test_run_options_are_the_same_options(monkeypatch):
    monkeypatch.delenv("WIRESTREAM_KAFKA_SASL_PASSWORD", raising=False)
    opts = PipelineOptions(RUN_ARGS).view_as(WirestreamOptions)
    assert ConnectionConfig.from_options(opts).kafka_settings() == SCRAM
    assert ConnectionConfig.from_options(PipelineOptions([]).view_as(WirestreamOptions), NO_ENV) == ConnectionConfig()
    no_check = PipelineOptions(["--kafka-ssl-cafile=ca.pem", "--kafka-ssl-no-check-hostname"])
    settings = ConnectionConfig.from_options(no_check.view_as(WirestreamOptions), NO_ENV).kafka_settings()
    assert settings["ssl_check_hostname"] is False


def test_every_field_has_one_option_and_reads_back():
    """The options are the fields: each flag sets the field it is declared on, and nothing else."""
    options = parsed(
        "--bootstrap-servers=b:1",
        "--kafka-security-protocol=SASL_SSL",
        "--kafka-sasl-mechanism=PLAIN",
        "--kafka-sasl-username=u",
        "--kafka-sasl-password=p",
        "--kafka-ssl-cafile=ca",
        "--kafka-ssl-certfile=cert",
        "--kafka-ssl-keyfile=key",
        "--kafka-ssl-password=kp",
        "--kafka-ssl-crlfile=crl",
        "--kafka-ssl-no-check-hostname",
    )
    assert ConnectionConfig.from_options(options, NO_ENV) == ConnectionConfig(
        bootstrap_servers="b:1",
        security_protocol="SASL_SSL",
        sasl_mechanism="PLAIN",
        sasl_username="u",
        sasl_password=Secret("p"),
        ssl_cafile="ca",
        ssl_certfile="cert",
        ssl_keyfile="key",
        ssl_password=Secret("kp"),
        ssl_crlfile="crl",
        ssl_check_hostname=False,
    )
