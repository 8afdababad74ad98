"""The benchmark's variants, each run as a subprocess and measured the same way (``measure.Run``):
the in-process ones (``workers.py``), the bounded ones through the broker (``wirestream run
--until-end``, the plain loop, the Quix app) and the continuous latency runs."""

from __future__ import annotations

import json
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from kafka import KafkaProducer
from measure import Output, Run, create_topics, outputs, produce_all, uncommitted
from soak import end_offsets

from wirestream.transforms.kafka.clients import producer_config

HERE = Path(__file__).resolve().parent
WIRESTREAM = (
    [str(Path(sys.executable).with_name("wirestream"))]
    if Path(sys.executable).with_name("wirestream").exists()
    else [sys.executable, "-m", "wirestream.pipelines.cli"]
)


@dataclass
class Result:
    name: str
    label: str
    stories: int
    seconds: float
    peak_mb: float
    cores: float  # CPU seconds / wall seconds of the whole subprocess
    processes: int = 0  # the most in its process tree at once
    output: Output | None = None
    first_out: float | None = None  # seconds from launch to the first story on the topic
    error: str | None = None

    @property
    def rate(self) -> float:
        return self.stories / self.seconds if self.seconds else 0.0

    @property
    def steady_rate(self) -> float | None:
        return self.output.steady_rate() if self.output else None


def in_process(name: str, label: str, workdir: Path, args: list[str], timeout: float) -> Result:
    """A ``workers.py`` variant; its own timing of the work, its tree's memory and CPU."""
    run = Run([sys.executable, str(HERE / "workers.py"), *args], workdir / f"{name}.log").start()
    try:
        run.finish(timeout)
    finally:
        run.kill()
    if run.returncode != 0:
        return Result(name, label, 0, 0, run.peak_mb, 0, error=f"exit {run.returncode}: {run.tail(5)}")
    got = json.loads(run.log.read_text().strip().splitlines()[-1])
    return Result(
        name, label, got["stories"], got["seconds"], run.peak_mb, run.cpu_seconds / run.seconds, run.processes
    )


def fresh(bootstrap: str, name: str) -> tuple[str, str]:
    """A new input topic and output prefix for one run, the outputs created as the input (3 partitions)."""
    prefix = f"bench.{name}.{uuid.uuid4().hex[:6]}"
    create_topics(bootstrap, [f"{prefix}.raw", *(f"{prefix}.{k}" for k in ("stories", "quotes", "entities"))])
    create_topics(bootstrap, [f"{prefix}.deadletter"])
    return f"{prefix}.raw", prefix


def pipeline_args(bootstrap: str, topic: str, prefix: str) -> list[str]:
    """Every topic of the run under ``prefix``, the newsroom's too, so that runs share nothing."""
    return [
        "--bootstrap-servers", bootstrap, "--input-topic", topic, "--stories-topic", f"{prefix}.stories",
        "--quotes-topic", f"{prefix}.quotes", "--entities-topic", f"{prefix}.entities",
        "--latest-topic", f"{prefix}.latest", "--urgent-topic", f"{prefix}.urgent", "--held-topic", f"{prefix}.held",
        "--deadletter-topic", f"{prefix}.deadletter", "--group-id", f"{prefix}.group", "--metrics-port", "0",
    ]  # fmt: skip


def bounded_command(kind: str, bootstrap: str, topic: str, prefix: str, extra: list[str]) -> list[str]:
    if kind == "wirestream":
        return [*WIRESTREAM, "run", "--until-end", *pipeline_args(bootstrap, topic, prefix), *extra]
    script = HERE / f"{kind}.py"  # plain_loop.py, quix_app.py
    return [
        sys.executable, str(script), "--bootstrap-servers", bootstrap, "--input-topic", topic,
        "--prefix", prefix, "--group-id", f"{prefix}.group",
    ]  # fmt: skip


