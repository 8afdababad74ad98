"""The wire as a newsroom reads it, on the real broker: what wire.stories, wire.latest,
wire.urgent and wire.held hold after a story's life in ninjs, NewsML-G2 and ANPA-1312
(tests/sequences/), and embargoes held until their time, across a restart.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.kafka_tools import (
    TopicReader,
    headers_of,
    pipeline_args,
    produce,
    read_topic,
    run_pipeline,
    start_pipeline,
    stop,
)
from wirestream.transforms.encoding import avro
from wirestream.transforms.newsroom.embargo import HELD_UNTIL, ITEM_PREFIX

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

SEQUENCES = Path(__file__).parents[1] / "sequences"
FORMATS = sorted(p.name for p in SEQUENCES.iterdir() if (p / "expected.json").exists())
PLACEHOLDER = "{{EMBARGOED_UNTIL}}"
FAR = "2030-01-01T00:00:00Z"


def sequence(fmt: str, embargoed_until: str = FAR) -> list[tuple[str, bytes]]:
    """The format's items in arrival order, the embargo placeholder filled in."""
    files = sorted(p for p in (SEQUENCES / fmt).iterdir() if p.name[:2].isdigit())
    return [(p.name, p.read_bytes().replace(PLACEHOLDER.encode(), embargoed_until.encode())) for p in files]


def expected(fmt: str) -> dict[str, dict[str, Any]]:
    return json.loads((SEQUENCES / fmt / "expected.json").read_text(encoding="utf-8"))["items"]


def item(fmt: str, prefix: str) -> dict[str, Any]:
    return next(fields for name, fields in expected(fmt).items() if name.startswith(prefix))


def stories_of(records: list[Any]) -> list[dict[str, Any]]:
    return [avro.decode(r.value) for r in records]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def urgent_items(fmt: str) -> list[dict[str, Any]]:
    """The items of urgency 1-3 the lane writes: the flash, and kills and urgent items where the
    format sends them so (never the embargoed one, which is held)."""
    return [i for name, i in expected(fmt).items() if (i["urgency"] or 9) <= 3 and not name.startswith("08")]


@pytest.fixture(scope="module")
def after_sequences(kafka_bootstrap: str) -> dict[str, dict[str, Any]]:
    """Each format's sequence on a single-partition topic of its own (so that arrival order holds
    and the formats' families stay apart), one bounded run each; what every output holds after."""
    from kafka.admin import KafkaAdminClient

    found: dict[str, dict[str, Any]] = {}
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    for fmt in FORMATS:
        topic, out = f"seq.{fmt}.{uuid.uuid4().hex[:8]}", f"news.{uuid.uuid4().hex[:8]}"
        admin.create_topics({topic: {"num_partitions": 1, "replication_factor": 1}}, wait_for_metadata=True)
        produce(kafka_bootstrap, topic, [value for _, value in sequence(fmt)])
        done = run_pipeline(kafka_bootstrap, topic, out)
        assert done.returncode == 0, done.stderr[-3000:]
        found[fmt] = {
            "stderr": done.stderr,
            "stories": stories_of(read_topic(kafka_bootstrap, f"{out}.stories", expect=8)),
            "latest": read_topic(kafka_bootstrap, f"{out}.latest", expect=1),
            "urgent": stories_of(read_topic(kafka_bootstrap, f"{out}.urgent", expect=len(urgent_items(fmt)))),
            "held": read_topic(kafka_bootstrap, f"{out}.held", expect=1),
            "quotes": read_topic(kafka_bootstrap, f"{out}.quotes", timeout=3),
            "entities": read_topic(kafka_bootstrap, f"{out}.entities", timeout=3),
        }
    admin.close()
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_run_accounts_for_every_message(fmt: str, after_sequences: dict[str, Any]) -> None:
    stderr = after_sequences[fmt]["stderr"]
    assert "read 9 message(s)" in stderr and "8 story(ies)" in stderr and "1 held until their embargo" in stderr
    assert f"{len(urgent_items(fmt))} urgent story(ies)" in stderr


