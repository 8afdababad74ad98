"""A locked-down Kafka broker, and a schema registry behind basic auth, for the integration tests: each
started once per session, on a free port, and shared by the tests that ask for it.

The broker is ``deploy/kafka/kafka.sh --secure --no-auto-create``: a SASL_SSL listener whose
certificate, from our own CA, names ``localhost`` only; SCRAM-SHA-512 logins; ACLs, with the super
user ``admin``; no topic auto-creation. The registry is ``deploy/registry/registry.sh --secure``:
HTTPS only, basic auth, a writing user and a reading one. The tests make users, topics and grants
here, as the admin, and read back what the broker denied; ``documented_grants`` reads the ACL table
of docs/security.md, so the tests grant exactly what the documentation says.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from kafka.admin import (
    ACL,
    ACLOperation,
    ACLPermissionType,
    ACLResourcePatternType,
    KafkaAdminClient,
    ResourcePattern,
    ResourceType,
    UserScramCredentialUpsertion,
)

from tests.integration.kafka_tools import free_port
from wirestream.transforms.kafka.clients import admin_config, check_connection
from wirestream.transforms.kafka.connection import ConnectionConfig, KafkaSetupError

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "security.md"
SECTION = "## Access rules (ACLs) the pipeline needs"
MECHANISM = "SCRAM-SHA-512"
SUPER_USER = "admin"
PIPELINE_USER = "wirestream"  # made at format time, with the admin


@dataclass(frozen=True)
class Grant:
    """One ACL as docs/security.md writes it: ``Topic``, ``wire.raw``, ``Read``."""

    resource: str
    name: str
    operation: str

    def acl(self, user: str) -> ACL:
        pattern = ResourcePattern(ResourceType[_upper(self.resource)], self.name, ACLResourcePatternType.LITERAL)
        return ACL(f"User:{user}", "*", ACLOperation[_upper(self.operation)], ACLPermissionType.ALLOW, pattern)


def _upper(camel: str) -> str:
    """``TransactionalId`` → ``TRANSACTIONAL_ID``: the documentation's names as kafka-python's enums."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).upper()


def documented_grants(names: Mapping[str, str]) -> list[Grant]:
    """Every ACL of the table in docs/security.md, its default names replaced through ``names``."""
    text = DOC.read_text(encoding="utf-8")
    assert SECTION in text, f"{DOC} has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    grants = []
    for row in section.splitlines():
        if not row.startswith("| ") or row.startswith("| resource"):
            continue
        resource, named, operations, _why = (cell.strip() for cell in row.strip().strip("|").split("|"))
        for name in re.findall(r"`([^`]+)`", named):
            assert name in names, f"docs/security.md grants on {name!r}, which the test does not map"
            grants += [Grant(resource, names[name], operation.strip()) for operation in operations.split(",")]
    assert grants, f"no ACL table under {SECTION!r} in {DOC}"
    return grants


def run_names(input_topic: str, prefix: str) -> dict[str, str]:
    """The default names of docs/security.md → those of a run made by ``kafka_tools.pipeline_args``."""
    group = f"{prefix}.group"
    outputs = ("stories", "quotes", "entities", "latest", "urgent", "held", "deadletter")
    return {
        "wire.raw": input_topic,
        **{f"wire.{name}": f"{prefix}.{name}" for name in outputs},
        "wirestream": group,
        "wirestream.urgent": f"{group}.urgent",
        "wirestream.wirestream": f"wirestream.{group}",
        "wirestream.wirestream.release": f"wirestream.{group}.release",
    }


