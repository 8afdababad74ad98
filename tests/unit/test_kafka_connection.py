"""The Kafka connection: one declaration gives the options, reads them back and makes kafka-python's settings;
the check at start that names what stops a client connecting; the check that a run may do what it will."""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from kafka.errors import (
    GroupAuthorizationFailedError,
    TopicAuthorizationFailedError,
    TransactionalIdAuthorizationFailedError,
    TransactionalIdNotFoundError,
    UnknownTopicOrPartitionError,
)
from kafka.net.transport import KafkaSSLTransport

from tests.unit.kafka_examples import RUN_ARGS, SCRAM
from wirestream.pipelines.cli import main
from wirestream.pipelines.options import WirestreamOptions
from wirestream.pipelines.release import Releaser
from wirestream.pipelines.urgent_lane import UrgentLane
from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.clients import admin_config, check_connection, consumer_config, producer_config
from wirestream.transforms.kafka.connection import ConnectionConfig, KafkaSetupError, Secret
from wirestream.transforms.kafka.topics import (
    InputTopicError,
    check_access,
    create_if_missing,
    ensure_topics,
    run_access,
)
from wirestream.transforms.settings import Settings

CERTS_SH = Path(__file__).resolve().parents[2] / "deploy" / "kafka" / "certs.sh"

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


def test_settings_that_cannot_work_are_kafka_setup_errors_which_exit_2():
    with pytest.raises(KafkaSetupError):
        ConnectionConfig(sasl_mechanism="SCRAM-SHA-512", sasl_username="u")
    assert issubclass(KafkaSetupError, ValueError)  # `wirestream run` exits 2 on a ValueError
    assert issubclass(InputTopicError, KafkaSetupError)
    assert main(["consume", "--topic", "t", "--kafka-sasl-mechanism", "PLAIN"]) == 2  # no credentials: one line


def test_the_principal_named_in_messages_and_acls():
    scram = ConnectionConfig(sasl_mechanism="SCRAM-SHA-512", sasl_username="wire", sasl_password=Secret("p"))
    assert (scram.principal, scram.acl_principal) == ("user 'wire'", "User:wire")
    assert ConnectionConfig(ssl_cafile="ca.pem").acl_principal == "User:<principal>"


