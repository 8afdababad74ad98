"""Topics around a run: create the missing output topics, check that every topic and group the run
uses may be used, and plan the input's reads per partition at launch; check at the end of a
bounded run that the group's offsets reached the plan.

Doing this at launch makes a missing topic, a missing ACL or an unreachable broker fail there with
one line that says what to do (``KafkaSetupError``), rather than inside a worker; checking at the
end keeps a run that stopped short from passing for a finished one.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kafka import TopicPartition
from kafka.errors import (
    BrokerResponseError,
    CoordinatorLoadInProgressError,
    CoordinatorNotAvailableError,
    GroupAuthorizationFailedError,
    KafkaError,
    NotCoordinatorError,
    TopicAlreadyExistsError,
    TopicAuthorizationFailedError,
    TransactionalIdAuthorizationFailedError,
    TransactionalIdNotFoundError,
    UnknownTopicOrPartitionError,
)
from kafka.structs import OffsetAndMetadata

from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.connection import ConnectionConfig, KafkaSetupError

if TYPE_CHECKING:
    from kafka.admin import NewTopic

    from wirestream.transforms.settings import Settings

__all__ = [
    "Access",
    "InputTopicError",
    "PartitionRead",
    "check_access",
    "commit_reads",
    "create_if_missing",
    "ensure_topics",
    "plan_reads",
    "run_access",
    "unread_offsets",
]

_LOGGER = logging.getLogger(__name__)
# Metadata's answers for a topic: missing (the client may see it), and hidden (no ACL lets the client
# see it; Kafka does not say whether it exists then).
MISSING, HIDDEN = UnknownTopicOrPartitionError.errno, TopicAuthorizationFailedError.errno
# A partition no topic has: committing to it is authorized like any commit, then refused for want of it.
NO_PARTITION = 2**31 - 1
ACLS_DOC = "docs/security.md lists every ACL the pipeline and the tools need"


@dataclass(frozen=True)
class PartitionRead:
    """One partition to read, from ``start`` up to (not including) ``stop``; ``stop`` None: forever."""

    topic: str
    partition: int
    start: int
    stop: int | None = None


class InputTopicError(KafkaSetupError):
    """The input topic cannot be read (missing topic, unreachable broker)."""


@dataclass(frozen=True)
class Access:
    """What a command does on Kafka: the topics it reads and writes, the consumer groups that commit
    offsets (each with a topic it commits them for), the transactional ids its producers use."""

    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    groups: Mapping[str, str] = field(default_factory=dict)
    transactional_ids: tuple[str, ...] = ()


def run_access(settings: Settings) -> Access:
    """What ``wirestream run`` does on Kafka: the stages read the input and write every output; the
    releaser reads the held topic and the input, and puts items back on the input with a tombstone
    on the held topic, each in a transaction of its own id (``wirestream.<group>.release``); the
    urgent lane (group ``<group>.urgent``) reads the input; workers read the latest topic back."""
    topics, group = settings.topics, settings.group_id
    latest = [topics.latest] if topics.latest else []
    groups = {group: topics.input}
    if topics.urgent:
        groups[f"{group}.urgent"] = topics.input
    transactional_ids = [f"wirestream.{group}.release"]
    if settings.exactly_once and settings.transactional_id:
        transactional_ids.append(settings.transactional_id)
    return Access(
        read=(topics.input, topics.held, *latest),
        write=(*topics.plain_outputs(), topics.held, *latest, topics.input),
        groups=groups,
        transactional_ids=tuple(transactional_ids),
    )


def check_access(connection: ConnectionConfig, access: Access) -> None:
    """Raise ``KafkaSetupError`` naming, at once, every topic of ``access`` that is missing and every ACL
    the connection's principal lacks for it.

    Topics: the broker's metadata says which operations we may do on each. Groups: a commit to a
    partition that does not exist, which the broker authorizes first (Read on the group and the
    topic) and then refuses, changing nothing. Transactional ids: describing one, which needs as
    much as finding its coordinator does (Write grants it).
    """
    admin = clients.new_admin(connection)
    try:
        names = sorted({*access.read, *access.write})
        described = {topic["name"]: topic for topic in admin.describe_topics(names)} if names else {}
        missing, lacking = [], []
        for name in names:
            topic = described.get(name, {"error_code": MISSING})
            if topic["error_code"] == MISSING:
                missing.append(
                    f"topic {name!r} does not exist (create it, or produce to it first: "
                    f"`wirestream produce --topic {name} FILE...`)"
                )
            elif topic["error_code"] == HIDDEN:
                missing.append(f"no ACL lets {connection.principal} see topic {name!r} (or it does not exist)")
            elif topic.get("authorized_operations") is not None:  # None: the broker did not say
                allowed = set(topic["authorized_operations"])
                lacking += [("Read", "topic", name)] * (name in access.read and "READ" not in allowed)
                lacking += [("Write", "topic", name)] * (name in access.write and "WRITE" not in allowed)
        # A group's check commits for a topic, which it can only do on one the principal may read.
        unreadable = {name for name in names if described.get(name, {}).get("error_code", MISSING)} | {
            name for op, _kind, name in lacking if op == "Read"
        }
        for group, topic in access.groups.items():
            if topic not in unreadable and not _may_commit(admin, group, topic):
                lacking.append(("Read", "group", group))
        for transactional_id in access.transactional_ids:
            if not _may_use(admin, transactional_id):
                lacking.append(("Write", "transactional id", transactional_id))
    finally:
        admin.close()
    if missing or lacking:
        raise KafkaSetupError("; ".join([*missing, *([_lacking(connection, lacking)] if lacking else [])]))


def _may_commit(admin: Any, group: str, topic: str) -> bool:
    """Whether ``group`` may commit offsets of ``topic``; the group's coordinator may still be loading on
    a new cluster, which is waited for (a few seconds)."""
    probe = {TopicPartition(topic, NO_PARTITION): OffsetAndMetadata(0, "", -1)}
    try:
        (error,) = _settling(lambda: admin.alter_group_offsets(group, probe)).values()
    except GroupAuthorizationFailedError:  # not even Describe: no coordinator for us
        return False
    return error is not GroupAuthorizationFailedError


def _may_use(admin: Any, transactional_id: str) -> bool:
    """Whether ``transactional_id`` may be used (an id never used yet is unknown to the broker: fine)."""
    try:
        _settling(lambda: admin.describe_transactions([transactional_id]))
    except TransactionalIdAuthorizationFailedError:
        return False
    except TransactionalIdNotFoundError:
        pass
    return True


def _settling(call: Callable[[], Any]) -> Any:
    """``call()``, again while the coordinator it needs is still loading (a new cluster), a few seconds."""
    deadline = time.monotonic() + 5
    while True:
        try:
            return call()
        except (CoordinatorNotAvailableError, CoordinatorLoadInProgressError, NotCoordinatorError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _lacking(connection: ConnectionConfig, lacking: list[tuple[str, str, str]]) -> str:
    return (
        f"{connection.principal} lacks these ACLs on {connection.bootstrap_servers}: "
        f"{', '.join(f'{op} on {kind} {name!r}' for op, kind, name in lacking)}. An admin grants each with "
        f"kafka-acls.sh --add --allow-principal {connection.acl_principal} --operation OPERATION --topic NAME "
        f"(or --group NAME, --transactional-id ID); {ACLS_DOC}"
    )


def create_if_missing(admin: Any, topic: NewTopic) -> bool:
    """Create ``topic`` unless it is there; whether this call created it. Looked for first, so that a
    run whose user may not create topics works on one an admin made; waited for until the broker's
    metadata shows it, so that the access check right after never finds it missing."""
    if topic.name in admin.list_topics():
        return False
    try:
        admin.create_topics([topic], wait_for_metadata=True)
    except TopicAlreadyExistsError:  # made meanwhile, by another run
        return False
    return True


def plan_reads(
    connection: ConnectionConfig, topic: str, group_id: str, *, until_end: bool, read_committed: bool = False
) -> list[PartitionRead]:
    """One ``PartitionRead`` per partition of ``topic``, resuming from the group's committed offsets.

    ``read_committed`` (exactly once) waits for offsets still pending in a transaction to settle,
    and ends a bounded read at the last stable offset.
    """
    isolation = "read_committed" if read_committed else "read_uncommitted"
    servers = connection.bootstrap_servers
    try:
        consumer = clients.new_consumer(connection, group_id=group_id, isolation_level=isolation)
    except KafkaError as exc:
        raise InputTopicError(
            f"cannot reach Kafka at {servers} ({exc}): is the broker running? `make kafka-up` starts a local one"
        ) from exc
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise InputTopicError(
                f"input topic {topic!r} does not exist on {servers}: create it, or produce to it "
                f"first (`wirestream produce --topic {topic} FILE...`)"
            )
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        earliest = consumer.beginning_offsets(tps)
        ends = consumer.end_offsets(tps) if until_end else {}
        reads = []
        with _coordinator_settling():
            committed_offsets = {tp: consumer.committed(tp) for tp in tps}
        for tp in tps:
            committed = committed_offsets[tp]
            start = max(committed, earliest[tp]) if committed is not None else earliest[tp]
            reads.append(PartitionRead(topic, tp.partition, start, ends.get(tp)))
        return reads
    finally:
        consumer.close(autocommit=False)


@contextlib.contextmanager
def _coordinator_settling() -> Iterator[None]:
    """The group's first lookup on a new cluster meets a coordinator still loading the offsets topic:
    kafka-python retries (an error only if it never settles) and warns ``NotCoordinatorError`` meanwhile,
    which at launch is no news. Its warnings are kept back for the lookup; errors still show."""
    logger = logging.getLogger("kafka.coordinator")
    level = logger.level
    logger.setLevel(max(level, logging.ERROR))
    try:
        yield
    finally:
        logger.setLevel(level)


def unread_offsets(connection: ConnectionConfig, group_id: str, reads: list[PartitionRead]) -> dict[int, int]:
    """Partition → offsets between the group's committed offset and the planned stop, for the
    partitions of a bounded read that the group has not committed up to its stop."""
    consumer = clients.new_consumer(connection, group_id=group_id)
    try:
        left = {}
        for read in reads:
            if read.stop is None:
                continue
            committed = consumer.committed(TopicPartition(read.topic, read.partition))
            reached = read.start if committed is None else max(committed, read.start)
            if reached < read.stop:
                left[read.partition] = read.stop - reached
        return left
    finally:
        consumer.close(autocommit=False)


def commit_reads(connection: ConnectionConfig, group_id: str, reads: list[PartitionRead]) -> None:
    """Commit each bounded read's stop for ``group_id``: what a launcher does once the job that read
    (and wrote everything it read) has succeeded, on runners whose readers cannot commit themselves."""
    offsets = {
        TopicPartition(r.topic, r.partition): OffsetAndMetadata(r.stop, "", -1)
        for r in reads
        if r.stop is not None and r.stop > r.start
    }
    if not offsets:
        return
    consumer = clients.new_consumer(connection, group_id=group_id)
    try:
        consumer.commit(offsets)
    finally:
        consumer.close(autocommit=False)


def ensure_topics(connection: ConnectionConfig, topics: list[str]) -> list[str]:
    """Create the ``topics`` that do not exist yet, with the broker's defaults; returns those created.

    Producing to a missing topic works where the broker auto-creates topics, but only after a
    failed metadata request per topic (logged as errors), and not at all where it does not. Logs
    the topics it created, and only those; raises ``KafkaSetupError`` naming each topic it could not
    create and why (most often: the principal may not create topics). With ACLs, a topic the
    principal may not see looks missing: Kafka refuses to create it, and says no more.
    """
    admin = clients.new_admin(connection)
    created, refused, hidden = [], {}, set()
    try:
        for name in sorted(set(topics) - set(admin.list_topics())):
            try:
                admin.create_topics([name], wait_for_metadata=True)
                created.append(name)
            except TopicAlreadyExistsError:  # another process created it meanwhile
                pass
            except BrokerResponseError as exc:
                refused[name] = type(exc)
        if TopicAuthorizationFailedError in refused.values():
            hidden = {t["name"] for t in admin.describe_topics(sorted(refused)) if t["error_code"] == HIDDEN}
    finally:
        admin.close()
    if created:
        _LOGGER.info("created topics %s", ", ".join(created))
    if refused:
        raise KafkaSetupError(_not_created(connection, refused, hidden))
    return created


def _not_created(connection: ConnectionConfig, refused: dict[str, type[BrokerResponseError]], hidden: set[str]) -> str:
    """One line for the topics ``ensure_topics`` could not create, by the broker's reason."""
    parts = []
    not_allowed = sorted(name for name, error in refused.items() if error is TopicAuthorizationFailedError)
    if not_allowed:
        absent = [name for name in not_allowed if name not in hidden]
        unseen = [name for name in not_allowed if name in hidden]
        said = ([f"topic(s) {', '.join(map(repr, absent))} do not exist"] if absent else []) + (
            [f"no ACL lets {connection.principal} see topic(s) {', '.join(map(repr, unseen))} (or they do not exist)"]
            if unseen
            else []
        )
        parts.append(
            f"{' and '.join(said)}, and {connection.principal} may not create topics on "
            f"{connection.bootstrap_servers}: create them as an admin (kafka-topics.sh --create --topic NAME), or "
            f"grant the ACLs they need (Write on an output topic) or Create; {ACLS_DOC}"
        )
    for name, error in sorted(refused.items()):
        if error is not TopicAuthorizationFailedError:
            parts.append(f"Kafka refused to create topic {name!r}: {error.__name__} ({error.description})")
    return "; ".join(parts)
