"""Streaming throughput with the NLP stage: Prism against the FnApiRunner, side by side in one run.

    .venv/bin/python benchmarks/streaming_runners.py --bootstrap-servers 127.0.0.1:9092 --stories 300

For each runner (and each repetition, alternating, so a noisy machine hurts both alike) it fills a
fresh topic with story-sized fictional items, starts a continuous `wirestream run`, times the span
from the first story written to the last, and drains the run with SIGTERM. Prints stories/second per
runner and the ratio. Not part of `make test`: figures, not assertions.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient

REPO = Path(__file__).resolve().parents[1]
SAMPLE = (REPO / "samples" / "fp-port-ellis-ferry.txt").read_text()


def feed(bootstrap: str, topic: str, count: int) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics({topic: {"num_partitions": 3, "replication_factor": 1}}, wait_for_metadata=True)
    admin.close()
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    for n in range(count):  # each item distinct, so each is a story of its own
        producer.send(topic, SAMPLE.replace("212 passengers", f"{200 + n} passengers").encode())
    producer.flush()
    producer.close()


def output_times(bootstrap: str, topic: str, count: int, timeout: float) -> list[float]:
    """Broker timestamps (s) of the first ``count`` records of ``topic``, waiting up to ``timeout``."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    deadline = time.monotonic() + timeout
    while not consumer.partitions_for_topic(topic) and time.monotonic() < deadline:
        time.sleep(0.5)
        consumer.close()
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    consumer.assign([TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()])
    stamps: list[float] = []
    while len(stamps) < count and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            stamps.extend(r.timestamp / 1000 for r in records)
    consumer.close()
    return sorted(stamps)


def measure(bootstrap: str, runner: str, beam_args: list[str], count: int) -> float:
    topic = f"bench.{uuid.uuid4().hex[:8]}"
    feed(bootstrap, topic, count)
    run = subprocess.Popen(
        [sys.executable, "-m", "wirestream.pipelines.cli", "run",
         "--bootstrap-servers", bootstrap, "--input-topic", topic,
         "--stories-topic", f"{topic}.stories", "--deadletter-topic", f"{topic}.dl", "--group-id", topic,
         "--metrics-port", "-1", *beam_args],
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        stamps = output_times(bootstrap, f"{topic}.stories", count, timeout=900)
    finally:
        run.send_signal(signal.SIGTERM)
        run.wait(timeout=120)
    if len(stamps) < count:
        raise SystemExit(f"{runner}: only {len(stamps)} of {count} stories arrived")
    # The span from first to last story: the steady rate, without the runner's start-up time.
    rate = (count - 1) / max(stamps[-1] - stamps[0], 1e-6)
    print(f"  {runner:<11} {rate:7.1f} stories/s ({count} stories in {stamps[-1] - stamps[0]:.1f} s)", flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    prism = subprocess.run(["bash", str(REPO / "deploy/prism/build.sh")], capture_output=True, text=True, check=True)
    runners = {
        "FnApiRunner": ["--runner=FnApiRunner"],
        "Prism": [f"--prism_location={prism.stdout.strip()}"],
    }
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for round_ in range(args.repeat):
        print(f"round {round_ + 1}:")
        for name, beam_args in runners.items():
            rates[name].append(measure(args.bootstrap_servers, name, beam_args, args.stories))
    fn_api, prism_rate = statistics.median(rates["FnApiRunner"]), statistics.median(rates["Prism"])
    print(f"median: FnApiRunner {fn_api:.1f} stories/s, Prism {prism_rate:.1f} stories/s, "
          f"Prism/FnApiRunner {prism_rate / fn_api:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
