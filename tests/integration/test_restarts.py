"""A restart forgets nothing: a second run reads back the latest topic a first run left, so an older
version or a killed story's late version arriving after the restart replaces nothing.

Within one run the latest table is in memory; across runs it is only what ``read_latest`` finds on
the compacted topic. Each run here is bounded (``--until-end``) and reads the ninjs sequence's items
(tests/sequences/ninjs) from one single-partition topic, with a cheap model: the point is the latest
topic, not the entities.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.integration.kafka_tools import produce, read_topic, run_pipeline
from wirestream.transforms.encoding import avro

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

NINJS = Path(__file__).parents[1] / "sequences" / "ninjs"
FAMILY_A = "urn:newsml:example.org:20261201:261201-99-0701"  # v1, v2, a v3 correction, a v4 kill
FAMILY_B = "urn:newsml:example.org:20261201:261201-99-0702"  # v1, v2, v1 again late
FAMILY_F = "urn:newsml:example.org:20261201:261201-99-0706"  # a flash, new in the second run


def items(*names: str) -> list[bytes]:
    return [(NINJS / name).read_bytes() for name in names]


def tombstones_by_family(records: list[Any]) -> dict[str, list[bool]]:
    """Per family, in the order they were written, whether each of its records is a tombstone."""
    found: dict[str, list[bool]] = {}
    for record in records:
        found.setdefault(record.key.decode(), []).append(record.value is None)
    return found


def latest_by_family(records: list[Any]) -> tuple[dict[str, dict[str, Any] | None], dict[str, int]]:
    """What a compacted read of the latest topic ends with per family (None: a tombstone), and how
    many records each family got."""
    final: dict[str, dict[str, Any] | None] = {}
    writes: dict[str, int] = {}
    for record in records:
        family = record.key.decode()
        final[family] = None if record.value is None else avro.decode(record.value)
        writes[family] = writes.get(family, 0) + 1
    return final, writes


def test_a_second_run_keeps_what_the_first_left_on_the_latest_topic(
    kafka_bootstrap: str, new_topic: Any, tiny_ner: str
) -> None:
    topic, out = new_topic("raw", 1), f"restart.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, items("01-a-story.json", "07-a-kill.json", "05-b-writethru.json"))
    first = run_pipeline(kafka_bootstrap, topic, out, model=tiny_ner)
    assert first.returncode == 0 and "read 3 message(s)" in first.stderr, first.stderr[-3000:]
    assert tombstones_by_family(read_topic(kafka_bootstrap, f"{out}.latest", expect=3)) == {
        FAMILY_A: [False, True], FAMILY_B: [False]
    }  # fmt: skip

    # After the restart: A's v3 (below the kill's v4), B's v1 (below v2), and F, new (the run did write).
    produce(kafka_bootstrap, topic, items("03-a-correction.json", "06-b-v1-late.json", "09-f-flash.json"))
    second = run_pipeline(kafka_bootstrap, topic, out, model=tiny_ner)
    assert second.returncode == 0 and "read 3 message(s)" in second.stderr, second.stderr[-3000:]

    final, writes = latest_by_family(read_topic(kafka_bootstrap, f"{out}.latest", expect=4))
    assert final[FAMILY_A] is None, "a version below the kill brought the killed story back after a restart"
    assert final[FAMILY_B] is not None and final[FAMILY_B]["version"] == 2, "an older version replaced the newer one"
    assert final[FAMILY_F] is not None and final[FAMILY_F]["urgency"] == 1
    assert writes == {FAMILY_A: 2, FAMILY_B: 1, FAMILY_F: 1}
    stories = [avro.decode(r.value) for r in read_topic(kafka_bootstrap, f"{out}.stories", expect=6)]
    assert sorted((s["family_id"], s["version"]) for s in stories) == [
        (FAMILY_A, 1), (FAMILY_A, 3), (FAMILY_A, 4), (FAMILY_B, 1), (FAMILY_B, 2), (FAMILY_F, 1)
    ]  # fmt: skip
