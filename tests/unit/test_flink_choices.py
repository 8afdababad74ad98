"""What the pipeline does differently on Flink, decided at launch (no cluster needed)."""

from __future__ import annotations

import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from wirestream.pipelines import flink
from wirestream.pipelines.flink import (
    DEFAULT_CHECKPOINT_MS,
    FINISH_BUNDLE_BEFORE_CHECKPOINTING,
    flink_argv,
    flink_job_name,
)
from wirestream.pipelines.launch import check_exactly_once

JAR = ["--flink_job_server_jar", "/opt/job-server.jar"]


def test_a_continuous_flink_run_checkpoints_unless_told_otherwise() -> None:
    assert flink_argv(["--runner", "FlinkRunner", *JAR])[-1] == f"--checkpointing_interval={DEFAULT_CHECKPOINT_MS}"
    given = ["--runner", "FlinkRunner", *JAR, "--checkpointing_interval=3000", FINISH_BUNDLE_BEFORE_CHECKPOINTING]
    assert flink_argv(given) == given


def test_a_continuous_flink_run_finishes_its_bundles_before_each_checkpoint() -> None:
    # Else a checkpoint during the one bundle of the stages the Impulse feeds kept the partitions.
    argv = flink_argv(["--runner", "FlinkRunner", *JAR])
    assert argv.count(FINISH_BUNDLE_BEFORE_CHECKPOINTING) == 1
    assert flink_argv(argv) == argv
    options = PipelineOptions(argv).get_all_options(retain_unknown_options=True)
    assert options["finish_bundle_before_checkpointing"] is True  # a flag Beam passes on as true


def test_exactly_once_is_refused_on_flink_with_the_reason() -> None:
    with pytest.raises(ValueError, match=r"not supported on Flink.*checkpoint"):
        check_exactly_once(PipelineOptions(["--runner", "FlinkRunner"]))
    check_exactly_once(PipelineOptions([]))  # the local runners keep it


def test_a_flink_job_gets_a_name_to_be_cancelled_by() -> None:
    options = PipelineOptions(["--runner", "FlinkRunner"])
    name = flink_job_name(options)
    assert name.startswith("wirestream-") and flink_job_name(options) == name
    assert flink_job_name(PipelineOptions(["--job_name", "nightly"])) == "nightly"


@pytest.mark.parametrize(
    ("master", "url"),
    [("127.0.0.1:8081", "http://127.0.0.1:8081"), ("https://flink:8081", "https://flink:8081"),
     ("[local]", None), ("[auto]", None), (None, None)],
)  # fmt: skip
def test_the_rest_address_of_the_flink_master(master: str | None, url: str | None) -> None:
    assert flink.rest_url(master) == url
    if url is None:
        assert flink.cancel_job(master, "any") == []  # embedded: nothing to cancel over REST


def test_the_reads_spread_over_workers_only_where_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from wirestream.transforms import step1_read
    from wirestream.transforms.kafka.connection import ConnectionConfig
    from wirestream.transforms.kafka.topics import PartitionRead

    reads = [PartitionRead("t", p, 0, 5) for p in range(4)]
    monkeypatch.setattr(step1_read.topics, "plan_reads", lambda *a, **k: reads)
    default = step1_read.ReadFromKafka(ConnectionConfig("k:1"), "t", "g", until_end=False)
    spread = step1_read.ReadFromKafka(ConnectionConfig("k:1"), "t", "g", until_end=True, spread_partitions=True,
                                      launcher_commits=True)  # fmt: skip
    assert (default._spread, spread._spread) == (False, True)
    assert isinstance(spread._fn, step1_read._ReadPartitionUncommittedFn)
    with pytest.raises(ValueError, match="launcher_commits"):
        step1_read.ReadFromKafka(ConnectionConfig("k:1"), "t", "g", until_end=False, launcher_commits=True)


def test_a_flink_run_uses_the_job_server_jar_flink_sh_built(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("WIRESTREAM_CACHE", str(tmp_path))
    with pytest.raises(
        ValueError, match=r"^no Flink job server jar: build it once with `deploy/flink/flink.sh jobserver-jar`"
    ):
        flink_argv(["--runner", "FlinkRunner"], continuous=False)
    jar = tmp_path / "flink" / "flink-1.19.0-beam-2.62.0" / flink.JOB_SERVER_JAR
    jar.parent.mkdir(parents=True)
    jar.touch()
    assert flink_argv(["--runner", "FlinkRunner"], continuous=False) == [
        "--runner",
        "FlinkRunner",
        *["--flink_job_server_jar", str(jar)],
    ]
    assert flink_argv(["--runner", "FlinkRunner", *JAR], continuous=False) == ["--runner", "FlinkRunner", *JAR]
