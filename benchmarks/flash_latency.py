"""Flash latency while a backlog is worked off: the urgent lane against the pipeline, in one run.

    .venv/bin/python benchmarks/flash_latency.py --bootstrap-servers 127.0.0.1:9092 --backlog 300 --flashes 5

Fills a fresh topic with ``--backlog`` routine story-sized items, starts a continuous `wirestream
run`, and once the first routine story is out (the backlog is being worked off) sends a flash every
``--every`` seconds. For each flash it takes the time from its input's Kafka timestamp to its record
on the urgent topic (the fast lane) and on the stories topic (the pipeline, behind the backlog), and
how many routine stories came out after it was on the urgent topic. Prints each and the medians.
Not part of `make test`: figures, not assertions.
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

from wirestream.transforms.encoding import avro

REPO = Path(__file__).resolve().parents[1]
ROUTINE = (REPO / "samples" / "fp-port-ellis-ferry.txt").read_text()
FLASH = "FLASH: Morrow bridge {n} collapses in Port Ellis\n\nPORT ELLIS, Norland (FP) — The Morrow bridge collapsed on Tuesday, police said.\n"  # noqa: E501


def arrivals(consumer: KafkaConsumer, seen: dict[str, tuple[str, float]]) -> None:
    """Record each new story's headline and broker timestamp (s), by story id."""
    for records in consumer.poll(timeout_ms=200).values():
        for record in records:
            story = avro.decode(record.value)
            seen.setdefault(story["id"], (story["headline"] or "", record.timestamp / 1000))


def by_headline(seen: dict[str, tuple[str, float]]) -> dict[str, float]:
    return {headline: at for headline, at in seen.values()}


def reader(bootstrap: str, topic: str) -> KafkaConsumer:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    while not consumer.partitions_for_topic(topic):
        time.sleep(0.5)
        consumer.close()
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    consumer.assign([TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)])
    return consumer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--backlog", type=int, default=300)
    parser.add_argument("--flashes", type=int, default=5)
    parser.add_argument("--every", type=float, default=3.0)
    args = parser.parse_args()
    topic = f"flash.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=args.bootstrap_servers)
    admin.create_topics({topic: {"num_partitions": 3, "replication_factor": 1}}, wait_for_metadata=True)
    admin.close()
    producer = KafkaProducer(bootstrap_servers=args.bootstrap_servers)
    for n in range(args.backlog):
        producer.send(topic, ROUTINE.replace("212 passengers", f"{200 + n} passengers").encode())
    producer.flush()
    run = subprocess.Popen(
        [sys.executable, "-m", "wirestream.pipelines.cli", "run", "--bootstrap-servers", args.bootstrap_servers,
         "--input-topic", topic, "--group-id", topic, "--metrics-port", "-1",
         *[f"--{kind}-topic={topic}.{kind}" for kind in ("stories", "quotes", "entities", "latest", "urgent", "held")],
         f"--deadletter-topic={topic}.deadletter"],
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    stories, urgent = (
        reader(args.bootstrap_servers, f"{topic}.stories"),
        reader(args.bootstrap_servers, f"{topic}.urgent"),
    )
    out: dict[str, tuple[str, float]] = {}
    fast: dict[str, tuple[str, float]] = {}
    while not out:
        arrivals(stories, out)
    sent: dict[str, float] = {}
    for n in range(args.flashes):
        headline = FLASH.format(n=n).split("\n")[0]
        future = producer.send(topic, FLASH.format(n=n).encode())
        producer.flush()
        arrivals(stories, out)
        sent[headline] = future.get().timestamp / 1000
        deadline = time.monotonic() + args.every
        while time.monotonic() < deadline:
            arrivals(urgent, fast)
            arrivals(stories, out)
    while (len(out) < args.backlog + args.flashes or len(fast) < args.flashes) and run.poll() is None:
        arrivals(urgent, fast)
        arrivals(stories, out)
    run.send_signal(signal.SIGTERM)
    run.wait(120)
    print(f"backlog {args.backlog} routine stories, {args.flashes} flashes, one every {args.every:g} s")
    print("flash  urgent-topic-s  stories-topic-s  routine-stories-it-overtook")
    lane, pipeline = [], []
    urgent_at, stories_at = by_headline(fast), by_headline(out)
    for headline, at in sent.items():
        lane.append(urgent_at[headline] - at)
        pipeline.append(stories_at[headline] - at)
        overtook = sum(1 for h, t in out.values() if h not in sent and t > urgent_at[headline])
        print(f"{headline[-30:]:>30}  {lane[-1]:8.2f}  {pipeline[-1]:8.2f}  {overtook:>5}")
    print(f"median: urgent topic {statistics.median(lane):.2f} s, stories topic {statistics.median(pipeline):.2f} s, "
          f"ratio {statistics.median(pipeline) / statistics.median(lane):.1f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
