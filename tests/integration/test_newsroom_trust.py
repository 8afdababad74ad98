"""Newsroom trust on the real broker: no embargo broken, no killed story brought back, no story
released twice, whatever the message's shape, the producer's headers and the restarts.

One input topic (one partition, so arrival order holds) carries every sequence of
``tests/sequences/{embargoes,kills,families}/`` (each its own story families), over three
continuous runs of the pipeline with a cheap model:

1. run 1 reads phase 1 (sequences with forged headers, an unreadable embargo, kills and
   corrections, stories whose kill comes after the restart), then phase 2 (items embargoed until
   T1 and T2, kills of held stories), and is stopped while they wait;
2. run 2 starts after T1 (so T1's items came due while nothing ran) and runs past T2;
3. an editor releases the item held for want of a readable time (``wirestream release-held``);
   run 3 reads phase 3 (what comes after a restart: a killed story's repeat, a higher version, a
   kill without trailer) and the editor's release, and must release nothing again.

Each test checks one promise on what the topics hold afterwards; ``-s`` prints the runs' durations.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic

from tests.integration.kafka_tools import (
    TopicReader,
    free_port,
    metric,
    pipeline_args,
    read_topic,
    run_cli,
    scrape,
    start_pipeline,
    stop,
)
from wirestream.transforms.encoding import avro
from wirestream.transforms.kafka.clients import producer_config
from wirestream.transforms.kafka.held_topic import HeldLedger
from wirestream.transforms.newsroom.embargo import HELD_REASON, HELD_UNTIL, RELEASED, RELEASED_ITEM

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

SEQUENCES = Path(__file__).parents[1] / "sequences"
URN = "urn:newsml:example.org:20261202:trust-"
FAR = datetime(2035, 1, 1, tzinfo=UTC)
# The steps of the restart variants that come after the restart (phase 3).
AFTER_RESTART = (
    ("kills", "kill-below-latest-restart-4-v3-again.json"),
    ("kills", "kill-without-version-restart-3-v1-again.json"),
    ("kills", "kill-without-version-restart-4-v2.json"),
    ("kills", "correction-same-version-2-v2.json"),  # the uncorrected version again, after its correction
    ("families", "restart-story-2-kill-bare.tst"),
)
OUTPUTS = ("stories", "latest", "urgent", "held", "entities")


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def item(folder: str, name: str, **times: datetime) -> bytes:
    """A sequence file, its ``{{T1}}``, ``{{T2}}`` and ``{{FAR}}`` filled in."""
    data = (SEQUENCES / folder / name).read_bytes()
    for placeholder, moment in {**times, "FAR": FAR}.items():
        data = data.replace(f"{{{{{placeholder}}}}}".encode(), iso(moment).encode())
    return data


def files(folder: str, prefix: str) -> list[str]:
    return sorted(p.name for p in (SEQUENCES / folder).iterdir() if p.name.startswith(prefix))


def marker(n: int) -> tuple[bytes, list[tuple[str, bytes]]]:
    """A plain story whose arrival on wire.stories says that everything produced before it was read."""
    body = f"PORT ELLIS, Norland (FP) — Marker {n}: the harbour was quiet on Tuesday, the harbour master said."
    return json.dumps({"uri": f"{URN}marker-{n}", "type": "text", "body_text": body}).encode(), []


def send(bootstrap: str, topic: str, messages: list[tuple[bytes, list[tuple[str, bytes]]]]) -> None:
    producer = KafkaProducer(**producer_config(bootstrap))
    futures = [producer.send(topic, value=value, headers=headers) for value, headers in messages]
    producer.flush()
    producer.close()
    assert not [f for f in futures if f.failed()], "a test message was not acknowledged"


@dataclass
class Run:
    """One continuous run: its process, metrics port and log."""

    process: Any
    port: int
    log: Path
    started: float = field(default_factory=time.monotonic)

    def metrics(self) -> str:
        return scrape(self.port)

    def stop(self) -> float:
        code = stop(self.process)
        assert code == 0, self.log.read_text()[-3000:]
        return time.monotonic() - self.started


@dataclass
class Trust:
    """What every output holds after the three runs, and when things happened."""

    out: str
    t1: datetime
    t2: datetime
    run2_ready_ms: int | None  # when T1's first item came out in run 2 (None: never)
    editor_released_ms: int
    released_listing: str
    release_held: tuple[int, int, str]  # exit codes of the listing and of the release, and what they said
    records: dict[str, list[Any]]
    metrics: dict[str, str]
    held_configs: dict[str, str]

    def stories(self, output: str = "stories") -> list[dict[str, Any]]:
        return [avro.decode(r.value) for r in self.records[output]]

    def of(self, family: str, output: str = "stories") -> list[tuple[int, dict[str, Any]]]:
        """``(Kafka timestamp, story)`` of the family's records on ``output``, in the order their input
        came (the topic's partitions each keep their own order, not the family's)."""
        mine = [(at, story) for at, story in self.of_all(output) if story["family_id"] == family]
        return sorted(mine, key=lambda found: found[1]["source"]["offset"])

    def of_all(self, output: str = "stories") -> list[tuple[int, dict[str, Any]]]:
        """``(Kafka timestamp, story)`` of every record on ``output`` but tombstones."""
        return [(r.timestamp, avro.decode(r.value)) for r in self.records[output] if r.value is not None]

    def latest_history(self, family: str) -> list[int | None]:
        """The versions the family's records on wire.latest carried, in order (None: a tombstone)."""
        return [
            None if r.value is None else avro.decode(r.value)["version"]
            for r in self.records["latest"]
            if r.key.decode() == family
        ]

    def latest(self) -> dict[str, dict[str, Any] | None]:
        final: dict[str, dict[str, Any] | None] = {}
        for record in self.records["latest"]:
            final[record.key.decode()] = None if record.value is None else avro.decode(record.value)
        return final

    def held(self) -> HeldLedger:
        ledger = HeldLedger()
        for record in self.records["held"]:
            ledger.apply(record)
        return ledger


