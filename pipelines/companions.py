"""What runs beside the pipeline in ``wirestream run``: the embargo releaser and the urgent lane.

Both are threads of the launcher, so they run whatever the runner (on Flink, on the machine that
launched the job), and both end with the run.
"""

from __future__ import annotations

from collections.abc import Mapping

from wirestream.pipelines.release import Releaser
from wirestream.pipelines.urgent_lane import UrgentLane
from wirestream.transforms.kafka.topics import PartitionRead
from wirestream.transforms.settings import Settings

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


def start_companions(
    settings: Settings, reads: list[PartitionRead], urgent_schema_ids: Mapping[str, int] | None = None
) -> Companions:
    """Start the releaser and, with an urgent topic, the lane over the run's ``reads``."""
    lane = UrgentLane(settings, reads, urgent_schema_ids) if settings.topics.urgent else None
    topics = settings.topics
    return Companions(Releaser(settings.connection, topics.held, topics.input, settings.group_id), lane)
