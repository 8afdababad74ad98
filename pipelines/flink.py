"""What a run does differently on Flink, decided at launch: its options, its job server, its name, its cancel.

Beam passes the checkpoint options to the job server; the job server jar is the one
``deploy/flink/flink.sh jobserver-jar`` builds from Maven Central (Beam's own download of it is
refused here); and a session cluster's job is cancelled through Flink's REST API, which Beam's job
server does not reach.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
import uuid
from pathlib import Path

from apache_beam.options.pipeline_options import GoogleCloudOptions, PipelineOptions, StandardOptions

_LOGGER = logging.getLogger(__name__)

# Flink commits a continuous read's offsets when a checkpoint completes (its bundle finalization):
# without checkpoints nothing would ever be committed, so a run without the option gets this one.
DEFAULT_CHECKPOINT_MS = 10_000
# Otherwise Beam's Flink operators finish a bundle that a checkpoint interrupts inside the snapshot and
# keep its outputs until their next bundle or watermark. The stages fed by the Impulse (the partitions)
# never get another: a checkpoint during their one bundle left the job never reading.
FINISH_BUNDLE_BEFORE_CHECKPOINTING = "--finish_bundle_before_checkpointing"
JOB_SERVER_JAR = "wirestream-flink-job-server.jar"  # the name flink.sh gives the jar it builds
_ENDED = frozenset({"FINISHED", "CANCELED", "FAILED"})


def runner_name(opts: PipelineOptions) -> str:
    """The runner as the user named it (Beam's default is the DirectRunner)."""
    runner = opts.view_as(StandardOptions).runner
    return runner if isinstance(runner, str) else type(runner).__name__ if runner else "DirectRunner"


def on_flink(opts: PipelineOptions) -> bool:
    return runner_name(opts) == "FlinkRunner"


def flink_argv(argv: list[str], *, continuous: bool = True) -> list[str]:
    """``argv`` for a run on Flink: the job server jar that flink.sh cached when none is named, and for a
    continuous run a checkpoint interval when it names none, with bundles finished before each checkpoint."""
    extra = job_server_args(argv)
    if continuous:
        if FINISH_BUNDLE_BEFORE_CHECKPOINTING not in argv:
            extra.append(FINISH_BUNDLE_BEFORE_CHECKPOINTING)
        if not any(arg.startswith("--checkpointing_interval") for arg in argv):
            extra.append(f"--checkpointing_interval={DEFAULT_CHECKPOINT_MS}")
    return [*argv, *extra]


def job_server_args(argv: list[str]) -> list[str]:
    """``--flink_job_server_jar`` with the jar flink.sh cached, unless the run names a jar or an endpoint.

    Without one Beam downloads its own jar, which fails here (and offline) with a 404 deep in a
    traceback; so a missing jar is a ValueError that says how to build one.
    """
    if any(arg.startswith(("--flink_job_server_jar", "--job_endpoint")) for arg in argv):
        return []
    jar = cached_job_server_jar()
    if jar is None:
        raise ValueError(
            "no Flink job server jar: build it once with `deploy/flink/flink.sh jobserver-jar` (from Maven Central), "
            "or pass --flink_job_server_jar PATH"
        )
    return ["--flink_job_server_jar", str(jar)]


def cached_job_server_jar() -> Path | None:
    """The job server jar ``flink.sh jobserver-jar`` built (the newest, if it built several), if any."""
    cache = Path(os.environ.get("WIRESTREAM_CACHE", Path.home() / ".cache" / "wirestream"))
    built = sorted(cache.glob(f"flink/flink-*-beam-*/{JOB_SERVER_JAR}"), key=lambda jar: jar.stat().st_mtime)
    return built[-1] if built else None


def flink_job_name(options: PipelineOptions) -> str:
    """The job's name on Flink, given (``--job_name``) or set here, by which it can be cancelled."""
    cloud = options.view_as(GoogleCloudOptions)
    if not cloud.job_name:
        cloud.job_name = f"wirestream-{uuid.uuid4().hex[:12]}"
    return cloud.job_name


def rest_url(flink_master: str | None) -> str | None:
    """``http://HOST:PORT`` of ``--flink_master``; None for the embedded ``[local]`` or ``[auto]``."""
    if not flink_master or flink_master.startswith("["):
        return None
    return flink_master if "://" in flink_master else f"http://{flink_master}"


def cancel_job(flink_master: str | None, job_name: str, timeout: float = 10) -> list[str]:
    """Cancel every running job called ``job_name`` on the cluster; returns their Flink job ids."""
    url = rest_url(flink_master)
    if url is None:
        return []
    with urllib.request.urlopen(f"{url}/jobs/overview", timeout=timeout) as response:
        jobs = json.load(response)["jobs"]
    cancelled = []
    for job in jobs:
        if job["name"] == job_name and job["state"] not in _ENDED:
            request = urllib.request.Request(f"{url}/jobs/{job['jid']}?mode=cancel", method="PATCH")
            with urllib.request.urlopen(request, timeout=timeout):
                cancelled.append(job["jid"])
            _LOGGER.info("cancelled Flink job %s (%s)", job["jid"], job_name)
    return cancelled