def wait_for_story(reader: TopicReader, story_id_prefix: str, timeout: float) -> int | None:
    """The Kafka timestamp of the first record whose story id starts with the prefix, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for record in reader.records:
            if record.key.decode().startswith(story_id_prefix):
                return record.timestamp
        reader.poll(0.3)
    return None


def phase1() -> list[tuple[bytes, list[tuple[str, bytes]]]]:
    forged = {
        "p1-forged-released.json": [(RELEASED, b"wire.held:0:0")],
        "p1-forged-until.json": [(HELD_UNTIL, b"0")],
    }
    embargoes = [n for n in files("embargoes", "p1-") if n != "p1-forged-release-of-item.json"]
    messages = [(item("embargoes", name), forged.get(name, [])) for name in embargoes]
    later = {name for _, name in AFTER_RESTART if name != "correction-same-version-2-v2.json"}
    for folder in ("kills", "families"):
        messages += [(item(folder, name), []) for name in files(folder, "") if name not in later]
    return messages


def forged_release(held_topic: str) -> list[tuple[str, bytes]]:
    """A full release as the releaser writes one, naming the item itself: still not before its time."""
    return [(RELEASED, f"{held_topic}:0:0".encode()), (RELEASED_ITEM, f"{URN}0207:v1".encode())]


def phase2(t1: datetime, t2: datetime) -> list[tuple[bytes, list[tuple[str, bytes]]]]:
    return [(item("embargoes", name, T1=t1, T2=t2), []) for name in files("embargoes", "p2-")]


def phase3() -> list[tuple[bytes, list[tuple[str, bytes]]]]:
    return [(item(folder, name), []) for folder, name in AFTER_RESTART]


@pytest.fixture(scope="module")
def trust(kafka_bootstrap: str, tiny_ner: str, tmp_path_factory: pytest.TempPathFactory) -> Trust:
    work = tmp_path_factory.mktemp("trust")
    topic, out = f"trust.{uuid.uuid4().hex[:8]}", f"trusted.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    admin.create_topics([NewTopic(topic, 1, 1)])
    durations: dict[str, float] = {}
    metrics: dict[str, str] = {}

    def start(n: int) -> Run:
        port = free_port()
        args = pipeline_args(kafka_bootstrap, topic, out, model=tiny_ner, metrics_port=port)
        return Run(start_pipeline(args, work / f"run{n}.log"), port, work / f"run{n}.log")

    send(kafka_bootstrap, topic, [*phase1(), (item("embargoes", "p1-forged-release-of-item.json"),
                                              forged_release(f"{out}.held")), marker(1)])  # fmt: skip
    run = start(1)
    stories = TopicReader(kafka_bootstrap, f"{out}.stories", timeout=120)  # the run makes the topic
    try:
        assert stories.wait_for_keys({f"{URN}marker-1"}, 180), run.log.read_text()[-3000:]
        now = datetime.now(UTC).replace(microsecond=0)
        t1, t2 = now + timedelta(seconds=20), now + timedelta(seconds=75)
        send(kafka_bootstrap, topic, [*phase2(t1, t2), marker(2)])
        assert stories.wait_for_keys({f"{URN}marker-2"}, 60), run.log.read_text()[-3000:]
        metrics["run1"] = run.metrics()
        durations["run 1"] = run.stop()
        assert datetime.now(UTC) < t1, "run 1 ended after T1: the restart did not come while items were held"

        run = start(2)  # T1's items came due while nothing ran; T2's come due while it runs
        ready = wait_for_story(stories, f"{URN}0201", 180)  # the tests say what is missing
        wait_for_story(stories, f"{URN}0202", (ms(t2) - (ready or ms(t1))) / 1000 + 60)
        stories.wait_for(None, 5, quiet=3)
        metrics["run2"] = run.metrics()
        durations["run 2"] = run.stop()

        listed = run_cli("release-held", "--bootstrap-servers", kafka_bootstrap, "--held-topic", f"{out}.held")
        released_at = int(time.time() * 1000)
        released = run_cli("release-held", f"{URN}0209:v1", "--bootstrap-servers", kafka_bootstrap, "--held-topic",
                           f"{out}.held", "--input-topic", topic, "--group-id", f"{out}.group")  # fmt: skip
        send(kafka_bootstrap, topic, [*phase3(), marker(3)])
        run = start(3)
        assert stories.wait_for_keys({f"{URN}marker-3"}, 180), run.log.read_text()[-3000:]
        wait_for_story(stories, f"{URN}0209:v1", 30)
        stories.wait_for(None, 5, quiet=3)
        metrics["run3"] = run.metrics()
        durations["run 3"] = run.stop()
    finally:
        stories.close()
        if "run" in locals() and run.process.poll() is None:
            stop(run.process)
    print("durations:", {name: f"{seconds:.1f} s" for name, seconds in durations.items()})
    records = {output: read_topic(kafka_bootstrap, f"{out}.{output}", timeout=5) for output in OUTPUTS}
    resource = ConfigResource(ConfigResourceType.TOPIC, f"{out}.held", {"cleanup.policy": None})
    configs = admin.describe_configs([resource], config_filter="all")["topic"][f"{out}.held"]
    admin.close()
    return Trust(
        out=out,
        t1=t1,
        t2=t2,
        run2_ready_ms=ready,
        editor_released_ms=released_at,
        released_listing=listed.stdout,
        release_held=(listed.returncode, released.returncode, listed.stderr + released.stderr),
        records=records,
        metrics=metrics,
        held_configs={name: str(entry["value"]) for name, entry in configs.items()},
    )


def family(n: str) -> str:
    return f"{URN}{n}"


# --- embargoes ---------------------------------------------------------------------------------


def test_items_of_one_message_with_different_embargo_times_each_go_at_their_own_time_once(trust: Trust) -> None:
    assert trust.run2_ready_ms is not None, "nothing embargoed until T1 came out"
    assert trust.run2_ready_ms < ms(trust.t2), "run 2 came up after T2: the test cannot tell the two times apart"
    for n, until, outputs in (("0201", trust.t1, ("stories", "latest")), ("0202", trust.t2, OUTPUTS[:3])):
        for output in outputs:
            records = trust.of(family(n), output)
            assert len(records) == 1, (n, output, len(records))
            assert records[0][0] >= ms(until), f"{n} went to {output} {ms(until) - records[0][0]} ms early"
    assert [s["urgency"] for _, s in trust.of(family("0202"), "urgent")] == [1]


def test_a_free_item_beside_an_embargoed_one_goes_once_and_the_embargoed_one_once_at_its_time(trust: Trust) -> None:
    assert len(trust.of(family("0203"))) == 1
    ((at, _),) = trust.of(family("0204"))
    assert at >= ms(trust.t1)


@pytest.mark.parametrize("n", ["0205", "0206", "0207"], ids=["released", "embargoed-until-0", "full-release"])
def test_our_headers_set_by_a_producer_free_nothing_and_the_item_waits_with_its_own_time(trust: Trust, n: str) -> None:
    for output in ("stories", "latest", "urgent", "entities"):
        assert not [r for r in trust.records[output] if r.key and r.key.decode().startswith(family(n))], output
    (waiting,) = [i for i in trust.held().items.values() if i.item == f"{family(n)}:v1"]
    assert waiting.due_ms == ms(FAR)
    assert not [name for name, _ in waiting.headers if name in (RELEASED, RELEASED_ITEM)]


def test_our_headers_set_by_a_producer_are_counted_and_our_own_releases_are_not(trust: Trust) -> None:
    run1, run2 = trust.metrics["run1"], trust.metrics["run2"]
    assert metric(run1, "wirestream_refused_headers_total", header=RELEASED) == 2
    assert metric(run1, "wirestream_refused_headers_total", header=RELEASED_ITEM) == 1
    assert metric(run1, "wirestream_refused_headers_total", header=HELD_UNTIL) == 1
    assert metric(run2, "wirestream_refused_headers_total") == 0  # run 2 read only releases of ours
    assert metric(run2, "wirestream_embargoes_released_total") >= 4


def test_an_item_marked_embargoed_without_a_readable_time_waits_for_an_editor_then_goes_once(trust: Trust) -> None:
    assert trust.release_held[:2] == (0, 0), trust.release_held[2][-3000:]
    listed = [json.loads(line) for line in trust.released_listing.splitlines()]
    (waiting,) = [entry for entry in listed if entry["item"] == f"{family('0209')}:v1"]
    assert waiting["embargoed_until"] is None and "6 p.m. ET Thursday" in waiting["reason"]
    for output in ("stories", "urgent"):
        ((at, story),) = trust.of(family("0209"), output)
        assert at >= trust.editor_released_ms and story["urgency"] == 1, output
    assert len(trust.of(family("0208"))) == 1  # its neighbour in the message, published when it came
    assert metric(trust.metrics["run1"], "wirestream_embargoes_for_editor_total") == 1


def test_an_editors_hold_is_on_the_held_topic_with_its_reason(trust: Trust) -> None:
    reasons = [
        dict(r.headers).get(HELD_REASON, b"").decode()
        for r in trust.records["held"]
        if r.value is not None and r.key.decode().endswith(f"{family('0209')}:v1")
    ]
    assert len(reasons) == 1 and "no embargo time could be read" in reasons[0]


@pytest.mark.parametrize("n", ["0210", "0211"], ids=["killed-while-held", "late-copy-after-kill"])
def test_a_held_story_killed_before_its_time_is_never_released_anywhere(trust: Trust, n: str) -> None:
    for output in ("stories", "urgent", "latest"):
        assert not [s for _, s in trust.of(family(n), output) if s["pubstatus"] == "usable"], output
    assert [s["pubstatus"] for _, s in trust.of(family(n))] == ["canceled"]  # the kill alone
    assert trust.latest()[family(n)] is None
    assert metric(trust.metrics["run2"], "wirestream_embargoes_killed_total") == 2


def test_a_higher_version_embargoed_after_a_kill_brings_the_story_back_at_its_time(trust: Trust) -> None:
    versions = [(s["version"], s["pubstatus"]) for _, s in trust.of(family("0212"))]
    assert versions == [(1, "usable"), (2, "canceled"), (3, "usable")]
    final = trust.latest()[family("0212")]
    assert final is not None and final["version"] == 3


def test_nothing_is_released_twice_across_restarts_and_nothing_is_left_but_what_waits(trust: Trust) -> None:
    ids = [r.key.decode() for r in trust.records["stories"]]
    held = [f"{family(n)}:v1" for n in ("0201", "0202", "0204", "0209")] + [f"{family('0212')}:v3"]
    assert [ids.count(i) for i in held] == [1] * len(held)
    waiting = sorted(i.item for i in trust.held().items.values())
    assert waiting == [f"{family(n)}:v1" for n in ("0205", "0206", "0207")]


def test_the_held_topic_is_made_so_that_nothing_on_it_expires(trust: Trust) -> None:
    assert trust.held_configs["cleanup.policy"] == "compact"


def test_an_existing_held_topic_whose_records_expire_is_refused_at_launch(kafka_bootstrap: str) -> None:
    name = f"trust.held.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    admin.create_topics([NewTopic(name, 1, 1, topic_configs={"retention.ms": str(7 * 24 * 3600 * 1000)})])
    admin.close()
    out = f"refused.{uuid.uuid4().hex[:8]}"
    done = run_cli(*pipeline_args(kafka_bootstrap, "wire.none", out, "--until-end"), "--held-topic", name)
    assert done.returncode == 2, done.stderr[-3000:]
    assert f"the held topic {name!r} exists with cleanup.policy=delete, retention.ms=604800000" in done.stderr


# --- kills and the latest table ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "restarted"),
    [pytest.param("0301", True, id="restart"), pytest.param("0302", False, id="no-restart")],
)
def test_a_kill_below_the_latest_version_keeps_the_story_down_when_that_version_comes_again(
    trust: Trust, n: str, restarted: bool
) -> None:
    assert [s["version"] for _, s in trust.of(family(n))] == [1, 3, 2, 3]
    assert trust.latest_history(family(n)) == [1, 3, None], "v3 again brought the killed story back"


@pytest.mark.parametrize(
    ("n", "restarted"),
    [pytest.param("0303", True, id="restart"), pytest.param("0304", False, id="no-restart")],
)
def test_after_a_kill_without_a_version_a_repeat_stays_down_and_a_higher_version_comes_back(
    trust: Trust, n: str, restarted: bool
) -> None:
    assert [s["version"] for _, s in trust.of(family(n))] == [1, None, 1, 2]
    assert trust.latest_history(family(n)) == [1, None, 2], "v1 again brought the killed story back"


def test_a_correction_of_the_current_version_replaces_it_and_a_repeat_after_a_restart_does_not(trust: Trust) -> None:
    final = trust.latest()[family("0305")]
    assert final is not None and final["version"] == 2 and "Jon Strom" in " ".join(final["paragraphs"])
    assert "correction" in final["signals"]


def test_no_story_goes_out_as_urgent_after_its_kill(trust: Trust) -> None:
    kills = {s["family_id"]: at for at, s in trust.of_all() if s["pubstatus"] == "canceled"}
    late = [
        s["id"] for at, s in trust.of_all("urgent") if s["pubstatus"] == "usable" and at > kills.get(s["family_id"], at)
    ]
    assert late == []


# --- families ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug", ["valmora-tram", "morkvik-mill", "kestrel-dock"], ids=["kill-bare", "story-bare", "kill-bare-after-restart"]
)
def test_a_kill_finds_its_story_by_slug_and_agency_with_or_without_a_trailer(trust: Trust, slug: str) -> None:
    mine = [s for s in trust.stories() if s["family_id"].endswith(f":{slug}")]
    assert sorted(s["pubstatus"] for s in mine) == ["canceled", "usable"]
    assert len({s["family_id"] for s in mine}) == 1, "the kill took a family of its own"
    assert trust.latest()[mine[0]["family_id"]] is None


def test_two_kills_with_the_same_boilerplate_are_two_stories(trust: Trust) -> None:
    kills = [s for s in trust.stories() if s["pubstatus"] == "canceled" and s["family_id"].startswith("slug:")]
    assert len(kills) == 3 and len({s["id"] for s in kills}) == 3
