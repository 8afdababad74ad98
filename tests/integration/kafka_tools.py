"""Helpers for the tests against the real broker, each said once: free ports, produce, read topics,
run and stop the pipeline, scrape its metrics; and for the fault tests a cheap language model and
small stories.

The fault tests are about delivery, not entities: they run the pipeline with a blank spaCy pipeline
whose untrained NER finds nothing but costs next to nothing (``tiny_model``), so thousands of
stories pass in seconds.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from wirestream.transforms.kafka.clients import consumer_config, producer_config

CLI = [sys.executable, "-m", "wirestream.pipelines.cli"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- topics -----------------------------------------------------------------------------------


def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    """Send ``values`` to ``topic`` and wait until the broker has acknowledged every one."""
    producer = KafkaProducer(**producer_config(bootstrap))
    futures = [producer.send(topic, value=value) for value in values]
    producer.flush()
    producer.close()
    failed = [f for f in futures if f.failed()]
    assert not failed, f"{len(failed)} test messages were not acknowledged: {failed[0].exception}"


def end_offsets(bootstrap: str, topic: str) -> int:
    """The sum of a topic's end offsets (0 if it does not exist yet)."""
    consumer = KafkaConsumer(**consumer_config(bootstrap))
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in partitions]
        return sum(consumer.end_offsets(tps).values()) if tps else 0
    finally:
        consumer.close(autocommit=False)


class TopicReader:
    """Reads a topic from the beginning and keeps every record; ``read_committed`` as asked.

    It waits up to ``timeout`` for the topic to exist (the pipeline creates its output topics),
    with a fresh consumer each try: one consumer keeps answering from the metadata it first got.
    """

    def __init__(self, bootstrap: str, topic: str, *, read_committed: bool = False, timeout: float = 30.0) -> None:
        isolation = "read_committed" if read_committed else "read_uncommitted"
        settings = consumer_config(bootstrap, isolation_level=isolation)
        deadline = time.monotonic() + timeout
        self._consumer = KafkaConsumer(**settings)
        while not (partitions := self._consumer.partitions_for_topic(topic)) and time.monotonic() < deadline:
            time.sleep(0.2)
            self._consumer.close(autocommit=False)
            self._consumer = KafkaConsumer(**settings)
        self._consumer.assign([TopicPartition(topic, p) for p in sorted(partitions or ())])
        self.records: list[Any] = []

    def poll(self, seconds: float = 0.5) -> int:
        """Read for ``seconds``; returns how many records came."""
        got = 0
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            for part in self._consumer.poll(timeout_ms=200).values():
                self.records.extend(part)
                got += len(part)
        return got

    def wait_for(self, count: int | None, timeout: float, *, quiet: float = 1.0) -> list[Any]:
        """Every record, once there are ``count`` (any number if None) and ``quiet`` s passed with
        none, or ``timeout`` s passed: so a test sees duplicates and extras, not only what it wanted."""
        deadline = time.monotonic() + timeout
        quiet_until = time.monotonic() + quiet
        while time.monotonic() < deadline:
            if self.poll(0.2):
                quiet_until = time.monotonic() + quiet
            elif (count is None or len(self.records) >= count) and time.monotonic() > quiet_until:
                break
        return self.records

    def keys(self) -> Counter[str]:
        return Counter(r.key.decode() for r in self.records if r.key is not None)

    def wait_for_keys(self, wanted: set[str], timeout: float) -> Counter[str]:
        """Read until every key in ``wanted`` was seen (or ``timeout``), then whatever trails."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not wanted <= set(self.keys()):
            self.poll()
        self.poll(1.0)
        return self.keys()

    def close(self) -> None:
        self._consumer.close(autocommit=False)

    def __enter__(self) -> TopicReader:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


def read_topic(
    bootstrap: str, topic: str, *, expect: int | None = None, timeout: float = 30.0, read_committed: bool = False
) -> list[Any]:
    """Every record on ``topic``, waiting up to ``timeout`` for ``expect`` of them (then 1 s of quiet)."""
    started = time.monotonic()
    with TopicReader(bootstrap, topic, read_committed=read_committed, timeout=timeout) as reader:
        return reader.wait_for(expect, max(timeout - (time.monotonic() - started), 1.0))


def headers_of(record: Any) -> dict[str, str]:
    return {name: value.decode("utf-8", "replace") for name, value in (record.headers or [])}


# --- the pipeline and the CLI -------------------------------------------------------------------


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``wirestream ARGS…`` in a subprocess, as a user would run it."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def pipeline_args(
    bootstrap: str, input_topic: str, out_prefix: str, *extra: str, model: str | None = None, metrics_port: int = -1
) -> list[str]:
    """``wirestream run`` from ``input_topic`` to ``<out_prefix>.stories``, ``.deadletter``, ``.quotes``,
    ``.entities``, ``.latest``, ``.urgent`` and ``.held`` as group ``<out_prefix>.group``; no metrics
    endpoint unless a port is given."""
    return [
        "run", "--bootstrap-servers", bootstrap, "--input-topic", input_topic,
        "--stories-topic", f"{out_prefix}.stories", "--deadletter-topic", f"{out_prefix}.deadletter",
        "--quotes-topic", f"{out_prefix}.quotes", "--entities-topic", f"{out_prefix}.entities",
        "--latest-topic", f"{out_prefix}.latest", "--urgent-topic", f"{out_prefix}.urgent",
        "--held-topic", f"{out_prefix}.held",
        "--group-id", f"{out_prefix}.group", "--metrics-port", str(metrics_port),
        *(["--spacy-model", model] if model else []), *extra,
    ]  # fmt: skip


def run_pipeline(
    bootstrap: str, input_topic: str, out_prefix: str, *extra: str, **options: Any
) -> subprocess.CompletedProcess[str]:
    """A bounded run (``--until-end``), to its end."""
    return run_cli(*pipeline_args(bootstrap, input_topic, out_prefix, "--until-end", *extra, **options))


def start_pipeline(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """``wirestream ARGS…`` in the background, in its own session (so it can be signalled alone),
    its stdout and stderr appended to ``log``; end it with ``stop``."""
    with log.open("ab") as out:
        return subprocess.Popen([*CLI, *args], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen[bytes], timeout: float = 60) -> int:
    """SIGTERM (a drain), then SIGKILL if it has not ended within ``timeout``; its exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def wait_for_progress(
    bootstrap: str, topic: str, since: int, at_least: int, process: subprocess.Popen[bytes], timeout: float = 90
) -> int:
    """The topic's end offset once ``at_least`` records came after ``since``; fails if the process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = end_offsets(bootstrap, topic)
        if now - since >= at_least:
            return now
        assert process.poll() is None, f"the pipeline exited with {process.returncode}"
        time.sleep(0.3)
    raise AssertionError(f"no progress on {topic} in {timeout} s")


def scrape(port: int) -> str:
    """The Prometheus exposition a pipeline serves on ``port``."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return response.read().decode()


