"""The pipeline, unchanged, on Beam's Prism runner (built from the Go module proxy by deploy/prism/build.sh)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.integration.kafka_tools import pipeline_args, produce, read_topic, run_pipeline, start_pipeline, stop
from wirestream.transforms.encoding import avro

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

BUILD = Path(__file__).resolve().parents[2] / "deploy" / "prism" / "build.sh"


@pytest.fixture(scope="session")
def prism() -> str:
    env = {**os.environ, "PYTHON": sys.executable}  # the Beam version to match is the one running the tests
    built = subprocess.run(["bash", str(BUILD)], capture_output=True, text=True, timeout=1200, env=env)
    if built.returncode != 0:
        pytest.fail(f"could not build Prism:\n{built.stderr[-3000:]}")
    return built.stdout.strip().splitlines()[-1]


def story(n: int) -> bytes:
    return f"PORT ELLIS, Norland (FP) — Ferry {n} left the harbour on time, the port said.\n".encode()


def test_bounded_run_on_prism_writes_every_story_and_commits(kafka_bootstrap, new_topic, prism):
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [story(n) for n in range(12)] + [b""])

    first = run_pipeline(kafka_bootstrap, topic, out, f"--prism_location={prism}")
    again = run_pipeline(kafka_bootstrap, topic, out, f"--prism_location={prism}")

    assert first.returncode == 0, first.stderr[-3000:]
    assert "starting service at localhost" in first.stderr and prism in first.stderr  # Beam ran our Prism
    assert "read 13 message(s)" in first.stderr and "12 story(ies)" in first.stderr
    assert "lost the connection" not in first.stderr  # the run closing its own clients is no outage
    assert again.returncode == 0 and "read 0 message(s)" in again.stderr, again.stderr[-3000:]
    stories = read_topic(kafka_bootstrap, f"{out}.stories", expect=12)
    assert sorted(avro.decode(r.value)["paragraphs"][0] for r in stories) == sorted(
        f"Ferry {n} left the harbour on time, the port said." for n in range(12)
    )


def test_continuous_run_on_prism_streams_with_bounded_latency_and_drains_on_sigterm(
    kafka_bootstrap, new_topic, prism, tmp_path
):
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    log = tmp_path / "pipeline.log"
    pipeline = start_pipeline(pipeline_args(kafka_bootstrap, topic, out, f"--prism_location={prism}"), log)
    try:
        produce(kafka_bootstrap, topic, [story(0)])
        read_topic(kafka_bootstrap, f"{out}.stories", expect=1, timeout=120)  # the pipeline is up
        for n in range(1, 11):  # fed while it runs, a story every half second
            produce(kafka_bootstrap, topic, [story(n)])
            time.sleep(0.5)
        records = read_topic(kafka_bootstrap, f"{out}.stories", expect=11, timeout=60)
        assert pipeline.poll() is None, "a continuous run must keep running"
    finally:
        code = stop(pipeline)
    output = log.read_text()
    assert code == 0, output[-3000:]
    assert "draining" in output and "read 11 message(s)" in output
    assert len(records) == 11
    fed = [(r, avro.decode(r.value)) for r in records]
    latencies = sorted(  # of the stories fed while it ran (story 0 waited for the pipeline to start)
        (r.timestamp - s["source"]["timestamp_ms"]) / 1000
        for r, s in fed
        if not s["paragraphs"][0].startswith("Ferry 0 ")
    )
    assert len(latencies) == 10
    print(f"Prism streaming latency, input timestamp to output: p50 {latencies[len(latencies) // 2]:.2f} s, "
          f"max {latencies[-1]:.2f} s")  # fmt: skip
    assert latencies[-1] < 10
