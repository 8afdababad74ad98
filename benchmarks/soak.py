"""Soak run: steady input for a long time; memory must stay flat and the counters must agree.

    python benchmarks/soak.py [--seconds 3600] [--rate 5] [--bootstrap-servers HOST:PORT] [--exactly-once]
                              [Beam options for `wirestream run`, e.g. --prism_location=PATH]

Starts its own broker (deploy/kafka/kafka.sh, a free port, a temporary directory) unless
``--bootstrap-servers`` is given, and a continuous ``wirestream run`` with metrics on a free port.
It feeds the input topic at ``--rate`` messages per second (one in twenty is a dead letter to be:
empty, binary or broken JSON), samples the pipeline's resident memory and its Prometheus counters
every ``--sample`` seconds, then stops feeding, waits for the pipeline to catch up and checks:

- counters: consumed = sent; stories + dead letters = consumed; records acknowledged on the stories
  and dead-letter topics = stories and dead letters; the topics' end offsets say the same;
- memory: the median resident set of the last quarter of the run is within ``--max-growth`` (default
  10 %) of the median of the second quarter (the first quarter is warm-up: model, caches).

Exit status 0 if both hold. ``make soak`` runs an hour; ``SOAK_SECONDS=120 make soak`` a short one.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kafka import KafkaConsumer, KafkaProducer, TopicPartition  # noqa: E402
from kafka.admin import KafkaAdminClient, NewTopic  # noqa: E402

from wirestream.transforms.kafka.clients import consumer_config, producer_config  # noqa: E402

KAFKA_SH = REPO / "deploy" / "kafka" / "kafka.sh"
BAD = [b"", b"\x00\x01\x02\x03binary", b'{"uri": "urn:soak:cut", "type": "text", "body_text": "cut']


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def story(n: int) -> bytes:
    body = (
        f"PORT ELLIS, Norland (FP) — Ferry number {n} left the harbour on time on Tuesday, "
        f"the Norland Coast Guard said. Captain Ilse Marrow thanked the crew."
    )
    return json.dumps({"uri": f"urn:soak:{n}", "type": "text", "body_text": body}).encode()


def counters(port: int) -> dict[str, float]:
    """The pipeline's wirestream_*_total counters, summed over labels, keyed by name and by topic."""
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    totals: dict[str, float] = {}
    for line in body.splitlines():
        found = re.match(r"^(wirestream_\w+_total)(\{[^}]*\})? (\S+)$", line)
        if not found:
            continue
        name, labels, value = found.group(1), found.group(2) or "", float(found.group(3))
        totals[name] = totals.get(name, 0.0) + value
        topic = re.search(r'topic="([^"]+)"', labels)
        if topic:
            totals[f"{name}[{topic.group(1)}]"] = totals.get(f"{name}[{topic.group(1)}]", 0.0) + value
    return totals


def resident_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


