"""Several worker processes on one machine, one ``/metrics`` with the sums of all of them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

# A worker process: counts what it was given, serves (or yields the port to a sibling), and runs
# until its stdin closes, then exits normally (so its exit hook marks it dead).
WORKER = """
import sys
from wirestream.transforms.telemetry import metrics
from wirestream.transforms.telemetry.exporter import serve_metrics

consumed, partition, lag, port = sys.argv[1:]
metrics.MESSAGES_CONSUMED.labels("wire.raw").inc(int(consumed))
metrics.CONSUMER_LAG.labels("wire.raw", partition).set(int(lag))
print("serving" if serve_metrics(int(port)) else "counting", flush=True)
sys.stdin.read()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker(directory: Path, port: int, consumed: int, partition: int, lag: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    args = [sys.executable, "-c", WORKER, str(consumed), str(partition), str(lag), str(port)]
    return subprocess.Popen(args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def samples(port: int) -> dict[tuple[str, str], float]:
    """(sample name, partition or "") → value, for the wirestream samples served on ``port``."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {
        (s.name, s.labels.get("partition", "")): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name.startswith("wirestream_") and not s.name.endswith("_created")
    }


def wait_for_port(port: int, process: subprocess.Popen[str], timeout: float = 20) -> dict[tuple[str, str], float]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return samples(port)
        except (urllib.error.URLError, ConnectionError):
            assert process.poll() is None and time.monotonic() < deadline, "no process took the port over"
            time.sleep(0.5)


def test_the_serving_process_sums_its_siblings_and_a_sibling_takes_over_when_it_ends(tmp_path: Path) -> None:
    port = free_port()
    first = worker(tmp_path, port, consumed=3, partition=0, lag=5)
    assert first.stdout.readline().strip() == "serving"
    second = worker(tmp_path, port, consumed=4, partition=1, lag=7)
    try:
        assert second.stdout.readline().strip() == "counting"  # the port is taken: it counts for the other
        both = samples(port)
        assert both[("wirestream_messages_consumed_total", "")] == 7
        assert both[("wirestream_consumer_lag_messages", "0")] == 5
        assert both[("wirestream_consumer_lag_messages", "1")] == 7

        first.communicate("", timeout=20)  # the serving process ends cleanly
        after = wait_for_port(port, second)
        assert after[("wirestream_messages_consumed_total", "")] == 7  # what the ended process counted stays
        assert ("wirestream_consumer_lag_messages", "0") not in after  # its live gauge went with it
        assert after[("wirestream_consumer_lag_messages", "1")] == 7
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
                process.wait()


def test_one_process_without_the_directory_serves_its_own_counts() -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    args = [sys.executable, "-c", WORKER, "2", "0", "1", str(port)]
    process = subprocess.Popen(args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "serving"
        assert samples(port)[("wirestream_messages_consumed_total", "")] == 2
    finally:
        process.kill()
        process.wait()
