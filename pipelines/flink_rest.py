"""Flink's REST API, for what Beam's job server does not do: cancel a job on a session cluster."""

from __future__ import annotations

import json
import logging
import urllib.request

_LOGGER = logging.getLogger(__name__)

_ENDED = frozenset({"FINISHED", "CANCELED", "FAILED"})


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