def end_offsets(bootstrap: str, topic: str) -> int:
    consumer = KafkaConsumer(**consumer_config(bootstrap))
    try:
        tps = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        return sum(consumer.end_offsets(tps).values()) if tps else 0
    finally:
        consumer.close(autocommit=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3600, help="how long to feed (default: %(default)s)")
    parser.add_argument("--rate", type=float, default=5.0, help="messages per second (default: %(default)s)")
    parser.add_argument("--sample", type=float, default=None, help="seconds between samples (default: run/40)")
    parser.add_argument("--bootstrap-servers", default=None, help="use this broker instead of starting one")
    parser.add_argument("--spacy-model", default=None, help="passed to wirestream run (default: its default)")
    parser.add_argument("--exactly-once", action="store_true", help="run the pipeline with --exactly-once")
    parser.add_argument("--max-growth", type=float, default=0.10, help="allowed memory growth (default: 10%%)")
    parser.add_argument("--catch-up", type=float, default=300, help="seconds to wait for the backlog at the end")
    args, beam_args = parser.parse_known_args()  # the rest goes to `wirestream run`: --prism_location=…, …
    sample_every = args.sample or max(args.seconds / 40, 2.0)

    workdir = Path(tempfile.mkdtemp(prefix="wirestream-soak-"))
    broker = None
    bootstrap = args.bootstrap_servers
    if bootstrap is None:
        broker = ["bash", str(KAFKA_SH), "--port", str(free_port()), "--dir", str(workdir / "kafka")]
        started = subprocess.run([*broker, "start"], capture_output=True, text=True, check=True)
        bootstrap = started.stdout.strip().splitlines()[-1]
    run_id = uuid.uuid4().hex[:8]
    topic, out = f"soak.{run_id}.raw", f"soak.{run_id}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","))
    admin.create_topics([NewTopic(topic, 3, 1)])
    admin.close()

    port = free_port()
    command = [
        sys.executable, "-m", "wirestream.pipelines.cli", "run",
        "--bootstrap-servers", bootstrap, "--input-topic", topic,
        "--stories-topic", f"{out}.stories", "--deadletter-topic", f"{out}.deadletter",
        "--quotes-topic", f"{out}.quotes", "--entities-topic", f"{out}.entities",
        "--group-id", f"{out}.group", "--metrics-port", str(port),
    ]  # fmt: skip
    if args.spacy_model:
        command += ["--spacy-model", args.spacy_model]
    if args.exactly_once:
        command.append("--exactly-once")
    command += beam_args
    log = workdir / "pipeline.log"
    pipeline = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=REPO)
    print(f"soak {run_id}: {args.seconds:g} s at {args.rate:g} msg/s into {topic} on {bootstrap}; log {log}")
    producer = KafkaProducer(**producer_config(bootstrap))
    samples: list[tuple[float, float]] = []
    sent = bad = 0
    started = time.monotonic()
    next_sample = started + sample_every
    ok = False
    try:
        while (now := time.monotonic()) - started < args.seconds:
            due = int((now - started) * args.rate)
            while sent < due:
                if sent % 20 == 19:
                    producer.send(topic, value=BAD[bad % len(BAD)])
                    bad += 1
                else:
                    producer.send(topic, value=story(sent))
                sent += 1
            if now >= next_sample:
                next_sample += sample_every
                if pipeline.poll() is not None:
                    print(f"the pipeline exited with {pipeline.returncode}; see {log}")
                    return 1
                rss = resident_mib(pipeline.pid)
                samples.append((now - started, rss))
                try:
                    seen = counters(port)
                except OSError:
                    seen = {}
                print(
                    f"{now - started:7.0f} s  sent {sent:7d}  consumed "
                    f"{seen.get('wirestream_messages_consumed_total', 0):7.0f}  stories "
                    f"{seen.get('wirestream_stories_processed_total', 0):7.0f}  dead letters "
                    f"{seen.get('wirestream_deadletters_total', 0):5.0f}  RSS {rss:6.1f} MiB",
                    flush=True,
                )
            time.sleep(0.05)
        producer.flush()
        deadline = time.monotonic() + args.catch_up
        while time.monotonic() < deadline:
            seen = counters(port)
            if seen.get("wirestream_messages_consumed_total", 0) >= sent:
                break
            time.sleep(1)
        time.sleep(3)  # the last bundle's acknowledgements
        seen = counters(port)
        ok = report(args, bootstrap, out, sent, bad, seen, samples)
    finally:
        producer.close()
        pipeline.send_signal(signal.SIGTERM)
        try:
            pipeline.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pipeline.kill()
        if broker is not None:
            subprocess.run([*broker, "stop"], capture_output=True)
    return 0 if ok else 1


def report(args, bootstrap: str, out: str, sent: int, bad: int, seen: dict[str, float], samples) -> bool:
    consumed = seen.get("wirestream_messages_consumed_total", 0)
    stories = seen.get("wirestream_stories_processed_total", 0)
    letters = seen.get("wirestream_deadletters_total", 0)
    acked_stories = seen.get(f"wirestream_records_produced_total[{out}.stories]", 0)
    acked_letters = seen.get(f"wirestream_records_produced_total[{out}.deadletter]", 0)
    on_topics = end_offsets(bootstrap, f"{out}.stories"), end_offsets(bootstrap, f"{out}.deadletter")
    checks = {
        f"consumed {consumed:.0f} = sent {sent}": consumed == sent,
        f"stories {stories:.0f} + dead letters {letters:.0f} = consumed": stories + letters == consumed,
        f"dead letters {letters:.0f} = bad messages sent {bad}": letters == bad,
        f"acknowledged on the stories topic {acked_stories:.0f} = stories": acked_stories == stories,
        f"acknowledged on the dead-letter topic {acked_letters:.0f} = dead letters": acked_letters == letters,
    }
    if not args.exactly_once:  # with transactions the end offsets also count commit markers
        checks[f"end offsets of the topics {on_topics} = ({stories:.0f}, {letters:.0f})"] = on_topics == (
            stories,
            letters,
        )
    rss = [mib for _, mib in samples]
    quarter = max(len(rss) // 4, 1)
    if len(rss) >= 4:
        warm, last = statistics.median(rss[quarter : 2 * quarter]), statistics.median(rss[-quarter:])
        growth = (last - warm) / warm
        checks[
            f"memory flat: median RSS {warm:.1f} MiB (2nd quarter) → {last:.1f} MiB (last quarter), "
            f"{growth:+.1%} (limit {args.max_growth:+.0%}); min {min(rss):.1f}, max {max(rss):.1f} MiB"
        ] = growth <= args.max_growth
    else:
        checks["memory: too few samples to judge (run longer)"] = False
    for text, good in checks.items():
        print(f"{'ok  ' if good else 'FAIL'} {text}")
    return all(checks.values())


if __name__ == "__main__":
    sys.exit(main())
