"""What the benchmark measures of a variant run as a subprocess: wall time, its process tree's peak
resident memory and CPU time; and the Kafka reads it needs to count and time the outputs.

The peak is sampled: every ``interval`` seconds the RSS of the process and all its descendants (the
enrich stage's pool children, spaCy's ``n_process`` workers, Prism) is summed from /proc, and the
largest sum is kept. CPU time comes from ``getrusage(RUSAGE_CHILDREN)``, which counts every waited-for
descendant, so CPU seconds / wall seconds says how many cores the variant kept busy.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from soak import end_offsets

from wirestream.transforms.encoding import avro
from wirestream.transforms.kafka.clients import consumer_config, producer_config

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss_bytes(root: int) -> tuple[int, int]:
    """The summed resident set of ``root`` and every process descended from it, now; and how many they are."""
    parent: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, ppid in parent.items() if ppid == pid and child not in tree]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        with contextlib.suppress(OSError, IndexError):  # it ended meanwhile
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return total, len(tree)


class PeakSampler(threading.Thread):
    """Samples ``tree_rss_bytes(pid)`` until stopped; ``peak`` is the largest sum seen, ``processes`` the
    most processes at once."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self._pid, self._interval, self._done = pid, interval, threading.Event()
        self.peak = self.processes = 0

    def run(self) -> None:
        while not self._done.is_set():
            rss, processes = tree_rss_bytes(self._pid)
            self.peak, self.processes = max(self.peak, rss), max(self.processes, processes)
            self._done.wait(self._interval)

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak / 2**20


@dataclass
class Run:
    """A variant's subprocess, measured from launch (``start``) to exit (``finish``)."""

    command: list[str]
    log: Path
    env: dict[str, str] | None = None
    seconds: float = 0.0
    peak_mb: float = 0.0
    processes: int = 0
    cpu_seconds: float = 0.0
    returncode: int | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> Run:
        self._cpu = _children_cpu()
        self._started = time.perf_counter()
        with self.log.open("ab") as out:  # its own session: signalled alone, and killed whole if it hangs
            self.process = subprocess.Popen(
                self.command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=self.env
            )
        self._sampler = PeakSampler(self.process.pid)
        self._sampler.start()
        return self

    def finish(self, timeout: float, *, terminate: bool = False) -> Run:
        """Wait for the exit (after SIGTERM if ``terminate``); kill the session after ``timeout``."""
        assert self.process is not None
        if terminate and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.seconds = time.perf_counter() - self._started
        self.peak_mb = self._sampler.stop()
        self.processes = self._sampler.processes
        self.cpu_seconds = _children_cpu() - self._cpu
        self.returncode = self.process.returncode
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- Kafka ---------------------------------------------------------------------------------------


def create_topics(bootstrap: str, names: list[str], partitions: int = 3) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(name, partitions, 1) for name in names])
    finally:
        admin.close()


def produce_all(bootstrap: str, topic: str, values: list[bytes]) -> None:
    """Send ``values`` (round-robin over the partitions) and wait until every one is acknowledged."""
    producer = KafkaProducer(**producer_config(bootstrap))
    partitions = sorted(producer.partitions_for(topic))
    futures = [producer.send(topic, value=v, partition=partitions[n % len(partitions)]) for n, v in enumerate(values)]
    producer.flush()
    producer.close()
    failed = sum(f.failed() for f in futures)
    if failed:
        raise RuntimeError(f"{failed} of {len(values)} messages to {topic} were not acknowledged")


@dataclass
class Output:
    """What a variant wrote: per story its input's (partition, offset), the input's and its own Kafka
    timestamps (s); and how many quote, entity and dead-letter records."""

    stories: list[tuple[tuple[int, int], float, float]]
    quotes: int
    entities: int
    deadletters: int

    @property
    def distinct(self) -> int:
        return len({position for position, _, _ in self.stories})

    def steady_rate(self, burst: float = 0.1) -> float | None:
        """Stories/s from the first story written to the last, start-up left out: the stories written
        after the first burst (those within ``burst`` s of the first; a batch is written at once) over
        the time they took."""
        stamps = sorted(out for _, _, out in self.stories)
        later = [stamp for stamp in stamps if stamp > stamps[0] + burst] if stamps else []
        return len(later) / (stamps[-1] - stamps[0]) if later else None


def read_all(bootstrap: str, topic: str, *, decode: bool = False) -> list:
    """Every record on ``topic`` up to its end offsets now (Avro stories decoded with ``decode``)."""
    consumer = KafkaConsumer(**consumer_config(bootstrap))
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return []
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        ends = consumer.end_offsets(partitions)
        records: list = []
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
    finally:
        consumer.close(autocommit=False)
    if not decode:
        return records
    return [(avro.decode(r.value, "story"), r.timestamp / 1000) for r in records]


def uncommitted(bootstrap: str, topic: str, group: str) -> int:
    """Offsets of ``topic`` that ``group`` has not committed (all of them where it committed none)."""
    consumer = KafkaConsumer(**consumer_config(bootstrap, group_id=group))
    try:
        tps = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        ends = consumer.end_offsets(tps)
        return sum(end - (consumer.committed(tp) or 0) for tp, end in ends.items())
    finally:
        consumer.close(autocommit=False)


def outputs(bootstrap: str, prefix: str) -> Output:
    stories = []
    for record, stamp in read_all(bootstrap, f"{prefix}.stories", decode=True):
        source = record["source"]
        stories.append(((source["partition"], source["offset"]), source["timestamp_ms"] / 1000, stamp))
    return Output(
        stories,
        quotes=end_offsets(bootstrap, f"{prefix}.quotes"),
        entities=end_offsets(bootstrap, f"{prefix}.entities"),
        deadletters=end_offsets(bootstrap, f"{prefix}.deadletter"),
    )
