"""A real Kafka broker for the integration tests: started once per session on a free port.

``deploy/kafka/kafka.sh`` fetches the broker's jars (cached across runs) and starts it; set
``WIRESTREAM_TEST_BOOTSTRAP=host:port`` to use a broker you already run instead. Likewise a real
schema registry (Apicurio, ``deploy/registry/registry.sh``), started once per session by the first
test that asks for it; ``WIRESTREAM_TEST_REGISTRY=URL`` (its Confluent-compatible API) uses yours.
A locked-down broker and registry (SASL_SSL, ACLs; HTTPS, basic auth) come from ``secured.py``.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka.admin import KafkaAdminClient

from tests.integration.kafka_tools import free_port, tiny_model
from tests.integration.secured import secured_kafka, secured_registry  # noqa: F401 - the secured broker's fixtures

REPO = Path(__file__).resolve().parents[2]
KAFKA_SH = REPO / "deploy" / "kafka" / "kafka.sh"
REGISTRY_SH = REPO / "deploy" / "registry" / "registry.sh"


def running_service(script: Path, what: str, given: str | None, state: Path, timeout: float) -> Iterator[str]:
    """``given`` if set, else what ``script start`` prints last (its address) for a service on a free
    port with its state in ``state``, stopped when the caller is done."""
    if given:
        yield given
        return
    service = ["bash", str(script), "--port", str(free_port()), "--dir", str(state)]
    started = subprocess.run([*service, "start"], capture_output=True, text=True, timeout=timeout)
    if started.returncode != 0:
        pytest.fail(f"the test {what} did not start:\n{started.stderr[-3000:]}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([*service, "stop"], capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bootstrap address of a running broker, stopped when the session ends."""
    yield from running_service(
        KAFKA_SH, "broker", os.environ.get("WIRESTREAM_TEST_BOOTSTRAP"), tmp_path_factory.mktemp("kafka"), 600
    )


@pytest.fixture(scope="session")
def schema_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a running schema registry's Confluent-compatible API, stopped when the session ends.

    It keeps its schemas in memory: tests share it, so each uses subjects of its own (fresh topics).
    """
    yield from running_service(
        REGISTRY_SH,
        "schema registry",
        os.environ.get("WIRESTREAM_TEST_REGISTRY"),
        tmp_path_factory.mktemp("registry"),
        900,
    )


@pytest.fixture(scope="session")
def tiny_ner(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The path of a blank English pipeline with an untrained NER (``kafka_tools.tiny_model``), made
    once per session: for runs about delivery and newsroom rules, which need no real entities."""
    return tiny_model(tmp_path_factory.getbasetemp() / "tiny-ner")


@pytest.fixture
def new_topic(kafka_bootstrap: str) -> Iterator[object]:
    """A factory of fresh, uniquely named topics (3 partitions unless asked)."""
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)

    def create(prefix: str = "t", partitions: int = 3) -> str:
        name = f"{prefix}.{uuid.uuid4().hex[:10]}"
        admin.create_topics({name: {"num_partitions": partitions, "replication_factor": 1}}, wait_for_metadata=True)
        return name

    yield create
    admin.close()
