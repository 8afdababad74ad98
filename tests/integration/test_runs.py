"""How runs behave over the real broker: resuming from committed offsets, streaming, metrics."""

from __future__ import annotations

import json
import uuid

import pytest
from prometheus_client import REGISTRY

from tests.integration.kafka_tools import (
    metric,
    pipeline_args,
    produce,
    read_topic,
    run_cli,
    run_pipeline,
    scrape,
    start_pipeline,
    stop,
)
from wirestream.pipelines.launch import run
from wirestream.transforms.encoding import avro

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def story(n: int) -> bytes:
    return f"PORT ELLIS, Norland (FP) — Ferry number {n} left the harbour on time on Tuesday.\n".encode()


def test_a_second_bounded_run_resumes_after_the_offsets_the_first_committed(kafka_bootstrap, new_topic):
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [story(n) for n in range(6)])
    first = run_pipeline(kafka_bootstrap, topic, out)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "read 6 message(s)" in first.stderr
    assert "lost the connection" not in first.stderr  # closing our own clients at the end is no outage

    produce(kafka_bootstrap, topic, [story(n) for n in range(6, 10)])
    second = run_pipeline(kafka_bootstrap, topic, out)

    assert second.returncode == 0, second.stderr[-3000:]
    assert "read 4 message(s)" in second.stderr
    records = read_topic(kafka_bootstrap, f"{out}.stories", expect=10)
    firsts = sorted(avro.decode(r.value)["paragraphs"][0] for r in records)
    assert firsts == sorted(f"Ferry number {n} left the harbour on time on Tuesday." for n in range(10))


def test_bounded_run_of_an_empty_topic_ends_at_once(kafka_bootstrap, new_topic):
    done = run_pipeline(kafka_bootstrap, new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "read 0 message(s)" in done.stderr


def test_a_missing_input_topic_is_a_clear_error(kafka_bootstrap):
    done = run_pipeline(kafka_bootstrap, f"missing.{uuid.uuid4().hex[:8]}", "out.never")
    assert done.returncode == 2
    assert "does not exist" in done.stderr and "wirestream produce" in done.stderr


def test_continuous_run_picks_up_stories_produced_while_it_runs_and_drains_on_sigterm(
    kafka_bootstrap, new_topic, tmp_path
):
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    log = tmp_path / "pipeline.log"
    pipeline = start_pipeline(pipeline_args(kafka_bootstrap, topic, out), log)
    try:
        produce(kafka_bootstrap, topic, [story(n) for n in range(3)])
        early = read_topic(kafka_bootstrap, f"{out}.stories", expect=3, timeout=90)
        produce(kafka_bootstrap, topic, [story(n) for n in range(3, 5)])
        later = read_topic(kafka_bootstrap, f"{out}.stories", expect=5, timeout=60)
        assert pipeline.poll() is None, "a continuous run must keep running"
    finally:
        code = stop(pipeline)
    output = log.read_text()
    assert code == 0, output[-3000:]  # SIGTERM drains: the run ends cleanly
    assert "draining" in output and "read 5 message(s)" in output
    assert len(early) == 3
    assert len(later) == 5


def _sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_count_what_is_on_the_topics_and_are_served(kafka_bootstrap, new_topic):
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [story(n) for n in range(5)] + [b"", b"\x00\x01\x02binary"])
    before = {
        "text": _sample("wirestream_stories_processed_total", {"format": "TEXT"}),
        "empty": _sample("wirestream_deadletters_total", {"stage": "decode", "reason": "empty"}),
        "binary": _sample("wirestream_deadletters_total", {"stage": "decode", "reason": "binary"}),
        "reconnects": _sample("wirestream_kafka_reconnects_total", {}),
    }

    totals = run([
        "--until-end", f"--bootstrap-servers={kafka_bootstrap}", f"--input-topic={topic}",
        f"--stories-topic={out}.stories", f"--deadletter-topic={out}.deadletter", f"--group-id={out}.g",
        f"--latest-topic={out}.latest", f"--urgent-topic={out}.urgent", f"--held-topic={out}.held",
        "--metrics-port=0",
    ])  # fmt: skip

    assert totals == {
        "messages_consumed": 7, "stories_processed": 5, "deadletters": 2, "embargoes_held": 0, "records_produced": 7,
        "offsets_unread": 0, "urgent_written": 0,
    }  # fmt: skip
    assert _sample("wirestream_messages_consumed_total", {"topic": topic}) == 7
    for output, topic_out, count in (("stories", f"{out}.stories", 5), ("deadletters", f"{out}.deadletter", 2)):
        labels = {"topic": topic_out, "output": output}
        assert _sample("wirestream_records_produced_total", labels) == count
        assert _sample("wirestream_end_to_end_latency_seconds_count", labels) == count  # every record timed
    assert _sample("wirestream_stories_processed_total", {"format": "TEXT"}) - before["text"] == 5
    assert _sample("wirestream_deadletters_total", {"stage": "decode", "reason": "empty"}) - before["empty"] == 1
    assert _sample("wirestream_deadletters_total", {"stage": "decode", "reason": "binary"}) - before["binary"] == 1
    assert _sample("wirestream_stage_seconds_count", {"stage": "enrich"}) >= 5
    assert _sample("wirestream_kafka_reconnects_total", {}) == before["reconnects"]  # a clean run: no reconnect

    from wirestream.transforms.telemetry.exporter import serve_metrics

    port = serve_metrics(0)  # the run's exporter: the same process serves once
    assert metric(scrape(port), "wirestream_messages_consumed_total", topic=topic) == 7


