"""Exactly once without a broker: the bundle's transaction commits outputs with offsets, or not at all.

The sinks (``_WriteFn``) are driven through a bundle by hand, over a fake transactional producer.
"""

from __future__ import annotations

from typing import Any

import pytest
from kafka import TopicPartition

from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.transaction import BUNDLE
from wirestream.transforms.records.output import OutRecord
from wirestream.transforms.step7_write import _WriteFn

TP = TopicPartition("wire.raw", 0)


class FakeFuture:
    exception = None

    def add_callback(self, *_: Any) -> None:
        pass

    def failed(self) -> bool:
        return False


class FakeProducer:
    """A transactional producer that records the calls the sinks make."""

    def __init__(self) -> None:
        self.calls: list[Any] = []

    def begin_transaction(self) -> None:
        self.calls.append("begin")

    def send(self, topic: str, **_: Any) -> FakeFuture:
        self.calls.append(("send", topic))
        return FakeFuture()

    def flush(self, **_: Any) -> None:
        pass

    def send_offsets_to_transaction(self, offsets: dict[Any, Any], group: Any) -> None:
        self.calls.append(("offsets", {tp: meta.offset for tp, meta in offsets.items()}, group.group_id))

    def commit_transaction(self) -> None:
        self.calls.append("commit")

    def abort_transaction(self) -> None:
        self.calls.append("abort")


@pytest.fixture
def sinks() -> tuple[FakeProducer, list[_WriteFn]]:
    """Two transactional sinks sharing one producer, as in the pipeline's graph."""
    BUNDLE.reset()
    producer = FakeProducer()
    fns = [_WriteFn(ConnectionConfig("k:1"), "stories", "wirestream.g") for _ in range(2)]
    for fn in fns:
        fn._producer, fn._pending = producer, []
    yield producer, fns
    BUNDLE.reset()


def run_bundle(fns: list[_WriteFn], records: list[list[OutRecord]], offsets: dict[TopicPartition, int]) -> None:
    for fn in fns:
        fn.start_bundle()
    for tp, offset in offsets.items():  # what the source registers while it reads
        BUNDLE.add_offset(tp, offset, "g")
    for fn, batch in zip(fns, records, strict=True):
        for record in batch:
            fn.process(record)
    for fn in fns:
        fn.finish_bundle()


def test_outputs_and_offsets_commit_together_once_the_last_sink_finishes(sinks):
    producer, fns = sinks
    run_bundle(fns, [[OutRecord("stories", b"k", b"v")], [OutRecord("deadletter", None, b"x")]], {TP: 8})
    assert producer.calls == [
        "begin",
        ("send", "stories"),
        ("send", "deadletter"),
        ("offsets", {TP: 8}, "g"),
        "commit",
    ]


def test_a_bundle_that_only_read_commits_its_offsets_alone(sinks):
    producer, fns = sinks
    run_bundle(fns, [[], []], {TP: 3})  # e.g. only transaction markers were read
    assert producer.calls == ["begin", ("offsets", {TP: 3}, "g"), "commit"]


def test_a_bundle_that_neither_read_nor_wrote_makes_no_transaction(sinks):
    producer, fns = sinks
    run_bundle(fns, [[], []], {})
    assert producer.calls == []


def test_a_bundle_that_wrote_without_offsets_fails_loudly_and_commits_nothing(sinks):
    producer, fns = sinks
    with pytest.raises(RuntimeError, match=r"wrote 2 record\(s\) in a Kafka transaction, but no input offsets"):
        run_bundle(fns, [[OutRecord("stories", b"k", b"v")], [OutRecord("quotes", b"k", b"q")]], {})
    assert "commit" not in producer.calls
    assert producer.calls[-1] == "abort"
    assert BUNDLE.producer is None and BUNDLE.open_sinks == 0  # the next bundle starts afresh


def test_the_next_bundle_after_a_failed_one_commits_normally(sinks):
    producer, fns = sinks
    with pytest.raises(RuntimeError):
        run_bundle(fns, [[OutRecord("stories", b"k", b"v")], []], {})
    producer.calls.clear()
    run_bundle(fns, [[OutRecord("stories", b"k2", b"v2")], []], {TP: 9})
    assert producer.calls == ["begin", ("send", "stories"), ("offsets", {TP: 9}, "g"), "commit"]
