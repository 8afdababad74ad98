"""Delivery across crashes, on the real broker: pipelines SIGKILLed at random moments while stories
flow lose nothing on any output topic, and with ``--exactly-once`` a read_committed consumer sees no
duplicate. Each run prints its seed (``WIRESTREAM_FAULT_SEED`` replays one) and what it saw; run with
``-s`` to see it.
"""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.kafka_tools import (
    TopicReader,
    end_offsets,
    ninjs_story,
    pipeline_args,
    produce,
    read_topic,
    run_cli,
    start_pipeline,
    stop,
    wait_for_progress,
)
from wirestream.transforms.encoding import avro

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


EVERY = 25  # one message in EVERY is embargoed (held), and another one is no text (a dead letter)
HELD_AT, DEAD_AT = 19, 7


def _crash_input(run: str, count: int) -> tuple[list[bytes], dict[str, set]]:
    """Messages for every output topic, and what each topic must hold once: stories with a quote (on
    stories, quotes, entities and latest, one family each), embargoed ones (held) and binary ones
    (dead letters)."""
    values: list[bytes] = []
    for n in range(count):
        if n % EVERY == DEAD_AT:
            values.append(b"\x00\x01\x02 not a story %d" % n)
            continue
        item = json.loads(ninjs_story(run, n))
        item["body_text"] += " \u201cWe were on the dot,\u201d the harbour master said."
        if n % EVERY == HELD_AT:
            item["embargoed"] = "2030-01-01T00:00:00Z"
        values.append(json.dumps(item).encode())
    kinds = [n % EVERY for n in range(count)]
    expected = {
        "stories": {f"urn:test:{run}:{n}" for n, kind in enumerate(kinds) if kind not in (HELD_AT, DEAD_AT)},
        "held": {v for v, kind in zip(values, kinds, strict=True) if kind == HELD_AT},
        "deadletter": {v for v, kind in zip(values, kinds, strict=True) if kind == DEAD_AT},
    }
    return values, expected


def _identity(output: str, record) -> object:
    """What makes a record of ``output`` itself: a second record with the same identity is a duplicate."""
    if output == "quotes":
        quote = avro.decode(record.value, "quote")
        return (quote["story_id"], quote["index"])
    if output == "entities":
        entity = avro.decode(record.value, "entity")
        return (entity["story_id"], entity["text"])
    if output in ("held", "deadletter"):
        return record.value  # the original message
    return record.key.decode()  # stories by story id, latest by family


def _story_of(output: str, identity) -> object:
    return identity[0] if output in ("quotes", "entities") else identity


@pytest.mark.parametrize("exactly_once", [False, True], ids=["at-least-once", "exactly-once"])
def test_sigkill_at_random_moments_loses_nothing(kafka_bootstrap, new_topic, tiny_ner, tmp_path, exactly_once):
    """Kill the pipeline three times while stories flow; restart; every record is out on every output
    topic (once, with EOS, for a read_committed consumer)."""
    count, kills = 1200, 3
    seed = int(os.environ.get("WIRESTREAM_FAULT_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    run, topic, out = uuid.uuid4().hex[:8], new_topic("raw"), f"crash.{uuid.uuid4().hex[:8]}"
    args = pipeline_args(kafka_bootstrap, topic, out, model=tiny_ner)
    if exactly_once:
        args.append("--exactly-once")
    values, expected = _crash_input(run, count)
    stories = expected["stories"]
    # Stories keep arriving during the kills: a third up front, the rest in slices.
    produce(kafka_bootstrap, topic, values[: count // 3])
    feeder = threading.Thread(
        target=lambda: [
            (time.sleep(0.5), produce(kafka_bootstrap, topic, values[i : i + 50])) for i in range(count // 3, count, 50)
        ],
        daemon=True,
    )
    feeder.start()
    log = tmp_path / "pipeline.log"
    produced = 0
    killed_at = []
    for _ in range(kills):
        process = start_pipeline(args, log)
        produced = wait_for_progress(kafka_bootstrap, f"{out}.stories", produced, rng.randrange(20, 200), process)
        time.sleep(rng.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        produced = end_offsets(kafka_bootstrap, f"{out}.stories")  # the next run must make progress of its own
        killed_at.append(produced)
    feeder.join()
    process = start_pipeline(args, log)
    reader = TopicReader(kafka_bootstrap, f"{out}.stories", read_committed=exactly_once)
    try:
        reader.wait_for_keys(stories, timeout=180)
        # Every bundle writes all its topics before it commits, so the others are complete by now.
        outputs = ("stories", "quotes", "entities", "latest", "held", "deadletter")
        with ThreadPoolExecutor(len(outputs)) as pool:  # each read ends after a second of quiet: at once
            read = pool.map(lambda o: read_topic(kafka_bootstrap, f"{out}.{o}", read_committed=exactly_once), outputs)
            seen = {o: Counter(_identity(o, r) for r in records) for o, records in zip(outputs, read, strict=True)}
    finally:
        reader.close()
        code = stop(process)
    wanted = {**expected, "quotes": stories, "entities": stories, "latest": stories}  # by story (family)
    missing = {output: wanted[output] - {_story_of(output, i) for i in ids} for output, ids in seen.items()}
    duplicates = {output: sum(ids.values()) - len(ids) for output, ids in seen.items()}
    mode = "exactly-once" if exactly_once else "at-least-once"
    print(
        f"\n{mode}: {count} messages, SIGKILL x{kills} (seed {seed}; stories topic end offsets at the kills: "
        f"{killed_at}); seen by a {'read_committed' if exactly_once else 'read_uncommitted'} consumer, per topic "
        f"(records, missing, duplicates): "
        + ", ".join(f"{o} {sum(seen[o].values())}/{len(missing[o])}/{duplicates[o]}" for o in seen)
    )
    assert {o: len(m) for o, m in missing.items() if m} == {}, f"lost records; log: {log}"
    assert code == 0, log.read_text()[-3000:]
    if exactly_once:
        assert {o: d for o, d in duplicates.items() if d} == {}, f"duplicates under --exactly-once; log: {log}"
        # The CLI's read_committed consumer agrees.
        shown = run_cli(
            "consume", "--bootstrap-servers", kafka_bootstrap, "--topic", f"{out}.stories",
            "--read-committed", "--timeout", "3",
        )  # fmt: skip
        cli_keys = Counter(json.loads(line)["key"] for line in shown.stdout.splitlines())
        assert set(cli_keys) == stories and max(cli_keys.values()) == 1
