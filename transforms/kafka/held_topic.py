"""The held topic: made so that nothing on it expires, and read back as what waits and what was killed.

Items wait there until their embargo, however far ahead, so the topic is compacted by item
(``cleanup.policy=compact``: a record goes only when a later one of its key replaces it), never
deleted by age; an existing held topic whose records would expire is refused at launch, as the
latest topic's policy is. Keys (``newsroom.embargo``): ``item/…`` an item waiting (a tombstone
once released), ``kill/<family>`` a family's last kill. ``HeldLedger`` is what the topic holds, read
from its start: the releaser's memory of what waits, what it released and what was killed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from kafka import TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic
from kafka.errors import TopicAuthorizationFailedError

from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.connection import ConnectionConfig, KafkaSetupError
from wirestream.transforms.kafka.topics import create_if_missing
from wirestream.transforms.newsroom.embargo import (
    HELD_FAMILY,
    HELD_FORMAT,
    HELD_FROM,
    HELD_ITEM,
    HELD_KEY,
    HELD_REASON,
    HELD_VERSION,
    ITEM_PREFIX,
    KILL_PREFIX,
    held_until,
)
from wirestream.transforms.records import ids
from wirestream.transforms.records.story import read_position

__all__ = ["HELD_CONFIGS", "HeldItem", "HeldLedger", "HeldReader", "KillNotice", "ensure_held_topic", "expiry_of"]

_LOGGER = logging.getLogger(__name__)
# Compacted by item, tombstones of released items kept a week (a releaser reading the topic from its
# start within that time sees them).
HELD_CONFIGS = {"cleanup.policy": "compact", "delete.retention.ms": str(7 * 24 * 3600 * 1000)}
_POLICY_NAMES = ("cleanup.policy", "retention.ms", "retention.bytes")


def ensure_held_topic(connection: ConnectionConfig, topic: str, partitions: int = 1) -> None:
    """Create ``topic`` compacted if it is missing; an existing one whose records expire is refused."""
    admin = clients.new_admin(connection)
    try:
        try:
            created = create_if_missing(admin, NewTopic(topic, partitions, 1, topic_configs=HELD_CONFIGS))
        except TopicAuthorizationFailedError:  # missing, and this user may not create it: said below
            created = False
        if created:
            _LOGGER.info("created the compacted held topic %s", topic)
        else:  # made by us before, or by an admin
            configs = _topic_configs(admin, topic)
            if "cleanup.policy" not in configs:
                raise KafkaSetupError(
                    f"{connection.principal} may not read the configs of the held topic {topic!r} (or it does not "
                    f"exist, and may not be created): the run checks that nothing on it expires. An admin grants "
                    f"Create and DescribeConfigs on it; docs/security.md lists every ACL the pipeline needs"
                ) from None
            expiry = expiry_of(configs)
            if expiry:
                raise ValueError(
                    f"the held topic {topic!r} exists with {expiry}: a story embargoed further ahead would be "
                    f"deleted before its time. Give another --held-topic, or make its records never expire: "
                    f"kafka-configs.sh --alter --entity-type topics --entity-name {topic} "
                    f"--add-config retention.ms=-1,retention.bytes=-1"
                ) from None
    finally:
        admin.close()


def expiry_of(configs: dict[str, str]) -> str | None:
    """How a topic with ``configs`` lets records expire (the settings that do it), or None if it
    never does: compacted only, or deleted by age and size never (both -1)."""
    policy = {part.strip() for part in configs.get("cleanup.policy", "delete").split(",")}
    if "delete" not in policy:
        return None
    limits = [f"{name}={configs.get(name, '')}" for name in ("retention.ms", "retention.bytes")]
    expiring = [limit for limit in limits if limit.split("=", 1)[1] != "-1"]
    return f"cleanup.policy={','.join(sorted(policy))}, {', '.join(expiring)}" if expiring else None


def _topic_configs(admin: KafkaAdminClient, topic: str) -> dict[str, str]:
    """The topic's retention settings as the broker has them (its defaults where not set)."""
    resource = ConfigResource(ConfigResourceType.TOPIC, topic, dict.fromkeys(_POLICY_NAMES))
    found: dict[str, str] = {}
    for by_name in admin.describe_configs([resource], config_filter="all").values():
        for configs in by_name.values():
            for name in _POLICY_NAMES:
                entry = configs.get(name)
                if entry is not None:
                    found[name] = str(entry.get("value", entry) if isinstance(entry, dict) else entry)
    return found


def _text(headers: dict[str, bytes], name: str) -> str:
    return headers.get(name, b"").decode("utf-8", "replace")


def _version(text: str) -> int | None:
    return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class HeldItem:
    """An item waiting on the held topic: the record as held, and what its headers say."""

    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes], ...]
    partition: int  # where it waits on the held topic
    offset: int
    timestamp_ms: int

    @property
    def fields(self) -> dict[str, bytes]:
        return dict(self.headers)  # ours come after the producer's: ours win

    @property
    def due_ms(self) -> int | None:
        """Its embargo time; None: it waits for an editor (no time, or a record not of ours)."""
        return held_until(self.headers) if HELD_REASON not in self.fields else None

    @property
    def item(self) -> str:
        return _text(self.fields, HELD_ITEM)

    @property
    def family(self) -> str:
        return _text(self.fields, HELD_FAMILY)

    @property
    def version(self) -> int | None:
        return _version(_text(self.fields, HELD_VERSION))

    @property
    def wire_format(self) -> str:
        return _text(self.fields, HELD_FORMAT) or "unknown"

    @property
    def reason(self) -> str:
        return _text(self.fields, HELD_REASON)

    @property
    def held_from(self) -> tuple[str, int, int] | None:
        return read_position(_text(self.fields, HELD_FROM))

    @property
    def original_key(self) -> bytes | None:
        return self.fields.get(HELD_KEY)


