"""A continuous run commits the group's offsets while it runs, not only when it is stopped.

At least once, the source commits a partition's offsets from Beam's bundle finalizer, after the
sinks have flushed. A SIGTERM drain commits too, so a test that stops the run before looking would
pass even if nothing were committed during the run; here the run is left going while the offsets
are read, and a SIGKILLed successor would resume from them.
"""

from __future__ import annotations

import time
import uuid

import pytest
from kafka import KafkaConsumer, TopicPartition

from tests.integration.kafka_tools import end_offsets, pipeline_args, produce, start_pipeline, stop, tiny_model
from wirestream.transforms.kafka.clients import consumer_config

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

WAVE = 100  # stories per wave
COMMIT_WAIT = 30.0  # seconds for the offsets to catch up once the outputs are out


@pytest.fixture(scope="session")
def model(tmp_path_factory: pytest.TempPathFactory) -> str:
    return tiny_model(tmp_path_factory.getbasetemp() / "tiny-ner")


def story(n: int) -> bytes:
    return f"PORT ELLIS, Norland (FP) — Story {n} ran aground, officials said.\n".encode()


def committed_offsets(bootstrap: str, group_id: str, topic: str, partitions: int) -> dict[int, int | None]:
    """The offsets ``group_id`` has committed for ``topic``, per partition (None: none yet)."""
    consumer = KafkaConsumer(**consumer_config(bootstrap, group_id=group_id))
    try:
        return {p: consumer.committed(TopicPartition(topic, p)) for p in range(partitions)}
    finally:
        consumer.close(autocommit=False)


def input_end_offsets(bootstrap: str, topic: str, partitions: int) -> dict[int, int]:
    consumer = KafkaConsumer(**consumer_config(bootstrap))
    try:
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        return {tp.partition: offset for tp, offset in consumer.end_offsets(tps).items()}
    finally:
        consumer.close(autocommit=False)


def test_a_continuous_run_commits_its_offsets_while_it_runs(kafka_bootstrap, new_topic, model, tmp_path):
    """Two waves of stories: after each, the committed offsets reach the end offsets, the run going on."""
    partitions = 3
    topic, out = new_topic("raw", partitions=partitions), f"offsets.{uuid.uuid4().hex[:8]}"
    group = f"{out}.group"
    log = tmp_path / "pipeline.log"
    produce(kafka_bootstrap, topic, [story(n) for n in range(WAVE)])
    process = start_pipeline(pipeline_args(kafka_bootstrap, topic, out, model=model), log)
    timeline = []
    try:
        for wave in (1, 2):
            if wave == 2:
                produce(kafka_bootstrap, topic, [story(n) for n in range(WAVE, 2 * WAVE)])
            wanted = input_end_offsets(kafka_bootstrap, topic, partitions)
            outputs_out_by = time.monotonic() + 180
            while end_offsets(kafka_bootstrap, f"{out}.stories") < wave * WAVE:
                assert process.poll() is None, f"the run ended: {log.read_text()[-3000:]}"
                assert time.monotonic() < outputs_out_by, f"wave {wave} not out in 180 s: {log.read_text()[-3000:]}"
                time.sleep(0.3)
            started = time.monotonic()
            while True:
                committed = committed_offsets(kafka_bootstrap, group, topic, partitions)
                # Read after the offsets: a commit only follows the acknowledged outputs of what it covers.
                out_now = end_offsets(kafka_bootstrap, f"{out}.stories") + end_offsets(
                    kafka_bootstrap, f"{out}.deadletter"
                )
                timeline.append((wave, round(time.monotonic() - started, 1), committed))
                assert sum(offset or 0 for offset in committed.values()) <= out_now, (
                    f"offsets {committed} committed ahead of the {out_now} records out"
                )
                if committed == wanted:
                    break
                assert process.poll() is None, f"the run ended: {log.read_text()[-3000:]}"
                assert time.monotonic() - started < COMMIT_WAIT, (
                    f"wave {wave}: all {sum(wanted.values())} stories are out, yet after {COMMIT_WAIT:g} s the "
                    f"group has committed {committed} of the end offsets {wanted}, the run still going; "
                    f"a SIGKILL now would re-read all of it. Last samples (wave, s, committed): {timeline[-5:]}"
                )
                time.sleep(0.5)
            assert process.poll() is None, "the offsets must be committed while the run goes on"
    finally:
        code = stop(process)
    print(f"\ncommitted offsets after the outputs were out (wave, seconds, per partition): {timeline}")
    assert code == 0, log.read_text()[-3000:]
