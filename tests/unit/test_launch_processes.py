"""The stages' processes start at launch, before the job, when the stages run in the launcher itself."""

from __future__ import annotations

import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from wirestream.pipelines import launch
from wirestream.pipelines.options import WirestreamOptions, settings_from
from wirestream.transforms.stage_fn import StageFn


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What the stages' ``setup`` and ``teardown`` were called for (no process is started)."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(StageFn, "setup", lambda self: seen.append(("setup", self.stage)))
    monkeypatch.setattr(StageFn, "teardown", lambda self: seen.append(("teardown", self.stage)))
    return seen


def started(argv: list[str], calls: list[tuple[str, str]]) -> list[tuple[str, str]]:
    options = PipelineOptions(argv)
    release = launch.start_stage_processes(settings_from(options.view_as(WirestreamOptions)), options)
    release()
    return calls


def test_on_a_local_runner_every_stage_with_processes_starts_them_before_the_job(calls):
    seen = started(["--nlp-processes", "2"], calls)
    assert seen == [(what, stage) for what in ("setup", "teardown") for stage in ("decode", "parse", "enrich")]


def test_a_stage_that_runs_in_the_worker_starts_nothing_early(calls):
    """No time limit and one model process: the stages load what they need in the worker, once."""
    seen = started(["--max-message-seconds", "0", "--nlp-processes", "1"], calls)
    assert seen == []


@pytest.mark.parametrize("argv", [["--runner", "FlinkRunner"], ["--environment_type", "DOCKER"]])
def test_stages_that_run_in_workers_elsewhere_start_nothing_here(argv, calls):
    assert started(argv, calls) == []
