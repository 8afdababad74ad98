"""``/metrics`` for Prometheus: served once per worker process, or once per machine for many.

One worker process (the local runners: the model's processes are its children and it counts for
them) serves its own counts. Several worker processes on one machine (Flink's SDK harnesses, two
TaskManagers on one host) would each hold a part of the counts, and only one can have the port. For
them, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory in the workers' environment before
they start (``deploy/flink/`` does): each process then writes its counts to files there and the
process holding the port serves the sum over all of them (prometheus-client's multi-process mode).
The others keep trying the port, so when the serving process ends another takes over within
``RETAKE_SECONDS``, and the counts of processes that ended stay in the sums.
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import threading
import time

from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server

_LOGGER = logging.getLogger(__name__)

RETAKE_SECONDS = 5.0
_lock = threading.Lock()
_served_port: int | None = None
_retaking = False


@functools.cache
def multiprocess_dir() -> str | None:
    """``PROMETHEUS_MULTIPROC_DIR`` (created if missing, so counting cannot fail on it), or None.

    Read once: prometheus-client chose its mode from it when first imported, for the process's life.
    """
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
    return directory or None


def serve_metrics(port: int) -> int | None:
    """Serve ``/metrics`` on ``port`` once per process (0: any free port; negative: don't serve).

    Returns the port served on, or None. A second call reuses the first server, since binding twice
    fails. A port taken by another process is logged, not fatal; in multi-process mode that is the
    normal case (a sibling serves the machine's sums), and this process takes the port over if the
    sibling ends.
    """
    if port < 0:
        return None
    with _lock:
        if _served_port is not None:
            return _served_port
        if _try_serve(port):
            return _served_port
        if multiprocess_dir() is None:
            _LOGGER.warning(
                "metrics not served: port %d is taken; pass --metrics-port with a free port (0 for any), or set "
                "PROMETHEUS_MULTIPROC_DIR for the worker processes of this machine to share one endpoint",
                port,
            )
            return None
        _LOGGER.info(
            "another worker process serves this machine's /metrics on port %d (multi-process mode); "
            "this one counts into %s and takes the port over if that process ends",
            port,
            multiprocess_dir(),
        )
        _start_retaking(port)
        return None


def _try_serve(port: int) -> bool:
    global _served_port
    try:
        server, _thread = start_http_server(port, addr="0.0.0.0", registry=_registry())
    except OSError:
        return False
    _served_port = server.server_port
    scope = "this machine's worker processes" if multiprocess_dir() else "this process"
    _LOGGER.info("serving Prometheus metrics of %s on http://0.0.0.0:%d/metrics", scope, _served_port)
    return True


def _registry() -> CollectorRegistry:
    directory = multiprocess_dir()
    if directory is None:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return registry


def _start_retaking(port: int) -> None:
    global _retaking
    if _retaking:
        return
    _retaking = True

    def retake() -> None:
        while True:
            time.sleep(RETAKE_SECONDS)
            with _lock:
                if _served_port is not None or _try_serve(port):
                    return

    threading.Thread(target=retake, name="wirestream-metrics-retake", daemon=True).start()


def _mark_dead() -> None:
    """Drop this process's live gauges (lag, build) from the sums; its counters stay counted."""
    directory = multiprocess_dir()
    if directory:
        multiprocess.mark_process_dead(os.getpid(), directory)


if multiprocess_dir():
    atexit.register(_mark_dead)  # reads the pid at exit: a forked child marks itself, not its parent
