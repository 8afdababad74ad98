"""Exactly once: one Kafka transaction per bundle, carrying the bundle's outputs and its input offsets.

The source does not commit offsets itself: it leaves the next offset it read per partition in the
bundle's transaction (a bundle runs on one thread from read to write, so the transaction is
thread-local). Every transactional sink joins in ``start_bundle`` and leaves in ``finish_bundle``;
the last one out adds the offsets with ``send_offsets_to_transaction`` and commits. A crash before
that commit aborts the outputs and the offsets together.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from kafka import TopicPartition
from kafka.errors import TransactionalIdAuthorizationFailedError
from kafka.structs import ConsumerGroupMetadata, OffsetAndMetadata

from wirestream.transforms.kafka import clients
from wirestream.transforms.kafka.connection import ConnectionConfig, KafkaSetupError

__all__ = ["BUNDLE", "BundleTransaction", "abort_pending_transaction", "transactional_id_for"]

_LOGGER = logging.getLogger(__name__)


def transactional_id_for(group_id: str) -> str:
    """The transactional id of a run's producer: stable across restarts, so a new run fences the old."""
    return f"wirestream.{group_id}"


def abort_pending_transaction(connection: ConnectionConfig, transactional_id: str) -> None:
    """Settle what a crashed run left open under ``transactional_id`` before reading committed offsets.

    ``init_transactions`` aborts a transaction the previous producer left open (or waits for one it
    was committing to complete), so the offsets it carried are settled before ``plan_reads`` reads
    them; without this they stay pending until the transaction times out. It is also the launch's
    check that the transactional id may be used: KafkaSetupError says which ACL is missing.
    """
    producer = clients.new_producer(connection, transactional_id=transactional_id)
    try:
        with _failures_raised_not_logged():
            producer.init_transactions()
    except TransactionalIdAuthorizationFailedError as exc:
        raise KafkaSetupError(
            f"{connection.principal} may not use the transactional id {transactional_id!r} on "
            f"{connection.bootstrap_servers}, which --exactly-once needs: an admin grants it with kafka-acls.sh "
            f"--add --allow-principal {connection.acl_principal} --operation Write --transactional-id "
            f"{transactional_id} (or give --transactional-id one that is granted); docs/security.md lists every ACL "
            f"the pipeline needs"
        ) from exc
    finally:
        producer.close(timeout=10)


@contextlib.contextmanager
def _failures_raised_not_logged() -> Iterator[None]:
    """kafka-python logs a failed ``init_transactions`` at ERROR, then raises it: at launch the raise is
    what is reported, in one line, so the log is kept back."""
    logger = logging.getLogger("kafka.producer.transaction_manager")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


class BundleTransaction(threading.local):
    """Per thread: the transaction of the bundle running on it.

    The runner finishes a bundle's DoFns in topological order, so the source has registered its
    offsets before any sink finishes, and no sink receives an element after its own ``leave``.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.offsets: dict[TopicPartition, int] = {}
        self.group_id: str | None = None
        self.open_sinks = 0
        self.producer: Any = None
        self.records = 0

    def add_offset(self, tp: TopicPartition, offset: int, group_id: str) -> None:
        """The source read ``tp`` up to ``offset`` (the next to read) for ``group_id`` in this bundle."""
        self.offsets[tp] = max(offset, self.offsets.get(tp, -1))
        self.group_id = group_id

    def join(self) -> None:
        """A sink starts the bundle; the first one finds the transaction of the bundle before gone."""
        if self.open_sinks == 0:
            self.reset()
        self.open_sinks += 1

    def before_send(self, producer: Any) -> None:
        """A sink is about to send a record: the bundle's first record begins the transaction."""
        if self.producer is None:
            producer.begin_transaction()
            self.producer = producer
        self.records += 1

    def leave(self, producer: Any) -> None:
        """A sink has flushed the bundle; the last one commits the transaction."""
        self.open_sinks -= 1
        if self.open_sinks == 0:
            self.commit(producer)

    def commit(self, producer: Any) -> None:
        """Commit the bundle's outputs with its input offsets; RuntimeError if it wrote without offsets.

        Outputs committed without the offsets of their input would be made again from that input by
        the next run: the duplicates exactly once is there to prevent. The caller aborts then.
        """
        offsets, group_id = dict(self.offsets), self.group_id
        if not offsets and self.producer is None:
            self.reset()
            return  # nothing read, nothing written
        if not offsets:
            raise RuntimeError(
                f"exactly once: the bundle wrote {self.records} record(s) in a Kafka transaction, but no input "
                f"offsets were registered for it, so its outputs cannot be committed with their input; the "
                f"transaction is aborted. Every input of an --exactly-once graph must be a ReadFromKafka with "
                f"exactly_once=True, fused with the sinks and run with one worker"
            )
        if self.producer is None:  # offsets read, nothing written (e.g. only transaction markers)
            producer.begin_transaction()
            self.producer = producer
        self.producer.send_offsets_to_transaction(
            {tp: OffsetAndMetadata(offset, "", -1) for tp, offset in offsets.items()},
            ConsumerGroupMetadata(group_id=group_id),
        )
        self.producer.commit_transaction()
        self.reset()
        _LOGGER.debug("committed a transaction with offsets %s", offsets)

    def abort(self) -> None:
        """Abort the bundle's transaction, if it began; the bundle fails anyway, so errors are only logged."""
        producer = self.producer
        self.reset()
        if producer is None:
            return
        try:
            producer.abort_transaction()
        except Exception:  # a new producer fences this one
            _LOGGER.exception("aborting the bundle's transaction failed")


BUNDLE = BundleTransaction()
