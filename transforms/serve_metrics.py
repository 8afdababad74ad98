"""The step after the read that starts each worker process's Prometheus exporter (and the launcher's,
on Flink, through ``start_exporter``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import apache_beam as beam

from wirestream.transforms.formats import FORMATS
from wirestream.transforms.telemetry.exporter import serve_metrics
from wirestream.transforms.telemetry.metrics import describe_build


def start_exporter(port: int, *, version: str, runner: str) -> None:
    """Describe this process's build (its series from zero) and serve ``/metrics`` on ``port``."""
    describe_build(version=version, runner=runner, beam_version=beam.__version__, formats=FORMATS)
    serve_metrics(port)


class ServeMetricsFn(beam.DoFn):
    """Starts this worker process's exporter (once per process) and passes elements through.

    It sits right after the read, so every worker process that runs the pipeline serves ``/metrics``.
    """

    def __init__(self, port: int, *, version: str, runner: str) -> None:
        self._port = port
        self._version = version
        self._runner = runner

    def setup(self) -> None:
        start_exporter(self._port, version=self._version, runner=self._runner)

    def process(self, element: Any) -> Iterator[Any]:
        yield element
