"""What runs beside the pipeline in ``wirestream run``: the embargo releaser and the urgent lane.

Both are threads of the launcher, so they run whatever the runner (on Flink, on the machine that
launched the job), and both end with the run.
"""

from __future__ import annotations

from wirestream.pipelines.options import WirestreamOptions
from wirestream.pipelines.release import Releaser
from wirestream.pipelines.urgent_lane import UrgentLane
from wirestream.transforms.encoding import registry
from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.topics import PartitionRead

__all__ = ["Companions", "LaneFailed", "start_companions"]


class Companions:
    """The threads that run beside the pipeline in the launcher: the releaser and the urgent lane."""

    def __init__(self, releaser: Releaser, lane: UrgentLane | None) -> None:
        self._releaser = releaser
        self._lane = lane
        releaser.start()
        if lane is not None:
            lane.start()

    def stop(self, *, wait_for_lane: bool) -> None:
        """Stop both; a bounded run's lane first reads to its end."""
        self._releaser.stop()
        if self._lane is None:
            return
        if not wait_for_lane:
            self._lane.stop()
        self._lane.join()

    def urgent_written(self) -> int:
        """The urgent records the lane wrote; LaneFailed if it failed, for then it did not write them all."""
        if self._lane is None:
            return 0
        if self._lane.error is not None:
            raise LaneFailed(
                f"the urgent lane failed ({self._lane.error}): urgent stories may be missing from the urgent topic; "
                "they are on the stories topic as usual, and the lane reads them again from its offsets next run"
            ) from self._lane.error
        return self._lane.written


class LaneFailed(RuntimeError):
    """The urgent lane stopped on an error (the run's exit code is 1)."""


def start_companions(opts: WirestreamOptions, connection: ConnectionConfig, reads: list[PartitionRead]) -> Companions:
    """Start the releaser and, with an urgent topic, the lane over the run's ``reads``."""
    lane = None
    if opts.urgent_topic:
        urgent_ids = None
        if opts.schema_registry_url:
            urgent_ids = registry.output_schema_ids(
                registry.SchemaRegistry(opts.schema_registry_url),
                {"story": opts.urgent_topic},
                auto_register=opts.auto_register_schemas,
            )
        lane = UrgentLane(
            connection,
            reads,
            urgent_topic=opts.urgent_topic,
            group_id=opts.group_id,
            spacy_model=opts.spacy_model,
            wire_format=opts.wire_format,
            max_message_bytes=opts.max_message_bytes,
            max_seconds=opts.max_message_seconds,
            schema_ids=urgent_ids,
            until_end=opts.until_end,
        )
    return Companions(Releaser(connection, opts.held_topic, opts.input_topic, opts.group_id), lane)
