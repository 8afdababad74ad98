"""A model of the latest table with the restart as an operation: after any sequence of versions,
corrections, kills, withheld items and restarts, the table a restarted worker reads back from the
compacted topic is the table one that never restarted has, and both place every story alike.

The records are the ones the encode stage writes (``encoding.outputs.story_records``); the topic is
compacted to each key's last record, as the broker may leave it at any time; the read-back is the
worker's own (``kafka.latest_topic.read_back``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from wirestream.transforms.encoding.outputs import story_records
from wirestream.transforms.kafka.latest_topic import read_back
from wirestream.transforms.newsroom.latest import LatestTable
from wirestream.transforms.records.story import Source, Story

# Two slug families of one story (one names its agency, one not) and a guid family.
FAMILIES = ("slug:fp:tallmark-bridge", "slug:tallmark-bridge", "urn:fp:ferry")
KINDS = ("usable", "correction", "kill", "withheld")


@dataclass
class CompactedTopic:
    """The latest topic as a reader finds it after compaction: each key's last record, in order."""

    last: dict[bytes, tuple[int, bytes | None, tuple[tuple[str, bytes], ...]]] = field(default_factory=dict)
    offset: int = 0

    def write(self, key: bytes, value: bytes | None, headers: tuple[tuple[str, bytes], ...]) -> None:
        self.offset += 1
        self.last[key] = (self.offset, value, headers)

    def read_back(self) -> LatestTable:
        table = LatestTable()
        for key, (_, value, headers) in sorted(self.last.items(), key=lambda item: item[1][0]):
            read_back(table, key, value, headers)
        return table


def make_story(family: str, version: int | None, kind: str, text: int, offset: int) -> Story:
    return Story(
        id=f"{family}:v{version}" if version is not None else f"sha1:{family}-{text}",
        family_id=family,
        version=version,
        pubstatus={"kill": "canceled", "withheld": "withheld"}.get(kind, "usable"),
        signals={"kill": ["kill"], "correction": ["correction"]}.get(kind, []),
        format="NINJS",
        source=Source(topic="wire.raw", partition=0, offset=offset),
        paragraphs=["A ferry ran aground."],
    )


class LatestWithRestarts(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.never_restarted = LatestTable()
        self.restarted = LatestTable()
        self.topic = CompactedTopic()
        self.offset = 0

    @rule(
        family=st.sampled_from(FAMILIES),
        version=st.one_of(st.none(), st.integers(1, 5)),
        kind=st.sampled_from(KINDS),
        text=st.integers(0, 2),
    )
    def send(self, family: str, version: int | None, kind: str, text: int) -> None:
        self.offset += 1
        alone, here = (make_story(family, version, kind, text, self.offset) for _ in range(2))
        expected = self.never_restarted.decide(alone)
        self.never_restarted.commit(expected)
        placement = self.restarted.decide(here)
        records = story_records(here, stories_topic="s", latest_topic="l", placement=placement)
        self.restarted.commit(placement)
        for record in records[1:]:
            self.topic.write(record.key, record.value, record.headers)
        assert (placement.action, placement.why, placement.supersedes, here.family_id) == (
            expected.action,
            expected.why,
            expected.supersedes,
            alone.family_id,
        )

    @rule()
    def restart(self) -> None:
        self.restarted = self.topic.read_back()

    @invariant()
    def the_same_table(self) -> None:
        assert self.restarted.snapshot() == self.never_restarted.snapshot()


TestLatestWithRestarts = LatestWithRestarts.TestCase
TestLatestWithRestarts.settings = settings(
    max_examples=300, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize(
    "sequence",
    [
        # v1, v3, a kill numbered v2, a restart, v3 again: down, as without the restart.
        pytest.param([(2, 1, "usable"), (2, 3, "usable"), (2, 2, "kill"), "restart", (2, 3, "usable")]),
        # a kill with no version, a restart, the same version again (down), then a higher one: up again.
        pytest.param(
            [(2, 1, "usable"), (2, None, "kill"), "restart", (2, 1, "usable"), (2, 2, "usable")],
        ),
        # a correction of the current version, a restart, the uncorrected version again: still corrected.
        [(2, 3, "usable"), (2, 3, "correction"), "restart", (2, 3, "usable")],
        # a story with its agency, a restart, its kill without: the kill finds it.
        [(0, None, "usable"), "restart", (1, None, "kill"), "restart", (0, None, "usable")],
    ],
    ids=["kill-below-latest", "kill-without-version", "correction", "kill-without-agency"],
)
def test_the_sequences_the_issue_names(sequence: list[tuple[int, int | None, str] | str]) -> None:
    machine = LatestWithRestarts()
    for step in sequence:
        if step == "restart":
            machine.restart()
        else:
            family, version, kind = step
            machine.send(family=FAMILIES[family], version=version, kind=kind, text=0)
        machine.the_same_table()