def test_the_multi_processing_mode_that_would_read_nothing_is_refused_at_launch(kafka_bootstrap, new_topic):
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [story(n) for n in range(3)])
    done = run_pipeline(kafka_bootstrap, topic, out, "--direct_running_mode=multi_processing", "--direct_num_workers=2")
    assert done.returncode == 2, done.stderr[-3000:]
    assert "multi_processing is not supported" in done.stderr and "--nlp-processes" in done.stderr
    again = run_pipeline(kafka_bootstrap, topic, out)  # nothing was taken: a plain run reads all three
    assert again.returncode == 0 and "read 3 message(s)" in again.stderr, again.stderr[-3000:]


def test_a_bounded_run_that_ends_short_of_the_end_offsets_says_so_and_fails(kafka_bootstrap, new_topic, monkeypatch):
    """Offsets that were never committed (a commit that failed, say) are work the run did not finish."""
    from wirestream.pipelines.cli import main
    from wirestream.transforms.step1_read import _ReadPartitionFn

    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [story(n) for n in range(3)])
    monkeypatch.setattr(_ReadPartitionFn, "_commit", lambda self, tp, offset: None)
    code = main(pipeline_args(kafka_bootstrap, topic, out, "--until-end"))
    assert code == 1
    monkeypatch.undo()
    again = run_pipeline(kafka_bootstrap, topic, out)
    assert again.returncode == 0 and "read 3 message(s)" in again.stderr, again.stderr[-3000:]


def test_produce_and_consume_commands(kafka_bootstrap, new_topic, repo_samples, tmp_path):
    topic = f"cli.{uuid.uuid4().hex[:8]}"
    lines = tmp_path / "feed.txt"
    lines.write_text("one\n\ntwo\nthree\n")
    sent = run_cli("produce", "--bootstrap-servers", kafka_bootstrap, "--topic", topic, str(lines), "--lines")
    assert sent.returncode == 0, sent.stderr
    assert "sent 3 message(s)" in sent.stderr

    got = run_cli("consume", "--bootstrap-servers", kafka_bootstrap, "--topic", topic, "--timeout", "3")
    assert got.returncode == 0, got.stderr
    assert sorted(json.loads(line)["value"] for line in got.stdout.splitlines()) == ["one", "three", "two"]

    some = run_cli("consume", "--bootstrap-servers", kafka_bootstrap, "--topic", topic, "--max", "2")
    assert len(some.stdout.splitlines()) == 2


def test_consume_decodes_stories_and_shows_dead_letter_headers(kafka_bootstrap, new_topic, repo_samples):
    topic, out = new_topic("raw"), f"out.{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap, topic, [(repo_samples / "fp-valmora-vote.json").read_bytes(), b"\x00\x00"])
    assert run_pipeline(kafka_bootstrap, topic, out).returncode == 0

    stories = run_cli("consume", "--bootstrap-servers", kafka_bootstrap, "--topic", f"{out}.stories", "--decode")
    (record,) = [json.loads(line) for line in stories.stdout.splitlines()]
    assert record["key"] == "urn:example:fictional-press:2026:valmora-vote-0001:v2"
    assert record["value"]["headline"] == "Valmora council approves night trams after tied first vote"
    assert record["value"]["format"] == "NINJS"

    letters = run_cli("consume", "--bootstrap-servers", kafka_bootstrap, "--topic", f"{out}.deadletter")
    (letter,) = [json.loads(line) for line in letters.stdout.splitlines()]
    assert letter["headers"]["wirestream.reason"] == "binary"
    assert letter["value"] == "\x00\x00"


@pytest.mark.parametrize("until_end", [True, False])
def test_the_graph_is_one_fused_stage_from_read_to_write(kafka_bootstrap, new_topic, until_end):
    """No Flatten, GroupByKey or Reshuffle after the read: the FnApiRunner would split the stage there,
    never running the rest when streaming and committing offsets before the writes when bounded."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from wirestream.pipelines.graph import build
    from wirestream.pipelines.options import WirestreamOptions, settings_from

    argv = [f"--bootstrap-servers={kafka_bootstrap}", f"--input-topic={new_topic('raw')}"]
    options = PipelineOptions([*argv, "--until-end"] if until_end else argv)
    pipeline = beam.Pipeline(options=options)
    build(pipeline, settings_from(options.view_as(WirestreamOptions)), runner="DirectRunner", metrics_port=-1)
    transforms = pipeline.to_runner_api().components.transforms.values()
    breaking = {"beam:transform:flatten:v1", "beam:transform:group_by_key:v1", "beam:transform:reshuffle:v1"}
    after_read = [
        t.unique_name
        for t in transforms
        if t.spec.urn in breaking and not t.unique_name.startswith("ReadFromKafka/Partitions")
    ]
    assert after_read == []
