"""The urgent lane rides out a broker restart: a commit that fails is retried with the next batch."""

from __future__ import annotations

import pytest
from kafka import TopicPartition
from kafka.errors import KafkaConnectionError

from wirestream.pipelines.urgent_lane import commit_or_warn

PARTS = [TopicPartition("wire.raw", 0), TopicPartition("wire.raw", 1)]


class Consumer:
    """A consumer whose broker is away for its first ``refusals`` commits."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.committed: list[dict] = []

    def position(self, tp: TopicPartition) -> int:
        return 10 + tp.partition

    def commit(self, offsets: dict) -> None:
        if self.refusals:
            self.refusals -= 1
            raise KafkaConnectionError("111 ECONNREFUSED")
        self.committed.append({tp: meta.offset for tp, meta in offsets.items()})


def test_a_commit_refused_while_the_broker_restarts_is_a_warning_not_the_lanes_end(caplog):
    consumer = Consumer(refusals=1)
    assert commit_or_warn(consumer, PARTS) is False
    assert "could not commit" in caplog.text
    assert commit_or_warn(consumer, PARTS) is True
    assert consumer.committed == [{PARTS[0]: 10, PARTS[1]: 11}]


def test_an_error_that_is_not_kafkas_still_stops_the_lane():
    class Broken(Consumer):
        def commit(self, offsets: dict) -> None:
            raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        commit_or_warn(Broken(refusals=0), PARTS)
