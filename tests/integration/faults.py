"""Helpers for the fault-injection tests: a cheap language model, pipeline processes, topic readers.

The tests are about delivery, not entities: the pipeline runs with a blank spaCy pipeline whose
untrained NER finds nothing but costs next to nothing, so thousands of stories pass in seconds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from wirestream.transforms.kafka_io import consumer_config, producer_config


def tiny_model(path: Path) -> str:
    """A blank English pipeline with an untrained NER, saved to ``path`` (what --spacy-model needs)."""
    import spacy

    if not (path / "meta.json").exists():
        nlp = spacy.blank("en")
        nlp.add_pipe("ner")
        nlp.initialize()
        nlp.to_disk(path)
    return str(path)


def story(run: str, n: int) -> bytes:
    """A small ninjs story whose id (``urn:test:<run>:<n>``) becomes the output record's key."""
    item = {
        "uri": f"urn:test:{run}:{n}",
        "type": "text",
        "body_text": f"PORT ELLIS, Norland (FP) — Ferry number {n} left the harbour on time on Tuesday.",
    }
    return json.dumps(item).encode()


def story_ids(run: str, count: int) -> set[str]:
    return {f"urn:test:{run}:{n}" for n in range(count)}


def pipeline_args(bootstrap: str, topic: str, out: str, model: str, *extra: str) -> list[str]:
    return [
        "run", "--bootstrap-servers", bootstrap, "--input-topic", topic,
        "--stories-topic", f"{out}.stories", "--deadletter-topic", f"{out}.deadletter",
        "--quotes-topic", f"{out}.quotes", "--entities-topic", f"{out}.entities",
        "--group-id", f"{out}.group", "--spacy-model", model, *extra,
    ]  # fmt: skip


def start_pipeline(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """``wirestream run …`` as a separate process (so it can be killed), its output appended to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "wirestream.pipelines.cli", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> int:
    """SIGTERM (a drain), then SIGKILL if it does not end."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


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
    """Reads a topic from the beginning, keeping every record; ``read_committed`` as asked."""

    def __init__(self, bootstrap: str, topic: str, *, read_committed: bool = False) -> None:
        isolation = "read_committed" if read_committed else "read_uncommitted"
        self._consumer = KafkaConsumer(**consumer_config(bootstrap, isolation_level=isolation))
        deadline = time.monotonic() + 30
        while not (partitions := self._consumer.partitions_for_topic(topic)) and time.monotonic() < deadline:
            time.sleep(0.2)
        self._consumer.assign([TopicPartition(topic, p) for p in sorted(partitions or ())])
        self.records: list[Any] = []

    def poll(self, seconds: float = 0.5) -> int:
        got = 0
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            for part in self._consumer.poll(timeout_ms=200).values():
                self.records.extend(part)
                got += len(part)
        return got

    def keys(self) -> Counter[str]:
        return Counter(r.key.decode() for r in self.records if r.key is not None)

    def wait_for_keys(self, wanted: set[str], timeout: float) -> Counter[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not wanted <= set(self.keys()):
            self.poll()
        self.poll(1.0)  # and whatever trails
        return self.keys()

    def close(self) -> None:
        self._consumer.close(autocommit=False)


def produce_all(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = KafkaProducer(**producer_config(bootstrap))
    futures = [producer.send(topic, value=value) for value in values]
    producer.flush()
    producer.close()
    failed = [f for f in futures if f.failed()]
    assert not failed, f"{len(failed)} test messages were not acknowledged: {failed[0].exception}"


def peak_memory_kib(pid: int) -> int | None:
    """The process's peak resident set (VmHWM) in KiB, while it runs."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


def resident_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None