@dataclass(frozen=True)
class SecuredKafka:
    """The running secured broker, and what the tests do on it as its admin."""

    port: int
    directory: Path

    @property
    def bootstrap(self) -> str:
        return f"localhost:{self.port}"

    @property
    def cafile(self) -> str:
        return str(self.directory / "tls" / "ca.pem")

    def password(self, user: str) -> str:
        return (self.directory / "secrets" / f"{user}.password").read_text().strip()

    def connection(self, user: str, password: str | None = None, **changes: object) -> ConnectionConfig:
        settings: dict[str, object] = {
            "bootstrap_servers": self.bootstrap,
            "sasl_mechanism": MECHANISM,
            "sasl_username": user,
            "sasl_password": password if password is not None else self.password(user),
            "ssl_cafile": self.cafile,
        }
        return ConnectionConfig(**{**settings, **changes})

    def cli(self, user: str, password: str) -> tuple[list[str], dict[str, str]]:
        """The connection options of a ``wirestream`` command, and its environment with the credentials
        (as the documentation recommends: `ps` shows command lines)."""
        args = ["--bootstrap-servers", self.bootstrap, "--kafka-sasl-mechanism", MECHANISM]
        env = {**os.environ, "WIRESTREAM_KAFKA_SASL_USERNAME": user, "WIRESTREAM_KAFKA_SASL_PASSWORD": password}
        return [*args, "--kafka-ssl-cafile", self.cafile], env

    @contextmanager
    def admin(self) -> Iterator[KafkaAdminClient]:
        client = KafkaAdminClient(**admin_config(self.connection(SUPER_USER)))
        try:
            yield client
        finally:
            client.close()

    def add_user(self, grants: list[Grant] = ()) -> tuple[str, str]:
        """A new SCRAM user granted ``grants``: its name and password, once the broker takes its login."""
        user, password = f"u{secrets.token_hex(4)}", secrets.token_urlsafe(18)
        with self.admin() as admin:
            errors = admin.alter_user_scram_credentials([UserScramCredentialUpsertion(user, MECHANISM, password)])
            assert errors == {user: None}, errors
        self.grant(user, grants)
        deadline = time.monotonic() + 10
        while True:  # the credential reaches the broker's cache shortly after the controller took it
            try:
                check_connection(self.connection(user, password))
                return user, password
            except KafkaSetupError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def grant(self, user: str, grants: list[Grant]) -> None:
        if grants:
            with self.admin() as admin:
                answer = admin.create_acls([grant.acl(user) for grant in grants])
            assert not answer["failed"], answer["failed"]

    def create_topics(self, names: list[str], compacted: tuple[str, ...] = ()) -> None:
        with self.admin() as admin:
            admin.create_topics(
                {
                    name: {"num_partitions": 1, "replication_factor": 1}
                    | ({"configs": {"cleanup.policy": "compact"}} if name in compacted else {})
                    for name in names
                },
                wait_for_metadata=True,
            )

    def denials(self, user: str) -> list[str]:
        """What the broker's authorizer denied ``user``, as its log says."""
        mark = f"Principal = User:{user} is Denied"
        logs = sorted((self.directory / "logs").glob("server.log*"))
        return [line for log in logs for line in log.read_text(errors="replace").splitlines() if mark in line]


@dataclass(frozen=True)
class SecuredRegistry:
    """The running registry: HTTPS only, basic auth; ``wirestream`` writes, ``reader`` reads."""

    url: str
    directory: Path

    @property
    def cafile(self) -> str:
        return str(self.directory / "tls" / "ca.pem")

    def password(self, user: str) -> str:
        return (self.directory / "secrets" / f"{user}.password").read_text().strip()

    def env(self, user: str, password: str | None = None) -> dict[str, str]:
        return {
            "WIRESTREAM_SCHEMA_REGISTRY_USERNAME": user,
            "WIRESTREAM_SCHEMA_REGISTRY_PASSWORD": password if password is not None else self.password(user),
            "WIRESTREAM_SCHEMA_REGISTRY_CAFILE": self.cafile,
        }


def _service(script: Path, what: str, state: Path, env: dict[str, str], timeout: float) -> Iterator[tuple[int, str]]:
    """``script --secure start`` on a free port with its state in ``state``: the port and the address it
    printed; stopped when the caller is done."""
    port = free_port()
    service = ["bash", str(script), "--port", str(port), "--dir", str(state), "--secure"]
    started = subprocess.run([*service, "start"], capture_output=True, text=True, timeout=timeout, env=env)
    if started.returncode != 0:
        pytest.fail(f"the secured test {what} did not start:\n{started.stderr[-3000:]}")
    try:
        yield port, started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([*service, "stop"], capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def secured_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecuredKafka]:
    """A broker clients reach as ``localhost`` only (the certificate's one name), SASL_SSL and ACLs on,
    topics made by the admin alone."""
    directory = tmp_path_factory.mktemp("secured-kafka")
    env = {**os.environ, "KAFKA_HOST": "localhost", "KAFKA_TLS_NAMES": "localhost", "KAFKA_USERS": PIPELINE_USER}
    env["KAFKA_AUTO_CREATE"] = "false"
    for port, _address in _service(REPO / "deploy" / "kafka" / "kafka.sh", "broker", directory, env, 600):
        yield SecuredKafka(port, directory)


@pytest.fixture(scope="session")
def secured_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecuredRegistry]:
    directory = tmp_path_factory.mktemp("secured-registry")
    env = {**os.environ, "REGISTRY_USERS": "wirestream:sr-developer reader:sr-readonly"}
    for _port, url in _service(REPO / "deploy" / "registry" / "registry.sh", "schema registry", directory, env, 900):
        yield SecuredRegistry(url, directory)
