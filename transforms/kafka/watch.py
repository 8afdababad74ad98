"""Noticing, per process, when the pipeline's clients lose and regain the broker: logged and counted.

The clients themselves block and retry through an outage (a sink's flush waits for the broker), so
nothing else would see it.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from typing import Any

from kafka import KafkaConsumer

from wirestream.transforms.telemetry import metrics

__all__ = ["BrokerWatch", "watch"]

_LOGGER = logging.getLogger(__name__)


class BrokerWatch:
    """A thread that looks at the connections of every client registered, twice a second.

    Down means no client (the readers' consumers, the sinks' producer) holds a connection to any
    broker; the first time they are up again, the outage is logged and counted.
    """

    def __init__(self, interval: float = 0.5) -> None:
        self._interval = interval
        self._lock = threading.Lock()
        self._clients: weakref.WeakSet[Any] = weakref.WeakSet()
        self._thread: threading.Thread | None = None
        self._seen_up = False
        self._lost_since: float | None = None

    def watch(self, client: Any) -> None:
        with self._lock:
            self._clients.add(client)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="wirestream-broker-watch", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(self._interval)
            try:
                self.check()
            except Exception:  # never let watching break anything
                _LOGGER.debug("broker watch failed", exc_info=True)

    def check(self) -> None:
        states = [state for client in list(self._clients) if (state := _connected(client)) is not None]
        if not states:
            return
        up = any(states)
        with self._lock:
            if up:
                if self._lost_since is not None:
                    down = time.monotonic() - self._lost_since
                    metrics.KAFKA_RECONNECTS.inc()
                    _LOGGER.warning("reconnected to Kafka after %.1f s without a broker; going on", down)
                self._seen_up, self._lost_since = True, None
            elif self._seen_up and self._lost_since is None:
                self._lost_since = time.monotonic()
                _LOGGER.warning(
                    "lost the connection to Kafka; retrying (unacknowledged records stay uncommitted and are "
                    "sent or read again)"
                )


_BROKER_WATCH = BrokerWatch()


def watch(client: Any) -> None:
    """Watch ``client`` (a consumer or producer) with this process's broker watch; it is held weakly."""
    _BROKER_WATCH.watch(client)


def _connected(client: Any) -> bool | None:
    """Whether a consumer or producer holds a connection to any broker; None if that cannot be told,
    or if the client is closed or closing: a run that ends closes its clients, which is no outage.

    kafka-python has no public call for this: it asks the network client the consumer (or the
    producer's sender) wraps.
    """
    try:
        if getattr(client, "_closed", False) or not getattr(getattr(client, "_sender", None), "_running", True):
            return None
        net = client._client if isinstance(client, KafkaConsumer) else client._sender._client
        brokers = net.cluster.brokers()
        if not brokers:
            return None
        return any(net.connected(getattr(broker, "node_id", None) or broker.nodeId) for broker in brokers)
    except Exception:  # a kafka-python internal changed
        return None
