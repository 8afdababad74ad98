"""The whole path over the real broker: wire.raw → pipeline → stories, quotes, entities, dead letters."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from tests.integration.kafka_tools import headers_of, produce, read_topic, run_pipeline
from wirestream.transforms.records import avro

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def test_seed_story_comes_out_as_avro_with_its_parts(kafka_bootstrap, new_topic, shared_data):
    raw = (shared_data / "seed" / "ap-haniyeh-cairo.txt").read_bytes()
    expected = json.loads((shared_data / "seed" / "ap-haniyeh-cairo.expected.json").read_text())
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [raw])

    done = run_pipeline(kafka_bootstrap, topic, out)  # also to <out>.quotes and <out>.entities

    assert done.returncode == 0, done.stderr[-3000:]
    (record,) = read_topic(kafka_bootstrap, f"{out}.stories", expect=1)
    story = avro.decode(record.value)
    assert record.key == story["id"].encode()
    assert story["format"] == "TEXT"
    assert story["source"]["topic"] == topic
    assert story["dateline"] == expected["dateline"]
    assert story["contributors"] == expected["contributors"]
    assert len(story["paragraphs"]) == expected["paragraph_count"]
    assert story["paragraphs"][0].startswith(expected["body_starts_with"])
    assert story["paragraphs"][-1].endswith(expected["body_ends_with"])
    assert story["subheads"] == expected["subheads"]
    assert story["trailer"] == expected["trailer"]
    assert story["links"] == expected["links"]
    people = {e["text"] for e in story["entities"] if e["label"] == "PERSON"}
    assert "Yoav Gallant" in people
    said = {(q["text"], q["speaker"], q["kind"]) for q in story["quotes"]}
    assert ("We will not stop until we reach our goals", "Yoav Gallant", "DIRECT") in said

    quotes = [avro.decode(r.value, "quote") for r in read_topic(kafka_bootstrap, f"{out}.quotes", expect=1)]
    entities = [avro.decode(r.value, "entity") for r in read_topic(kafka_bootstrap, f"{out}.entities", expect=1)]
    assert sorted((q["index"], q["text"], q["speaker"]) for q in quotes) == [
        (i, q["text"], q["speaker"]) for i, q in enumerate(story["quotes"])
    ]
    assert sorted(e["text"] for e in entities) == sorted(e["text"] for e in story["entities"])
    for item in quotes + entities:
        assert item["story_id"] == story["id"]
        assert item["dateline"] == expected["dateline"]["raw"]
        assert item["dateline_location"] == expected["dateline"]["location"]
    gallant = next(e for e in entities if e["text"] == "Yoav Gallant")
    assert (gallant["label"], gallant["mentions"], gallant["aliases"]) == ("PERSON", 2, ["Gallant"])


def test_bad_input_is_dead_lettered_and_nothing_is_lost(kafka_bootstrap, new_topic, shared_data, repo_samples):
    good = [
        (shared_data / "seed" / "ap-haniyeh-cairo.txt").read_bytes(),
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
