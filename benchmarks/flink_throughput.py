"""Stories/s of a bounded run on the Flink session cluster against the single-worker FnApiRunner, in one run.

    make flink-up    # the cluster; then, with the same FLINK_PORT:
    .venv/bin/python benchmarks/flink_throughput.py --bootstrap-servers 127.0.0.1:9092 --stories 300 --words 600

Fills a fresh 4-partition topic with ``--stories`` fictional stories of about ``--words`` words,
then runs ``wirestream run --until-end`` over it once per runner, one after the other, each into
its own output topics and group: first the FnApiRunner (the default; its model on every core),
then the options ``deploy/flink/flink.sh options`` prints for the cluster. For each it prints the
stories/s from launch to exit and steady (first story written to last), and the cluster's ratio
to the FnApiRunner. Not part of `make test`: figures, not assertions.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path

from corpus import fictional_story
from measure import create_topics, outputs, produce_all
from variants import bounded_command

REPO = Path(__file__).resolve().parents[1]
FLINK_SH = REPO / "deploy" / "flink" / "flink.sh"


def cluster_options() -> list[str]:
    """What ``make flink-up`` printed: the options that target the running session cluster."""
    printed = subprocess.run(["bash", str(FLINK_SH), "options"], capture_output=True, text=True, check=True)
    return shlex.split(printed.stdout.strip().splitlines()[-1])


def bounded_run(bootstrap: str, topic: str, prefix: str, options: list[str]) -> float:
    """``wirestream run --until-end`` from ``topic`` into ``<prefix>.*``; its seconds, launch to exit."""
    started = time.monotonic()
    done = subprocess.run(
        bounded_command("wirestream", bootstrap, topic, prefix, options), capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"the run into {prefix} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    topic = f"bench.flink.{uuid.uuid4().hex[:8]}"
    create_topics(args.bootstrap_servers, [topic], partitions=4)
    produce_all(args.bootstrap_servers, topic, [fictional_story(n, args.seed, args.words) for n in range(args.stories)])
    rates: dict[str, float] = {}
    for name, options in (("FnApiRunner", []), ("Flink cluster", cluster_options())):
        prefix = f"{topic}.{name.split()[0].lower()}"
        seconds = bounded_run(args.bootstrap_servers, topic, prefix, options)
        out = outputs(args.bootstrap_servers, prefix)
        if out.distinct != args.stories:
            raise SystemExit(f"{name}: {out.distinct} of {args.stories} stories out")
        rates[name] = args.stories / seconds
        steady = out.steady_rate()
        print(
            f"{name}: {args.stories} stories of ~{args.words} words in {seconds:.1f} s launch to exit: "
            f"{rates[name]:.2f} stories/s; steady (first story out to last) "
            + (f"{steady:.2f} stories/s" if steady else "not measurable"),
            flush=True,
        )
    print(f"cluster / FnApiRunner, launch to exit: {rates['Flink cluster'] / rates['FnApiRunner']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