# --- check_connection: the check at start, against small stand-ins on loopback ---------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(answer: Callable[[socket.socket], None], tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """A loopback server that runs ``answer`` on each connection (after a TLS handshake with ``tls``)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn, contextlib.suppress(OSError, ssl.SSLError):
                answer(tls.wrap_socket(conn, server_side=True) if tls else conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


def hang_up(conn: socket.socket) -> None:
    conn.recv(1024)


def http(conn: socket.socket) -> None:
    conn.recv(1024)
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our own CA and a server certificate for ``localhost`` only, made by deploy/kafka/certs.sh."""
    directory = tmp_path_factory.mktemp("certs")
    subprocess.run(["bash", str(CERTS_SH), str(directory), "localhost"], check=True, capture_output=True)
    return directory


def tls_server_context(certs: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / "broker.crt", certs / "broker.key")
    return context


def check_fails(connection: ConnectionConfig, *said: str) -> str:
    started = time.monotonic()
    with pytest.raises(KafkaSetupError) as failure:
        check_connection(connection, timeout=2)
    message = str(failure.value)
    assert time.monotonic() - started < 5 and "\n" not in message
    for words in said:
        assert words in message, message
    return message


def test_nothing_listening_says_how_to_start_a_broker():
    port = closed_port()
    check_fails(ConnectionConfig(f"127.0.0.1:{port}"), f"cannot reach Kafka at 127.0.0.1:{port}", "make kafka-up")
    check_fails(ConnectionConfig("localhost"), "'localhost' is not HOST:PORT")


def test_a_port_that_is_not_kafkas_is_named():
    for answer in (hang_up, http):
        with server(answer) as port:
            check_fails(ConnectionConfig(f"127.0.0.1:{port}"), f"127.0.0.1:{port} does not answer as a Kafka broker")


def test_tls_files_that_cannot_be_used_fail_before_any_connection(tmp_path):
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("not a certificate\n")
    check_fails(ConnectionConfig(ssl_cafile=str(tmp_path / "none.pem")), "none.pem (--kafka-ssl-cafile) does not exist")
    check_fails(ConnectionConfig(ssl_cafile=str(not_pem)), "cannot read", "as CA certificates (PEM)")


def test_certificates_a_client_would_refuse_are_explained(certs):
    with server(hang_up, tls_server_context(certs)) as port:
        trusted = {"security_protocol": "SSL", "ssl_cafile": str(certs / "ca.pem")}
        check_fails(ConnectionConfig(f"127.0.0.1:{port}", **trusted), "is not made out to '127.0.0.1'")
        check_fails(ConnectionConfig(f"localhost:{port}", security_protocol="SSL"), "the system's CAs", "did not sign")
        # The certificate holds: on to the Kafka exchange, which this stand-in does not speak.
        check_fails(ConnectionConfig(f"localhost:{port}", **trusted), "does not answer as a Kafka broker")
        # A plaintext client at a TLS port is told so.
        check_fails(ConnectionConfig(f"localhost:{port}"), "speaks TLS: use --kafka-security-protocol SSL")


def test_a_tls_client_at_a_plaintext_port_is_told_so(certs):
    with server(hang_up) as port:
        connection = ConnectionConfig(f"localhost:{port}", security_protocol="SSL", ssl_cafile=str(certs / "ca.pem"))
        check_fails(connection, f"no TLS handshake with localhost:{port}", "PLAINTEXT")


# --- what a run needs, and the truthful report of topics created ------------------------------------


class AclAdmin:
    """A stand-in admin client on a cluster with ACLs: ``topics`` name → allowed operations (None:
    hidden), ``groups`` the user may commit for, ``transactional`` ids it may use, ``creatable``
    topics it may create."""

    def __init__(self, topics, groups=(), transactional=(), creatable=()) -> None:
        self.topics, self.groups, self.transactional, self.creatable = topics, groups, transactional, creatable
        self.created: list[str] = []
        self.waited_for: list[bool] = []  # per topic created: whether the call waited until the broker showed it

    def list_topics(self):
        return [name for name, allowed in self.topics.items() if allowed is not None]

    def describe_topics(self, names):
        found = []
        for name in names:
            allowed = self.topics.get(name, "missing")
            code = 3 if allowed == "missing" else 29 if allowed is None else 0
            found.append({"name": name, "error_code": code, "authorized_operations": None if code else allowed})
        return found

    def create_topics(self, names, wait_for_metadata=False, **_):
        (name,) = names
        name = getattr(name, "name", name)  # a NewTopic, or its name
        if name not in self.creatable:
            raise TopicAuthorizationFailedError("Authorization failed.")
        self.created.append(name)
        self.waited_for.append(wait_for_metadata)

    def alter_group_offsets(self, group, offsets):
        error = UnknownTopicOrPartitionError if group in self.groups else GroupAuthorizationFailedError
        return dict.fromkeys(offsets, error)

    def describe_transactions(self, ids):
        if ids[0] not in self.transactional:
            raise TransactionalIdAuthorizationFailedError()
        raise TransactionalIdNotFoundError()

    def close(self):
        pass


SCRAM_USER = ConnectionConfig("k:9093", sasl_mechanism="SCRAM-SHA-512", sasl_username="wire", sasl_password="p")
READ_WRITE = ["READ", "WRITE", "DESCRIBE"]


def run_settings(**changes) -> Settings:
    return Settings(connection=SCRAM_USER, **changes)


def everything_allowed(settings: Settings) -> AclAdmin:
    access = run_access(settings)
    return AclAdmin(
        dict.fromkeys({*access.read, *access.write}, READ_WRITE),
        groups=set(access.groups),
        transactional=set(access.transactional_ids),
    )


def test_a_run_with_every_acl_passes_the_check(monkeypatch):
    settings = run_settings(exactly_once=True, transactional_id="wirestream.wirestream")
    admin = everything_allowed(settings)
    monkeypatch.setattr(clients, "new_admin", lambda *_: admin)
    check_access(SCRAM_USER, run_access(settings))
    access = run_access(settings)
    assert set(access.groups) == {"wirestream", "wirestream.urgent"}
    assert access.transactional_ids == ("wirestream.wirestream.release", "wirestream.wirestream")
    assert run_access(run_settings()).transactional_ids == ("wirestream.wirestream.release",)


def test_what_a_run_needs_follows_what_its_companions_use():
    """The releaser's transactional id and the urgent lane's group, as run_access lists them."""
    settings = run_settings(group_id="news")
    access = run_access(settings)
    releaser = Releaser(settings.connection, settings.topics.held, settings.topics.input, settings.group_id)
    assert releaser._transactional_id in access.transactional_ids
    assert UrgentLane(settings, [])._group_id in access.groups


def test_every_missing_topic_and_acl_is_named_at_once(monkeypatch):
    settings = run_settings()
    admin = everything_allowed(settings)
    admin.topics[settings.topics.input] = ["DESCRIBE", "READ"]  # no Write
    admin.topics[settings.topics.quotes] = None  # hidden
    del admin.topics[settings.topics.held]  # missing
    admin.groups = {"wirestream.urgent"}
    admin.transactional = set()
    monkeypatch.setattr(clients, "new_admin", lambda *_: admin)
    with pytest.raises(KafkaSetupError) as failure:
        check_access(SCRAM_USER, run_access(settings))
    message = str(failure.value)
    assert "topic 'wire.held' does not exist" in message
    assert "no ACL lets user 'wire' see topic 'wire.quotes'" in message
    lacking = "Write on topic 'wire.raw', Read on group 'wirestream', Write on transactional id 'wirestream.wirestream."
    assert lacking in message
    assert "--allow-principal User:wire" in message and "docs/security.md" in message


def test_ensure_topics_says_what_it_created_and_what_it_could_not(monkeypatch, caplog):
    admin = AclAdmin({"a": READ_WRITE, "hidden": None}, creatable={"b"})
    monkeypatch.setattr(clients, "new_admin", lambda *_: admin)
    caplog.set_level(logging.INFO)
    assert ensure_topics(SCRAM_USER, ["a", "b"]) == ["b"]
    assert "created topics b" in caplog.text
    caplog.clear()
    with pytest.raises(KafkaSetupError) as failure:
        ensure_topics(SCRAM_USER, ["a", "b2", "c", "hidden"])
    assert "created" not in caplog.text  # it created nothing, and says nothing of it
    message = str(failure.value)
    assert "topic(s) 'b2', 'c' do not exist" in message
    assert "no ACL lets user 'wire' see topic(s) 'hidden'" in message
    assert "may not create topics on k:9093" in message


def test_every_topic_a_launch_creates_is_waited_for_until_the_broker_shows_it(monkeypatch):
    """The access check comes right after: a topic made but not yet in the broker's metadata would look
    missing, and the launch would fail (seen under load, on the latest topic after a SIGKILLed run)."""
    from kafka.admin import NewTopic

    admin = AclAdmin({}, creatable={"wire.latest", "wire.stories"})
    monkeypatch.setattr(clients, "new_admin", lambda *_: admin)
    assert create_if_missing(admin, NewTopic("wire.latest", 1, 1))
    assert ensure_topics(SCRAM_USER, ["wire.stories"]) == ["wire.stories"]
    assert admin.created == ["wire.latest", "wire.stories"]
    assert admin.waited_for == [True, True]


def test_a_revocation_list_reaches_kafka_python_in_a_context_it_takes(certs, tmp_path):
    """kafka-python 3.0 would pass the file as ``load_verify_locations(crl=…)``, a TypeError in every client."""
    (tmp_path / "index.txt").write_text("")
    config = tmp_path / "ca.cnf"
    config.write_text(
        f"[ca]\ndefault_ca=d\n[d]\ndatabase={tmp_path / 'index.txt'}\ndefault_md=sha256\ndefault_crl_days=1\n"
    )
    crl = tmp_path / "crl.pem"
    subprocess.run(
        ["openssl", "ca", "-gencrl", "-config", str(config), "-keyfile", str(certs / "ca.key"),
         "-cert", str(certs / "ca.pem"), "-out", str(crl)],
        check=True, capture_output=True,
    )  # fmt: skip
    connection = ConnectionConfig("k:9093", ssl_cafile=str(certs / "ca.pem"), ssl_crlfile=str(crl))
    settings = connection.kafka_settings()
    assert not any(key.startswith("ssl_") and key != "ssl_context" for key in settings)
    assert settings["ssl_context"].verify_flags & ssl.VERIFY_CRL_CHECK_LEAF
    assert KafkaSSLTransport._build_ssl_context({"ssl_context": settings["ssl_context"]}) is settings["ssl_context"]
    with pytest.raises(KafkaSetupError, match=r"none\.pem \(--kafka-ssl-crlfile\) does not exist"):
        ConnectionConfig("k:9093", ssl_crlfile=str(tmp_path / "none.pem")).kafka_settings()