def metric(exposition: str, name: str, **labels: str) -> float:
    """The sum of the samples of ``name`` (``…_total`` for a counter) carrying ``labels``; 0 if none."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


def peak_memory_kib(pid: int) -> int | None:
    """The process's peak resident set (VmHWM) in KiB, while it runs."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


def child_processes(pid: int) -> list[int]:
    """The processes ``pid`` started that still run (the run's model and sandbox processes)."""
    done = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(child) for child in done.stdout.split()]


# --- cheap input for the fault tests ----------------------------------------------------------


def tiny_model(path: Path) -> str:
    """A blank English pipeline with an untrained NER, saved to ``path`` (what --spacy-model needs)."""
    import spacy

    if not (path / "meta.json").exists():
        nlp = spacy.blank("en")
        nlp.add_pipe("ner")
        nlp.initialize()
        nlp.to_disk(path)
    return str(path)


def ninjs_story(run: str, n: int, version: int | None = None) -> bytes:
    """A small ninjs story whose id (``urn:test:<run>:<n>``, with a version ``…:v<version>``, its
    family the id without it) becomes the output record's key."""
    item = {
        "uri": f"urn:test:{run}:{n}",
        "type": "text",
        "body_text": f"PORT ELLIS, Norland (FP) — Ferry number {n} left the harbour on time on Tuesday.",
    }
    if version is not None:
        item["version"] = str(version)
    return json.dumps(item).encode()


def story_ids(run: str, count: int) -> set[str]:
    return {f"urn:test:{run}:{n}" for n in range(count)}
