"""A real Kafka broker for the integration tests: started once per session on a free port.

``deploy/kafka/kafka.sh`` fetches the broker's jars (cached across runs) and starts it; set
``WIRESTREAM_TEST_BOOTSTRAP=host:port`` to use a broker you already run instead.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka.admin import KafkaAdminClient

from tests.integration.kafka_tools import free_port

REPO = Path(__file__).resolve().parents[2]
KAFKA_SH = REPO / "deploy" / "kafka" / "kafka.sh"


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bootstrap address of a running broker, stopped when the session ends."""
    given = os.environ.get("WIRESTREAM_TEST_BOOTSTRAP")
    if given:
        yield given
        return
    broker = ["bash", str(KAFKA_SH), "--port", str(free_port()), "--dir", str(tmp_path_factory.mktemp("kafka"))]
    started = subprocess.run([*broker, "start"], capture_output=True, text=True, timeout=600)
    if started.returncode != 0:
        pytest.fail(f"the test broker did not start:\n{started.stderr[-3000:]}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([*broker, "stop"], capture_output=True, timeout=120)


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
