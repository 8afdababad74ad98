"""Small helpers for tests against the real broker: produce, read a whole topic, run the CLI."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from wirestream.transforms.kafka_io import consumer_config, producer_config


def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = KafkaProducer(**producer_config(bootstrap))
    for value in values:
        producer.send(topic, value=value)
    producer.flush()
    producer.close()


def read_topic(bootstrap: str, topic: str, *, expect: int | None = None, timeout: float = 30.0) -> list[Any]:
    """Every record on ``topic``, waiting up to ``timeout`` for ``expect`` of them (then 1 s of quiet)."""
    consumer = KafkaConsumer(**consumer_config(bootstrap))
    deadline = time.monotonic() + timeout
    while not (partitions := consumer.partitions_for_topic(topic)) and time.monotonic() < deadline:
        time.sleep(0.2)
        consumer.close()
        consumer = KafkaConsumer(**consumer_config(bootstrap))
    consumer.assign([TopicPartition(topic, p) for p in sorted(partitions or ())])
    records: list[Any] = []
    quiet_until = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        batch = consumer.poll(timeout_ms=200)
        for part in batch.values():
            records.extend(part)
        if batch:
            quiet_until = time.monotonic() + 1.0
        elif (expect is None or len(records) >= expect) and time.monotonic() > quiet_until:
            break
    consumer.close()
    return records


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``wirestream ARGS…`` in a subprocess, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "wirestream.pipelines.cli", *args], capture_output=True, text=True, timeout=timeout
    )


def pipeline_args(bootstrap: str, input_topic: str, out_prefix: str, *extra: str) -> list[str]:
    """``wirestream run`` arguments from ``input_topic`` to ``<out_prefix>.stories``, ``.deadletter``, …"""
    return [
        "run", "--bootstrap-servers", bootstrap, "--input-topic", input_topic,
        "--stories-topic", f"{out_prefix}.stories", "--deadletter-topic", f"{out_prefix}.deadletter",
        "--quotes-topic", f"{out_prefix}.quotes", "--entities-topic", f"{out_prefix}.entities",
        "--group-id", f"{out_prefix}.group", "--metrics-port", "-1", *extra,
    ]  # fmt: skip


def run_pipeline(bootstrap: str, input_topic: str, out_prefix: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """A bounded run (``--until-end``), to its end."""
    return run_cli(*pipeline_args(bootstrap, input_topic, out_prefix, "--until-end", *extra))


def start_pipeline(
    bootstrap: str, input_topic: str, out_prefix: str, *extra: str, stderr: Any = subprocess.PIPE
) -> subprocess.Popen[str]:
    """A continuous run in the background; stop it with ``stop_pipeline``."""
    args = pipeline_args(bootstrap, input_topic, out_prefix, *extra)
    return subprocess.Popen([sys.executable, "-m", "wirestream.pipelines.cli", *args], stderr=stderr, text=True)


def stop_pipeline(pipeline: subprocess.Popen[str], timeout: float = 60) -> str:
    """SIGTERM (a drain), then SIGKILL if it does not end in ``timeout``; returns what it wrote to stderr."""
    pipeline.send_signal(signal.SIGTERM)
    try:
        pipeline.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pipeline.kill()
        pipeline.wait()
    return pipeline.stderr.read() if pipeline.stderr else ""


def headers_of(record: Any) -> dict[str, str]:
    return {name: value.decode("utf-8", "replace") for name, value in (record.headers or [])}
