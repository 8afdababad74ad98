"""What ``consume`` and ``replay-deadletters`` share: reading a whole topic until it goes quiet, bytes as JSON."""

from __future__ import annotations

import base64
import sys
import time
from collections.abc import Iterator
from typing import Any

from kafka import TopicPartition


def assign_whole_topic(consumer: Any, topic: str, bootstrap_servers: str) -> list[TopicPartition]:
    """Assign every partition of ``topic`` to ``consumer``; [] (and says so) when the topic does not exist."""
    partitions = consumer.partitions_for_topic(topic) or set()
    if not partitions:
        print(f"topic {topic!r} does not exist on {bootstrap_servers}", file=sys.stderr)
        return []
    tps = [TopicPartition(topic, p) for p in sorted(partitions)]
    consumer.assign(tps)
    return tps


def records_until_quiet(consumer: Any, timeout: float) -> Iterator[Any]:
    """Records in partition order as they arrive, until ``timeout`` seconds pass without one."""
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < timeout:
        batch = consumer.poll(timeout_ms=200)
        for tp in sorted(batch, key=lambda tp: tp.partition):
            yield from batch[tp]
        if batch:
            quiet_since = time.monotonic()


def bytes_json(data: bytes) -> Any:
    """Text as a string; anything else as ``{"base64": …}`` so no byte is lost."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}