@dataclass(frozen=True)
class KillNotice:
    """A family's last kill as the hold stage saw it go by."""

    family: str
    version: int | None
    held_from: tuple[str, int, int] | None
    timestamp_ms: int


class HeldLedger:
    """What the held topic holds, record by record from its start: the items still waiting (a
    tombstone ends one) and each family's last kill. A record of a key we do not write (a held topic
    from before items were keyed) waits for an editor, so nothing of it goes out by itself."""

    def __init__(self) -> None:
        self.items: dict[bytes, HeldItem] = {}
        self.kills: dict[str, KillNotice] = {}

    def apply(self, record: Any) -> None:
        """Take in one record of the held topic (a kafka-python ``ConsumerRecord``)."""
        key = record.key or f"record/{record.partition}/{record.offset}".encode()
        if key.startswith(KILL_PREFIX.encode()):
            if record.value is not None:
                fields = dict(record.headers or ())
                family = _text(fields, HELD_FAMILY) or key[len(KILL_PREFIX) :].decode("utf-8", "replace")
                self.kills[family] = KillNotice(
                    family,
                    _version(_text(fields, HELD_VERSION)),
                    read_position(_text(fields, HELD_FROM)),
                    record.timestamp,
                )
            return
        if record.value is None:
            self.items.pop(key, None)
            return
        headers = tuple((name, value or b"") for name, value in record.headers or ())
        if not key.startswith(ITEM_PREFIX.encode()):  # not ours: for an editor, whatever its headers say
            headers = (*headers, (HELD_REASON, b"held before items were held one by one: an editor decides"))
        self.items[key] = HeldItem(key, record.value, headers, record.partition, record.offset, record.timestamp)

    def due(self, now_ms: int) -> list[HeldItem]:
        """The items whose time has come, earliest first (never those waiting for an editor)."""
        due = [item for item in self.items.values() if item.due_ms is not None and item.due_ms <= now_ms]
        return sorted(due, key=lambda item: (item.due_ms or 0, item.partition, item.offset))

    def waiting(self) -> int:
        return sum(1 for item in self.items.values() if item.due_ms is not None)

    def killer(self, item: HeldItem) -> KillNotice | None:
        """The kill that covers the item, if any: its family's (or the same story's: ``ids.same_story``)
        last kill, when the item came before it, or after it with no version above the kill's (a
        late copy, as the latest table would keep it down). A kill is final for what it killed."""
        for notice in self.kills.values():
            if item.family and ids.same_story(notice.family, item.family) and _covers(notice, item):
                return notice
        return None


def _covers(notice: KillNotice, item: HeldItem) -> bool:
    if _came_before(item, notice):
        return True
    return item.version is None or (notice.version is not None and item.version <= notice.version)


def _came_before(item: HeldItem, notice: KillNotice) -> bool:
    """Whether the item's input came before the kill's: by offset on the same input partition, else
    by when each reached the held topic (the hold stage sees the input in order)."""
    here, there = item.held_from, notice.held_from
    if here is not None and there is not None and here[:2] == there[:2]:
        return here[2] < there[2]
    return item.timestamp_ms <= notice.timestamp_ms


class HeldReader:
    """Reads the held topic from its start into a ledger, ``read_committed`` (a release and its
    tombstone count only once their transaction is committed)."""

    def __init__(self, connection: ConnectionConfig, topic: str) -> None:
        self._consumer = clients.new_consumer(connection, group_id=None, isolation_level="read_committed")
        self._topic = topic
        self._parts: list[TopicPartition] = []

    def assign(self, timeout: float = 60.0) -> bool:
        """Wait for the topic's partitions (it is made at launch) and read them from the start."""
        deadline = time.monotonic() + timeout
        while not (partitions := self._consumer.partitions_for_topic(self._topic)):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)
        self._parts = [TopicPartition(self._topic, p) for p in sorted(partitions)]
        self._consumer.assign(self._parts)
        self._consumer.seek_to_beginning(*self._parts)
        return True

    def poll(self, ledger: HeldLedger, timeout_ms: int = 200) -> int:
        """Take in what came; how many records."""
        count = 0
        for records in self._consumer.poll(timeout_ms=timeout_ms).values():
            for record in records:
                ledger.apply(record)
                count += 1
        return count

    def read_to_end(self, ledger: HeldLedger, timeout: float = 30.0) -> None:
        """Take in everything up to the topic's end as of now (committed), or TimeoutError."""
        ends = self._consumer.end_offsets(self._parts)
        deadline = time.monotonic() + timeout
        while any(self._consumer.position(tp) < ends[tp] for tp in self._parts):
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading the held topic {self._topic!r} did not reach its end in {timeout:g} s")
            self.poll(ledger)

    def close(self) -> None:
        self._consumer.close(autocommit=False)