def in_arrival_order(stories: list[dict[str, Any]], families: set[str]) -> list[dict[str, Any]]:
    """The stories of ``families`` in the order their input arrived (the enrich stage may finish
    them in another order, so the output topic's order is not theirs)."""
    return sorted((s for s in stories if s["family_id"] in families), key=lambda s: s["source"]["offset"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_wire_stories_holds_every_version_and_the_kill_as_canceled(fmt: str, after_sequences: dict[str, Any]) -> None:
    families = {item(fmt, p)["family_id"] for p in ("01", "04", "09")}
    mine = in_arrival_order(after_sequences[fmt]["stories"], families)
    assert [(s["family_id"], s["version"], s["pubstatus"]) for s in mine] == [
        (item(fmt, p)["family_id"], item(fmt, p)["version"], item(fmt, p)["pubstatus"])
        for p in ("01", "02", "03", "04", "05", "06", "07", "09")
    ]
    kill = mine[6]
    assert kill["pubstatus"] == "canceled" and ({"kill", "withdrawal"} & set(kill["signals"]))


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_version_names_the_one_it_replaces(fmt: str, after_sequences: dict[str, Any]) -> None:
    a = in_arrival_order(after_sequences[fmt]["stories"], {item(fmt, "01")["family_id"]})
    b = in_arrival_order(after_sequences[fmt]["stories"], {item(fmt, "04")["family_id"]})
    assert [s["supersedes"] for s in a] == [None, a[0]["id"], a[1]["id"], a[2]["id"]]  # the kill names v3
    assert [s["supersedes"] for s in b] == [None, b[0]["id"], item(fmt, "06")["supersedes"]]  # the late v1: none


@pytest.mark.parametrize("fmt", FORMATS)
def test_wire_latest_read_from_the_start_holds_each_live_story_once_in_its_latest_version(
    fmt: str, after_sequences: dict[str, Any]
) -> None:
    final: dict[str, Any] = {}
    writes: dict[str, int] = {}
    for record in after_sequences[fmt]["latest"]:
        family = record.key.decode()
        final[family] = record.value
        writes[family] = writes.get(family, 0) + 1
    a, b, e, f = (item(fmt, p)["family_id"] for p in ("01", "04", "08", "09"))
    assert final[a] is None  # killed: a tombstone
    assert avro.decode(final[b])["version"] == item(fmt, "05")["version"]  # the late v1 did not replace v2
    assert writes[b] == 2
    assert avro.decode(final[f])["urgency"] == 1
    assert e not in final  # embargoed: nothing anywhere yet


@pytest.mark.parametrize("fmt", FORMATS)
def test_wire_urgent_holds_the_urgent_items_alone(fmt: str, after_sequences: dict[str, Any]) -> None:
    families = {item(fmt, p)["family_id"] for p in ("01", "04", "09")}
    urgent = in_arrival_order(after_sequences[fmt]["urgent"], families)
    assert [(s["family_id"], s["version"], s["urgency"]) for s in urgent] == [
        (i["family_id"], i["version"], i["urgency"]) for i in urgent_items(fmt)
    ]
    flash = [s for s in urgent if s["urgency"] == 1]
    assert len(flash) == 1 and flash[0]["paragraphs"], "the urgent record is the whole story"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_embargoed_story_waits_on_the_held_topic_with_its_time(fmt: str, after_sequences: dict[str, Any]) -> None:
    until = int(datetime(2030, 1, 1, tzinfo=UTC).timestamp() * 1000)
    waiting = [r for r in after_sequences[fmt]["held"] if r.key.decode().startswith(ITEM_PREFIX)]  # not kill notices
    assert [headers_of(r)[HELD_UNTIL] for r in waiting] == [str(until)]
    embargoed = item(fmt, "08")["family_id"]
    assert not [s for s in after_sequences[fmt]["stories"] if s["family_id"] == embargoed]
    for output, schema in (("quotes", "quote"), ("entities", "entity")):
        story_ids = [avro.decode(r.value, schema)["story_id"] for r in after_sequences[fmt][output]]
        assert story_ids and not [i for i in story_ids if i.startswith(embargoed)]


def test_an_embargoed_flash_is_held_and_never_leaves_early_on_the_urgent_topic(
    kafka_bootstrap: str, new_topic: Any, tiny_ner: str
) -> None:
    """The urgent lane reads every message ahead of the pipeline: it must pass over an embargoed
    flash (the pipeline holds it), while the flash beside it goes out."""
    flash = json.loads((SEQUENCES / "ninjs" / "09-f-flash.json").read_text(encoding="utf-8"))
    embargoed = {**flash, "uri": flash["uri"].replace("-0706", "-0710"), "embargoedUntil": FAR}
    values = [json.dumps(embargoed).encode(), json.dumps(flash).encode()]
    topic, out = new_topic("raw", 1), f"flash.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, values)
    done = run_pipeline(kafka_bootstrap, topic, out, model=tiny_ner)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "1 held until their embargo" in done.stderr and "1 urgent story(ies)" in done.stderr, done.stderr[-3000:]
    assert [r.value for r in read_topic(kafka_bootstrap, f"{out}.held", expect=1)] == values[:1]
    for output in ("urgent", "stories"):
        records = read_topic(kafka_bootstrap, f"{out}.{output}", expect=1)
        assert [avro.decode(r.value)["family_id"] for r in records] == [flash["uri"]], output


def embargoed_ninjs(until: datetime) -> bytes:
    return dict(sequence("ninjs", iso(until)))["08-e-embargoed.json"]


def wait_for_family(reader: TopicReader, family: str, timeout: float) -> float | None:
    """When (time.time()) a story of ``family`` was first seen on the reader's topic, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reader.poll(0.2)
        if any(avro.decode(r.value)["family_id"] == family for r in reader.records):
            return time.time()
    return None


def test_an_embargoed_story_appears_only_after_its_time_and_within_seconds(
    kafka_bootstrap: str, new_topic: Any, tmp_path: Path
) -> None:
    topic, out = new_topic("raw", 1), f"emb.{uuid.uuid4().hex[:8]}"
    process = start_pipeline(pipeline_args(kafka_bootstrap, topic, out), tmp_path / "run.log")
    family = item("ninjs", "08")["family_id"]
    try:
        produce(kafka_bootstrap, topic, [dict(sequence("ninjs"))["01-a-story.json"]])
        read_topic(kafka_bootstrap, f"{out}.stories", expect=1, timeout=120)  # the pipeline is up
        until = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=10)
        produce(kafka_bootstrap, topic, [embargoed_ninjs(until)])
        with TopicReader(kafka_bootstrap, f"{out}.stories") as stories:
            seen = wait_for_family(stories, family, timeout=60)
    finally:
        assert stop(process) == 0, (tmp_path / "run.log").read_text()[-3000:]
    assert seen is not None, (tmp_path / "run.log").read_text()[-3000:]
    late = seen - until.timestamp()
    print(f"embargoed story out {late:.2f} s after its embargo time")
    assert 0 <= late < 10
    # It came out because it was held and released, not because the run reached it after its time
    # (the held topic also gets the item's tombstone once it is released).
    (held,) = [r for r in read_topic(kafka_bootstrap, f"{out}.held", expect=1) if r.value is not None]
    until_ms = int(until.timestamp() * 1000)
    assert headers_of(held)[HELD_UNTIL] == str(until_ms) and held.timestamp < until_ms


def test_holding_survives_a_restart_of_the_pipeline(kafka_bootstrap: str, new_topic: Any, tmp_path: Path) -> None:
    topic, out = new_topic("raw", 1), f"emb.{uuid.uuid4().hex[:8]}"
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=45)
    produce(kafka_bootstrap, topic, [embargoed_ninjs(until)])
    first = run_pipeline(kafka_bootstrap, topic, out)  # holds it, and ends before its time
    assert first.returncode == 0 and "1 held until their embargo" in first.stderr, first.stderr[-3000:]
    assert read_topic(kafka_bootstrap, f"{out}.stories", timeout=2) == []
    process = start_pipeline(pipeline_args(kafka_bootstrap, topic, out), tmp_path / "run.log")
    try:
        with TopicReader(kafka_bootstrap, f"{out}.stories") as stories:
            seen = wait_for_family(stories, item("ninjs", "08")["family_id"], timeout=120)
    finally:
        assert stop(process) == 0, (tmp_path / "run.log").read_text()[-3000:]
    assert seen is not None and seen >= until.timestamp(), (tmp_path / "run.log").read_text()[-3000:]
    assert len(stories.records) == 1  # released once


def test_a_flash_behind_a_backlog_overtakes_it_on_the_urgent_topic(
    kafka_bootstrap: str, new_topic: Any, tmp_path: Path
) -> None:
    topic, out = new_topic("raw"), f"flash.{uuid.uuid4().hex[:8]}"
    routine = (Path(__file__).parents[2] / "samples" / "fp-port-ellis-ferry.txt").read_text()
    backlog = [routine.replace("212 passengers", f"{n} passengers").encode() for n in range(200)]
    produce(kafka_bootstrap, topic, [*backlog, dict(sequence("ninjs"))["09-f-flash.json"]])
    process = start_pipeline(pipeline_args(kafka_bootstrap, topic, out), tmp_path / "run.log")
    try:
        urgent = read_topic(kafka_bootstrap, f"{out}.urgent", expect=1, timeout=120)
        stories = read_topic(kafka_bootstrap, f"{out}.stories", expect=201, timeout=240)
    finally:
        assert stop(process) == 0, (tmp_path / "run.log").read_text()[-3000:]
    assert [avro.decode(r.value)["urgency"] for r in urgent] == [1]
    routine_out = sorted(r.timestamp for r in stories if avro.decode(r.value)["urgency"] != 1)
    overtaken = sum(1 for stamp in routine_out if stamp > urgent[0].timestamp)
    print(f"the flash was on the urgent topic before {overtaken} of {len(routine_out)} routine stories")
    assert len(routine_out) == 200 and overtaken >= 100
