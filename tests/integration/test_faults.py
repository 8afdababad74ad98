"""Delivery under faults, on the real broker: a broker restart, a stalled model, hostile input
(SIGKILLed pipelines are ``test_kills.py``'s).

Each test prints what it measured (duplicates, recovery time, peak memory); run with ``-s`` to see it.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.integration.conftest import KAFKA_SH
from tests.integration.kafka_tools import (
    TopicReader,
    free_port,
    headers_of,
    metric,
    ninjs_story,
    peak_memory_kib,
    pipeline_args,
    produce,
    read_topic,
    run_cli,
    run_pipeline,
    scrape,
    start_pipeline,
    stop,
    story_ids,
    wait_for_progress,
)
from wirestream.transforms.encoding import avro

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


@pytest.fixture(scope="session")
def model(tiny_ner: str) -> str:
    return tiny_ner


@pytest.fixture
def own_broker(tmp_path: Path):
    """A broker for this test alone, so stopping it disturbs no other test."""
    port = free_port()
    broker = ["bash", str(KAFKA_SH), "--port", str(port), "--dir", str(tmp_path / "kafka")]

    def command(name: str) -> float:
        started = time.monotonic()
        done = subprocess.run([*broker, name], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return time.monotonic() - started

    command("start")
    yield f"127.0.0.1:{port}", command
    command("stop")


def test_the_pipeline_rides_out_a_broker_restart(own_broker, model, tmp_path):
    """Stop and start the broker mid-stream: the run reconnects by itself, loses nothing, says so."""
    bootstrap, broker = own_broker
    from kafka.admin import KafkaAdminClient, NewTopic

    run, topic, out = uuid.uuid4().hex[:8], "raw.restart", "restart"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, 3, 1)])
    admin.close()
    count = 600
    values = [ninjs_story(run, n) for n in range(count)]
    produce(bootstrap, topic, values[:300])
    metrics_port = free_port()
    log = tmp_path / "pipeline.log"
    process = start_pipeline(pipeline_args(bootstrap, topic, out, model=model, metrics_port=metrics_port), log)
    try:
        wait_for_progress(bootstrap, f"{out}.stories", 0, 100, process)
        down_for = broker("stop")
        time.sleep(3)
        up_after = broker("start")
        up_at = time.monotonic()
        produce(bootstrap, topic, values[300:])  # produced after the restart
        reader = TopicReader(bootstrap, f"{out}.stories")
        try:
            first_new = None
            deadline = time.monotonic() + 120
            wanted = story_ids(run, count)
            later = {f"urn:test:{run}:{n}" for n in range(300, count)}
            while time.monotonic() < deadline and not wanted <= set(reader.keys()):
                reader.poll()
                if first_new is None and later & set(reader.keys()):
                    first_new = time.monotonic() - up_at
            keys = reader.keys()
        finally:
            reader.close()
        assert process.poll() is None, f"the pipeline died with the broker: {log.read_text()[-3000:]}"
        reconnects = metric(scrape(metrics_port), "wirestream_kafka_reconnects_total")
    finally:
        code = stop(process)
    missing = story_ids(run, count) - set(keys)
    text = log.read_text()
    print(
        f"\nbroker restart: stop took {down_for:.1f} s, start {up_after:.1f} s; the first story produced after "
        f"the restart was out {first_new if first_new is None else round(first_new, 1)} s after the broker was up; "
        f"{len(keys)} of {count} out, {sum(keys.values()) - len(keys)} duplicate(s); "
        f"wirestream_kafka_reconnects_total {reconnects:g}"
    )
    assert not missing, f"lost {len(missing)} stories; log: {text[-3000:]}"
    assert code == 0, text[-3000:]
    assert reconnects >= 1
    assert "lost the connection to Kafka" in text and "reconnected to Kafka after" in text


def test_a_message_that_stalls_the_model_is_a_too_slow_dead_letter_and_the_stories_after_it_come_out(
    kafka_bootstrap, new_topic
):
    """A real stall, nothing injected: the default model read a body of 240,000 characters (one long
    document pasted into an item) in 13.6 s on this machine, where a story takes a twentieth of a
    second. With a limit of 2 s per message (one story per model call, so the limit is the message's
    own), the model process is stopped and replaced, and the run goes on."""
    sentence = "The ferry from Port Ellis carried Mayor Oskar Fennimore and 212 passengers, officials said. "
    stall = ("PORT ELLIS, Norland (FP) — " + sentence * 2600 + "\n").encode()
    run, topic, out = uuid.uuid4().hex[:8], new_topic("raw", partitions=1), f"slow.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [ninjs_story(run, 0), stall, *[ninjs_story(run, n) for n in range(1, 5)]])
    started = time.monotonic()
    done = run_pipeline(kafka_bootstrap, topic, out, "--max-message-seconds", "2", "--nlp-batch-size", "1")
    print(f"\na run with a {len(stall):,}-byte stall took {time.monotonic() - started:.1f} s launch to exit")
    assert done.returncode == 0, done.stderr[-3000:]
    letters = read_topic(kafka_bootstrap, f"{out}.deadletter", expect=1)
    assert len(letters) == 1, [headers_of(r)["wirestream.error"] for r in letters]
    (letter,) = letters
    headers = headers_of(letter)
    assert (headers["wirestream.stage"], headers["wirestream.reason"]) == ("enrich", "too-slow"), headers
    assert letter.value == stall and headers["wirestream.source.offset"] == "1"
    stories = read_topic(kafka_bootstrap, f"{out}.stories", expect=5)
    assert sorted(r.key.decode() for r in stories) == sorted(story_ids(run, 5))


DEEP_JSON_ARRAY = "deep-json-array"


def _hostile_corpus() -> list[tuple[str, bytes]]:
    """Named messages that no wire feed should send, and a few good stories between them."""
    rng = random.Random(6)
    lol = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    deep_xml = b"<nitf>" + b"<a>" * 200_000 + b"x" + b"</a>" * 200_000 + b"</nitf>"
    return [
        ("good-first", ninjs_story("hostile", 0)),
        ("empty", b""),
        ("whitespace", b" \n\t\r\n  "),
        ("ten-mb", b"PORT ELLIS (FP) - " + b"word " * (2 * 1024 * 1024)),
        ("random-bytes", rng.randbytes(4096)),
        ("invalid-utf8", b"PORT ELLIS (FP) \xe2\x80 \xff\xfe broken \xc3\x28 text on Tuesday.\n"),
        ("latin-1", "MÜNCHEN (FP) - Die Fähre ist pünktlich abgefahren, sagte der Kapitän.\n".encode("latin-1")),
        ("cp1252", "PARIS (FP) — “Quotes” and – dashes – in Windows-1252.\n".encode("cp1252")),
        ("utf-16", "PORT ELLIS (FP) — a story in UTF-16 with a BOM.\n".encode("utf-16")),
        ("truncated-xml", b'<?xml version="1.0"?><nitf><head><title>Cut</title></head><body><body.content><p>Half'),
        ("truncated-json", b'{"uri": "urn:test:cut", "type": "text", "body_text": "PORT ELLIS (FP) \xe2\x80\x94 Cut'),
        ("deep-xml", deep_xml),
        ("deep-json-object", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
        # Deeply nested JSON *arrays* are not JSON to the detector, so they pass as TEXT to the model, whose
        # tokenizer is quadratic on a run of punctuation (8,000 brackets took ~50 s; 400,000, hours): this one
        # once stalled a run. The model now reads such runs cut short (nlp/model_input.py): it is a story.
        (DEEP_JSON_ARRAY, b"[" * 400_000 + b"1" + b"]" * 400_000),
        (
            "xxe-file",
            b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b"<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>",
        ),
        (
            "xxe-network",
            b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>'
            b"<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>",
        ),
        (
            "billion-laughs",
            f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lol}]><nitf><body><body.content>'
            f"<p>&lol9;</p></body.content></body></nitf>".encode(),
        ),
        (
            "quadratic-blowup",
            b'<?xml version="1.0"?><!DOCTYPE n [<!ENTITY a "'
            + b"A" * 50_000
            + b'">]><nitf><body><body.content><p>'
            + b"&a;" * 20_000
            + b"</p></body.content></body></nitf>",
        ),
        ("anpa-controls", b"\x16\x16\x01a0123 r i BC-Ferry 04-12 0123\x02 \x1f\x7f\x00 no body\x03\x04"),
        ("anpa-story", b"\x16\x16\x01a0124 r i BC-Ferry 04-12 0124\x02PORT ELLIS (FP) _ A ferry left.\r\n\x03\x04"),
        ("ninjs-no-body", json.dumps({"uri": "urn:test:nobody", "type": "text", "headline": "No body"}).encode()),
        ("nitf-no-body", b'<?xml version="1.0"?><nitf><head><title>Empty</title></head><body/></nitf>'),
        ("json-not-ninjs", b'{"hello": "world", "numbers": [1, 2, 3]}'),
        ("json-scalar", b"42"),
        # spaCy refuses texts over nlp.max_length (1,000,000 characters): a story that fails a stage.
        ("crashes-nlp", b"PORT ELLIS, Norland (FP) \xe2\x80\x94 " + b"ferry " * 190_000 + b"\n"),
        ("nul-in-text", b"PORT ELLIS (FP) \x00\x00 \x00 a ferry left on time on Tuesday.\n"),
        ("good-last", ninjs_story("hostile", 1)),
    ]


def test_hostile_input_is_dead_lettered_and_the_pipeline_goes_on(kafka_bootstrap, new_topic, model, tmp_path):
    """Every hostile message becomes a story or a dead letter with its bytes; the run never stops."""
    corpus = _hostile_corpus()
    topic, out = new_topic("raw", partitions=1), f"hostile.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [value for _, value in corpus])
    log = tmp_path / "pipeline.log"
    process = start_pipeline(pipeline_args(kafka_bootstrap, topic, out, model=model), log)
    stories = TopicReader(kafka_bootstrap, f"{out}.stories")
    letters = TopicReader(kafka_bootstrap, f"{out}.deadletter")
    peak = 0
    started = time.monotonic()
    try:
        accounted: dict[int, str] = {}
        while time.monotonic() - started < 150 and len(accounted) < len(corpus):
            stories.poll()
            letters.poll()
            peak = max(peak, peak_memory_kib(process.pid) or 0)
            assert process.poll() is None, f"the pipeline stopped: {log.read_text()[-3000:]}"
            accounted = {avro.decode(r.value)["source"]["offset"]: "story" for r in stories.records}
            for r in letters.records:
                accounted[int(headers_of(r)["wirestream.source.offset"])] = "dead letter"
        peak = max(peak, peak_memory_kib(process.pid) or 0)
        alive = process.poll() is None
    finally:
        stories.close()
        letters.close()
        stop(process)
    seconds = time.monotonic() - started
    rows = []
    for offset, (name, value) in enumerate(corpus):
        outcome = accounted.get(offset, "MISSING")
        letter = next((r for r in letters.records if int(headers_of(r)["wirestream.source.offset"]) == offset), None)
        if letter is not None:
            headers = headers_of(letter)
            outcome = f"dead letter {headers['wirestream.stage']}/{headers['wirestream.reason']}"
            assert letter.value == value, f"{name}: the dead letter does not carry the original bytes"
        rows.append(f"  {name:<18} {len(value):>10,} B  {outcome}")
    print(
        f"\nhostile corpus: {len(corpus)} messages in, {len(stories.records)} stories + {len(letters.records)} dead "
        f"letters out in {seconds:.1f} s; pipeline peak memory (VmHWM) {peak / 1024:.0f} MiB\n" + "\n".join(rows)
    )
    missing = [name for offset, (name, _) in enumerate(corpus) if offset not in accounted]
    assert not missing, f"not accounted for (a decoder crashed the run or hangs?): {missing}; log: {log}"
    assert alive, "the pipeline must keep running"
    assert accounted[0] == accounted[len(corpus) - 1] == "story"
    names = [name for name, _ in corpus]
    assert accounted[names.index(DEEP_JSON_ARRAY)] == "story", "the run of brackets was too slow for the model"
    assert len(stories.records) + len(letters.records) >= len(corpus)
    assert peak < 1024 * 1024, f"peak memory {peak / 1024:.0f} MiB"


def test_replay_deadletters_sends_the_originals_back(kafka_bootstrap, new_topic):
    """Replayed dead letters carry the original key, bytes and headers and none of ours; filters apply."""
    letters, target = new_topic("dl", partitions=1), new_topic("raw", partitions=1)
    ours = [("wirestream.stage", b"decode"), ("wirestream.source.offset", b"7")]
    from kafka import KafkaProducer

    from wirestream.transforms.kafka.clients import producer_config

    producer = KafkaProducer(**producer_config(kafka_bootstrap))
    producer.send(letters, key=b"k1", value=b"\xff bad", headers=[("agency", b"FP"), *ours,
                  ("wirestream.reason", b"bad-encoding")])  # fmt: skip
    producer.send(letters, key=None, value=b"", headers=[*ours, ("wirestream.reason", b"empty")])
    producer.send(letters, key=b"k3", value=b"{}", headers=[*ours, ("wirestream.reason", b"bad-json")])
    producer.flush()
    producer.close()
    common = ["--bootstrap-servers", kafka_bootstrap, "--deadletter-topic", letters, "--input-topic", target,
              "--timeout", "2"]  # fmt: skip

    dry = run_cli("replay-deadletters", *common, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert [json.loads(line)["reason"] for line in dry.stdout.splitlines()] == ["bad-encoding", "empty", "bad-json"]
    assert "would replay 3 of 3" in dry.stderr

    done = run_cli("replay-deadletters", *common, "--reason", "bad-encoding", "--reason", "bad-json", "--max", "1")
    assert done.returncode == 0, done.stderr
    assert "replayed 1 of 1" in done.stderr
    again = run_cli("replay-deadletters", *common, "--stage", "decode", "--group-id", f"replay.{letters}")
    assert "replayed 3 of 3" in again.stderr
    resumed = run_cli("replay-deadletters", *common, "--group-id", f"replay.{letters}")
    assert "replayed 0 of 0" in resumed.stderr  # the group's offsets are committed

    reader = TopicReader(kafka_bootstrap, target)
    reader.poll(2)
    reader.close()
    got = [(r.key, r.value, list(r.headers or [])) for r in reader.records]
    assert got == [
        (b"k1", b"\xff bad", [("agency", b"FP")]),
        (b"k1", b"\xff bad", [("agency", b"FP")]),
        (None, b"", []),
        (b"k3", b"{}", []),
    ]