def bounded(name: str, label: str, workdir: Path, bootstrap: str, messages: list[bytes], kind: str,
            extra: list[str] = ()) -> Result:  # fmt: skip
    """Fill a fresh topic with ``messages``, run the variant from launch to its end, count what it wrote."""
    topic, prefix = fresh(bootstrap, name)
    produce_all(bootstrap, topic, messages)
    launched = time.time()
    run = Run(bounded_command(kind, bootstrap, topic, prefix, list(extra)), workdir / f"{name}.log").start()
    try:
        run.finish(timeout=120 + 5 * len(messages))
    finally:
        run.kill()
    out = outputs(bootstrap, prefix)
    result = Result(
        name, label, out.distinct, run.seconds, run.peak_mb, run.cpu_seconds / run.seconds, run.processes, out
    )
    if out.stories:
        result.first_out = min(stamp for _, _, stamp in out.stories) - launched
    if run.returncode != 0:
        result.error = f"exit {run.returncode} (log {run.log}): {run.tail(3)}"
    return result


@dataclass
class Latency:
    name: str
    label: str
    rate: float
    seconds: float
    sent: int = 0
    in_order: list[float] = field(default_factory=list)  # seconds, in the order the inputs were sent
    peak_mb: float = 0.0
    processes: int = 0
    cores: float = 0.0
    uncommitted: int | None = None
    error: str | None = None

    @property
    def received(self) -> int:
        return len(self.in_order)

    def quantile(self, q: float) -> float:
        ordered = sorted(self.in_order)
        if len(ordered) < 2:
            return ordered[0] if ordered else float("nan")
        return statistics.quantiles(ordered, n=100, method="inclusive")[round(q * 100) - 1]

    @property
    def drift(self) -> float:
        """Median latency of the last quarter of the inputs minus that of the first: > 0 when falling behind."""
        quarter = len(self.in_order) // 4
        if not quarter:
            return float("nan")
        return statistics.median(self.in_order[-quarter:]) - statistics.median(self.in_order[:quarter])


def latency(name: str, label: str, workdir: Path, bootstrap: str, messages: list[bytes], extra: list[str],
            rate: float, seconds: float, warm: int = 3) -> Latency:  # fmt: skip
    """A continuous ``wirestream run``: warmed up with ``warm`` messages, then fed ``rate`` messages/s for
    ``seconds``, drained, ended with SIGTERM. Latency: output story's Kafka timestamp - its input's."""
    topic, prefix = fresh(bootstrap, name)
    run = Run([*WIRESTREAM, "run", *pipeline_args(bootstrap, topic, prefix), *extra], workdir / f"{name}.log").start()
    producer = KafkaProducer(**producer_config(bootstrap))
    found = Latency(name, label, rate, seconds)
    loaded = float("inf")
    try:
        for raw in messages[1 : 2 * warm : 2]:  # short ones
            producer.send(topic, value=raw)
        producer.flush()
        if not _wait_for(bootstrap, f"{prefix}.stories", warm, 600, run):
            raise RuntimeError(f"no output after warm-up (log {run.log}): {run.tail(3)}")
        loaded = time.time() - 0.001  # Kafka timestamps are whole milliseconds
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < seconds:
            while found.sent < int(elapsed * rate) + 1:
                producer.send(topic, value=messages[found.sent % len(messages)])
                found.sent += 1
            time.sleep(0.005)
        producer.flush()
        if not _wait_for(bootstrap, f"{prefix}.stories", warm + found.sent, max(120, seconds), run):
            found.error = "not every story arrived before the timeout"
    except RuntimeError as exc:
        found.error = str(exc)
    finally:
        producer.close()
        run.finish(timeout=120, terminate=True)
        run.kill()
    out = outputs(bootstrap, prefix)
    found.in_order = [o - i for _, i, o in sorted(out.stories, key=lambda story: story[1]) if i >= loaded]
    found.peak_mb, found.processes, found.cores = run.peak_mb, run.processes, run.cpu_seconds / run.seconds
    found.uncommitted = uncommitted(bootstrap, topic, f"{prefix}.group")
    if len(out.stories) != out.distinct:
        found.error = f"{len(out.stories) - out.distinct} duplicate stories"
    if run.returncode != 0 and found.error is None:
        found.error = f"exit {run.returncode} after SIGTERM (log {run.log})"
    return found


def _wait_for(bootstrap: str, topic: str, count: int, timeout: float, run: Run) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if end_offsets(bootstrap, topic) >= count:
            return True
        if run.process is not None and run.process.poll() is not None:
            return False
        time.sleep(0.5)
    return False
